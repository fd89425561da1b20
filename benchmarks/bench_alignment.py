"""Alignment benchmarks: all-pairs agreement and ideal points on the real UN votes, against peers
and the published Bailey-Strezhnev-Voeten series.

Run from the checkout with ``../shared/data`` beside it::

    python benchmarks/bench_alignment.py [--girth-sessions 3] [--baseline-years 8] [--previous-model] [--table]

Prints timings and ratios against peers run side by side in this script:

- loading the shipped votes and published estimates as ``geohedge data build`` does;
- agreement, every year 1946-2019: geohedge (one-hot matrix products) vs a naive pandas
  self-join on roll call id (the obvious dataframe implementation), on the same years;
- the identical-vote index recomputed from the roll calls against the published agreement
  scores, every session (the largest difference per session says where the vote sets differ);
- the State Department coincidence against the reports' figures (tests/alignment/fixtures);
- ideal points: the dynamic model for every session (target <= 60 s on 2 cores) against the
  published ``IdealPointAll``, per session and pooled (``--table`` prints the per-session
  table of docs/alignment.md; ``--previous-model`` also fits the model anchored only at a
  country's first session, to show the cause of its drift); per session, geohedge's static
  fit vs girth 0.8.0's graded response model (``grm_mml_eap``, a PyPI IRT package);
- Malaysia's and Türkiye's positions in 2019 and 2023, and the brief's alignment section.

Nothing is asserted; tests never depend on these timings.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from geohedge.alignment import agreement_scores, ideal_points, state_department_coincidence
from geohedge.alignment.agreement import vote_matrix
from geohedge.data.sources.unga_idealpoints import load_shipped_unga
from geohedge.data.store import Store
from geohedge.views.votes import query_published, query_votes

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT.parent / "shared" / "data" / "unga-idealpoints" / "IdealpointestimatesAll_Jun2024.csv"
STATE_DEPT = ROOT / "tests" / "alignment" / "fixtures" / "state_department_coincidence.csv"
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


def published_frame() -> pd.DataFrame:
    raw = pd.read_csv(PUBLISHED)
    return raw.assign(country=raw["iso3c"].where(raw["ccode"] != 680, "YMD"))  # the file codes both Yemens YAR


def compare_ideal(frame: pd.DataFrame, pub: pd.DataFrame, n_calls: pd.Series) -> tuple[pd.DataFrame, float]:
    both = frame.merge(pub[["country", "session", "IdealPointAll"]], on=["country", "session"])
    per = both.groupby("session")[["ideal_point", "IdealPointAll"]].apply(lambda g: np.corrcoef(g["ideal_point"], g["IdealPointAll"])[0, 1])
    table = pd.DataFrame({"session": per.index, "year": per.index + 1945, "roll_calls": n_calls.reindex(per.index).to_numpy(),
                          "countries": both.groupby("session").size().to_numpy(), "r": per.to_numpy()})
    return table, float(np.corrcoef(both["ideal_point"], both["IdealPointAll"])[0, 1])


def report_ideal(label: str, table: pd.DataFrame, pooled: float, seconds: float, iterations: int) -> None:
    big = table[table["roll_calls"] >= 30]
    low = big[big["r"] < 0.95]
    print(f"  {label}: {seconds:.1f} s, {iterations} iterations; pooled r = {pooled:.3f}; {len(big)} sessions with >= 30 roll calls: "
          f"min r {big['r'].min():.3f} (session {int(big.loc[big['r'].idxmin(), 'session'])}), median {big['r'].median():.3f}, "
          f"{len(low)} below 0.95")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline-years", type=int, default=8, help="years for the pandas self-join baseline")
    ap.add_argument("--girth-sessions", type=int, default=3, help="sessions for the girth GRM peer (about 8 s each)")
    ap.add_argument("--previous-model", action="store_true", help="also fit the model anchored only at each country's first session")
    ap.add_argument("--table", action="store_true", help="print the per-session correlation table (markdown)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "geohedge.duckdb") as store:
        rows, t_load = timed(load_shipped_unga, store)
        vd, t_read = timed(query_votes, store)
        published = query_published(store)
        from geohedge.report.sections.alignment import build

        _, t_section = timed(build, store, "MYS")
    print(f"load shipped votes and published estimates: {t_load:.2f} s ({rows['unvotes']['un_votes']:,} votes, "
          f"{rows['bsv']['un_ideal_points']:,} published country-sessions); read votes for analysis: {t_read:.2f} s; "
          f"brief alignment section (MYS): {t_section:.1f} s")

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

    ident = agreement_scores(vd.votes, vd.roll_calls, by="session", index="identical")
    pub_ag = published.agreement
    diffs = []
    for s in ident.periods:
        m = ident.matrix(int(s))
        p = pub_ag[(pub_ag["session"] == s) & pub_ag["country"].isin(m.index) & pub_ag["partner"].isin(m.index)]
        if len(p):
            d = np.abs(m.to_numpy()[m.index.get_indexer(p["country"]), m.columns.get_indexer(p["partner"])] - p["agreement"].to_numpy())
            diffs.append((int(s), float(d.max()), float(np.mean(d <= 0.02))))
    d = pd.DataFrame(diffs, columns=["session", "max_diff", "share_within_002"])
    exact = d[d["max_diff"] < 1e-6]
    print(f"\nidentical-vote index from the roll calls vs the published agreement scores (all six partners): {len(exact)} of {len(d)} sessions "
          f"identical to 1e-6; sessions differing (vote sets differ): "
          + ", ".join(f"{r.session} ({r.max_diff:.2f})" for r in d[d["max_diff"] >= 0.02].itertuples()))

    ref = pd.read_csv(STATE_DEPT)
    sd = state_department_coincidence(vd.votes, vd.roll_calls, "USA", years=[2017, 2018, 2019]).merge(ref, on=["country", "year"])
    dev = (sd["coincidence"] * 100 - sd["coincidence_pct"]).abs()
    print(f"State Department coincidence vs the reports (7 WEOG members, 2017-2019): mean |difference| {dev.mean():.1f} pp, max {dev.max():.1f} pp")

    # --- ideal points ----------------------------------------------------------------
    pub = published_frame()
    n_calls = vd.roll_calls.groupby("session").size()
    ip, t_ip = timed(ideal_points, vd.votes, vd.roll_calls, vd.issues)
    table, pooled = compare_ideal(ip.frame, pub, n_calls)
    print("\nideal points, every session 1-74, against the published IdealPointAll (June 2024 release):")
    report_ideal("geohedge (random walk, every session anchored; target <= 60 s)", table, pooled, t_ip, ip.iterations)
    if args.previous_model:
        old, t_old = timed(ideal_points, vd.votes, vd.roll_calls, vd.issues, session_sd=None, beta_sd=5.0)
        old_table, old_pooled = compare_ideal(old.frame, pub, n_calls)
        report_ideal("previous model (anchored at a country's first session only, beta ~ N(0, 25))", old_table, old_pooled, t_old, old.iterations)
        table = table.merge(old_table[["session", "r"]].rename(columns={"r": "r_previous"}), on="session")
        s22 = old.session(22).set_index("country")["ideal_point"]
        z = (s22 - s22.mean()) / s22.std()
        print(f"  previous model, session 22 (1967), SD units from the session mean: USSR {z['RUS']:+.2f}, Bulgaria {z['BGR']:+.2f}, "
              f"Syria {z['SYR']:+.2f}, Algeria {z['DZA']:+.2f}")
    if args.table:
        cols = [c for c in ("session", "year", "roll_calls", "countries", "r", "r_previous") if c in table]
        print("\n| " + " | ".join(cols) + " |\n|" + "---|" * len(cols))
        for r in table[cols].itertuples(index=False):
            print("| " + " | ".join(f"{v:.3f}" if isinstance(v, float) else str(v) for v in r) + " |")

    try:
        import girth
    except ImportError:
        girth = None
        print("  girth not installed (pip install girth==0.8.0): peer skipped")
    if girth is not None:
        for session in range(75 - args.girth_sessions, 75):
            rc = vd.roll_calls.loc[vd.roll_calls["session"] == session, "rcid"].to_numpy()
            codes, V = vote_matrix(vd.votes, rc)
            data = np.where(V == 0, girth.INVALID_RESPONSE, V).T.astype(int)
            peer, t_peer = timed(girth.grm_mml_eap, data)
            own, t_own = timed(ideal_points, vd.votes, vd.roll_calls, sessions=(session, session))
            ours = own.frame.set_index("country")["ideal_point"].reindex(codes).to_numpy()
            print(f"  session {session}: geohedge static {t_own:.2f} s, girth grm_mml_eap {t_peer:.2f} s, ratio {t_peer / t_own:.1f}x; "
                  f"|corr| with girth {abs(np.corrcoef(ours, peer['Ability'])[0, 1]):.3f}")

    # --- positions -------------------------------------------------------------------
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "geohedge.duckdb") as store:
        load_shipped_unga(store)
        from geohedge.views.alignment import alignment_view

        view, t_view = timed(alignment_view, store, "MYS", partners=["TUR"])
    f = view.frame[view.frame["year"].isin([2019, 2023])]
    cols = ["country", "year", "source", "agree_USA", "agree_CHN", "agree_RUS", "equidistance", "lean", "ideal_point"]
    print(f"\npositions (identical-vote share; published ideal points), alignment view {t_view:.1f} s:")
    print(f[cols].round(3).to_string(index=False))


if __name__ == "__main__":
    main()
