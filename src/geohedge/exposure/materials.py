r"""Critical-material supply risk: the GeoPolRisk method for one importing country and year.

The GeoPolRisk score of material :math:`m` for importer :math:`c` in year :math:`t`
(Gemechu et al. 2016, eq. 1; Santillán-Saldivar et al. 2021; Koyamparambath et al. 2024,
eq. 1-3; as implemented in geopolrisk-py 2.0.1, ``assessment/core.py``)::

    score[c, m, t] = HHI[m, t] * WTA[c, m, t]
    HHI[m, t]      = sum_k (x[k, m, t] / sum_k' x[k', m, t])**2
    WTA[c, m, t]   = sum_i q[i, c, m, t] * g[i, t] / (sum_i q[i, c, m, t] + P[c, m, t])
    g[i, t]        = clip((2.5 - PV[i, t]) / 5, 0, 1)      (0.5 where PV[i, t] is missing)

Notation (one meaning for each index letter, as elsewhere in geohedge):

======================= ===============================================================
symbol                  meaning (unit)
======================= ===============================================================
c                       importing country (ISO3)
i                       exporting (supplying) country (ISO3)
k                       producing country (ISO3), World Mining Data
m                       raw material (World Mining Data "Reference ID")
t                       year
x[k, m, t]              production of m by k (any unit: HHI is unit-free)
q[i, c, m, t]           BACI import quantity of c from i, summed over m's HS6 codes (t)
P[c, m, t]              c's own production of m (t); enters the denominator only
PV[i, t]                WGI Political Stability and Absence of Violence estimate (-2.5..2.5)
g[i, t]                 normalised instability, 0 most stable, 1 least stable
HHI[m, t]               production concentration, in (0, 1]
WTA[c, m, t]            import-weighted instability ("import risk"), in [0, 1]
======================= ===============================================================

Also reported, not part of the score: the importer's own supplier concentration
``hhi_imports = sum_i (q[i] / sum_i' q[i'])**2``.

Conventions (see ``docs/exposure.md`` for the differences from geopolrisk-py):

- BACI flows whose quantity is missing count as 0 t (as in geopolrisk-py); their value is
  still in ``imports_usd`` and their count is noted.
- A material the country does not import has ``WTA = 0`` (no import risk; geopolrisk-py
  also returns 0) and ``hhi_imports`` NaN (no suppliers).
- A supplier without a PV estimate for year t gets g = 0.5 (the method's rule); the share
  of import tonnes this affects is reported as ``wgi_imputed_share``. If the governance
  table lists a country twice for a year, the mean estimate is used and noted.
- A material without any production data for year t has HHI and score NaN, noted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geohedge.errors import InputError
from geohedge.exposure.results import Provenance, SupplyRisk

__all__ = ["hhi", "instability", "supply_risk"]

#: g assigned to a supplier without a WGI estimate (GeoPolRisk rule).
MISSING_G = 0.5

_TRADE = ("year", "exporter", "importer", "product", "quantity_t", "value_usd")
_PRODUCTION = ("year", "country", "material", "quantity_t")
_GOVERNANCE = ("year", "country", "estimate")
_MATERIALS = ("material", "product")


def instability(estimate: np.ndarray | pd.Series) -> np.ndarray:
    """g = clip((2.5 - PV) / 5, 0, 1): WGI PV estimate to instability in [0, 1] (NaN stays NaN)."""
    return np.clip((2.5 - np.asarray(estimate, dtype=float)) / 5.0, 0.0, 1.0)


def hhi(x: np.ndarray | pd.Series) -> float:
    """Herfindahl-Hirschman index sum_k (x_k / sum x)^2 of non-negative amounts; NaN if sum x = 0."""
    x = np.asarray(x, dtype=float)
    total = x.sum()
    if total <= 0:
        return float("nan")
    s = x / total
    return float(s @ s)


def _need(frame: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{name} lacks columns {missing}; expected {list(columns)}")


def _top(shares: pd.Series, k: int = 3) -> str:
    top = shares.sort_values(ascending=False).head(k)
    return ", ".join(f"{p} {s:.0%}" if s >= 0.005 else f"{p} <1%" for p, s in top.items())


def supply_risk(
    trade: pd.DataFrame,
    production: pd.DataFrame,
    governance: pd.DataFrame,
    materials: pd.DataFrame,
    country: str,
    year: int,
) -> SupplyRisk:
    """GeoPolRisk supply risk of ``country`` in ``year`` for every material in ``materials``.

    Parameters
    ----------
    trade
        Canonical trade rows ``year, exporter, importer, product, value_usd, quantity_t``
        (BACI HS6, tonnes, USD); other importers and years may be present.
    production
        ``year, country, material, quantity_t`` (World Mining Data, tonnes).
    governance
        ``year, country, estimate``: WGI Political Stability estimates (-2.5..2.5).
    materials
        ``material, product``: the HS6 codes of each material (main and complementary).
    country
        Importer, ISO3.
    year
        Year; must be a production year.

    Returns
    -------
    SupplyRisk
        Per material and per supplier tables, notes and provenance.

    Raises
    ------
    InputError
        A frame lacks a column; ``year`` has no production data (lists the years that do);
        ``country`` imports none of the materials' products in ``year``.
    """
    for frame, cols, name in ((trade, _TRADE, "trade"), (production, _PRODUCTION, "production"),
                              (governance, _GOVERNANCE, "governance"), (materials, _MATERIALS, "materials")):
        _need(frame, cols, name)
    year = int(year)
    years = sorted(int(y) for y in production["year"].unique())
    if year not in years:
        shown = f"{years[0]}-{years[-1]}" if years == list(range(years[0], years[-1] + 1)) else ", ".join(map(str, years))
        raise InputError(f"no production data for {year}; the supply-risk years are {shown or 'none (load the bundle)'}")
    mat = materials[["material", "product"]].drop_duplicates()
    mat = mat.assign(product=mat["product"].astype(str))
    products = mat.groupby("material")["product"].agg(lambda s: ";".join(sorted(s)))

    imports = trade.loc[(trade["importer"] == country) & (trade["year"] == year), list(_TRADE)]
    imports = imports.assign(product=imports["product"].astype(str))
    flows = imports.merge(mat, on="product", how="inner")
    if flows.empty:
        raise InputError(
            f"{country} imports none of the {mat['product'].nunique()} raw-material products in {year}; "
            "check the country code and year ('geohedge data status' shows what is loaded)"
        )
    notes: list[str] = []
    no_qty = flows["quantity_t"].isna()
    if no_qty.any():
        notes.append(f"{int(no_qty.sum())} import flows (USD {flows.loc[no_qty, 'value_usd'].sum():,.0f}) "
                     "have no quantity in BACI and count as 0 t")
    q = (flows.assign(quantity_t=flows["quantity_t"].fillna(0.0))
         .groupby(["material", "exporter"], as_index=False)[["quantity_t", "value_usd"]].sum()
         .rename(columns={"exporter": "partner"}))

    gov = governance.loc[(governance["year"] == year) & governance["estimate"].notna(), ["country", "estimate"]]
    dup = set(gov["country"][gov["country"].duplicated()]) & set(q["partner"])
    if dup:
        notes.append(f"WGI lists {', '.join(sorted(dup))} more than once for {year}; the mean estimate is used")
    mean_estimate = gov.groupby("country")["estimate"].mean()
    g_of = pd.Series(instability(mean_estimate.to_numpy()), index=mean_estimate.index)
    q["instability"] = q["partner"].map(g_of)
    imputed = q["instability"].isna()
    if imputed.any():
        notes.append(f"no WGI estimate for {year} for {', '.join(sorted(q.loc[imputed, 'partner'].unique()))}; "
                     f"instability set to {MISSING_G} (GeoPolRisk rule)")
    q["imputed"] = imputed
    q["instability"] = q["instability"].fillna(MISSING_G)
    totals = q.groupby("material")["quantity_t"].transform("sum")
    q["share"] = np.where(totals > 0, q["quantity_t"] / totals.where(totals > 0, 1.0), np.nan)

    prod_t = production.loc[production["year"] == year]
    hhi_prod = prod_t.groupby("material")["quantity_t"].agg(hhi)
    own = prod_t.loc[prod_t["country"] == country].groupby("material")["quantity_t"].sum()
    no_prod = sorted(set(products.index) - set(hhi_prod.dropna().index))
    if no_prod:
        notes.append(f"no production data for {year} for {', '.join(no_prod)}: HHI and score are NaN")

    rows = []
    for m, prods in products.items():
        sup = q[q["material"] == m]
        imports_t = float(sup["quantity_t"].sum())
        P = float(own.get(m, 0.0))
        numerator = float((sup["quantity_t"] * sup["instability"]).sum())
        wta = numerator / (imports_t + P) if imports_t > 0 else 0.0
        h = float(hhi_prod.get(m, np.nan))
        rows.append({
            "material": m,
            "products": prods,
            "imports_t": imports_t,
            "imports_usd": float(sup["value_usd"].sum()),
            "domestic_production_t": P,
            "hhi_production": h,
            "hhi_imports": hhi(sup["quantity_t"]) if imports_t > 0 else np.nan,
            "wta": wta,
            "score": h * wta,
            "top_suppliers": _top(sup.set_index("partner")["share"]) if imports_t > 0 else "",
            "wgi_imputed_share": float(sup.loc[sup["imputed"], "quantity_t"].sum() / imports_t) if imports_t > 0 else 0.0,
        })
    table = pd.DataFrame(rows)
    suppliers = q[["material", "partner", "quantity_t", "value_usd", "share", "instability"]].reset_index(drop=True)
    prov = Provenance(
        source="GeoPolRisk (Koyamparambath et al. 2024): CEPII BACI HS92 import tonnes, World Mining Data production, WGI PV",
        year=year,
        unit="score 0-1 (HHI x WTA)",
    )
    return SupplyRisk(country=country, year=year, materials=table, supplier_rows=suppliers, notes=tuple(notes), provenance=prov)
