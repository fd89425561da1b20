"""Benchmark the vulnerability atlas: serial (one process, no Dask) against a Dask
LocalCluster, on the same pieces, in one run.

Run (after 'geohedge data build'):

    python benchmarks/bench_atlas.py                       # the default atlas: 80 x 7 x 50
    python benchmarks/bench_atlas.py --every 8 --slices 2       # a 1/8 sample of the targets, all families, 50 draws
    python benchmarks/bench_atlas.py --targets 10 --draws 10 --workers 2 --order serial,local

Each mode writes into its own empty results store in a temporary folder (the user's store
is only read), so both modes solve every piece. The targets are split into ``--slices``
slices and both modes run on each slice in turn (one LocalCluster start per slice, timed and
reported apart), so that a run cut short by a time limit still compares the modes on the
same pieces under the same load. Prints, per mode: wall time, solves, time
per solve (the pieces' own compute time / solves), time per task, the overhead per task
(wall x workers - compute, over tasks: scheduling, shipping results, store writes and idle
workers at the end), the processor time per solve next to the wall time (on a shared
machine the wall time also counts waiting for a core), time spent writing the store, and the load average of the machine
(1 min) before and after; then the ratio serial / local and whether both modes stored
identical results (same seed). The issue's targets: ratio >= 1.7 on 2 workers, the whole
default atlas <= 45 min.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from geohedge.data.store import Store
from geohedge.shocks.atlas import DEFAULT_FAMILIES, AtlasConfig
from geohedge.views.atlas import plan_atlas, query_atlas, run_atlas

RESULT_COLUMNS = [
    "key", "target", "family", "status", "welfare_point", "welfare_median", "welfare_p05", "welfare_p95",
    "exports_change_usd_mn_median", "diversion_1_partner", "diversion_1_usd_mn", "draws", "draws_failed",
]


def _load() -> str:
    a, b, c = os.getloadavg()
    return f"{a:.2f} {b:.2f} {c:.2f}"


def _noop(x: int) -> int:
    return x


def task_overhead(workers: int, n: int = 400) -> tuple[float, float]:
    """Cluster start-up seconds, and the round trip of an empty task through a LocalCluster of
    ``workers`` processes (submit to result, ms per task, ``n`` tasks in flight together)."""
    from dask.distributed import Client, LocalCluster

    t0 = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40) as cluster, \
            Client(cluster) as client:
        start = time.perf_counter() - t0
        client.gather(client.map(_noop, range(20), pure=False))  # warm up
        t1 = time.perf_counter()
        client.gather(client.map(_noop, range(n), pure=False))
        per = (time.perf_counter() - t1) / n
    return start, per * 1e3


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--targets", type=int, default=None, help="first N regions of the table (default all 80)")
    ap.add_argument("--families", default=",".join(DEFAULT_FAMILIES))
    ap.add_argument("--every", type=int, default=1, help="every k-th region of the table as a target (a sample of the atlas)")
    ap.add_argument("--draws", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--order", default="local,serial", help="modes, run in this order on each slice")
    ap.add_argument("--slices", type=int, default=8, help="run both modes slice by slice of the targets, so that a run cut short "
                    "still compares them on the same pieces and under the same load")
    args = ap.parse_args()

    with Store(read_only=True) as store:
        t0 = time.perf_counter()
        plan = plan_atlas(store, None, args.families.split(","), AtlasConfig(draws=args.draws, seed=args.seed))
        plan_s = time.perf_counter() - t0
        if args.targets or args.every > 1:
            keep = set(plan.baseline.countries[:: args.every][: args.targets])
            plan = dataclasses.replace(plan, pieces=tuple(p for p in plan.pieces if p.target in keep))
    solves = sum(p.config.draws + 1 for p in plan.pieces)
    print(f"atlas benchmark: {len({p.target for p in plan.pieces})} targets x {len(plan.families)} families = {len(plan.pieces)} pieces "
          f"({len(plan.skipped)} pairs of the whole atlas do not apply: the target is or belongs to the imposer, or has no rate in the schedule), "
          f"{args.draws} draws + 1 point solve "
          f"each = {solves:,} solves; planned in {plan_s:.1f} s; cores {os.cpu_count()}, python {sys.version.split()[0]}", flush=True)
    start, per_task = task_overhead(args.workers)
    print(f"LocalCluster({args.workers} workers): start-up {start:.1f} s; an empty task {per_task:.1f} ms (400 in flight); "
          f"load avg {_load()}", flush=True)
    frames: dict[str, list] = {m: [] for m in args.order.split(",")}
    tot = {m: {"wall": 0.0, "compute": 0.0, "cpu": 0.0, "solves": 0, "tasks": 0, "store": 0.0, "startup": 0.0, "failed": 0} for m in frames}
    targets = list(dict.fromkeys(p.target for p in plan.pieces))
    slices = [targets[k::args.slices] for k in range(args.slices)]
    with tempfile.TemporaryDirectory() as tmp:
        for k, chunk in enumerate(s for s in slices if s):
            part = dataclasses.replace(plan, pieces=tuple(p for p in plan.pieces if p.target in set(chunk)))
            for mode in frames:
                path = Path(tmp) / f"atlas-{mode}-{k}.duckdb"
                before = _load()
                r = run_atlas(dataclasses.replace(part, store_path=path), serial=mode == "serial", workers=args.workers)
                t = tot[mode]
                for key, v in (("wall", r.wall_seconds), ("compute", r.compute_seconds), ("cpu", r.cpu_seconds), ("solves", r.solves), ("tasks", r.tasks),
                               ("store", r.store_seconds), ("startup", r.startup_seconds), ("failed", r.failed)):
                    t[key] += v
                print(f"  slice {k + 1}/{args.slices} {mode:>6}: {len(chunk)} targets, {r.solves:,} solves in {r.wall_seconds:.1f} s "
                      f"({1e3 * r.compute_seconds / max(r.solves, 1):.0f} ms wall, {1e3 * r.cpu_seconds / max(r.solves, 1):.0f} ms CPU per solve; "
                      f"start-up {r.startup_seconds:.1f} s); "
                      f"load avg {before} -> {_load()}", flush=True)
                with Store(path, read_only=True) as s:
                    frames[mode].append(query_atlas(s).frame[RESULT_COLUMNS])
            _report(tot, args.workers, final=k == len(slices) - 1)
    if "serial" in frames and "local" in frames:
        a, b = (pd.concat(frames[m]).sort_values("key").reset_index(drop=True) for m in ("serial", "local"))
        num = a.select_dtypes("number").to_numpy() - b.select_dtypes("number").to_numpy()
        print(f"identical stored results (same seed, serial vs local): {a.equals(b)} "
              f"(largest numeric difference {np.nanmax(np.abs(num)) if num.size else 0:.3g}); {len(a)} pieces")


def _report(tot: dict, workers: int, final: bool) -> None:
    print("TOTAL" if final else "so far", flush=True)
    for mode, t in tot.items():
        n = 1 if mode == "serial" else workers
        over = (t["wall"] - t["startup"]) * n - t["compute"]
        print(f"  {mode:>6}: {t['wall']:8.1f} s wall ({t['wall'] / 60:.1f} min; {t['startup']:.1f} s of it cluster start-up and broadcast), "
              f"{n} worker(s), {t['tasks']} tasks, {t['solves']:,} solves, {1e3 * t['compute'] / max(t['solves'], 1):.0f} ms wall and "
              f"{1e3 * t['cpu'] / max(t['solves'], 1):.0f} ms CPU per solve, "
              f"{t['compute'] / max(t['tasks'], 1):.2f} s per task, idle/overhead {1e3 * over / max(t['tasks'], 1):.0f} ms per task, "
              f"store writes {t['store']:.1f} s, {t['failed']} failed", flush=True)
    if "serial" in tot and "local" in tot and tot["local"]["wall"] > 0:
        print(f"  ratio serial / local ({workers} workers): {tot['serial']['wall'] / tot['local']['wall']:.2f}x "
              f"(without the local cluster's start-up: {tot['serial']['wall'] / max(tot['local']['wall'] - tot['local']['startup'], 1e-9):.2f}x)",
              flush=True)


if __name__ == "__main__":
    main()
