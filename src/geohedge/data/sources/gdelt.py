"""GDELT 2.0 event files (``YYYYMMDDHHMMSS.export.CSV``, optionally zipped) into ``events``.

Layout (GDELT Event Codebook V2.0): tab-separated, no header, 61 columns per line, in the
order of :data:`GDELT_COLUMNS`. Each row is one CAMEO-coded event. Canonical rows
(dataset ``gdelt``, table ``events``):

================ ===========================================================================
column           from
================ ===========================================================================
doc_id           sha256 of the file (one file is one load scope: loading it again replaces it)
event_id         GLOBALEVENTID
date             SQLDATE (YYYYMMDD)
source_code      Actor1CountryCode resolved to ISO3 through geohedge.countries; CAMEO
                 region codes that are not countries (AFR, EUR, WST, ...) are kept as given
                 and listed in the provenance note
source_name      Actor1Name
source_sector    Actor1Type1Code (GOV government, MIL military, COP police, BUS business,
                 REB/INS/SEP rebel, MED media, ...; none given: government when the actor
                 is a country)
target_*         the same from Actor2
event_type       EventCode mapped to PLOVER (:mod:`geohedge.events.cameo`); rows of CAMEO
                 roots 01 and 02 (statements, appeals) have no PLOVER type and are not
                 loaded (counted in provenance)
cameo_code       EventCode
intensity        GoldsteinScale (-10..+10)
url              SOURCEURL
================ ===========================================================================

The file is read by DuckDB directly (``read_csv`` with the 61 columns declared, strict:
a line with another field count fails naming the file and line), never through pandas,
so a 15-minute export loads in well under a second.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geohedge.data.sources._common import csv_error, file_sha256
from geohedge.data.store import Provenance, registered
from geohedge.errors import DataError, InputError

__all__ = ["GDELT_COLUMNS", "SECTOR_CODES", "GdeltLoad", "load_gdelt"]

#: The 61 columns of a GDELT 2.0 event export, in file order.
GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)
_TYPED = {"GLOBALEVENTID": "BIGINT", "SQLDATE": "INTEGER", "GoldsteinScale": "DOUBLE"}
#: The columns geohedge keeps (DuckDB skips converting the others).
_USED = ("GLOBALEVENTID", "SQLDATE", "Actor1Name", "Actor1CountryCode", "Actor1Type1Code", "Actor2Name",
         "Actor2CountryCode", "Actor2Type1Code", "EventCode", "GoldsteinScale", "SOURCEURL")

#: CAMEO actor type codes and the geohedge sector they become.
SECTOR_CODES = {
    "GOV": "government", "SPY": "government", "MIL": "military", "COP": "police", "JUD": "judiciary",
    "LEG": "legislature", "OPP": "opposition", "REB": "rebel", "INS": "rebel", "SEP": "rebel", "UAF": "rebel",
    "CRM": "rebel", "BUS": "business", "MNC": "business", "CVL": "civilian", "LAB": "civilian", "EDU": "civilian",
    "REF": "civilian", "AGR": "civilian", "HLH": "civilian", "MOD": "civilian", "RAD": "civilian", "MED": "media",
    "ELI": "elite", "IGO": "igo", "NGO": "ngo", "NGM": "ngo", "ENV": "ngo", "HRI": "ngo",
}


@dataclass(frozen=True)
class GdeltLoad:
    """What :func:`load_gdelt` loaded."""

    files: int
    rows_read: int
    events: int
    without_plover: int
    unmapped_codes: tuple[str, ...] = field(default_factory=tuple)


def _columns_sql() -> str:
    return "{" + ", ".join(f"'{c}': '{_TYPED.get(c, 'VARCHAR')}'" for c in GDELT_COLUMNS) + "}"


def _unzip(path: Path, into: Path) -> Path:
    try:
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if not n.endswith("/")]
            if len(names) != 1:
                raise DataError(f"{path}: a GDELT zip holds one export file, this one holds {len(names)}")
            target = into / Path(names[0]).name
            with zf.open(names[0]) as src, target.open("wb") as dst:
                while block := src.read(1 << 20):
                    dst.write(block)
            return target
    except zipfile.BadZipFile as exc:
        raise DataError(f"{path}: not a valid zip file: {exc}") from exc


def _map_codes(codes: Sequence[str]) -> tuple[pd.DataFrame, list[str]]:
    from geohedge.countries import resolve_many

    resolved = resolve_many(c for c in codes if c)
    rows, unmapped = [], []
    for code in codes:
        iso3 = resolved.get(code) if code else None
        # Only exact code matches: a three-letter CAMEO region must not resolve by name.
        if iso3 is None or len(code) != 3:
            unmapped.append(code)
            iso3 = code
        rows.append((code, iso3))
    return pd.DataFrame(rows, columns=["code", "iso3"]), sorted(c for c in unmapped if c)


def _writer(source: Path, doc_id: str, stats: dict[str, object]) -> Callable:
    def write(con, table: str) -> None:
        try:
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE _gdelt AS SELECT {', '.join(_USED)} FROM read_csv(?, delim = '\t', header = false, "
                f"quote = '', escape = '', auto_detect = false, strict_mode = true, columns = {_columns_sql()})",
                [str(source)],
            )
        except Exception as exc:  # duckdb.Error: malformed line, wrong field count, bad number
            raise csv_error(str(source), exc) from exc
        codes = [r[0] for r in con.execute(
            "SELECT DISTINCT c FROM (SELECT Actor1CountryCode AS c FROM _gdelt UNION SELECT Actor2CountryCode FROM _gdelt) "
            "WHERE c IS NOT NULL ORDER BY c").fetchall()]
        mapping, unmapped = _map_codes(codes)
        from geohedge.events.cameo import cameo_table

        cameo = cameo_table()[["cameo", "plover"]]
        sectors = pd.DataFrame(list(SECTOR_CODES.items()), columns=["type_code", "sector"])
        with registered(con, "_codes", mapping), registered(con, "_cameo", cameo), registered(con, "_sectors", sectors):
            con.execute(f"""
                INSERT INTO {table} BY NAME
                SELECT 'gdelt' AS dataset, ? AS doc_id, CAST(g.GLOBALEVENTID AS VARCHAR) AS event_id,
                       strptime(CAST(g.SQLDATE AS VARCHAR), '%Y%m%d')::DATE AS date,
                       m1.iso3 AS source_code, g.Actor1Name AS source_name,
                       coalesce(s1.sector, CASE WHEN m1.iso3 IS NOT NULL THEN 'government' END) AS source_sector,
                       m2.iso3 AS target_code, g.Actor2Name AS target_name,
                       coalesce(s2.sector, CASE WHEN m2.iso3 IS NOT NULL THEN 'government' END) AS target_sector,
                       coalesce(c4.plover, c3.plover, c2.plover) AS event_type, g.EventCode AS cameo_code,
                       g.GoldsteinScale AS intensity, NULL AS confidence, NULL AS trigger, NULL AS sentence,
                       g.SOURCEURL AS url, '' AS mode, FALSE AS background, 1 AS repeats
                FROM _gdelt g
                LEFT JOIN _codes m1 ON m1.code = g.Actor1CountryCode
                LEFT JOIN _codes m2 ON m2.code = g.Actor2CountryCode
                LEFT JOIN _sectors s1 ON s1.type_code = g.Actor1Type1Code
                LEFT JOIN _sectors s2 ON s2.type_code = g.Actor2Type1Code
                LEFT JOIN _cameo c4 ON c4.cameo = g.EventCode
                LEFT JOIN _cameo c3 ON c3.cameo = substr(g.EventCode, 1, 3)
                LEFT JOIN _cameo c2 ON c2.cameo = substr(g.EventCode, 1, 2)
                WHERE coalesce(c4.plover, c3.plover, c2.plover) IS NOT NULL AND g.GoldsteinScale IS NOT NULL
            """, [doc_id])
        stats["rows"] = con.execute("SELECT count(*) FROM _gdelt").fetchone()[0]
        stats["unmapped"] = unmapped
        con.execute("DROP TABLE _gdelt")

    return write


def load_gdelt(
    store,
    paths: Sequence[str | Path] | str | Path,
    *,
    progress: Callable[[str, int, int], None] | None = None,
) -> GdeltLoad:
    """Load GDELT 2.0 event export files into the store, one atomic load per file.

    Parameters
    ----------
    store
        An open, writable :class:`geohedge.data.store.Store`.
    paths
        Export files (``*.export.CSV`` or the ``*.export.CSV.zip`` GDELT publishes), or a
        folder of them.

    Raises
    ------
    InputError
        A path does not exist or a folder holds no export file.
    DataError
        A malformed file (wrong field count, bad number, bad zip); that file's load is
        rolled back, files loaded before it stay.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    files: list[Path] = []
    for p in map(Path, paths):
        if not p.exists():
            raise InputError(f"{p} does not exist; pass GDELT export files (*.export.CSV[.zip]) or a folder of them")
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.is_file() and ".export." in f.name.lower())
            if not found:
                raise InputError(f"{p}: no GDELT export files (*.export.CSV or *.export.CSV.zip) in this folder")
            files += found
        else:
            files.append(p)
    rows = events = dropped = 0
    unmapped: set[str] = set()
    for n, f in enumerate(files, start=1):
        if progress:
            progress(f.name, n - 1, len(files))
        if f.stat().st_size == 0:
            raise DataError(f"{f}: empty file; a GDELT export has one event per line")
        doc_id = file_sha256(f)
        stats: dict[str, object] = {}
        with tempfile.TemporaryDirectory() as tmp:
            source = _unzip(f, Path(tmp)) if f.suffix.lower() == ".zip" else f
            counts = store.load(
                "gdelt",
                {"events": _writer(source, doc_id, stats)},
                [Provenance("events", "GDELT 2.0 event export (CAMEO codes mapped to PLOVER)", "GDELT 2.0",
                            str(f), doc_id, note=None)],
                scope={"doc_id": doc_id},
            )
        n_rows = int(stats.get("rows", 0))
        codes = sorted(stats.get("unmapped", []))  # type: ignore[arg-type]
        note = (f"{n_rows} rows read; {n_rows - counts.get('events', 0)} without a PLOVER type (CAMEO 01/02) not loaded"
                + (f"; codes kept as given (not countries): {', '.join(codes[:20])}" if codes else ""))
        store.run("UPDATE provenance SET note = ? WHERE dataset = 'gdelt' AND scope = ?", [note, f"doc_id={doc_id}"])
        rows += n_rows
        events += counts.get("events", 0)
        dropped += n_rows - counts.get("events", 0)
        unmapped |= set(stats.get("unmapped", []))  # type: ignore[arg-type]
    if progress:
        progress("done", len(files), len(files))
    return GdeltLoad(files=len(files), rows_read=rows, events=events, without_plover=dropped,
                     unmapped_codes=tuple(sorted(unmapped)))
