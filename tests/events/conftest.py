"""Fixtures of the events tests: the seed article, the PLOVER gold file, a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GDELT_FIXTURE = FIXTURES / "20250720000000.export.CSV"

_MAIN = """
import sys, typer
from rich.console import Console
from geohedge.cli.events import register
from geohedge.errors import GeohedgeError
app = typer.Typer(pretty_exceptions_enable=False, add_completion=False)
register(app)
@app.callback()
def _root():
    pass
try:
    app(sys.argv[1:], prog_name="geohedge")
except GeohedgeError as exc:
    Console(stderr=True).print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
    sys.exit(2)
"""


@pytest.fixture
def cli():
    """Run ``geohedge <args>`` with the events commands registered, exactly as
    ``geohedge.cli.main`` handles errors (one line, exit 2), in a subprocess."""

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", _MAIN, *args], capture_output=True, text=True,
                              env={**os.environ, "COLUMNS": "200"}, timeout=120)

    return run


@pytest.fixture(scope="session")
def seed_article(shared_data) -> Path:
    path = shared_data.parent / "seed" / "000_cd003cc188e7abe4.txt"
    if not path.is_file():
        pytest.skip(f"needs the seed article {path}")
    return path


@pytest.fixture(scope="session")
def plover_gold(shared_data) -> list[dict]:
    import json

    records = json.loads((shared_data / "plover" / "PLOVER_GSR_CAMEO.txt").read_text())
    return [r for r in records if r["event"] != "DOCUMENT"]
