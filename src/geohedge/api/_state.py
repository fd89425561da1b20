"""What one app instance holds: the store handle, the response caches and the limits.

The store is opened read-only once, on the first request that needs it, and shared: each
request gets its own DuckDB cursor (a DuckDB connection is not safe across threads; its
cursors are). GET requests never write. The one writer (``POST /api/events`` with
``store=true``) waits for the readers to finish, closes the read-only handle, opens the
store for writing, and lets the next reader reopen it; a readers-writer lock keeps the
two apart. While the server runs it holds the store open, so other processes cannot
write to it (``geohedge data import`` waits for the server to stop).

Responses that take more than a few milliseconds (exposure tables, alignment, the brief,
the calibrated shock baseline) are kept in small in-memory LRU caches; a write through
the API clears them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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
    scenario_seconds
        Wall time a scenario run may take before the request gets 503 (the solver's
        iterations are bounded too, so an abandoned run ends on its own).
    scenario_max_iter
        Iteration cap passed to the solver.
    cache_size
        Entries in each response cache (0 turns caching off).
    """

    max_scenario_bytes: int = 64 * 1024
    max_text_bytes: int = 256 * 1024
    scenario_seconds: float = 30.0
    scenario_max_iter: int = 2000
    cache_size: int = 256


class _CursorStore(Store):
    """A :class:`Store` over a cursor of a shared read-only connection (one per request)."""

    def __init__(self, parent: Store):
        self.path = parent.path
        self.con = parent.con.cursor()
        self.read_only = True
        self._in_batch = False


class StoreHandle:
    """The app's store: shared read-only connection, per-request cursors, exclusive writes."""

    def __init__(self, path: str | Path | None = None):
        self._path = Path(path) if path is not None else None
        self._store: Store | None = None
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        #: Bumped on every write; caches key on it so nothing stale is served.
        self.generation = 0

    @property
    def path(self) -> Path:
        from geohedge.data.paths import store_path

        return self._path if self._path is not None else store_path()

    @contextmanager
    def read(self) -> Iterator[Store]:
        """A read-only store for one request.

        Raises
        ------
        StoreError
            No store file, or it cannot be opened (e.g. another process is writing it).
        """
        with self._cond:
            while self._writing:
                self._cond.wait()
            if self._store is None:
                self._store = Store(self.path, read_only=True)
            self._readers += 1
            cursor = _CursorStore(self._store)
        try:
            yield cursor
        finally:
            cursor.close()
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[Store]:
        """The store opened for writing, alone (readers wait)."""
        with self._cond:
            while self._writing or self._readers:
                self._cond.wait()
            self._writing = True
            if self._store is not None:
                self._store.close()
                self._store = None
        try:
            with Store(self.path, read_only=False) as store:
                yield store
        finally:
            with self._cond:
                self._writing = False
                self.generation += 1
                self._cond.notify_all()

    def close(self, timeout: float = 30.0) -> None:
        """Close the shared connection once no request is reading (waits up to ``timeout`` s;
        a run still reading after that keeps it, and the process exit closes it)."""
        with self._cond:
            if not self._cond.wait_for(lambda: self._readers == 0, timeout=timeout):
                return
            if self._store is not None:
                self._store.close()
                self._store = None


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
