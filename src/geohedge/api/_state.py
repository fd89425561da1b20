"""What one app instance holds: the store handle, the response caches and the limits.

The store is opened read-only on the first request that needs it and shared: each request
gets its own DuckDB cursor (a DuckDB connection is not safe across threads; its cursors
are). GET requests never write. Writes (``POST /api/events`` with ``store=true``, or a
``geohedge data import`` in another process) go to a working copy that replaces the store
file when done (:mod:`geohedge.data._swap`), so they never wait for readers and readers
never wait for them. Every request first looks at the store file (one ``stat``); when it
was replaced, the next reads open the new file, requests still reading the old one finish
on it, and the store generation is bumped so no cached response of the old data is
served again.

Responses that take more than a few milliseconds (exposure tables, alignment, the brief,
the calibrated shock baseline) are kept in small in-memory LRU caches keyed by that
generation.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geohedge.data.store import Store

__all__ = ["LRU", "Limits", "StoreHandle"]


@dataclass(frozen=True)
class Limits:
    """Request limits of one app.

    Attributes
    ----------
    max_scenario_bytes
        Largest scenario body (TOML or JSON) accepted; larger gets 413.
    max_text_bytes
        Largest article body for ``POST /api/events``; larger gets 413.
    max_depth
        Deepest nesting of arrays and tables (JSON or TOML) in a body; deeper gets 400
        before the body is parsed.
    scenario_seconds
        Wall time a scenario run may take; beyond it the run's process is killed and the
        request gets 503.
    scenario_slots
        Scenario runs in progress at once (each in its own process); one more gets 503
        with ``Retry-After``.
    scenario_max_iter
        Iteration cap passed to the solver.
    cache_size
        Entries in each response cache (0 turns response caching off; the per-store data
        caches, e.g. the calibrated baseline and the UN vote agreement scores, stay on).
    allowed_hosts
        Host names the server answers to (the ``Host`` header, port ignored); ``None``
        accepts any (a server on all interfaces, ``--host 0.0.0.0``, without ``--allow-host``).
    allowed_origins
        Other origins (``scheme://host[:port]``) whose pages may send state-changing
        requests (POST); the server's own origin always may.
    """

    max_scenario_bytes: int = 64 * 1024
    max_text_bytes: int = 256 * 1024
    max_depth: int = 32
    scenario_seconds: float = 30.0
    scenario_slots: int = 16
    scenario_max_iter: int = 2000
    cache_size: int = 256
    allowed_hosts: tuple[str, ...] | None = ("127.0.0.1", "localhost", "::1")
    allowed_origins: tuple[str, ...] = field(default_factory=tuple)


def _stamp(path: Path) -> tuple[int, int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)


class _Open:
    """One read-only connection and the requests reading through it."""

    def __init__(self, store: Store):
        self.store = store
        self.readers = 0
        self.retired = False


class StoreHandle:
    """The app's store: a shared read-only connection per store file, per-request cursors."""

    def __init__(self, path: str | Path | None = None):
        self._path = Path(path) if path is not None else None
        self._lock = threading.Lock()
        self._current: _Open | None = None
        self._stamp: tuple[int, int, int, int] | None = None
        #: Bumped whenever the store file changes; caches key on it so nothing stale is served.
        self.generation = 0

    @property
    def path(self) -> Path:
        from geohedge.data.paths import store_path

        return self._path if self._path is not None else store_path()

    def refresh(self) -> None:
        """Notice a replaced store file: bump the generation, read the new file from now on."""
        stamp = _stamp(self.path)
        with self._lock:
            if stamp == self._stamp:
                return
            self._stamp = stamp
            self.generation += 1
            old, self._current = self._current, None
            if old is not None:
                old.retired = True
                if old.readers == 0:
                    old.store.close()

    @contextmanager
    def read(self) -> Iterator[Store]:
        """A read-only store for one request.

        Raises
        ------
        StoreError
            No store file, or it cannot be opened.
        """
        self.refresh()
        with self._lock:
            if self._current is None:
                self._current = _Open(Store(self.path, read_only=True))
            opened = self._current
            opened.readers += 1
            cursor = opened.store.cursor()
        try:
            yield cursor
        finally:
            cursor.close()
            with self._lock:
                opened.readers -= 1
                if opened.retired and opened.readers == 0:
                    opened.store.close()

    @contextmanager
    def write(self) -> Iterator[Store]:
        """The store opened for writing (a working copy, published when the block ends)."""
        try:
            with Store(self.path, read_only=False) as store:
                yield store
        finally:
            self.refresh()

    def close(self) -> None:
        """Close the shared connection (a request still reading keeps it until it ends)."""
        with self._lock:
            old, self._current = self._current, None
            if old is not None:
                old.retired = True
                if old.readers == 0:
                    old.store.close()


class LRU:
    """A small thread-safe least-recently-used cache of computed responses.

    Concurrent misses of the same key compute once: the first caller computes under a
    per-key lock while the others wait for its result.
    """

    def __init__(self, size: int):
        self.size = size
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._key_locks: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        if self.size <= 0:
            return compute()
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
            klock = self._key_locks.setdefault(key, threading.Lock())
        with klock:
            with self._lock:
                if key in self._data:
                    return self._data[key]
            try:
                value = compute()  # errors propagate and are not cached
            finally:
                with self._lock:
                    self._key_locks.pop(key, None)
            with self._lock:
                self._data[key] = value
                while len(self._data) > self.size:
                    self._data.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
