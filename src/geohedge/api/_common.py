"""Shared pieces of the routers: the app's state, parameter guards, limited body reads."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from fastapi import HTTPException, Request, Response
from pydantic import BaseModel

from geohedge.api._runner import ScenarioRunner
from geohedge.api._state import LRU, Limits, StoreHandle
from geohedge.api.models import ErrorOut
from geohedge.errors import InputError

__all__ = ["ERRORS", "GeoState", "cached_json", "check_token", "decode_text", "geo", "parse_day", "read_body"]

#: Entries of each data cache: results that depend on the store alone (one per store
#: generation and a few options), kept even with the response caches off.
DATA_CACHE_SIZE = 32

#: Error responses every endpoint may give, for OpenAPI.
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Invalid input (unknown country, bad option, path-like value)", "model": ErrorOut},
    404: {"description": "No such endpoint (e.g. a path parameter with an encoded '/')", "model": ErrorOut},
    422: {"description": "Malformed parameters or data", "model": ErrorOut},
    503: {"description": "Store missing, locked or unreadable", "model": ErrorOut},
}


@dataclass(eq=False)
class GeoState:
    """Everything one app instance shares across requests."""

    handle: StoreHandle
    limits: Limits
    #: the user's own blocs (``geohedge serve --blocs-file``), added to the default blocs
    extra_blocs: dict[str, Any] | None = None
    caches: dict[str, LRU] = field(default_factory=dict)
    _runner: ScenarioRunner | None = None

    @property
    def runner(self) -> ScenarioRunner:
        """Scenario runs, each in a process of its own (created on first use)."""
        if self._runner is None:
            self._runner = ScenarioRunner(self.limits.scenario_slots)
        return self._runner

    def shutdown(self) -> None:
        if self._runner is not None:
            self._runner.shutdown()
        self.handle.close()

    def blocs(self, named: tuple[str, ...] | None) -> tuple[str, ...]:
        """The blocs of a request: those named (or the defaults), then the custom blocs."""
        from geohedge.exposure.trade import DEFAULT_BLOCS

        extra = self.extra_blocs or {}
        chosen = tuple(b.upper() if b.upper() in extra else b for b in (named or DEFAULT_BLOCS))
        return tuple(dict.fromkeys([*chosen, *extra]))

    def cache(self, name: str) -> LRU:
        """A response cache (:attr:`Limits.cache_size` entries; 0 turns it off)."""
        if name not in self.caches:
            self.caches[name] = LRU(self.limits.cache_size)
        return self.caches[name]

    def data_cache(self, name: str, size: int = DATA_CACHE_SIZE) -> LRU:
        """A cache of model results that depend on the store (and a country) alone, not on
        how a response presents them (always on, ``size`` entries)."""
        key = f"data:{name}"
        if key not in self.caches:
            self.caches[key] = LRU(size)
        return self.caches[key]

    def clear(self) -> None:
        for c in self.caches.values():
            c.clear()


def cached_json(state: GeoState, cache: str, key: Hashable, compute: Callable[[], dict[str, Any]], model: type[BaseModel]) -> Response:
    """A JSON response from the named cache, validated against ``model`` once and kept as bytes.

    Hits skip validation and serialisation altogether: the load test's p95 is this path.
    """

    def encoded() -> bytes:
        return model.model_validate(compute()).model_dump_json().encode("utf-8")

    return Response(state.cache(cache).get(key, encoded), media_type="application/json")


def geo(request: Request) -> GeoState:
    """The app's state, after noticing a replaced store file (one ``stat``)."""
    state: GeoState = request.app.state.geo
    state.handle.refresh()
    return state


# Path separators, parent references, home and drive prefixes, NUL and other controls.
_PATHLIKE = re.compile(r"[/\\\x00-\x1f\x7f]|\.\.|^~|^[A-Za-z]:|%2[eEfF]|%5[cC]")


def check_token(value: str, what: str, example: str = "MYS") -> str:
    """Refuse a parameter that looks like a file path or carries control characters.

    Raises
    ------
    InputError
        Naming the value and what to give instead.
    """
    if _PATHLIKE.search(value):
        raise InputError(f"{what} {value[:80]!r} looks like a file path or contains control characters; give a code or name such as {example}")
    return value


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes ``limit`` bytes.

    A declared ``Content-Length`` over the limit is refused before anything is read; a
    chunked body is counted while it arrives.
    """
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"request body is {int(declared):,} bytes; the limit is {limit:,} bytes ({limit // 1024} KiB)")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"request body passed {limit:,} bytes; the limit is {limit:,} bytes ({limit // 1024} KiB)")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_day(text: str | None) -> _dt.date | None:
    """A ``YYYY-MM-DD`` parameter as a date.

    Raises
    ------
    InputError
        Not a calendar date.
    """
    if text is None:
        return None
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"date {text[:40]!r} is not a calendar date (YYYY-MM-DD)") from None


def decode_text(body: bytes, what: str) -> str:
    """UTF-8 text of a body.

    Raises
    ------
    InputError
        Not UTF-8.
    """
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{what} is not UTF-8 text (byte {exc.start}); send UTF-8") from None
