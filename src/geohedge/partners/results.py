"""Result objects of the partners package: frozen, with ``to_frame()``, a summary and provenance."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

from geohedge.errors import InputError
from geohedge.exposure.results import Provenance

__all__ = [
    "Component",
    "DeepenResult",
    "Frontier",
    "GravityFit",
    "PartnerScores",
    "PortfolioResult",
    "Provenance",
    "Weights",
]


@dataclass(frozen=True)
class Component:
    """One scored component: its raw column, unit, source, and which direction is better."""

    name: str
    column: str
    unit: str
    source: str
    higher_is_better: bool
    group: str


@dataclass(frozen=True)
class Weights:
    """Weights of the overall partner score (non-negative; re-normalised over the components
    a partner has, so they need not sum to one), and the trade shift used for exposure
    reduction. See ``_data/partner_weights.toml`` for the default profile."""

    exposure_reduction: float = 0.25
    complementarity: float = 0.15
    potential: float = 0.15
    stability: float = 0.15
    volatility: float = 0.05
    alignment: float = 0.10
    bridging: float = 0.15
    shift: float = 0.05
    origin: str = "default"

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls) if f.name not in ("shift", "origin"))

    def values(self) -> np.ndarray:
        return np.array([getattr(self, n) for n in self.names()], dtype=float)

    def normalised(self) -> dict[str, float]:
        """Weights divided by their sum (for display)."""
        v = self.values()
        return dict(zip(self.names(), v / v.sum(), strict=True))

    def label(self) -> str:
        return ", ".join(f"{k} {v:.0%}" for k, v in self.normalised().items()) + f" ({self.origin})"


@dataclass(frozen=True, eq=False)
class GravityFit:
    """A structural-gravity benchmark fitted by PPML (Santos Silva & Tenreyro 2006).

    ``coefficients`` and ``std_errors`` by regressor name; ``predicted``: ``exporter,
    importer, value_usd, predicted_usd`` for every pair in the sample.
    """

    formula: str
    estimator: str
    coefficients: dict[str, float]
    std_errors: dict[str, float]
    n_obs: int
    predicted: pd.DataFrame
    distance_source: str

    def summary(self) -> str:
        coefs = ", ".join(f"{k} {v:+.3f} (se {self.std_errors[k]:.3f})" for k, v in self.coefficients.items())
        return f"{self.estimator}: {self.formula}; {coefs}; {self.n_obs:,} pairs; distances: {self.distance_source}"


@dataclass(frozen=True, eq=False)
class PartnerScores:
    """Every candidate partner of a home country, scored component by component.

    Attributes
    ----------
    frame
        One row per partner, best first: ``rank, partner, name, overall_score,
        n_components, missing`` (component names without data, ``;``-separated), the raw
        components (columns named in ``components``) with helper columns
        ``trade_usd_mn, trade_share, partner_gp_share`` (``sum_b W[p, b]``: 1 for bloc
        members, else the partner's own great-power share of trade), ``predicted_trade_usd_mn,
        stability_year, agreement_with_home``, one
        ``<component>_score`` per component (0-1, higher is better), and
        ``reliability_score`` (the weighted mean of the stability and volatility scores).
    components
        What each component is, with unit and source.
    weights
        The weights used.
    gravity
        The gravity fit behind ``potential`` (``None`` when it could not be estimated).
    concentration
        The home country's great-power concentration ``C`` (share, 0-1) before any shift.
    """

    home: str
    year: int
    frame: pd.DataFrame
    components: tuple[Component, ...]
    weights: Weights
    gravity: GravityFit | None
    concentration: float
    blocs: tuple[str, ...]
    provenance: Provenance
    notes: tuple[str, ...] = field(default=())

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def row(self, partner: str) -> pd.Series:
        hit = self.frame[self.frame["partner"] == partner]
        if hit.empty:
            raise InputError(f"{partner} is not among {self.home}'s scored partners; partners are the other regions of the ICIO table")
        return hit.iloc[0]

    def rank_of(self, partner: str) -> int:
        return int(self.row(partner)["rank"])

    def top(self, n: int = 10) -> pd.DataFrame:
        return self.frame.head(n).reset_index(drop=True)

    def summary(self) -> str:
        top = ", ".join(f"{r.partner} {r.overall_score:.2f}" for r in self.frame.head(5).itertuples())
        return (
            f"{self.home}: {len(self.frame)} partners scored; top 5 {top}; great-power concentration "
            f"{self.concentration:.1%} ({'+'.join(self.blocs)}); weights {self.weights.label()} [{self.provenance.label()}]"
        )


@dataclass(frozen=True, eq=False)
class DeepenResult:
    """What deepening ties with one partner buys the home country (one shock-model solve).

    Attributes
    ----------
    welfare_change
        Home country's real-income change (0.01 = +1%).
    blocs
        ``flow, bloc, base_share, new_share, change_pp``: the home country's trade shares
        with each great-power bloc before and after.
    exposure
        ``bloc, base_share, new_share, change_pp``: effective exposure ``(s W)_b`` to each
        bloc (direct trade plus trade with non-members at their own great-power content);
        the shares sum to the concentration.
    concentration_base, concentration_new
        Great-power concentration ``C`` (share, 0-1; see :mod:`geohedge.partners.scoring`).
    trade
        ``flow`` (exports to / imports from the partner), ``base_usd_mn, new_usd_mn,
        change_usd_mn, change``.
    """

    home: str
    partner: str
    cost_cut: float
    scenario: str
    welfare_change: float
    partner_welfare_change: float
    blocs: pd.DataFrame
    exposure: pd.DataFrame
    concentration_base: float
    concentration_new: float
    trade: pd.DataFrame
    convergence: str
    provenance: Provenance
    notes: tuple[str, ...] = field(default=())

    def to_frame(self) -> pd.DataFrame:
        """``measure, flow, base, new, change`` in one long frame (shares, USD mn, welfare)."""
        rows = [{"measure": "welfare_change", "flow": "", "base": 0.0, "new": self.welfare_change, "change": self.welfare_change},
                {"measure": "gp_concentration", "flow": "trade", "base": self.concentration_base, "new": self.concentration_new,
                 "change": self.concentration_new - self.concentration_base}]
        for r in self.trade.itertuples():
            rows.append({"measure": f"trade_with_{self.partner}_usd_mn", "flow": r.flow, "base": r.base_usd_mn, "new": r.new_usd_mn, "change": r.change_usd_mn})
        for r in self.exposure.itertuples():
            rows.append({"measure": f"exposure_{r.bloc}", "flow": "trade", "base": r.base_share, "new": r.new_share, "change": r.new_share - r.base_share})
        for r in self.blocs.itertuples():
            rows.append({"measure": f"share_{r.bloc}", "flow": r.flow, "base": r.base_share, "new": r.new_share, "change": r.new_share - r.base_share})
        return pd.DataFrame(rows)

    def summary(self) -> str:
        t = self.trade.set_index("flow")
        return (
            f"{self.home} deepens ties with {self.partner} (tariffs removed, trade costs -{self.cost_cut:g}% both ways): "
            f"welfare {self.welfare_change:+.4%}; exports to {self.partner} USD {t.loc['exports', 'base_usd_mn']:,.0f} mn -> "
            f"{t.loc['exports', 'new_usd_mn']:,.0f} mn ({t.loc['exports', 'change']:+.1%}), imports USD "
            f"{t.loc['imports', 'base_usd_mn']:,.0f} mn -> {t.loc['imports', 'new_usd_mn']:,.0f} mn ({t.loc['imports', 'change']:+.1%}); "
            f"great-power concentration {self.concentration_base:.2%} -> {self.concentration_new:.2%} "
            f"({100 * (self.concentration_new - self.concentration_base):+.3f} pp) [{self.provenance.label()}]"
        )


@dataclass(frozen=True, eq=False)
class PortfolioResult:
    """Optimal target shares of trade across partners (one point of the frontier).

    ``w0`` and ``w`` (P,) current and target shares; ``losses`` (S, P) loss per unit share;
    ``scenario_losses_base`` / ``scenario_losses`` (S,) portfolio losses before and after.
    """

    home: str
    flow: str
    partners: tuple[str, ...]
    scenarios: tuple[str, ...]
    w0: np.ndarray
    w: np.ndarray
    losses: np.ndarray
    probabilities: np.ndarray
    alpha: float
    max_shift: float
    growth: float
    cvar_base: float
    cvar: float
    expected_base: float
    expected: float
    shift: float
    solver: str
    provenance: Provenance

    @property
    def scenario_losses_base(self) -> np.ndarray:
        return self.losses @ self.w0

    @property
    def scenario_losses(self) -> np.ndarray:
        return self.losses @ self.w

    def to_frame(self) -> pd.DataFrame:
        """By partner: ``partner, current_share, target_share, change_pp, capacity_share`` and one
        ``loss_<scenario>`` column (loss per unit share), largest target share first."""
        out = pd.DataFrame({
            "partner": self.partners, "current_share": self.w0, "target_share": self.w,
            "change_pp": 100 * (self.w - self.w0), "capacity_share": self.w0 * (1 + self.growth),
        })
        for s, name in enumerate(self.scenarios):
            out[f"loss_{name}"] = self.losses[s]
        return out.sort_values("target_share", ascending=False, ignore_index=True)

    def summary(self) -> str:
        moves = self.to_frame().sort_values("change_pp")
        down = ", ".join(f"{r.partner} {r.change_pp:+.1f}" for r in moves.head(3).itertuples() if r.change_pp < -0.05)
        up = ", ".join(f"{r.partner} {r.change_pp:+.1f}" for r in moves.tail(3)[::-1].itertuples() if r.change_pp > 0.05)
        return (
            f"{self.home} {self.flow}: CVaR{self.alpha:.0%} loss {self.cvar_base:.2%} -> {self.cvar:.2%}, expected "
            f"{self.expected_base:.2%} -> {self.expected:.2%}, moving {self.shift:.1%} of {self.flow} (cap {self.max_shift:.0%}); "
            f"down: {down or 'none'}; up: {up or 'none'} (pp) [{self.provenance.label()}]"
        )


@dataclass(frozen=True, eq=False)
class Frontier:
    """Efficient frontier: the best CVaR for each cap on total reallocation.

    ``frame``: ``max_shift, shift, cvar, expected_loss, cvar_reduction`` (shares).
    """

    home: str
    flow: str
    frame: pd.DataFrame
    points: tuple[PortfolioResult, ...]
    provenance: Provenance

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def summary(self) -> str:
        f = self.frame
        return (
            f"{self.home} {self.flow} frontier: CVaR loss {f['cvar'].iloc[0]:.2%} with no reallocation, "
            f"{f['cvar'].iloc[-1]:.2%} moving up to {f['max_shift'].iloc[-1]:.0%} [{self.provenance.label()}]"
        )
