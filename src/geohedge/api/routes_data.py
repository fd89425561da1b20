"""Read-only endpoints: status, countries and blocs, exposure, alignment, the map geometry.

Every handler is a thin call into the library (:mod:`geohedge.countries`,
:func:`geohedge.views.exposure.exposure_view`, :mod:`geohedge.alignment`); none writes.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Response

from geohedge.api._common import ERRORS, GeoState, cached_json, check_token, geo, parse_day
from geohedge.api.models import (
    AlignmentOut,
    BlocOut,
    CountryItem,
    CountryOut,
    ExposureOut,
    MapOut,
    StatusOut,
    table,
)
from geohedge.errors import InputError, StoreError

router = APIRouter(prefix="/api", responses=ERRORS)

CountryParam = Annotated[str, Path(min_length=1, max_length=64, description="ISO3, ISO2, numeric code or name, e.g. MYS, 'Malaysia', 458",
                                   openapi_examples={"iso3": {"value": "MYS"}, "name": {"value": "Türkiye"}})]


#: Dates are given as YYYY-MM-DD only (a bare number would be read as seconds since 1970).
_DATE = r"^\d{4}-\d{2}-\d{2}$"


def _resolve(value: str, what: str = "country") -> str:
    from geohedge import countries

    return countries.resolve(check_token(value, what))


def _codes(text: str | None, what: str) -> tuple[str, ...] | None:
    if text is None:
        return None
    check_token(text, what, "USA,CHN,EU27")
    out = tuple(t.strip() for t in text.split(",") if t.strip())
    if not out:
        raise InputError(f"{what} {text!r} lists nothing; give comma-separated codes such as USA,CHN,EU27")
    return out


@router.get("/status", response_model=StatusOut, summary="What is loaded in the store")
def status(state: Annotated[GeoState, Depends(geo)]) -> dict:
    from geohedge import __version__
    from geohedge.data.queries import query_status

    def compute() -> dict:
        with state.handle.read() as store:
            frame = query_status(store)
        return {"version": __version__, "store": str(state.handle.path), "generation": state.handle.generation, "tables": table(frame)}

    return state.data_cache("status").get(state.handle.generation, compute)


def _icio_codes(state: GeoState) -> frozenset[str]:
    def compute() -> frozenset[str]:
        with state.handle.read() as store:
            if not store.has_table("icio_countries"):
                return frozenset()
            return frozenset(r[0] for r in store.run("SELECT DISTINCT code FROM icio_countries"))

    return state.data_cache("icio").get(state.handle.generation, compute)


@router.get("/countries", response_model=list[CountryItem], summary="Every current country, flagged when the ICIO table models it")
def list_countries(state: Annotated[GeoState, Depends(geo)]) -> list[dict]:
    from geohedge import countries

    try:
        icio = _icio_codes(state)
    except StoreError:
        icio = frozenset()  # no store yet: the list is still useful, no country is modelled
    return [
        {"iso3": c.iso3, "name": c.name, "iso2": c.iso2, "iso_numeric": c.iso_numeric, "icio": c.iso3 in icio}
        for c in countries.all_countries() if not c.former
    ]


@router.get("/countries/{query}", response_model=CountryOut, summary="Resolve a country: names, codes, groupings, datasets")
def get_country(
    query: CountryParam,
    state: Annotated[GeoState, Depends(geo)],
    on: Annotated[str | None, Query(pattern=_DATE, description="date for bloc memberships (YYYY-MM-DD); default: current")] = None,
) -> dict:
    from geohedge import countries
    from geohedge.data.queries import query_coverage

    c = countries.country(_resolve(query))

    def coverage():
        with state.handle.read() as store:
            return query_coverage(store, c.iso3)

    # which datasets cover a country is a fact about the store (it scans every table): kept per store version
    cov = state.data_cache("coverage", 512).get((state.handle.generation, c.iso3), coverage)
    return {
        "iso3": c.iso3, "name": c.name, "official_name": c.official_name, "iso2": c.iso2, "iso_numeric": c.iso_numeric,
        "former": c.former, "successor": c.successor, "groups": list(countries.groups_of(c.iso3, on=parse_day(on))),
        "datasets": table(cov)["rows"],
    }


@router.get("/blocs", response_model=list[str], summary="Codes of every known bloc (with the server's custom blocs)")
def list_blocs(state: Annotated[GeoState, Depends(geo)]) -> list[str]:
    from geohedge import countries

    return list(countries.bloc_names(state.extra_blocs))


@router.get("/blocs/{code}", response_model=BlocOut, summary="A bloc's members on a date")
def get_bloc(
    code: Annotated[str, Path(min_length=1, max_length=32, description="bloc code, e.g. ASEAN, BRICS, EU27", openapi_examples={"asean": {"value": "ASEAN"}})],
    state: Annotated[GeoState, Depends(geo)],
    on: Annotated[str | None, Query(pattern=_DATE, description="date (YYYY-MM-DD); default: current members")] = None,
) -> dict:
    from geohedge import countries

    day = parse_day(on)
    b = countries.bloc(check_token(code, "bloc", "ASEAN"), state.extra_blocs)
    return {"code": b.code, "name": b.name, "source": b.source, "on": day.isoformat() if day else None, "members": list(b.members_on(day))}


@router.get("/exposure/{country}", response_model=ExposureOut, summary="Exposure of a country by partner, bloc, sector or year")
def get_exposure(
    country: CountryParam,
    state: Annotated[GeoState, Depends(geo)],
    channel: Annotated[Literal["trade", "value-added", "materials"], Query(description="trade, value-added (TiVA) or materials (GeoPolRisk)")] = "trade",
    by: Annotated[Literal["partner", "bloc", "sector", "year"], Query(description="table rows: partner, bloc, sector or year (trend, trade only)")] = "partner",
    year: Annotated[int | None, Query(ge=1900, le=2100, description="year (default: the latest in the data)")] = None,
    dataset: Annotated[Literal["icio_cubes", "baci_pairs", "icio", "baci_raw", "baci"] | None, Query(
        description="trade source (default: the series, ICIO cubes 2011-2022 then BACI 2023): icio_cubes, baci_pairs, icio (50-sector 2022 table), "
                    "baci_raw (raw materials) or baci")] = None,
    blocs: Annotated[str | None, Query(max_length=200, description="comma-separated blocs or countries, e.g. USA,CHN,EU27,RUS,JPN")] = None,
) -> Response:
    from geohedge import countries
    from geohedge.views.exposure import exposure_view

    iso3 = _resolve(country)
    bloc_list = state.blocs(_codes(blocs, "blocs"))
    key = (state.handle.generation, iso3, channel, by, year, dataset, bloc_list)

    def compute() -> dict:
        with state.handle.read() as store:
            view = exposure_view(store, iso3, channel=channel, by=by, year=year, dataset=dataset, blocs=bloc_list, extra=state.extra_blocs)
            years = exposure_years(store, iso3, channel, dataset)
        return {
            "country": iso3, "name": countries.country(iso3).name, "channel": view.channel, "by": view.by, "year": view.year,
            "years": years, "blocs": list(bloc_list),
            "caption": view.caption, "notes": list(view.notes), "summary": list(view.summary), **table(view.frame),
        }

    return cached_json(state, "exposure", key, compute, ExposureOut)


def exposure_years(store, iso3: str, channel: str, dataset: str | None) -> list[int]:
    """Years a channel (and trade dataset) has for a country, for the dashboard's year control."""
    from geohedge.data.queries import query_icio_years
    from geohedge.views.exposure import trade_series_plan, trade_years

    if channel == "trade":
        return sorted({y for _, y in trade_series_plan(store, iso3, every_year=True)}) if dataset is None else trade_years(store, dataset)
    if channel == "value-added":
        return query_icio_years(store) if store.has_table("icio_nodes") else []
    from geohedge.errors import DataError
    from geohedge.views.materials import query_material_years

    try:
        return query_material_years(store)
    except DataError:
        return []


@router.get("/alignment/{country}", response_model=AlignmentOut, summary="Position between the great powers from UN General Assembly votes")
def get_alignment(
    country: CountryParam,
    state: Annotated[GeoState, Depends(geo)],
    index: Annotated[Literal["identical", "half", "state-dept"], Query(description="agreement index: identical (share of identical votes by session, "
                                                                      "roll calls to 2019 then the published scores to 2023), half (half-credit, calendar year, "
                                                                      "to 2019), state-dept (US State Department coincidence, to 2019)")] = "identical",
    since: Annotated[int | None, Query(ge=1946, le=2100, description="first year to report (calendar year, or the year a session opened)")] = None,
    powers: Annotated[str | None, Query(max_length=100, description="two or more ISO3 codes, the first the reference pole (default USA,CHN,RUS)")] = None,
    issue: Annotated[Literal["me", "nu", "di", "hr", "co", "ec"] | None, Query(description="restrict to one issue code (roll calls only)")] = None,
    important_only: Annotated[bool, Query(description="only the US State Department's important votes (roll calls only)")] = False,
) -> dict:
    from geohedge import alignment
    from geohedge.views.alignment import alignment_view

    iso3 = _resolve(country)
    # a great power is placed between the others (the USA between China and Russia)
    pw = tuple(p for p in (_resolve(p, "power") for p in (_codes(powers, "powers") or alignment.POWERS)) if p != iso3)

    def position() -> object:
        with state.handle.read() as store:
            return alignment_view(store, iso3, powers=pw, index=index, since=since, issue=issue, important_only=important_only)

    def compute() -> dict:
        # the view (agreement scores, positions, ideal points) is a model result of the store, kept per store version
        view = state.data_cache("alignment", 256).get((state.handle.generation, iso3, pw, index, since, issue, important_only), position)
        return {
            "country": iso3, "powers": list(view.powers), "by": view.by, "index": view.index, "caption": view.caption,
            "notes": list(view.notes), "summary": view.focus.summary(), **table(view.focus.to_frame()),
        }

    key = (state.handle.generation, iso3, pw, index, since, issue, important_only)
    return cached_json(state, "alignment", key, compute, AlignmentOut)


@router.get("/map", response_model=MapOut, summary="World map geometry (SVG paths by ISO3) for the dashboard")
def get_map(state: Annotated[GeoState, Depends(geo)]) -> Response:
    from dataclasses import asdict

    from geohedge.api.topojson import world_map

    def compute() -> dict:
        m = world_map()
        return {"width": m.width, "height": m.height, "source": m.source, "shapes": [asdict(s) for s in m.shapes]}

    return cached_json(state, "map", "map", compute, MapOut)
