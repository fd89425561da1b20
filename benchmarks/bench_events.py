"""Benchmark: event coding quality and speed, GDELT bulk load, against peers in the same run.

Targets (issue 7, 2-core machine): >= 20 articles/s of 800 words; GDELT event files at
>= 100,000 rows/s into the store; per-type precision/recall/F1 on the PLOVER gold set.

- Quality: the 322 hand-coded PLOVER gold sentences (../shared/data/plover, CC BY-SA 4.0).
  The cue lists were tuned on the development half (``dev_split``); the held-out half is
  the honest measure. Peer: a naive keyword baseline (one or two obvious verbs per PLOVER
  type, left-most match), run on the same sentences; ratios printed.
- Speed: synthetic 800-word articles built from the seed article's sentences (each made
  unique), coded in memory and ingested end-to-end from a folder into a temporary store.
- GDELT: the hand-made 61-column fixture replicated to --rows rows with unique ids, loaded
  through DuckDB into a temporary store. Peer: pandas.read_csv of the same file (parsing
  only, no mapping or store writes).

Usage: python benchmarks/bench_events.py [--articles 100] [--rows 300000]
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
from pathlib import Path

import pandas as pd

from geohedge.data.sources.gdelt import load_gdelt
from geohedge.data.sources.news import ingest_news
from geohedge.data.store import Store
from geohedge.events.classify import (
    LEGACY_TYPES,
    classify_sentence,
    code_text,
    dev_split,
    split_sentences,
)
from geohedge.events.results import PLOVER_TYPES

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURE = ROOT / "tests" / "events" / "fixtures" / "20250720000000.export.CSV"

#: The peer: what a first attempt with the type names' obvious verbs looks like.
BASELINE = {
    "agree": r"agree", "consult": r"consult|met|meet", "support": r"support|prais", "concede": r"concede|yield",
    "cooperate": r"cooperat", "aid": r"\baid\b", "retreat": r"retreat|withdr|releas", "request": r"demand|request",
    "accuse": r"accus|criticiz|condemn", "reject": r"reject|refus", "threaten": r"threat", "protest": r"protest",
    "sanction": r"sanction", "mobilize": r"mobiliz|deploy", "coerce": r"arrest|seiz|coerc", "assault": r"attack|kill|fight",
}
_BASELINE_RE = [(t, re.compile(p)) for t, p in BASELINE.items()]


def baseline(sentence: str) -> str | None:
    low = sentence.lower()
    hits = [(m.start(), t) for t, rx in _BASELINE_RE for m in [rx.search(low)] if m]
    return min(hits)[1] if hits else None


def scores(records, classify) -> tuple[pd.DataFrame, float, float]:
    gold = [LEGACY_TYPES.get(r["event"], r["event"].lower()) for r in records]
    pred = [classify(r["text"]) for r in records]
    rows = []
    for t in PLOVER_TYPES:
        tp = sum(g == t and p == t for g, p in zip(gold, pred, strict=True))
        fp = sum(g != t and p == t for g, p in zip(gold, pred, strict=True))
        fn = sum(g == t and p != t for g, p in zip(gold, pred, strict=True))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        rows.append({"type": t, "n": tp + fn, "precision": prec, "recall": rec, "f1": f1})
    frame = pd.DataFrame(rows)
    present = frame[frame["n"] > 0]
    accuracy = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(records)
    return frame, accuracy, float(present["f1"].mean())


def quality() -> None:
    path = SHARED / "data" / "plover" / "PLOVER_GSR_CAMEO.txt"
    if not path.is_file():
        print(f"quality: skipped, {path} missing")
        return
    records = [r for r in json.loads(path.read_text()) if r["event"] != "DOCUMENT"]
    ours = lambda s: classify_sentence(s)[0]
    for name, subset in [("held-out half", [r for r in records if not dev_split(r["id"])]),
                         ("development half (tuned on)", [r for r in records if dev_split(r["id"])]),
                         ("all 322", records)]:
        frame, acc, macro = scores(subset, ours)
        _, b_acc, b_macro = scores(subset, baseline)
        print(f"\nPLOVER gold, {name}: n={len(subset)}  accuracy {acc:.3f}  macro-F1 {macro:.3f}   "
              f"| keyword baseline: accuracy {b_acc:.3f}  macro-F1 {b_macro:.3f}   "
              f"| ratio geohedge/baseline: accuracy x{acc / b_acc:.2f}, macro-F1 x{macro / b_macro:.2f}")
        if name == "held-out half":
            print(frame.to_string(index=False, float_format=lambda v: f"{v:.2f}"))


def _articles(n: int) -> list[str]:
    seed = (SHARED / "seed" / "000_cd003cc188e7abe4.txt").read_text()
    sentences = split_sentences(seed)
    out = []
    for i in range(n):
        words: list[str] = [f"Report {i}."]
        k = i
        while len(words) < 800:
            words += sentences[k % len(sentences)].split()
            k += 7
        out.append(" ".join(words[:800]))
    return out


def speed(n: int) -> None:
    if not (SHARED / "seed").is_dir():
        print("speed: skipped, ../shared/seed missing")
        return
    texts = _articles(n)
    t = time.perf_counter()
    events = sum(len(code_text(x).events) for x in texts)
    coding = time.perf_counter() - t
    t = time.perf_counter()
    _ = [baseline(s) for x in texts for s in split_sentences(x)]
    peer = time.perf_counter() - t
    print(f"\ncoding {n} articles of 800 words in memory: {coding:.2f} s, {n / coding:,.0f} articles/s, "
          f"{events} events (target >= 20 articles/s); keyword baseline {n / peer:,.0f} articles/s "
          f"(geohedge takes x{coding / peer:.1f} its time)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        for i, x in enumerate(texts):
            (folder / f"{i:04d}.txt").write_text(x)
        with Store(Path(tmp) / "s.duckdb") as store:
            t = time.perf_counter()
            result = ingest_news(store, folder)
            elapsed = time.perf_counter() - t
        print(f"ingest {result.added} article files end-to-end (read, code, store): {elapsed:.2f} s, "
              f"{result.added / elapsed:,.0f} articles/s")


def gdelt(rows: int) -> None:
    lines = FIXTURE.read_text().splitlines()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "20250101000000.export.CSV"
        with path.open("w") as fh:
            for i in range(rows):
                fields = lines[i % len(lines)].split("\t")
                fields[0] = str(1_000_000_000 + i)
                fh.write("\t".join(fields) + "\n")
        with Store(Path(tmp) / "s.duckdb") as store:
            t = time.perf_counter()
            result = load_gdelt(store, path)
            ours = time.perf_counter() - t
        t = time.perf_counter()
        frame = pd.read_csv(path, sep="\t", header=None, dtype=str, quoting=3)
        peer = time.perf_counter() - t
        size = path.stat().st_size
    print(f"\nGDELT: {result.rows_read:,} rows ({size / 1e6:.0f} MB) into the store in "
          f"{ours:.2f} s: {result.rows_read / ours:,.0f} rows/s (target >= 100,000); {result.events:,} events kept. "
          f"Peer pandas.read_csv (parse only, {len(frame):,} rows): {peer:.2f} s, {len(frame) / peer:,.0f} rows/s; "
          f"ratio geohedge/pandas x{(result.rows_read / ours) / (len(frame) / peer):.2f} in rows/s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--rows", type=int, default=300_000)
    args = parser.parse_args()
    quality()
    speed(args.articles)
    gdelt(args.rows)


if __name__ == "__main__":
    main()
