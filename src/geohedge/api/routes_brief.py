"""``GET /api/brief/{country}``: the country brief as self-contained HTML (or PDF).

The same brief as ``geohedge brief`` (:func:`geohedge.report.brief.build_brief`, rendered
by :mod:`geohedge.report.html` or :mod:`geohedge.report.pdf`); nothing is written to disk.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import HTMLResponse, Response

from geohedge.api._common import ERRORS, GeoState, check_token, geo

# The route's own class is HTML, so errors are declared with their JSON content explicitly.
_JSON_ERRORS = {
    code: {"description": spec["description"], "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
    for code, spec in ERRORS.items()
}
router = APIRouter(prefix="/api", responses=_JSON_ERRORS)


@router.get(
    "/brief/{country}", response_class=HTMLResponse, summary="The country brief (HTML, charts inline; or PDF)",
    responses={200: {"content": {"text/html": {}, "application/pdf": {}}, "description": "The brief"}},
)
def get_brief(
    country: Annotated[str, Path(min_length=1, max_length=64, description="ISO3, ISO2, numeric code or name, e.g. MYS", openapi_examples={"iso3": {"value": "MYS"}})],
    state: Annotated[GeoState, Depends(geo)],
    partner: Annotated[list[str] | None, Query(max_length=10, description="candidate partners shown whatever their rank (default TUR)")] = None,
    format: Annotated[Literal["html", "pdf"], Query(description="html (default) or pdf")] = "html",
) -> Response:
    from geohedge import countries
    from geohedge.report.brief import build_brief

    iso3 = countries.resolve(check_token(country, "country"))
    partners = tuple(countries.resolve(check_token(p[:64], "partner")) for p in (partner or ["TUR"]))

    def brief():
        with state.handle.read() as store:
            return build_brief(store, iso3, partners=partners, extra_blocs=state.extra_blocs)

    b = state.cache("brief").get((state.handle.generation, iso3, partners), brief)
    if format == "pdf":
        from geohedge.report.pdf import render_pdf

        pdf = state.cache("brief-pdf").get((state.handle.generation, iso3, partners), lambda: render_pdf(b))
        return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="geohedge-brief-{iso3}.pdf"'})
    from geohedge.report.html import render_html

    return HTMLResponse(state.cache("brief-html").get((state.handle.generation, iso3, partners), lambda: render_html(b)))
