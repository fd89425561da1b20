"""Hand-made small economies for the shock-model tests (not real data: random flows that
satisfy the input-output accounting identities, so calibration and the model apply)."""

from __future__ import annotations

import numpy as np
import pytest

from geohedge.shocks.calibrate import Baseline, baseline_from_flows


def small_economy(N: int = 3, J: int = 2, seed: int = 0, *, io: bool = True, countries=None, sectors=None, home: float = 4.0) -> Baseline:
    """A random N x J economy: bilateral flows with home bias, input shares (if ``io``) and
    non-negative final demand, balanced by construction."""
    rng = np.random.default_rng(seed)
    X_nij = rng.uniform(0.2, 1.0, (N, N, J)) * rng.uniform(0.5, 2.0, (1, N, 1))
    X_nij[np.arange(N), np.arange(N), :] *= home
    X_nij *= 100.0
    Y = X_nij.sum(axis=0)  # (i, j): sales of i's sector j
    X = X_nij.sum(axis=1)  # (n, k): purchases of sector k by n
    if io:
        a = rng.uniform(0.05, 0.3, (N, J, J))  # a[n, k, j]: input k per unit of j
        inputs = a * Y[:, None, :]
        # keep final demand positive: inputs of k bought by n at most 60% of n's purchases of k
        scale = np.minimum(1.0, 0.6 * X / inputs.sum(axis=2))
        inputs *= scale[:, :, None]
    else:
        inputs = np.zeros((N, J, J))
    final = X - inputs.sum(axis=2)
    countries = tuple(countries or [f"C{k}" for k in range(N)])
    sectors = tuple(sectors or [f"S{k}" for k in range(J)])
    return baseline_from_flows(X_nij, inputs, Y, final, countries=countries, sectors=sectors, year=2022, source="hand-made test economy")


@pytest.fixture
def economy() -> Baseline:
    """3 countries x 2 sectors with input-output links (hand-made, random but balanced)."""
    return small_economy(3, 2, seed=7)


@pytest.fixture
def named_economy() -> Baseline:
    """A small economy with the countries and sectors the built-in scenarios name."""
    return small_economy(4, 3, seed=3, countries=("CHN", "MYS", "TUR", "USA"), sectors=("A01", "C26", "G"))
