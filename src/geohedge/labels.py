"""Column names to human labels, units and display formats: one place for every table.

Every table geohedge produces has snake_case columns with the unit in the name
(``export_share``, ``va_absorbed_usd_mn``, ``agree_USA``). This module says, for each,
what a reader should see: a label (``"Share of exports"``), a unit (``"%"``), and how a
value prints (``0.3148`` -> ``"31.5%"``). The CLI's table view, the brief (HTML and PDF),
the dashboard (``GET /api/labels``) and CSV/JSON headers under ``--labels human`` all
read it, so a column reads the same everywhere.

Adding a column
---------------
Add one :class:`Column` to :data:`COLUMNS` (an exact name) or a ``(regex, Column)`` pair to
:data:`PATTERNS` (a family of names such as ``agree_<ISO3>``; ``{name}`` placeholders in
the label are filled from the regex's named groups). Exact names win over patterns,
patterns are tried in order, and a name found in neither falls back to its suffix
(``_usd_mn``, ``_share``, ``_pp``, ...; :func:`is_known` is then ``False``, and a test
lists every column of the brief and the CLI views that is not known).

Kinds and how they print
------------------------

============  ======================================  ===========================
kind          value holds                              prints as
============  ======================================  ===========================
``share``     a fraction 0-1                           ``31.5%`` (2 significant digits below 1%)
``change``    a relative change (0.01 = +1%)           ``+1.2%``, ``-0.0074%`` (2 significant digits, at least 1 decimal)
``pp``        percentage points                        ``+0.25`` (unit "pp")
``usd``       US dollars                               ``1,234`` in USD million
``usd_mn``    US dollars, millions                     ``1,234``
``tonnes``    metric tonnes                            ``1,234``
``index``     a score or index, usually 0-1            ``0.66``
``hhi``       Herfindahl-Hirschman index 0-1           ``0.129``
``intensity`` Goldstein weight -10..+10                ``+5.2``
``count``     an integer count                         ``1,234``
``number``    anything else numeric                    3 significant digits
``text``      text, codes, dates, years                as given
============  ======================================  ===========================

Pure: no I/O; imports only the standard library, NumPy and pandas.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd

__all__ = [
    "COLUMNS",
    "KINDS",
    "PATTERNS",
    "Column",
    "column",
    "format_frame",
    "format_value",
    "header",
    "human_frame",
    "is_known",
    "label_table",
]

Kind = Literal["share", "change", "pp", "usd", "usd_mn", "tonnes", "index", "hhi", "intensity", "count", "number", "text"]
_np_bool = np.bool_
KINDS: tuple[str, ...] = ("share", "change", "pp", "usd", "usd_mn", "tonnes", "index", "hhi", "intensity", "count", "number", "text")

#: The unit each kind shows in a header when :attr:`Column.unit` is not given.
_UNITS: Mapping[str, str] = {
    "share": "%", "change": "%", "pp": "pp", "usd": "USD mn", "usd_mn": "USD mn", "tonnes": "t",
    "hhi": "0-1", "intensity": "-10..+10",
}
#: The unit of the stored value (CSV and JSON keep full precision in it).
_RAW_UNITS: Mapping[str, str] = {"share": "0-1", "change": "relative, 0.01 = 1%", "usd": "USD"}


@dataclass(frozen=True)
class Column:
    """How one column reads.

    Attributes
    ----------
    label
        What a reader sees as the header, without the unit (``"Share of exports"``).
    kind
        One of :data:`KINDS`: how values print (see the module docstring).
    unit
        Overrides the kind's unit in headers (``"0-1"``, ``"years"``); ``""`` for none.
    signed
        Print a ``+`` before positive values (changes, leans).
    digits
        Fixed decimals, overriding the kind's rule.
    description
        One sentence for the dashboard's tooltips and the docs.
    """

    label: str
    kind: Kind = "number"
    unit: str | None = None
    signed: bool = False
    digits: int | None = None
    description: str = ""

    @property
    def shown_unit(self) -> str:
        return self.unit if self.unit is not None else _UNITS.get(self.kind, "")


def _c(label: str, kind: Kind = "number", **kw) -> Column:
    return Column(label, kind, **kw)


#: Exact column names. Keep alphabetical within each block; add yours here.
COLUMNS: dict[str, Column] = {
    # identity and keys
    "country": _c("Country", "text"),
    "partner": _c("Partner", "text"),
    "name": _c("Name", "text"),
    "bloc": _c("Bloc", "text"),
    "flow": _c("Flow", "text"),
    "year": _c("Year", "text"),
    "session": _c("Session", "text"),
    "month": _c("Month", "text"),
    "date": _c("Date", "text"),
    "last_date": _c("Last event", "text"),
    "sector": _c("Sector", "text"),
    "sector_name": _c("Sector name", "text"),
    "hs6": _c("HS6 product", "text"),
    "product": _c("Product", "text"),
    "material": _c("Material", "text"),
    "exporter": _c("Exporter", "text"),
    "importer": _c("Importer", "text"),
    "scenario": _c("Scenario", "text"),
    "measure": _c("Measure", "text"),
    "missing": _c("Missing components", "text"),
    "top_suppliers": _c("Top suppliers", "text"),
    "targeted": _c("Targeted", "text"),
    # direct trade (exposure)
    "exports_usd": _c("Exports", "usd"),
    "imports_usd": _c("Imports", "usd"),
    "exports_usd_mn": _c("Exports", "usd_mn"),
    "imports_usd_mn": _c("Imports", "usd_mn"),
    "export_share": _c("Share of exports", "share"),
    "import_share": _c("Share of imports", "share"),
    "share": _c("Share", "share"),
    "share_of_total": _c("Share of all exports", "share"),
    "exports_hhi": _c("Export HHI", "hhi", description="Herfindahl-Hirschman index of export partners (1 = one partner)"),
    "imports_hhi": _c("Import HHI", "hhi", description="Herfindahl-Hirschman index of import partners (1 = one partner)"),
    "hhi": _c("HHI", "hhi"),
    "partners": _c("Partners", "count"),
    "top1_share": _c("Top-1 share", "share"),
    "top3_share": _c("Top-3 share", "share"),
    # value added (TiVA)
    "va_usd_mn": _c("Value added", "usd_mn"),
    "va_in_exports_usd_mn": _c("Value added in our exports", "usd_mn"),
    "va_absorbed_usd_mn": _c("Our value added absorbed", "usd_mn"),
    "share_of_exports": _c("Share of gross exports", "share", description="the partner's value added in our gross exports (TiVA EXGR_VA by source)"),
    "share_of_gdp": _c("Share of GDP absorbed", "share", description="our value added absorbed by the partner's final demand (TiVA FFD_DVA)"),
    "foreign_share": _c("Foreign share", "share"),
    "domestic_share": _c("Domestic share", "share"),
    "rest_share": _c("Rest of world share", "share"),
    # critical materials (GeoPolRisk)
    "products": _c("HS6 products", "count"),
    "imports_t": _c("Imports", "tonnes"),
    "domestic_production_t": _c("Domestic production", "tonnes"),
    "hhi_production": _c("Production HHI", "hhi"),
    "hhi_imports": _c("Import HHI", "hhi"),
    "wta": _c("Import-weighted instability", "hhi", description="import-weighted political instability of suppliers (WGI, 0-1)"),
    "score": _c("Supply-risk score", "hhi", description="GeoPolRisk: production HHI x import-weighted instability (0-1)"),
    "wgi_imputed_share": _c("Imports with imputed WGI", "share"),
    # shock model
    "welfare_change": _c("Welfare change", "change", signed=True, description="real income change"),
    "real_income_change": _c("Real income change", "change", signed=True),
    "nominal_income_change": _c("Nominal income change", "change", signed=True),
    "price_index_change": _c("Price index change", "change", signed=True),
    "wage_change": _c("Wage change", "change", signed=True),
    "exports_change": _c("Exports change", "change", signed=True),
    "imports_change": _c("Imports change", "change", signed=True),
    "output_change": _c("Output change", "change", signed=True),
    "exports_base_usd_mn": _c("Exports before", "usd_mn"),
    "imports_base_usd_mn": _c("Imports before", "usd_mn"),
    "output_base_usd_mn": _c("Output before", "usd_mn"),
    "base_usd_mn": _c("Before", "usd_mn"),
    "new_usd_mn": _c("After", "usd_mn"),
    "change_usd_mn": _c("Change", "usd_mn", signed=True),
    "change": _c("Change", "change", signed=True, description="relative change (after / before - 1)"),
    "base_share": _c("Share before", "share"),
    "new_share": _c("Share after", "share"),
    "change_pp": _c("Change", "pp", signed=True),
    "tariff_base": _c("Tariff before", "share", description="ad valorem tariff of the baseline"),
    "tariff_new": _c("Tariff after", "share", description="ad valorem tariff under the scenario"),
    "export_hhi_base": _c("Export HHI before", "hhi"),
    "export_hhi_new": _c("Export HHI after", "hhi"),
    "real_income_change_exact": _c("Real income change (exact)", "change", signed=True),
    "welfare_linear_cp2015": _c("Welfare, CP2015 linear", "change", signed=True),
    "terms_of_trade_cp2015": _c("Terms of trade, CP2015", "change", signed=True),
    "volume_of_trade_cp2015": _c("Volume of trade, CP2015", "change", signed=True),
    "trade_cost_cp2015": _c("Trade costs, CP2015", "change", signed=True),
    "tariff_revenue_base_usd_mn": _c("Tariff revenue before", "usd_mn"),
    "tariff_revenue_new_usd_mn": _c("Tariff revenue after", "usd_mn"),
    "tariff_revenue_change_usd_mn": _c("Tariff revenue change", "usd_mn", signed=True),
    "set_name": _c("Elasticity set", "text"),
    "welfare_change_point": _c("Welfare change, point estimate", "change", signed=True),
    "welfare_change_median": _c("Welfare change, median", "change", signed=True),
    "welfare_change_p05": _c("Welfare change, 5th percentile", "change", signed=True),
    "welfare_change_p95": _c("Welfare change, 95th percentile", "change", signed=True),
    "base": _c("Before", "number"),
    "new": _c("After", "number"),
    # alignment (UN votes)
    "agreement": _c("Agreement", "share", description="share of agreement in UN General Assembly roll calls (abstain = half)"),
    "n_votes": _c("Roll calls", "count"),
    "half_year": _c("Half-credit, calendar year", "share"),
    "half_session": _c("Half-credit, session", "share"),
    "identical": _c("Identical votes", "share"),
    "published": _c("Published score", "share"),
    "ideal_source": _c("Ideal point from", "text"),
    "equidistance": _c("Equidistance", "index", unit="0-1", digits=2,
                       description="1 - (highest - lowest agreement with the great powers); 1 = equally close to all"),
    "lean": _c("Lean", "index", unit="", signed=True, digits=2, description="agreement with the first power minus the mean with the others"),
    "equidistance_volatility": _c("Equidistance volatility", "index", unit="SD", digits=2),
    "ideal_point": _c("Ideal point", "index", unit="SD", signed=True, digits=2),
    "relative": _c("Relative position", "index", unit="0-1", digits=2),
    "ideal_equidistance": _c("Ideal-point equidistance", "index", unit="0-1", digits=2),
    # partners
    "rank": _c("Rank", "count"),
    "overall_score": _c("Overall score", "index", unit="0-1", digits=2),
    "n_components": _c("Components scored", "count"),
    "trade_usd_mn": _c("Trade", "usd_mn"),
    "trade_share": _c("Share of trade", "share"),
    "partner_gp_share": _c("Partner's great-power share", "share"),
    "exposure_reduction_pp": _c("Exposure reduction", "pp", signed=True, digits=2),
    "complementarity_index": _c("Complementarity", "index", unit="0-100", digits=1),
    "predicted_trade_usd_mn": _c("Predicted trade", "usd_mn"),
    "potential_ratio": _c("Predicted / actual trade", "index", unit="ratio", digits=2),
    "stability_wgi": _c("Political stability", "index", unit="WGI", signed=True, digits=2),
    "stability_year": _c("Stability year", "text"),
    "agreement_with_home": _c("Agreement with home", "share"),
    "alignment_distance": _c("Distance in UN votes", "index", unit="0-1", digits=2),
    "alignment_volatility": _c("Vote-lean volatility", "index", unit="SD", digits=3),
    "bridging": _c("Bridging", "index", unit="0-1", digits=2),
    "gp_concentration_change_pp": _c("Great-power concentration change", "pp", signed=True, digits=2),
    "exports_to_partner_base_usd_mn": _c("Exports to partner before", "usd_mn"),
    "exports_to_partner_new_usd_mn": _c("Exports to partner after", "usd_mn"),
    "imports_from_partner_base_usd_mn": _c("Imports from partner before", "usd_mn"),
    "imports_from_partner_new_usd_mn": _c("Imports from partner after", "usd_mn"),
    "score_pp": _c("Score", "index", unit="pp", digits=3, description="reliability-adjusted great-power exposure reduction within capacity"),
    "reduces_exposure": _c("Reduces exposure", "text"),
    "rank_median": _c("Median rank", "number"),
    "rank_p10": _c("Rank from (80%)", "count"),
    "rank_p90": _c("Rank to (80%)", "count"),
    "rank_interval": _c("Rank, 80% interval", "text"),
    "p_top10": _c("Chance of top ten", "share"),
    "flags": _c("Flags", "text"),
    "va_exposure_reduction_pp": _c("Value-added exposure reduction", "pp", signed=True, digits=2,
                                   description="fall in great-power exposure per shift of exports to the partner"),
    "cvar_reduction_pp": _c("CVaR reduction", "pp", signed=True, digits=2),
    "shift_pp": _c("Shift that fits", "index", unit="pp", digits=2),
    "shift_bound": _c("Shift bound by", "text"),
    "capacity_usd_mn": _c("Capacity", "usd_mn"),
    "capacity_usd_bn": _c("Capacity", "number", unit="USD bn", digits=0),
    "quality": _c("Quality factor", "index", unit="0-1", digits=2),
    "va_gp_content": _c("Great-power content", "share"),
    "potential_gap_usd_mn": _c("Gravity gap", "usd_mn", signed=True),
    "potential_gap_se_usd_mn": _c("Gravity gap s.e.", "usd_mn"),
    "potential_z": _c("Gravity gap z", "number", signed=True),
    "stability_se": _c("Stability s.e.", "number"),
    "vote_volatility": _c("Vote volatility", "index", unit="SD", digits=3),
    "tariff_on_home_pct": _c("Its tariff on us", "number", unit="%", digits=1),
    "tariff_by_home_pct": _c("Our tariff on it", "number", unit="%", digits=1),
    "tariff_volatility_pp": _c("Tariff volatility", "pp", digits=2),
    "tariff_years": _c("Tariff years", "text"),
    "agreement_in_force": _c("Agreement in force", "text"),
    "agreements": _c("Trade agreements", "text"),
    "agreement_since": _c("Agreement since", "text"),
    "potential_index": _c("Potential index", "index", unit="0-1", digits=2),
    "stability_index": _c("Stability index", "index", unit="0-1", digits=2),
    "vote_volatility_index": _c("Vote-steadiness index", "index", unit="0-1", digits=2),
    "tariff_volatility_index": _c("Tariff-steadiness index", "index", unit="0-1", digits=2),
    "agreement_index": _c("Agreement index", "index", unit="0-1", digits=2),
    "alignment_index": _c("Alignment index", "index", unit="0-1", digits=2),
    "bridging_index": _c("Bridging index", "index", unit="0-1", digits=2),
    "imputed": _c("Imputed", "text"),
    "small_market": _c("Small market", "text"),
    "weight_sensitive": _c("Weight-sensitive", "text"),
    "current_share": _c("Current share", "share"),
    "target_share": _c("Target share", "share"),
    "capacity_share": _c("Capacity share", "share"),
    "max_shift": _c("Reallocation cap", "share"),
    "shift": _c("Reallocated", "share"),
    "cvar": _c("CVaR loss", "share"),
    "expected_loss": _c("Expected loss", "share"),
    "cvar_reduction": _c("CVaR reduction", "share"),
    # events and relations
    "n_events": _c("Events", "count"),
    "n_cooperation": _c("Cooperative", "count"),
    "n_conflict": _c("Conflictual", "count"),
    "n_a_to_b": _c("Events A to B", "count"),
    "n_b_to_a": _c("Events B to A", "count"),
    "net_intensity": _c("Net intensity", "intensity", unit="sum of Goldstein weights", signed=True),
    "mean_intensity": _c("Mean intensity", "intensity", signed=True),
    "cooperation_intensity": _c("Cooperation intensity", "intensity", unit="sum of Goldstein weights"),
    "conflict_intensity": _c("Conflict intensity", "intensity", unit="sum of Goldstein weights"),
    "balance": _c("Balance", "index", unit="-1..+1", signed=True, digits=2, description="(cooperative - conflictual) / events"),
    "intensity": _c("Intensity", "intensity", signed=True),
    "confidence": _c("Confidence", "index", unit="0-1", digits=2),
    "source_code": _c("Source", "text"),
    "target_code": _c("Target", "text"),
    "source_name": _c("Source actor", "text"),
    "target_name": _c("Target actor", "text"),
    "source_sector": _c("Source sector", "text"),
    "target_sector": _c("Target sector", "text"),
    "event_type": _c("Event type", "text"),
    "trigger": _c("Trigger", "text"),
    "sentence": _c("Sentence", "text"),
    "url": _c("URL", "text"),
    "dataset": _c("Dataset", "text"),
    "date_source": _c("Date from", "text"),
    # store status
    "table_name": _c("Table", "text"),
    "rows": _c("Rows", "count"),
    "year_min": _c("First year", "text"),
    "year_max": _c("Last year", "text"),
    "source": _c("Source", "text"),
    "version": _c("Version", "text"),
    "sha256": _c("SHA-256", "text"),
    "approximate": _c("Approximate", "text"),
    "note": _c("Note", "text"),
}

_ISO = r"(?P<code>[A-Z][A-Z0-9]{1,5})"
_BLOC = r"(?P<code>[a-z][a-z0-9]{1,5})"

#: Families of names, tried in order after :data:`COLUMNS`. ``{code}`` is upper-cased.
PATTERNS: list[tuple[re.Pattern[str], Column]] = [
    (re.compile(rf"agree_{_ISO}"), _c("Agreement with {code}", "share")),
    (re.compile(rf"half_{_ISO}"), _c("{code}, half-credit", "share")),
    (re.compile(rf"published_{_ISO}"), _c("{code}, published", "share")),
    (re.compile(rf"{_ISO}_year"), _c("Year of agreement with {code}", "text")),
    (re.compile(rf"n_votes_{_ISO}"), _c("Roll calls with {code}", "count")),
    (re.compile(rf"{_BLOC}_exposure_change_pp"), _c("Exposure to {code} change", "pp", signed=True, digits=2)),
    (re.compile(rf"{_BLOC}_share"), _c("{code} share", "share")),
    (re.compile(r"loss_(?P<name>.+)"), _c("Loss: {name}", "share")),
    # rows of long tables (a ``measure`` column naming what each row holds)
    (re.compile(rf"exposure_{_ISO}"), _c("Exposure to {code}", "share")),
    (re.compile(rf"share_{_ISO}"), _c("{code} share", "share")),
    (re.compile(rf"trade_with_{_ISO}_usd_mn"), _c("Trade with {code}", "usd_mn")),
    (re.compile(r"gp_concentration"), _c("Great-power concentration", "share")),
]

#: Suffix rules for names found nowhere else: (suffix, kind, signed).
_SUFFIXES: tuple[tuple[str, Kind, bool], ...] = (
    ("_usd_mn", "usd_mn", False), ("_usd", "usd", False), ("_share", "share", False), ("_pp", "pp", True),
    ("_change", "change", True), ("_t", "tonnes", False), ("_hhi", "hhi", False), ("_score", "index", False),
)
_SCORES = ("exposure_reduction", "complementarity", "potential", "stability", "volatility", "alignment", "bridging", "reliability")
for _s in _SCORES:
    COLUMNS[f"{_s}_score"] = _c(f"{_s.replace('_', ' ').capitalize()} score", "index", unit="0-1", digits=2)


def _lookup(name: str) -> tuple[Column, bool]:
    if name in COLUMNS:
        return COLUMNS[name], True
    for rx, col in PATTERNS:
        m = rx.fullmatch(name)
        if m:
            groups = {k: (v.upper() if k == "code" else v) for k, v in m.groupdict().items()}
            return replace(col, label=col.label.format(**groups)), True
    for suffix, kind, signed in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            return Column(_words(stem), kind, signed=signed), False
    if name.startswith("n_"):
        return Column(_words(name[2:]).capitalize(), "count"), False
    return Column(_words(name), "number"), False


def _words(stem: str) -> str:
    text = stem.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def column(name: str) -> Column:
    """The :class:`Column` of a column name (exact, pattern or suffix rule)."""
    return _lookup(str(name))[0]


def is_known(name: str) -> bool:
    """Whether a column is in :data:`COLUMNS` or matches :data:`PATTERNS` (not a guess from its suffix)."""
    return _lookup(str(name))[1]


def header(name: str, *, raw: bool = False) -> str:
    """A column's header with its unit: ``"Share of exports (%)"``.

    With ``raw=True`` the unit is that of the stored value (``"Share of exports (0-1)"``,
    ``"Exports (USD)"``): for CSV and JSON, which keep full precision.
    """
    col = column(name)
    unit = (_RAW_UNITS.get(col.kind, col.shown_unit) if col.unit is None else col.unit) if raw else col.shown_unit
    return f"{col.label} ({unit})" if unit else col.label


def _missing(v: object) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, float) and math.isnan(v)


def _decimals(x: float, least: int, most: int = 4) -> int:
    """Decimals that show two significant digits of ``x``, within ``[least, most]``."""
    if x == 0 or not math.isfinite(x):
        return least
    return max(least, min(most, 1 - math.floor(math.log10(abs(x)))))


def _sign(text: str, v: float, signed: bool) -> str:
    if signed and v > 0 and not text.startswith("+"):
        return "+" + text
    return text


def format_value(name: str, v: object, *, unit: bool = False) -> str:
    """One value as a reader sees it (``""`` for a missing value).

    ``unit=True`` appends the unit where a bare number would be ambiguous (``"+0.25 pp"``,
    ``"USD 1,234 mn"``); percentages always carry ``%``.
    """
    return _format(column(name), v, unit)


def _format(col: Column, v: object, unit: bool = False) -> str:
    if _missing(v):
        return ""
    if isinstance(v, bool | _np_bool) or not isinstance(v, numbers.Real) or col.kind == "text":
        return _text(v)
    x = float(v)
    if not math.isfinite(x):
        return "n/a"
    kind, d = col.kind, col.digits
    if kind in ("share", "change"):
        pct = 100 * x
        d = d if d is not None else _decimals(pct, 1)
        if round(pct, d) == 0:
            return f"{0:.{d}f}%"
        return _sign(f"{pct:,.{d}f}%", x, col.signed or kind == "change")
    if kind in ("usd", "usd_mn"):
        mn = x / 1e6 if kind == "usd" else x
        d = d if d is not None else (0 if abs(mn) >= 10 or mn == 0 else _decimals(mn, 0, 2))
        text = _sign(f"{mn:,.{d}f}", x, col.signed)
        return f"USD {text} mn" if unit else text
    if kind == "pp":
        d = d if d is not None else _decimals(x, 1, 3)
        text = _sign(f"{x:,.{d}f}", x, True)
        return f"{text} pp" if unit else text
    if kind in ("tonnes", "count"):
        text = _sign(f"{x:,.0f}", x, col.signed)
        return f"{text} t" if unit and kind == "tonnes" else text
    if kind in ("hhi", "intensity", "index"):
        d = d if d is not None else {"hhi": 3, "intensity": 1, "index": 2}[kind]
        text = _sign(f"{x:,.{d}f}", x, col.signed)
        return f"{text} ({col.shown_unit})" if unit and kind == "index" and col.shown_unit else text
    text = f"{x:,.3g}" if abs(x) < 1000 else f"{x:,.0f}"
    return _sign(text, x, col.signed)


def _text(v: object) -> str:
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d") if v == v.normalize() else v.isoformat(sep=" ", timespec="minutes")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def format_frame(frame: pd.DataFrame, *, measure: str | None = "measure") -> pd.DataFrame:
    """Every cell as display text (same index and column names).

    A long table whose rows hold different quantities (a ``measure`` column naming each
    row, as in deepen-ties results) is formatted row by row: each row by its measure's
    kind, a change of a share in percentage points.
    """
    out = pd.DataFrame(index=frame.index)
    long = measure is not None and measure in frame.columns
    for c in frame.columns:
        if long and c != measure and pd.api.types.is_numeric_dtype(frame[c]):
            out[c] = [_long_cell(m, c, v) for m, v in zip(frame[measure], frame[c], strict=True)]
        else:
            out[c] = [format_value(c, v) for v in frame[c]]
    return out


def _long_cell(measure: object, col: str, v: object) -> str:
    if not is_known(str(measure)):
        return format_value(col, v)
    row = column(str(measure))
    if col == "change" and row.kind == "share":
        return "" if _missing(v) else format_value("change_pp", 100 * float(v), unit=True)
    return _format(replace(row, signed=row.signed or col == "change"), v, unit=row.kind in ("pp", "usd", "usd_mn", "tonnes"))


def human_frame(frame: pd.DataFrame, *, raw: bool = True) -> pd.DataFrame:
    """The frame with human headers (values unchanged): what ``--labels human`` writes.

    Headers carry the stored unit (``raw=True``: ``"Share of exports (0-1)"``); duplicate
    headers get the column name appended so that no two columns share one.
    """
    heads = [header(c, raw=raw) for c in frame.columns]
    seen: dict[str, int] = {}
    for h in heads:
        seen[h] = seen.get(h, 0) + 1
    heads = [f"{h} [{c}]" if seen[h] > 1 else h for h, c in zip(heads, frame.columns, strict=True)]
    return frame.set_axis(heads, axis=1)


def label_table(names: Iterable[str]) -> list[dict[str, object]]:
    """Label, unit, kind and description of each name (for the API and the dashboard)."""
    out = []
    for n in dict.fromkeys(str(x) for x in names):
        col = column(n)
        out.append({"name": n, "label": col.label, "unit": col.shown_unit, "raw_unit": _RAW_UNITS.get(col.kind, col.shown_unit),
                    "kind": col.kind, "signed": col.signed, "digits": col.digits, "header": header(n),
                    "description": col.description, "known": is_known(n)})
    return out
