"""Scenario runs in child processes: a bounded number at once, each killed at its deadline.

Why processes: a run is CPU-bound NumPy and Python; in the server's threads it would hold
the interpreter lock against every other request, and a thread cannot be stopped when it
passes its time limit. A child process can be killed, so a run past its limit stops
computing, and its CPU time never delays the server's own requests.

Scheduling, so cheap runs are never stuck behind expensive ones:

- There is no waiting line: a run starts at once in a process of its own, or, when
  :attr:`Limits.scenario_slots` runs are in progress, is refused with 503 and a
  ``Retry-After`` of the seconds until the first slot is sure to free (the earliest
  deadline).
- The operating system shares the cores between runs. Each run starts at a lower priority
  than the server (``nice`` +2) and drops one step further for every 0.1 s of CPU it has
  used (to +19), so a short run started next to ten long ones gets most of a core and
  finishes in about its own time, while the long ones share what is left.
- Each run has a wall-time limit (:attr:`Limits.scenario_seconds`, counted from the
  request); past it the process is killed (SIGKILL) and the request gets 503. The child
  also caps its own CPU time (``RLIMIT_CPU``) so it ends even if the server dies.

Children come from a fork server (:mod:`multiprocessing`'s ``forkserver`` start method,
where the platform has it) that has NumPy and the model loaded, so starting one takes
milliseconds; the job re-reads what it needs from the store's disk caches.
"""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import os
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from geohedge.errors import GeohedgeError, ModelError

__all__ = ["Busy", "JobFailed", "ScenarioRunner", "TooSlow", "warm_up"]

#: Modules the fork server imports once so each child starts warm.
PRELOAD = ["numpy", "pandas", "geohedge.shocks.model", "geohedge.views.baseline", "geohedge.api._jobs", "geohedge.api.models",
           "geohedge.api._warm"]

#: Environment variables a job needs (the fork server keeps the environment it started with).
_ENV = ("GEOHEDGE_HOME", "GEOHEDGE_CACHE")


class Busy(ModelError):
    """Every scenario slot is taken; carries the ``Retry-After`` seconds."""

    http_status = 503

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class TooSlow(ModelError):
    """A run passed its time limit and was stopped."""

    http_status = 503


class JobFailed(GeohedgeError):
    """A job's own error, carried back from the child with its HTTP status."""

    def __init__(self, message: str, http_status: int):
        super().__init__(message)
        self.http_status = http_status


_CTX_LOCK = threading.Lock()
_CTX: multiprocessing.context.BaseContext | None = None


def _context() -> multiprocessing.context.BaseContext:
    """The process context, started once per process (fork server where available)."""
    global _CTX
    with _CTX_LOCK:
        if _CTX is None:
            methods = multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
            if ctx.get_start_method() == "forkserver":
                ctx.set_forkserver_preload(PRELOAD)
                _start_forkserver()
            _CTX = ctx
        return _CTX


#: Each run is one process; BLAS thread pools inside them would only fight over the cores.
_ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def _start_forkserver() -> None:
    from multiprocessing import forkserver

    saved = {k: os.environ.get(k) for k in _ONE_THREAD}
    os.environ.update(_ONE_THREAD)
    try:
        forkserver.ensure_running()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def warm_up() -> None:
    """Start the fork server now (it imports :data:`PRELOAD` once), not on the first run."""
    _context()


def _give_way(*_: object) -> None:
    import signal

    if os.nice(0) >= 19:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        return
    os.nice(1)


def _child(conn: Any, job: Callable[..., Any], args: tuple[Any, ...], env: dict[str, str], cpu_seconds: float) -> None:
    """Run ``job(*args)`` in the child and send ``(status, payload)`` back."""
    import signal

    for key in _ENV:
        if key in env:
            os.environ[key] = env[key]
        else:
            os.environ.pop(key, None)
    try:
        import resource

        limit = max(1, math.ceil(cpu_seconds))
        resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 1))
        os.nice(2)
        # every 0.1 s of CPU used, give way a little more to newer (probably shorter) runs
        signal.signal(signal.SIGVTALRM, _give_way)
        signal.setitimer(signal.ITIMER_VIRTUAL, 0.1, 0.1)
    except (ImportError, OSError, AttributeError, ValueError):  # pragma: no cover - not POSIX
        pass
    try:
        out: tuple[str, Any] = ("ok", job(*args))
    except GeohedgeError as exc:
        out = ("error", (str(exc), getattr(exc, "http_status", 500)))
    except BaseException:  # a bug: the server logs the child's traceback
        out = ("bug", traceback.format_exc(limit=20))
    try:
        conn.send(out)
    finally:
        conn.close()


class ScenarioRunner:
    """Runs jobs in child processes, at most ``slots`` at once.

    Parameters
    ----------
    slots
        Runs in progress at once; one more raises :class:`Busy`.
    """

    def __init__(self, slots: int):
        self.slots = max(1, int(slots))
        self._lock = threading.Lock()
        self._deadlines: dict[int, float] = {}
        self._next = 0
        self._procs: set[Any] = set()

    @property
    def running(self) -> int:
        with self._lock:
            return len(self._deadlines)

    def _take(self, deadline: float) -> int:
        with self._lock:
            if len(self._deadlines) >= self.slots:
                wait = max(1, math.ceil(min(self._deadlines.values()) - time.monotonic()))
                raise Busy(f"all {self.slots} scenario slots are busy; try again in {wait} s", wait)
            self._next += 1
            self._deadlines[self._next] = deadline
            return self._next

    def _give(self, token: int) -> None:
        with self._lock:
            self._deadlines.pop(token, None)

    async def run(self, job: Callable[..., Any], args: tuple[Any, ...], *, seconds: float, label: str) -> Any:
        """``job(*args)`` in a child process, its result back, or an error.

        Raises
        ------
        Busy
            Every slot is taken (503 with ``Retry-After``).
        TooSlow
            The run passed ``seconds``; its process was killed.
        JobFailed
            The job raised a geohedge error (its message and HTTP status).
        RuntimeError
            The job hit a bug or its process died (the traceback is in the message).
        """
        started = time.monotonic()
        deadline = started + seconds
        token = self._take(deadline)
        loop = asyncio.get_running_loop()
        proc = None
        try:
            ctx = await loop.run_in_executor(None, _context)
            recv, send = ctx.Pipe(duplex=False)
            env = {k: os.environ[k] for k in _ENV if k in os.environ}
            proc = ctx.Process(target=_child, args=(send, job, args, env, seconds + 5), daemon=True)
            await loop.run_in_executor(None, proc.start)
            with self._lock:
                self._procs.add(proc)
            send.close()
            try:
                await asyncio.wait_for(_readable(loop, recv), timeout=max(0.0, deadline - time.monotonic()))
                status, payload = recv.recv()
            except TimeoutError:
                raise TooSlow(
                    f"{label} did not finish within the {seconds:g} s limit and was stopped; "
                    "run it with 'geohedge scenario run' instead, or simplify it"
                ) from None
            except EOFError:
                raise RuntimeError(f"{label}: the run's process ended without an answer (exit code {proc.exitcode})") from None
            finally:
                recv.close()
        finally:
            if proc is not None:
                if proc.is_alive():
                    proc.kill()
                await loop.run_in_executor(None, proc.join, 5)
                with self._lock:
                    self._procs.discard(proc)
            self._give(token)
        if status == "ok":
            return payload
        if status == "error":
            message, http_status = payload
            raise JobFailed(message, http_status)
        raise RuntimeError(f"{label} failed in its process:\n{payload}")

    def shutdown(self) -> None:
        """Kill every run still in progress."""
        with self._lock:
            procs = list(self._procs)
        for proc in procs:
            if proc.is_alive():
                proc.kill()


def _readable(loop: asyncio.AbstractEventLoop, conn: Any) -> asyncio.Future:
    """A future done when ``conn`` has data (or its writer closed)."""
    fut: asyncio.Future = loop.create_future()
    fd = conn.fileno()

    def ready() -> None:
        loop.remove_reader(fd)
        if not fut.done():
            fut.set_result(None)

    loop.add_reader(fd, ready)
    fut.add_done_callback(lambda _: loop.remove_reader(fd))
    return fut

