"""Result objects of the events package: frozen, with ``to_frame()``, a summary and provenance."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

import pandas as pd

from geohedge.events.actors import Actor

__all__ = [
    "CONFLICT",
    "COOPERATION",
    "EVENT_COLUMNS",
    "MODES",
    "PLOVER_TYPES",
    "UNREALISED_MODES",
    "CodedText",
    "Event",
    "RelationsIndex",
]

#: What the text says of an event's reality (PLOVER records such modality with the event
#: rather than coding the plain act): ``""`` asserted; ``intended`` (will, plans to,
#: vowed to: coded as AGREE for cooperation, THREATEN for force or coercion, as PLOVER and
#: CAMEO do); ``expected`` (is expected to, is set to, may, could); ``negated`` (did not,
#: never, failed to); ``denied`` (X denied doing it).
MODES = ("", "intended", "expected", "negated", "denied")

#: The 16 PLOVER event types (PLOVER manual draft 0.8, 2021), lower case, in the
#: manual's order from cooperation to conflict.
PLOVER_TYPES = (
    "agree", "consult", "support", "concede", "cooperate", "aid", "retreat",
    "request", "accuse", "reject", "threaten", "protest", "sanction", "mobilize", "coerce", "assault",
)
#: Types on the cooperation side (positive intensity) and the conflict side (negative).
COOPERATION = PLOVER_TYPES[:7]
CONFLICT = PLOVER_TYPES[7:]

#: Columns of :meth:`CodedText.to_frame` (and of the store's ``events`` table, less
#: ``dataset``/``doc_id``/``event_id``/``url``).
EVENT_COLUMNS = (
    "date", "sentence_index", "event_type", "mode", "background", "repeats", "trigger", "source_code", "source_name",
    "source_sector", "target_code", "target_name", "target_sector", "intensity", "confidence", "sentence",
)

#: Modes of events that did not (or not yet) take place as stated; listed, but left out of
#: the relations index (see :mod:`geohedge.events.relations`).
UNREALISED_MODES = ("negated", "denied", "expected")


@dataclass(frozen=True)
class Event:
    """One coded event: who did what to whom, in which sentence.

    Attributes
    ----------
    event_type
        One of :data:`PLOVER_TYPES`.
    source, target
        The actors; ``target`` is ``None`` when the sentence names none.
    intensity
        Cooperation (+10) to conflict (-10), Goldstein (1992) scale.
    confidence
        0 to 1: how much of the event the coder found (a verb cue, both actors).
    sentence, sentence_index
        The sentence and its position in the text (0-based).
    trigger
        The words that cued the event type.
    date
        When the event happened: the article's date, or the date a time expression in the
        sentence gives ("on Wednesday", "last month", "in 2014"), when known.
    mode
        One of :data:`MODES`.
    background
        The sentence places the event in an earlier year or over a year before the article
        ("signed in 2014", "since 1964"); kept, but left out of the relations index.
    repeats
        How many times the same event (same sentence text) occurs in its article.
    """

    event_type: str
    source: Actor
    target: Actor | None
    intensity: float
    confidence: float
    sentence: str
    sentence_index: int = 0
    trigger: str = ""
    date: _dt.date | None = None
    mode: str = ""
    background: bool = False
    repeats: int = 1

    def row(self) -> dict[str, object]:
        """The event as one row of :data:`EVENT_COLUMNS`."""
        t = self.target
        return {
            "date": self.date, "sentence_index": self.sentence_index, "event_type": self.event_type,
            "mode": self.mode, "background": self.background, "repeats": self.repeats, "trigger": self.trigger, "source_code": self.source.code, "source_name": self.source.name,
            "source_sector": self.source.sector, "target_code": t.code if t else None,
            "target_name": t.name if t else None, "target_sector": t.sector if t else None,
            "intensity": self.intensity, "confidence": self.confidence, "sentence": self.sentence,
        }


@dataclass(frozen=True, eq=False)
class CodedText:
    """The events coded from one text (see :func:`geohedge.events.code_text`).

    ``skipped`` is ``None`` for a coded text, else why it was not coded (e.g. not English).
    """

    events: tuple[Event, ...]
    n_sentences: int
    language: str
    skipped: str | None = None
    method: str = "geohedge dependency rules (spaCy en_core_web_sm 3.8.0)"

    def to_frame(self) -> pd.DataFrame:
        """One row per event, columns :data:`EVENT_COLUMNS`."""
        return pd.DataFrame([e.row() for e in self.events], columns=list(EVENT_COLUMNS))

    def summary(self) -> str:
        if self.skipped:
            return f"not coded: {self.skipped}"
        kinds = pd.Series([e.event_type for e in self.events]).value_counts()
        listed = ", ".join(f"{k} {v}" for k, v in kinds.items()) or "none"
        return f"{len(self.events)} events in {self.n_sentences} sentences ({listed})"


@dataclass(frozen=True, eq=False)
class RelationsIndex:
    """A monthly cooperation–conflict index for one pair of countries.

    Attributes
    ----------
    a, b
        The pair (ISO3 or organisation codes), in the order asked.
    frame
        One row per month with events: ``month`` (first day), ``n_events``,
        ``n_cooperation``, ``n_conflict``, ``cooperation_intensity`` (sum of positive
        intensities), ``conflict_intensity`` (sum of negative intensities, <= 0),
        ``net_intensity`` (their sum), ``mean_intensity`` (net / n_events, -10..+10),
        ``balance`` ((n_cooperation - n_conflict) / n_events, -1..+1), ``n_a_to_b``,
        ``n_b_to_a``.
    events
        The events behind the points (columns of the store's ``events`` table plus
        ``month``); :meth:`events_for` selects one month's.
    directed
        Whether only events from ``a`` to ``b`` count.
    source
        Where the events came from (datasets), for captions.
    """

    a: str
    b: str
    frame: pd.DataFrame
    events: pd.DataFrame
    directed: bool = False
    source: str = "news articles coded by geohedge; GDELT 2.0 event files"
    unit: str = "events per month; intensity on the Goldstein scale (-10 conflict .. +10 cooperation)"
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_frame(self) -> pd.DataFrame:
        """The monthly index (a copy of :attr:`frame`)."""
        return self.frame.copy()

    def events_for(self, month: str | _dt.date) -> pd.DataFrame:
        """The events behind one month's point (``"2025-06"`` or any date in the month)."""
        if isinstance(month, str):
            month = _dt.date.fromisoformat(month + "-01" if len(month) == 7 else month)
        start = month.replace(day=1)
        return self.events[self.events["month"] == pd.Timestamp(start)].reset_index(drop=True)

    def summary(self) -> str:
        if self.frame.empty:
            return f"{self.a}–{self.b}: no events"
        n = int(self.frame["n_events"].sum())
        coop = int(self.frame["n_cooperation"].sum())
        conf = int(self.frame["n_conflict"].sum())
        mean = float(self.frame["net_intensity"].sum()) / n
        first = self.frame["month"].min().strftime("%Y-%m")
        last = self.frame["month"].max().strftime("%Y-%m")
        return (
            f"{self.a}–{self.b}: {n} events {first}..{last} ({coop} cooperation, {conf} conflict), "
            f"mean intensity {mean:+.1f} on -10..+10 [{self.source}]"
        )
