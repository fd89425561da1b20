"""Result objects of the partners package: frozen, with ``to_frame()``, a summary and provenance."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

from geohedge.errors import InputError
from geohedge.exposure.results import Provenance

__all__ = [
    "Backtest",
    "Component",
    "DeepenResult",
    "Frontier",
    "GravityFit",
    "PartnerData",
    "PartnerExplanation",
    "PartnerScores",
    "PortfolioResult",
    "Provenance",
    "VAExposure",
    "Weights",
]


@dataclass(frozen=True)
class Component:
    """One index of the quality factor: its raw column, unit, transform to [0, 1] and source."""

    name: str
    column: str
    unit: str
    index: str
    source: str
    group: str


@dataclass(frozen=True)
class Weights:
    """A scoring profile: the weights of the quality factor's indices and the shift parameters.

    Weights are non-negative and need not sum to one (the quality factor is their weighted
    mean). ``shift`` is the stated share of exports moved to a partner (0.01 = 1 pp);
    ``growth`` caps how much exports to a partner can grow (0.5 = by half); ``capture`` caps
    the share of a partner's import demand in the home country's export sectors it can win;
    ``small_market`` is the share of the home country's trade under which a partner is
    flagged "small market"; ``concentration`` is the Dirichlet concentration of the weight
    draws; ``draws`` the number of uncertainty draws. See ``_data/partner_weights.toml``.
    """

    potential: float = 0.15
    stability: float = 0.25
    vote_volatility: float = 0.10
    tariff_volatility: float = 0.10
    agreement: float = 0.10
    alignment: float = 0.10
    bridging: float = 0.20
    shift: float = 0.01
    growth: float = 0.5
    capture: float = 0.02
    small_market: float = 0.005
    concentration: float = 50.0
    draws: int = 500
    origin: str = "default"

    PARAMETERS = ("shift", "growth", "capture", "small_market", "concentration", "draws")

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls) if f.name not in (*cls.PARAMETERS, "origin"))

    def values(self) -> np.ndarray:
        return np.array([getattr(self, n) for n in self.names()], dtype=float)

    def normalised(self) -> dict[str, float]:
        """Weights divided by their sum (for display)."""
        v = self.values()
        return dict(zip(self.names(), v / v.sum(), strict=True))

    def label(self) -> str:
        return ", ".join(f"{k} {v:.0%}" for k, v in self.normalised().items() if v > 0) + f" ({self.origin})"


@dataclass(frozen=True, eq=False)
class VAExposure:
    """A home country's value-added exposure to the great powers, by destination of its exports.

    ``frame``: ``destination, dva_usd_mn`` (home value added in gross exports to it, USD mn),
    ``va_gp_content`` (share of it finally absorbed by great-power final demand). ``exposure``
    is the DVA-weighted mean content ``X`` (share, 0-1).
    """

    home: str
    year: int
    exposure: float
    frame: pd.DataFrame
    great_powers: tuple[str, ...]
    source: str
    approximate: bool = False


@dataclass(frozen=True, eq=False)
class PartnerData:
    """Everything the partner ranking computes from, as plain frames (assembled by
    :func:`geohedge.views.partners.query_partner_data`).

    Attributes
    ----------
    bilateral
        ``exporter, importer, value_usd``: total trade of every pair of the table's regions.
    home_exports
        ``importer, product, value_usd``: the home country's exports by destination and
        sector (the rest of the world included as ``ROW``).
    imports_by_sector
        ``importer, product, value_usd``: every region's imports from the world.
    va
        The home country's value-added exposure.
    gravity
        The PPML fit behind potential (``None`` when it could not be estimated).
    stability
        ``country, year, estimate, std_error`` (WGI PV).
    agreement
        UN agreement scores (``None`` without votes).
    tariffs, export_mix, tariff_years
        Applied tariffs on the home country's goods (``importer, exporter, sector, year,
        rate``), its world export mix by goods sector, and the tariff years.
    agreements
        :func:`geohedge.partners.agreements.agreements_between` for the candidates.
    losses_partners, losses_w0, losses
        Optional scenario losses of the home country's exports (for the CVaR change).
    home_tariffs, export_mixes
        The home country's applied tariffs on every partner's goods in the last tariff year
        (same columns as ``tariffs``) and every exporter's goods export mix (``exporter,
        product, v``), for the tariff the home country applies to each partner.
    """

    home: str
    year: int
    bilateral: pd.DataFrame
    home_exports: pd.DataFrame
    imports_by_sector: pd.DataFrame
    va: VAExposure
    gravity: GravityFit | None
    stability: pd.DataFrame | None
    agreement: object | None
    tariffs: pd.DataFrame | None
    export_mix: pd.Series | None
    tariff_years: tuple[int, ...]
    agreements: pd.DataFrame
    agreements_on: _dt.date
    losses_partners: tuple[str, ...] = ()
    losses_w0: np.ndarray | None = None
    losses: np.ndarray | None = None
    window: int = 10
    min_votes: int = 10
    source: str = "OECD ICIO"
    approximate: bool = False
    notes: tuple[str, ...] = ()
    home_tariffs: pd.DataFrame | None = None
    export_mixes: pd.DataFrame | None = None


@dataclass(frozen=True, eq=False)
class GravityFit:
    """A structural-gravity benchmark fitted by PPML (Santos Silva & Tenreyro 2006).

    ``coefficients`` and ``std_errors`` by regressor name; ``predicted``: ``exporter,
    importer, value_usd, predicted_usd, predicted_se_usd, distance_km, contiguous`` for every
    pair in the sample. ``covariance`` is the HC0 covariance of all coefficients (exporter
    dummies, importer dummies but the first, then the regressors of ``coefficients`` in their
    order; flows in USD mn), with
    ``exporter_index`` and ``importer_index`` giving each country's dummy column.
    """

    formula: str
    estimator: str
    coefficients: dict[str, float]
    std_errors: dict[str, float]
    n_obs: int
    predicted: pd.DataFrame
    distance_source: str
    covariance: np.ndarray | None = None
    exporter_index: dict[str, int] = field(default_factory=dict)
    importer_index: dict[str, int] = field(default_factory=dict)

    def pair_totals(self, home: str, partners: list[str] | tuple[str, ...]) -> pd.DataFrame:
        """Actual and predicted trade of ``home`` with each partner, both directions together.

        Returns ``partner, value_usd, predicted_usd, predicted_se_usd`` (USD), one row per
        partner in order (NaN where a direction is not in the sample); the standard error of
        the sum uses the covariance of the two predictions (delta method, see
        :mod:`geohedge.partners.gravity`).
        """
        g = self.predicted
        out = g[g["exporter"] == home].set_index("importer").reindex(list(partners))
        back = g[g["importer"] == home].set_index("exporter").reindex(list(partners))
        frame = pd.DataFrame({"partner": list(partners), "value_usd": out["value_usd"].to_numpy() + back["value_usd"].to_numpy(),
                              "predicted_usd": out["predicted_usd"].to_numpy() + back["predicted_usd"].to_numpy()})
        se = np.full(len(frame), np.nan)
        V = self.covariance
        if V is not None:
            k = V.shape[0]
            grad = np.zeros((len(frame), k))
            rows = np.arange(len(frame))
            for d, (ex, im) in ((out, (None, "importer")), (back, ("exporter", None))):
                mu = d["predicted_usd"].to_numpy(float) / 1e6
                ok = np.isfinite(mu)
                exps = [home] * len(frame) if ex is None else list(partners)
                imps = list(partners) if ex is None else [home] * len(frame)
                for r in rows[ok]:
                    grad[r, self.exporter_index[exps[r]]] += mu[r]
                    j = self.importer_index.get(imps[r])
                    if j is not None:
                        grad[r, j] += mu[r]
                values = {"log_dist": np.log(d["distance_km"].to_numpy(float)), "contig": d["contiguous"].to_numpy(float)}
                for r, name in enumerate(self.coefficients):  # the regressors after the dummies, in order
                    grad[ok, k - len(self.coefficients) + r] += mu[ok] * values[name][ok]
            se = np.sqrt(np.maximum(((grad @ V) * grad).sum(axis=1), 0.0)) * 1e6
            se[~np.isfinite(frame["predicted_usd"].to_numpy(float))] = np.nan
        frame["predicted_se_usd"] = se
        return frame

    def summary(self) -> str:
        coefs = ", ".join(f"{k} {v:+.3f} (se {self.std_errors[k]:.3f})" for k, v in self.coefficients.items())
        return f"{self.estimator}: {self.formula}; {coefs}; {self.n_obs:,} pairs; distances: {self.distance_source}"


@dataclass(frozen=True, eq=False)
class PartnerScores:
    """Every candidate partner of a home country, with the score and what it is made of.

    Attributes
    ----------
    frame
        One row per partner, best first (see :mod:`geohedge.partners.scoring` for the
        columns): partners that would reduce the home country's great-power exposure are
        ranked by ``score_pp``; those that would raise it follow, least harmful first, with
        ``reduces_exposure`` false.
    components
        The quality factor's indices, with unit, transform and source.
    weights
        The profile used.
    gravity
        The gravity fit behind ``potential`` (``None`` when it could not be estimated).
    exposure
        The home country's value-added great-power exposure before any shift.
    seed, draws
        The uncertainty draws behind ``rank_p10``, ``rank_median``, ``rank_p90``.
    """

    home: str
    year: int
    frame: pd.DataFrame
    components: tuple[Component, ...]
    weights: Weights
    gravity: GravityFit | None
    exposure: VAExposure
    provenance: Provenance
    notes: tuple[str, ...] = field(default=())
    seed: int = 0
    draws: int = 0
    blocs: tuple[str, ...] = ()

    @property
    def concentration(self) -> float:
        """The home country's value-added great-power exposure ``X`` (share, 0-1)."""
        return self.exposure.exposure

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def ranked(self) -> pd.DataFrame:
        """The partners that would reduce the home country's great-power exposure, best first."""
        return self.frame[self.frame["reduces_exposure"]].reset_index(drop=True)

    def raising(self) -> pd.DataFrame:
        """The partners that would raise it (bloc members and partners tied to them), least harmful first."""
        return self.frame[~self.frame["reduces_exposure"]].reset_index(drop=True)

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
        r = self.ranked()
        top = ", ".join(f"{x.partner} {x.score_pp:.3f}" for x in r.head(5).itertuples())
        return (
            f"{self.home}: {len(r)} of {len(self.frame)} partners would reduce its great-power exposure "
            f"({self.concentration:.1%} of its exported value added ends in {'+'.join(self.blocs)} final demand); top 5 by "
            f"reliability-adjusted reduction within capacity (pp, shifting {self.weights.shift:.0%} of exports): {top}; "
            f"weights {self.weights.label()} [{self.provenance.label()}]"
        )


@dataclass(frozen=True, eq=False)
class PartnerExplanation:
    """What holds a candidate partner back, by how much, and what would move it into the top ten.

    ``shortfalls``: ``factor, value, top10_median, unit, loss_pp`` (the score the partner
    loses against the top-ten median on that factor, pp). ``levers``: ``lever, current,
    needed, unit, feasible, note`` (the value of one input alone that would lift the
    partner's score to the tenth one's). ``text``: the same in plain sentences.
    """

    home: str
    partner: str
    rank: int
    n_ranked: int
    score_pp: float
    threshold_pp: float
    shortfalls: pd.DataFrame
    levers: pd.DataFrame
    text: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        return self.levers.copy()

    def summary(self) -> str:
        return " ".join(self.text)


@dataclass(frozen=True, eq=False)
class Backtest:
    """Does untapped potential predict which partners gain share? One row per home country.

    ``frame``: ``home, partners`` and, for each potential variant ``v``, ``<v>_top_minus_rest``
    (mean log change of the partner's share of the home country's trade, top ten by the
    variant minus the rest) and ``<v>_spearman``. ``summary``: by variant, the mean and
    median of both, the number of countries where the top ten did better, and a two-sided
    sign-test p-value.
    """

    base_years: tuple[int, ...]
    start_year: int
    end_year: int
    frame: pd.DataFrame
    summary: pd.DataFrame
    gravity: GravityFit
    provenance: Provenance

    def to_frame(self) -> pd.DataFrame:
        return self.summary.copy()


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
