"""Jobs for the scenario runner's tests (imported by the runner's child processes)."""

from __future__ import annotations

import os
import time
from pathlib import Path


def burn(seconds: float, pid_file: str | None = None) -> str:
    """Spin on the CPU for ``seconds`` of process time; write the pid first when asked."""
    if pid_file:
        Path(pid_file).write_text(str(os.getpid()))
    end = time.process_time() + seconds
    n = 0
    while time.process_time() < end:
        n += 1
    return f"burned {seconds}"


def fail() -> None:
    from geohedge.errors import InputError

    raise InputError("a job's own one-line error")
