"""Alignment benchmarks: all-pairs agreement and ideal points on the real UN votes.

Run from the checkout with ``../shared/data/unga`` beside it::

    python benchmarks/bench_alignment.py [--girth-sessions 3] [--baseline-years 8]

Prints timings and ratios against peers run side by side in this script:

- agreement, every year 1946-2019: geohedge (one-hot matrix products) vs a naive pandas
  self-join on roll call id (the obvious dataframe implementation), on the same years;
- ideal points: the dynamic model for every session (target <= 60 s on 2 cores), and,
  per session, geohedge's static fit vs girth 0.8.0's graded response model
  (``grm_mml_eap``, a PyPI IRT package), with the correlation of the two;
- agreement of the ideal points with the transcribed published Bailey-Strezhnev-Voeten
  subset (tests/alignment/fixtures), by session;
- Malaysia's and Türkiye's positions in 2019.

Nothing is asserted; tests never depend on these timings.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from geohedge.alignment import agreement_scores, ideal_points, positions
from geohedge.alignment.agreement import vote_matrix
from geohedge.data.sources.unga import load_unga
from geohedge.data.store import Store
from geohedge.views.votes import query_votes

ROOT = Path(__file__).resolve().parents[1]
UNGA = ROOT.parent / "shared" / "data" / "unga"
FIXTURE = ROOT / "tests" / "alignment" / "fixtures" / "bsv_idealpoints_subset.csv"
VALUE = {"yes": 1.0, "abstain": 0.5, "no": 0.0}


def timed(fn, *args, **kwargs):
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t


def naive_agreement(votes: pd.DataFrame, calls: pd.DataFrame, years) -> dict[int, pd.DataFrame]:
    out = {}
    for year in years:
        v = votes[votes["rcid"].isin(calls.loc[calls["year"] == year, "rcid"])].assign(value=lambda f: f["vote"].map(VALUE))
        j = v.merge(v, on="rcid", suffixes=("_a", "_b"))
        j["agree"] = 1.0 - (j["value_a"] - j["value_b"]).abs()
        out[year] = j.groupby(["country_a", "country_b"])["agree"].mean().unstack()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline-years", type=int, default=8, help="years for the pandas self-join baseline")
    ap.add_argument("--girth-sessions", type=int, default=3, help="sessions for the girth GRM peer (about 8 s each)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "geohedge.duckdb") as store:
        _, t_load = timed(load_unga, store, UNGA)
        vd, t_read = timed(query_votes, store)
    print(f"load unvotes into a store: {t_load:.2f} s; read for analysis: {t_read:.2f} s ({len(vd.votes):,} votes, {len(vd.roll_calls):,} roll calls)")

    # --- agreement -------------------------------------------------------------------
    years = list(range(1946, 2020))
    years.remove(1964)  # no recorded vote
    ag, t_all = timed(agreement_scores, vd.votes, vd.roll_calls, vd.issues, periods=years)
    print(f"\nagreement, all pairs, every year 1946-2019 ({len(years)} years, {len(ag.countries)} countries): {t_all:.3f} s (target <= 10 s)")
    sample = years[:: max(1, len(years) // args.baseline_years)][: args.baseline_years]
    _, t_ours = timed(agreement_scores, vd.votes, vd.roll_calls, vd.issues, periods=sample)
    naive, t_naive = timed(naive_agreement, vd.votes, vd.roll_calls, sample)
    worst = max(float(np.nanmax(np.abs(ag.matrix(y).sort_index().sort_index(axis=1) - naive[y].sort_index().sort_index(axis=1)).to_numpy())) for y in sample)
    print(f"  same {len(sample)} years {sample[0]}..{sample[-1]}: geohedge {t_ours:.3f} s, pandas self-join {t_naive:.2f} s, "
          f"ratio {t_naive / t_ours:.0f}x; max |difference| {worst:.1e}")
    print(f"  pandas self-join extrapolated to all {len(years)} years: ~{t_naive / len(sample) * len(years):.0f} s")

    # --- ideal points ----------------------------------------------------------------
    ip, t_ip = timed(ideal_points, vd.votes, vd.roll_calls, vd.issues)
    print(f"\nideal points, every session 1-74 (dynamic, bridged, Laplace SEs): {t_ip:.1f} s, {ip.iterations} SQUAREM iterations (target <= 60 s)")
    try:
        import girth
    except ImportError:
        girth = None
        print("  girth not installed (pip install girth==0.8.0): peer skipped")
    if girth is not None:
        rows = []
        for session in range(75 - args.girth_sessions, 75):
            rc = vd.roll_calls.loc[vd.roll_calls["session"] == session, "rcid"].to_numpy()
            codes, V = vote_matrix(vd.votes, rc)
            data = np.where(V == 0, girth.INVALID_RESPONSE, V).T.astype(int)
            peer, t_peer = timed(girth.grm_mml_eap, data)
            own, t_own = timed(ideal_points, vd.votes, vd.roll_calls, sessions=(session, session))
            ours = own.frame.set_index("country")["ideal_point"].reindex(codes).to_numpy()
            dyn = ip.session(session).set_index("country")["ideal_point"].reindex(codes).to_numpy()
            rows.append((session, t_own, t_peer, abs(np.corrcoef(ours, peer["Ability"])[0, 1]), abs(np.corrcoef(dyn, peer["Ability"])[0, 1])))
        for s, a, b, r, rd in rows:
            print(f"  session {s}: geohedge static {a:.2f} s, girth grm_mml_eap {b:.2f} s, ratio {b / a:.1f}x; |corr| with girth: static {r:.3f}, dynamic {rd:.3f}")

    ref = pd.read_csv(FIXTURE).rename(columns={"iso3c": "country"})
    both = ref.merge(ip.frame, on=["country", "session"])
    pooled = np.corrcoef(both["IdealPoint"], both["ideal_point"])[0, 1]
    per = both.groupby("session")[["IdealPoint", "ideal_point"]].apply(lambda g: np.corrcoef(g["IdealPoint"], g["ideal_point"])[0, 1])
    slope = np.polyfit(both["IdealPoint"], both["ideal_point"], 1)[0]
    print(f"\npublished Bailey-Strezhnev-Voeten subset ({len(both)} country-sessions, 13 countries, sessions 60-74): pooled r = {pooled:.3f}, "
          f"per-session r from {per.min():.3f} to {per.max():.3f} (median {per.median():.3f}); slope {slope:.2f}")
    within = both.groupby("country")[["IdealPoint", "ideal_point"]].apply(lambda g: np.corrcoef(g["IdealPoint"], g["ideal_point"])[0, 1])
    print("  over time within country (r): " + ", ".join(f"{c} {v:.2f}" for c, v in within.items()))

    # --- positions -------------------------------------------------------------------
    pos = positions(ag, ["MYS", "TUR"], ideal=ip, since=2019).latest()
    cols = ["country", "year", "agree_USA", "agree_CHN", "agree_RUS", "equidistance", "lean", "equidistance_volatility", "ideal_point", "dist_USA", "dist_CHN", "dist_RUS", "relative", "ideal_equidistance"]
    print("\npositions in 2019 (agreement shares; ideal points in SD units):")
    print(pos[cols].round(3).to_string(index=False))
    print(f"MYS-TUR agreement 2019: {ag.matrix(2019).loc['MYS', 'TUR']:.3f}")


if __name__ == "__main__":
    main()
