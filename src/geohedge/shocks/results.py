"""Results of the shock model: frozen, with ``to_frame()``, a summary and provenance.

Money values are USD mn of the baseline year. Counterfactual values are nominal in the
model's numeraire (world value added held at its baseline level), so a change in a flow
compares like with like; welfare is real (income deflated by the consumer price index).
Trade flows are valued at exporter (basic) prices: tariffs paid by the importer are not
included.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geohedge.exposure import trade as _trade
from geohedge.exposure.results import Provenance
from geohedge.shocks.decomposition import WelfareDecomposition

__all__ = ["Convergence", "DiversionResult", "MonteCarloResult", "Provenance", "ShockResult"]


@dataclass(frozen=True)
class Convergence:
    """How the solver ended: iterations, final step size (residual), tolerance, seconds,
    and the largest residual of the equilibrium conditions checked after solving."""

    iterations: int
    residual: float
    tolerance: float
    seconds: float
    equilibrium_residual: float

    def label(self) -> str:
        return (
            f"converged in {self.iterations} iterations (step {self.residual:.2g} < tol {self.tolerance:.0e}; "
            f"equilibrium residual {self.equilibrium_residual:.2g}; {self.seconds:.2f} s)"
        )


@dataclass(frozen=True, eq=False)
class DiversionResult:
    """Where a focus country's trade goes under a scenario.

    Attributes
    ----------
    exports, imports
        By partner: ``partner, base_usd_mn, new_usd_mn, change_usd_mn, change`` (relative),
        largest absolute change first.
    concentration
        ``flow, measure, base, new, change`` for HHI and top-k shares over partners.
    blocs
        ``flow, bloc, base_share, new_share, change_pp`` over ``DEFAULT_BLOCS``.
    """

    country: str
    scenario: str
    exports: pd.DataFrame
    imports: pd.DataFrame
    concentration: pd.DataFrame
    blocs: pd.DataFrame
    provenance: Provenance

    def to_frame(self) -> pd.DataFrame:
        """Exports and imports by partner in one frame with a ``flow`` column."""
        return pd.concat([self.exports.assign(flow="exports"), self.imports.assign(flow="imports")], ignore_index=True)[
            ["flow", "partner", "base_usd_mn", "new_usd_mn", "change_usd_mn", "change"]
        ]

    def summary(self) -> str:
        def top(frame: pd.DataFrame, gain: bool) -> str:
            f = frame.sort_values("change_usd_mn", ascending=not gain).head(3)
            f = f[f["change_usd_mn"] > 0] if gain else f[f["change_usd_mn"] < 0]
            return ", ".join(f"{r.partner} {r.change_usd_mn:+,.0f}" for r in f.itertuples()) or "none"

        hhi = self.concentration[(self.concentration["measure"] == "hhi")].set_index("flow")
        return (
            f"{self.country} under {self.scenario}: exports lost to {top(self.exports, False)}, gained in "
            f"{top(self.exports, True)} (USD mn); export HHI {hhi.loc['exports', 'base']:.3f} -> {hhi.loc['exports', 'new']:.3f}, "
            f"import HHI {hhi.loc['imports', 'base']:.3f} -> {hhi.loc['imports', 'new']:.3f} [{self.provenance.label()}]"
        )


@dataclass(frozen=True, eq=False)
class ShockResult:
    """The equilibrium of one scenario (see :func:`geohedge.shocks.solve`).

    Arrays follow the model notation (``n`` importer, ``i`` exporter, ``j`` sector):
    ``w_hat`` (N,), ``P_hat`` (N, J), ``W_hat`` and ``I_hat`` (N,), baseline and
    counterfactual exporter receipts ``T0``, ``T1`` (N, N, J) in USD mn (indexed
    [importer, exporter, sector]), output ``Y0``, ``Y1`` (N, J), counterfactual spending
    ``X1`` (N, J, tariffs included).

    Two welfare measures, always named: the **exact** real income change
    ``W_hat - 1 = I_hat / prod_j P_hat**alpha - 1`` (``real_income_change``, also
    ``welfare_change``), and CP2015's **linearised** decomposition (their Table 2:
    ``welfare_linear_cp2015 = terms_of_trade_cp2015 + volume_of_trade_cp2015 +
    trade_cost_cp2015``, :mod:`geohedge.shocks.decomposition`), which approximates the
    exact change for small shocks only.
    """

    scenario: str
    countries: tuple[str, ...]
    sectors: tuple[str, ...]
    w_hat: np.ndarray
    P_hat: np.ndarray
    W_hat: np.ndarray
    I_hat: np.ndarray
    CPI_hat: np.ndarray
    T0: np.ndarray
    T1: np.ndarray
    Y0: np.ndarray
    Y1: np.ndarray
    X1: np.ndarray
    theta: np.ndarray
    convergence: Convergence
    provenance: Provenance
    notes: tuple[str, ...] = field(default=())
    targeted: np.ndarray | None = None  # (N,) bool: importer or exporter of some shock
    tau0: np.ndarray | None = None  # (N, N, J) baseline tariffs (fractions)
    tau1: np.ndarray | None = None  # (N, N, J) counterfactual tariffs (fractions)
    tariff_source: str = ""
    c_hat: np.ndarray | None = None  # (N, J) change in unit costs
    decomposition: WelfareDecomposition | None = None  # CP2015's linearised welfare decomposition
    R0: np.ndarray | None = None  # (N,) baseline tariff revenue, USD mn
    R1: np.ndarray | None = None  # (N,) counterfactual tariff revenue, USD mn
    I0: np.ndarray | None = None  # (N,) baseline income, USD mn
    deficits: str = "fixed"

    def tariffs_frame(self, *, by_sector: bool = False) -> pd.DataFrame:
        """Baseline and counterfactual tariff of every flow whose tariff the scenario changed:
        ``importer, exporter, [sector,] base_usd_mn, tariff_base, tariff_new`` (fractions;
        without ``by_sector`` weighted by the baseline flow over the changed sectors),
        largest baseline flow first."""
        cols = ["importer", "exporter", *(["sector"] if by_sector else []), "base_usd_mn", "tariff_base", "tariff_new"]
        if self.tau0 is None or self.tau1 is None:
            return pd.DataFrame(columns=cols)
        changed = ~np.isclose(self.tau0, self.tau1, rtol=0, atol=1e-12)
        n, i, j = np.nonzero(changed)
        c = np.asarray(self.countries)
        out = pd.DataFrame({"importer": c[n], "exporter": c[i], "sector": np.asarray(self.sectors)[j],
                            "base_usd_mn": self.T0[n, i, j], "tariff_base": self.tau0[n, i, j], "tariff_new": self.tau1[n, i, j]})
        if not by_sector:
            w = out["base_usd_mn"].where(out["base_usd_mn"] > 0, 1e-12)
            out = out.assign(tb=out["tariff_base"] * w, tn=out["tariff_new"] * w, w=w)
            out = out.groupby(["importer", "exporter"], as_index=False)[["base_usd_mn", "tb", "tn", "w"]].sum()
            out["tariff_base"] = out["tb"] / out["w"]
            out["tariff_new"] = out["tn"] / out["w"]
        return out.sort_values("base_usd_mn", ascending=False, ignore_index=True)[cols]

    # --- frames -----------------------------------------------------------------------

    def _country(self, code: str) -> int:
        from geohedge import countries as _c
        from geohedge.errors import InputError

        iso = _c.resolve(code)
        if iso not in self.countries:
            raise InputError(f"{iso} is not a region of the model; regions: {', '.join(self.countries)}")
        return self.countries.index(iso)

    def _foreign(self, T: np.ndarray) -> np.ndarray:
        out = T.copy()
        d = np.arange(len(self.countries))
        out[d, d, :] = 0.0
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row per country: ``country, targeted, welfare_change, real_income_change,
        welfare_linear_cp2015, terms_of_trade_cp2015, volume_of_trade_cp2015,
        trade_cost_cp2015, price_index_change, wage_change, nominal_income_change,
        tariff_revenue_base_usd_mn, tariff_revenue_new_usd_mn, exports_base_usd_mn,
        exports_change, imports_base_usd_mn, imports_change``. Changes are relative (0.01 =
        +1%); ``welfare_change`` = ``real_income_change`` is the exact change, the ``_cp2015``
        columns the linearised decomposition (class docstring); ``targeted``: the country is
        an importer or exporter of some shock."""
        F0, F1 = self._foreign(self.T0), self._foreign(self.T1)
        ex0, ex1 = F0.sum(axis=(0, 2)), F1.sum(axis=(0, 2))
        im0, im1 = F0.sum(axis=(1, 2)), F1.sum(axis=(1, 2))
        N = len(self.countries)
        targeted = np.zeros(N, bool) if self.targeted is None else self.targeted
        dec = self.decomposition
        nan = np.full(N, np.nan)
        return pd.DataFrame({
            "country": self.countries,
            "targeted": targeted,
            "welfare_change": self.W_hat - 1.0,
            "real_income_change": self.W_hat - 1.0,
            "welfare_linear_cp2015": nan if dec is None else dec.total(),
            "terms_of_trade_cp2015": nan if dec is None else dec.tot(),
            "volume_of_trade_cp2015": nan if dec is None else dec.vot(),
            "trade_cost_cp2015": nan if dec is None else dec.tc(),
            "price_index_change": self.CPI_hat - 1.0,
            "wage_change": self.w_hat - 1.0,
            "nominal_income_change": self.I_hat - 1.0,
            "tariff_revenue_base_usd_mn": nan if self.R0 is None else self.R0,
            "tariff_revenue_new_usd_mn": nan if self.R1 is None else self.R1,
            "exports_base_usd_mn": ex0,
            "exports_change": _rel(ex1, ex0),
            "imports_base_usd_mn": im0,
            "imports_change": _rel(im1, im0),
        })

    def welfare_frame(self) -> pd.DataFrame:
        """The welfare measures side by side, one row per country and measure: ``country,
        measure, value`` with measure ``exact`` (100 (W_hat - 1) as a fraction),
        ``linear_cp2015`` (CP2015 Table 2's linearised total), ``terms_of_trade_cp2015``,
        ``volume_of_trade_cp2015``, ``trade_cost_cp2015``."""
        f = self.to_frame()
        cols = {"real_income_change": "exact", "welfare_linear_cp2015": "linear_cp2015", "terms_of_trade_cp2015": "terms_of_trade_cp2015",
                "volume_of_trade_cp2015": "volume_of_trade_cp2015", "trade_cost_cp2015": "trade_cost_cp2015"}
        long = f[["country", *cols]].rename(columns=cols).melt(id_vars="country", var_name="measure", value_name="value")
        return long.reset_index(drop=True)

    def decomposition_frame(self, country: str | None = None) -> pd.DataFrame:
        """CP2015's linearised decomposition by country and sector: ``country, sector,
        terms_of_trade_cp2015, volume_of_trade_cp2015, trade_cost_cp2015`` (fractions of the
        country's baseline income; they sum over sectors to the ``to_frame`` columns)."""
        N, J = len(self.countries), len(self.sectors)
        dec = self.decomposition
        if dec is None:
            raise ValueError("this result carries no welfare decomposition")
        out = pd.DataFrame({
            "country": np.repeat(self.countries, J), "sector": np.tile(self.sectors, N),
            "terms_of_trade_cp2015": dec.terms_of_trade.ravel(), "volume_of_trade_cp2015": dec.volume_of_trade.ravel(),
            "trade_cost_cp2015": dec.trade_cost.ravel(),
        })
        if country is not None:
            out = out[out["country"] == self.countries[self._country(country)]].reset_index(drop=True)
        return out

    def largest_diversions(self, country: str, n: int = 10) -> pd.DataFrame:
        """The ``n`` bilateral flows of ``country`` (exports to and imports from each partner)
        with the largest absolute change: ``flow, partner, base_usd_mn, new_usd_mn,
        change_usd_mn, change``."""
        f = self.diversion(country).to_frame()
        return f.reindex(f["change_usd_mn"].abs().sort_values(ascending=False).index).head(n).reset_index(drop=True)

    def sectors_frame(self, country: str | None = None) -> pd.DataFrame:
        """By country and sector: ``country, sector, output_base_usd_mn, output_change,
        exports_base_usd_mn, exports_change, imports_base_usd_mn, imports_change,
        price_index_change``."""
        F0, F1 = self._foreign(self.T0), self._foreign(self.T1)
        N, J = len(self.countries), len(self.sectors)
        out = pd.DataFrame({
            "country": np.repeat(self.countries, J),
            "sector": np.tile(self.sectors, N),
            "output_base_usd_mn": self.Y0.ravel(),
            "output_change": _rel(self.Y1, self.Y0).ravel(),
            "exports_base_usd_mn": F0.sum(axis=0).ravel(),
            "exports_change": _rel(F1.sum(axis=0), F0.sum(axis=0)).ravel(),
            "imports_base_usd_mn": F0.sum(axis=1).ravel(),
            "imports_change": _rel(F1.sum(axis=1), F0.sum(axis=1)).ravel(),
            "price_index_change": (self.P_hat - 1.0).ravel(),
        })
        if country is not None:
            out = out[out["country"] == self.countries[self._country(country)]].reset_index(drop=True)
        return out

    def bilateral_frame(self, *, by_sector: bool = False, min_base_usd_mn: float = 0.0) -> pd.DataFrame:
        """Bilateral trade: ``exporter, importer, [sector,] base_usd_mn, new_usd_mn, change_usd_mn,
        change``; domestic sales left out."""
        F0, F1 = self._foreign(self.T0), self._foreign(self.T1)
        if not by_sector:
            F0, F1 = F0.sum(axis=2, keepdims=True), F1.sum(axis=2, keepdims=True)
        n, i, j = np.nonzero((F0 > min_base_usd_mn) | (F1 > min_base_usd_mn))
        c = np.asarray(self.countries)
        out = pd.DataFrame({"exporter": c[i], "importer": c[n]})
        if by_sector:
            out["sector"] = np.asarray(self.sectors)[j]
        out["base_usd_mn"] = F0[n, i, j]
        out["new_usd_mn"] = F1[n, i, j]
        out["change_usd_mn"] = out["new_usd_mn"] - out["base_usd_mn"]
        out["change"] = _rel(out["new_usd_mn"].to_numpy(), out["base_usd_mn"].to_numpy())
        return out

    def diversion(self, country: str, blocs: Sequence[str] = _trade.DEFAULT_BLOCS) -> DiversionResult:
        """Trade diversion for a focus country: partners gaining and losing its exports and
        imports, and the change in partner and bloc concentration (HHI, top-k shares)."""
        k = self._country(country)
        iso = self.countries[k]
        F0, F1 = self._foreign(self.T0).sum(axis=2), self._foreign(self.T1).sum(axis=2)  # [importer, exporter]
        partners = np.array([c for c in self.countries if c != iso])
        mask = np.arange(len(self.countries)) != k
        flows = {"exports": (F0[mask, k], F1[mask, k]), "imports": (F0[k, mask], F1[k, mask])}
        tables, conc, bl = {}, [], []
        for flow, (b, a) in flows.items():
            t = pd.DataFrame({"partner": partners, "base_usd_mn": b, "new_usd_mn": a})
            t["change_usd_mn"] = t["new_usd_mn"] - t["base_usd_mn"]
            t["change"] = _rel(a, b)
            tables[flow] = t.reindex(t["change_usd_mn"].abs().sort_values(ascending=False).index).reset_index(drop=True)
            cb = _trade.concentration(pd.DataFrame({"partner": partners, "value_usd": b}))
            ca = _trade.concentration(pd.DataFrame({"partner": partners, "value_usd": a}))
            for m in ("hhi", "top1_share", "top3_share", "top5_share"):
                conc.append({"flow": flow, "measure": m, "base": float(cb[m].iloc[0]), "new": float(ca[m].iloc[0])})
            sb = _trade.bloc_shares(pd.DataFrame({"partner": partners, "value_usd": b}), blocs)
            sa = _trade.bloc_shares(pd.DataFrame({"partner": partners, "value_usd": a}), blocs)
            m = sb[["bloc", "share"]].merge(sa[["bloc", "share"]], on="bloc", how="outer", suffixes=("_b", "_a")).fillna(0.0)
            for r in m.itertuples(index=False):
                bl.append({"flow": flow, "bloc": r.bloc, "base_share": r.share_b, "new_share": r.share_a, "change_pp": 100 * (r.share_a - r.share_b)})
        conc_f = pd.DataFrame(conc)
        conc_f["change"] = conc_f["new"] - conc_f["base"]
        return DiversionResult(
            country=iso, scenario=self.scenario, exports=tables["exports"], imports=tables["imports"],
            concentration=conc_f, blocs=pd.DataFrame(bl), provenance=self.provenance,
        )

    def summary(self, focus: str | None = None) -> str:
        """A one-paragraph summary: largest welfare losses and gains, convergence, provenance."""
        f = self.to_frame().sort_values("welfare_change")
        f = f[f["country"] != "ROW"]
        lose = ", ".join(f"{r.country} {r.welfare_change:+.3%}" for r in f.head(3).itertuples())
        gain = ", ".join(f"{r.country} {r.welfare_change:+.3%}" for r in f.tail(3)[::-1].itertuples())
        head = f"{self.scenario}: real income change (exact, W_hat - 1), largest losses {lose}; largest gains {gain}."
        if focus is not None:
            r = f.set_index("country").loc[self.countries[self._country(focus)]]
            head += (
                f" {r.name}: real income {r.welfare_change:+.3%} exact; CP2015 linearised {r.welfare_linear_cp2015:+.3%} "
                f"(terms of trade {r.terms_of_trade_cp2015:+.3%}, volume of trade {r.volume_of_trade_cp2015:+.3%}"
                + (f", trade costs {r.trade_cost_cp2015:+.3%}" if abs(r.trade_cost_cp2015) > 0 else "")
                + f"); prices {r.price_index_change:+.3%}, exports {r.exports_change:+.2%}, imports {r.imports_change:+.2%}."
            )
            gap = abs(r.welfare_linear_cp2015 - r.welfare_change)
            if gap > max(0.5 * abs(r.welfare_change), 0.001):
                head += (" The linearised figure is a first-order approximation (exact for small shocks); here it is far from the "
                         "exact change because some taxed flows change a lot (their volume-of-trade term is the baseline tariff times "
                         "the change in imports, taken as if it were small): read the exact figure.")
        return f"{head} Solver {self.convergence.label()}. [{self.provenance.label()}]"


@dataclass(frozen=True, eq=False)
class MonteCarloResult:
    """Monte Carlo over trade elasticities: quantiles of each country's welfare change.

    ``draws`` (D, N): welfare change per draw and country; ``theta`` (D, J): the drawn
    elasticities; ``failed``: draws whose solve did not converge (left out, counted);
    ``sets``: the published elasticity sets drawn across (empty: draws around the
    scenario's own elasticities) and ``set_of_draw`` (D,) the index into ``sets`` of each
    kept draw.
    """

    scenario: str
    countries: tuple[str, ...]
    draws: np.ndarray
    theta: np.ndarray
    seed: int | None
    failed: int
    seconds: float
    point: ShockResult
    provenance: Provenance
    sets: tuple[str, ...] = ()
    set_of_draw: np.ndarray | None = None

    def by_set(self) -> pd.DataFrame:
        """Median welfare change per country and drawn set: ``set_name, country, welfare_change_median, draws``."""
        if not self.sets or self.set_of_draw is None:
            return pd.DataFrame(columns=["set_name", "country", "welfare_change_median", "draws"])
        rows = []
        for k, name in enumerate(self.sets):
            sel = self.draws[self.set_of_draw == k]
            if not len(sel):
                continue
            med = np.median(sel, axis=0)
            rows += [{"set_name": name, "country": c, "welfare_change_median": float(m), "draws": len(sel)}
                     for c, m in zip(self.countries, med, strict=True)]
        return pd.DataFrame(rows)

    def to_frame(self) -> pd.DataFrame:
        """``country, welfare_change_point, welfare_change_median, welfare_change_p05, welfare_change_p95``."""
        q = np.quantile(self.draws, [0.5, 0.05, 0.95], axis=0)
        return pd.DataFrame({
            "country": self.countries,
            "welfare_change_point": self.point.W_hat - 1.0,
            "welfare_change_median": q[0],
            "welfare_change_p05": q[1],
            "welfare_change_p95": q[2],
        })

    def summary(self, focus: str | None = None) -> str:
        f = self.to_frame().set_index("country")
        text = f"{self.scenario}: {len(self.draws)} draws ({self.failed} failed) in {self.seconds:.1f} s"
        if focus is not None and focus in f.index:
            r = f.loc[focus]
            text += f"; {focus} welfare change median {r.welfare_change_median:+.3%} (90% band {r.welfare_change_p05:+.3%} to {r.welfare_change_p95:+.3%})"
        return text + f" [{self.provenance.label()}]"


def _rel(new: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Relative change ``new / base - 1``; NaN where the baseline is zero (no flow to compare)."""
    new = np.asarray(new, dtype=float)
    base = np.asarray(base, dtype=float)
    return np.divide(new - base, base, out=np.full(np.broadcast(new, base).shape, np.nan), where=base > 0)
