"""Who did it, and to whom: actors of a parsed sentence and the roles around an event word.

Part of the event coder (:mod:`geohedge.events.classify`). A :class:`_Sentence` ties the
actor mentions found by :mod:`geohedge.events.actors` to the tokens of spaCy's parse and
resolves the phrase a token heads to actors ("the government of Malaysia", "Hulusi Akar,
Turkey's defence minister", "police in the Kenyan capital", "negotiators from Georgia",
"Hundreds of Malaysian protestors"); an unknown proper name stays unknown.
:func:`_verb_roles` and :func:`_noun_roles` read source and target off the dependencies
of a verb or a noun trigger (see :mod:`geohedge.events.classify` for the rules);
:func:`_subject_token` follows raised and controlled subjects ("Turkey is expected to
sign", "agreed to cooperate"). A pronoun subject is resolved by :mod:`geohedge.events.coref`
before these rules run, or, for reported speech, to the speaker (:func:`_speaker`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

from geohedge.events import lexicon as lx
from geohedge.events.actors import _SECTOR_WORDS, Actor, Mention
from geohedge.events.pipeline import lemma, pos

_SUBJ = ("nsubj", "csubj")
_TARGET_PREPS = {"to", "against", "on", "with", "toward", "towards", "upon", "into"}
_EXTRA_PREPS = {"assault": {"at"}, "threaten": {"at"}, "accuse": {"at", "over"}, "coerce": {"at"}, "concede": {"for"},
                "support": {"for", "behind"}, "retreat": {"from"}, "sanction": {"from"}, "request": {"from"}, "aid": {"for"},
                "reject": {"from", "by"}}
_NOUN_TARGET_PREPS = _TARGET_PREPS | {"of", "for", "at"}
_AIMED = {"mobilize": ("around", "near", "off", "toward", "towards"), "protest": ("outside", "at", "near", "in"),
          "assault": ("outside", "near", "at")}
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
#: Offices that belong to the country they sit "in" (not troops: "troops in Afghanistan"
#: are as often foreign as not).
_IN_ORGANS = lx._set("police government authorities authority court courts parliament officials official ministry regime "
                     "junta administration leadership prosecutor prosecutors judge judges")
#: People sent by a country: "negotiators from Georgia", "peacekeepers from Ghana".
_FROM_GROUPS = lx._set("negotiator negotiators delegation delegations delegate delegates official officials "
                       "representative representatives envoy envoys diplomat diplomats minister ministers leader "
                       "leaders troops soldiers peacekeepers forces observers monitors experts team teams")
_CROWD = lx._set("hundred thousand dozen million crowd")
_HAPPEN = lx._set("break erupt begin continue resume occur happen take flare escalate intensify start")
_RELATIVE = {"that", "which", "who", "whom"}


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
        self.refs: dict[int, list[Actor]] = {}  # pronouns resolved by geohedge.events.coref
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
        if t.i in self.refs:
            return list(self.refs[t.i])
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
        if lem in _GROUP or lem in _ROLE_WORDS or lem in _ORG_WORDS or lem in _FROM_GROUPS or lem in _IN_ORGANS:
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
                if not found and event_type in ("assault", "coerce", "mobilize", "aid", "sanction", "concede"):
                    # "air strikes on targets in Lebanon", "supplies to flood victims in Bangladesh",
                    # "tariffs on imports from Malaysia"
                    for c in pobj.children:
                        if c.dep_ == "prep" and c.lower_ in ("in", "of", "by", "from"):
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



def _hyphened(t) -> str | None:
    """"build-up" split by the tokenizer into "build - up": the joined word."""
    if t.i >= 2 and t.nbor(-1).text == "-" and t.nbor(-2).is_alpha:
        return f"{t.nbor(-2).lower_}-{t.lower_}"
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
        if subj is not None and not sources and subj.lower_ in _PRONOUNS:
            sources = _speaker(t.head, sent)  # "Kristersson said he was ready to meet ..."
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
        if not sources and etype in ("mobilize", "aid"):
            # "Indian troops were deployed along the border with Pakistan", "Fijian peacekeepers
            # were deployed to southern Lebanon": the forces act.
            sources, targets = targets, [a for c in t.children if c.dep_ == "prep" for p in c.children
                                         for cc in p.children if cc.dep_ == "prep" and cc.lower_ in ("with", "near")
                                         for a in sent.pobj_actors(cc)]
            targets = targets or [a for c in t.children if c.dep_ == "prep" and c.lower_ == "to"
                                  for a in sent.pobj_actors(c) if a not in sources]
        if not sources and _lem(t) in ("expel", "deport", "evict"):
            # "Two Russian diplomats were expelled from Norway": the country they leave acts
            sources = [a for c in t.children if c.dep_ == "prep" and c.lower_ == "from" for a in sent.pobj_actors(c)]
    else:
        subj = _subject_token(t)
        sources = sent.actors(subj) if subj is not None else _stranded_subject(t, sent)
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
                # "condemned the attack by Russia": what is judged is its doer's
                aimed = _TARGET_PREPS | _EXTRA_PREPS.get(etype, set()) | ({"in", "by"} if etype in ("accuse", "support") else set())
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
    if not targets and etype == "aid":
        targets = [a for c in t.children if c.dep_ == "dobj" for a in amount_recipients(c, sent) if a not in sources]
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
        if not targets and etype == "consult":  # "brokered a ceasefire between A and B"
            targets = [a for c in t.children if c.dep_ == "dobj" for a in sent.between(c) if a not in sources]
    return sources, targets


def _stranded_subject(t, sent: _Sentence) -> list[Actor]:
    """A subject list the parser attached to the place phrase before the verb: in "In the
    deal signed in the capital of Minsk, Ukraine, Russia and the separatists agreed to ...",
    "Ukraine", "Russia" and "the separatists" come out as conjuncts of "Minsk". The
    conjuncts of a phrase that opens the clause and runs up to the subjectless verb are its
    subject."""
    if t.dep_ not in ("ROOT", "conj", "ccomp") or any(c.dep_ in _SUBJ or c.dep_ == "nsubjpass" for c in t.children):
        return []
    for c in t.children:
        if c.dep_ == "prep" and c.i < t.i and c.right_edge.i == t.i - 1:
            conjs = [x for x in c.subtree if x.dep_ == "conj" and _pos(x) in ("NOUN", "PROPN")
                     and _pos(x.head) in ("NOUN", "PROPN") and x.head.dep_ in ("pobj", "conj")]
            return [a for x in conjs for a in sent._here(x, 0)]
    return []


def amount_recipients(obj, sent: _Sentence) -> list[Actor]:
    """The recipient the small model folds into an amount: in "agreed to loan Kenya Ksh40
    billion" or "gave Poland 500 million marks" the country comes out as a compound of the
    amount, not as the verb's dative. Only a country or organisation word directly before
    the figure counts ("US$5 billion" names a currency, not a recipient)."""
    if not (_pos(obj) == "NUM" or _lem(obj) in lx.CURRENCY):
        return []
    out: list[Actor] = []
    for c in obj.children:
        if c.dep_ == "compound" and c.i < obj.i and c.i + 1 < len(sent.doc) and not sent.doc[c.i + 1].text.startswith("$") \
                and not c.text.endswith("$"):
            out += [a for a in sent.actors(c) if a not in out]
    return out


_VISIT_VERBS = lx._set("arrive travel fly tour")
_RATE = lx._set("cent percent per-cent rate point points")
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
    agentive = _lem(n) in lx.AGENTIVE_OF or _hyphened(n) in lx.AGENTIVE_OF
    for c in n.children:
        if c.dep_ in naming and (c.i in sent.inside or c.dep_ == "poss"):  # "the Turkish president's visit"
            sources += [a for a in sent.actors(c) if a not in sources]
        elif c.dep_ == "prep" and (c.lower_ == "by" or c.lower_ == "from" and not agentive and cue.event_type != "retreat"):
            sources += [a for a in sent.pobj_actors(c) if a not in sources]
        elif c.dep_ == "agent":
            sources += sent.pobj_actors(c)
    targets: list[Actor] = []
    # "tariffs of 25 per cent on Mexico's exports": the rate's attachments are the noun's
    rates = [cc for c in n.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children
             if p.dep_ == "pobj" and _lem(p) in _RATE for cc in p.children if cc.dep_ == "prep"]
    for c in [*n.children, *rates]:
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
            if not sources and cue.event_type == "protest":  # "rioting broke out in the Kenyan capital"
                sources = [Actor(a.code, a.name, "civilian", a.kind) for a in sent.located(n.head) if a.kind != "org"]
    return sources, targets


def _between_in(prep, sent: _Sentence) -> list[Actor]:
    for pobj in prep.children:
        found = sent.between(pobj)
        if found:
            return found
    return []

