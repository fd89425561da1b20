"""The brief's "Exposure" section: direct trade, value chains and critical materials."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from geohedge import labels
from geohedge.views.exposure import exposure_view
from geohedge.data.store import Store
from geohedge.exposure.trade import DEFAULT_BLOCS, REST, bloc_of
from geohedge.report import charts
from geohedge.report.section import Chart, Headline, PageLine, Section, TableBlock, figure, piece

GREAT_POWERS = ("USA", "CHN")


def build(store: Store, iso3: str, *, partners: Sequence[str] = ("TUR",), blocs: Sequence[str] = DEFAULT_BLOCS,
          extra=None, **_: object) -> Section:
    """Exposure section for ``iso3``; ``partners`` are always shown in the partner table;
    ``extra`` holds the user's own blocs (named in ``blocs``)."""
    sec = Section(key="exposure", title="Exposure")
    watch = list(dict.fromkeys([*GREAT_POWERS, *partners]))
    missing: list[str] = []
    found: dict[str, int] = {}
    with piece(sec, "direct trade exposure", missing):
        found["trade"] = _trade(sec, store, iso3, watch, blocs, extra)
    with piece(sec, "trade trend"):
        _trend(sec, store, iso3)
    with piece(sec, "value-chain exposure", missing):
        found["value-added"] = _value_added(sec, store, iso3, watch, blocs, extra)
    with piece(sec, "critical-material supply risk", missing):
        found["materials"] = _materials(sec, store, iso3)
    with piece(sec, "raw-material import trend", missing):
        _raw_material_trend(sec, store, iso3, blocs, extra)
    line = None
    with piece(sec, "page-one line"):
        line = _page_line(sec, iso3, found)
    kept = {"missing": "; ".join(missing)} if missing and not (sec.tables or sec.charts) else {}
    return Section(**{**sec.__dict__, "page_one": line, **kept})


def _page_line(sec: Section, iso3: str, found: dict[str, int]) -> PageLine | None:
    """Page one: the great powers' (and blocs') final demand absorbing the country's value
    added, largest first; without the value-chain table, export shares by bloc; without
    trade at all, the riskiest raw material."""
    question = "How exposed are we, and to whom?"
    for kind, column, lead, unit, source, what in (
        ("value-added", "share_of_gdp", "Share of GDP absorbed by final demand in", "% of value added", "OECD ICIO (TiVA definitions)",
         "its largest exposure is to final demand in"),
        ("trade", "export_share", "Share of exports going to", "% of gross exports", "direct trade", "its exports depend most on"),
    ):
        if kind not in found:
            continue
        k = found[kind]
        f = sec.tables[k].frame
        rows = f[~f["bloc"].isin(["DOMESTIC", REST]) & (f[column] > 0)].sort_values(column, ascending=False).head(3)
        figs = tuple(figure(sec.tables[k], k, b, column) for b in rows["bloc"])
        if figs:
            return PageLine(question, lead, figs, unit, _year(sec.tables[k]), source, _lead_sentence(figs, what))
    if "materials" in found:
        k = found["materials"]
        top = sec.tables[k].frame.iloc[0]
        fig = figure(sec.tables[k], k, str(top["material"]), "score")
        return PageLine(question, "Highest critical-material supply risk:", (fig,), "GeoPolRisk score 0-1", _year(sec.tables[k]),
                        "GeoPolRisk method; BACI, World Mining Data, WGI",
                        f"Of its raw-material imports, {fig.label.lower()} carries the highest supply risk; trade by partner is not in the data.")
    return None


def _year(block: TableBlock) -> str:
    import re

    m = re.search(r"\b(19|20)\d\d\b", block.caption)
    return m.group(0) if m else ""


def _lead_sentence(figs, what: str) -> str:
    first = figs[0]
    if len(figs) == 1:
        return f"{what[:1].upper()}{what[1:]} {first.label}."
    second = figs[1]
    gap = "followed closely by" if second.value >= 0.8 * first.value else "ahead of" if second.value >= 0.5 * first.value else "well ahead of"
    return f"{what[:1].upper()}{what[1:]} {first.label}, {gap} {second.label}."


def _pct(v: float) -> str:
    return labels.format_value("share", v)


def _trade(sec: Section, store: Store, iso3: str, watch: list[str], blocs, extra=None) -> int:
    view = exposure_view(store, iso3, channel="trade", by="partner", blocs=blocs, extra=extra)
    f = view.frame
    src = view.caption.split("; ", 1)[1]
    for p in GREAT_POWERS:
        row = f[f["partner"] == p]
        if not row.empty:
            sec.headlines.append(Headline(f"Exports to {p}", _pct(row["export_share"].iloc[0]) + " of gross exports", src))
    bloc = exposure_view(store, iso3, channel="trade", by="bloc", blocs=blocs, extra=extra).frame
    index = len(sec.tables)
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
    return index


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


def _value_added(sec: Section, store: Store, iso3: str, watch: list[str], blocs, extra=None) -> int:
    view = exposure_view(store, iso3, channel="value-added", by="bloc", blocs=blocs, extra=extra)
    f = view.frame.set_index("bloc")
    src = f"OECD ICIO 2025 release, {view.year}, Leontief inverse (TiVA definitions), final-demand destinations from the ICIO cubes"
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
    index = len(sec.tables)
    sec.tables.append(TableBlock(f"Value-added exposure by bloc, {view.year}, USD million; {src}", view.frame, _fmt(view.frame)))
    sectors = exposure_view(store, iso3, channel="value-added", by="sector", blocs=blocs, extra=extra).frame.head(10)
    cols = ["sector", "sector_name", "va_usd_mn", "foreign_share", *[c for c in sectors.columns if c.endswith("_share") and c not in ("foreign_share", "domestic_share")]]
    sec.tables.append(TableBlock(
        f"Sectors whose value added depends most on foreign demand: share of each sector's value added absorbed by each bloc, {view.year}; {src}",
        sectors[cols], _fmt(sectors)))
    sec.notes.extend(n for n in view.notes if n not in sec.notes)
    return index


def _materials(sec: Section, store: Store, iso3: str) -> int:
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
    if f.empty:
        from geohedge.errors import DataError

        raise DataError(f"no raw-material imports of {iso3} in BACI {view.year}")
    index = len(sec.tables)
    sec.tables.append(TableBlock(f"Top 10 raw materials by supply risk, {view.year}; {view.caption}", f[cols], _fmt(f[cols])))
    sec.text.extend(view.summary)
    return index


def _raw_material_trend(sec: Section, store: Store, iso3: str, blocs, extra=None) -> None:
    view = exposure_view(store, iso3, channel="trade", by="year", dataset="baci_raw", blocs=blocs, extra=extra)
    f = view.frame
    years = sorted(f["year"].unique())
    # A year in which the country imported nothing from a bloc has no row for it: its share is 0.
    shares = f.pivot_table(index="year", columns="bloc", values="import_share", aggfunc="sum").reindex(years).fillna(0.0)
    series = {b: list(shares[b]) for b in ("USA", "CHN", "EU27", "RUS") if b in shares and b != iso3}
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
