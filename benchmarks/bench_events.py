"""Benchmark: event coding quality and speed, GDELT bulk load, against peers in the same run.

Targets (issues 7, 13 and 17; 2-core machine): >= 20 articles/s of 800 words with
``n_process`` (never below 10); GDELT event files at >= 100,000 rows/s into the store;
a 10 MB file repeating one sentence stored as one event with its repeat count, quickly and
in bounded memory; per-type precision/recall/F1 on the PLOVER gold set and strict
(source, type, target) precision and recall on the hand-coded real-news set.

- Quality: the 322 hand-coded PLOVER gold sentences (../shared/data/plover, CC BY-SA 4.0),
  and the 42 hand-coded news excerpts of ``tests/fixtures/news_devset``. Rules were tuned
  on the development halves only (``dev_split``; sha256 parity of the article id); the
  held-out halves are the honest measure. Peers: the keyword coder geohedge used before
  (``benchmarks/keyword_coder.py``, regular expressions over the sentence) and a naive
  keyword baseline (one or two obvious verbs per type), on the same sentences.
- Speed: synthetic 800-word articles built from the seed article's sentences (each made
  unique), coded in memory with 1 and ``--n-process`` worker processes (the workers' start,
  about 2 s, is included), and ingested end-to-end from a folder into a temporary store;
  the old keyword coder on the same texts.
- GDELT: the hand-made 61-column fixture replicated to --rows rows with unique ids, loaded
  through DuckDB into a temporary store. Peer: pandas.read_csv of the same file (parsing
  only, no mapping or store writes).

Usage: python benchmarks/bench_events.py [--articles 200] [--n-process 2] [--rows 300000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

import keyword_coder  # noqa: E402  the previous coder, kept here as the peer

from geohedge.data.sources.gdelt import load_gdelt  # noqa: E402
from geohedge.data.sources.news import ingest_news  # noqa: E402
from geohedge.data.store import Store  # noqa: E402
from geohedge.events.classify import (  # noqa: E402
    LEGACY_TYPES,
    classify_sentence,
    code_text,

    dev_split,
    split_sentences,
)
from geohedge.events import code_texts  # noqa: E402
from geohedge.events.quality import dyad_scores, type_scores  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURE = ROOT / "tests" / "events" / "fixtures" / "20250720000000.export.CSV"
DEVSET = ROOT / "tests" / "fixtures" / "news_devset" / "articles.json"

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


def quality() -> None:
    path = SHARED / "data" / "plover" / "PLOVER_GSR_CAMEO.txt"
    if not path.is_file():
        print(f"quality: skipped, {path} missing")
        return
    records = [r for r in json.loads(path.read_text()) if r["event"] != "DOCUMENT"]
    coders = {"geohedge": lambda s: classify_sentence(s)[0],
              "old keyword coder": lambda s: keyword_coder.classify_sentence(s)[0],
              "naive baseline": baseline}
    for name, subset in [("held-out half", [r for r in records if not dev_split(r["id"])]),
                         ("development half (tuned on)", [r for r in records if dev_split(r["id"])]),
                         ("all 322", records)]:
        gold = [LEGACY_TYPES.get(r["event"], r["event"].lower()) for r in subset]
        results = {k: type_scores(gold, [f(r["text"]) for r in subset]) for k, f in coders.items()}
        ours = results["geohedge"]
        print(f"\nPLOVER gold, {name}: n={len(subset)}  " + "  |  ".join(
            f"{k}: accuracy {v.accuracy:.3f} macro-F1 {v.macro_f1:.3f}" for k, v in results.items()))
        old = results["old keyword coder"]
        print(f"  ratio geohedge/old coder: accuracy x{ours.accuracy / old.accuracy:.2f}, macro-F1 x{ours.macro_f1 / old.macro_f1:.2f}")
        if name == "held-out half":
            print(ours.per_type.to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    articles = json.loads(DEVSET.read_text())

    def ours(art):
        return {(e.source.code, e.event_type, e.target.code if e.target else None)
                for e in code_text(art["text"], on=dt.date.fromisoformat(art["date"])).events}

    def old(art):
        coded = keyword_coder.code_text(art["text"], on=dt.date.fromisoformat(art["date"]))
        return {(e.source.code, e.event_type, e.target.code if e.target else None) for e in coded.events}

    for name, keep in [("held-out half", 1), ("development half (tuned on)", 0)]:
        subset = [a for a in articles if int(hashlib.sha256(a["id"].encode()).hexdigest(), 16) % 2 == keep]
        a, b = dyad_scores(subset, ours), dyad_scores(subset, old)
        print(f"\nreal-news set, {name}: {len(subset)} articles, {a.n_gold} hand-coded events | geohedge: strict "
              f"precision {a.precision:.3f} recall {a.recall:.3f} ({a.n_correct}/{a.n_coded}) | old keyword coder: "
              f"precision {b.precision:.3f} recall {b.recall:.3f} ({b.n_correct}/{b.n_coded})")


def _articles(n: int) -> list[str]:
    """800-word articles of real news sentences (the seed article and the real-news set's
    excerpts), every sentence made unique (a sentence repeated within an article would be
    parsed once, which would flatter the speed)."""
    seed = (SHARED / "seed" / "000_cd003cc188e7abe4.txt").read_text()
    pool = split_sentences(seed)[1:] + [s for a in json.loads(DEVSET.read_text()) for s in split_sentences(a["text"])]
    out = []
    for i in range(n):
        words: list[str] = []
        k = i
        while len(words) < 800:
            sentence = pool[k % len(pool)].rstrip(".")
            words += f"{sentence}, report {i}-{k}.".split()
            k += 7
        out.append(" ".join(words[:800]))
    return out


def speed(n: int, n_process: int) -> None:
    if not (SHARED / "seed").is_dir():
        print("speed: skipped, ../shared/seed missing")
        return
    texts = _articles(n)
    items = [(x, dt.date(2025, 6, 1)) for x in texts]
    code_text(texts[0])  # load and verify the pipeline once, outside the timing
    t, cpu = time.perf_counter(), time.process_time()
    events = sum(len(c.events) for c in code_texts(items, n_process=1))
    one, cpu = time.perf_counter() - t, time.process_time() - cpu
    t = time.perf_counter()
    events_n = sum(len(c.events) for c in code_texts(items, n_process=n_process))
    many = time.perf_counter() - t
    t = time.perf_counter()
    _ = [keyword_coder.code_text(x) for x in texts]
    peer = time.perf_counter() - t
    with open("/proc/loadavg") as fh:
        load = fh.read().split()[0]
    print(f"\nload average {load} on {len(__import__('os').sched_getaffinity(0))} cores; 1 process uses "
          f"{cpu:.1f} CPU-s: {n / cpu:,.1f} articles per CPU-second (what one free core codes)")
    print(f"coding {n} articles of 800 words in memory: 1 process {one:.2f} s, {n / one:,.1f} articles/s "
          f"({events} events); n_process={n_process} {many:.2f} s, {n / many:,.1f} articles/s ({events_n} events, worker "
          f"start included; target >= 20, never below 10); old keyword coder {n / peer:,.0f} articles/s "
          f"(geohedge takes x{many / peer:.1f} its time)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        for i, x in enumerate(texts):
            (folder / f"{i:04d}.txt").write_text(x)
        with Store(Path(tmp) / "s.duckdb") as store:
            t = time.perf_counter()
            result = ingest_news(store, folder, n_process=n_process)
            elapsed = time.perf_counter() - t
        print(f"ingest {result.added} article files end-to-end (read, code with n_process={n_process}, store): "
              f"{elapsed:.2f} s, {result.added / elapsed:,.1f} articles/s")


_REPEAT = """
import resource, sys, time, datetime as dt
from geohedge.data.store import Store
from geohedge.data.sources.news import ingest_news
from geohedge.events.pipeline import load_pipeline
load_pipeline()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
with Store(sys.argv[2]) as store:
    load = ingest_news(store, sys.argv[1], date=dt.date(2025, 6, 3))
    rows = store.run("SELECT count(*), max(repeats) FROM events")[0]
print(time.perf_counter() - t, rows[0], rows[1], base / 1024, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def repeats() -> None:
    """Issue 13: a 10 MB file repeating one sentence (370,000 identical events, 23.6 s, 753 MB before)."""
    sentence = "Malaysia strengthened its ties with Turkey on Tuesday. "
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "repeat.txt"
        path.write_text(sentence * ((10 * 1024 * 1024 - 1000) // len(sentence)))
        done = subprocess.run([sys.executable, "-c", _REPEAT, str(path), str(Path(tmp) / "s.duckdb")],
                              capture_output=True, text=True, check=True)
        secs, n_rows, n_repeats, base, peak = done.stdout.split()
    print(f"\n10 MB file repeating one sentence: {float(secs):.1f} s to read, code and store; {n_rows} event row(s) with "
          f"repeats = {int(n_repeats):,}; peak RSS {float(peak):,.0f} MB ({float(base):,.0f} MB with the pipeline loaded, "
          "before the ingest)")


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
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--n-process", type=int, default=2)
    parser.add_argument("--rows", type=int, default=300_000)
    args = parser.parse_args()
    quality()
    speed(args.articles, args.n_process)
    repeats()
    gdelt(args.rows)


if __name__ == "__main__":
    main()
