"""Result objects of the exposure package: frozen, with ``to_frame()``, a summary and provenance."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["Provenance", "ValueAddedExposure"]


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
