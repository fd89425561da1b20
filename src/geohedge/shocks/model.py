"""Solve a scenario: the checked entry point of the Caliendo–Parro (2015) model in changes.

:func:`solve` validates inputs, builds the shock arrays, runs the kernel
(:func:`geohedge.shocks._kernels.solve_hat`), then checks every equilibrium condition with
its own residual function below (written from the equations, independently of the
iteration) and raises :class:`~geohedge.errors.ConvergenceError` when the solver stopped
early or a condition does not hold. A failed solve returns nothing.

Notation as in :mod:`geohedge.shocks._kernels` (n importer, i exporter, j and k sectors).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from geohedge.errors import ConvergenceError, InputError, ModelError
from geohedge.exposure.results import Provenance
from geohedge.shocks import _kernels as K
from geohedge.shocks.calibrate import Baseline
from geohedge.shocks.results import Convergence, ShockResult
from geohedge.shocks.scenario import Scenario, ShockArrays, scenario_theta, shock_arrays

__all__ = [
    "Equilibrium",
    "EquilibriumResiduals",
    "cost_residual",
    "equilibrium_residuals",
    "expenditure_residual",
    "factor_market_residual",
    "numeraire_residual",
    "price_index_residual",
    "share_residual",
    "solve",
    "solve_arrays",
    "trade_balance_residual",
]

UNIT = "USD mn (baseline year); changes relative (0.01 = +1%)"


@dataclass(frozen=True, eq=False)
class Equilibrium:
    """A candidate solution in model notation: ``w_hat`` (N,), ``P_hat`` (N, J),
    ``c_hat`` (N, J), ``X1`` (N, J) USD mn, ``pi1`` (N, N, J)."""

    w_hat: np.ndarray
    P_hat: np.ndarray
    c_hat: np.ndarray
    X1: np.ndarray
    pi1: np.ndarray


@dataclass(frozen=True)
class EquilibriumResiduals:
    """Largest violation of each equilibrium condition (relative to its scale)."""

    cost: float
    price_index: float
    shares: float
    expenditure: float
    factor_market: float
    trade_balance: float
    numeraire: float

    def max(self) -> float:
        return max(self.cost, self.price_index, self.shares, self.expenditure, self.factor_market, self.trade_balance, self.numeraire)


# --- one residual function per equilibrium condition -----------------------------------


def cost_residual(b: Baseline, eq: Equilibrium) -> float:
    """Eq. 1: ``c_hat[n,j] = w_hat[n]**gamma[n,j] * prod_k P_hat[n,k]**gamma_io[n,k,j]`` (relative)."""
    rhs = eq.w_hat[:, None] ** b.gamma_va
    for k in range(b.J):
        rhs = rhs * eq.P_hat[:, k][:, None] ** b.gamma_io[:, k, :]
    return float(np.max(np.abs(eq.c_hat / rhs - 1.0)))


def price_index_residual(b: Baseline, eq: Equilibrium, kappa_hat: np.ndarray, theta: np.ndarray) -> float:
    """Eq. 2: ``P_hat**(-theta) = sum_i pi * (kappa_hat * c_hat)**(-theta)`` (relative)."""
    total = np.zeros((b.N, b.J))
    for i in range(b.N):
        k = kappa_hat[:, i, :]
        term = np.where(np.isinf(k), 0.0, b.pi[:, i, :] * (np.where(np.isinf(k), 1.0, k) * eq.c_hat[i][None, :]) ** (-theta[None, :]))
        total += term
    lhs = eq.P_hat ** (-theta[None, :])
    return float(np.max(np.abs(total / lhs - 1.0)))


def share_residual(b: Baseline, eq: Equilibrium, kappa_hat: np.ndarray, theta: np.ndarray) -> float:
    """Eq. 3: ``pi1 = pi * (kappa_hat * c_hat / P_hat)**(-theta)`` (absolute, shares)."""
    worst = 0.0
    for n in range(b.N):
        k = kappa_hat[n]
        ratio = np.where(np.isinf(k), np.inf, k * eq.c_hat / eq.P_hat[n][None, :])
        with np.errstate(divide="ignore"):
            pred = b.pi[n] * np.where(np.isinf(ratio), 0.0, ratio ** (-theta[None, :]))
        worst = max(worst, float(np.max(np.abs(pred - eq.pi1[n]))))
    return worst


def _receipts(eq: Equilibrium, tau_new: np.ndarray) -> np.ndarray:
    """Exporter receipts ``X1[n,j] * pi1[n,i,j] / (1 + tau_new[n,i,j])``, (N, N, J)."""
    return eq.X1[:, None, :] * eq.pi1 / (1.0 + tau_new)


def _income(b: Baseline, eq: Equilibrium, tau_new: np.ndarray) -> np.ndarray:
    spend = eq.X1[:, None, :] * eq.pi1
    revenue = (spend - spend / (1.0 + tau_new)).sum(axis=(1, 2))
    return eq.w_hat * b.VA + revenue + b.D


def expenditure_residual(b: Baseline, eq: Equilibrium, tau_new: np.ndarray) -> float:
    """Eq. 4: ``X1[n,j] = sum_k gamma_io[n,j,k] Y1[n,k] + alpha[n,j] I1[n]`` (relative to world spending)."""
    Y1 = _receipts(eq, tau_new).sum(axis=0)
    rhs = np.zeros_like(eq.X1)
    for k in range(b.J):
        rhs += b.gamma_io[:, :, k] * Y1[:, k][:, None]
    rhs += b.alpha * _income(b, eq, tau_new)[:, None]
    return float(np.max(np.abs(eq.X1 - rhs)) / b.X.sum() * b.N * b.J)


def factor_market_residual(b: Baseline, eq: Equilibrium, tau_new: np.ndarray) -> float:
    """Eq. 5: ``w_hat[n] VA[n] = sum_j gamma[n,j] Y1[n,j]`` (relative to VA)."""
    Y1 = _receipts(eq, tau_new).sum(axis=0)
    va1 = (b.gamma_va * Y1).sum(axis=1)
    return float(np.max(np.abs(eq.w_hat * b.VA - va1) / np.maximum(b.VA, 1e-12 * b.VA.sum())))


def trade_balance_residual(b: Baseline, eq: Equilibrium, tau_new: np.ndarray) -> float:
    """CP2015 eq. 14: imports (at exporter prices) less exports equal the deficit ``D[n]``
    (relative to world value added); implied by eqs. 4-5, so a separate check."""
    T = _receipts(eq, tau_new)
    d = np.arange(b.N)
    T[d, d, :] = 0.0
    imports = T.sum(axis=(1, 2))
    exports = T.sum(axis=(0, 2))
    return float(np.max(np.abs(imports - exports - b.D)) / b.VA.sum())


def numeraire_residual(b: Baseline, eq: Equilibrium) -> float:
    """Normalisation: world value added unchanged, ``sum w_hat VA = sum VA`` (relative)."""
    return float(abs((eq.w_hat * b.VA).sum() / b.VA.sum() - 1.0))


def equilibrium_residuals(b: Baseline, eq: Equilibrium, kappa_hat: np.ndarray, tau_new: np.ndarray, theta: np.ndarray) -> EquilibriumResiduals:
    """Every condition of the equilibrium at ``eq``, each by its own function."""
    return EquilibriumResiduals(
        cost=cost_residual(b, eq),
        price_index=price_index_residual(b, eq, kappa_hat, theta),
        shares=share_residual(b, eq, kappa_hat, theta),
        expenditure=expenditure_residual(b, eq, tau_new),
        factor_market=factor_market_residual(b, eq, tau_new),
        trade_balance=trade_balance_residual(b, eq, tau_new),
        numeraire=numeraire_residual(b, eq),
    )


def equilibrium_of(b: Baseline, sol: K.KernelSolution) -> Equilibrium:
    """The :class:`Equilibrium` of a kernel solution (costs recomputed from eq. 1)."""
    lnc = b.gamma_va * np.log(sol.w_hat)[:, None] + np.einsum("nkj,nk->nj", b.gamma_io, sol.lnP_hat)
    return Equilibrium(w_hat=sol.w_hat, P_hat=np.exp(sol.lnP_hat), c_hat=np.exp(lnc), X1=sol.X1, pi1=sol.pi1)


# --- checked entry points ----------------------------------------------------------------


def _check_theta(theta: np.ndarray, J: int) -> np.ndarray:
    theta = np.asarray(theta, dtype=float)
    if theta.shape != (J,):
        raise InputError(f"theta must have one value per sector ({J}), got shape {theta.shape}")
    if not np.all(np.isfinite(theta)) or (theta <= 0).any():
        raise InputError(f"trade elasticities must be positive and finite; got {theta[~(np.isfinite(theta) & (theta > 0))][:3]}")
    return theta


def _check_supply(b: Baseline, B: np.ndarray) -> None:
    supply = B.sum(axis=1)
    bad = np.argwhere((b.X > 0) & (supply <= 0))
    if len(bad):
        n, j = bad[0]
        raise ModelError(
            f"the shocks leave {b.countries[n]} with no supplier of sector {b.sectors[j]} (all its baseline "
            f"suppliers are embargoed); exclude that sector from the embargo"
        )


def solve_arrays(
    b: Baseline,
    shocks: ShockArrays,
    theta: np.ndarray,
    *,
    name: str = "scenario",
    tol: float = 1e-8,
    max_iter: int = 2000,
    check: bool = True,
    start: K.KernelSolution | None = None,
) -> ShockResult:
    """Solve for given shock arrays and elasticities (see :func:`solve`).

    Raises
    ------
    InputError
        Shapes or elasticities invalid.
    ModelError
        An embargo leaves a country with no supplier of a sector it buys.
    ConvergenceError
        The iteration stopped before ``tol`` or an equilibrium condition does not hold.
    """
    N, J = b.N, b.J
    theta = _check_theta(theta, J)
    for nm, arr in (("kappa_hat", shocks.kappa_hat), ("tau_new", shocks.tau_new)):
        if arr.shape != (N, N, J):
            raise InputError(f"{nm} must have shape {(N, N, J)}, got {arr.shape}")
    if (shocks.tau_new <= -1).any() or np.isnan(shocks.kappa_hat).any() or (shocks.kappa_hat <= 0).any():
        raise InputError("tariffs must stay above -100% and trade-cost changes positive")
    if not (0 < tol < 1):
        raise InputError(f"tolerance must be in (0, 1), got {tol}")
    t0 = time.perf_counter()
    B = K.shock_weights(b.pi, shocks.kappa_hat, theta)
    _check_supply(b, B)
    inv1t = 1.0 / (1.0 + shocks.tau_new)
    sol = K.solve_hat(B, inv1t, b.gamma_va, b.gamma_io, b.alpha, b.X, b.VA, b.D, theta, tol=tol, max_iter=max_iter, start=start)
    seconds = time.perf_counter() - t0
    if not sol.converged:
        raise ConvergenceError(
            f"scenario {name!r} did not converge; try a smaller shock, larger max_iter, or check the elasticities",
            iterations=sol.iterations, residual=sol.residual, tolerance=tol,
        )
    eq = equilibrium_of(b, sol)
    res_max = equilibrium_residuals(b, eq, shocks.kappa_hat, shocks.tau_new, theta).max() if check else float("nan")
    if check and not res_max < max(1e3 * tol, 1e-9):
        raise ConvergenceError(
            f"scenario {name!r}: an equilibrium condition does not hold at the solution (largest residual {res_max:.3g})",
            iterations=sol.iterations, residual=res_max, tolerance=tol,
        )
    W_hat, I_hat = K.welfare_hat(sol.w_hat, sol.lnP_hat, sol.X1, sol.pi1, inv1t, b.alpha, b.VA, b.D, b.I)
    T1 = sol.X1[:, None, :] * sol.pi1 * inv1t
    notes = list(shocks.notes)
    notes.append(f"non-tradable sectors (never shocked): {', '.join(s for s, t in zip(b.sectors, b.tradable, strict=True) if not t) or 'none'}")
    if b.approximate:
        notes.append("final demand's split across destination countries is approximate in the offline bundle (see docs/data.md); bilateral results depend on it")
    if b.tariff_source:
        notes.append(f"baseline tariffs: {b.tariff_source}")
        high = np.argwhere((shocks.tau_new != b.tau) & (b.tau >= 0.5))
        if len(high):
            secs = sorted({b.sectors[j] for _, _, j in high})
            notes.append(f"{len(high)} shocked flows start from a baseline tariff of 50% or more (sectors {', '.join(secs[:5])}): the source's "
                         "sector rates average HS6 lines including the ad valorem equivalents of specific and out-of-quota duties "
                         "(tobacco, alcohol, sugar) and overstate the duty paid on the sector's trade; see docs/data.md")
    return ShockResult(
        scenario=name, countries=b.countries, sectors=b.sectors, w_hat=sol.w_hat, P_hat=eq.P_hat,
        W_hat=W_hat, I_hat=I_hat, CPI_hat=np.exp((b.alpha * sol.lnP_hat).sum(axis=1)),
        T0=b.trade() / (1.0 + b.tau), T1=T1, Y0=b.Y, Y1=T1.sum(axis=0), X1=sol.X1, theta=theta,
        convergence=Convergence(sol.iterations, sol.residual, tol, seconds, res_max),
        provenance=Provenance(source=f"geohedge shock model (Caliendo-Parro 2015) on {b.source or 'input-output table'}", year=b.year, unit=UNIT, approximate=b.approximate),
        notes=tuple(notes),
        targeted=shocks.touched.copy(),
        tau0=b.tau, tau1=shocks.tau_new, tariff_source=b.tariff_source,
    )


def solve(b: Baseline, scenario: Scenario, *, tol: float = 1e-8, max_iter: int = 2000, check: bool = True) -> ShockResult:
    """Solve a scenario on a calibrated baseline (Caliendo & Parro 2015, exact hat algebra).

    Parameters
    ----------
    b
        Baseline from :func:`geohedge.shocks.calibrate.baseline_from_iotable`.
    scenario
        A validated :class:`~geohedge.shocks.scenario.Scenario`.
    tol
        Largest change of ``ln w_hat``, ``ln P_hat`` and relative expenditure in one
        sweep at which the iteration stops (default 1e-8).
    check
        Check every equilibrium condition after solving (cheap; on by default).

    Raises
    ------
    InputError
        The scenario names a country that is not a region of the table.
    ModelError, ConvergenceError
        See :func:`solve_arrays`.
    """
    if b.year and scenario.base_year != b.year:
        raise InputError(f"scenario base_year {scenario.base_year} does not match the table's year {b.year}; set base_year = {b.year}")
    shocks = shock_arrays(scenario, b.countries, b.sectors, b.tradable, b.tau)
    theta = scenario_theta(scenario, b.sectors)
    return solve_arrays(b, shocks, theta, name=scenario.name, tol=tol, max_iter=max_iter, check=check)
