"""Shared pieces of the routers: the app's state, parameter guards, limited body reads."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from fastapi import HTTPException, Request, Response
from pydantic import BaseModel

from geohedge.api._state import LRU, Limits, StoreHandle
from geohedge.api.models import ErrorOut
from geohedge.errors import InputError

__all__ = ["ERRORS", "GeoState", "cached_json", "check_token", "geo", "read_body"]

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
    _solver: ThreadPoolExecutor | None = None

    @property
    def solver(self) -> ThreadPoolExecutor:
        """One worker thread for scenario runs (created on first use, again after a shutdown)."""
        if self._solver is None:
            self._solver = ThreadPoolExecutor(max_workers=1, thread_name_prefix="geohedge-scenario")
        return self._solver

    def shutdown(self) -> None:
        if self._solver is not None:
            self._solver.shutdown(wait=False, cancel_futures=True)
            self._solver = None
        self.handle.close()

    def blocs(self, named: tuple[str, ...] | None) -> tuple[str, ...]:
        """The blocs of a request: those named (or the defaults), then the custom blocs."""
        from geohedge.exposure.trade import DEFAULT_BLOCS

        extra = self.extra_blocs or {}
        chosen = tuple(b.upper() if b.upper() in extra else b for b in (named or DEFAULT_BLOCS))
        return tuple(dict.fromkeys([*chosen, *extra]))

    def cache(self, name: str) -> LRU:
        if name not in self.caches:
            self.caches[name] = LRU(self.limits.cache_size)
        return self.caches[name]

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
    return request.app.state.geo


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
