"""Atlas endpoints: the stored vulnerability atlas, ranked, and one country's place in it.

Thin calls into :func:`geohedge.views.atlas.query_atlas` and
:func:`geohedge.views.atlas.query_placement`, the same tables as ``geohedge atlas show
--format json``. The API only reads: an atlas is run with ``geohedge atlas`` (stop the
server meanwhile: the store takes one writer and no readers while it writes).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response
from pydantic import BaseModel, Field

from geohedge.api._common import ERRORS, GeoState, cached_json, check_token, geo
from geohedge.api.models import TableOut, table

router = APIRouter(prefix="/api/atlas", responses=ERRORS)


class AtlasFamilyOut(BaseModel):
    name: str
    title: str
    imposer: str
    kind: str


class AtlasOut(TableOut):
    """Rows: one per (target, family): ``rank`` (1 = largest real-income loss among the
    family's solved targets), ``of``, welfare median and 90% interval, exports lost, the
    three largest diversions, convergence; changes relative (0.01 = +1%)."""

    run: str
    caption: str
    families: list[AtlasFamilyOut]
    draws: int | None = Field(default=None, description="Monte Carlo draws per piece")
    seed: int | None = None


class PlacementOut(TableOut):
    country: str
    run: str
    caption: str


_KEEP = ["family", "rank", "of", "target", "imposer", "status", "message", "welfare_point", "welfare_median", "welfare_p05",
         "welfare_p95", "exports_base_usd_mn", "exports_change_usd_mn_median", "exports_change_usd_mn_p05",
         "exports_change_usd_mn_p95", "exports_change_median", "diversion_1_partner", "diversion_1_usd_mn",
         "diversion_2_partner", "diversion_2_usd_mn", "diversion_3_partner", "diversion_3_usd_mn", "draws", "draws_failed",
         "iterations_max", "equilibrium_residual", "computed_at"]


def _view(state: GeoState, run: str | None):
    from geohedge.views.atlas import query_atlas

    def compute():
        with state.handle.read() as store:
            return query_atlas(store, run)

    return state.cache("atlas").get((state.handle.generation, run), compute)


@router.get("", response_model=AtlasOut, summary="The stored atlas: every target against every shock family, ranked")
def get_atlas(
    state: Annotated[GeoState, Depends(geo)],
    family: Annotated[list[str] | None, Query(max_length=20, description="only these shock families, e.g. usa-tariff-25")] = None,
    top: Annotated[int | None, Query(ge=1, le=300, description="the N most exposed targets of each family")] = None,
    run: Annotated[str | None, Query(min_length=4, max_length=64, pattern=r"^[0-9a-f]+$", description="a stored run (default the latest)")] = None,
) -> Response:
    from geohedge.errors import InputError

    wanted = [check_token(f[:64], "family", "usa-tariff-25").strip().lower() for f in family or []]

    def compute() -> dict:
        view = _view(state, run)
        bad = [f for f in wanted if f not in view.families]
        if bad:
            raise InputError(f"shock family {bad[0]!r} is not in atlas run {view.run}; stored families: {', '.join(view.families)}")
        frame = view.frame if not wanted else view.frame[view.frame["family"].isin(wanted)]
        if top is not None:
            frame = frame[frame["rank"].notna() & (frame["rank"] <= top)]
        info = {f["name"]: f for f in view.note.get("families", [])}
        fams = [{"name": n, "title": info.get(n, {}).get("title", n), "imposer": info.get(n, {}).get("imposer", ""),
                 "kind": info.get(n, {}).get("kind", "")} for n in (wanted or view.families)]
        cfg = view.note.get("config", {})
        return {"run": view.run, "caption": view.caption, "families": fams, "draws": cfg.get("draws"), "seed": cfg.get("seed"),
                **table(frame[_KEEP])}

    return cached_json(state, "atlas-json", (state.handle.generation, run, tuple(wanted), top), compute, AtlasOut)


@router.get("/{country}", response_model=PlacementOut, summary="A country's rank against each shock family in the stored atlas")
def get_placement(
    country: Annotated[str, Path(min_length=1, max_length=64, description="ISO3, ISO2 or name, e.g. MYS", openapi_examples={"iso3": {"value": "MYS"}})],
    state: Annotated[GeoState, Depends(geo)],
) -> Response:
    from geohedge import countries
    from geohedge.errors import InputError

    iso3 = countries.resolve(check_token(country, "country"))

    def compute() -> dict:
        view = _view(state, None)
        mine = view.frame[view.frame["target"] == iso3]
        if mine.empty:
            raise InputError(f"{iso3} is not a target of the stored atlas (run {view.run}); run 'geohedge atlas --targets {iso3}'")
        return {"country": iso3, "run": view.run, "caption": view.caption, **table(mine[_KEEP])}

    return cached_json(state, "atlas-json", (state.handle.generation, "placement", iso3), compute, PlacementOut)
