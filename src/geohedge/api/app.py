"""The geohedge web app: JSON API, OpenAPI schema, offline docs page and the dashboard.

:func:`create_app` builds one FastAPI app over one store (read-only; see
:mod:`geohedge.api._state`). Errors: a :class:`geohedge.errors.GeohedgeError` becomes its
class's ``http_status`` with ``{"error": "<one line>"}``; malformed parameters become 422,
unknown paths 404, oversized bodies 413, all with the same one-line body. Anything else
is a bug: 500 with a short JSON body, the traceback in the server log.

Nothing is loaded from the internet: the dashboard's script, stylesheet and map are
vendored under ``static/``; ``/docs`` is a small offline page that reads
``/openapi.json`` (FastAPI's Swagger UI would load from a CDN, so it is replaced, and
``/redoc`` is off).

Requests from other sites are refused before they reach a route (:func:`_refusal`): a
``Host`` the server does not answer to (DNS rebinding) gets 400; a POST whose ``Origin``
is not the server's own (nor one of :attr:`Limits.allowed_origins`) gets 403; a POST with
a body that is not ``application/json`` (or TOML for a posted scenario) gets 415, so no
HTML form or ``text/plain`` request (which browsers send to any site without asking)
can change anything. Redirects name a path, never a host.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from geohedge import __version__
from geohedge.api._common import GeoState
from geohedge.api._state import Limits, StoreHandle
from geohedge.errors import GeohedgeError

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "STATIC", "create_app"]

STATIC = Path(__file__).resolve().parent / "static"
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000

_log = logging.getLogger("geohedge.api")

# The dashboard and the brief load nothing from elsewhere; the browser enforces it.
_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'"


def _line(text: object) -> str:
    return " ".join(str(text).split()) or "error"


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": _line(message)}, status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    errors = exc.errors()
    if not errors:
        return "invalid request"
    err = errors[0]
    loc = ".".join(str(p) for p in err.get("loc", ()))
    msg = str(err.get("msg", "invalid"))
    got = err.get("input")
    shown = f" (got {str(got)[:60]!r})" if isinstance(got, str | int | float) else ""
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{loc}: {msg}{shown}{more}; see /openapi.json"


def create_app(store_path: str | Path | None = None, *, limits: Limits | None = None, extra_blocs: dict | None = None) -> FastAPI:
    """The FastAPI app over one store.

    Parameters
    ----------
    store_path
        The DuckDB store (default: the user's store, ``$GEOHEDGE_HOME/geohedge.duckdb``);
        opened read-only on the first request that needs it.
    limits
        Body sizes, scenario time limit and cache size (:class:`Limits` defaults).
    extra_blocs
        The user's own blocs (:func:`geohedge.countries.load_blocs`), added to the default
        blocs of every table by bloc and of the brief (``geohedge serve --blocs-file``).
    """
    app = FastAPI(
        title="geohedge",
        version=__version__,
        summary="Hedging analytics for middle powers: exposure, shocks, alignment, partners, relations, the brief.",
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.geo = GeoState(StoreHandle(store_path), limits or Limits(), extra_blocs=extra_blocs)

    from geohedge.api import (
        routes_atlas,
        routes_brief,
        routes_dashboard,
        routes_data,
        routes_events,
        routes_partners,
        routes_scenarios,
    )

    app.include_router(routes_data.router)
    app.include_router(routes_partners.router)
    app.include_router(routes_scenarios.router)
    app.include_router(routes_events.router)
    app.include_router(routes_brief.router)
    app.include_router(routes_dashboard.router)
    app.include_router(routes_atlas.router)

    @app.exception_handler(GeohedgeError)
    async def _geohedge_error(request: Request, exc: GeohedgeError) -> JSONResponse:
        retry = getattr(exc, "retry_after", None)
        return _error(getattr(exc, "http_status", 500), str(exc), {"Retry-After": str(retry)} if retry else None)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404 and exc.detail == "Not Found":
            return _error(404, f"no endpoint at {request.url.path[:120]!r}; the API is under /api (see /openapi.json), the dashboard at /")
        if exc.status_code == 405:
            return _error(405, f"method {request.method} is not allowed on {request.url.path[:120]!r}; see /openapi.json", dict(exc.headers or {}))
        return _error(exc.status_code, str(exc.detail), dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        _log.exception("unexpected error on %s %s", request.method, request.url.path)
        return _error(500, f"internal error ({type(exc).__name__}); this is a bug in geohedge, see the server log")

    limits_ = app.state.geo.limits

    @app.middleware("http")
    async def _headers(request: Request, call_next):
        refused = _refusal(request, limits_)
        if refused is not None:
            return refused
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", _CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        location = response.headers.get("location")
        if location:
            parts = urlsplit(location)
            if parts.scheme or parts.netloc:  # the redirect-slashes redirect echoes the Host header
                response.headers["location"] = urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
        return response

    @app.get("/", include_in_schema=False)
    def _dashboard() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.get("/docs", include_in_schema=False)
    def _docs() -> FileResponse:
        return FileResponse(STATIC / "docs.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    def _openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        from geohedge.api.models import EventsIn
        from geohedge.shocks.scenario import Scenario

        schema = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
        comps = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (Scenario, EventsIn):
            s = model.model_json_schema(ref_template="#/components/schemas/{model}")
            comps.update(s.pop("$defs", {}))
            comps[model.__name__] = s
        app.openapi_schema = schema
        return schema

    app.openapi = _openapi  # type: ignore[method-assign]

    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    import threading

    from geohedge.api._runner import warm_up

    # start the scenario fork server (it imports the model once) while nobody waits for it
    threading.Thread(target=warm_up, name="geohedge-warm-up", daemon=True).start()
    yield
    app.state.geo.shutdown()


_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Media types a POST body may have, by path (every other POST: JSON only).
_BODY_TYPES = {"/api/scenarios/run": ("application/json", "application/toml", "application/x-toml")}


def _hostname(host: str) -> str:
    """``Host`` header without its port, lower case (``[::1]:8000`` -> ``::1``)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _refusal(request: Request, limits: Limits) -> JSONResponse | None:
    """The one-line refusal of a request from elsewhere, or ``None`` to let it through."""
    host = request.headers.get("host", "")
    if limits.allowed_hosts is not None and _hostname(host) not in {h.lower().strip("[]") for h in limits.allowed_hosts}:
        return _error(400, f"Host {host[:80]!r} is not a name of this server ({', '.join(limits.allowed_hosts)}); open it by "
                           "one of those names, or start it with --allow-host NAME")
    if request.method in _SAFE_METHODS:
        return None
    origin = request.headers.get("origin")
    site = request.headers.get("sec-fetch-site", "")
    same = origin is not None and urlsplit(origin).netloc.lower() == host.lower() and urlsplit(origin).scheme in ("http", "https")
    allowed = origin is not None and origin.rstrip("/") in {o.rstrip("/") for o in limits.allowed_origins}
    if (origin is not None and not same and not allowed) or (site == "cross-site" and not allowed):
        return _error(403, f"{request.method} from another site (Origin {str(origin)[:80]!r}) is refused; the server takes "
                           "changes only from its own pages, or from origins named with --allow-origin")
    has_body = request.headers.get("content-length", "0") not in ("", "0") or "transfer-encoding" in request.headers
    if has_body:
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        accepted = _BODY_TYPES.get(request.url.path, ("application/json",))
        if kind not in accepted:
            return _error(415, f"Content-Type {kind or 'none'!r} is not accepted for {request.method} {request.url.path[:80]}; "
                               f"send {' or '.join(accepted)}")
    return None
