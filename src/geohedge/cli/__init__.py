"""The ``geohedge`` command line: a thin layer over the library.

One module per command group (``data``, ``countries``, ...), all sharing
:mod:`geohedge.cli._common`. Errors a user can fix (:class:`geohedge.errors.GeohedgeError`)
print one line, ``error: <message>``, on stderr and exit with code 2; anything else is a
bug and keeps its traceback.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console

from geohedge import __version__
from geohedge.cli import alignment as _alignment
from geohedge.cli import atlas as _atlas
from geohedge.cli import brief as _brief
from geohedge.cli import countries as _countries
from geohedge.cli import events as _events
from geohedge.cli import exposure as _exposure
from geohedge.cli import partners as _partners
from geohedge.cli import scenario as _scenario
from geohedge.cli import serve as _serve
from geohedge.cli._common import console
from geohedge.cli.data import data_app
from geohedge.errors import GeohedgeError

__all__ = ["app", "main"]

app = typer.Typer(
    name="geohedge",
    help="Hedging analytics for middle powers: exposure, shocks, alignment, partners, relations.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(data_app, name="data")
_countries.register(app)
_exposure.register(app)
_brief.register(app)
_scenario.register(app)
_events.register(app)
_alignment.register(app)
_partners.register(app)
_atlas.register(app)
_serve.register(app)


def _version(value: bool) -> None:
    if value:
        console.print(f"geohedge {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Hedging analytics for middle powers."""


def main() -> None:
    """Entry point: run the app, turning geohedge errors into one line and exit code 2."""
    try:
        app()
    except GeohedgeError as exc:
        Console(stderr=True).print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)
