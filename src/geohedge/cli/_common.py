"""Shared pieces of the command line: the console, progress bars, table output, parsing.

Every command module uses these so that output formats, error lines and progress look the
same everywhere.
"""

from __future__ import annotations

import datetime as _dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from geohedge.errors import InputError

__all__ = ["check_format", "console", "missing", "open_store", "parse_date", "print_frame", "progress", "write_frame"]

# Piped output (files, CI logs) gets room for wide tables instead of 80 columns.
console = Console(width=None if sys.stdout.isatty() else 140)

#: Formats every table-producing command accepts.
FORMATS = ("table", "csv", "json", "parquet")


@contextmanager
def progress(description: str, *, eta: bool = False) -> Iterator[Callable[[str, int, int], None]]:
    """A Rich progress bar fed by the library's ``progress(step, done, total)`` callbacks
    (``eta``: also the estimated time remaining).

    The bar appears on the first callback and is cleared at the end, so an error that
    comes before any work prints its one line alone.
    """
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        *([TextColumn("ETA"), TimeRemainingColumn()] if eta else []),
        TextColumn("{task.fields[step]}"),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task(description, total=None, step="")

    def update(step: str, done: int, total: int) -> None:
        if not bar.live.is_started:
            bar.start()
        bar.update(task, completed=done, total=total, step=step)

    try:
        yield update
    finally:
        if bar.live.is_started:
            bar.stop()


def open_store(read_only: bool):
    """The user's store (:class:`geohedge.data.store.Store`)."""
    from geohedge.data.store import Store

    return Store(read_only=read_only)


def print_frame(frame: pd.DataFrame, title: str | None = None, fmt: str = "table", caption: str | None = None) -> None:
    """Print a frame as a Rich table (``table``), CSV or JSON records on stdout."""
    if fmt == "json":
        console.print_json(frame.to_json(orient="records", date_format="iso"))
        return
    if fmt == "csv":
        sys.stdout.write(frame.to_csv(index=False))
        return
    table = Table(title=title, caption=caption)
    for col in frame.columns:
        table.add_column(str(col), justify="right" if pd.api.types.is_numeric_dtype(frame[col]) else "left")
    for row in frame.itertuples(index=False):
        table.add_row(*("" if missing(v) else _fmt(v) for v in row))
    console.print(table)


def _fmt(v: object) -> str:
    if isinstance(v, float):
        return f"{v:,.4g}" if abs(v) < 1 else f"{v:,.1f}"
    return str(v)


def write_frame(frame: pd.DataFrame, fmt: str, out: Path | None, title: str | None = None, caption: str | None = None) -> None:
    """Write a frame to ``out`` (any format) or print it (table, csv, json).

    Raises
    ------
    InputError
        Parquet without ``--out``, or an unknown format.
    """
    check_format(fmt, FORMATS)
    if out is None:
        if fmt == "parquet":
            raise InputError("--format parquet needs --out PATH")
        print_frame(frame, title=title, fmt=fmt, caption=caption)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    if fmt == "parquet":
        frame.to_parquet(tmp, index=False)
    elif fmt == "json":
        tmp.write_text(frame.to_json(orient="records", date_format="iso", indent=1))
    else:
        frame.to_csv(tmp, index=False)
    tmp.replace(out)
    Console(stderr=True).print(f"wrote {len(frame):,} rows to {out}", style="dim")


def missing(v: object) -> bool:
    return v is None or (pd.api.types.is_scalar(v) and bool(pd.isna(v)))



def check_format(fmt: str, allowed: tuple[str, ...]) -> None:
    if fmt not in allowed:
        raise InputError(f"unknown format {fmt!r}; use one of {', '.join(allowed)}")



def parse_date(text: str | None) -> _dt.date | None:
    if text is None:
        return None
    try:
        return _dt.date.fromisoformat(text)
    except ValueError as exc:
        raise InputError(f"date {text!r} is not YYYY-MM-DD") from exc


