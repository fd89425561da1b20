"""The keyword coder geohedge used before its dependency-parse coder: kept as the peer that
``bench_events.py`` runs side by side (it is not part of the library).

Code sentences into PLOVER events: who did what to whom, how cooperative or hostile.

Method: rules, in the tradition of the CAMEO/PETRARCH verb dictionaries, small enough to
read. For each sentence:

1. actors are found with :mod:`geohedge.events.actors` (countries, capitals, leaders with
   dated terms, institutions, organisations);
2. the sentence is cut into clauses (``;``, ", while", ", with", ...); in each clause the
   left-most *cue* (a verb or noun phrase from :data:`CUES`, one regular expression per
   PLOVER type) sets the event type. Framing verbs come first in a clause ("refused to
   meet", "threatened to attack", "demanded the release"), so the left-most cue is the
   governing one; a negation just before a cooperative cue turns it into ``reject``;
   "unless" turns the clause into ``threaten``;
3. the source is the first actor before the cue that is not the object of a preposition
   ("In Beijing, Chinese officials ..."), or, for passives and "pressure from X", the actor
   after "by"/"from"; the target is the first other actor after the cue; with no actor
   before the cue (a leading "By engaging with Turkey, Kuala Lumpur ..."), the first actor
   after the target is the source.
4. intensity is the Goldstein (1992) weight of the type's CAMEO root (some cues carry the
   weight of their CAMEO sub-code, e.g. sanctions -8, a formal agreement +8);
   confidence rises with a resolved source, a resolved target and a verb cue.

Every clause with a cue and a source actor yields one event; :func:`classify_sentence`
returns the first (the sentence's main event), :func:`code_sentences` all of them.

Quality is measured on the 322 PLOVER gold-standard sentences (``docs/events.md``,
``benchmarks/bench_events.py``). The cue lists were written from the CAMEO codebook's
verb phrases and tuned on a fixed half of the gold set only (``dev_split``); the other
half is the held-out measure.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from geohedge.events.actors import ActorDictionary, Mention, default_actors
from geohedge.events.classify import LEGACY_TYPES, dev_split, not_english
from geohedge.events.text import split_sentences
from geohedge.events.lexicon import INTENSITY
from geohedge.events.results import CodedText, Event

__all__ = ["CUES", "INTENSITY", "LEGACY_TYPES", "classify_sentence", "code_sentences", "code_text", "dev_split"]

_W = r"(?:\w+\s+){0,3}?"  # up to three words in between

#: Cue phrases per type: (regular expression, intensity override or None). Lower-cased
#: sentence text is searched; ``\b`` bounds are added around each expression.
CUES: Mapping[str, tuple[tuple[str, float | None], ...]] = {
    "reject": (
        (r"reject\w*|refus\w*|declin\w+ to|vetoe?d?|veto(?:es|ing)?|turn\w* down|rebuff\w*|rul\w+ out|spurn\w*", None),
        (r"dismiss\w*|defie?d?|defy\w*|boycott\w* (?:the )?(?:talks|elections?|meeting|summit|vote)", None),
        (r"(?:would|will|could) not (?:accept|agree|allow|yield|negotiate|give|release)|won't|no intention", None),
        (r"opposed|oppos(?:es|ing)|resist\w*|stood firm|insist\w* (?:it|that it|on keeping)|denied|deny\w*", None),
    ),
    "threaten": (
        (r"(?<!-)threat\w*|warn\w*|ultimatum|menac\w*|vow\w* (?:to )?(?:retaliat|respond|punish|strike|attack)", None),
        (r"(?:would|will) (?:retaliate|strike back|use force)|unless", None),
    ),
    "request": (
        (r"demand\w*|push\w* (?:hard )?for|call\w* (?:on|for|upon)|urg\w+|ask\w*|appeal(?:ed|s|ing)? (?:to|for)|request\w*|press\w* (?:for|to)|plead\w*", None),
        (r"insist\w*|implor\w*|petition\w*", None),
    ),
    "accuse": (
        (r"accus\w*|criticiz\w*|criticis\w*|condemn\w*|denounc\w*|blam\w*|censur\w*|rebuk\w*|deplor\w*", None),
        (r"slam\w*|lash\w* out|complain\w*|charg\w+ (?:that|him|her|them|it)|alleg\w*|su(?:e|es|ed|ing)|lawsuit|"
         r"found guilty|convict\w*|investigat\w*|probe\w*|inquiry|hearing into|inspect\w*|disapprov\w*", None),
        (r"protest\w* to|protest\w* (?:over|against) (?:the )?(?:government|embassy|ambassador)|summon\w* (?:the|its)? ?\w* ?ambassador", None),
    ),
    "sanction": (
        (r"sanction\w*|embargo\w*|impos\w+ (?:new |fresh |further |economic |financial |targeted |an? )*(?:sanctions|embargo\w*)|blacklist\w*", -8.0),
        (r"expel\w* (?:\w+ ){0,3}?(?:diplomats?|ambassadors?|envoys?|embassy|embassy staff)|recall\w* (?:its |their )?(?:ambassador|envoy)", -5.0),
        (r"sever\w*|suspen\w+ of|cancel\w* (?:\w+ ){0,2}?(?:visit|talks|meeting|trip|summit)|prohibit\w*|broke off|break\w* off|cut\w* (?:off )?(?:ties|relations|aid|assistance)|downgrad\w*", None),
        (r"suspend\w* (?:\w+ )?(?:talks|negotiations|relations|ties|aid|cooperation|membership|assistance)|"
         r"halt\w* (?:\w+ )?(?:talks|negotiations|mediation|aid|assistance|cooperation)|walk\w* out|pull\w* out of (?:the )?talks|"
         r"withdr\w+ from (?:the )?(?:talks|negotiations|treaty|agreement|pact)|reduc\w* (?:\w+ )?(?:aid|relations|supplies|assistance)", None),
    ),
    "protest": (
        (r"protest\w*|demonstrat\w*|rall(?:y|ies|ied)|march\w*|riot\w*|hunger strike|sit-in|picket\w*", None),
        (r"(?<!air )(?<!drone )(?<!missile )(?<!military )strikes?|staged|block\w* (?:the )?(?:\w+ )?(?:roads?|bridges?|highways?|border|entrance|passage|streets?)|blockaded|signatures|petition", None),
    ),
    "mobilize": (
        (r"mobiliz\w*|mobilis\w*|deploy\w*|test-fir\w*|test launch\w*|missile tests?|mass\w* (?:troops|forces|tanks)|troop build-?up|build-?up of (?:troops|forces)", None),
        (r"(?:on |high |full |maximum |combat )alert|(?<!border )patrol\w*|military (?:presence|exercises?|drills?|posturing)|war ?games|"
         r"reinforc\w*|sent (?:\w+ )?(?:troops|warships|forces|tanks)|prepar\w+ to (?:resume|launch|attack|invade|strike)|"
         r"mov\w+ (?:troops|tanks|forces)|show of force", None),
    ),
    "coerce": (
        (r"tariffs?|economic (?:pressure|coercion)|pressure|coerc\w*|blockade\w*|boycott\w*", None),
        (r"arrest\w*|detain\w*|prevent\w*|demolish\w*|bulldoz\w*|seiz\w*|confiscat\w*|deport\w*|jail\w*|imprison\w*|sentenc\w*|"
         r"round\w* up|crack\w* down|crackdown|raid\w*|ban(?:s|ned|ning)?|impos\w+|curfew|martial law|"
         r"state of emergency|human shields?|occup\w*|annex\w*|expel\w*|closed|shut down|hostages?|"
         r"restrict\w*|export controls?", None),
    ),
    "assault": (
        (r"attack\w*|kill\w*|bomb\w*|shell\w*|fire[ds]? (?:on|at)|opened fire|clash\w*|fought|fight\w*|"
         r"invade\w*|invasion|air ?strikes?|abus\w*|ramm\w*|water cannon\w*|violat\w* (?:the )?(?:ceasefire|cease-fire|truce)|struck|shot|shoot\w*|wound\w*|massacr\w*|assassinat\w*", None),
        (r"abduct\w*|kidnap\w*|hijack\w*|tortur\w*|explo\w+|offensive|ambush\w*|execut\w*|"
         r"missiles?|rockets?|gunfire|battle\w*|raped?|beat(?:en|ing)?|destroy\w*|overran|captur\w*|storm\w*", None),
    ),
    "concede": (
        (r"(?:eas|lift|cancel|relax|scrap)\w* (?:the |a |an |its )?(?:\w+ )?(?:restrictions?|bans?|curfew|state of emergency|martial law|rules|measures)", None),
        (r"call\w* off", None),
        (r"acced\w*|yield\w*|conced\w*|gave in|give in|relent\w*|back\w* down|compromis\w*|"
         r"legaliz\w*|reinstat\w*|resign\w*|step\w* down|stepped aside|allow\w* (?:\w+ )?(?:opposition|parties|party|elections?)|"
         r"agreed to (?:their|the)? ?demands|accept\w* (?:the )?(?:demands?|conditions|terms)", None),
    ),
    "retreat": (
        (r"releas\w*|fre(?:ed|es)|set free|return\w*|hand\w* back|withdr\w+|pull\w* (?:out|back)|"
         r"evacuat\w*|retreat\w*|surrender\w*|disarm\w*|demobili\w*", None),
        (r"ceasefire|cease-fire|truce|lift\w* (?:the )?(?:sanctions|embargo|blockade)|eas\w+ (?:the )?(?:sanctions|embargo|blockade)|"
         r"allow\w* (?:\w+ )?(?:inspectors|aid|access|monitors|observers|peacekeepers)|admit\w* (?:\w+ )?(?:inspectors|monitors)|"
         r"reopen\w*", 6.0),
    ),
    "aid": (
        (r"donat\w*|hand\w* over|aid|assistance|relief|humanitarian|grant\w*|loans?|provid\w+|deliver\w*|suppl(?:y|ies|ied|ying)|"
         r"sen[dt] (?:\w+ )?(?:food|medicine|supplies|aid|doctors|relief)|asylum|gave|give\w*|funding|rescu\w*", None),
    ),
    "cooperate": (
        (r"cooperat\w*|co-operat\w*|collaborat\w*|(?:strengthen|deepen|expand|boost|broaden|build)\w* "
         r"(?:\w+ ){0,3}?(?:ties|relations|cooperation|partnerships?|relationships?|links|engagement)|"
         r"(?:closer|deeper|stronger) ties|engag\w+ (?:more )?closely|(?:turn|look)\w* (?:toward|towards|to)\b", None),
        (r"joint (?:\w+ )?(?:exercises?|patrols?|ventures?|operations?|production|development|projects?)|"
         r"partnership|share[ds]? (?:intelligence|information|data)|extradit\w*|trade deal|"
         r"maintain\w* (?:\w+ )?ties|engag\w+|outreach|diversify\w* (?:\w+ ){0,2}?partnerships", None),
    ),
    "support": (
        (r"prais\w*|welcom\w*|commend\w*|endors\w*|back\w*|support\w*|hail\w*|apologi\w*|forgiv\w*|forgave|"
         r"recogni\w*|congratulat\w*|thank\w*|defend\w*|solidarity|rall\w+ behind", None),
        (r"sign\w* (?:\w+ ){0,3}?(?:agreement|accord|treaty|pact|deal|memorandum|protocol)|"
         r"establish\w* (?:\w+ )?(?:diplomatic )?(?:relations|ties)|restor\w* (?:\w+ )?(?:relations|ties)|"
         r"upgrad\w* (?:\w+ )?(?:ties|relations)|normaliz\w* (?:\w+ )?(?:ties|relations)", 8.0),
        (r"(?:honest|reliable|trusted|trustworthy|important|strategic|valued|key) partner|describ\w+ (?:\w+ ){0,2}?as (?:an? )?(?:honest|reliable|trusted|friend)", None),
    ),
    "consult": (
        (r"met|meet\w*|talks|discuss\w*|visit\w*|arriv\w+ in|host\w*|telephon\w*|phone call|spoke (?:with|to|by phone)|"
         r"negotiat\w*|mediat\w*|consult\w*|summit|confer\w*|convene\w*|held (?:\w+ )?talks|envoy|dialogue|"
         r"received (?:the )?(?:\w+ )?(?:minister|president|delegation|envoy)|undert\w+ (?:\w+ )?mission", None),
    ),
    "agree": (
        (r"agre\w*|pledg\w*|promis\w*|offer\w*|vow\w*|commit\w* (?:to|itself)|will (?:provide|send|give|help|support|cooperate)|"
         r"ready to|willing\w*|readiness|prepared to (?:help|negotiate|talk|meet|cooperate)|plan\w* to (?:meet|visit|sign)|"
         r"accept\w*|decid\w+ to|intends? to|expect\w* to sign|expressed (?:its )?(?:hope|desire|intent)", None),
    ),
}

#: Types whose cue does not imply a direction (both actors do it): "A and B agreed".
_SYMMETRIC = {"agree", "consult", "cooperate", "support", "sanction"}
#: Cues whose actor comes after "from"/"by": "pressure from the US".
_FROM = re.compile(r"\b(?:from|by)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,3}?$")
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|be|got|get)\s+(?:\w+ly\s+)?$")
_NEGATION = re.compile(r"\b(?:not|n't|never|no|without|refus\w*|fail\w* to)\s+(?:\w+\s+){0,2}$")
_PREPOSITION = re.compile(
    r"\b(?:in|on|at|from|of|to|with|against|for|into|by|across|over|toward|towards|near|inside|within|"
    r"throughout|as an?|like|among|beyond|outside|after|before|during|under)\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+)?"
    r"(?:[\w’'-]+\s+){0,1}?$",
    re.IGNORECASE,
)
#: "will allow", "would meet", "plans to visit": an intention (agree), or a threat for conflict.
_MODAL = re.compile(r"\b(?:will|would|shall|may|might|could|plans? to|planning to|is to|are to|vow\w* to|swor[en] to)\s+(?:\w+ly\s+)?(?:be\s+)?$")
_MUST = re.compile(r"\b(?:must|should|ought to)\s+(?:\w+ly\s+)?$")
_INTENDED_COOPERATION = {"retreat", "aid", "concede", "cooperate", "consult", "support"}
_INTENDED_CONFLICT = {"coerce", "assault", "sanction", "mobilize", "protest"}
_CLAUSE = re.compile(r";|:|,\s+(?=(?:while|whereas|but|with|and|as|although|though|after|before|which)\b)|\s+(?=while\b)")


@dataclass(frozen=True)
class _Cue:
    start: int
    end: int
    event_type: str
    text: str
    intensity: float


def _compile() -> list[tuple[str, re.Pattern[str], float | None]]:
    out = []
    for event_type, cues in CUES.items():
        for pattern, intensity in cues:
            out.append((event_type, re.compile(r"\b(?:" + pattern + r")\b"), intensity))
    return out


_COMPILED = _compile()
_ORDER = {t: i for i, t in enumerate(CUES)}


_TIME = re.compile(
    r"\s+(?:on\s+|last\s+|this\s+|late\s+|early\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"today|yesterday|tonight|(?:last|this|next) (?:week|month|year)|here)\b",
)


def _scan_text(clause: str, spans: Sequence[tuple[int, int]]) -> tuple[str, list[int]]:
    """The clause lower-cased for cue search, actor names blanked (``_``), time words
    ("on Wednesday", "today") dropped; with each kept character's original position."""
    low = list(clause.lower())
    for start, end in spans:
        low[start:end] = "_" * (end - start)
    text = "".join(low)
    keep = [True] * len(text)
    for m in _TIME.finditer(text):
        keep[m.start():m.end()] = [False] * (m.end() - m.start())
    index = [i for i, k in enumerate(keep) if k]
    return "".join(text[i] for i in index), index


def _cues(clause: str, spans: Sequence[tuple[int, int]] = ()) -> list[_Cue]:
    low, index = _scan_text(clause, spans)
    found: list[_Cue] = []
    for event_type, regex, override in _COMPILED:
        for m in regex.finditer(low):
            start, end = index[m.start()], index[m.end() - 1] + 1
            found.append(_Cue(start, end, event_type, clause[start:end],
                              override if override is not None else INTENSITY[event_type]))
    # Left-most wins; at one position the earlier type in CUES (frames before content).
    found.sort(key=lambda c: (c.start, _ORDER[c.event_type], -c.end))
    return found


def _left_source(mentions: Sequence[Mention], clause: str, cue: _Cue) -> Mention | None:
    before = [m for m in mentions if m.end <= cue.start]
    for m in before:
        if not _PREPOSITION.search(clause[:m.start]) or clause[:m.start].rstrip().lower().endswith("between"):
            return m
    return None


def _event_in_clause(
    clause: str, offset: int, sentence: str, mentions: Sequence[Mention], inherited: Mention | None
) -> tuple[_Cue, Mention | None, Mention | None] | None:
    local = [Mention(m.start - offset, m.end - offset, m.text, m.actor) for m in mentions
             if m.start >= offset and m.end <= offset + len(clause)]
    cues = _cues(clause, [(m.start, m.end) for m in local])
    if not cues:
        return None
    cue = cues[0]
    prefix = clause[:cue.start].lower()
    retype = None
    if any(c.event_type == "threaten" and c.text.lower() == "unless" for c in cues) and cue.event_type not in ("reject", "threaten"):
        retype = "threaten"
    elif _NEGATION.search(prefix) and INTENSITY[cue.event_type] > 0:
        retype = "reject"
    elif _MUST.search(prefix):
        retype = "request"
    elif _MODAL.search(prefix) and cue.event_type in _INTENDED_COOPERATION:
        retype = "agree"
    elif _MODAL.search(prefix) and cue.event_type in _INTENDED_CONFLICT:
        retype = "threaten"
    if retype is not None:
        cue = _Cue(cue.start, cue.end, retype, cue.text, INTENSITY[retype])
    after = [m for m in local if m.start >= cue.start]
    source: Mention | None
    target: Mention | None
    if after and not _participle(cue.text) and _FROM.search(clause[cue.end:after[0].start].lower() + " "):
        # "pressure from the US", "attacked by rebels": the actor after from/by acts.
        source = after[0]
        target = _left_source(local, clause, cue)
    elif _PASSIVE.search(prefix) and _participle(cue.text):
        by = re.search(r"\bby\b", clause[cue.end:])
        agent = [m for m in after if by and m.start >= cue.end + by.end()]
        source = agent[0] if agent else None
        target = _left_source(local, clause, cue)
        if source is None and cue.event_type == "mobilize" and target is not None:
            # "Indian troops were deployed along the border with Pakistan": the forces are the actor.
            source = target
            target = next((m for m in after if m.actor.code != source.actor.code), None)
        if source is None:
            return (cue, None, target)
    else:
        source = _left_source(local, clause, cue)
        if source is None and inherited is not None and not [m for m in local if m.end <= cue.start]:
            source = inherited
        target = next((m for m in after if source is None or m.actor.code != source.actor.code), None)
        if source is None and target is not None:
            later = [m for m in after if m.start > target.end and m.actor.code != target.actor.code]
            source = later[0] if later else None
        if target is None and source is not None and cue.event_type in _SYMMETRIC:
            # "Relations between Malaysia and Turkey deepened", "A and B agreed"
            partner = [m for m in local if m.start > source.end and m.end <= cue.start
                       and m.actor.code != source.actor.code]
            target = partner[0] if partner else None
    return (cue, source, target)


def _participle(cue: str) -> bool:
    word = cue.lower().split()[0]
    return word.endswith(("ed", "en", "wn")) or word in {"shot", "struck", "held", "hit", "met", "fought", "sent", "seized", "beat", "caught", "led"}


def _confidence(cue: _Cue, source: Mention | None, target: Mention | None) -> float:
    value = 0.4 + (0.3 if source is not None else 0.0) + (0.2 if target is not None else 0.0)
    # Bare nouns ("talks", "aid", "pressure") are weaker cues than verbs.
    if not re.search(r"(?:ed|es|s|ing)$", cue.text.lower()) or cue.text.lower() in ("talks", "tariffs", "sanctions"):
        value -= 0.1
    return round(min(value, 1.0), 2)


def code_sentences(
    sentences: Iterable[str],
    *,
    on: _dt.date | None = None,
    actors: ActorDictionary | None = None,
) -> list[Event]:
    """Every event in the sentences: one per clause with a cue and a source actor.

    Parameters
    ----------
    sentences
        Sentences (see :func:`split_sentences`).
    on
        Date of the text (for leaders' terms of office).
    actors
        Actor tables; default :func:`geohedge.events.actors.default_actors`.
    """
    actors = actors or default_actors()
    events: list[Event] = []
    for index, sentence in enumerate(sentences):
        mentions = actors.find(sentence, on)
        if not mentions:
            continue
        inherited: Mention | None = None
        pos = 0
        for part in [*_CLAUSE.split(sentence)]:
            offset = sentence.find(part, pos)
            pos = offset + len(part)
            coded = _event_in_clause(part, offset, sentence, mentions, inherited)
            if coded is None:
                continue
            cue, source, target = coded
            if source is None:
                continue
            inherited = source
            if target is not None and target.actor.code == source.actor.code and target.actor.sector == source.actor.sector:
                target = None
            local = [m for m in mentions if offset <= m.start and m.end <= offset + len(part)]
            sources = _coordinated(source, local, sentence, offset)
            targets = _coordinated(target, local, sentence, offset) if target is not None else [None]
            if target is not None and cue.event_type in _SYMMETRIC and any(s.start == target.start + offset for s in sources):
                # "Hungarian and Romanian officials agreed": each acts toward the other.
                targets = list(sources)
            done: set[tuple[str, str | None]] = set()
            for src in sources:
                for tgt in targets:
                    key = (src.actor.code, tgt.actor.code if tgt else None)
                    if key in done or (tgt is not None and tgt.actor.code == src.actor.code):
                        continue
                    done.add(key)
                    events.append(Event(
                        event_type=cue.event_type,
                        source=src.actor,
                        target=tgt.actor if tgt else None,
                        intensity=cue.intensity,
                        confidence=_confidence(cue, src, tgt),
                        sentence=sentence,
                        sentence_index=index,
                        trigger=cue.text,
                        date=on,
                    ))
    return events


_AND = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)(?:the\s+)?\Z")


def _coordinated(first: Mention, local: Sequence[Mention], sentence: str, offset: int) -> list[Mention]:
    """The mention and those joined to it by "and"/"," ("engaging Russia, China and Iran"),
    matched by position (``first`` has clause-local positions, ``local`` sentence ones)."""
    start = first.start + offset
    chain = [m for m in local if m.start == start] or [Mention(start, first.end + offset, first.text, first.actor)]
    for m in sorted(local, key=lambda m: m.start):
        if m.start <= chain[-1].start:
            continue
        if _AND.match(sentence[chain[-1].end:m.start]):
            chain.append(m)
        else:
            break
    chain[0] = Mention(chain[0].start, chain[0].end, chain[0].text, first.actor)
    return chain


def classify_sentence(
    sentence: str, *, on: _dt.date | None = None, actors: ActorDictionary | None = None
) -> tuple[str | None, Event | None]:
    """The main event type of one sentence, and its event when a source actor was found.

    Returns ``(type, event)``: ``type`` is the PLOVER type of the first clause with a cue
    (``None`` when there is no cue); ``event`` is ``None`` when no source actor was found.
    """
    actors = actors or default_actors()
    mentions = actors.find(sentence, on)
    pos = 0
    for part in _CLAUSE.split(sentence):
        offset = sentence.find(part, pos)
        pos = offset + len(part)
        coded = _event_in_clause(part, offset, sentence, mentions, None)
        if coded is None:
            continue
        cue, source, target = coded
        if source is None:
            return cue.event_type, None
        event = Event(cue.event_type, source.actor, target.actor if target else None, cue.intensity,
                      _confidence(cue, source, target), sentence, 0, cue.text, on)
        return cue.event_type, event
    return None, None


def code_text(text: str, *, on: _dt.date | None = None, actors: ActorDictionary | None = None) -> CodedText:
    """Code a whole text with the keyword rules (English check as the library's)."""
    skipped = not_english(text)
    if skipped is not None:
        return skipped
    sentences = split_sentences(text)
    return CodedText(tuple(code_sentences(sentences, on=on, actors=actors)), len(sentences), "en",
                     method="keyword rules (previous geohedge coder)")
