"""Monte Carlo over trade elasticities (library API)."""

from __future__ import annotations

import types

import numpy as np
import pytest

from geohedge.errors import ConvergenceError, InputError
from geohedge.shocks import _kernels as K
from geohedge.shocks import montecarlo as mc
from geohedge.shocks.scenario import builtin_scenario


def test_draws_are_reproducible_and_centred(named_economy):
    sc = builtin_scenario("us-tariff-mys-24")
    a = mc.montecarlo_welfare(named_economy, sc, draws=30, seed=11)
    b = mc.montecarlo_welfare(named_economy, sc, draws=30, seed=11)
    np.testing.assert_array_equal(a.draws, b.draws)
    assert a.draws.shape == (30, 4) and a.failed == 0
    f = a.to_frame().set_index("country")
    assert f.loc["MYS", "welfare_change_p05"] < f.loc["MYS", "welfare_change_point"] < f.loc["MYS", "welfare_change_p95"]
    # log-normal draws around the estimates: the median draw is the estimate
    theta0 = np.array([9.11, (12.95 + 3.95 + 8.71) / 3, 5.0])
    np.testing.assert_allclose(np.median(a.theta, axis=0), theta0, rtol=0.15)
    assert "30 draws (0 failed)" in a.summary("MYS")


def test_too_many_failed_draws_raise(named_economy, monkeypatch):
    real = K.solve_hat
    calls = {"n": 0}

    def flaky(*args, **kwargs):  # the point solve goes through model.py; every draw after the first fails
        calls["n"] += 1
        sol = real(*args, **kwargs)
        return sol if calls["n"] == 1 else K.KernelSolution(sol.w_hat, sol.lnP_hat, sol.X1, sol.pi1, 7, 1.0, False)

    monkeypatch.setattr(mc, "K", types.SimpleNamespace(solve_hat=flaky, shock_weights=K.shock_weights, welfare_hat=K.welfare_hat, KernelSolution=K.KernelSolution))
    with pytest.raises(ConvergenceError, match="9 of 10 Monte Carlo draws did not converge"):
        mc.montecarlo_welfare(named_economy, builtin_scenario("us-tariff-mys-24"), draws=10, seed=1)


def test_draw_count_checked(named_economy):
    with pytest.raises(InputError, match="between 1 and 100,000"):
        mc.montecarlo_welfare(named_economy, builtin_scenario("us-tariff-mys-24"), draws=0)
