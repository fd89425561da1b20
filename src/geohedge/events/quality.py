"""Scoring an event coder against hand-coded gold: the PLOVER gold sentences and a real-news set.

Two measures, both pure (records in, frozen results out):

- :func:`type_scores`: per-sentence event **type** against the PLOVER gold standard
  (322 sentences, ``../shared/data/plover``; its 2016 labels mapped by
  :data:`~geohedge.events.classify.LEGACY_TYPES`): accuracy, and precision, recall, F1
  per type; macro-F1 over the types present in the gold.
- :func:`dyad_scores`: per-article **(source, type, target)** triples against a hand-coded
  set (``tests/fixtures/news_devset``): strict precision (share of the coder's distinct
  triples that are in the gold) and recall (share of gold triples found).

======== =============================================================================
symbol   meaning
======== =============================================================================
TP_t     sentences of gold type t coded as t
P_t      TP_t / sentences coded as t;  R_t = TP_t / sentences of gold type t
F1_t     2 P_t R_t / (P_t + R_t)
======== =============================================================================
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from geohedge.events.results import PLOVER_TYPES

__all__ = ["DyadScores", "TypeScores", "dyad_scores", "gold_triples", "type_scores"]


@dataclass(frozen=True, eq=False)
class TypeScores:
    """Type accuracy on gold sentences: ``per_type`` has columns ``type, n, precision,
    recall, f1`` (one row per PLOVER type)."""

    n: int
    accuracy: float
    macro_f1: float
    per_type: pd.DataFrame


@dataclass(frozen=True, eq=False)
class DyadScores:
    """Strict (source, type, target) scores on hand-coded articles; ``errors`` lists the
    missed (``kind == "missed"``) and spurious (``"spurious"``) triples per article."""

    n_articles: int
    n_gold: int
    n_coded: int
    n_correct: int
    precision: float
    recall: float
    errors: pd.DataFrame


def type_scores(gold: Sequence[str], predicted: Sequence[str | None]) -> TypeScores:
    """Accuracy and per-type precision, recall and F1 of predicted types (``None``: no event)."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    rows = []
    for t in PLOVER_TYPES:
        tp = sum(g == t and p == t for g, p in zip(gold, predicted, strict=True))
        fp = sum(g != t and p == t for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == t and p != t for g, p in zip(gold, predicted, strict=True))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        rows.append({"type": t, "n": tp + fn, "precision": prec, "recall": rec, "f1": f1})
    frame = pd.DataFrame(rows)
    present = frame[frame["n"] > 0]
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold) if gold else 0.0
    return TypeScores(len(gold), accuracy, float(present["f1"].mean()) if len(present) else 0.0, frame)


def gold_triples(events: Iterable[Sequence[str | None]]) -> set[tuple[str, str, str | None]]:
    """``[[source, type, target], ...]`` as a set of triples."""
    return {(s, t, g) for s, t, g in events}


def dyad_scores(
    articles: Sequence[Mapping],
    coded: Callable[[Mapping], Iterable[tuple[str, str, str | None]]],
) -> DyadScores:
    """Strict precision and recall of ``coded(article)`` triples against ``article["events"]``.

    Parameters
    ----------
    articles
        Records with ``id`` and ``events`` (``[source, type, target]`` lists).
    coded
        The coder's (source, type, target) triples for one article.
    """
    n_gold = n_coded = n_correct = 0
    errors = []
    for art in articles:
        gold = gold_triples(art["events"])
        got = set(coded(art))
        n_gold += len(gold)
        n_coded += len(got)
        n_correct += len(gold & got)
        errors += [{"id": art["id"], "kind": "missed", "triple": g} for g in sorted(gold - got, key=str)]
        errors += [{"id": art["id"], "kind": "spurious", "triple": g} for g in sorted(got - gold, key=str)]
    return DyadScores(
        n_articles=len(articles), n_gold=n_gold, n_coded=n_coded, n_correct=n_correct,
        precision=n_correct / n_coded if n_coded else 0.0, recall=n_correct / n_gold if n_gold else 0.0,
        errors=pd.DataFrame(errors, columns=["id", "kind", "triple"]),
    )
