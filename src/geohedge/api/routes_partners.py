"""``GET /api/partners/{country}``: rank a country's partners (default weights).

A thin call into :func:`geohedge.views.partners.partner_ranking`, the same as
``geohedge partners COUNTRY --format json`` (``seed`` fixes the rank-interval draws), with
what holds each ``show`` partner back (:func:`geohedge.partners.explain_partner`). Custom
weight profiles are files (``--weights FILE`` on the CLI) and are not read over the API.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from geohedge.api._common import ERRORS, GeoState, cached_json, check_token, geo
from geohedge.api.models import PartnersOut, table

router = APIRouter(prefix="/api", responses=ERRORS)


@router.get("/partners/{country}", response_model=PartnersOut,
            summary="Rank a country's partners by the great-power exposure reduction they can deliver, with rank intervals")
def get_partners(
    country: Annotated[str, Path(min_length=1, max_length=64, description="home country, e.g. MYS", openapi_examples={"iso3": {"value": "MYS"}})],
    state: Annotated[GeoState, Depends(geo)],
    top: Annotated[int, Query(ge=1, le=300, description="rows: the N best partners (plus --show ones)")] = 20,
    show: Annotated[list[str] | None, Query(max_length=10, description="partners kept whatever their rank (default TUR)")] = None,
    seed: Annotated[int, Query(ge=0, le=2**31 - 1, description="seed of the rank-interval draws")] = 0,
) -> Response:
    from geohedge import countries
    from geohedge.partners import explain_partner
    from geohedge.views.partners import partner_ranking

    iso3 = countries.resolve(check_token(country, "country"))
    keep = tuple(sorted({countries.resolve(check_token(s[:64], "partner")) for s in (show or ["TUR"])} - {iso3}))

    def ranking():
        with state.handle.read() as store:
            return partner_ranking(store, iso3, seed=seed)

    def compute() -> dict:
        res = state.cache("partners").get((state.handle.generation, iso3, seed), ranking)
        frame = res.to_frame()
        frame = frame[((frame["rank"] <= top) & frame["reduces_exposure"]) | frame["partner"].isin(keep)]
        known = set(res.frame["partner"])
        return {"country": iso3, "summary": res.summary(), "caption": res.provenance.label(), "weights": res.weights.origin,
                "notes": list(res.notes), "explanations": {p: explain_partner(res, p).summary() for p in keep if p in known}, **table(frame)}

    return cached_json(state, "partners-json", (state.handle.generation, iso3, top, keep, seed), compute, PartnersOut)
