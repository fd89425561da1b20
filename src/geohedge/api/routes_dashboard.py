"""Endpoints behind the dashboard's alignment, relations and compare panels.

- ``GET /api/alignment/{country}/ideal``: ideal points of the country and the great powers
  per UN General Assembly session (the last :data:`IDEAL_SESSIONS` sessions, estimated once
  per store and kept in memory);
- ``GET /api/relations/{country}``: partners with events, the monthly relations index per
  partner and the monthly totals (``geohedge relations``, ``geohedge brief``);
- ``GET /api/events``: the coded events behind a point (a country, a partner, a month), the
  same as ``geohedge events list``;
- ``GET /api/compare/{a}/{b}``: two countries side by side on the measures of page one of
  the brief that do not need a model run (shares by bloc, agreement with the powers).

Thin calls into the library, like every router; nothing is written.
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated

import pandas as pd
from fastapi import APIRouter, Depends, Path, Query, Response

from geohedge.api._common import ERRORS, GeoState, cached_json, check_token, geo
from geohedge.api.models import CompareOut, EventsListOut, IdealOut, RelationsOut, table
from geohedge.errors import GeohedgeError, InputError

router = APIRouter(prefix="/api", responses=ERRORS)

#: Sessions the dashboard's ideal points cover (the most recent ones).
IDEAL_SESSIONS = 20

CountryParam = Annotated[str, Path(min_length=1, max_length=64, description="ISO3, ISO2, numeric code or name, e.g. MYS",
                                   openapi_examples={"iso3": {"value": "MYS"}})]
_GOLDSTEIN = "intensity on the Goldstein scale (-10 conflict .. +10 cooperation)"


def _resolve(value: str, what: str = "country") -> str:
    from geohedge import countries

    return countries.resolve(check_token(value, what))


@router.get("/alignment/{country}/ideal", response_model=IdealOut,
            summary="Ideal points of a country and the great powers per UN General Assembly session (recent sessions)")
def get_ideal(country: CountryParam, state: Annotated[GeoState, Depends(geo)]) -> Response:
    from geohedge.alignment import POWERS, ideal_points

    iso3 = _resolve(country)

    def fit():
        from geohedge.views.votes import query_votes

        with state.handle.read() as store:
            vd = query_votes(store)
        last = int(vd.roll_calls["session"].max())
        return ideal_points(vd.votes, vd.roll_calls, vd.issues, sessions=(last - IDEAL_SESSIONS + 1, last), source=vd.source,
                            bridge_on="short" if vd.dataset == "undl" else "descr")

    def compute() -> dict:
        ip = state.cache("ideal").get(state.handle.generation, fit)
        codes = [iso3, *(p for p in POWERS if p != iso3)]
        frame = ip.to_frame()
        if iso3 not in set(frame["country"]):
            raise InputError(f"{iso3} cast no vote in the last {IDEAL_SESSIONS} UN General Assembly sessions; pick a UN member")
        frame = frame[frame["country"].isin(codes)][["country", "session", "year", "ideal_point", "se"]]
        return {"country": iso3, "powers": codes[1:], "caption": f"ideal points, standardised (USA > 0), sessions "
                f"{int(frame['session'].min())}-{int(frame['session'].max())} [{ip.provenance.label()}]", **table(frame)}

    return cached_json(state, "ideal-json", (state.handle.generation, iso3), compute, IdealOut)


@router.get("/relations/{country}", response_model=RelationsOut, summary="Relations of a country from coded events: partners, monthly index")
def get_relations(
    country: CountryParam,
    state: Annotated[GeoState, Depends(geo)],
    since: Annotated[_dt.date | None, Query(description="from this date (YYYY-MM-DD)")] = None,
) -> Response:
    from geohedge.events.relations import relations_index
    from geohedge.views.events import query_dyads, query_events

    iso3 = _resolve(country)

    def compute() -> dict:
        with state.handle.read() as store:
            dyads = query_dyads(store, iso3, since=since)
            events = query_events(store, actor=iso3, since=since)
        missing = None
        if events.empty:
            missing = (f"no coded events involve {iso3}; load news with 'geohedge events ingest PATH' (articles, folders, feeds) "
                       "or GDELT event files with 'geohedge events ingest FILE.export.CSV'")
        frames = []
        for partner in dyads["partner"]:
            ix = relations_index(events, iso3, partner)
            if not ix.frame.empty:
                frames.append(ix.frame.assign(partner=partner))
        monthly = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["partner", "month", "n_events"])
        if not monthly.empty:
            monthly["month"] = pd.to_datetime(monthly["month"]).dt.strftime("%Y-%m")
            monthly = monthly[["partner", "month", *[c for c in monthly.columns if c not in ("partner", "month")]]]
        dated = events.dropna(subset=["date"]).assign(intensity=lambda f: f["intensity"].astype(float))
        totals = (dated.assign(month=pd.to_datetime(dated["date"]).dt.strftime("%Y-%m")).groupby("month", as_index=False)
                  .agg(n_events=("intensity", "size"), mean_intensity=("intensity", "mean"), net_intensity=("intensity", "sum")))
        return {"country": iso3, "caption": f"{_GOLDSTEIN}; coded news and GDELT events", "missing": missing, "partners": table(dyads),
                "monthly": table(monthly), "totals": table(totals)}

    return cached_json(state, "relations", (state.handle.generation, iso3, since), compute, RelationsOut)


@router.get("/events", response_model=EventsListOut, summary="Coded events (the events behind a relations point)")
def list_events(
    state: Annotated[GeoState, Depends(geo)],
    actor: Annotated[str | None, Query(max_length=64, description="events where this country acts or is acted on")] = None,
    partner: Annotated[str | None, Query(max_length=64, description="with actor: only events between the two")] = None,
    month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$", description="one month, YYYY-MM")] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="at most this many events, newest first")] = 50,
) -> dict:
    from geohedge.views.events import query_events

    if partner is not None and actor is None:
        raise InputError("partner needs actor too (the events between actor and partner)")
    a = _resolve(actor, "actor") if actor else None
    b = _resolve(partner, "partner") if partner else None
    start = end = None
    if month is not None:
        start = _dt.date.fromisoformat(month + "-01") if 1 <= int(month[5:]) <= 12 else None
        if start is None:
            raise InputError(f"month {month!r} is not YYYY-MM")
        end = (start.replace(day=28) + _dt.timedelta(days=4)).replace(day=1)
    with state.handle.read() as store:
        frame = query_events(store, dyad=(a, b) if b else None, actor=None if b else a, since=start, until=end, limit=limit)
    cols = ["date", "source_code", "event_type", "target_code", "intensity", "source_name", "target_name", "sentence", "url", "dataset"]
    return {"count": len(frame), **table(frame[cols])}


@router.get("/compare/{a}/{b}", response_model=CompareOut, summary="Two countries side by side: shares by bloc, agreement with the powers")
def compare(
    a: Annotated[str, Path(min_length=1, max_length=64, description="first country, e.g. MYS")],
    b: Annotated[str, Path(min_length=1, max_length=64, description="second country, e.g. VNM")],
    state: Annotated[GeoState, Depends(geo)],
) -> Response:
    from geohedge import countries

    first, second = _resolve(a, "country"), _resolve(b, "compare country")
    if first == second:
        raise InputError(f"compare needs two different countries, got {first} twice")

    def compute() -> dict:
        notes: list[str] = []
        rows: dict[tuple[str, str], dict] = {}
        for iso3 in (first, second):
            for measure, label, year, value in _measures(state, iso3, notes):
                row = rows.setdefault((measure, label), {"measure": measure, "label": label, "year": year, first: None, second: None})
                row[iso3] = value
                row["year"] = row["year"] or year
        frame = pd.DataFrame(list(rows.values()), columns=["measure", "label", "year", first, second])
        from geohedge.labels import label_table

        return {"countries": [first, second], "names": [countries.country(c).name for c in (first, second)], "notes": notes,
                "measures": label_table(frame["measure"]), **table(frame)}

    return cached_json(state, "compare", (state.handle.generation, first, second), compute, CompareOut)


def _measures(state: GeoState, iso3: str, notes: list[str]) -> list[tuple[str, str, int | None, float]]:
    """(measure, label, year, value) rows for one country; a dataset that does not cover it
    adds a note instead."""
    from geohedge.alignment import POWERS, agreement_scores, position
    from geohedge.exposure.trade import REST
    from geohedge.views.exposure import exposure_view

    out: list[tuple[str, str, int | None, float]] = []
    blocs = state.blocs(None)
    with state.handle.read() as store:
        for channel, col, what in (("trade", "export_share", "Share of exports to {}"),
                                   ("value-added", "share_of_gdp", "Share of GDP absorbed by {} final demand")):
            try:
                view = exposure_view(store, iso3, channel=channel, by="bloc", blocs=blocs, extra=state.extra_blocs)
            except GeohedgeError as exc:
                notes.append(f"{iso3}, {channel}: {exc}")
                continue
            for r in view.frame.itertuples():
                if r.bloc not in (REST, "DOMESTIC"):
                    out.append((col, what.format(r.bloc), view.year, float(getattr(r, col))))
        try:
            from geohedge.views.votes import query_votes

            def scores():
                vd = query_votes(store)
                return agreement_scores(vd.votes, vd.roll_calls, vd.issues, by="year")

            ag = state.cache("agreement").get((state.handle.generation, "year", None, False), scores)
            pos = position(ag, iso3, powers=tuple(p for p in POWERS if p != iso3))
            last = pos.latest()
            year = int(last["year"])
            for p in pos.powers:
                out.append((f"agree_{p}", f"Agreement with {p} in UN votes", year, float(last[f"agree_{p}"])))
            out.append(("equidistance", "Equidistance between the powers", year, float(last["equidistance"])))
        except GeohedgeError as exc:
            notes.append(f"{iso3}, alignment: {exc}")
    return out
