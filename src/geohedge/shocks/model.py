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
from geohedge.shocks.decomposition import welfare_decomposition
from geohedge.shocks.scenario import DEFICITS, Scenario, ShockArrays, scenario_theta, shock_arrays

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


def _income(b: Baseline, eq: Equilibrium, tau_new: np.ndarray, D1: np.ndarray | None = None) -> np.ndarray:
    spend = eq.X1[:, None, :] * eq.pi1
    revenue = (spend - spend / (1.0 + tau_new)).sum(axis=(1, 2))
    return eq.w_hat * b.VA + revenue + (b.D if D1 is None else D1)


def expenditure_residual(b: Baseline, eq: Equilibrium, tau_new: np.ndarray, D1: np.ndarray | None = None) -> float:
    """Eq. 4: ``X1[n,j] = sum_k gamma_io[n,j,k] Y1[n,k] + alpha[n,j] I1[n]`` (relative to world spending)."""
    Y1 = _receipts(eq, tau_new).sum(axis=0)
    rhs = np.zeros_like(eq.X1)
    for k in range(b.J):
        rhs += b.gamma_io[:, :, k] * Y1[:, k][:, None]
    rhs += b.alpha * _income(b, eq, tau_new, D1)[:, None]
    return float(np.max(np.abs(eq.X1 - rhs)) / b.X.sum() * b.N * b.J)


def factor_market_residual(b: Baseline, eq: Equilibrium, tau_new: np.ndarray) -> float:
    """Eq. 5: ``w_hat[n] VA[n] = sum_j gamma[n,j] Y1[n,j]`` (relative to VA)."""
    Y1 = _receipts(eq, tau_new).sum(axis=0)
    va1 = (b.gamma_va * Y1).sum(axis=1)
    return float(np.max(np.abs(eq.w_hat * b.VA - va1) / np.maximum(b.VA, 1e-12 * b.VA.sum())))


def trade_balance_residual(b: Baseline, eq: Equilibrium, tau_new: np.ndarray, D1: np.ndarray | None = None) -> float:
    """CP2015 eq. 14: imports (at exporter prices) less exports equal the deficit ``D[n]``
    (``D1`` when deficits move with value added; relative to world value added); implied
    by eqs. 4-5, so a separate check."""
    T = _receipts(eq, tau_new)
    d = np.arange(b.N)
    T[d, d, :] = 0.0
    imports = T.sum(axis=(1, 2))
    exports = T.sum(axis=(0, 2))
    return float(np.max(np.abs(imports - exports - (b.D if D1 is None else D1))) / b.VA.sum())


def numeraire_residual(b: Baseline, eq: Equilibrium) -> float:
    """Normalisation: world value added unchanged, ``sum w_hat VA = sum VA`` (relative)."""
    return float(abs((eq.w_hat * b.VA).sum() / b.VA.sum() - 1.0))


def equilibrium_residuals(
    b: Baseline, eq: Equilibrium, kappa_hat: np.ndarray, tau_new: np.ndarray, theta: np.ndarray, D1: np.ndarray | None = None,
) -> EquilibriumResiduals:
    """Every condition of the equilibrium at ``eq``, each by its own function (``D1``: the
    counterfactual deficits when they are not the baseline's)."""
    return EquilibriumResiduals(
        cost=cost_residual(b, eq),
        price_index=price_index_residual(b, eq, kappa_hat, theta),
        shares=share_residual(b, eq, kappa_hat, theta),
        expenditure=expenditure_residual(b, eq, tau_new, D1),
        factor_market=factor_market_residual(b, eq, tau_new),
        trade_balance=trade_balance_residual(b, eq, tau_new, D1),
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


def _phi(b: Baseline, deficits: str) -> np.ndarray | None:
    """Kernel option for deficits proportional to value added (``E = phi * Y``)."""
    if deficits != "proportional":
        return None
    bad = (b.VA <= 0) & (b.D != 0)
    if bad.any():
        raise InputError(
            f"deficits = 'proportional' needs value added in every region that runs a deficit; {b.countries[int(np.argmax(bad))]} "
            "has none (e.g. the rest-of-world region, which only buys); use deficits = 'fixed'"
        )
    return np.where(b.VA > 0, (b.VA + b.D) / np.where(b.VA > 0, b.VA, 1.0), 1.0)


def _deficits_after(b: Baseline, w_hat: np.ndarray, deficits: str) -> np.ndarray:
    return b.D * np.where(b.VA > 0, w_hat, 1.0) if deficits == "proportional" else b.D


def _check_deficits(deficits: str) -> None:
    if deficits not in DEFICITS:
        raise InputError(f"deficits {deficits!r} is not a deficit rule; use {', '.join(DEFICITS)}")


def rebalance_baseline(b: Baseline, theta: np.ndarray | None = None, *, deficits: str = "zero", tol: float = 1e-10, max_iter: int = 20000) -> Baseline:
    """The model equilibrium at the baseline's tariffs and trade costs, with deficits set to
    zero (``deficits="zero"``, CP2015's starting point for Table 2) or as the rule says
    (``"fixed"``, ``"proportional"``: re-solves data that are not an exact equilibrium).

    The returned baseline keeps the technology (``gamma``, ``alpha``, ``theta``) and tariffs
    and carries the new shares, spending, output, value added (in the numeraire, world value
    added unchanged), deficits and income.

    Raises
    ------
    InputError
        Elasticities missing or invalid, or an unknown deficit rule.
    ConvergenceError
        The equilibrium could not be found.
    """
    _check_deficits(deficits)
    theta = _check_theta(b.theta if theta is None else theta, b.J)
    D = np.zeros(b.N) if deficits == "zero" else b.D
    target = Baseline(**{**b.__dict__, "D": D})
    phi = _phi(target, deficits)
    inv1t = 1.0 / (1.0 + b.tau)
    sol = K.solve_hat(b.pi, inv1t, b.gamma_va, b.gamma_io, b.alpha, b.X, b.VA, D, theta, tol=tol, max_iter=max_iter, phi=phi)
    if not sol.converged:
        raise ConvergenceError(f"the baseline with {deficits} deficits did not converge; check the data and the elasticities",
                               iterations=sol.iterations, residual=sol.residual, tolerance=tol)
    T1 = sol.X1[:, None, :] * sol.pi1 * inv1t
    VA1 = sol.w_hat * b.VA
    D1 = _deficits_after(target, sol.w_hat, deficits)
    I1 = VA1 + (b.tau * T1).sum(axis=(1, 2)) + D1
    what = "deficits set to zero" if deficits == "zero" else "re-solved as an equilibrium of the model"
    return Baseline(**{
        **b.__dict__, "pi": sol.pi1, "X": sol.X1, "Y": T1.sum(axis=0), "VA": VA1, "D": D1, "I": I1, "exact": True,
        "notes": (*b.notes, f"baseline {what} before the shock (changes are measured from there)"),
    })


def _reference(b: Baseline, theta: np.ndarray, deficits: str, tol: float, max_iter: int) -> Baseline:
    """The equilibrium a scenario's changes are measured from."""
    if deficits == "zero" and np.abs(b.D).max() > 1e-12 * b.VA.sum():
        return rebalance_baseline(b, theta, deficits="zero", tol=min(tol, 1e-10), max_iter=max(max_iter, 20000))
    if not b.exact:
        return rebalance_baseline(b, theta, deficits=deficits, tol=min(tol, 1e-10), max_iter=max(max_iter, 20000))
    return b


def solve_arrays(
    b: Baseline,
    shocks: ShockArrays,
    theta: np.ndarray | None = None,
    *,
    name: str = "scenario",
    tol: float = 1e-8,
    max_iter: int = 2000,
    check: bool = True,
    start: K.KernelSolution | None = None,
    deficits: str = "fixed",
) -> ShockResult:
    """Solve for given shock arrays and elasticities (see :func:`solve`); the fast entry
    point for sweeps (``start``: a warm start from a nearby solution).

    ``theta`` defaults to the baseline's; ``deficits`` is the rule of :mod:`scenario`
    ("fixed", "zero", "proportional"). With ``"zero"`` (or a baseline that is not an exact
    equilibrium) the baseline is first re-solved (:func:`rebalance_baseline`) and the
    result's baseline values (``T0``, ``Y0``, incomes) are the re-solved ones.

    Raises
    ------
    InputError
        Shapes, elasticities or the deficit rule invalid.
    ModelError
        An embargo leaves a country with no supplier of a sector it buys.
    ConvergenceError
        The iteration stopped before ``tol`` or an equilibrium condition does not hold.
    """
    N, J = b.N, b.J
    _check_deficits(deficits)
    if theta is None and b.theta is None:
        raise InputError("no trade elasticities: give theta (one per sector) or build the baseline with theta=")
    theta = _check_theta(b.theta if theta is None else theta, J)
    for nm, arr in (("kappa_hat", shocks.kappa_hat), ("tau_new", shocks.tau_new)):
        if arr.shape != (N, N, J):
            raise InputError(f"{nm} must have shape {(N, N, J)}, got {arr.shape}")
    if (shocks.tau_new <= -1).any() or np.isnan(shocks.kappa_hat).any() or (shocks.kappa_hat <= 0).any():
        raise InputError("tariffs must stay above -100% and trade-cost changes positive")
    if not (0 < tol < 1):
        raise InputError(f"tolerance must be in (0, 1), got {tol}")
    t0 = time.perf_counter()
    ref = _reference(b, theta, deficits, tol, max_iter)
    B = K.shock_weights(ref.pi, shocks.kappa_hat, theta)
    _check_supply(ref, B)
    inv1t = 1.0 / (1.0 + shocks.tau_new)
    phi = _phi(ref, deficits)
    sol = K.solve_hat(B, inv1t, ref.gamma_va, ref.gamma_io, ref.alpha, ref.X, ref.VA, ref.D, theta, tol=tol, max_iter=max_iter, start=start, phi=phi)
    seconds = time.perf_counter() - t0
    if not sol.converged:
        raise ConvergenceError(
            f"scenario {name!r} did not converge; try a smaller shock, larger max_iter, or check the elasticities",
            iterations=sol.iterations, residual=sol.residual, tolerance=tol,
        )
    eq = equilibrium_of(ref, sol)
    D1 = _deficits_after(ref, sol.w_hat, deficits)
    gap = 0.0
    checked, D_check = ref, D1
    if deficits == "proportional":
        # E = phi Y does not keep world deficits summing to zero: output exceeds value added by
        # the common factor 1 + gap in every country (structural gravity's convention)
        gap = float(D1.sum() / (sol.w_hat * ref.VA).sum())
        checked, D_check = Baseline(**{**ref.__dict__, "VA": ref.VA * (1.0 + gap)}), D1 - gap * sol.w_hat * ref.VA
    res_max = float("nan")
    if check:
        r = equilibrium_residuals(ref, eq, shocks.kappa_hat, shocks.tau_new, theta, D1)
        res_max = max(r.cost, r.price_index, r.shares, r.expenditure, r.numeraire,
                      factor_market_residual(checked, eq, shocks.tau_new), trade_balance_residual(ref, eq, shocks.tau_new, D_check))
    if check and not res_max < max(1e3 * tol, 1e-9):
        raise ConvergenceError(
            f"scenario {name!r}: an equilibrium condition does not hold at the solution (largest residual {res_max:.3g})",
            iterations=sol.iterations, residual=res_max, tolerance=tol,
        )
    T0 = ref.trade() / (1.0 + ref.tau)
    T1 = sol.X1[:, None, :] * sol.pi1 * inv1t
    R1 = (shocks.tau_new * T1).sum(axis=(1, 2))
    I1 = sol.w_hat * ref.VA + R1 + D1
    if (I1 <= 0).any():
        bad = int(np.argmax(I1 <= 0))
        raise ModelError(
            f"scenario {name!r}: {ref.countries[bad]}'s income turns negative (its value added falls below the trade surplus "
            f"it must keep with deficits = {deficits!r}); use deficits = 'proportional' or 'zero', or a smaller shock"
        )
    I_hat = I1 / ref.I
    W_hat = I_hat * np.exp(-(ref.alpha * sol.lnP_hat).sum(axis=1))
    dec = welfare_decomposition(T0, T1, eq.c_hat, ref.tau, ref.I, shocks.d_hat)
    notes = list(shocks.notes) + list(ref.notes)
    notes.append(f"non-tradable sectors (never shocked): {', '.join(s for s, t in zip(ref.sectors, ref.tradable, strict=True) if not t) or 'none'}")
    if "ROW" in ref.countries:
        notes.append("ROW is the rest of the world as a buyer only (its spending by sector fixed in the numeraire, its sourcing "
                     "endogenous); its welfare is not meaningful")
    if deficits != "fixed":
        notes.append(f"deficits: {deficits}" + (" (baseline re-solved without deficits, CP2015 Table 2)" if deficits == "zero" else
                                                 f" (a constant share of each country's value added, E = phi Y; world deficits then sum to "
                                                 f"{gap:.2g} of world value added and output exceeds value added by that factor everywhere)"))
    if ref.approximate:
        notes.append("final demand's split across destination countries is approximate in the offline bundle (see docs/data.md); bilateral results depend on it")
    if ref.tariff_source:
        notes.append(f"baseline tariffs: {ref.tariff_source}")
        high = np.argwhere((shocks.tau_new != ref.tau) & (ref.tau >= 0.5))
        if len(high):
            secs = sorted({ref.sectors[j] for _, _, j in high})
            notes.append(f"{len(high)} shocked flows start from a baseline tariff of 50% or more (sectors {', '.join(secs[:5])}): the source's "
                         "sector rates average HS6 lines including the ad valorem equivalents of specific and out-of-quota duties "
                         "(tobacco, alcohol, sugar) and overstate the duty paid on the sector's trade; see docs/data.md")
    return ShockResult(
        scenario=name, countries=ref.countries, sectors=ref.sectors, w_hat=sol.w_hat, P_hat=eq.P_hat,
        W_hat=W_hat, I_hat=I_hat, CPI_hat=np.exp((ref.alpha * sol.lnP_hat).sum(axis=1)),
        T0=T0, T1=T1, Y0=ref.Y, Y1=T1.sum(axis=0), X1=sol.X1, theta=theta,
        convergence=Convergence(sol.iterations, sol.residual, tol, seconds, res_max),
        provenance=Provenance(source=f"geohedge shock model (Caliendo-Parro 2015) on {ref.source or 'input-output table'}", year=ref.year, unit=UNIT, approximate=ref.approximate),
        notes=tuple(dict.fromkeys(notes)),
        targeted=shocks.touched.copy(),
        tau0=ref.tau, tau1=shocks.tau_new, tariff_source=ref.tariff_source,
        c_hat=eq.c_hat, decomposition=dec, R0=ref.R, R1=R1, I0=ref.I, deficits=deficits,
    )


def solve(b: Baseline, scenario: Scenario, *, tol: float = 1e-8, max_iter: int = 2000, check: bool = True) -> ShockResult:
    """Solve a scenario on a calibrated baseline (Caliendo & Parro 2015, exact hat algebra).

    Parameters
    ----------
    b
        Baseline from :func:`geohedge.shocks.calibrate.baseline_from_iotable` or
        :func:`~geohedge.shocks.calibrate.baseline_from_arrays`.
    scenario
        A validated :class:`~geohedge.shocks.scenario.Scenario` (its ``deficits`` rule
        applies).
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
    return solve_arrays(b, shocks, theta, name=scenario.name, tol=tol, max_iter=max_iter, check=check, deficits=scenario.deficits)


def solve_counterfactual(
    b: Baseline,
    *,
    tau1: np.ndarray | None = None,
    d_hat: np.ndarray | None = None,
    embargo: np.ndarray | None = None,
    theta: np.ndarray | None = None,
    deficits: str = "fixed",
    name: str = "counterfactual",
    tol: float = 1e-8,
    max_iter: int = 2000,
) -> ShockResult:
    """Solve a counterfactual given as arrays on any baseline (the public solve).

    Parameters
    ----------
    b
        Any baseline (:func:`~geohedge.shocks.calibrate.baseline_from_arrays`).
    tau1
        (N, N, J) counterfactual tariffs [importer, exporter, sector] (fractions); default
        the baseline's.
    d_hat
        (N, N, J) change in iceberg trade costs (1 = none); default 1.
    embargo
        (N, N, J) bool: flows that stop.
    theta
        (J,) trade elasticities; default the baseline's.
    deficits
        "fixed", "zero" or "proportional" (see :mod:`geohedge.shocks.scenario`).

    Returns
    -------
    ShockResult
        Exact changes (``W_hat``, prices, flows) and CP2015's linearised decomposition
        (``decomposition``); ``to_frame()`` names both welfare measures.

    Raises
    ------
    InputError
        Shapes, values or rules invalid.
    ModelError, ConvergenceError
        See :func:`solve_arrays`.
    """
    N, J = b.N, b.J
    tau1 = b.tau.copy() if tau1 is None else np.array(tau1, dtype=float)
    d = np.ones((N, N, J)) if d_hat is None else np.array(d_hat, dtype=float)
    emb = np.zeros((N, N, J), bool) if embargo is None else np.asarray(embargo, bool)
    for nm, arr in (("tau1", tau1), ("d_hat", d), ("embargo", emb)):
        if arr.shape != (N, N, J):
            raise InputError(f"{nm} must have shape {(N, N, J)} [importer, exporter, sector], got {arr.shape}")
    if not np.all(np.isfinite(tau1)) or (tau1 <= -1).any():
        raise InputError("counterfactual tariffs tau1 must be finite and above -100%")
    if not np.all(np.isfinite(d)) or (d <= 0).any():
        raise InputError("trade-cost changes d_hat must be positive and finite (use embargo= to stop a flow)")
    diag = np.arange(N)
    tau1[diag, diag, :] = b.tau[diag, diag, :]
    d[diag, diag, :] = 1.0
    emb[diag, diag, :] = False
    kappa = (1.0 + tau1) / (1.0 + b.tau) * d
    kappa[emb] = np.inf
    tau1[emb] = b.tau[emb]
    d[emb] = 1.0
    changed = (kappa != 1.0)
    touched = changed.any(axis=(1, 2)) | changed.any(axis=(0, 2))
    return solve_arrays(b, ShockArrays(kappa, tau1, touched, d_hat=d), theta, name=name, tol=tol, max_iter=max_iter, deficits=deficits)
