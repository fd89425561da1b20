"""Benchmark: value-chain exposure and the brief, against peers in the same run.

Targets (issue 3, 2-core machine):
- the Leontief inverse and every country's value-added exposure matrices from scratch <= 10 s;
- one country's exposure once that is cached <= 1 s;
- ``geohedge brief MYS`` end to end <= 20 s.

Peers, on the same 4,000-node ICIO 2022 table:
- pymrio 0.7.0 (IndEcol), ``calc_A`` + ``calc_L`` (explicit inverse), then the same
  value-added origin matrix ``diag(v) L`` aggregated to countries, as a pymrio user would;
- NumPy's ``inv(I - A)`` followed by the same products (the textbook route).
geohedge factorises ``I - A`` once (LU) and solves only for the (N, R) and (R, N) blocks it
needs. The script also checks that all three give the same numbers.

Usage: python benchmarks/bench_exposure.py   (needs a built store: geohedge data build;
pip install pymrio==0.7.0 for the pymrio peer, skipped with a note otherwise)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from geohedge.views.exposure import exposure_view, query_value_chain
from geohedge.data.queries import query_iotable
from geohedge.data.store import Store
from geohedge.exposure.value_chain import value_chain_model


def clock(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def verdict(value: float, target: float) -> str:
    return f"target <= {target:g} s   [{'ok' if value <= target else 'MISSED'}]"


def main() -> None:
    with Store(read_only=True) as store:
        t_load, table = clock(lambda: query_iotable(store, 2022))
    N, J = table.n_countries, table.n_sectors
    print(f"ICIO {table.year}: {N} countries x {J} sectors = {N * J} nodes; read from the store in {t_load:.2f} s")

    t_ours, model = clock(lambda: value_chain_model(table))
    print(f"\nLeontief + all countries' VA origin/absorption matrices (geohedge, LU): {t_ours:6.2f} s   {verdict(t_ours, 10)}")
    print(f"  from scratch incl. reading the table: {t_ours + t_load:6.2f} s")

    x = table.x
    G = np.kron(np.eye(N), np.ones((1, J)))

    def numpy_route():
        A = table.Z / np.where(x > 0, x, 1)[None, :]
        L = np.linalg.inv(np.eye(N * J) - A)
        v = np.where(x > 0, 1 - A.sum(0), 0.0)  # zero-output nodes add no value (as geohedge)
        return (G * v[None, :]) @ L, v[:, None] * (L @ table.F)

    t_np, (B_np, VAD_np) = clock(numpy_route)
    print(f"  peer: numpy inv(I - A) + products: {t_np:6.2f} s   ratio {t_np / t_ours:4.1f}x   "
          f"max |diff| B {np.abs(B_np - model.B).max():.1e}, VAD {np.abs(VAD_np - model.VAD).max():.1e}")
    try:
        import pandas as pd
        import pymrio

        idx = table.node_index()
        Zdf = pd.DataFrame(table.Z, index=idx, columns=idx)
        xdf = pd.DataFrame({"indout": x}, index=idx)

        def pymrio_route():
            A = pymrio.calc_A(Zdf, xdf)
            L = pymrio.calc_L(A)
            v = np.where(x > 0, 1 - A.sum(axis=0).to_numpy(), 0.0)
            return (G * v[None, :]) @ L.to_numpy()

        t_pm, B_pm = clock(pymrio_route)
        print(f"  peer: pymrio {pymrio.__version__} calc_A + calc_L + products: {t_pm:6.2f} s   ratio {t_pm / t_ours:4.1f}x   "
              f"max |diff| B {np.abs(B_pm - model.B).max():.1e}")
    except ImportError:
        print("  peer: pymrio not installed (pip install pymrio==0.7.0); skipped")

    with Store(read_only=True) as store:
        query_value_chain(store, 2022)  # make sure the cache is warm
        t_one, view = clock(lambda: exposure_view(store, "MYS", channel="value-added", by="partner"))
        t_cold = None
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["GEOHEDGE_CACHE"] = tmp
            t_cold, _ = clock(lambda: exposure_view(store, "MYS", channel="value-added", by="partner"))
            del os.environ["GEOHEDGE_CACHE"]
    print(f"\none country's value-added exposure, cache warm (MYS, {len(view.frame)} partners): {t_one:6.3f} s   {verdict(t_one, 1)}")
    print(f"  same with an empty cache (reads the table, factorises, writes the cache): {t_cold:6.2f} s   ratio {t_cold / t_one:5.1f}x")

    exe = Path(sys.executable).with_name("geohedge")
    with tempfile.TemporaryDirectory() as out:
        t_brief, done = clock(lambda: subprocess.run([str(exe), "brief", "MYS", "--out", out], capture_output=True, text=True))
    if done.returncode != 0:
        print(f"\ngeohedge brief MYS failed: {done.stderr.strip()}")
        return
    print(f"\ngeohedge brief MYS end to end (new process, cache warm): {t_brief:6.2f} s   {verdict(t_brief, 20)}")


if __name__ == "__main__":
    main()
