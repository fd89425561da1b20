"""Code sentences into PLOVER events from a dependency parse: who did what to whom, and when.

Method, in the tradition of PETRARCH (verb dictionaries applied to parse trees), on
spaCy's ``en_core_web_sm`` 3.8.0 parse (:mod:`geohedge.events.pipeline`):

1. actors are found with :mod:`geohedge.events.actors` (countries, capitals, leaders
   with dated terms, ministries, armed forces, companies, organisations); only sentences
   that name one are parsed;
2. every verb, noun or adjective whose **lemma and frame** are in
   :mod:`geohedge.events.lexicon` is an event trigger (never a substring of a word);
3. roles come from the trigger's dependents: the **source** is the subject (the agent
   "by X" of a passive; a possessor "Russia's invasion", a country adjective "US tariffs",
   "pressure from X" for a noun; the subject of the governing verb for "agreed to
   cooperate" or "By engaging Turkey, Kuala Lumpur ..."), the **target** the object, a
   dative, an "against/on/with/to/toward" attachment, the passive subject, or "of X" for a
   noun ("invasion of Ukraine"). Subjects of "face", "is subject to", "is exempt",
   "secured ... from" are targets. Actors inside locative phrases ("in Malaysia's
   capital", "360 km from Bangkok") are places, not roles; "between X and Y" makes both
   parties act toward each other. A head word that is an unknown proper name (an
   organisation geohedge does not know) stays unknown: it does not borrow the country of a
   nearby word;
4. a **framing** verb ("refused to meet", "threatened to attack", "urged China to stop",
   "accused X of ramming") gives the event and absorbs the one it governs; a support verb
   ("imposed tariffs", "launched air strikes", "held talks") carries its object noun's;
5. **mode** (:data:`~geohedge.events.results.MODES`): negation ("did not", "never")
   turns a cooperative act into REJECT and is recorded on a conflictual one; intention
   ("will", "plans to") makes cooperation AGREE and force or coercion THREATEN (as
   PLOVER and CAMEO code intent); "expected to", "may", "could" and "denied" are
   recorded as modes;
6. **dates** from time expressions attached to the trigger (:mod:`geohedge.events.dates`),
   resolved against the article date; events placed in an earlier year are background.

Several triggers in a sentence give several events; identical events from repeated
sentences of one article are kept once with a repeat count. Quality is measured on the
PLOVER gold sentences and on a hand-coded real-news set (``docs/events.md``,
``benchmarks/bench_events.py``); rules were changed only after reading errors on the
development halves of both.

Notation
--------
========== ==============================================================
symbol     meaning
========== ==============================================================
type       PLOVER event type, one of :data:`~geohedge.events.results.PLOVER_TYPES`
intensity  Goldstein scale, -10 (most conflictual) .. +10 (most cooperative)
confidence 0..1
mode       :data:`~geohedge.events.results.MODES`
========== ==============================================================
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from geohedge.events import coref
from geohedge.events import lexicon as lx
from geohedge.events.actors import Actor, ActorDictionary, Mention, default_actors
from geohedge.events.dates import parse_time, resolve
from geohedge.events.pipeline import load_pipeline
from geohedge.events.roles import (
    _IN_ORGANS,
    _NOUN_TARGET_PREPS,
    _ORG_WORDS,
    _ROLE_WORDS,
    _SUBJ,
    _TARGET_PREPS,
    _head_noun,
    _hyphened,
    _lem,
    _noun_roles,
    _pos,
    _Sentence,
    _verb_roles,
    amount_recipients,
)
from geohedge.events.results import CodedText, Event
from geohedge.events.text import Counted, article_sentences, is_english, iter_sentences, split_sentences

__all__ = [
    "INTENSITY",
    "LEGACY_TYPES",
    "classify_sentence",
    "code_sentences",
    "code_text",
    "dev_split",
    "is_english",
    "iter_sentences",
    "not_english",
    "split_sentences",
]

INTENSITY = lx.INTENSITY

#: 2016 PLOVER names in the gold-standard file and what they are now (its README).
LEGACY_TYPES: Mapping[str, str] = {
    "DEMAND": "request", "DISAPPROVE": "accuse", "INVESTIGATE": "accuse", "FIGHT": "assault",
}

_COOPERATIVE = {"agree", "consult", "support", "concede", "cooperate", "aid", "retreat"}
_MATERIAL_CONFLICT = {"coerce", "assault", "sanction", "mobilize", "protest"}
#: Types both parties do when both are named as joint subjects ("A and B signed").
_SYMMETRIC = {"agree", "consult", "cooperate", "assault", "sanction", "support"}


#: Nouns that take their event from a modifier: "a mediation mission", "a peace effort".
_GENERIC_EVENT = lx._set("mission missions effort efforts campaign operation operations drive bid programme program initiative process "
                         "package packages")  # "a sanctions package", "an aid package"
_TIME_PREPS = {"on", "in", "since", "during", "by", "until", "last", "this", "next", "earlier", "later", "before", "after"}


@dataclass
class _Trigger:
    token: object
    cue: lx.Cue
    via: object | None = None  # the noun a support verb carries, or the support verb of a noun
    text: str = ""
    absorbed: set = field(default_factory=set)  # types of the events a frame governs directly


@dataclass
class _Raw:
    event_type: str
    intensity: float
    sources: list[Actor]
    targets: list[Actor]
    trigger: str
    mode: str
    depth: int
    start: int
    time_tokens: list = field(default_factory=list)
    verb: bool = True
    context: bool = False  # inside "after ...", "following ...", "in response to ...": the reason, not the news


# --- triggers ----------------------------------------------------------------------------------


def _objects(t) -> set[str]:
    """Lemmas that can satisfy a cue's ``objects``: the object (or passive subject, or for
    an intransitive verb its subject), "with"/"as" attachments, and what they govern
    through "of", with their compounds."""
    heads = []
    has_obj = False
    for c in t.children:
        if c.dep_ in ("dobj", "attr", "oprd", "nsubjpass", "dative") or c.dep_ == "ccomp" and _pos(c) == "NOUN":
            heads.append(c)  # a noun parsed as a clause: "let aid convoys into Darfur"
            has_obj = True
        elif c.dep_ == "prep" and c.lower_ in ("with", "as", "on", "of", "to", "from", "for", "against"):
            heads += [p for p in c.children if p.dep_ == "pobj"]
        elif c.dep_ == "prt" or c.dep_ == "prep" and c.lower_ in _PARTICLES and c.i == t.i + 1:
            heads += [p for p in c.children if p.dep_ == "pobj"]  # "called in the army"
    if t.dep_ == "acl" and t.tag_ == "VBN":
        heads.append(t.head)
        has_obj = True
    if not has_obj:
        heads += [c for c in t.children if c.dep_ in _SUBJ]
    for _ in range(2):
        heads += [p for h in list(heads) for c in h.children if c.dep_ == "prep" and c.lower_ in ("in", "of", "with")
                  for p in c.children if p.dep_ == "pobj" and p not in heads]
    heads += [s for c in t.children if c.dep_ in ("ccomp", "xcomp") for s in c.children if s.dep_ in _SUBJ]
    heads += [p for c in t.children if c.dep_ == "prep" and c.lower_ == "in" for p in c.children
              if p.dep_ == "pobj" and p.lower_ in ("favour", "favor")]  # "voted in favour of"
    out: set[str] = set()
    if _pos(t) in ("NOUN", "PROPN"):
        out |= {_lem(c) for c in t.children if c.dep_ in ("compound", "amod")}
    for h in heads:
        out.add(_lem(h))
        out.add(h.lower_)
        if _hyphened(h):
            out.add(_hyphened(h))
        for c in h.children:
            if c.dep_ in ("compound", "amod"):
                out.add(_lem(c))
            elif c.dep_ == "prep" and c.lower_ == "of":
                out |= {_lem(p) for p in c.children if p.dep_ == "pobj"}
    return out


_PARTICLES = {"down", "off", "up", "out", "back", "over", "in", "away"}


def _particle(t) -> str | None:
    """The verb's particle ("called off"); the small model often attaches one as an adverb
    ("stepped down" as ``advmod``), which counts when it directly follows the verb."""
    for c in t.children:
        if c.dep_ == "prt":
            return c.lower_
    obj = next((c for c in t.children if c.dep_ == "dobj"), None)
    for c in t.children:
        if c.dep_ in ("advmod", "prep") and c.lower_ in _PARTICLES and (
                c.i == t.i + 1 or obj is not None and c.i == obj.right_edge.i + 1):
            return c.lower_  # "stepped down", "pulling out of Kosovo", "pulled its forces out of Kosovo"
    return None


def _subject_words(t) -> set[str]:
    """Lemmas naming the subject of ``t``: its head, modifiers, and what a quantity word
    stands for ("a first patch of Bangladeshi peacekeeping troops")."""
    subj = next((c for c in t.children if c.dep_ in _SUBJ), None)
    if subj is None:
        return set()
    heads = [subj] + [p for c in subj.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj"]
    return {_lem(h) for h in heads} | {_lem(c) for h in heads for c in h.children if c.dep_ in ("compound", "amod")}


def _cue_for(t, sent: _Sentence) -> lx.Cue | None:
    p = _pos(t)
    lem = _lem(t)
    if p == "VERB":
        table = lx.VERBS
    elif p == "NOUN" or (p == "PROPN" and lem in lx.NOUNS and t.i not in sent.inside):
        table = lx.NOUNS
    elif p == "ADJ":
        table = lx.ADJECTIVES
    else:
        return None
    if p == "NOUN" and any(c.dep_ in ("amod", "compound") and c.lower_ == "joint" for c in t.children) and \
            lem in lx.JOINT_WORKS and not (t.dep_ in ("compound", "amod") and _pos(t.head) in ("NOUN", "PROPN")):
        return lx.Cue("cooperate")  # "formed a joint venture", "conducted a joint operation" (CAMEO 06)
    cues = table.get(lem) or table.get(t.lower_) or (table.get(_hyphened(t)) if table is lx.NOUNS and _hyphened(t) else None)
    if not cues:
        return None
    if lem in ("pressure", "pressurize", "press", "force") and table is lx.VERBS and any(c.dep_ == "xcomp" for c in t.children):
        return lx.Cue("request", frame=True)  # "pressuring workers to cancel the strike"
    if lem in ("fire", "launch") and t.i >= 2 and t.nbor(-1).text == "-" and t.nbor(-2).lower_ == "test":
        return lx.Cue("mobilize")  # "test-fired missiles"
    if table is lx.NOUNS:
        if lem == "strike":
            if t.head.lower_ == "on" and _lem(t.head.head) in ("go", "be", "stay", "remain"):
                return lx.Cue("protest")  # "workers went on strike"
            words = {w.lower_ for w in t.lefts for w in w.subtree}
            if words & {"general", "hunger", "ended", "nationwide", "indefinite", "national", "labour", "labor", "workers"}:
                return lx.Cue("protest")
            if words & {"air", "missile", "drone", "military", "retaliatory", "precision", "nuclear", "rocket"} or \
                    any(c.dep_ == "prep" and c.lower_ in ("against",) for c in t.children):
                return lx.Cue("assault")
            return None
        if lem == "cannon" and not any(c.lower_ == "water" for c in t.children):
            return None
        if lem in ("exercise", "drill") and any(c.lower_ == "joint" for c in t.children):
            return lx.Cue("cooperate")
    if t.dep_ in ("compound", "amod") and _pos(t.head) in ("NOUN", "PROPN") and _lem(t.head) not in _GENERIC_EVENT:
        return None  # "border patrol agents", "trade deal talks": the noun names, it does not happen
    if table is lx.NOUNS and lem in lx.READINESS and not (
            t.head.lower_ == "on" or t.head.lower_ == "of" and _lem(t.head.head) == "state" and t.head.head.head.lower_ == "on"):
        return None  # "on (a state of) alert", "on standby", "on a war footing"; not "an alert was issued"
    if table is lx.NOUNS and lem in ("defence", "defense") and not (
            t.head.lower_ in ("to", "in") and any(c.dep_ == "prep" and c.lower_ == "of" for c in t.children)):
        return None  # "rushed to the defence of North Korea", not "defence ministers"
    if table is lx.NOUNS and lem == "emergency" and not (t.head.lower_ == "of" and _lem(t.head.head) == "state"):
        return None  # "a state of emergency", not "emergency aid"
    if table is lx.NOUNS and lem == "shield" and not any(c.lower_ == "human" for c in t.children):
        return None
    if table is lx.VERBS and lem == "tell" and not any(c.dep_ == "xcomp" for c in t.children):
        return None  # "told a news conference that ...": speech, not "told X to stop"
    if table is lx.NOUNS and lem == "conference" and any(c.lower_ in ("press", "news") for c in t.children):
        return None  # "told a news conference": no meeting of parties
    if table is lx.VERBS and lem == "deny" and any(c.dep_ in ("ccomp", "xcomp") or c.dep_ == "prep" and any(p.dep_ == "pcomp" for p in c.children) for c in t.children):
        return None  # "denied attacking": the attack is coded, with mode "denied"
    objs = None
    prt = _particle(t)
    preps = {c.lower_ for c in t.children if c.dep_ == "prep"}
    for cue in cues:
        if cue.particle is not None and cue.particle != prt:
            continue
        if cue.prep is not None and cue.prep not in preps:
            continue
        if cue.subjects is not None and not _subject_words(t) & cue.subjects:
            continue
        if cue.complement is not None and not any(
                c.dep_ in ("xcomp", "ccomp") and _lem(c) in cue.complement for c in t.children):
            continue
        if cue.objects is not None:
            objs = _objects(t) if objs is None else objs
            ok = bool(objs & cue.objects)
            if not ok and "<actor>" in cue.objects:
                ok = any(sent.actors(c) for c in t.children if c.dep_ in ("dobj", "nsubjpass"))
            if not ok and "<person>" in cue.objects:  # "Erdogan welcomed Anwar": a leader received
                ok = any(a.kind == "person" for c in t.children if c.dep_ in ("dobj", "nsubjpass") for a in sent.actors(c))
            if not ok:
                continue
        return cue
    return None


# --- modes and dates ---------------------------------------------------------------------------------


def _mode(t) -> tuple[str, bool]:
    """(mode, negated) of a trigger: its own auxiliaries and negation, and those of the verbs
    or adjectives that govern it ("is expected to be signed", "plans to visit")."""
    mode, negated = "", False
    h, hops = t, 0
    while True:
        for c in h.children:
            if c.dep_ == "neg":
                negated = True
            elif c.dep_ in ("aux", "auxpass"):
                word = c.lower_
                if word in ("will", "would", "shall", "'ll", "wo") and not mode:
                    mode = "intended"
                elif word in ("may", "might", "could") and not mode:
                    mode = "expected"
            elif c.dep_ == "mark" and c.lower_ in ("if", "unless") and not mode:
                mode = "intended"
        if hops >= 3 or h.dep_ not in ("xcomp", "ccomp", "pcomp", "acl") or h.head is h:
            break
        head = h.head if h.dep_ != "pcomp" else h.head.head
        word = _lem(head)
        if word in lx.MODAL_HEADS:
            kind = lx.MODAL_HEADS[word]
            if kind == "negated":
                negated = True
            elif not mode or kind == "denied":
                mode = kind
        elif h.dep_ == "acl" and h.head.dep_ in ("nsubj", "dobj", "pobj"):
            break
        h, hops = head, hops + 1
    return mode, negated


def _conditional(t, *, unless_only: bool = False) -> bool:
    """The act is made conditional on the target's ("will withdraw ... unless", "may halt ... if")."""
    marks = ("unless",) if unless_only else ("unless", "if")
    for c in t.children:
        if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in marks for m in c.children):
            return any(a.dep_ == "aux" and a.lower_ in ("will", "would", "may", "might", "could", "shall") for a in t.children) \
                or any(m.lower_ == "unless" for m in c.children)
    return False


def _time_tokens(t) -> list:
    out = []
    for c in t.children:
        if c.dep_ in ("npadvmod", "tmod") or (c.dep_ == "prep" and c.lower_ in _TIME_PREPS):
            out.append(c)
        elif c.dep_ == "advmod" and c.lower_ in ("yesterday", "today", "tonight", "ago"):
            out.append(c)
        elif c.dep_ in ("nmod", "compound") and c.lower_ in ("yesterday", "today"):
            out.append(c)
    return out


def _event_date(raw: _Raw, on: _dt.date | None) -> tuple[_dt.date | None, bool]:
    if on is None:
        return None, False
    for tok in raw.time_tokens:
        text = " ".join(w.text for w in tok.subtree)
        if tok.dep_ == "prep" and tok.lower_ == "since":
            text = "since " + " ".join(w.text for w in tok.subtree if w is not tok)
        ref = parse_time(text)
        if ref is not None:
            day, _precision, background = resolve(ref, on, future=raw.mode == "intended")
            return day, background
    return on, False


# --- the sentence ------------------------------------------------------------------------------------


def _triggers(sent: _Sentence) -> list[_Trigger]:
    found: dict[int, _Trigger] = {}
    for t in sent.doc:
        cue = _cue_for(t, sent)
        if cue is None and _pos(t) == "VERB" and any(c.dep_ == "aux" and c.lower_ in ("must", "should") for c in t.children) \
                and not any(c.dep_ == "neg" for c in t.children):
            cue = lx.Cue("request")
        elif cue is not None and any(c.dep_ == "aux" and c.lower_ in ("must", "should") for c in t.children):
            cue = lx.Cue("request")
        elif (cue is None or cue.needs_target) and _pos(t) == "VERB" and any(
                c.dep_ == "advmod" and c.lower_ in ("jointly", "together") for c in t.children):
            cue = lx.Cue("cooperate")  # "Russia and China will jointly develop an aircraft", "worked together"
        if cue is not None:
            found[t.i] = _Trigger(t, cue, text=t.text + (f" {_particle(t)}" if cue.particle else ""))
    # Support verbs carry their object noun's event ("imposed tariffs on X", "held talks with X");
    # a verb that is an event itself merges with its object noun's ("hit with a tariff by the US").
    for t in sent.doc:
        if _pos(t) != "VERB":
            continue
        light = _lem(t) in lx.LIGHT_VERBS
        if not light and t.i not in found:
            continue
        objs = [c for c in t.children if c.dep_ in ("dobj", "nsubjpass")]
        objs += [p for c in t.children if c.dep_ == "prep" and (c.lower_ == "with" or light and c.lower_ == "on")
                 for p in c.children if p.dep_ == "pobj"]
        for obj in objs:
            nouns = [obj] + [c for c in obj.children if c.dep_ == "compound"]
            nouns += [p for c in obj.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj"]
            n = next((n for n in nouns if n.i in found and _pos(n) in ("NOUN", "PROPN") and n.i != t.i), None)
            if n is None:
                continue
            noun = found.pop(n.i)
            if t.i in found:
                found[t.i].via = found[t.i].via or n
            else:
                cue = replace(noun.cue, patient=True) if _lem(t) in lx.PATIENT_LIGHT else noun.cue
                found[t.i] = _Trigger(t, cue, via=n, text=f"{t.text} {n.text}")
            break
    for t in sent.doc:
        # "X is subject to a tariff": the subject is the target.
        if _lem(t) == "subject" and _pos(t) == "ADJ":
            for c in t.children:
                if c.dep_ == "prep" and c.lower_ == "to":
                    for n in c.children:
                        if n.i in found and n.dep_ == "pobj":
                            noun = found.pop(n.i)
                            found[t.i] = _Trigger(t, replace(noun.cue, patient=True), via=n, text=f"subject to {n.text}")
        # "troops remained on alert": the state noun is the verb's
        if t.i in found and _lem(t) in lx.READINESS:
            verb = next((a for a in t.ancestors if _pos(a) in ("VERB", "AUX")), None)
            if verb is not None and verb.i not in found:
                noun = found.pop(t.i)
                found[verb.i] = _Trigger(verb, noun.cue, via=t, text=f"{verb.text} on {t.text}")
    # Framing verbs absorb every event they govern ("refused to meet", "accused X of using
    # water cannon to block ..."); a purpose clause ("met ... to witness the signing",
    # "signed ... to strengthen cooperation") is part of the act it serves.
    for i, trig in sorted(found.items()):
        if i not in found:
            continue
        if trig.cue.frame:
            for c in _complements(trig.token):
                clausal = _pos(c) in ("VERB", "AUX", "ADJ")
                for sub in (c.subtree if clausal else [c]):
                    if clausal and _pos(sub) in ("NOUN", "PROPN") and sub.dep_ not in ("dobj", "nsubjpass", "pobj"):
                        continue
                    gone = found.pop(sub.i, None) if sub.i != i else None
                    if gone is not None and sub is c:
                        trig.absorbed.add(gone.cue.event_type)
    for i, trig in list(found.items()):
        t = trig.token
        if t.dep_ in ("advcl", "acl", "xcomp") and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children):
            if any(a.i in found for a in t.ancestors):
                found.pop(i)
    return sorted(found.values(), key=lambda x: x.token.i)


def _complements(t) -> list:
    out = []
    for c in t.children:
        if c.dep_ in ("xcomp", "ccomp", "dobj"):
            out.append(c)
        elif c.dep_ == "advcl" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
            out.append(c)  # "have sworn to fight" parsed as a purpose clause
        elif c.dep_ == "prep" and c.lower_ in ("of", "for", "to", "on", "against"):
            out += [p for p in c.children if p.dep_ in ("pcomp", "pobj")]  # "warned China against supporting"
        elif c.dep_ == "dobj":
            out += [p for cc in c.children if cc.dep_ == "prep" for p in cc.children]
    for c in list(out):
        out += [p for cc in c.children if cc.dep_ == "prep" and cc.lower_ == "of" for p in cc.children if p.dep_ == "pobj"]
    return out


def _raw_events(sent: _Sentence) -> list[_Raw]:
    out: list[_Raw] = []
    for trig in _triggers(sent):
        t, cue = trig.token, trig.cue
        etype = cue.event_type
        if _pos(t) == "NOUN" or (_pos(t) == "PROPN" and trig.via is None):
            sources, targets = _noun_roles(t, cue, sent)
            verb = False
        else:
            sources, targets = _verb_roles(t, cue, sent)
            if trig.via is not None:
                n_sources, n_targets = _noun_roles(trig.via, cue, sent)
                if cue.patient:
                    sources = n_sources or sources
                else:
                    sources = sources or n_sources
                targets = n_targets or targets
            verb = True
        if cue.frame:
            for c in _complements(t):
                if not targets:
                    targets = [a for cc in c.children if cc.dep_ in ("dobj", "dative", "nsubjpass")
                               or cc.dep_ == "nsubj" and c.dep_ == "ccomp"  # "demanded that Beijing withdraw"
                               for a in sent.actors(cc) if a not in sources]
                    for cc in c.children:
                        if cc.dep_ == "prep" and cc.lower_ in _TARGET_PREPS:
                            targets += sent.pobj_actors(cc, etype)
                        elif cc.dep_ == "dobj":  # "agreed to resume cooperation with Myanmar"
                            targets += [a for p in cc.children if p.dep_ == "prep" and p.lower_ in _NOUN_TARGET_PREPS
                                        for a in sent.pobj_actors(p, etype) if a not in sources]
                    targets = targets or [a for a in sent.between(c) if a not in sources]
                    targets = targets or [a for cc in c.children if cc.dep_ == "dobj"
                                          for a in amount_recipients(cc, sent) if a not in sources]
        if cue.needs_target and not targets:
            continue
        mode, negated = _mode(t)
        if cue.frame and etype == "agree" and trig.absorbed & _MATERIAL_CONFLICT:
            etype = "threaten"  # "vowed to fight", "stands ready to adopt sanctions"
        if etype != "threaten" and not negated and etype not in _COOPERATIVE and _conditional(t, unless_only=etype == "reject"):
            etype, mode, cue = "threaten", "intended", replace(cue, intensity=None)  # "... unless it pays"
        intensity = cue.intensity if cue.intensity is not None else lx.INTENSITY[etype]
        if etype == "request" and cue.appeal:
            asks = {_lem(c) for c in _complements(t)}
            intensity = -5.0 if asks & lx.APPEAL_YIELD else 3.0
        if etype == "protest" and _lem(trig.via or t) == "protest" and sources and all(a.sector == "government" for a in sources) \
                and _official_subject(t):
            etype, intensity = "accuse", lx.INTENSITY["accuse"]  # a state's protest is an official complaint
        if etype == "mobilize" and len({a.code for a in sources}) > 1 and _lem(trig.via or t) in lx.DRILLS | {"game"}:
            etype, intensity = "cooperate", lx.INTENSITY["cooperate"]  # "French and Egyptian warships launched war games"
        if negated and etype in _COOPERATIVE:
            etype, intensity, mode = "reject", lx.INTENSITY["reject"], ""
        elif negated:
            mode = "negated"
        elif mode == "intended" and etype in _COOPERATIVE - {"agree"}:
            etype, intensity = "agree", lx.INTENSITY["agree"]
        elif mode == "intended" and etype in _MATERIAL_CONFLICT:
            etype, intensity = "threaten", lx.INTENSITY["threaten"]
        depth = sum(1 for _ in t.ancestors)
        times = _time_tokens(t) + (_time_tokens(trig.via) if trig.via is not None else [])
        h = t
        while not times and h.dep_ in ("xcomp", "advcl", "conj", "ccomp") and h.head is not h:
            h = h.head  # "gathered on Friday ... to rally": the clause's time
            times = _time_tokens(h)
        out.append(_Raw(etype, intensity, sources, targets, trig.text or t.text, mode, depth, t.i, times, verb,
                        _in_context(t)))
    return out


#: Prepositions whose phrase gives the circumstance or reason of a sentence's act ("after the
#: bombing", "following protests", "in response to Russia's invasion").
_CONTEXT_PREPS = {"after", "following", "before", "ahead", "amid", "amidst", "despite", "since", "during", "over",
                  "because", "due", "until", "prior"}
_CONTEXT_NOUNS = {"response", "retaliation", "wake", "reaction", "protest", "aftermath", "face"}


def _in_context(t) -> bool:
    """Whether a trigger sits in a phrase of circumstance or reason rather than being the
    sentence's own act: scored sentences' main event is chosen among the others first."""
    for a in t.ancestors:
        if a.dep_ == "prep" and (a.lower_ in _CONTEXT_PREPS or
                                 a.lower_ == "in" and any(_lem(p) in _CONTEXT_NOUNS for p in a.children)):
            return True
        if _pos(a) in ("VERB", "AUX") and a.dep_ not in ("pcomp", "pobj"):
            return False
    return False


def _official_subject(t) -> bool:
    """Whether the subject of ``t`` names a state or its officials ("Vietnam", "the foreign
    ministry"), not people of it ("Filipino nurses")."""
    subj = next((c for c in t.children if c.dep_ in _SUBJ), None)
    if subj is None or _pos(subj) == "PROPN":
        return True
    head = _lem(_head_noun(subj))
    return head in _ORG_WORDS or head in _ROLE_WORDS or head in _IN_ORGANS or subj.tag_ != "NNS"


def _confidence(raw: _Raw, target: Actor | None) -> float:
    value = 0.5 + 0.2 + (0.2 if target is not None else 0.0) + (0.1 if raw.verb else 0.0)
    if raw.mode in ("expected", "negated", "denied"):
        value -= 0.1
    return round(min(value, 1.0), 2)


def _events_of(sent: _Sentence, sentence: str, index: int, raws_all: Sequence[_Raw],
               only: Sequence[_Raw] | None = None) -> list[Event]:
    events: list[Event] = []
    seen: set[tuple] = set()
    for raw in raws_all if only is None else only:
        if not raw.sources:
            continue
        day, background = _event_date(raw, sent.on)
        pairs: list[tuple[Actor, Actor | None]] = []
        targets = [a for a in raw.targets if a.code not in {s.code for s in raw.sources}]
        if not targets and len({s.code for s in raw.sources}) > 1 and raw.event_type in _SYMMETRIC:
            pairs = [(s, t) for s in raw.sources for t in raw.sources if s.code != t.code]
        else:
            pairs = [(s, t) for s in raw.sources for t in (targets or [None])]
        for src, tgt in pairs:
            if tgt is None and any(r is not raw and r.event_type == raw.event_type and src in r.sources
                                   and any(a.code != src.code for a in r.targets) for r in raws_all):
                continue  # "A clashed with B ... A unleashed water cannons": one A-B event
            key = (raw.event_type, src.code, tgt.code if tgt else None, raw.mode)
            if key in seen:
                continue
            seen.add(key)
            events.append(Event(
                event_type=raw.event_type, source=src, target=tgt, intensity=raw.intensity,
                confidence=_confidence(raw, tgt), sentence=sentence, sentence_index=index, trigger=raw.trigger,
                date=day, mode=raw.mode, background=background,
            ))
    return events


# --- sentences and texts ---------------------------------------------------------------------------------

def _parse(sentences: Sequence[str]):
    nlp = load_pipeline()
    return nlp.pipe(sentences, batch_size=256)


def code_sentences(
    sentences: Iterable[str],
    *,
    on: _dt.date | None = None,
    actors: ActorDictionary | None = None,
) -> list[Event]:
    """Every event in the sentences; a sentence that repeats an earlier one is not parsed
    again, its events count as repeats (:attr:`Event.repeats`).

    Parameters
    ----------
    sentences
        Sentences (see :func:`iter_sentences`).
    on
        Date of the text: for leaders' terms of office and to resolve "on Wednesday".
    actors
        Actor tables; default :func:`geohedge.events.actors.default_actors`.

    Raises
    ------
    DataError
        The English pipeline is missing or fails its hash check.
    """
    plan = _plan(sentences, on, actors or default_actors())
    return _finish(plan, list(_parse([s for _, s, _ in plan.todo])))


@dataclass
class _Plan:
    """A text's sentences to parse (those naming an actor, each distinct one once)."""

    on: _dt.date | None
    todo: list[tuple[int, str, list[Mention]]]
    counts: dict[str, int]


def _plan(sentences: Iterable[str], on: _dt.date | None, actors: ActorDictionary) -> _Plan:
    counts: dict[str, int] = {}
    todo: list[tuple[int, str, list[Mention]]] = []
    for index, sentence in enumerate(sentences):
        if sentence in counts:
            counts[sentence] += 1
            continue
        counts[sentence] = 1
        mentions = actors.find(sentence, on)
        if mentions or (todo and coref.refers(sentence)):  # "He noted that ...": parsed for its antecedent
            todo.append((index, sentence, mentions))
    return _Plan(on, todo, counts)


def _finish(plan: _Plan, docs: Sequence) -> list[Event]:
    events: list[Event] = []
    memory = coref.Memory()
    for (index, sentence, mentions), doc in zip(plan.todo, docs, strict=True):
        sent = _Sentence(doc, mentions, plan.on)
        coref.resolve(sent, memory)
        memory.remember(sent)
        for e in _events_of(sent, sentence, index, _raw_events(sent)):
            n = plan.counts[sentence]
            events.append(replace(e, repeats=n) if n > 1 else e)
    return events


def classify_sentence(
    sentence: str, *, on: _dt.date | None = None, actors: ActorDictionary | None = None
) -> tuple[str | None, Event | None]:
    """The main event type of one sentence, and its event when a source actor was found.

    The main event is the trigger highest in the parse tree (the leftmost among equals).
    Returns ``(type, event)``: ``type`` is ``None`` when no word carries an event;
    ``event`` is ``None`` when the main event has no named source.
    """
    actors = actors or default_actors()
    mentions = actors.find(sentence, on)
    doc = next(iter(_parse([sentence])))
    sent = _Sentence(doc, mentions, on)
    coref.resolve(sent, coref.Memory())
    raws = _raw_events(sent)
    if not raws:
        return None, None
    main = min(raws, key=lambda r: (r.context, r.depth, r.start))
    events = _events_of(sent, sentence, 0, raws, [main])
    if not events and main.sources:
        # its source's event of the same type toward a named target stands for it
        events = [e for e in _events_of(sent, sentence, 0, raws) if e.event_type == main.event_type
                  and e.source in main.sources]
    return main.event_type, (events[0] if events else None)


def code_text(
    text: str,
    *,
    on: _dt.date | None = None,
    actors: ActorDictionary | None = None,
) -> CodedText:
    """Code a whole text (an article): English check, sentences, events.

    A text that does not read as English (:func:`is_english`) is not coded: the result has
    no events and ``skipped`` says why.

    Raises
    ------
    DataError
        The English pipeline is missing or fails its hash check.
    """
    skipped = not_english(text)
    if skipped is not None:
        return skipped
    counter = Counted(article_sentences(text))
    events = code_sentences(counter, on=on, actors=actors)
    return CodedText(tuple(events), counter.n, "en")


def not_english(text: str) -> CodedText | None:
    """The result for a text that does not read as English (:func:`is_english`), else ``None``."""
    english, share = is_english(text)
    if english:
        return None
    return CodedText((), sum(1 for _ in iter_sentences(text)), "other",
                     skipped=f"not English (common English words are {share:.0%} of the text, needs 12%)")


def dev_split(record_id: str) -> bool:
    """Whether a gold-standard record is in the development half (tuning) rather than
    the held-out half: the parity of the sha256 of its id (fixed, independent of order)."""
    return int(hashlib.sha256(record_id.encode()).hexdigest(), 16) % 2 == 0
