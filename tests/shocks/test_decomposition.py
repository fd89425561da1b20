"""The public constructor and solve on small hand-made economies: CP2015's linearised
decomposition, deficit rules, the rest of the world as a region."""

from __future__ import annotations

import numpy as np
import pytest

from geohedge.errors import InputError
from geohedge.iotable import IOTable
from geohedge.shocks import baseline_from_arrays, rebalance_baseline, solve_counterfactual
from geohedge.shocks.calibrate import baseline_from_iotable

from .conftest import small_economy

THETA = np.array([4.0, 7.0])


def _tariff(b, n, i, v):
    tau1 = b.tau.copy()
    tau1[n, i, :] += v
    return tau1


def test_zero_shock_gives_zero_decomposition(economy):
    r = solve_counterfactual(economy, theta=THETA, tol=1e-12)
    f = r.to_frame()
    for col in ("welfare_linear_cp2015", "terms_of_trade_cp2015", "volume_of_trade_cp2015", "trade_cost_cp2015", "real_income_change"):
        np.testing.assert_allclose(f[col], 0.0, atol=1e-10)


def test_linearised_welfare_approaches_the_exact_change_for_small_shocks(economy):
    b = baseline_from_arrays(economy.trade() / (1 + economy.tau), gamma_va=economy.gamma_va, gamma_io=economy.gamma_io,
                             alpha=economy.alpha, tau=np.full(economy.pi.shape, 0.05), theta=THETA)
    gaps = []
    for v in (0.02, 0.001):
        r = solve_counterfactual(b, tau1=_tariff(b, 0, 1, v), tol=1e-13)
        f = r.to_frame()
        gaps.append(np.abs(f["welfare_linear_cp2015"] - f["real_income_change"]).max() / np.abs(f["real_income_change"]).max())
        # terms-of-trade parts are a zero-sum game across countries when weighted by income
        np.testing.assert_allclose((r.decomposition.tot() * r.I0).sum(), 0.0, atol=1e-9 * r.I0.sum())
    assert gaps[1] < gaps[0] and gaps[1] < 0.05  # the approximation error shrinks with the shock


def test_decomposition_by_sector_sums_to_the_totals(economy):
    r = solve_counterfactual(economy, tau1=_tariff(economy, 0, 1, 0.2), theta=THETA)
    sec = r.decomposition_frame().groupby("country")[["terms_of_trade_cp2015", "volume_of_trade_cp2015"]].sum()
    f = r.to_frame().set_index("country")
    np.testing.assert_allclose(sec.loc[f.index, "terms_of_trade_cp2015"], f["terms_of_trade_cp2015"], atol=1e-14)
    assert set(r.welfare_frame()["measure"]) == {"exact", "linear_cp2015", "terms_of_trade_cp2015", "volume_of_trade_cp2015", "trade_cost_cp2015"}
    assert (f["tariff_revenue_new_usd_mn"] >= 0).all() and f.loc["C0", "tariff_revenue_new_usd_mn"] > f.loc["C0", "tariff_revenue_base_usd_mn"]


def test_trade_cost_cut_has_a_direct_effect(economy):
    d = np.ones(economy.pi.shape)
    d[0, 1, :] = d[1, 0, :] = 0.95
    f = solve_counterfactual(economy, d_hat=d, theta=THETA, tol=1e-12).to_frame().set_index("country")
    assert f.loc["C0", "trade_cost_cp2015"] > 0 and f.loc["C2", "trade_cost_cp2015"] == 0


def test_shares_and_flows_give_the_same_baseline(economy):
    T = economy.trade() / (1 + economy.tau)
    a = baseline_from_arrays(T, gamma_va=economy.gamma_va, gamma_io=economy.gamma_io, theta=THETA)
    b = baseline_from_arrays(shares=economy.pi, expenditure=economy.X, gamma_va=economy.gamma_va, gamma_io=economy.gamma_io, theta=THETA)
    for k in ("pi", "X", "Y", "VA", "D", "I", "alpha"):
        np.testing.assert_allclose(getattr(a, k), getattr(b, k), rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(a.alpha, economy.alpha, atol=1e-12)  # derived from market clearing = the calibrated shares
    assert a.exact and b.exact


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"gamma_va": np.full((3, 2), 0.9)}, r"cost shares of C\d sector S\d sum to .*: gamma_va \+ sum_k gamma_io must be 1"),
        ({"alpha": np.full((3, 2), 0.7)}, "final-demand shares alpha must be non-negative and sum to 1"),
        ({"tau": np.full((3, 3, 2), -1.5)}, "baseline tariffs must be above -100%"),
        ({"theta": np.array([4.0, 0.0])}, "trade elasticities must be positive"),
        ({"countries": ("A", "B")}, "2 country and 2 sector labels for arrays of 3 countries"),
    ],
)
def test_constructor_rejects_bad_arrays(economy, kwargs, match):
    T = economy.trade() / (1 + economy.tau)
    base = {"gamma_va": economy.gamma_va, "gamma_io": economy.gamma_io}
    with pytest.raises(InputError, match=match):
        baseline_from_arrays(T, **{**base, **kwargs})
    with pytest.raises(InputError, match="either as trade"):
        baseline_from_arrays(T, shares=economy.pi, expenditure=economy.X)


def test_zero_deficits_are_solved_first_and_an_inexact_baseline_is_re_solved():
    b = small_economy(3, 2, seed=5)
    assert np.abs(b.D).max() > 1
    z = rebalance_baseline(b, THETA, deficits="zero", tol=1e-12)
    np.testing.assert_allclose(z.D, 0.0)
    T0 = z.trade() / (1 + z.tau)
    d = np.arange(3)
    T0[d, d, :] = 0
    np.testing.assert_allclose(T0.sum(axis=(1, 2)), T0.sum(axis=(0, 2)), rtol=1e-9)  # trade balanced
    np.testing.assert_allclose((z.VA).sum(), b.VA.sum(), rtol=1e-12)  # numeraire: world value added
    r = solve_counterfactual(b, theta=THETA, deficits="zero", tol=1e-12)  # no shock: nothing moves from the zero-deficit baseline
    np.testing.assert_allclose(r.W_hat, 1.0, atol=1e-9)
    # final-demand shares that do not fit the flows (as after CP2015's clipping of negative shares) make the data no
    # equilibrium: solves re-solve it first
    T = b.trade() / (1 + b.tau)
    inexact = baseline_from_arrays(T, gamma_va=b.gamma_va, gamma_io=b.gamma_io, alpha=np.full((3, 2), 0.5), theta=THETA)
    assert not inexact.exact and any("not an equilibrium" in n for n in inexact.notes)
    r = solve_counterfactual(inexact, deficits="fixed", tol=1e-12)
    np.testing.assert_allclose(r.W_hat, 1.0, atol=1e-9)
    assert any("re-solved as an equilibrium" in n for n in r.notes)


def test_proportional_deficits_follow_value_added(economy):
    r = solve_counterfactual(economy, tau1=_tariff(economy, 0, 1, 0.3), theta=THETA, deficits="proportional", tol=1e-12)
    assert r.deficits == "proportional" and any("E = phi Y" in n for n in r.notes)
    fixed = solve_counterfactual(economy, tau1=_tariff(economy, 0, 1, 0.3), theta=THETA, tol=1e-12)
    assert not np.allclose(r.W_hat, fixed.W_hat)
    with pytest.raises(InputError, match="not a deficit rule"):
        solve_counterfactual(economy, theta=THETA, deficits="balanced")


def test_rest_of_world_as_a_buyer_only_region():
    """A hand-made 2-country, 2-sector table with final sales to a third region (ROW)."""
    rng = np.random.default_rng(4)
    Z = rng.uniform(5, 20, (4, 4))
    F = np.concatenate([rng.uniform(30, 60, (4, 2)), rng.uniform(5, 10, (4, 1))], axis=1)
    table = IOTable(year=2022, countries=("AAA", "BBB"), sectors=("A01", "C26"), Z=Z, F=F, final_regions=("AAA", "BBB", "ROW"))
    fold = baseline_from_iotable(table)
    region = baseline_from_iotable(table, rest_of_world="region")
    assert fold.countries == ("AAA", "BBB") and region.countries == ("AAA", "BBB", "ROW")
    T = region.trade() / (1 + region.tau)
    np.testing.assert_allclose(T[2, :2, :].reshape(-1), F[:, 2])  # ROW buys what the table records
    assert not T[:, 2, :].any()  # and sells nothing
    np.testing.assert_allclose(T[:2, :2, :].transpose(1, 2, 0).reshape(4, 2), Z.reshape(4, 2, 2).sum(axis=2) + F[:, :2])
    assert region.D[2] == pytest.approx(F[:, 2].sum()) and abs(region.D.sum()) < 1e-9
    theta = np.array([5.0, 5.0])
    r = solve_counterfactual(region, tau1=_tariff(region, 0, 1, 0.2), theta=theta, tol=1e-12)
    assert r.convergence.equilibrium_residual < 1e-8 and any("ROW is the rest of the world" in n for n in r.notes)
    assert r.X1[2].sum() == pytest.approx(region.X[2].sum(), rel=1e-9)  # ROW's spending fixed in the numeraire
    with pytest.raises(InputError, match="proportional' needs value added"):
        solve_counterfactual(region, theta=theta, deficits="proportional")
    with pytest.raises(InputError, match="rest_of_world 'sea'"):
        baseline_from_iotable(table, rest_of_world="sea")
