"""The brief's "Relations" section: recent events with top partners and the great powers,
and the monthly cooperation–conflict index for the dyads with events."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

import pandas as pd

from geohedge.views.events import query_dyads, query_events
from geohedge.errors import GeohedgeError
from geohedge.events.relations import relations_index
from geohedge.events.results import UNREALISED_MODES
from geohedge.report import charts
from geohedge.report.section import Chart, Headline, Section, TableBlock

GREAT_POWERS = ("USA", "CHN", "RUS")
_HOW = ("no coded events in the store; load news with 'geohedge events ingest ../shared/seed/' "
        "(articles, folders, RSS/Atom feeds) or GDELT event files with 'geohedge events ingest FILE.export.CSV'")
_CAPTION = "intensity on the Goldstein scale (-10 conflict .. +10 cooperation)"


def _source(events: pd.DataFrame) -> str:
    kinds = sorted(set(events["dataset"])) if "dataset" in events and len(events) else []
    names = {"news": "news articles coded by geohedge (dependency rules, PLOVER types)", "gdelt": "GDELT 2.0 event files"}
    return "; ".join(names.get(k, k) for k in kinds) or "coded events"


def build(store, iso3: str, *, partners: Sequence[str] = ("TUR",), top: int = 5, recent: int = 12,
          since: _dt.date | None = None, **_: object) -> Section:
    """Relations section for ``iso3``.

    Parameters
    ----------
    partners
        Partners always shown when they have events (besides the top ``top`` by events and
        the great powers USA, CHN, RUS).
    recent
        How many recent events to list.
    """
    sec = Section(key="relations", title="Relations")
    try:
        dyads = query_dyads(store, iso3, since=since)
        events = query_events(store, actor=iso3, since=since)
    except GeohedgeError as exc:
        return Section(key="relations", title="Relations", missing=f"{exc}; {_HOW}")
    if not events.empty:
        # The card counts what the relations index counts: no background, negated, denied or
        # merely expected events.
        realised = ~events["mode"].fillna("").isin(UNREALISED_MODES) & ~events["background"].fillna(False).astype(bool)
        events = events[realised].reset_index(drop=True)
    if events.empty:
        return Section(key="relations", title="Relations", missing=f"{_HOW} (none involve {iso3} yet)")
    src = _source(events)
    first, last = pd.to_datetime(events["date"]).min(), pd.to_datetime(events["date"]).max()
    span = f"{first:%Y-%m} to {last:%Y-%m}"
    n = len(events)
    coop = int((events["intensity"] > 0).sum())
    sec.headlines.append(Headline(f"Events involving {iso3}", f"{n} ({coop} cooperative, {n - coop} conflictual), {span}", src))
    watch = list(dict.fromkeys([*dyads["partner"].head(top), *GREAT_POWERS, *partners]))
    shown = dyads[dyads["partner"].isin(watch)].reset_index(drop=True)
    if not shown.empty:
        sec.tables.append(TableBlock(
            f"Events between {iso3} and its top partners and the great powers, {span}; {_CAPTION}; source: {src}",
            shown, {"net_intensity": ",.1f", "mean_intensity": "+.1f"}))
        best = shown.sort_values("mean_intensity", ascending=False).iloc[0]
        sec.text.append(
            f"Of {len(shown)} partners with events, relations with {best['partner']} read most cooperative "
            f"(mean intensity {best['mean_intensity']:+.1f} over {int(best['n_events'])} events, {span}; {src})."
        )
        for power in GREAT_POWERS:
            row = shown[shown["partner"] == power]
            if not row.empty:
                r = row.iloc[0]
                sec.headlines.append(Headline(f"Relations with {power}", f"mean intensity {r['mean_intensity']:+.1f} over {int(r['n_events'])} events", src))
    listed = events.head(recent)[["date", "source_code", "event_type", "target_code", "intensity", "source_name", "target_name", "url"]]
    sec.tables.append(TableBlock(f"Recent events involving {iso3}; {_CAPTION}; source: {src}", listed, {"intensity": "+.1f"}))
    series: dict[str, list[float | None]] = {}
    months: list[pd.Timestamp] = []
    indices = []
    for partner in shown["partner"]:
        index = relations_index(events, iso3, partner, source=src)
        if not index.frame.empty:
            indices.append(index)
    if indices:
        months = sorted({m for ix in indices for m in ix.frame["month"]})
        for ix in indices:
            by_month = dict(zip(ix.frame["month"], ix.frame["net_intensity"], strict=True))
            series[f"{ix.a}–{ix.b}"] = [by_month.get(m) for m in months]
        frame = pd.concat([ix.frame.assign(partner=ix.b) for ix in indices], ignore_index=True)
        frame["month"] = frame["month"].dt.strftime("%Y-%m")
        sec.tables.append(TableBlock(
            f"Monthly relations index: events and net intensity (sum of Goldstein weights) per dyad; source: {src}",
            frame[["partner", "month", "n_events", "n_cooperation", "n_conflict", "net_intensity", "mean_intensity", "balance"]],
            {"net_intensity": ",.1f", "mean_intensity": "+.1f", "balance": "+.2f"}))
        if len(months) > 1:
            x = [m.year + (m.month - 1) / 12 for m in months]
            sec.charts.append(Chart(f"Net cooperation with {iso3}, monthly",
                                    charts.line_chart(x, series, title=f"Net intensity of events with {iso3}", ylabel="sum of Goldstein weights"),
                                    f"Source: {src}."))
        else:
            sec.charts.append(Chart(f"Net cooperation with {iso3}, {months[0]:%Y-%m}",
                                    charts.bar_chart(list(series), [v[0] or 0.0 for v in series.values()],
                                                     title=f"Net intensity of events with {iso3}, {months[0]:%Y-%m}",
                                                     xlabel="sum of Goldstein weights"),
                                    f"Source: {src}."))
    sec.notes.append(
        "Events are coded per sentence into the 16 PLOVER types by geohedge's rules on a dependency parse "
        "(held-out accuracy on the PLOVER gold sentences and a hand-coded news set in docs/events.md) or taken from "
        "GDELT's CAMEO codes; intensity is the Goldstein weight of the type. Background events (placed in an earlier "
        "year) and negated, denied or merely expected ones are not counted. A month with no events has no point: no "
        "news is not neutral news."
    )
    undated = int((events["date_source"] == "ingested").sum()) if "date_source" in events else 0
    if undated:
        sec.notes.append(
            f"{undated} of these {n} events come from articles that state no date (no page date, Date: header or "
            "dateline, and no --date at ingest); they are dated by the day they were ingested, which may be later "
            "than the news. Re-ingest them with --date to date them."
        )
    sec.notes.append(f"The events behind any point: geohedge events list --dyad {iso3}-XXX --month YYYY-MM.")
    return sec
