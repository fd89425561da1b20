"""Hand-made fixtures for the partner tests (not real data: six real country codes with
invented trade, stability and votes, small enough to check every number by hand)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geohedge.alignment.results import AgreementScores, Provenance

#: Home MYS; great powers USA, CHN, DEU (EU27); candidates TUR, BRA.
CODES = ("BRA", "CHN", "DEU", "MYS", "TUR", "USA")

# TRADE[exporter][importer] in USD (invented)
TRADE = {
    "MYS": {"USA": 30, "CHN": 40, "DEU": 10, "TUR": 5, "BRA": 5},
    "USA": {"MYS": 20, "CHN": 50, "DEU": 40, "TUR": 10, "BRA": 20},
    "CHN": {"MYS": 50, "USA": 60, "DEU": 30, "TUR": 20, "BRA": 15},
    "DEU": {"MYS": 5, "USA": 30, "CHN": 30, "TUR": 25, "BRA": 5},
    "TUR": {"MYS": 2, "USA": 8, "CHN": 4, "DEU": 30, "BRA": 1},
    "BRA": {"MYS": 3, "USA": 15, "CHN": 35, "DEU": 5, "TUR": 1},
}


@pytest.fixture
def bilateral() -> pd.DataFrame:
    rows = [(e, i, float(v) * 1e6) for e, d in TRADE.items() for i, v in d.items()]
    return pd.DataFrame(rows, columns=["exporter", "importer", "value_usd"])


@pytest.fixture
def home_exports() -> pd.DataFrame:
    # MYS exports: 60% C26 (electronics), 30% B (mining), 10% A01
    return pd.DataFrame({"product": ["C26", "B", "A01"], "value_usd": [54.0, 27.0, 9.0]})


@pytest.fixture
def imports_by_sector() -> pd.DataFrame:
    rows = []
    mix = {  # each importer's import mix over the three sectors (invented)
        "TUR": (0.2, 0.7, 0.1), "BRA": (0.5, 0.1, 0.4), "USA": (0.6, 0.3, 0.1),
        "CHN": (0.4, 0.5, 0.1), "DEU": (0.5, 0.3, 0.2), "MYS": (0.7, 0.2, 0.1),
    }
    for imp, shares in mix.items():
        for prod, s in zip(("C26", "B", "A01"), shares, strict=True):
            rows.append((imp, prod, 100.0 * s))
    return pd.DataFrame(rows, columns=["importer", "product", "value_usd"])


@pytest.fixture
def stability() -> pd.DataFrame:
    est = {"BRA": -0.4, "CHN": -0.3, "DEU": 0.6, "MYS": 0.1, "TUR": -1.0, "USA": 0.0}
    return pd.DataFrame({"country": list(est), "year": 2022, "estimate": list(est.values())})


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
