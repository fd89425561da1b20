"""Monte Carlo over trade elasticities: solve a scenario for many draws of ``theta``.

Draws are log-normal around the scenario's elasticities, ``theta_d[j] = theta[j] *
exp(spread * z[d, j])`` with independent standard normal ``z`` (so the median draw is the
estimate), ``spread`` from the scenario's ``[elasticities]`` table (default 0.2). With
``across_sets`` (published sets, or ``"all"``), each draw first picks one of those sets
uniformly at random and then draws within it the same way, so the band covers the
disagreement between papers as well as each paper's own uncertainty. Every
draw warm-starts the unchecked kernel from the point solution; a draw that does not
converge is counted in ``failed`` and left out, and more than 5% failed draws raise.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from geohedge.errors import ConvergenceError, InputError
from geohedge.shocks import _kernels as K
from geohedge.shocks.calibrate import Baseline
from geohedge.shocks.elasticities import SETS, set_theta
from geohedge.shocks.model import _deficits_after, _phi, _reference, solve_arrays
from geohedge.shocks.results import MonteCarloResult
from geohedge.shocks.scenario import Scenario, scenario_theta, shock_arrays

__all__ = ["draw_theta", "montecarlo_welfare", "welfare_by_set"]

Progress = Callable[[str, int, int], None]


def draw_theta(theta: np.ndarray, draws: int, spread: float, seed: int | None, centres: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``draws`` x J log-normal draws (log-sd ``spread``) and the index of each draw's centre.

    ``centres`` (S, J) are alternative elasticity sets: each draw picks one uniformly; without
    them every draw is centred on ``theta`` (index 0).
    """
    rng = np.random.default_rng(seed)
    if centres is None:
        pick = np.zeros(draws, dtype=int)
        centre = np.broadcast_to(theta, (draws, len(theta)))
    else:
        pick = rng.integers(0, len(centres), size=draws)
        centre = centres[pick]
    return centre * np.exp(spread * rng.standard_normal((draws, len(theta)))), pick


def montecarlo_welfare(
    b: Baseline,
    scenario: Scenario,
    *,
    draws: int = 200,
    seed: int | None = None,
    tol: float = 1e-8,
    max_iter: int = 2000,
    progress: Progress | None = None,
) -> MonteCarloResult:
    """Welfare changes of a scenario over ``draws`` draws of the trade elasticities.

    Raises
    ------
    InputError
        ``draws`` below 1.
    ConvergenceError
        The point solve fails, or more than 5% of the draws do not converge.
    """
    if draws < 1:
        raise InputError(f"--draws must be at least 1, got {draws}")
    t0 = time.perf_counter()
    shocks = shock_arrays(scenario, b.countries, b.sectors, b.tradable, b.tau)
    theta0 = scenario_theta(scenario, b.sectors)
    rule = scenario.deficits
    point = solve_arrays(b, shocks, theta0, name=scenario.name, tol=tol, max_iter=max_iter, deficits=rule)
    start = K.KernelSolution(point.w_hat, np.log(point.P_hat), point.X1, b.pi, 0, 0.0, True)
    sets = scenario.elasticities.across_sets
    centres = np.stack([set_theta(s, b.sectors) for s in sets]) if sets else None
    thetas, pick = draw_theta(theta0, draws, scenario.elasticities.spread, seed, centres)
    inv1t = 1.0 / (1.0 + shocks.tau_new)
    R_new = shocks.tau_new * inv1t
    out = np.full((draws, b.N), np.nan)
    failed = 0
    fixed_ref = b if (b.exact and (rule != "zero" or not np.abs(b.D).any())) else None
    for d in range(draws):
        th = thetas[d]
        try:
            ref = fixed_ref if fixed_ref is not None else _reference(b, th, rule, tol, max_iter)
        except ConvergenceError:
            failed += 1
            continue
        B = K.shock_weights(ref.pi, shocks.kappa_hat, th)
        sol = K.solve_hat(B, inv1t, ref.gamma_va, ref.gamma_io, ref.alpha, ref.X, ref.VA, ref.D, th, tol=tol, max_iter=max_iter,
                          start=start, phi=_phi(ref, rule))
        if sol.converged:
            R1 = np.einsum("nj,nij->n", sol.X1, sol.pi1 * R_new)
            I_hat = (sol.w_hat * ref.VA + R1 + _deficits_after(ref, sol.w_hat, rule)) / ref.I
            out[d] = I_hat * np.exp(-(ref.alpha * sol.lnP_hat).sum(axis=1)) - 1.0
        else:
            failed += 1
        if progress is not None:
            progress(scenario.name, d + 1, draws)
    if failed > 0.05 * draws:
        raise ConvergenceError(
            f"{failed} of {draws} Monte Carlo draws did not converge; lower the elasticity spread",
            iterations=max_iter, residual=float("nan"), tolerance=tol,
        )
    ok = ~np.isnan(out).any(axis=1)
    return MonteCarloResult(
        scenario=scenario.name, countries=b.countries, draws=out[ok], theta=thetas[ok], seed=seed,
        failed=failed, seconds=time.perf_counter() - t0, point=point, provenance=point.provenance,
        sets=tuple(sets), set_of_draw=pick[ok] if sets else None,
    )



def welfare_by_set(b: Baseline, scenario: Scenario, *, sets: Sequence[str] | None = None, tol: float = 1e-8, max_iter: int = 2000) -> pd.DataFrame:
    """The scenario's real income change (exact, ``W_hat - 1``) under each published
    elasticity set: ``set_name, country, welfare_change`` (default: all eight sets).

    The spread across sets is the disagreement between papers about how strongly trade
    reacts to prices, which a band drawn around one set does not show.

    Raises
    ------
    InputError
        An unknown set name.
    ConvergenceError
        A set's solve fails.
    """
    names = list(SETS) if sets is None else [s.strip().upper() for s in sets]
    shocks = shock_arrays(scenario, b.countries, b.sectors, b.tradable, b.tau)
    rows = []
    for name in names:
        r = solve_arrays(b, shocks, set_theta(name, b.sectors), name=f"{scenario.name} [{name}]", tol=tol, max_iter=max_iter,
                         deficits=scenario.deficits, check=False)
        rows.append(pd.DataFrame({"set_name": name, "country": r.countries, "welfare_change": r.W_hat - 1.0}))
    return pd.concat(rows, ignore_index=True)
