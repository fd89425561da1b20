"""The potential backtest on a simulated world where the answer is known: pairs that trade below
the gravity benchmark in the base years catch up afterwards, so the top ten by potential gain
share; with no catching up, no variant should find a systematic gain."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geohedge.errors import InputError
from geohedge.partners import gravity_benchmark, potential_backtest


def world(n: int = 18, seed: int = 0, catch_up: float = 0.8):
    rng = np.random.default_rng(seed)
    lat, lon = rng.uniform(-40, 60, n), rng.uniform(-120, 150, n)
    size = rng.lognormal(3, 1, n)
    codes = [f"C{k:02d}" for k in range(n)]
    D = np.hypot(lat[:, None] - lat[None, :], lon[:, None] - lon[None, :]) * 100 + 50
    mu = np.exp(np.log(size)[:, None] + np.log(size)[None, :] - 1.0 * np.log(D) + 8)
    np.fill_diagonal(mu, 0)
    shock = np.exp(rng.normal(0, 0.6, (n, n)))  # base-year deviations from the benchmark
    base = mu * shock
    later = mu * shock ** (1 - catch_up)  # deviations shrink by catch_up afterwards
    flows = {2011: base, 2012: base, 2015: base * np.exp(rng.normal(0, 0.02, (n, n))), 2020: later}
    a, b = np.nonzero(~np.eye(n, dtype=bool))
    fl = pd.DataFrame({"exporter": np.asarray(codes)[a], "importer": np.asarray(codes)[b], "value_usd": base[a, b] * 1e6,
                       "distance_km": D[a, b], "contiguous": False})
    flows = {y: m * 1e6 for y, m in flows.items()}
    return flows, codes, gravity_benchmark(fl)


def test_catching_up_is_found():
    flows, codes, g = world(catch_up=0.8)
    bt = potential_backtest(flows, codes, g, base_years=(2011, 2012), start=2015, end=2020, top=5)
    s = bt.summary.set_index("variant")
    assert len(bt.frame) == len(codes) and set(s.index) == {"z", "gap_usd", "ratio", "largest"}
    for v in ("z", "ratio"):
        assert s.loc[v, "median_top_minus_rest"] > 0.2 and s.loc[v, "countries_top_better"] >= len(codes) - 1
        assert s.loc[v, "sign_test_p"] < 1e-3


def test_no_catching_up_no_signal():
    flows, codes, g = world(catch_up=0.0)
    s = potential_backtest(flows, codes, g, base_years=(2011, 2012), start=2015, end=2020, top=5).summary.set_index("variant")
    assert (s["median_top_minus_rest"].abs() < 0.05).all()


def test_years_must_follow():
    flows, codes, g = world(n=6)
    with pytest.raises(InputError, match="no trade for 2019"):
        potential_backtest(flows, codes, g, base_years=(2011,), start=2015, end=2019)
    with pytest.raises(InputError, match="must follow the base years"):
        potential_backtest(flows, codes, g, base_years=(2011, 2015), start=2015, end=2020)
