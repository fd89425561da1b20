"""The vulnerability atlas: every target country against every great power's shock family,
each with Monte Carlo over the trade elasticities. Pure: plans pieces, batches them, and
solves a batch on a :class:`~geohedge.shocks.calibrate.Baseline`; nothing here imports
Dask, opens the store or prints.

A **shock family** is a rule that gives one scenario per target country: "the USA adds
25 pp to its tariff on the target's goods", "China stops all trade with the target", "the
USA applies its 2 April 2025 rate to the target". A **piece** is one (target, family)
pair: its scenario, the point solve at the central elasticities and ``draws`` Monte Carlo
draws, warm-started from the point solution (draws of one scenario stay in one piece, so
the warm start is always there). A **batch** is a few pieces solved in one task, so that
scheduling costs stay small next to the solves (:func:`batches`).

Why no Dask here: the pieces and their results are plain, picklable values and
:func:`run_batch` is a top-level function, so any executor (a Dask cluster, a local loop,
a process pool) can run them; the cluster, its address, broadcasting the baseline and the
store writes belong to :mod:`geohedge.views.atlas`. Analytics stay importable and testable
without a cluster, and the architecture test keeps them free of ``dask``/``distributed``.

Determinism: a piece's draws come from its own random stream,
``SeedSequence([seed, crc32(family), crc32(target)])``, so results do not depend on which
pieces share a batch, on the batch order, or on the worker that runs them.

Notation as in :mod:`geohedge.shocks._kernels` (n importer, i exporter, j sector); ``t``
is the target country. Per piece, with ``d`` the draws that converged:

======================== ==================================================================
field                    meaning
======================== ==================================================================
``welfare_*``            ``W_hat[t] - 1`` (real income change): the point solve, and the
                         median, 5% and 95% quantiles over ``d`` (the 90% interval)
``exports_base_usd_mn``  ``sum_{n != t, j} T0[n, t, j]`` (exporter prices, baseline year)
``exports_change_*``     ``sum_{n != t, j} T1[n, t, j] - exports_base_usd_mn`` (USD mn,
                         median and 90% interval over ``d``); ``exports_change_median``
                         relative (0.01 = +1%)
``diversions``           up to three partners whose imports from ``t`` rise most (median
                         over ``d`` of ``sum_j T1[n, t, j] - T0[n, t, j]``, USD mn; only
                         rises): where the target's exports go instead
======================== ==================================================================
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import time
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

import numpy as np
import pandas as pd

from geohedge import countries as _countries
from geohedge.errors import ConvergenceError, InputError, ModelError
from geohedge.shocks import _kernels as K
from geohedge.shocks.calibrate import Baseline, sector_group
from geohedge.shocks.elasticities import SETS, set_theta
from geohedge.shocks.model import solve_arrays
from geohedge.shocks.montecarlo import draw_theta
from geohedge.shocks.scenario import Scenario, parse_scenario, scenario_theta, shock_arrays

__all__ = [
    "DEFAULT_FAMILIES",
    "AtlasConfig",
    "AtlasPiece",
    "AtlasRow",
    "ShockFamily",
    "atlas_pieces",
    "batches",
    "family",
    "ranked",
    "rows_frame",
    "run_batch",
    "run_piece",
    "scenario_family",
    "schedule_family",
]

FamilyKind = Literal["tariff", "embargo", "schedule"]
Status = Literal["ok", "failed", "infeasible"]

#: The imposers of the default atlas (the great powers of the product).
GREAT_POWERS: tuple[str, ...] = ("USA", "CHN", "EU27")

#: Default tariff family: +25 pp on the target's goods.
DEFAULT_TARIFF_PP = 25.0

#: The April 2025 family: each target at its own rate of the built-in scenario of the
#: 2 April 2025 US tariffs (floor, Annex I rates, exceptions as that scenario sets them).
APRIL_2025 = "us-reciprocal-2025-04"

#: The seven default families: each great power's +25 pp tariff and embargo, and the
#: April 2025 US schedule.
DEFAULT_FAMILIES: tuple[str, ...] = (
    "usa-tariff-25", "chn-tariff-25", "eu27-tariff-25",
    "usa-embargo", "chn-embargo", "eu27-embargo",
    APRIL_2025,
)

#: More than this share of failed draws makes a piece ``failed`` (as in Monte Carlo).
MAX_FAILED_SHARE = 0.05

_NAME = re.compile(r"^(?P<imposer>[a-z0-9]+)-(?:(?P<kind>tariff)-(?P<value>\d+(?:\.\d+)?)|(?P<embargo>embargo))$")


@dataclass(frozen=True)
class ShockFamily:
    """A rule giving one scenario per target country.

    Attributes
    ----------
    name
        ``<imposer>-tariff-<pp>``, ``<imposer>-embargo`` or a schedule name.
    imposer
        ISO3 code or bloc name (``EU27``) of the country imposing the shock.
    kind
        ``tariff``: ``value`` pp added to the imposer's tariff on the target's goods;
        ``embargo``: all trade between imposer and target stops, both ways, every
        tradable sector; ``schedule``: the target's own rate in ``rates`` (pp) added to
        the imposer's tariff on its goods.
    rates
        Schedule rates ``(target ISO3, pp)``; empty otherwise.
    """

    name: str
    title: str
    imposer: str
    kind: FamilyKind
    value: float | None = None
    rates: tuple[tuple[str, float], ...] = ()

    def members(self) -> frozenset[str]:
        """ISO3 codes of the imposer (its members for a bloc)."""
        if self.imposer in _countries.bloc_names():
            return frozenset(_countries.bloc_members(self.imposer))
        return frozenset({self.imposer})

    def applies_to(self, target: str) -> str | None:
        """``None`` when the family applies to ``target``; otherwise why not (one line)."""
        if target in self.members():
            return f"{target} is the imposer" if target == self.imposer else f"{target} is a member of {self.imposer}, the imposer"
        if self.kind == "schedule" and target not in dict(self.rates):
            return f"{target} has no rate in schedule {self.name}"
        return None

    def shock(self, target: str) -> dict:
        """The scenario's ``[[shocks]]`` entry for ``target`` (today's scenario language)."""
        if self.kind == "embargo":
            return {"type": "embargo", "importers": [self.imposer], "exporters": [target], "sectors": ["all"], "both_ways": True}
        value = self.value if self.kind == "tariff" else dict(self.rates)[target]
        return {"type": "tariff", "importers": [self.imposer], "exporters": [target], "sectors": ["goods"], "value": float(value)}

    def definition(self) -> dict:
        """A JSON-ready description (for provenance)."""
        out = asdict(self)
        out["rates"] = dict(self.rates)
        return out


def family(name: str, *, schedules: Mapping[str, ShockFamily] | None = None) -> ShockFamily:
    """A shock family by name: ``<imposer>-tariff-<pp>``, ``<imposer>-embargo`` (imposer an
    ISO3 code or bloc, lower case, e.g. ``usa-tariff-25``, ``eu27-embargo``) or a schedule
    family given in ``schedules`` (e.g. ``us-2025-04-02``).

    Raises
    ------
    InputError
        The name matches no pattern, or the imposer is not a country or bloc.
    """
    key = name.strip().lower()
    if schedules and key in schedules:
        return schedules[key]
    m = _NAME.match(key)
    if m is None:
        known = ", ".join([*DEFAULT_FAMILIES[:6], *(schedules or {})])
        raise InputError(
            f"unknown shock family {name!r}; use <imposer>-tariff-<pp> or <imposer>-embargo (e.g. {known})"
        )
    imp = m["imposer"].upper()
    if imp not in _countries.bloc_names():
        try:
            imp = _countries.resolve(imp)
        except InputError as exc:
            raise InputError(f"shock family {name!r}: imposer {m['imposer']!r} is not a country or bloc ({exc})") from None
    label = _countries.country(imp).name if imp not in _countries.bloc_names() else imp
    if m["embargo"]:
        return ShockFamily(key, f"{label} stops all trade with the target (embargo both ways, all tradable sectors)", imp, "embargo")
    value = float(m["value"])
    if not (0 < value <= 1000):
        raise InputError(f"shock family {name!r}: tariff of {value:g} pp must be above 0 and at most 1000")
    return ShockFamily(key, f"{label} +{value:g} pp tariff on the target's goods", imp, "tariff", value)


def schedule_family(name: str, imposer: str, rates: Mapping[str, float], title: str) -> ShockFamily:
    """A schedule family: ``rates`` maps target ISO3 to the additional tariff in pp.

    Raises
    ------
    InputError
        A rate is not finite or at or below -100 pp.
    """
    bad = {t: r for t, r in rates.items() if not (math.isfinite(r) and r > -100)}
    if bad:
        t, r = next(iter(bad.items()))
        raise InputError(f"schedule {name}: rate {r!r} pp for {t} is impossible; rates must be finite and above -100")
    return ShockFamily(name.lower(), title, imposer, "schedule", None, tuple(sorted((t, float(r)) for t, r in rates.items())))


def scenario_family(scenario: Scenario, imposer: str, *, countries: Sequence[str], sectors: Sequence[str],
                    tradable: np.ndarray) -> ShockFamily:
    """A schedule family read off a scenario that taxes the imposer's imports from many
    countries (e.g. the built-in ``us-reciprocal-2025-04``): each target's rate is the
    additional goods tariff the scenario puts on it, with the scenario language's floors,
    exceptions and ``combine`` rules applied (its shocks are translated with zero baseline
    tariffs, so the new rate is the addition). Targets it leaves untaxed are not in the family.

    Raises
    ------
    InputError
        The imposer is not a region of the table, or the scenario's rate on a target differs
        across goods sectors (partial coverage cannot be one rate per target).
    """
    if imposer not in countries:
        raise InputError(f"scenario family {scenario.name}: imposer {imposer} is not a region of the table")
    arr = shock_arrays(scenario, countries, sectors, tradable, None)
    n = list(countries).index(imposer)
    goods = [j for j, s in enumerate(sectors) if "goods" in sector_group(s) and tradable[j]]
    rates: dict[str, float] = {}
    for i, c in enumerate(countries):
        r = arr.tau_new[n, i, goods]
        if i == n or not (r > 0).any():
            continue
        if not np.allclose(r, r[0], rtol=0, atol=1e-12):
            raise InputError(f"scenario family {scenario.name}: its rate on {c} differs across goods sectors; the atlas needs one rate per target")
        rates[c] = round(100.0 * float(r[0]), 10)
    return schedule_family(scenario.name, imposer, rates, f"{scenario.title}: each target alone at its own rate, other countries' tariffs unchanged")


@dataclass(frozen=True)
class AtlasConfig:
    """How every piece is solved (part of each piece's key).

    ``elasticities``: the central set (``cp2015`` or a published set name) of the point
    solve; ``across_sets``: published sets each draw picks from uniformly (empty: draws
    around the central set only); ``spread``: log-sd of each draw around its set.
    """

    draws: int = 50
    seed: int = 0
    elasticities: str = "cp2015"
    across_sets: tuple[str, ...] = tuple(SETS)
    spread: float = 0.1
    tol: float = 1e-8
    max_iter: int = 2000

    def __post_init__(self) -> None:
        if not (isinstance(self.draws, int) and self.draws >= 1):
            raise InputError(f"--draws must be a whole number of at least 1, got {self.draws!r}")
        if not (isinstance(self.seed, int) and self.seed >= 0):
            raise InputError(f"--seed must be a whole number of at least 0, got {self.seed!r}")
        if not (0 <= self.spread <= 2):
            raise InputError(f"--spread {self.spread!r} must be between 0 and 2 (log-sd of the elasticities)")
        if not (0 < self.tol < 1):
            raise InputError(f"tolerance must be in (0, 1), got {self.tol}")

    def elasticity_spec(self) -> dict:
        """The scenario's ``[elasticities]`` table."""
        key = self.elasticities.strip()
        spec: dict = {"kind": "cp2015"} if key.lower() == "cp2015" else {"kind": "set", "set": key.upper()}
        spec.update(across_sets=list(self.across_sets), spread=self.spread)
        return spec


@dataclass(frozen=True)
class AtlasPiece:
    """One (target, family) pair to solve: its scenario and its key.

    ``key`` hashes ``data_version``, the scenario (shocks and elasticities), the number of
    draws, the seed and the tolerance: a piece with the same key is the same computation.
    """

    target: str
    family: str
    imposer: str
    scenario: Scenario
    config: AtlasConfig
    key: str

    def rng_seed(self) -> np.random.SeedSequence:
        """The piece's own random stream (independent of batching and workers)."""
        return np.random.SeedSequence([self.config.seed, zlib.crc32(self.family.encode()), zlib.crc32(self.target.encode())])


@dataclass(frozen=True)
class AtlasRow:
    """The result of one piece (see the module's field table; changes relative unless
    ``_usd_mn``; money in USD mn of the baseline year at exporter prices)."""

    key: str
    target: str
    family: str
    imposer: str
    status: Status
    message: str
    scenario: str  # the solved scenario as JSON
    welfare_point: float = math.nan
    welfare_median: float = math.nan
    welfare_p05: float = math.nan
    welfare_p95: float = math.nan
    exports_base_usd_mn: float = math.nan
    exports_change_usd_mn_median: float = math.nan
    exports_change_usd_mn_p05: float = math.nan
    exports_change_usd_mn_p95: float = math.nan
    exports_change_median: float = math.nan
    diversions: tuple[tuple[str, float], ...] = ()
    draws: int = 0
    draws_failed: int = 0
    iterations_median: float = math.nan
    iterations_max: int = 0
    step_residual_max: float = math.nan
    equilibrium_residual: float = math.nan
    solves: int = 0
    seconds: float = 0.0  # wall time of the piece where it ran
    cpu_seconds: float = 0.0  # processor time of the piece (less affected by other load)

    def record(self) -> dict:
        """Flat columns (``diversion_{1,2,3}_partner``, ``diversion_{1,2,3}_usd_mn``)."""
        out = {k: v for k, v in asdict(self).items() if k != "diversions"}
        for k in range(3):
            p, v = self.diversions[k] if k < len(self.diversions) else (None, math.nan)
            out[f"diversion_{k + 1}_partner"] = p
            out[f"diversion_{k + 1}_usd_mn"] = v
        return out


def _digest(obj: object) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()[:32]


def atlas_pieces(
    targets: Sequence[str],
    families: Sequence[ShockFamily],
    config: AtlasConfig,
    *,
    countries: Sequence[str],
    base_year: int,
    data_version: str,
) -> tuple[list[AtlasPiece], list[tuple[str, str, str]]]:
    """The pieces of an atlas, and the (target, family, reason) pairs that do not apply.

    Raises
    ------
    InputError
        A target is not a separate region of the table; a family's imposer has no member
        in the table.
    """
    table = set(countries)
    for t in targets:
        if t not in table:
            raise InputError(f"target {t} ({_countries.country(t).name}) is not a separate region of the ICIO {base_year} table; use one of its {len(table)} regions")
    for f in families:
        if not f.members() & table:
            raise InputError(f"shock family {f.name}: imposer {f.imposer} has no region in the ICIO {base_year} table")
    pieces, skipped = [], []
    spec = config.elasticity_spec()
    for f in families:
        for t in targets:
            why = f.applies_to(t)
            if why is not None:
                skipped.append((t, f.name, why))
                continue
            data = {"name": f"atlas-{f.name}-{t.lower()}", "title": f"{f.title} (target {t})", "base_year": base_year,
                    "elasticities": spec, "shocks": [f.shock(t)]}
            sc = parse_scenario(data, origin=f"atlas family {f.name}")
            key = _digest({"data": data_version, "scenario": sc.model_dump(mode="json"), "draws": config.draws,
                           "seed": config.seed, "tol": config.tol, "max_iter": config.max_iter})
            pieces.append(AtlasPiece(t, f.name, f.imposer, sc, config, key))
    return pieces, skipped


def batches(pieces: Sequence[AtlasPiece], solves_per_task: int = 50, *, min_tasks: int = 1) -> list[tuple[AtlasPiece, ...]]:
    """Group pieces into tasks of about ``solves_per_task`` solves (at least one piece each),
    and into at least ``min_tasks`` tasks where there are enough pieces (so that every
    worker gets work: pass a few times the number of workers).

    A piece is ``draws + 1`` solves (point plus draws); with the default 50 draws each
    piece is its own task (about 5 s of work against a few ms of scheduling).
    """
    if solves_per_task < 1:
        raise InputError(f"solves per task must be at least 1, got {solves_per_task}")
    total = sum(p.config.draws + 1 for p in pieces)
    solves_per_task = max(1, min(solves_per_task, math.ceil(total / max(min_tasks, 1))))
    out: list[tuple[AtlasPiece, ...]] = []
    cur: list[AtlasPiece] = []
    size = 0
    for p in pieces:
        cur.append(p)
        size += p.config.draws + 1
        if size >= solves_per_task:
            out.append(tuple(cur))
            cur, size = [], 0
    if cur:
        out.append(tuple(cur))
    return out


def _failed(piece: AtlasPiece, status: Status, message: str, clock: tuple[float, float], solves: int) -> AtlasRow:
    return AtlasRow(piece.key, piece.target, piece.family, piece.imposer, status, " ".join(message.split()),
                    piece.scenario.model_dump_json(), solves=solves, seconds=time.perf_counter() - clock[0],
                    cpu_seconds=time.process_time() - clock[1])


def run_piece(b: Baseline, piece: AtlasPiece) -> AtlasRow:
    """Solve one piece: the checked point solve, then the draws warm-started from it.

    A point solve that is infeasible (an embargo leaves a country with no supplier) or
    does not converge gives a row with that ``status`` and message and no numbers; more
    than 5% failed draws gives ``failed``. Nothing is raised for the model's own limits,
    so one hard pair does not stop the atlas.
    """
    clock = (time.perf_counter(), time.process_time())
    cfg = piece.config
    sc = piece.scenario
    shocks = shock_arrays(sc, b.countries, b.sectors, b.tradable, b.tau)
    theta0 = scenario_theta(sc, b.sectors)
    try:
        point = solve_arrays(b, shocks, theta0, name=sc.name, tol=cfg.tol, max_iter=cfg.max_iter)
    except ModelError as exc:  # ConvergenceError is a ModelError
        status: Status = "failed" if isinstance(exc, ConvergenceError) else "infeasible"
        return _failed(piece, status, str(exc), clock, 1)
    t = b.country_index(piece.target)
    inv1t = 1.0 / (1.0 + shocks.tau_new)
    others = np.arange(b.N) != t
    base_to = (b.pi[:, t, :] * b.X / (1.0 + b.tau[:, t, :])).sum(axis=1)  # T0[n, t], USD mn
    start = K.KernelSolution(point.w_hat, np.log(point.P_hat), point.X1, b.pi, 0, 0.0, True)
    sets = list(sc.elasticities.across_sets)
    centres = np.stack([set_theta(s, b.sectors) for s in sets]) if sets else None
    thetas, pick = draw_theta(theta0, cfg.draws, sc.elasticities.spread, piece.rng_seed(), centres)
    welfare = np.full(cfg.draws, np.nan)
    to = np.full((cfg.draws, b.N), np.nan)
    iters = np.zeros(cfg.draws, int)
    steps = np.full(cfg.draws, np.nan)
    # Warm start: a draw starts from the last converged draw around the same published set
    # (its elasticities are closest), the first of each set from the point solution; on the
    # 80 x 50 table this takes about 15% fewer iterations than starting every draw from the
    # point, and the order is fixed, so results stay reproducible.
    last: dict[int, K.KernelSolution] = {}
    for d in range(cfg.draws):
        th = thetas[d]
        B = K.shock_weights(b.pi, shocks.kappa_hat, th)
        sol = K.solve_hat(B, inv1t, b.gamma_va, b.gamma_io, b.alpha, b.X, b.VA, b.D, th,
                          tol=cfg.tol, max_iter=cfg.max_iter, start=last.get(int(pick[d]), start))
        iters[d] = sol.iterations
        if not sol.converged:
            continue
        last[int(pick[d])] = sol
        W, _ = K.welfare_hat(sol.w_hat, sol.lnP_hat, sol.X1, sol.pi1, inv1t, b.alpha, b.VA, b.D, b.I)
        welfare[d] = W[t] - 1.0
        to[d] = (sol.X1 * sol.pi1[:, t, :] * inv1t[:, t, :]).sum(axis=1)
        steps[d] = sol.residual
    ok = ~np.isnan(welfare)
    failed = int((~ok).sum())
    if failed > MAX_FAILED_SHARE * cfg.draws:
        row = _failed(piece, "failed", f"{failed} of {cfg.draws} draws did not converge (more than {MAX_FAILED_SHARE:.0%}); "
                      "lower the elasticity spread or raise max_iter", clock, cfg.draws + 1)
        return AtlasRow(**{**asdict(row), "draws": cfg.draws, "draws_failed": failed, "diversions": (),
                           "iterations_max": int(iters.max()), "equilibrium_residual": point.convergence.equilibrium_residual})
    base_exports = float(base_to[others].sum())
    change = to[ok][:, others].sum(axis=1) - base_exports
    by_partner = np.median(to[ok] - base_to[None, :], axis=0)
    by_partner[t] = -np.inf
    top = [k for k in np.argsort(-by_partner, kind="stable")[:3] if by_partner[k] > 0]
    w = np.quantile(welfare[ok], [0.5, 0.05, 0.95])
    c = np.quantile(change, [0.5, 0.05, 0.95])
    return AtlasRow(
        key=piece.key, target=piece.target, family=piece.family, imposer=piece.imposer, status="ok", message="",
        scenario=sc.model_dump_json(),
        welfare_point=float(point.W_hat[t] - 1.0), welfare_median=float(w[0]), welfare_p05=float(w[1]), welfare_p95=float(w[2]),
        exports_base_usd_mn=base_exports, exports_change_usd_mn_median=float(c[0]), exports_change_usd_mn_p05=float(c[1]),
        exports_change_usd_mn_p95=float(c[2]),
        exports_change_median=float(c[0] / base_exports) if base_exports > 0 else math.nan,
        diversions=tuple((b.countries[k], float(by_partner[k])) for k in top),
        draws=int(ok.sum()), draws_failed=failed, iterations_median=float(np.median(iters[ok])),
        iterations_max=int(iters.max()), step_residual_max=float(np.max(steps[ok])),
        equilibrium_residual=float(point.convergence.equilibrium_residual), solves=cfg.draws + 1,
        seconds=time.perf_counter() - clock[0], cpu_seconds=time.process_time() - clock[1],
    )


def run_batch(b: Baseline, pieces: Iterable[AtlasPiece]) -> tuple[AtlasRow, ...]:
    """Solve a batch of pieces in order (the unit of work an executor runs)."""
    return tuple(run_piece(b, p) for p in pieces)


#: Columns of the stored atlas (the ``atlas`` table adds ``dataset``, ``run`` and ``computed_at``).
COLUMNS: tuple[str, ...] = tuple(AtlasRow("", "", "", "", "ok", "", "").record())


def rows_frame(rows: Iterable[AtlasRow]) -> pd.DataFrame:
    """Atlas rows as a frame with :data:`COLUMNS`, ordered by family and target."""
    frame = pd.DataFrame([r.record() for r in rows], columns=list(COLUMNS))
    return frame.sort_values(["family", "target"], ignore_index=True)


def ranked(frame: pd.DataFrame) -> pd.DataFrame:
    """Rank targets within each family, most exposed first (lowest median welfare change).

    Adds ``rank`` (1 = largest loss, among the family's solved targets) and ``of`` (how
    many solved targets the family has); rows that did not solve keep ``rank`` empty.
    """
    out = frame.copy()
    ok = out["status"] == "ok"
    out["rank"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out.loc[ok, "rank"] = out[ok].groupby("family")["welfare_median"].rank(method="min").astype("Int64")
    out["of"] = out["family"].map(out[ok].groupby("family").size()).fillna(0).astype(int)
    return out.sort_values(["family", "rank", "target"], na_position="last", ignore_index=True)

