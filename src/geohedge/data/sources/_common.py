"""Shared helpers for source modules: country-code mapping with reporting, CSV errors, hashes."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import duckdb
import pandas as pd

from geohedge.countries import resolve_many
from geohedge.errors import DataError

__all__ = ["csv_error", "fetch_file", "file_sha256", "map_codes", "read_csv_strict"]


def map_codes(codes: Iterable[str | int], fallback: Mapping[str | int, str] | None = None) -> tuple[dict, list]:
    """Map source country codes to ISO3.

    Returns the mapping and the codes :mod:`geohedge.countries` could not resolve, so
    loaders report them instead of dropping rows silently. Those codes map to
    ``fallback[code]`` (the source's own label, kept for aggregates such as "Europe EFTA,
    nes") when given, else to ``None``.
    """
    resolved = resolve_many(codes)
    unmapped = [code for code, iso3 in resolved.items() if iso3 is None]
    out = {code: iso3 if iso3 is not None else (fallback or {}).get(code) for code, iso3 in resolved.items()}
    return out, unmapped


_LINE = re.compile(r"\b[Ll]ine:? ?(\d+)")


def csv_error(path: str, exc: Exception) -> DataError:
    """A :class:`DataError` naming the file and, where the parser said, the line."""
    text = str(exc)
    match = _LINE.search(text)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    detail = [ln for ln in lines if not re.search(r"CSV Error on Line|Original Line|Possible", ln)]
    first = (detail or lines or [type(exc).__name__])[0]
    where = f"{path}: line {match.group(1)}" if match else path
    return DataError(f"{where}: malformed CSV: {first}")


def file_sha256(*paths: Path) -> str:
    """sha256 of one file, or of several files' contents in the given order."""
    digest = hashlib.sha256()
    for path in paths:
        with Path(path).open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def read_csv_strict(path: Path) -> pd.DataFrame:
    """Read a comma-separated file with a header as text columns, rejecting any line whose
    field count differs from the header's (a truncated or damaged file).

    Empty fields become ``None``. Raises :class:`DataError` naming the file and line.
    """
    import csv

    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh), None)
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text: {exc}") from exc
    if not header:
        raise DataError(f"{path}: line 1: empty file, expected a header row")
    columns = "{" + ", ".join(f"'{name.replace(chr(39), chr(39) * 2)}': 'VARCHAR'" for name in header) + "}"
    con = duckdb.connect()
    try:
        return con.execute(
            "SELECT * FROM read_csv(?, header = true, delim = ',', quote = '\"', escape = '\"', "
            f"auto_detect = false, strict_mode = true, columns = {columns})",
            [str(path)],
        ).df()
    except duckdb.Error as exc:
        raise csv_error(str(path), exc) from exc
    finally:
        con.close()


def fetch_file(
    url: str,
    folder: Path,
    *,
    known_hash: str | None = None,
    fname: str | None = None,
    downloader: object | None = None,
    progressbar: bool = True,
) -> Path:
    """Download ``url`` into ``folder`` with pooch (cached; hash-checked when known).

    ``downloader`` is pooch's transport hook (``downloader(url, output_file, pooch)``);
    tests pass one that copies a local file, so they need no network.

    Raises
    ------
    DataError
        The download failed or its sha256 differs from ``known_hash`` (the partial file is
        removed by pooch).
    """
    import pooch

    folder.mkdir(parents=True, exist_ok=True)
    try:
        path = pooch.retrieve(
            url, known_hash=known_hash, fname=fname, path=folder, downloader=downloader, progressbar=progressbar
        )
    except ValueError as exc:  # pooch's hash mismatch
        raise DataError(f"corrupt download of {url}: {str(exc).splitlines()[0]}") from exc
    except Exception as exc:  # requests and OS errors: no connection, HTTP error, disk full
        raise DataError(f"download of {url} failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from exc
    return Path(path)
