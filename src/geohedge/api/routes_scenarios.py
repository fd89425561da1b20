"""Scenario endpoints: list the built-in scenarios, and run one (built-in or posted).

A posted scenario is TOML (``Content-Type: application/toml``) or JSON
(``application/json``), validated by :func:`geohedge.shocks.scenario.parse_scenario`
exactly as ``geohedge scenario validate`` does. Limits, checked before anything is parsed:
the body size (:attr:`Limits.max_scenario_bytes`, 413 beyond) and nesting depth
(:attr:`Limits.max_depth`, 400 beyond). Each run goes to a process of its own
(:mod:`geohedge.api._runner`): at most :attr:`Limits.scenario_slots` at once (503 with
``Retry-After`` beyond), each killed at :attr:`Limits.scenario_seconds` (503). A run
writes nothing.

Elasticities read from a file (``elasticities.path``) are refused over the API: the
server would read a file of its own disk; give per-sector values inline instead.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from geohedge.api._common import (
    ERRORS,
    GeoState,
    check_token,
    decode_text,
    geo,
    read_body,
)
from geohedge.api.models import ErrorOut, ScenarioInfo, ScenarioRunOut

router = APIRouter(prefix="/api/scenarios", responses=ERRORS)

_RUN_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"description": "Body larger than the limit", "model": ErrorOut},
    415: {"description": "Body neither JSON nor TOML", "model": ErrorOut},
    422: {"description": "The model cannot solve this scenario (e.g. it does not converge)", "model": ErrorOut},
    503: {"description": "Every scenario slot is busy (see Retry-After), the run passed its time limit, or the store is unavailable",
          "model": ErrorOut},
}

FocusParam = Annotated[str | None, Query(max_length=64, description="country whose trade diversion is reported, e.g. MYS")]


def _info(s) -> dict:
    return {"name": s.name, "title": s.title, "description": s.description, "shocks": len(s.shocks), "spec": s.model_dump(mode="json")}


@router.get("", response_model=list[ScenarioInfo], summary="The built-in scenarios, with their specs")
def list_scenarios() -> list[dict]:
    from geohedge.shocks.scenario import builtin_scenarios

    return [_info(s) for s in builtin_scenarios().values()]


def _warm_baseline(state: GeoState) -> None:
    """Make sure the calibrated baseline of the latest year is on disk before runs read it
    (computed once per store generation, here, not in every run's process)."""
    from geohedge.views.baseline import query_baseline

    def compute() -> bool:
        with state.handle.read() as store:
            query_baseline(store)
        return True

    state.data_cache("baseline").get(state.handle.generation, compute)


async def _solve(state: GeoState, spec: tuple[str, ...], focus: str | None, label: str) -> dict:
    from starlette.concurrency import run_in_threadpool

    from geohedge import countries
    from geohedge.api._jobs import scenario_job

    iso = countries.resolve(check_token(focus, "focus")) if focus else None
    await run_in_threadpool(_warm_baseline, state)
    return await state.runner.run(
        scenario_job, (str(state.handle.path), spec, iso, state.limits.scenario_max_iter),
        seconds=state.limits.scenario_seconds, label=label,
    )


@router.post(
    "/run", response_model=ScenarioRunOut, responses=_RUN_ERRORS, summary="Run a posted scenario (TOML or JSON)",
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/Scenario"}},
        "application/toml": {"schema": {"type": "string"}},
    }}},
)
async def run_posted(
    request: Request,
    state: Annotated[GeoState, Depends(geo)],
    focus: FocusParam = None,
) -> dict:
    from geohedge._input import check_depth

    body = await read_body(request, state.limits.max_scenario_bytes)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    text = decode_text(body, "scenario")
    check_depth(text, "scenario", state.limits.max_depth, toml=kind != "application/json")
    return await _solve(state, ("posted", text, kind), focus, "the posted scenario")


@router.post("/{name}/run", response_model=ScenarioRunOut, responses=_RUN_ERRORS, summary="Run a built-in scenario by name")
async def run_builtin(
    name: Annotated[str, Path(min_length=1, max_length=64, description="built-in scenario, e.g. mys-tur-agreement", openapi_examples={"mys-tur": {"value": "mys-tur-agreement"}})],
    state: Annotated[GeoState, Depends(geo)],
    focus: FocusParam = None,
) -> dict:
    from geohedge.shocks.scenario import builtin_scenario

    scenario = builtin_scenario(check_token(name, "scenario name", "mys-tur-agreement"))
    return await _solve(state, ("builtin", scenario.name), focus, f"scenario {scenario.name!r}")

