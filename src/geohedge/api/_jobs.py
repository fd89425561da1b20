"""What a scenario-run process does (see :mod:`geohedge.api._runner`): parse, solve, shape.

Kept apart from the routers so a run's process imports the model and the store, not the
web framework. Everything here runs in the child: a posted scenario's validation (which
is quadratic in its shocks) is under the run's time limit too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from geohedge.errors import InputError, ModelError

__all__ = ["parse_posted", "scenario_job"]


class Unsolvable(InputError):
    """The model cannot solve a posted scenario: the request's problem, not the server's."""

    http_status = 422


def parse_posted(text: str, kind: str) -> Any:
    """A posted scenario (JSON or TOML text, already size-, depth- and UTF-8-checked) as a
    :class:`~geohedge.shocks.scenario.Scenario`.

    Raises
    ------
    InputError
        Empty, malformed, not an object, or reading a file (``elasticities.path``).
    """
    from geohedge.shocks.scenario import parse_scenario

    if not text.strip():
        raise InputError("empty scenario; send TOML (Content-Type application/toml) or JSON (application/json), see GET /api/scenarios")
    if kind == "application/json" or (not kind and text.lstrip().startswith("{")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"scenario: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
        if not isinstance(data, dict):
            raise InputError(f"scenario: expected a JSON object with name and shocks, got {type(data).__name__}")
    elif kind in ("", "application/toml", "application/x-toml"):
        from geohedge._input import loads_toml

        data = loads_toml(text, "scenario")
    else:
        raise InputError(f"unsupported Content-Type {kind!r} for a scenario; use application/toml or application/json")
    el = data.get("elasticities")
    if isinstance(el, dict) and el.get("path") is not None:
        raise InputError("scenario: elasticities.path: reading a file is not allowed over the API; give per-sector values inline (elasticities.values)")
    return parse_scenario(data, origin="scenario")


def scenario_job(store_path: str, spec: tuple[str, ...], focus: str | None, max_iter: int) -> dict[str, Any]:
    """Run one scenario and return the response body.

    ``spec`` is ``("builtin", name)`` or ``("posted", text, content_type)``.
    """
    from geohedge.api.models import table
    from geohedge.data.store import Store
    from geohedge.shocks.model import solve
    from geohedge.shocks.scenario import builtin_scenario
    from geohedge.views.baseline import query_baseline

    scenario = builtin_scenario(spec[1]) if spec[0] == "builtin" else parse_posted(spec[1], spec[2])
    with Store(Path(store_path), read_only=True) as store:
        base = query_baseline(store, scenario.base_year)
    if focus is not None and focus not in base.countries:
        raise InputError(f"{focus} is not a separate region of the ICIO {base.year} table; use one of its {base.N} regions")
    try:
        result = solve(base, scenario, max_iter=max_iter)
    except ModelError as exc:
        raise Unsolvable(str(exc)) from exc
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
