"""The brief's "Exposure" section: direct trade, value chains and critical materials."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from geohedge.views.exposure import exposure_view
from geohedge.data.store import Store
from geohedge.errors import GeohedgeError
from geohedge.exposure.trade import DEFAULT_BLOCS, bloc_of
from geohedge.report import charts
from geohedge.report.section import Chart, Headline, Section, TableBlock

GREAT_POWERS = ("USA", "CHN")


def build(store: Store, iso3: str, *, partners: Sequence[str] = ("TUR",), blocs: Sequence[str] = DEFAULT_BLOCS, **_: object) -> Section:
    """Exposure section for ``iso3``; ``partners`` are always shown in the partner table."""
    sec = Section(key="exposure", title="Exposure")
    watch = list(dict.fromkeys([*GREAT_POWERS, *partners]))
    try:
        _trade(sec, store, iso3, watch, blocs)
    except GeohedgeError as exc:
        sec.text.append(f"Direct trade exposure is not available: {exc}")
        return Section(**{**sec.__dict__, "missing": f"{exc}"})
    try:
        _trend(sec, store, iso3)
    except GeohedgeError as exc:
        sec.text.append(f"The trade trend is not available: {exc}")
    try:
        _value_added(sec, store, iso3, watch, blocs)
    except GeohedgeError as exc:
        sec.text.append(f"Value-chain exposure is not available: {exc}")
    try:
        _materials(sec, store, iso3)
    except GeohedgeError as exc:
        sec.text.append(f"Critical-material supply risk is not available: {exc}")
    try:
        _raw_material_trend(sec, store, iso3, blocs)
    except GeohedgeError as exc:
        sec.text.append(f"Raw-material import trend is not available: {exc}")
    return sec


def _pct(v: float) -> str:
    return f"{v:.1%}"


def _trade(sec: Section, store: Store, iso3: str, watch: list[str], blocs) -> None:
    view = exposure_view(store, iso3, channel="trade", by="partner", blocs=blocs)
    f = view.frame
    src = view.caption.split("; ", 1)[1]
    for p in GREAT_POWERS:
        row = f[f["partner"] == p]
        if not row.empty:
            sec.headlines.append(Headline(f"Exports to {p}", _pct(row["export_share"].iloc[0]) + " of gross exports", src))
    bloc = exposure_view(store, iso3, channel="trade", by="bloc", blocs=blocs).frame
    sec.tables.append(TableBlock(f"Exports and imports by bloc, {view.year}, USD million and shares; {src}",
                                 _mn(bloc.drop(columns="year")), _fmt(bloc)))
    top = f.head(10)
    shown = pd.concat([top, f[f["partner"].isin(watch) & ~f["partner"].isin(top["partner"])]])
    sec.tables.append(TableBlock(
        f"Top 10 partners plus {', '.join(watch)}, {view.year}, USD million; {view.caption.split('; ', 1)[1]}",
        _mn(shown.drop(columns="year")), _fmt(shown)))
    chart_rows = shown.head(12)
    sec.charts.append(Chart(
        "Partner shares of exports and imports",
        charts.bar_chart(list(chart_rows["partner"]), {"exports": list(chart_rows["export_share"]), "imports": list(chart_rows["import_share"])},
                         title=f"{iso3}: partner shares, {view.year}", xlabel="share of total", percent=True),
        f"Share of {iso3}'s gross exports and imports by partner; {src}."))
    sec.text.extend(view.summary)
    sec.notes.extend(view.notes)


#: Blocs every trend chart shows, before the country's own largest partners.
TREND_BLOCS = ("USA", "CHN", "EU27")


def _trend(sec: Section, store: Store, iso3: str, n_partners: int = 2) -> None:
    """Export shares of the great powers and the largest partners over 2011-2023."""
    latest = exposure_view(store, iso3, channel="trade", by="partner").frame
    own = [p for p in latest.sort_values("export_share", ascending=False)["partner"]
           if p not in (*TREND_BLOCS, "ROW") and bloc_of([p], ("EU27",))[p] != "EU27"][:n_partners]
    view = exposure_view(store, iso3, channel="trade", by="year", blocs=(*TREND_BLOCS, *own))
    f = view.frame
    years = sorted(int(y) for y in f["year"].unique())
    if len(years) < 2:
        sec.text.append(f"Only {years[0]} is held for {iso3}'s trade, so no trend is shown ({view.caption.split('; ', 1)[1]}).")
        return
    shown = [b for b in (*TREND_BLOCS, *own) if b in set(f["bloc"])]
    wide = f.pivot_table(index="year", columns="bloc", values="export_share").reindex(years).fillna(0.0)
    series = {b: list(wide[b]) for b in shown}
    sec.charts.append(Chart(
        "Export shares over time",
        charts.line_chart(years, series, title=f"{iso3}: share of exports by destination, {years[0]}-{years[-1]}",
                          ylabel="share of exports", percent=True),
        f"Share of {iso3}'s exports going to each destination by year; {view.caption.split('; ', 1)[1]}."))
    table = wide[shown].reset_index().rename(columns={b: f"{b.lower()}_share" for b in shown})
    table.insert(1, "dataset", table["year"].map(dict(zip(f["year"], f["dataset"], strict=False))))
    sec.tables.append(TableBlock(f"Share of {iso3}'s exports by destination, {years[0]}-{years[-1]}; "
                                 f"{view.caption.split('; ', 1)[1]}", table, _fmt(table)))
    sec.text.extend(line for line in view.summary if line.startswith("export shares"))
    sec.notes.extend(n for n in view.notes if n not in sec.notes)


def _value_added(sec: Section, store: Store, iso3: str, watch: list[str], blocs) -> None:
    view = exposure_view(store, iso3, channel="value-added", by="bloc", blocs=blocs)
    f = view.frame.set_index("bloc")
    src = f"OECD ICIO 2025 release, {view.year}, Leontief inverse (TiVA definitions), final-demand destinations from the ICIO cubes"
    if all(p in f.index for p in GREAT_POWERS):
        # The brief's summary quotes each section's first headline: for exposure, the
        # dependence of GDP on each great power's demand.
        sec.headlines.insert(0, Headline(
            f"GDP absorbed by {' / '.join(GREAT_POWERS)} final demand",
            " / ".join(_pct(f.loc[p, "share_of_gdp"]) for p in GREAT_POWERS) + " of value added", src))
    for p in GREAT_POWERS:
        if p in f.index:
            sec.headlines.append(Headline(f"GDP absorbed by {p} final demand", _pct(f.loc[p, "share_of_gdp"]) + " of value added", src))
    foreign = 1.0 - f.loc["DOMESTIC", "share_of_exports"] if "DOMESTIC" in f.index else float("nan")
    sec.headlines.append(Headline("Foreign value added in exports", _pct(foreign) + " of gross exports", src))
    sec.text.extend(view.summary)
    blocs_only = view.frame[view.frame["bloc"] != "DOMESTIC"]
    sec.charts.append(Chart(
        "Value-added exposure to the great powers",
        charts.bar_chart(list(blocs_only["bloc"]), {"GDP absorbed by the bloc's final demand": list(blocs_only["share_of_gdp"]),
                                                    "bloc's value added in our exports": list(blocs_only["share_of_exports"])},
                         title=f"{iso3}: value-chain exposure by bloc, {view.year}", xlabel="share", percent=True),
        f"Share of {iso3}'s value added absorbed by each bloc's final demand (TiVA FFD_DVA) and each bloc's value added "
        f"in {iso3}'s gross exports (TiVA EXGR_FVA by source); {src}."))
    sec.tables.append(TableBlock(f"Value-added exposure by bloc, {view.year}, USD million; {src}", view.frame, _fmt(view.frame)))
    sectors = exposure_view(store, iso3, channel="value-added", by="sector", blocs=blocs).frame.head(10)
    cols = ["sector", "sector_name", "va_usd_mn", "foreign_share", *[c for c in sectors.columns if c.endswith("_share") and c not in ("foreign_share", "domestic_share")]]
    sec.tables.append(TableBlock(
        f"Sectors whose value added depends most on foreign demand: share of each sector's value added absorbed by each bloc, {view.year}; {src}",
        sectors[cols], _fmt(sectors)))
    sec.notes.extend(n for n in view.notes if n not in sec.notes)


def _materials(sec: Section, store: Store, iso3: str) -> None:
    view = exposure_view(store, iso3, channel="materials", by="partner")
    f = view.frame.sort_values("score", ascending=False).head(10)
    src = f"GeoPolRisk method; BACI {view.year} imports, World Mining Data, WGI"
    if not f.empty:
        top = f.iloc[0]
        sec.headlines.append(Headline("Highest material supply risk", f"{top['material']} (score {top['score']:.3f})", src))
    sec.charts.append(Chart(
        "Top critical-material supply risks",
        charts.bar_chart(list(f["material"]), list(f["score"]), title=f"{iso3}: GeoPolRisk supply-risk score, {view.year}", xlabel="score (0-1)"),
        f"Score = HHI of global production x import-weighted political instability of suppliers (0-1); {src}."))
    cols = [c for c in ("material", "imports_t", "domestic_production_t", "hhi_production", "hhi_imports", "wta", "score", "top_suppliers") if c in f]
    sec.tables.append(TableBlock(f"Top 10 raw materials by supply risk, {view.year}; {view.caption}", f[cols], _fmt(f[cols])))
    sec.text.extend(view.summary)


def _raw_material_trend(sec: Section, store: Store, iso3: str, blocs) -> None:
    view = exposure_view(store, iso3, channel="trade", by="year", dataset="baci_raw", blocs=blocs)
    f = view.frame
    years = sorted(f["year"].unique())
    wide = f.pivot_table(index="year", columns="bloc", values="import_share").reindex(years).fillna(0.0)
    series = {b: list(wide[b]) for b in ("USA", "CHN", "EU27", "RUS") if b in wide}
    sec.charts.append(Chart(
        "Raw-material imports by supplier bloc over time",
        charts.line_chart(years, series, title=f"{iso3}: share of raw-material imports by bloc, {years[0]}-{years[-1]}", ylabel="share of imports", percent=True),
        f"Share of {iso3}'s imports of the 74 raw-material HS6 products by value; CEPII BACI HS92 V202401b."))


def _mn(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for c in [c for c in out.columns if c.endswith("_usd")]:
        out[c] = out[c] / 1e6
        out = out.rename(columns={c: c + "_mn"})
    return out


def _fmt(frame: pd.DataFrame) -> dict[str, str]:
    fmts: dict[str, str] = {}
    for c in frame.columns:
        if c.endswith("share") or c.startswith("share_"):
            fmts[c] = ".1%"
        elif c.endswith(("_usd", "_usd_mn")):
            fmts[c + ("_mn" if c.endswith("_usd") else "")] = ",.0f"
        elif c in ("hhi_production", "hhi_imports", "wta", "score"):
            fmts[c] = ".3f"
        elif c.endswith("_t"):
            fmts[c] = ",.0f"
    return fmts
