"""Partner portfolio: target shares of trade across partners that minimise the tail loss from
great-power shock scenarios (Rockafellar & Uryasev 2000), within capacity and reallocation limits.

Notation: partners ``p = 1..P``, scenarios ``s = 1..S``.

========== ======== ===========================================================================
name       shape    meaning
========== ======== ===========================================================================
``w0``     (P,)     current shares of the home country's exports (or imports) by partner
``w``      (P,)     target shares (decision)
``L``      (S, P)   loss per unit share: the relative fall in the home country's trade with
                    ``p`` in scenario ``s`` (0.25 = trade with ``p`` falls 25%; negative = gain)
``q``      (S,)     scenario probabilities (default equal)
``g``      scalar   capacity: trade with a partner can grow by at most ``g`` (share of its
                    current level), i.e. ``w_p <= (1 + g) w0_p``
``R``      scalar   cap on total reallocation ``1/2 sum_p |w_p - w0_p| <= R`` (share of trade)
========== ======== ===========================================================================

The portfolio loss in scenario ``s`` is ``l_s = sum_p L[s, p] w_p``: the share of trade lost
if trade were spread as ``w`` and each partner's flow moved as the shock model says. The
problem is the linear program (Rockafellar & Uryasev 2000, eq. 17)::

    minimise   t + 1/(1 - alpha) sum_s q_s z_s
    subject to z_s >= L[s] w - t,  z_s >= 0,
               sum_p w_p = 1,  0 <= w_p <= (1 + g) w0_p,
               1/2 sum_p |w_p - w0_p| <= R

``alpha = 0`` minimises the expected loss; with ``S`` equally likely scenarios and
``alpha = 1 - 1/S`` it minimises the worst case. Solved with cvxpy's Clarabel
interior-point solver. Because the feasible sets grow with ``R``, the frontier of optimal CVaR
against ``R`` is non-increasing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from geohedge.errors import ConvergenceError, InputError
from geohedge.partners import _kernels as K
from geohedge.partners.results import Frontier, PortfolioResult, Provenance

__all__ = ["check_portfolio_inputs", "frontier", "great_power_scenarios", "optimal_portfolio", "trade_losses"]


def great_power_scenarios(home: str, *, base_year: int = 2022) -> list:
    """The great-power shock scenarios of the portfolio, generalised to ``home``.

    1. ``us-tariff-<home>-24``: the USA adds 24 pp to its tariff on ``home``'s goods (the
       built-in ``us-tariff-mys-24`` with the home country in Malaysia's place);
    2. ``us-china-decoupling``: prohibitive tariffs both ways on US-China goods trade
       (the built-in scenario);
    3. ``chn-embargo-<home>``: China stops importing ``home``'s goods (economic coercion);
    4. ``bloc-tariff-war``: the USA and the EU add 25 pp on Chinese goods and China
       retaliates with 25 pp on theirs.

    Trade elasticities: Caliendo & Parro (2015), as in the built-ins.
    """
    from geohedge.shocks.scenario import builtin_scenario, parse_scenario

    h = home.lower()
    specs = [
        {"name": f"us-tariff-{h}-24", "title": f"US +24 pp tariff on goods from {home}", "base_year": base_year,
         "elasticities": {"kind": "cp2015"},
         "shocks": [{"type": "tariff", "importers": ["USA"], "exporters": [home], "sectors": ["goods"], "value": 24}]},
        None,
        {"name": f"chn-embargo-{h}", "title": f"China stops importing goods from {home}", "base_year": base_year,
         "elasticities": {"kind": "cp2015"},
         "shocks": [{"type": "embargo", "importers": ["CHN"], "exporters": [home], "sectors": ["goods"]}]},
        {"name": "bloc-tariff-war", "title": "USA and EU +25 pp on Chinese goods, China retaliates +25 pp", "base_year": base_year,
         "elasticities": {"kind": "cp2015"},
         "shocks": [{"type": "tariff", "importers": ["USA", "EU27"], "exporters": ["CHN"], "sectors": ["goods"], "value": 25, "both_ways": True}]},
    ]
    out = []
    for spec in specs:
        if spec is None:
            sc = builtin_scenario("us-china-decoupling")
            out.append(sc.model_copy(update={"base_year": base_year}))
        else:
            out.append(parse_scenario(spec, origin=spec["name"]))
    if home in ("USA", "CHN"):
        out = [s for s in out if not s.name.startswith(("us-tariff-", "chn-embargo-"))]
    return out


def trade_losses(T0: np.ndarray, T1: np.ndarray, countries: Sequence[str], home: str, flow: str = "exports") -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """Current shares and loss per unit share of ``home``'s trade by partner under one solved scenario.

    ``T0``, ``T1`` (N, N, J) are baseline and counterfactual trade [importer, exporter,
    sector] (e.g. :attr:`geohedge.shocks.ShockResult.T0`). The loss of partner ``p`` is the
    relative fall ``1 - new_p / base_p`` of the flow with ``p``. Partners with no baseline
    flow are left out. Returns ``(partners, w0, loss)``.

    Raises
    ------
    InputError
        Unknown flow or home country.
    """
    if flow not in ("exports", "imports"):
        raise InputError(f"flow must be 'exports' or 'imports', got {flow!r}")
    codes = list(countries)
    if home not in codes:
        raise InputError(f"{home} is not a region of the model")
    h = codes.index(home)
    F0, F1 = T0.sum(axis=2), T1.sum(axis=2)  # [importer, exporter]
    b, a = (F0[:, h], F1[:, h]) if flow == "exports" else (F0[h, :], F1[h, :])
    keep = np.array([k != h and b[k] > 0 for k in range(len(codes))])
    base, new = b[keep], a[keep]
    return tuple(np.asarray(codes)[keep]), base / base.sum(), 1.0 - new / base


def check_portfolio_inputs(w0: np.ndarray, L: np.ndarray, q: np.ndarray | None, alpha: float, max_shift: float, growth: float) -> np.ndarray:
    """Validate inputs; returns ``q`` (default equal probabilities).

    Raises
    ------
    InputError
        Shapes disagree, shares are negative or do not sum to one, probabilities are
        invalid, or a limit is out of range.
    """
    w0 = np.asarray(w0, float)
    L = np.asarray(L, float)
    if w0.ndim != 1 or L.ndim != 2 or L.shape[1] != w0.shape[0]:
        raise InputError(f"losses must be (scenarios, partners) = (S, {w0.shape[0]}); got {L.shape}")
    if L.shape[0] < 1:
        raise InputError("the portfolio needs at least one scenario")
    if not np.all(np.isfinite(w0)) or np.any(w0 < 0) or abs(w0.sum() - 1.0) > 1e-8:
        raise InputError(f"current shares must be non-negative and sum to 1 (sum {w0.sum():.6g})")
    if not np.all(np.isfinite(L)):
        raise InputError("losses must be finite (a partner with no baseline trade has no loss: drop it)")
    if q is None:
        q = np.full(L.shape[0], 1.0 / L.shape[0])
    q = np.asarray(q, float)
    if q.shape != (L.shape[0],) or np.any(q < 0) or abs(q.sum() - 1.0) > 1e-8:
        raise InputError(f"scenario probabilities must be {L.shape[0]} non-negative numbers summing to 1")
    if not (0.0 <= alpha < 1.0):
        raise InputError(f"alpha = {alpha} must be in [0, 1) (0 = expected loss)")
    if not (0.0 <= max_shift <= 1.0):
        raise InputError(f"max shift {max_shift:g} must be a share in [0, 1], e.g. 0.1 for 10% of trade")
    if not (growth >= 0.0 and np.isfinite(growth)):
        raise InputError(f"growth cap {growth:g} must be >= 0 (0.5 = trade with a partner can grow at most 50%)")
    return q


def _solve(w0, L, q, alpha, max_shift, growth):
    import cvxpy as cp

    P, S = w0.shape[0], L.shape[0]
    w = cp.Variable(P, nonneg=True)
    t = cp.Variable()
    z = cp.Variable(S, nonneg=True)
    cons = [cp.sum(w) == 1, w <= (1.0 + growth) * w0, z >= L @ w - t, 0.5 * cp.norm1(w - w0) <= max_shift]
    prob = cp.Problem(cp.Minimize(t + (q @ z) / (1.0 - alpha)), cons)
    # Clarabel (interior point) ships with cvxpy and is silent; HiGHS prints a banner on
    # stdout from C++ whatever the verbosity, which would corrupt --format csv/json output.
    solver = "CLARABEL"
    try:
        prob.solve(solver=solver)
    except cp.error.SolverError as exc:
        raise ConvergenceError(f"portfolio LP: solver {solver} failed ({exc})") from exc
    if prob.status not in ("optimal",) or w.value is None:
        raise ConvergenceError(f"portfolio LP: solver {solver} ended with status {prob.status!r}, not optimal")
    x = np.clip(np.asarray(w.value, float), 0.0, None)
    cap = (1.0 + growth) * w0
    x = np.minimum(x, cap)
    # interior-point round-off (~1e-9) would show as tiny moves: snap them to the current share
    # and put the residual of the budget on the largest move that stays within [0, cap]
    x = np.where(np.abs(x - w0) < 1e-7, w0, x)
    r = 1.0 - x.sum()
    room = (x + r >= 0.0) & (x + r <= cap)
    x[np.argmax(np.where(room, np.abs(x - w0), -1.0)) if room.any() else np.argmax(x)] += r
    return x, f"cvxpy {cp.__version__} ({solver})"


def optimal_portfolio(
    w0: np.ndarray,
    L: np.ndarray,
    *,
    partners: Sequence[str],
    scenarios: Sequence[str],
    q: np.ndarray | None = None,
    alpha: float = 0.5,
    max_shift: float = 0.10,
    growth: float = 0.5,
    home: str = "",
    flow: str = "exports",
    provenance: Provenance | None = None,
) -> PortfolioResult:
    """Target shares minimising CVaR of the scenario loss (module docstring).

    Parameters
    ----------
    w0
        (P,) current shares (sum to one).
    L
        (S, P) loss per unit share by scenario and partner.
    alpha
        CVaR level; 0 minimises the expected loss.
    max_shift
        ``R``: at most this share of trade is moved.
    growth
        ``g``: trade with a partner grows at most this much (relative).

    Raises
    ------
    InputError
        Invalid inputs (:func:`check_portfolio_inputs`).
    ConvergenceError
        The LP solver does not reach an optimal solution.
    """
    w0 = np.asarray(w0, float)
    L = np.asarray(L, float)
    if len(partners) != w0.shape[0] or len(scenarios) != L.shape[0]:
        raise InputError(f"{len(partners)} partner names for {w0.shape[0]} shares, {len(scenarios)} scenario names for {L.shape[0]} rows")
    q = check_portfolio_inputs(w0, L, q, alpha, max_shift, growth)
    w, solver = _solve(w0, L, q, alpha, max_shift, growth)
    prov = provenance or Provenance("scenario losses", 0, "share of trade lost")
    return PortfolioResult(
        home=home, flow=flow, partners=tuple(partners), scenarios=tuple(scenarios), w0=w0, w=w, losses=L, probabilities=q,
        alpha=alpha, max_shift=max_shift, growth=growth,
        cvar_base=K.cvar(L @ w0, q, alpha), cvar=K.cvar(L @ w, q, alpha),
        expected_base=float(q @ (L @ w0)), expected=float(q @ (L @ w)),
        shift=float(0.5 * np.abs(w - w0).sum()), solver=solver, provenance=prov,
    )


def frontier(
    w0: np.ndarray,
    L: np.ndarray,
    *,
    partners: Sequence[str],
    scenarios: Sequence[str],
    shifts: Sequence[float] = (0.0, 0.02, 0.05, 0.10, 0.15, 0.20, 0.30),
    q: np.ndarray | None = None,
    alpha: float = 0.5,
    growth: float = 0.5,
    home: str = "",
    flow: str = "exports",
    provenance: Provenance | None = None,
) -> Frontier:
    """The efficient frontier: optimal CVaR for each reallocation cap in ``shifts`` (ascending).

    Each point is an independent solve; the optimal CVaR is non-increasing in the cap up to
    the solver's tolerance (the tests check this).

    Raises
    ------
    InputError, ConvergenceError
        As :func:`optimal_portfolio`.
    """
    shifts = sorted(float(r) for r in shifts)
    if not shifts:
        raise InputError("the frontier needs at least one reallocation cap")
    points: list[PortfolioResult] = []
    for r in shifts:
        p = optimal_portfolio(w0, L, partners=partners, scenarios=scenarios, q=q, alpha=alpha, max_shift=r, growth=growth,
                              home=home, flow=flow, provenance=provenance)
        points.append(p)
    frame = pd.DataFrame({
        "max_shift": [p.max_shift for p in points],
        "shift": [p.shift for p in points],
        "cvar": [p.cvar for p in points],
        "expected_loss": [p.expected for p in points],
    })
    frame["cvar_reduction"] = frame["cvar"].iloc[0] - frame["cvar"]
    prov = provenance or Provenance("scenario losses", 0, "share of trade lost")
    return Frontier(home, flow, frame, tuple(points), prov)
