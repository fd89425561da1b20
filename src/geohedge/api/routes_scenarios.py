"""Scenario endpoints: list the built-in scenarios, and run one (built-in or posted).

A posted scenario is TOML (``Content-Type: application/toml`` or ``text/plain``) or JSON
(``application/json``), validated by :func:`geohedge.shocks.scenario.parse_scenario`
exactly as ``geohedge scenario validate`` does. Limits: the body size
(:attr:`Limits.max_scenario_bytes`, 413 beyond), the wall time
(:attr:`Limits.scenario_seconds`, 503 beyond) and the solver's iterations. Runs go
through one worker thread, one at a time; a run writes nothing.

Elasticities read from a file (``elasticities.path``) are refused over the API: the
server would read a file of its own disk; give per-sector values inline instead.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
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
from geohedge.api.models import ErrorOut, ScenarioInfo, ScenarioRunOut, table
from geohedge.errors import InputError, ModelError

router = APIRouter(prefix="/api/scenarios", responses=ERRORS)

_RUN_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"description": "Body larger than the limit", "model": ErrorOut},
    422: {"description": "The model cannot solve this scenario (e.g. it does not converge)", "model": ErrorOut},
    503: {"description": "The run took longer than the time limit, or the store is unavailable", "model": ErrorOut},
}

FocusParam = Annotated[str | None, Query(max_length=64, description="country whose trade diversion is reported, e.g. MYS")]


def _info(s) -> dict:
    return {"name": s.name, "title": s.title, "description": s.description, "shocks": len(s.shocks), "spec": s.model_dump(mode="json")}


@router.get("", response_model=list[ScenarioInfo], summary="The built-in scenarios, with their specs")
def list_scenarios() -> list[dict]:
    from geohedge.shocks.scenario import builtin_scenarios

    return [_info(s) for s in builtin_scenarios().values()]


def _scenario_schema() -> dict:
    from geohedge.shocks.scenario import Scenario

    return Scenario.model_json_schema(ref_template="#/components/schemas/{model}")


def _parse(body: bytes, content_type: str) -> Any:
    from geohedge.shocks.scenario import parse_scenario

    text = decode_text(body, "scenario")
    if not text.strip():
        raise InputError("empty scenario; send TOML (Content-Type application/toml) or JSON (application/json), see GET /api/scenarios")
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json" or (not kind and text.lstrip().startswith("{")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"scenario: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
        if not isinstance(data, dict):
            raise InputError(f"scenario: expected a JSON object with name and shocks, got {type(data).__name__}")
    elif kind in ("", "application/toml", "text/plain", "text/x-toml", "application/x-toml"):
        import tomllib

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"scenario: not valid TOML ({exc})") from None
    else:
        raise InputError(f"unsupported Content-Type {kind!r} for a scenario; use application/toml or application/json")
    el = data.get("elasticities")
    if isinstance(el, dict) and el.get("path") is not None:
        raise InputError("scenario: elasticities.path: reading a file is not allowed over the API; give per-sector values inline (elasticities.values)")
    return parse_scenario(data, origin="scenario")


def _baseline(state: GeoState, year: int):
    from geohedge.views.baseline import query_baseline

    def compute():
        with state.handle.read() as store:
            return query_baseline(store, year)

    return state.cache("baseline").get((state.handle.generation, year), compute)


def _run(state: GeoState, make: Callable[[], Any], focus: str | None) -> dict:
    from geohedge.shocks.model import solve

    scenario = make()  # validation is quadratic in the shocks: it runs here, off the event loop, under the time limit
    base = _baseline(state, scenario.base_year)
    if focus is not None and focus not in base.countries:
        raise InputError(f"{focus} is not a separate region of the ICIO {base.year} table; use one of its {base.N} regions")
    try:
        result = solve(base, scenario, max_iter=state.limits.scenario_max_iter)
    except ModelError as exc:
        # a posted scenario the model cannot solve is the request's problem, not the server's
        raise _Unsolvable(str(exc)) from exc
    frame = result.to_frame().sort_values("welfare_change", ignore_index=True)
    out: dict[str, Any] = {
        "scenario": scenario.name, "title": scenario.title or scenario.name, "convergence": result.convergence.label(),
        "source": result.provenance.label(), "notes": list(result.notes), "summary": result.summary(focus),
        "countries": table(frame), "focus": None,
    }
    if focus is not None:
        div = result.diversion(focus)
        welfare = float(frame.loc[frame["country"] == focus, "welfare_change"].iloc[0])
        out["focus"] = {
            "country": focus, "welfare_change": welfare, "summary": div.summary(),
            "exports": table(div.exports.head(25)), "imports": table(div.imports.head(25)),
            "blocs": table(div.blocs), "concentration": table(div.concentration),
        }
    return out


class _Unsolvable(InputError):
    http_status = 422


async def _solve(state: GeoState, make: Callable[[], Any], focus: str | None, label: str) -> dict:
    from geohedge import countries

    iso = countries.resolve(check_token(focus, "focus")) if focus else None
    loop = asyncio.get_running_loop()
    future = loop.run_in_executor(state.solver, _run, state, make, iso)
    try:
        return await asyncio.wait_for(asyncio.shield(future), timeout=state.limits.scenario_seconds)
    except TimeoutError:
        raise _TooSlow(
            f"{label} did not finish within the {state.limits.scenario_seconds:g} s limit (runs go one at a time); "
            "run it with 'geohedge scenario run' instead, or simplify it"
        ) from None


class _TooSlow(ModelError):
    http_status = 503


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
    body = await read_body(request, state.limits.max_scenario_bytes)
    content_type = request.headers.get("content-type", "")
    return await _solve(state, lambda: _parse(body, content_type), focus, "the posted scenario")


@router.post("/{name}/run", response_model=ScenarioRunOut, responses=_RUN_ERRORS, summary="Run a built-in scenario by name")
async def run_builtin(
    name: Annotated[str, Path(min_length=1, max_length=64, description="built-in scenario, e.g. mys-tur-agreement", openapi_examples={"mys-tur": {"value": "mys-tur-agreement"}})],
    state: Annotated[GeoState, Depends(geo)],
    focus: FocusParam = None,
) -> dict:
    from geohedge.shocks.scenario import builtin_scenario

    scenario = builtin_scenario(check_token(name, "scenario name", "mys-tur-agreement"))
    return await _solve(state, lambda: scenario, focus, f"scenario {scenario.name!r}")

