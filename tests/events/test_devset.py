"""Strict (source, type, target) scores on the hand-coded real-news set (tests/fixtures/news_devset)."""

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from geohedge.events import code_text
from geohedge.events.quality import dyad_scores

DEVSET = Path(__file__).resolve().parents[1] / "fixtures" / "news_devset" / "articles.json"
#: Measured values are in docs/events.md; floors a little below them so that regressions fail.
FLOORS = {"development": (0.92, 0.94), "held-out": (0.77, 0.69)}


def _half(article) -> str:
    return "development" if int(hashlib.sha256(article["id"].encode()).hexdigest(), 16) % 2 == 0 else "held-out"


def _coded(article):
    events = code_text(article["text"], on=dt.date.fromisoformat(article["date"])).events
    return {(e.source.code, e.event_type, e.target.code if e.target else None) for e in events}


def test_fixture_is_well_formed():
    articles = json.loads(DEVSET.read_text())
    assert len(articles) >= 30 and len({a["id"] for a in articles}) == len(articles)
    for a in articles:
        assert a["url"].startswith("http") and dt.date.fromisoformat(a["date"])
        assert len(a["text"]) < 1500, "excerpts only, never whole pages"
        assert all(len(e) == 3 for e in a["events"])
    assert {_half(a) for a in articles} == {"development", "held-out"}


@pytest.mark.parametrize("half", sorted(FLOORS))
def test_strict_precision_and_recall(half):
    articles = [a for a in json.loads(DEVSET.read_text()) if _half(a) == half]
    scores = dyad_scores(articles, _coded)
    precision, recall = FLOORS[half]
    assert scores.precision >= precision, scores.errors.to_string()
    assert scores.recall >= recall, scores.errors.to_string()
