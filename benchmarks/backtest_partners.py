"""Backtest of untapped potential on the ICIO cubes: did the partners with the most untapped
potential in 2011-2014 gain share of each country's trade over 2015-2022?

Run (after 'geohedge data build'):

    python benchmarks/backtest_partners.py [--top 10] [--countries] [--markdown]

Method (geohedge.partners.backtest): the PPML gravity benchmark is fitted once on the
2011-2014 average flows of the 80 ICIO countries (the rest of the world left out); for every
country and every partner, potential is measured four ways (gap in standard errors ``z``, gap in
USD, predicted/actual ``ratio``, and the partner's current share as a no-potential reference);
the outcome is the log change of the partner's share of the country's trade from 2015 to 2022.
Prints, per variant, the mean and median difference between the top ten and the rest, the
number of countries (of 80) where the top ten gained more, a two-sided sign test, and the
median Spearman correlation; then the variant the scoring uses and the run time (budget: 2
minutes). ``--countries`` adds the per-country table.
"""

from __future__ import annotations

import argparse
import time


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--countries", action="store_true", help="also print the per-country table")
    ap.add_argument("--markdown", action="store_true", help="print the summary as a markdown table")
    args = ap.parse_args()

    from geohedge.data.store import Store
    from geohedge.views.partners import backtest_potential

    t0 = time.perf_counter()
    with Store(read_only=True) as store:
        bt = backtest_potential(store, top=args.top)
    elapsed = time.perf_counter() - t0
    s = bt.summary
    print(f"backtest: gravity fitted on {bt.base_years[0]}-{bt.base_years[-1]} (log_dist {bt.gravity.coefficients['log_dist']:+.3f}, "
          f"{bt.gravity.n_obs:,} pairs); outcome: log change of the partner's share of trade {bt.start_year}-{bt.end_year}; "
          f"top {args.top} vs the rest, {len(bt.frame)} countries")
    if args.markdown:
        print("| variant | mean top - rest | median top - rest | countries where the top did better | sign test p | median Spearman |")
        print("|---|---|---|---|---|---|")
        for r in s.itertuples():
            print(f"| `{r.variant}` | {r.mean_top_minus_rest:+.3f} | {r.median_top_minus_rest:+.3f} | {r.countries_top_better} of {r.countries} | "
                  f"{r.sign_test_p:.2g} | {r.median_spearman:+.3f} |")
    else:
        print(s.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    pot = s[s["variant"] != "largest"].sort_values("median_top_minus_rest", ascending=False)
    best = pot.iloc[0]
    print(f"best potential variant: {best['variant']} (median top-minus-rest {best['median_top_minus_rest']:+.3f} log points, top ten better "
          f"in {best['countries_top_better']} of {best['countries']} countries, sign test p = {best['sign_test_p']:.2g}); the scoring uses "
          f"Phi(z) as its potential index")
    if args.countries:
        print(bt.frame.to_string(index=False, float_format=lambda v: f"{v:+.3f}"))
    print(f"elapsed {elapsed:.1f} s  [budget 120 s]")


if __name__ == "__main__":
    main()
