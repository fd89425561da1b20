"""Result objects of the exposure package: frozen, with ``to_frame()``, a summary and provenance."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["Provenance", "SupplyRisk", "ValueAddedExposure"]


@dataclass(frozen=True)
class Provenance:
    """Where a number comes from: source, year, unit, and whether it rests on an approximation."""

    source: str
    year: int
    unit: str
    approximate: bool = False

    def label(self) -> str:
        flag = ", approximate final-demand split" if self.approximate else ""
        return f"{self.source}, {self.year}, {self.unit}{flag}"


@dataclass(frozen=True, eq=False)
class ValueAddedExposure:
    """A country's value-chain exposure (see :func:`geohedge.exposure.value_added_exposure`)."""

    country: str
    gross_exports_usd_mn: float
    gdp_usd_mn: float
    origins: pd.DataFrame
    absorption: pd.DataFrame
    provenance: Provenance

    def by_source(self) -> pd.DataFrame:
        """VA in gross exports by source country: ``source, va_usd_mn, share_of_exports``."""
        out = self.origins.groupby("source", sort=False, as_index=False)["va_usd_mn"].sum()
        out["share_of_exports"] = out["va_usd_mn"] / self.gross_exports_usd_mn
        return out.sort_values("va_usd_mn", ascending=False, ignore_index=True)

    def by_partner(self) -> pd.DataFrame:
        """Domestic VA absorbed by each country's final demand: ``partner, va_usd_mn, share_of_gdp``."""
        out = self.absorption.groupby("partner", sort=False, as_index=False)["va_usd_mn"].sum()
        out["share_of_gdp"] = out["va_usd_mn"] / self.gdp_usd_mn
        return out.sort_values("va_usd_mn", ascending=False, ignore_index=True)

    @property
    def domestic_va_in_exports_usd_mn(self) -> float:
        """TiVA EXGR_DVA."""
        return float(self.origins.loc[self.origins["source"] == self.country, "va_usd_mn"].sum())

    @property
    def foreign_va_in_exports_usd_mn(self) -> float:
        """TiVA EXGR_FVA."""
        return float(self.origins.loc[self.origins["source"] != self.country, "va_usd_mn"].sum())

    @property
    def va_absorbed_abroad_usd_mn(self) -> float:
        """TiVA FFD_DVA: domestic VA absorbed by foreign final demand."""
        return float(self.absorption.loc[self.absorption["partner"] != self.country, "va_usd_mn"].sum())

    def to_frame(self) -> pd.DataFrame:
        """Both measures by country in one frame: ``country, va_in_exports_usd_mn,
        share_of_exports, va_absorbed_usd_mn, share_of_gdp``."""
        src = self.by_source().rename(columns={"source": "country", "va_usd_mn": "va_in_exports_usd_mn"})
        dst = self.by_partner().rename(columns={"partner": "country", "va_usd_mn": "va_absorbed_usd_mn"})
        return src.merge(dst, on="country", how="outer").sort_values("va_absorbed_usd_mn", ascending=False, ignore_index=True)

    def summary(self) -> str:
        fva = self.foreign_va_in_exports_usd_mn / self.gross_exports_usd_mn
        abroad = self.va_absorbed_abroad_usd_mn / self.gdp_usd_mn
        return (
            f"{self.country}: foreign value added is {fva:.1%} of gross exports "
            f"(USD {self.gross_exports_usd_mn:,.0f} mn); {abroad:.1%} of value added "
            f"(USD {self.gdp_usd_mn:,.0f} mn) is absorbed by foreign final demand [{self.provenance.label()}]"
        )


@dataclass(frozen=True, eq=False)
class SupplyRisk:
    """A country's GeoPolRisk supply risk per raw material (see :func:`geohedge.exposure.supply_risk`).

    Attributes
    ----------
    country, year
        Importing country (ISO3) and year.
    materials
        One row per material: ``material, products, imports_t, imports_usd,
        domestic_production_t, hhi_production, hhi_imports, wta, score, top_suppliers,
        wgi_imputed_share``.
    supplier_rows
        One row per material and supplying country: ``material, partner, quantity_t,
        value_usd, share, instability``.
    notes
        Data caveats met in this computation (imputed WGI, duplicated WGI rows, flows
        without quantity).
    provenance
        Source, year, unit.
    """

    country: str
    year: int
    materials: pd.DataFrame
    supplier_rows: pd.DataFrame
    notes: tuple[str, ...]
    provenance: Provenance

    def by_material(self) -> pd.DataFrame:
        """Per material, highest score first: ``material, products, imports_t, imports_usd,
        domestic_production_t, hhi_production, hhi_imports, wta, score, top_suppliers,
        wgi_imputed_share``."""
        return self.materials.sort_values(["score", "material"], ascending=[False, True], ignore_index=True)

    def suppliers(self) -> pd.DataFrame:
        """Per material and supplier, largest share first: ``material, partner, quantity_t,
        value_usd, share, instability`` (``share`` of the material's import tonnes,
        ``instability`` the normalised WGI g in [0, 1], higher = less stable)."""
        return self.supplier_rows.sort_values(["material", "share", "partner"], ascending=[True, False, True], ignore_index=True)

    def to_frame(self) -> pd.DataFrame:
        """The per-material table (:meth:`by_material`) with ``country`` and ``year`` columns."""
        return self.by_material().assign(country=self.country, year=self.year)

    def summary(self) -> str:
        top = self.by_material().dropna(subset=["score"]).head(3)
        lead = "; ".join(f"{r.material} {r.score:.3f} ({r.top_suppliers})" for r in top.itertuples())
        imported = int((self.materials["imports_t"] > 0).sum())
        return (
            f"{self.country} {self.year}: GeoPolRisk supply risk over {len(self.materials)} raw materials "
            f"({imported} imported); highest: {lead} [{self.provenance.label()}]"
        )
