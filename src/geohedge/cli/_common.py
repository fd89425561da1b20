"""Shared pieces of the command line: the console, progress bars, table output, parsing.

Every command module uses these so that output formats, error lines and progress look the
same everywhere.
"""

from __future__ import annotations

import datetime as _dt
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from geohedge import labels as _labels
from geohedge.errors import InputError

__all__ = [
    "BlocsFileOpt", "LabelsOpt", "bloc_list", "check_format", "check_labels", "check_top", "console", "load_extra_blocs", "missing",
    "open_store", "parse_date", "print_frame", "progress", "write_frame",
]

#: ``--blocs-file FILE`` on every command that takes blocs: the file's blocs are added to
#: the default blocs (and may be named in ``--blocs``).
BlocsFileOpt = Annotated[Path | None, typer.Option(
    "--blocs-file", help="TOML file of your own blocs (format: geohedge/_data/blocs.toml), added to the default blocs.")]
#: ``--labels code|human`` on every command that writes a table.
LabelsOpt = Annotated[str, typer.Option(
    "--labels", help="Column headers: code (snake_case, as in the API) or human (label and unit; CSV, JSON and Parquet keep full precision).")]
LABELS = ("code", "human")


def check_labels(value: str) -> None:
    if value not in LABELS:
        raise InputError(f"--labels {value!r}: use code or human")


def load_extra_blocs(path: Path | None) -> dict | None:
    """The blocs of ``--blocs-file`` (``None`` without one).

    Raises
    ------
    InputError, DataError
        As :func:`geohedge.countries.load_blocs` (missing or empty file, a bloc named like a country).
    """
    if path is None:
        return None
    from geohedge.countries import load_blocs

    return load_blocs(path)


def bloc_list(blocs: str | None, extra: Mapping | None, default: Sequence[str]) -> tuple[str, ...]:
    """The blocs a command uses: ``--blocs`` (or the defaults), then every ``--blocs-file`` bloc.

    Raises
    ------
    InputError
        ``--blocs`` lists nothing.
    """
    if blocs is not None:
        named = tuple(b.strip().upper() if b.strip().upper() in (extra or {}) else b.strip() for b in blocs.split(",") if b.strip())
        if not named:
            raise InputError(f"--blocs {blocs!r} lists nothing; give comma-separated blocs or countries, e.g. USA,CHN,EU27")
    else:
        named = tuple(default)
    return tuple(dict.fromkeys([*named, *(extra or {})]))

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


def print_frame(frame: pd.DataFrame, title: str | None = None, fmt: str = "table", caption: str | None = None,
                labels: str = "code") -> None:
    """Print a frame as a Rich table (``table``), CSV or JSON records on stdout.

    The table view always shows human headers and values formatted by
    :mod:`geohedge.labels` (percentages as percentages, money in USD million); CSV and JSON
    keep full precision, with human headers when ``labels="human"``.
    """
    check_labels(labels)
    if fmt == "json":
        console.print_json(_export(frame, labels).to_json(orient="records", date_format="iso"))
        return
    if fmt == "csv":
        sys.stdout.write(_export(frame, labels).to_csv(index=False))
        return
    shown = _labels.format_frame(frame)
    columns = [str(c) for c in frame.columns]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) and _labels.column(str(c)).kind != "text" for c in frame.columns]
    heads = [_labels.header(c) for c in columns]
    least, natural = [], []
    for c, num, head in zip(frame.columns, numeric, heads, strict=True):
        texts = [str(v) for v in shown[c]]
        # numbers never wrap; texts keep their longest word (up to 30); headers wrap at spaces
        cell = max((len(t) for t in texts), default=0) if num else min(30, max((len(w) for t in texts for w in t.split()), default=0))
        least.append(max(cell, max((len(w) for w in head.split()), default=0)))
        natural.append(max(least[-1], len(head), max((len(t) for t in texts), default=0)))
    from geohedge.report.tables import default_keys, split_columns

    width = (console.width or 140) - 4
    groups = split_columns([w + 3 for w in least], width, default_keys(columns))
    for n, group in enumerate(groups, start=1):
        part = f" (part {n} of {len(groups)})" if len(groups) > 1 else ""
        table = Table(title=(title + part) if title else None, caption=caption if n == len(groups) else None)
        room = width - sum(least[j] + 3 for j in group)
        want = sum(natural[j] - least[j] for j in group)
        grow = min(1.0, room / want) if want > 0 and room > 0 else 0.0
        for j in group:
            table.add_column(heads[j], justify="right" if numeric[j] else "left",
                             width=least[j] + int(grow * (natural[j] - least[j])))
        for row in shown.itertuples(index=False, name=None):
            table.add_row(*(str(row[j]) for j in group))
        console.print(table)


def _export(frame: pd.DataFrame, labels: str) -> pd.DataFrame:
    return _labels.human_frame(frame) if labels == "human" else frame


def write_frame(frame: pd.DataFrame, fmt: str, out: Path | None, title: str | None = None, caption: str | None = None,
                labels: str = "code") -> None:
    """Write a frame to ``out`` (any format) or print it (table, csv, json).

    Raises
    ------
    InputError
        Parquet without ``--out``, an unknown format or labels value, or an ``--out`` that
        cannot be written (a folder, a missing or read-only place); no partial file is left.
    """
    check_format(fmt, FORMATS)
    check_labels(labels)
    if out is None:
        if fmt == "parquet":
            raise InputError("--format parquet needs --out PATH")
        print_frame(frame, title=title, fmt=fmt, caption=caption, labels=labels)
        return
    if out.is_dir():
        raise InputError(f"--out {out} is a folder; give a file name such as {out / ('table.' + fmt.replace('table', 'csv'))}")
    tmp = out.with_name(out.name + ".part")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        data = _export(frame, labels)
        if fmt == "parquet":
            data.to_parquet(tmp, index=False)
        elif fmt == "json":
            tmp.write_text(data.to_json(orient="records", date_format="iso", indent=1))
        else:
            data.to_csv(tmp, index=False)
        tmp.replace(out)
    except OSError as exc:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write --out {out}: {exc.strerror or exc}") from None
    Console(stderr=True).print(f"wrote {len(frame):,} rows to {out}", style="dim")


def missing(v: object) -> bool:
    return v is None or (pd.api.types.is_scalar(v) and bool(pd.isna(v)))



def check_top(top: int) -> None:
    """Refuse a ``--top`` below 1 (a negative count would silently drop rows from the end)."""
    if top < 1:
        raise InputError(f"--top must be at least 1, got {top}")


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


