"""Pronouns and definite descriptions resolved to actors named earlier in the same article.

A small rule-based resolver in the spirit of Hobbs (1978) and the salience lists of Lappin
and Leass (1994), kept to the cases that decide who did what in news prose:

======================= ========================================== ===========================
referring expression    resolves to                                example
======================= ========================================== ===========================
"he", "she"             the latest actor named as a person (a      "Turkish Foreign Minister
                        leader, a minister, an official)           Hakan Fidan ... He noted"
"it"                    the latest state, capital or organisation  "China ... It accused"
"they"                  the latest actors named in the plural      "ASEAN leaders ... They
                        ("officials", "protesters", "A and B")     called for"
"the ministry",         the latest state (its government)          "Vietnam ... The ministry
"the government", ...                                              said"
"the minister",         the latest person-like actor               "... The president urged"
"the president", ...
======================= ========================================== ===========================

"Both nations", "the two leaders", "each other" are not resolved: the real-news gold codes
no event whose actors are named that way (its README), and a reciprocal needs both
directions' evidence.

Only **subjects** are resolved (the subject decides the source, the role that makes an event
codable); an object pronoun stays unresolved. The antecedent is searched in the sentence so
far, then in the previous sentences, latest first, at most :data:`WINDOW` sentences back;
within a sentence a subject outranks other mentions. A pronoun that reports speech ("Thailand
said it would expel ...") is left to the speaker rule of :mod:`geohedge.events.roles`; a
pronoun with no compatible antecedent stays unresolved (no actor is invented).

Notation
--------
=========== ==============================================================
symbol      meaning
=========== ==============================================================
entry       one actor phrase of a sentence: actors, person?, plural?, subject?
WINDOW      sentences searched back from the pronoun's own
=========== ==============================================================
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from geohedge.events import lexicon as lx
from geohedge.events.actors import Actor
from geohedge.events.roles import _ROLE_WORDS, _SUBJ, _lem, _pos, _Sentence

__all__ = ["WINDOW", "Memory", "refers", "resolve"]

#: How many earlier sentences an antecedent is searched in.
WINDOW = 3

_PERSONAL = {"he", "she"}
_STATES = lx._set("ministry government country kingdom republic nation state authorities administration regime "
                  "cabinet")
_PEOPLE = lx._set("minister president premier leader king queen chancellor emir sultan prince secretary "
                  "spokesman spokeswoman spokesperson")
_TITLE_WORDS = lx._set("foreign prime defence defense trade interior finance")
_SPEECH = lx._set("say tell announce declare state add insist stress warn confirm claim note report reiterate assert")

#: Whether a sentence may hold a referring expression worth parsing without a named actor.
_REFERS = re.compile(
    r"\b(?:[Hh]e|[Ss]he|[Ii]t|[Tt]hey|[Tt]he (?:(?:foreign |defence |defense |prime |trade )?(?:"
    + "|".join(sorted(_STATES | _PEOPLE)) + r")))\b"
)


def refers(sentence: str) -> bool:
    """Whether ``sentence`` has a pronoun or definite description the resolver may resolve."""
    return _REFERS.search(sentence) is not None


@dataclass(frozen=True)
class _Entry:
    at: int  # the phrase's head token
    actors: tuple[Actor, ...]
    person: bool
    plural: bool
    subject: bool


@dataclass
class Memory:
    """Actor phrases of the sentences read so far in one article, latest last."""

    sentences: list[list[_Entry]] = field(default_factory=list)

    def remember(self, sent: _Sentence) -> None:
        """Add a resolved sentence's actor phrases (call after :func:`resolve`)."""
        self.sentences.append(_entries(sent))
        del self.sentences[:-WINDOW]


def _phrase_head(t):
    """The noun a mention sits in: "Turkish" in "Turkish Foreign Minister Hakan Fidan" -> "Fidan"."""
    for _ in range(4):
        if t.dep_ in ("amod", "compound", "poss", "nmod") and t.head is not t:
            t = t.head
        else:
            break
    return t


def _entries(sent: _Sentence) -> list[_Entry]:
    out: list[_Entry] = []
    seen: set[int] = set()
    for i in sorted(set(sent.actor_at) | set(sent.refs)):
        head = _phrase_head(sent.doc[i])
        if head.i in seen:
            continue
        seen.add(head.i)
        actors = tuple(sent.actors(head)) or tuple(sent.refs.get(i, ())) or (sent.actor_at[i],)
        words = {_lem(head)} | {_lem(c) for c in head.children if c.dep_ in ("compound", "amod")}
        person = any(a.kind == "person" for a in actors) or bool(words & (_ROLE_WORDS | _PEOPLE)) or (
            _pos(head) == "PROPN" and head.i not in sent.actor_at and head.i not in sent.inside)
        plural = len({a.code for a in actors}) > 1 or head.tag_ in ("NNS", "NNPS") or any(
            c.dep_ == "conj" for c in head.children)
        subject = head.dep_ in ("nsubj", "nsubjpass")
        out.append(_Entry(head.i, actors, person and not plural, plural, subject))
    return out


def _reported(t, sent: _Sentence) -> bool:
    """A pronoun subject of speech reported by a named actor of the same sentence."""
    h = t.head
    for _ in range(3):
        if h.dep_ not in ("ccomp", "conj") or h.head is h:
            return False
        h = h.head
        if _lem(h) in _SPEECH:
            subj = next((c for c in h.children if c.dep_ in _SUBJ), None)
            return subj is not None and bool(sent.actors(subj))
    return False


def _kind(t) -> str | None:
    """What a subject token asks for: person, thing, plural, state; None if it names."""
    low = t.lower_
    if _pos(t) == "PRON":
        return {"he": "person", "she": "person", "it": "thing", "they": "plural"}.get(low)
    if _pos(t) != "NOUN" or not any(c.dep_ == "det" and c.lower_ == "the" for c in t.children):
        return None
    lem = _lem(t)
    if any(c.dep_ in ("amod", "compound", "poss") and c.lower_ not in _TITLE_WORDS for c in t.children):
        return None  # "the Malaysian government", "its ministry" name their own actor
    if lem in _STATES:
        return "state"
    if lem in _PEOPLE:
        return "person"
    return None


def _pick(kind: str, candidates: Sequence[list[_Entry]]) -> tuple[Actor, ...]:
    for entries in candidates:
        ordered = sorted(entries, key=lambda e: not e.subject)
        for e in ordered:
            if kind == "person" and e.person:
                return e.actors[:1]
            if kind == "plural" and e.plural:
                return e.actors
            if kind == "thing" and not e.person and not e.plural:
                return e.actors[:1]
            if kind == "state" and not e.plural:
                states = [Actor(a.code, a.name, "government", "country") for a in e.actors if a.kind != "org"]
                if states:
                    return (states[0],)
    return ()


def resolve(sent: _Sentence, memory: Memory) -> None:
    """Resolve the subjects of ``sent`` that refer back (see the module table) into
    ``sent.refs``, from ``memory`` and the sentence's own earlier actor phrases."""
    own = _entries(sent)
    for t in sent.doc:
        if t.dep_ not in ("nsubj", "nsubjpass") or t.i in sent.actor_at or t.i in sent.inside:
            continue
        kind = _kind(t)
        if kind is None or (_pos(t) == "PRON" and _reported(t, sent)):
            continue
        earlier = [e for e in own if e.at < t.i]
        found = _pick(kind, [earlier, *reversed(memory.sentences)])
        if found:
            sent.refs[t.i] = list(found)
