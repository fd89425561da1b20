"""A backtest of untapped potential: did the partners with the most of it in the base years gain
share of the home country's trade afterwards?

Method. The gravity benchmark (:func:`geohedge.partners.gravity.gravity_benchmark`) is fitted
once on the base years' average flows (2011-2014 for the ICIO cubes). For every home country
``h`` and every other region ``p`` the potential of the pair is measured four ways:

============ ==========================================================================
variant      measure (both directions of trade together)
============ ==========================================================================
``z``        ``(predicted - actual) / se(predicted)``: the gap in standard errors (the
             scoring's choice: see the docs)
``gap_usd``  ``predicted - actual``, USD
``ratio``    ``predicted / actual`` (the earlier scoring's measure)
``largest``  the partner's current share of ``h``'s trade (no potential: a naive reference)
============ ==========================================================================

The outcome is the log change of ``p``'s share of ``h``'s total trade from ``start`` to
``end`` (2015 to 2022); pairs with no trade in either year are left out. For each variant and
each country: the mean outcome of its top ten partners minus that of the rest, and the
Spearman correlation of the measure with the outcome. Across countries: the mean and median
of both, the number of countries where the top ten did better, and a two-sided sign test.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.stats import binomtest, spearmanr

from geohedge.errors import InputError
from geohedge.partners.results import Backtest, GravityFit, Provenance

__all__ = ["VARIANTS", "potential_backtest"]

VARIANTS: tuple[str, ...] = ("z", "gap_usd", "ratio", "largest")


def _shares(X: np.ndarray) -> np.ndarray:
    V = X + X.T
    np.fill_diagonal(V, 0.0)
    tot = V.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(tot > 0, V / tot, np.nan)


def potential_backtest(
    flows: Mapping[int, np.ndarray],
    codes: Sequence[str],
    gravity: GravityFit,
    *,
    base_years: Sequence[int],
    start: int,
    end: int,
    top: int = 10,
    source: str = "OECD ICIO cubes",
) -> Backtest:
    """Test whether untapped potential in ``base_years`` predicted share gains from ``start`` to ``end``.

    Parameters
    ----------
    flows
        Year -> (N, N) exports ``X[i, n]`` of ``codes[i]`` to ``codes[n]``, USD.
    gravity
        The benchmark fitted on the base years' average flows of the same ``codes``.

    Raises
    ------
    InputError
        A year is missing from ``flows``, or ``start`` is not after the base years.
    """
    years = [*base_years, start, end]
    miss = [y for y in years if y not in flows]
    if miss:
        raise InputError(f"backtest: no trade for {miss[0]}; years available: {', '.join(map(str, sorted(flows)))}")
    if start <= max(base_years) or end <= start:
        raise InputError(f"backtest: the outcome years {start}-{end} must follow the base years {min(base_years)}-{max(base_years)}")
    codes = list(codes)
    N = len(codes)
    base = sum(flows[y] for y in base_years) / len(base_years)
    s0, s1, sb = _shares(flows[start]), _shares(flows[end]), _shares(base)
    rows = []
    for h in range(N):
        ps = [p for p in range(N) if p != h]
        pt = gravity.pair_totals(codes[h], [codes[p] for p in ps])
        gap = (pt["predicted_usd"] - pt["value_usd"]).to_numpy(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            measures = {"z": gap / pt["predicted_se_usd"].to_numpy(float), "gap_usd": gap,
                        "ratio": pt["predicted_usd"].to_numpy(float) / pt["value_usd"].to_numpy(float), "largest": sb[h, ps]}
            out = np.log(s1[h, ps] / s0[h, ps])
        ok = np.isfinite(out)
        rec = {"home": codes[h], "partners": int(ok.sum())}
        for v, m in measures.items():
            keep = ok & np.isfinite(m)
            mv, ov = m[keep], out[keep]
            order = np.argsort(-mv, kind="stable")
            t, rest = order[:top], order[top:]
            rec[f"{v}_top_minus_rest"] = float(ov[t].mean() - ov[rest].mean()) if len(rest) else np.nan
            rec[f"{v}_spearman"] = float(spearmanr(mv, ov).statistic) if len(mv) > 2 else np.nan
        rows.append(rec)
    frame = pd.DataFrame(rows)
    summ = []
    for v in VARIANTS:
        d = frame[f"{v}_top_minus_rest"].dropna()
        r = frame[f"{v}_spearman"].dropna()
        wins = int((d > 0).sum())
        summ.append({"variant": v, "countries": len(d), "mean_top_minus_rest": float(d.mean()), "median_top_minus_rest": float(d.median()),
                     "countries_top_better": wins, "sign_test_p": float(binomtest(wins, len(d)).pvalue) if len(d) else np.nan,
                     "mean_spearman": float(r.mean()), "median_spearman": float(r.median())})
    prov = Provenance(source, end, f"log change of partner share of trade, {start}-{end}", False)
    return Backtest(tuple(int(y) for y in base_years), int(start), int(end), frame, pd.DataFrame(summ), gravity, prov)
