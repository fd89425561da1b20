"""Hand-made fixtures for the partner tests (not real data: real country codes with invented
numbers, small enough to check every number by hand)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geohedge.alignment.results import AgreementScores, Provenance
from geohedge.iotable import IOTable

#: Home MYS; great powers USA, CHN, DEU (EU27); candidates TUR, BRA.
CODES = ("BRA", "CHN", "DEU", "MYS", "TUR", "USA")


@pytest.fixture
def agreement() -> AgreementScores:
    """Two years of invented agreement shares; BRA has no votes (absent from the countries)."""
    codes = ("CHN", "DEU", "MYS", "RUS", "TUR", "USA")
    N = len(codes)
    A = np.full((2, N, N), 0.5)
    k = {c: n for n, c in enumerate(codes)}

    def put(a, b, v1, v2):
        A[0, k[a], k[b]] = A[0, k[b], k[a]] = v1
        A[1, k[a], k[b]] = A[1, k[b], k[a]] = v2

    put("TUR", "USA", 0.6, 0.4)
    put("TUR", "CHN", 0.7, 0.7)
    put("TUR", "RUS", 0.7, 0.8)
    put("TUR", "MYS", 0.8, 0.9)
    put("DEU", "USA", 0.9, 0.9)
    put("DEU", "CHN", 0.5, 0.5)
    put("DEU", "RUS", 0.4, 0.5)
    put("DEU", "MYS", 0.6, 0.6)
    put("USA", "MYS", 0.3, 0.3)
    put("CHN", "MYS", 0.9, 0.9)
    put("USA", "CHN", 0.3, 0.3)
    put("USA", "RUS", 0.3, 0.3)
    put("CHN", "RUS", 0.95, 0.95)
    for c in codes:
        A[:, k[c], k[c]] = 1.0
    n = np.full((2, N, N), 50)
    return AgreementScores("year", np.array([2018, 2019]), codes, A, n, None, False,
                           Provenance("hand-made", "years 2018-2019", "agreement share (0-1)"))


def small_table(seed: int = 4) -> IOTable:
    """An invented 4-country x 2-sector table (MYS, TUR, USA, DEU) with a rest-of-world buyer.

    Random positive flows; every node's inputs are at most half its output, so the
    Leontief inverse exists. Not real data.
    """
    rng = np.random.default_rng(seed)
    countries, sectors = ("DEU", "MYS", "TUR", "USA"), ("C26", "G")
    R = len(countries) * len(sectors)
    Z = rng.uniform(1, 10, (R, R))
    F = rng.uniform(5, 40, (R, len(countries) + 1))
    # cap each column's inputs at half the node's output
    x = Z.sum(axis=1) + F.sum(axis=1)
    Z *= np.minimum(1.0, 0.5 * x / Z.sum(axis=0))[None, :]
    return IOTable(2022, countries, sectors, Z, F, source="hand-made", final_regions=(*countries, "ROW"))


def make_components(n: int = 6, seed: int = 0) -> pd.DataFrame:
    """An invented components frame (the columns partner_components returns), n partners."""
    rng = np.random.default_rng(seed)
    codes = ["AUS", "BRA", "CAN", "IND", "TUR", "ZAF", "ARG", "CHL", "NOR", "NZL", "MEX", "PER", "COL", "EGY", "MAR", "SAU"][:n]
    share = rng.uniform(0.002, 0.08, n)
    f = pd.DataFrame({
        "partner": codes, "name": codes, "trade_usd_mn": share * 1e5, "trade_share": share, "exports_usd_mn": share * 6e4,
        "export_share": share * 1.2, "va_gp_content": rng.uniform(0.05, 0.9, n),
        "cvar_reduction_pp": rng.uniform(0, 0.3, n), "capacity_usd_mn": rng.uniform(1e3, 2e5, n),
        "predicted_trade_usd_mn": share * 1.1e5, "potential_gap_usd_mn": rng.normal(0, 3000, n),
        "potential_gap_se_usd_mn": rng.uniform(200, 800, n), "stability_wgi": rng.normal(0, 1, n),
        "stability_se": rng.uniform(0.1, 0.3, n), "stability_year": 2024, "agreement_with_home": rng.uniform(0.4, 1, n),
        "vote_volatility": rng.uniform(0, 0.1, n), "bridging": rng.uniform(0.3, 0.9, n), "tariff_on_home_pct": rng.uniform(0, 10, n),
        "tariff_volatility_pp": rng.uniform(0, 2, n), "tariff_years": "2011-2021", "agreement_in_force": rng.uniform(size=n) > 0.5,
        "agreements": "", "agreement_since": "",
    })
    f["potential_z"] = f["potential_gap_usd_mn"] / f["potential_gap_se_usd_mn"]
    f["capacity_share"] = f["capacity_usd_mn"] * 1e6 / 6e10
    return f


def with_reduction(f: pd.DataFrame, exposure: float, shift: float = 0.01) -> pd.DataFrame:
    """Fill va_exposure_reduction_pp from va_gp_content: ``100 delta (X - gamma)``."""
    f = f.copy()
    f["va_exposure_reduction_pp"] = 100 * shift * (exposure - f["va_gp_content"])
    return f
