"""The solver: zero shock, equilibrium residuals, linearity for tiny shocks, failures."""

from __future__ import annotations

import numpy as np
import pytest

from geohedge.errors import ConvergenceError, InputError, ModelError
from geohedge.shocks import _kernels as K
from geohedge.shocks.model import (
    Equilibrium,
    equilibrium_of,
    equilibrium_residuals,
    solve_arrays,
)
from geohedge.shocks.scenario import ShockArrays

from .conftest import small_economy


def shocks(b, *, tariff=None, cost=None, embargo=None) -> ShockArrays:
    """Shock arrays from {(importer, exporter, sector): value} dicts (tariff as a fraction)."""
    N, J = b.N, b.J
    tau = np.zeros((N, N, J))
    kappa = np.ones((N, N, J))
    for (n, i, j), v in (tariff or {}).items():
        tau[n, i, j] = v
    for (n, i, j), v in (cost or {}).items():
        kappa[n, i, j] = v
    kappa = kappa * (1 + tau)
    for n, i, j in embargo or ():
        kappa[n, i, j] = np.inf
    return ShockArrays(kappa_hat=kappa, tau_new=tau, touched=np.zeros(N, bool))


def test_zero_shock_returns_all_hats_one(economy):
    r = solve_arrays(economy, shocks(economy), np.array([4.0, 8.0]), tol=1e-10)
    for arr in (r.w_hat, r.P_hat, r.W_hat, r.I_hat, r.CPI_hat):
        np.testing.assert_allclose(arr, 1.0, atol=1e-9)
    np.testing.assert_allclose(r.T1, r.T0, rtol=1e-9, atol=1e-9)


def test_residuals_vanish_at_the_solution_and_not_elsewhere(economy):
    sh = shocks(economy, tariff={(0, 1, 0): 0.25, (1, 0, 1): 0.1}, cost={(2, 0, 0): 0.8})
    theta = np.array([3.0, 6.0])
    r = solve_arrays(economy, sh, theta, tol=1e-11)
    sol = K.solve_hat(K.shock_weights(economy.pi, sh.kappa_hat, theta), 1 / (1 + sh.tau_new), economy.gamma_va,
                      economy.gamma_io, economy.alpha, economy.X, economy.VA, economy.D, theta, tol=1e-11)
    eq = equilibrium_of(economy, sol)
    res = equilibrium_residuals(economy, eq, sh.kappa_hat, sh.tau_new, theta)
    assert res.max() < 1e-8, res
    assert not np.allclose(r.w_hat, 1.0)  # the shock did something
    # the residual functions notice a wrong point: nudge one wage by 1%
    w = eq.w_hat.copy()
    w[0] *= 1.01
    bad = equilibrium_residuals(economy, Equilibrium(w, eq.P_hat, eq.c_hat, eq.X1, eq.pi1), sh.kappa_hat, sh.tau_new, theta)
    assert bad.cost > 1e-3 and bad.factor_market > 1e-3


def test_halving_a_tiny_shock_halves_welfare_effects(economy):
    theta = np.array([5.0, 5.0])
    full = solve_arrays(economy, shocks(economy, tariff={(0, 1, 0): 2e-4, (0, 1, 1): 2e-4}), theta, tol=1e-13)
    half = solve_arrays(economy, shocks(economy, tariff={(0, 1, 0): 1e-4, (0, 1, 1): 1e-4}), theta, tol=1e-13)
    d_full, d_half = full.W_hat - 1, half.W_hat - 1
    assert np.abs(d_full).max() > 1e-7
    np.testing.assert_allclose(d_half, 0.5 * d_full, rtol=2e-3, atol=1e-11)


def test_embargo_on_every_supplier_raises_model_error():
    b = small_economy(2, 1, seed=1, io=False)
    # country 0 buys sector 0 from 0 and 1; embargo 1 and make 0 buy nothing from itself
    pi = b.pi.copy()
    pi[0, 0, 0], pi[0, 1, 0] = 0.0, 1.0
    b2 = type(b)(**{**b.__dict__, "pi": pi})
    with pytest.raises(ModelError, match="no supplier of sector S0"):
        solve_arrays(b2, shocks(b2, embargo=[(0, 1, 0)]), np.array([5.0]))


def test_non_convergence_raises_with_diagnostics(economy):
    with pytest.raises(ConvergenceError) as info:
        solve_arrays(economy, shocks(economy, tariff={(0, 1, 0): 0.5}), np.array([5.0, 5.0]), max_iter=2)
    assert info.value.iterations == 2 and info.value.residual > info.value.tolerance
    assert "did not converge" in str(info.value)


@pytest.mark.parametrize("theta", [np.array([5.0]), np.array([5.0, -1.0]), np.array([5.0, np.nan])])
def test_bad_elasticities_rejected(economy, theta):
    with pytest.raises(InputError, match="theta|elasticities"):
        solve_arrays(economy, shocks(economy), theta)


def test_result_frames_are_consistent(economy):
    r = solve_arrays(economy, shocks(economy, tariff={(0, 1, 0): 0.3}), np.array([4.0, 4.0]))
    f = r.to_frame()
    assert list(f["country"]) == list(economy.countries)
    sec = r.sectors_frame()
    assert len(sec) == economy.N * economy.J
    bil = r.bilateral_frame()
    # country exports are the sum of its bilateral exports
    ex = bil.groupby("exporter")["new_usd_mn"].sum()
    np.testing.assert_allclose(ex.loc[list(economy.countries)].to_numpy(), f["exports_base_usd_mn"] * (1 + f["exports_change"]))
    # the taxed flow falls
    row = r.bilateral_frame(by_sector=True).query("exporter == 'C1' and importer == 'C0' and sector == 'S0'")
    assert row["change"].iloc[0] < -0.3
