"""Shared helpers for source modules: country-code mapping with reporting, CSV errors, hashes,
year ranges, zip members, scratch folders and downloads with an overall deadline."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import os
import re
import shutil
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO

import duckdb
import pandas as pd

from geohedge.countries import resolve_many
from geohedge.errors import DataError, InputError

__all__ = [
    "check_year",
    "csv_error",
    "download",
    "extract_member",
    "fetch_file",
    "file_sha256",
    "is_zip",
    "map_codes",
    "open_zip",
    "read_csv_strict",
    "read_url",
    "work_dir",
]


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


@functools.lru_cache(maxsize=1)
def _csv_connection() -> duckdb.DuckDBPyConnection:
    """One in-memory DuckDB for parsing files (each call takes a cursor of it: opening a
    database costs more than reading a small file)."""
    return duckdb.connect(":memory:")


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
    con = _csv_connection().cursor()
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
    tests pass one that copies a local file, so they need no network. The default is
    :func:`download` (overall deadline, stall detection). Nothing is opened in the store
    while a download runs: callers import the cached file afterwards.

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
            url, known_hash=known_hash, fname=fname, path=folder, downloader=downloader or _pooch_downloader(progressbar),
        )
    except DataError:
        raise
    except ValueError as exc:  # pooch's hash mismatch
        raise DataError(f"corrupt download of {url}: {str(exc).splitlines()[0]}") from exc
    except Exception as exc:  # requests and OS errors: no connection, HTTP error, disk full
        raise DataError(f"download of {url} failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from exc
    return Path(path)


# --- years --------------------------------------------------------------------------------


def check_year(year: int, what: str, first: int, last: int | None = None) -> int:
    """``year`` if ``first <= year <= last`` (default: this year), else :class:`InputError`."""
    import datetime as _dt

    last = _dt.date.today().year if last is None else last
    if not isinstance(year, int) or isinstance(year, bool) or not first <= year <= last:
        raise InputError(f"{what} {year!r} is outside {first}-{last}; give a four-digit year the release covers")
    return year


# --- zip files ----------------------------------------------------------------------------


def is_zip(path: Path) -> bool:
    """True for a readable zip file; :class:`DataError` for one that starts like a zip but
    has no readable directory (truncated download); False otherwise."""
    if zipfile.is_zipfile(path):
        return True
    with open(path, "rb") as fh:
        if fh.read(4) == b"PK\x03\x04":
            raise DataError(f"{path}: corrupt zip: no central directory (truncated file?)")
    return False


def open_zip(path: Path) -> zipfile.ZipFile:
    """Open a zip file, or :class:`DataError` naming it (truncated, not a zip)."""
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise DataError(f"{path}: corrupt zip: {exc}") from exc


def extract_member(zf: zipfile.ZipFile, name: str, target: Path, origin: Path) -> Path:
    """Extract one member of ``zf`` into ``target``; a damaged member (bad CRC, broken
    deflate stream, truncated archive) or a full disk is a :class:`DataError`."""
    try:
        return Path(zf.extract(name, target))
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise DataError(f"{origin}: corrupt zip member {name!r}: {exc}") from exc


@contextlib.contextmanager
def work_dir(kind: str) -> Iterator[Path]:
    """A scratch folder under ``<cache>/work`` for unpacking, removed afterwards.

    Folders left by a process that was killed (their name holds its pid) are removed the
    next time any import asks for one.
    """
    from geohedge.data.paths import cache_dir

    root = cache_dir() / "work"
    root.mkdir(parents=True, exist_ok=True)
    for old in root.iterdir():
        pid = old.name.split("-")[-2] if old.name.count("-") >= 2 else ""
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{kind}-{os.getpid()}-", dir=root))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


# --- downloads ----------------------------------------------------------------------------

#: Whole-download time limits: an article or feed, and a full release (about 2 GB).
PAGE_DEADLINE_SECONDS = 60.0
RELEASE_DEADLINE_SECONDS = 4 * 3600.0
#: A download that brings less than this in a window of that many seconds is stopped.
STALL_BYTES, STALL_SECONDS = 16 * 1024, 60.0


def download(
    url: str,
    out: IO[bytes],
    *,
    limit: int | None = None,
    stop_at_limit: bool = False,
    deadline: float = RELEASE_DEADLINE_SECONDS,
    read_timeout: float = 30.0,
    stall: tuple[int, float] = (STALL_BYTES, STALL_SECONDS),
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Copy the body at ``url`` into ``out``, within an overall deadline.

    A server that stops sending fails after ``read_timeout``; one that trickles fails once
    a window of ``stall[1]`` seconds brings fewer than ``stall[0]`` bytes, and any download
    fails after ``deadline`` seconds in all. ``limit`` caps the size: one byte more fails,
    or with ``stop_at_limit`` ends the download there (the caller sees it is too large).

    Returns
    -------
    int
        Bytes written.

    Raises
    ------
    DataError
        HTTP or network error, too slow, past the deadline, or larger than ``limit``.
    """
    import urllib.request

    started = time.monotonic()
    got = 0
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "geohedge"})
        with urllib.request.urlopen(request, timeout=read_timeout) as response:
            total = int(response.headers.get("Content-Length") or 0)
            window_start, window_got = started, 0
            while True:
                now = time.monotonic()
                if now - started > deadline:
                    raise DataError(f"download of {url} stopped after {deadline:g} s (the limit), {got:,} bytes in")
                if now - window_start >= stall[1]:
                    if got - window_got < stall[0]:
                        raise DataError(f"download of {url} stopped: {got - window_got:,} bytes in the last {stall[1]:g} s, "
                                        f"below {stall[0]:,}; the server is stalling")
                    window_start, window_got = now, got
                chunk = response.read1(1 << 16)
                if not chunk:
                    break
                if limit is not None and got + len(chunk) > limit:
                    if stop_at_limit:
                        out.write(chunk[: limit + 1 - got])
                        return limit + 1
                    raise DataError(f"{url}: more than {limit:,} bytes, above the limit")
                got += len(chunk)
                out.write(chunk)
                if progress is not None:
                    progress(got, total)
    except DataError:
        raise
    except Exception as exc:  # urllib, socket and TLS errors: one line, no traceback
        raise DataError(f"download of {url} failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from exc
    return got


def read_url(url: str, limit: int, deadline: float = PAGE_DEADLINE_SECONDS) -> bytes:
    """The body at ``url`` (at most ``limit`` + 1 bytes, so a caller can tell it is too large)."""
    buf = io.BytesIO()
    download(url, buf, limit=limit, stop_at_limit=True, deadline=deadline)
    return buf.getvalue()


def _pooch_downloader(progressbar: bool):
    """A pooch downloader over :func:`download` (deadline, stall detection, progress bar)."""

    def fetch(url: str, output_file: str, pooch_obj: object) -> None:
        bar = None
        if progressbar:
            from tqdm import tqdm

            bar = tqdm(total=0, unit="B", unit_scale=True, ncols=79, leave=True)
        last = [0]

        def tick(got: int, total: int) -> None:
            if bar is not None:
                bar.total = total or None
                bar.update(got - last[0])
                last[0] = got

        try:
            with open(output_file, "wb") as fh:
                download(url, fh, progress=tick)
        finally:
            if bar is not None:
                bar.close()

    return fetch
