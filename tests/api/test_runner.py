"""The scenario runner (issue 13 item 5): runs in processes of their own, a bound on how
many, a run past its limit stopped (its process gone), short runs never queued behind
long ones. Jobs are CPU loops (``tests/api/_jobs.py``); the real scenario job is covered
through the API tests."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from geohedge.api._runner import Busy, JobFailed, ScenarioRunner, TooSlow
from tests.api import _jobs


def _state(pid: int) -> str:
    """Process state letter from /proc ('' when the process no longer exists)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return ""


def test_results_and_errors_come_back():
    runner = ScenarioRunner(2)

    async def go():
        ok = await runner.run(_jobs.burn, (0.01,), seconds=60, label="tiny")
        with pytest.raises(JobFailed) as err:
            await runner.run(_jobs.fail, (), seconds=60, label="failing")
        return ok, err.value

    ok, err = asyncio.run(go())
    assert ok == "burned 0.01"
    assert str(err) == "a job's own one-line error" and err.http_status == 400
    assert runner.running == 0


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc")
def test_a_run_past_its_limit_is_stopped_and_its_process_is_gone(tmp_path):
    """Issue: a timed-out run kept computing."""
    runner = ScenarioRunner(2)
    pid_file = tmp_path / "pid"

    async def go():
        with pytest.raises(TooSlow, match=r"^slow run did not finish within the 1 s limit and was stopped"):
            await runner.run(_jobs.burn, (600, str(pid_file)), seconds=1, label="slow run")

    asyncio.run(go())
    pid = int(pid_file.read_text())
    for _ in range(100):  # reaped by its parent (the fork server) shortly after the kill
        if _state(pid) in ("", "Z", "X"):
            break
        time.sleep(0.05)
    assert _state(pid) in ("", "Z", "X")
    assert runner.running == 0


def test_slots_are_bounded_with_a_retry_after():
    """Issue: the queue had no bound."""
    runner = ScenarioRunner(2)

    async def go():
        long = [asyncio.create_task(runner.run(_jobs.burn, (600,), seconds=4, label="long")) for _ in range(2)]
        while runner.running < 2:
            await asyncio.sleep(0.01)
        with pytest.raises(Busy) as err:
            await runner.run(_jobs.burn, (0.01,), seconds=60, label="third")
        for task in long:
            with pytest.raises(TooSlow):
                await task
        return err.value

    err = asyncio.run(go())
    assert err.http_status == 503 and 1 <= err.retry_after <= 4
    assert str(err).startswith("all 2 scenario slots are busy; try again in ")


def test_a_short_run_finishes_before_long_runs_started_earlier():
    """Issue: a 0.1 s run sent next to ten 5 s runs waited 22 s. Here four long runs start
    first; the short one started after them still finishes first (no waiting line, cores
    shared, long runs at lower priority). Order of completion, not wall time, is checked."""
    runner = ScenarioRunner(8)
    done: list[str] = []

    async def job(name: str, seconds: float, limit: float):
        try:
            await runner.run(_jobs.burn, (seconds,), seconds=limit, label=name)
        except TooSlow:
            pass
        done.append(name)

    async def go():
        long = [asyncio.create_task(job(f"long{k}", 600, 3)) for k in range(4)]
        while runner.running < 4:
            await asyncio.sleep(0.01)
        await job("short", 0.05, 60)
        await asyncio.gather(*long)

    asyncio.run(go())
    assert done[0] == "short" and len(done) == 5
