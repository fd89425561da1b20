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

from geohedge.events import lexicon as lx
from geohedge.events.actors import _SECTOR_WORDS, Actor, ActorDictionary, Mention, default_actors
from geohedge.events.dates import parse_time, resolve
from geohedge.events.pipeline import lemma, load_pipeline, pos
from geohedge.events.results import CodedText, Event
from geohedge.events.text import Counted, is_english, iter_sentences, split_sentences

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
_SUBJ = ("nsubj", "csubj")
_TARGET_PREPS = {"to", "against", "on", "with", "toward", "towards", "upon", "into"}
_EXTRA_PREPS = {"assault": {"at"}, "threaten": {"at"}, "accuse": {"at"}, "coerce": {"at"}, "concede": {"for"},
                "support": {"for"}, "retreat": {"from"}, "sanction": {"from"}, "request": {"from"}}
_NOUN_TARGET_PREPS = _TARGET_PREPS | {"of", "for", "at"}
_AIMED = {"mobilize": ("around", "near", "off", "toward", "towards"), "protest": ("outside", "at", "near", "in"),
          "assault": ("outside", "near", "at")}
_LOCATIVE = {"in", "at", "near", "across", "around", "inside", "outside", "within", "throughout", "off", "along",
             "beyond", "from", "outside", "via", "through", "during"}
#: Head nouns that stand for the group or office of what follows "of".
_GROUP = lx._set(
    "hundreds hundred thousands thousand dozens dozen tens millions million scores score group groups crowd crowds "
    "members member some many most part "
    "delegation delegations representatives representative leaders leader heads head government governments "
    "ministry ministries president prime minister chancellor authority authorities people citizens officials "
    "official republic state states forces army navy embassy parliament council commission court supporters "
    "residents nationals one two three each"
)
#: Words that make an unknown proper name an organ of the country named inside it
#: ("Malaysian Communications and Multimedia Commission", "Philippine Coast Guard").
_ORG_WORDS = lx._set(
    "commission authority ministry department agency bank company corporation railways railway rail link airlines "
    "airline council institute navy army guard police forces force parliament court senate congress assembly "
    "office administration government cabinet military corps fund board party service services shipyard treasury "
    "ministry bureau directorate"
)
#: Common nouns naming people in a role: "Turkish Foreign Minister Jane Doe" is Turkey's.
_ROLE_WORDS = lx._set(
    "minister president premier chancellor king queen prince emir sultan secretary spokesman spokeswoman "
    "spokesperson official officials ambassador envoy general admiral commander chief leader governor mayor "
    "senator lawmaker diplomat counterpart company firm giant maker producer operator carrier"
)
_CIVILIAN = lx._set(
    "rioter rioters "
    "protester protesters protestor protestors demonstrator demonstrators crowd crowds activist activists "
    "student students worker workers people resident residents villager villagers farmer farmers citizen citizens"
)
#: Nouns that take their event from a modifier: "a mediation mission", "a peace effort".
_GENERIC_EVENT = lx._set("mission missions effort efforts campaign operation operations drive bid programme program initiative process")
#: Offices that belong to the country they sit "in" (not troops: "troops in Afghanistan"
#: are as often foreign as not).
_IN_ORGANS = lx._set("police government authorities authority court courts parliament officials ministry regime "
                     "junta administration leadership prosecutors judge judges")
#: People sent by a country: "negotiators from Georgia", "peacekeepers from Ghana".
_FROM_GROUPS = lx._set("negotiator negotiators delegation delegations delegate delegates official officials "
                       "representative representatives envoy envoys diplomat diplomats minister ministers leader "
                       "leaders troops soldiers peacekeepers forces observers monitors experts team teams")
_CROWD = lx._set("hundred thousand dozen million crowd")
_HAPPEN = lx._set("break erupt begin continue resume occur happen take flare escalate intensify start")
_TIME_PREPS = {"on", "in", "since", "during", "by", "until", "last", "this", "next", "earlier", "later", "before", "after"}
_RELATIVE = {"that", "which", "who", "whom"}


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


def _lem(t) -> str:
    return lemma(t.lower_, pos(t.tag_))


def _pos(t) -> str:
    return pos(t.tag_)


class _Sentence:
    """One parsed sentence with its actor mentions attached to tokens."""

    def __init__(self, doc, mentions: Sequence[Mention], on: _dt.date | None):
        self.doc = doc
        self.on = on
        self.actor_at: dict[int, Actor] = {}
        self.inside: dict[int, Actor] = {}
        for m in mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            actor = m.actor
            if actor.kind == "country" and span.root.tag_ in ("NNPS", "NNS") and m.text.lower() != actor.name.lower() \
                    and actor.sector == "government":
                actor = Actor(actor.code, actor.name, "civilian", actor.kind)  # "Albanians demonstrated"
            self.actor_at[span.root.i] = actor
            for t in span:
                self.inside[t.i] = actor

    # --- actors ---------------------------------------------------------------------------

    def actors(self, t, *, depth: int = 0) -> list[Actor]:
        """The actors a phrase headed by ``t`` names, with its coordinated phrases."""
        out = self._here(t, depth)
        for c in t.children:
            if c.dep_ == "conj":
                out += [a for a in self.actors(c, depth=depth) if a not in out]
        return out

    def _here(self, t, depth: int) -> list[Actor]:
        if depth > 3:
            return []
        if t.i in self.actor_at or t.i in self.inside:
            actor = self.actor_at.get(t.i) or self.inside[t.i]
            return [actor]
        p = _pos(t)
        if p in ("PRON", "DET", "NUM", "ADP", "VERB"):
            if p == "NUM" or t.lower_ in ("some", "many", "most", "all", "both"):
                return self._of(t, depth)
            return []
        lem = _lem(t)
        mods = [c for c in t.children if c.dep_ in ("poss", "compound", "amod", "nmod") and (c.i in self.actor_at or c.i in self.inside)]
        if not mods:  # "US trade and security policies": the country names a modifier's modifier
            # "Chinese Foreign Minister Qian Qichen": the adjective modifies the title
            mods = [g for c in t.children if c.dep_ in ("compound", "nmod") and _pos(c) in ("NOUN", "PROPN")
                    for g in c.children if (g.dep_ in ("compound", "nmod", "poss") or g.dep_ == "amod" and _lem(c) in _ROLE_WORDS)
                    and (g.i in self.actor_at or g.i in self.inside)]
        if not mods:  # "a British-flagged tanker" (not "Kremlin-backed separatists": backing is not being)
            mods = [g for c in t.children if c.dep_ in ("amod", "compound") and c.lower_ in ("flagged", "registered", "owned", "based", "born", "made")
                    for g in c.children if g.i in self.actor_at or g.i in self.inside]
        more = [cc for c in mods for cc in c.children if cc.dep_ == "conj" and (cc.i in self.actor_at or cc.i in self.inside)]
        if p == "PROPN":
            appos = [a for c in t.children if c.dep_ == "appos" for a in self.actors(c, depth=depth + 1)]
            if appos:
                return appos  # "Hulusi Akar, Turkey's defence minister"
            words = {lem} | {_lem(c) for c in t.children if c.dep_ == "compound"}
            if not words & (_ORG_WORDS | _ROLE_WORDS | _GROUP):
                return []  # an unknown name: unknown, whatever country word stands near it
        if mods:
            sector = _SECTOR_WORDS.get(t.lower_) or _SECTOR_WORDS.get(lem)
            out = []
            for c in [*mods, *more]:
                a = self.actor_at.get(c.i) or self.inside[c.i]
                if sector and a.kind == "country":
                    a = Actor(a.code, a.name, sector, a.kind)
                if a not in out:
                    out.append(a)
            return out
        if lem in _GROUP or lem in _ROLE_WORDS or lem in _ORG_WORDS or lem in _FROM_GROUPS:
            return self._of(t, depth)
        return []

    def _of(self, t, depth: int) -> list[Actor]:
        """"the government of Malaysia"; an office "in" a country ("police in the Kenyan
        capital", "the military government in Myanmar") is that country's too."""
        lem = _lem(t)
        preps = ("of", "in") if lem in _IN_ORGANS else ("of", "from") if lem in _FROM_GROUPS else ("of",)
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ in preps:
                for pobj in c.children:
                    if pobj.dep_ == "pobj":
                        found = self.actors(pobj, depth=depth + 1)
                        if found:
                            sector = _SECTOR_WORDS.get(t.lower_)
                            return [Actor(a.code, a.name, sector, a.kind) if sector and a.kind == "country" else a for a in found]
        return []

    def pobj_actors(self, prep, event_type: str | None = None) -> list[Actor]:
        out: list[Actor] = []
        for pobj in prep.children:
            if pobj.dep_ in ("pobj", "pcomp"):
                found = self.actors(pobj)
                if not found and pobj.dep_ == "pcomp":  # "pressure from shifting US policies"
                    found = [a for c in pobj.children if c.dep_ == "dobj" for a in self.actors(c)]
                if not found and event_type in ("assault", "coerce", "mobilize", "aid"):
                    # "air strikes on targets in Lebanon", "supplies to flood victims in Bangladesh"
                    for c in pobj.children:
                        if c.dep_ == "prep" and c.lower_ in ("in", "of", "by"):
                            found = self.pobj_actors(c)
                            if found:
                                break
                out += found
        return out

    def between(self, t) -> list[Actor]:
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ in ("between", "among"):
                return self.pobj_actors(c)
        return []

    def located(self, t) -> list[Actor]:
        """The country where a clause happens: the last country or capital named in its
        locative phrase ("gathered in Malaysia's capital", "outside the US embassy in Jakarta")."""
        for h in (t, t.head):
            for c in h.children:
                if c.dep_ == "prep" and c.lower_ in ("in", "outside", "at", "near"):
                    named = [self.inside[tok.i] for tok in c.subtree if tok.i in self.inside]
                    if named:
                        return [named[-1]]
        return []


# --- triggers ----------------------------------------------------------------------------------


def _objects(t) -> set[str]:
    """Lemmas that can satisfy a cue's ``objects``: the object (or passive subject, or for
    an intransitive verb its subject), "with"/"as" attachments, and what they govern
    through "of", with their compounds."""
    heads = []
    has_obj = False
    for c in t.children:
        if c.dep_ in ("dobj", "attr", "oprd", "nsubjpass", "dative"):
            heads.append(c)
            has_obj = True
        elif c.dep_ == "prep" and c.lower_ in ("with", "as", "on", "of", "to", "from", "for"):
            heads += [p for p in c.children if p.dep_ == "pobj"]
        elif c.dep_ == "prt":
            heads += [p for p in c.children if p.dep_ == "pobj"]
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


def _hyphened(t) -> str | None:
    """"build-up" split by the tokenizer into "build - up": the joined word."""
    if t.i >= 2 and t.nbor(-1).text == "-" and t.nbor(-2).is_alpha:
        return f"{t.nbor(-2).lower_}-{t.lower_}"
    return None


def _particle(t) -> str | None:
    """The verb's particle ("called off"); the small model often attaches one as an adverb
    ("stepped down" as ``advmod``), which counts when it directly follows the verb."""
    for c in t.children:
        if c.dep_ == "prt":
            return c.lower_
    for c in t.children:
        if c.dep_ in ("advmod", "prep") and c.lower_ in _PARTICLES and c.i == t.i + 1:
            return c.lower_  # "stepped down", "pulling out of Kosovo"
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
    if p == "NOUN" and any(c.dep_ in ("amod", "compound") and c.lower_ == "joint" for c in t.children) and \
            lem in lx.JOINT_WORKS:
        return lx.Cue("cooperate")  # "formed a joint venture", "launched a joint project"
        if lem in ("call",) and not any(c.lower_ in ("phone", "telephone", "video") for c in t.children):
            return None
    if t.dep_ in ("compound", "amod") and _pos(t.head) in ("NOUN", "PROPN") and _lem(t.head) not in _GENERIC_EVENT:
        return None  # "border patrol agents", "trade deal talks": the noun names, it does not happen
    if table is lx.NOUNS and lem == "alert" and not (
            t.head.lower_ == "on" or t.head.lower_ == "of" and _lem(t.head.head) == "state" and t.head.head.head.lower_ == "on"):
        return None  # "on (a state of) alert", not "an alert was issued"
    if table is lx.NOUNS and lem in ("defence", "defense") and not (
            t.head.lower_ in ("to", "in") and any(c.dep_ == "prep" and c.lower_ == "of" for c in t.children)):
        return None  # "rushed to the defence of North Korea", not "defence ministers"
    if table is lx.NOUNS and lem == "emergency" and not (t.head.lower_ == "of" and _lem(t.head.head) == "state"):
        return None  # "a state of emergency", not "emergency aid"
    if table is lx.NOUNS and lem == "shield" and not any(c.lower_ == "human" for c in t.children):
        return None
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
            if not ok:
                continue
        return cue
    return None


# --- roles ---------------------------------------------------------------------------------------


def _passive(t) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in t.children) or (t.dep_ == "acl" and t.tag_ == "VBN")


def _subject_token(t, hops: int = 0):
    for c in t.children:
        if c.dep_ in _SUBJ or (hops and c.dep_ == "nsubjpass"):  # "Turkey is expected to sign": raised subject
            if c.lower_ in _RELATIVE and t.dep_ == "relcl":
                return t.head
            return c
    if hops >= 3:
        return None
    if t.dep_ == "relcl":
        return t.head
    if t.dep_ in ("xcomp", "advcl", "conj", "ccomp") and _pos(t.head) in ("VERB", "AUX", "ADJ"):
        return _subject_token(t.head, hops + 1)
    if t.dep_ == "pcomp" and t.head.dep_ == "prep":
        return _subject_token(t.head.head, hops + 1)
    if t.dep_ == "acl" and t.tag_ != "VBN":
        return t.head  # "Trump's decision to impose duties": the decision's holder
    return None


def _agent(t, sent: _Sentence) -> list[Actor]:
    for c in t.children:
        if c.dep_ == "agent":
            return sent.pobj_actors(c)
    return []


def _verb_roles(t, cue: lx.Cue, sent: _Sentence) -> tuple[list[Actor], list[Actor]]:
    etype = cue.event_type
    targets: list[Actor] = []
    if _pos(t) == "ADJ" and t.dep_ == "acomp" and not cue.patient:
        subj = _subject_token(t.head)
        sources = sent.actors(subj) if subj is not None else []
        targets = [a for c in t.children if c.dep_ == "prep" for a in sent.pobj_actors(c, etype)]
        return sources, targets
    if _passive(t):
        sources = _agent(t, sent)
        for c in t.children:
            if c.dep_ == "nsubjpass":
                targets += sent.actors(c)
        if t.dep_ == "acl":
            targets += sent.actors(t.head)
        if not targets and not sources and etype == "mobilize" and any(
                _lem(_head_noun(c)) in _POLICE for c in t.children if c.dep_ == "nsubjpass"):
            # "Thousands of police were deployed in the Indonesian capital": a country's police
            targets = [Actor(a.code, a.name, "police", a.kind) for a in sent.located(t) if a.kind != "org"]
        if not sources and etype == "mobilize":
            # "Indian troops were deployed along the border with Pakistan": the forces act.
            sources, targets = targets, [a for c in t.children if c.dep_ == "prep" for p in c.children
                                         for cc in p.children if cc.dep_ == "prep" and cc.lower_ in ("with", "near")
                                         for a in sent.pobj_actors(cc)]
    else:
        subj = _subject_token(t)
        sources = sent.actors(subj) if subj is not None else []
        if subj is not None and not sources and subj.lower_ in _PRONOUNS:
            sources = _speaker(t, sent)
        if not sources and t.tag_ == "VBG" and not any(c.dep_ in _SUBJ for c in t.children):
            # "killed in artillery shelling by Cambodian forces": a gerund's agent
            sources = [a for c in t.children if c.dep_ == "prep" and c.lower_ == "by" for a in sent.pobj_actors(c)] or sources
        if subj is not None and not sources:
            sources = sent.between(subj) or (_theme_parties(subj, sent) if cue.objects is lx.TIES else [])
            if not sources and (_lem(_head_noun(subj)) in _CIVILIAN or _lem(_head_noun(subj)) in _CROWD):
                sources = [Actor(a.code, a.name, "civilian", a.kind) for a in sent.located(t) if a.kind != "org"]
        for c in t.children:
            if c.dep_ in ("dobj", "dative", "attr") and not (_lem(c) in lx.TIES and not sent.actors(c)):
                targets += [a for a in sent.actors(c) if a not in targets]
                if not targets and etype in ("assault", "coerce", "mobilize"):
                    for cc in c.children:  # "bombed targets in Cambodia"
                        if cc.dep_ == "prep" and cc.lower_ in ("in", "of"):
                            targets += sent.pobj_actors(cc)
            if c.dep_ == "dobj" and not sent.actors(c):
                # "imposed tariffs on Malaysian exports", "expelled diplomats from X"; what is
                # praised or condemned "in" a country is that country's ("the coup in Burundi")
                aimed = _TARGET_PREPS | _EXTRA_PREPS.get(etype, set()) | ({"in"} if etype in ("accuse", "support") else set())
                for cc in c.children:
                    if cc.dep_ == "prep" and cc.lower_ in aimed:
                        targets += [a for a in sent.pobj_actors(cc, etype) if a not in targets and a.kind != "org"]
    preps = _TARGET_PREPS | _EXTRA_PREPS.get(etype, set())
    for c in t.children:
        if (c.dep_ == "prep" and c.lower_ in preps) or (c.dep_ == "dative" and _pos(c) == "ADP"):
            targets += [a for a in sent.pobj_actors(c, etype) if a not in targets]
        elif c.dep_ == "prep" and c.lower_ in _AIMED.get(etype, ()):
            # "drills around Taiwan", "protested outside the US embassy": aimed at, not just located
            for p in c.children:
                if p.dep_ == "pobj" and (etype == "mobilize" or _lem(p) in ("embassy", "consulate", "mission")):
                    targets += [a for a in sent.actors(p) if a not in targets and a.kind != "org"]
        elif c.dep_ == "prep" and c.lower_ == "in" and any(_lem(p) in ("honour", "honor") for p in c.children):
            for p in c.children:
                for cc in p.children:
                    if cc.dep_ == "prep":
                        targets += sent.pobj_actors(cc)
        elif c.dep_ == "prt":
            for cc in c.children:
                if cc.dep_ == "prep" and cc.lower_ in preps:
                    targets += sent.pobj_actors(cc, etype)
    if not targets:
        for c in t.children:  # "marched in Ramallah to protest against Israeli settlements"
            if c.dep_ in ("advcl", "xcomp") and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
                targets += [a for cc in c.children if cc.dep_ == "prep" and cc.lower_ in preps
                            for a in sent.pobj_actors(cc, etype) if a not in sources]
    if not targets and etype == "mobilize":
        targets = _border_with(t, sent)  # "massed troops on its border with Turkey"
    if not targets and _lem(t) in _VISIT_VERBS:
        # "arrived in Damascus", "flew to Beijing": the country visited is the host
        targets = [a for c in t.children if c.dep_ == "prep" and c.lower_ in ("in", "to")
                   for a in sent.pobj_actors(c) if a.kind != "org" and a not in sources]
    if not targets and etype == "assault":
        # "bombed targets in Cambodia": where an attack falls is what it hits (countries only)
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ == "in":
                targets = [a for a in sent.pobj_actors(c) if a.kind == "country" and a not in sources]
                if targets:
                    break
    if cue.patient:
        # the patient is the verb's own subject, never one borrowed from a governing clause
        subj = next((c for c in t.children if c.dep_ in _SUBJ), None) if not _passive(t) else None
        patient = sent.actors(subj) if subj is not None else []
        sources = [a for c in t.children if c.dep_ == "prep" and c.lower_ in ("from", "by") for a in sent.pobj_actors(c)]
        targets = patient
    if not sources and not targets:
        both = sent.between(t)
        if both:
            sources = both
    elif not targets:
        targets = [a for a in sent.between(t) if a not in sources]  # "mediated between A and B"
    return sources, targets


_VISIT_VERBS = lx._set("arrive travel fly tour")
_POLICE = lx._set("police policeman policemen officer officers guard guards gendarme gendarmes")


def _border_with(t, sent: _Sentence) -> list[Actor]:
    """The neighbour of "the border with X" in a phrase of ``t``."""
    for c in t.children:
        if c.dep_ != "prep":
            continue
        for p in c.children:
            if p.dep_ == "pobj" and _lem(p) in ("border", "frontier", "boundary"):
                found = [a for cc in p.children if cc.dep_ == "prep" and cc.lower_ == "with" for a in sent.pobj_actors(cc)]
                if found:
                    return found
    return []


_PRONOUNS = {"he", "she", "it", "they", "we"}
_SPEECH = lx._set("say tell announce declare state add insist stress warn confirm claim note report reiterate assert")


def _speaker(t, sent: _Sentence) -> list[Actor]:
    """"Erdogan said he would visit", "Thailand said it would expel": a pronoun subject of
    reported speech is the speaker."""
    h = t
    for _ in range(3):
        if h.dep_ not in ("ccomp", "conj") or h.head is h:
            return []
        h = h.head
        if _lem(h) in _SPEECH:
            subj = _subject_token(h)
            return sent.actors(subj) if subj is not None else []
    return []


def _head_noun(t):
    """The noun a quantity or group word stands for: "Hundreds of protestors" -> protestors."""
    for _ in range(3):
        if _lem(t) not in _GROUP and _pos(t) != "NUM":
            return t
        nxt = next((p for c in t.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj"), None)
        if nxt is None:
            return t
        t = nxt
    return t


def _theme_parties(t, sent: _Sentence) -> list[Actor]:
    """Parties of a relation noun: "Malaysia-Turkey ties", "Relations between A and B"."""
    if _lem(t) not in lx.TIES:
        return []
    found = sent.between(t)
    if found:
        return found
    return [sent.inside[c.i] for c in t.subtree if c.i in sent.inside]


def _noun_roles(n, cue: lx.Cue, sent: _Sentence) -> tuple[list[Actor], list[Actor]]:
    sources: list[Actor] = []
    naming = ("poss",) if cue.event_type == "consult" else ("poss", "compound", "amod", "nmod")
    for c in n.children:
        if c.dep_ in naming and (c.i in sent.inside):
            sources += [a for a in sent.actors(c) if a not in sources]
        elif c.dep_ == "prep" and c.lower_ in ("by", "from"):
            sources += [a for a in sent.pobj_actors(c) if a not in sources]
        elif c.dep_ == "agent":
            sources += sent.pobj_actors(c)
    targets: list[Actor] = []
    agentive = _lem(n) in lx.AGENTIVE_OF or _hyphened(n) in lx.AGENTIVE_OF
    for c in n.children:
        if agentive and c.dep_ == "prep" and c.lower_ == "of" and not sources:
            sources = sent.pobj_actors(c)  # "the withdrawal of Vietnamese troops from Cambodia"
        elif c.dep_ == "prep" and (c.lower_ in _NOUN_TARGET_PREPS or c.lower_ in _AIMED.get(cue.event_type, ())
                                   or c.lower_ in _EXTRA_PREPS.get(cue.event_type, ())):
            targets += [a for a in sent.pobj_actors(c, cue.event_type) if a not in targets and a not in sources]
    if not sources:
        sources = sent.between(n)
        if not sources and n.dep_ == "pobj" and n.head.lower_ == "for" and _pos(n.head.head) == "VERB":
            # "arrived in Damascus for talks with Syrian officials": the traveller talks
            subj = _subject_token(n.head.head)
            sources = [a for a in (sent.actors(subj) if subj is not None else []) if a not in targets]
        if not sources and n.dep_ in _SUBJ and _lem(n.head) in _HAPPEN:
            sources = sent.between(n.head) or [a for c in n.head.children if c.dep_ == "prep"
                                                  for a in _between_in(c, sent)]
    return sources, targets


def _between_in(prep, sent: _Sentence) -> list[Actor]:
    for pobj in prep.children:
        found = sent.between(pobj)
        if found:
            return found
    return []


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
        if t.i in found and _lem(t) == "alert":
            verb = next((a for a in t.ancestors if _pos(a) in ("VERB", "AUX")), None)
            if verb is not None and verb.i not in found:
                noun = found.pop(t.i)
                found[verb.i] = _Trigger(verb, noun.cue, via=t, text=f"{verb.text} on alert")
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
        elif c.dep_ == "prep" and c.lower_ in ("of", "for", "to", "on"):
            out += [p for p in c.children if p.dep_ in ("pcomp", "pobj")]
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
                    targets = [a for cc in c.children if cc.dep_ in ("dobj", "dative", "nsubjpass") for a in sent.actors(cc)]
                    for cc in c.children:
                        if cc.dep_ == "prep" and cc.lower_ in _TARGET_PREPS:
                            targets += sent.pobj_actors(cc, etype)
                        elif cc.dep_ == "dobj":  # "agreed to resume cooperation with Myanmar"
                            targets += [a for p in cc.children if p.dep_ == "prep" and p.lower_ in _NOUN_TARGET_PREPS
                                        for a in sent.pobj_actors(p, etype) if a not in sources]
                    targets = targets or [a for a in sent.between(c) if a not in sources]
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
        if mentions:
            todo.append((index, sentence, mentions))
    return _Plan(on, todo, counts)


def _finish(plan: _Plan, docs: Sequence) -> list[Event]:
    events: list[Event] = []
    for (index, sentence, mentions), doc in zip(plan.todo, docs, strict=True):
        sent = _Sentence(doc, mentions, plan.on)
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
    counter = Counted(iter_sentences(text))
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
