import csv
import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geohedge.data.sources import icio
from geohedge.data.store import Store
from geohedge.errors import DataError
from tests.conftest import FIXTURES

CSV = FIXTURES / "icio" / "2022_SML.csv"


def _cells():
    """The fixture read with the csv module: {(row_label, col_label): value}."""
    with CSV.open() as fh:
        rows = list(csv.reader(fh))
    head = rows[0]
    return {(r[0], head[k]): float(v) for r in rows[1:] for k, v in enumerate(r) if k and v}


def test_official_csv_layout_parses():
    t = icio.read_icio_csv(CSV, 2022)
    cells = _cells()
    assert t.countries == ("MYS", "TUR", "ROW") and t.sectors == ("A01", "C26")
    assert not t.approximate
    # Z is the country-sector block; F sums the six final-demand categories per destination
    assert t.Z[1, 2] == cells[("MYS_C26", "TUR_A01")]
    fd = ("HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR")
    assert t.F[0, 1] == sum(cells[("MYS_A01", f"TUR_{c}")] for c in fd)
    # output is the OUT column; value added (incl. taxes on intermediates) is output minus inputs
    assert t.x[3] == cells[("TUR_C26", "OUT")]
    inputs = sum(cells[(f"{c}_{s}", "TUR_C26")] for c in ("MYS", "TUR", "ROW") for s in ("A01", "C26"))
    assert t.va[3] == cells[("TUR_C26", "OUT")] - inputs
    assert t.va[3] == cells[("VA", "TUR_C26")] + cells[("TLS", "TUR_C26")]


def test_bilateral_trade_from_table():
    t = icio.read_icio_csv(CSV, 2022)
    trade = t.bilateral_trade().set_index(["exporter", "importer", "sector"])["value_usd_mn"]
    cells = _cells()
    fd = ("HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR")
    expected = sum(cells[("MYS_C26", f"TUR_{s}")] for s in ("A01", "C26")) + sum(cells[("MYS_C26", f"TUR_{c}")] for c in fd)
    assert trade[("MYS", "TUR", "C26")] == expected
    assert not any(e == i for e, i, _ in trade.index)


def test_extended_release_regions_merge(tmp_path):
    """MX1/MX2-style split regions fold into their country."""
    text = CSV.read_text().replace("TUR_", "CN1_")
    extended = tmp_path / "2022.csv"
    extended.write_text(text)
    t = icio.read_icio_csv(extended, 2022)
    assert t.countries == ("MYS", "CHN", "ROW")


def test_store_frames_load(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        counts = icio.load_icio_csv(store, CSV, 2022)
        nodes = store.query("SELECT * FROM icio_nodes ORDER BY country, sector")
        prov = store.provenance()
    assert counts["icio_nodes"] == 6 and counts["icio_flows"] == 36
    assert not prov["approximate"].any()
    assert np.allclose(nodes.intermediate_sales_usd_mn + nodes.final_sales_usd_mn, nodes.output_usd_mn)


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda lines: lines[:4], r"2022.csv: line 4: file ends after 3 country-sector rows but has 6 country-sector columns; truncated file\?"),
        (lambda lines: lines[:3] + [lines[3][: len(lines[3]) // 2]] + lines[4:], r"2022.csv: line 4: 1 rows have empty cells; truncated file\?"),
        (lambda lines: lines[:2] + [lines[2].replace(",3,", ",3,x,", 1)] + lines[3:], r"2022.csv: line 3: malformed CSV: .*Expected 26 fields in line 3, saw 27"),
        (lambda lines: lines[:2] + [lines[2].replace(",3,", ",300,", 1)] + lines[3:], r"row MYS_C26: intermediate plus final sales differ from OUT by 297"),
        (lambda lines: ["a,b"] + lines[1:3], r"not the ICIO layout|malformed CSV"),
    ],
    ids=["missing-rows", "cut-line", "extra-field", "unbalanced", "not-icio"],
)
def test_malformed_csv(tmp_path, damage, message):
    lines = CSV.read_text().splitlines()
    bad = tmp_path / "2022.csv"
    bad.write_text("\n".join(damage(lines)) + "\n")
    with pytest.raises(DataError, match=message):
        icio.read_icio_csv(bad, 2022)


def test_bench_cache_layout_parses_to_same_table(tmp_path):
    """The same fixture written in the bundle's npz layout gives the same Z and outputs."""
    t = icio.read_icio_csv(CSV, 2022)
    N, J = t.n_countries, t.n_sectors
    # to sector-major order: old node j*N + n holds country n, sector j
    order = np.array([n * J + j for j in range(J) for n in range(N)])
    Zs, xs = t.Z[np.ix_(order, order)], t.x[order]
    omb = Zs.sum(axis=0) / xs
    A = Zs / Zs.sum(axis=0)[None, :]
    buf = io.BytesIO()
    np.savez(buf, A=A, omb=omb, z=t.F.sum(axis=1)[order], s=xs, go=xs, countries=np.array(t.countries),
             sectors=np.array(t.sectors), audit=np.array('{"s_vs_go_max_reldiff": 0.0}'))
    buf.seek(0)
    b = icio.read_bench_cache(buf, "code,name\nMYS,Malaysia\nTUR,Türkiye\nROW,Rest\n", "code,name\nA01,Agri\nC26,Electronics\n")
    assert b.countries == t.countries and b.approximate
    assert np.allclose(b.Z, t.Z) and np.allclose(b.x, t.x) and np.allclose(b.va, t.va)
    assert np.allclose(b.F.sum(axis=1), t.F.sum(axis=1))


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 4), st.integers(1, 3), st.integers(0, 2**32 - 1))
def test_bench_cache_allocation_preserves_final_sales(N, J, seed):
    rng = np.random.default_rng(seed)
    NJ = N * J
    A = rng.random((NJ, NJ))
    A /= A.sum(axis=0)[None, :]
    omb = rng.uniform(0.2, 0.8, NJ)
    z = rng.uniform(0, 100, NJ)
    # s solves s = A (omb * s) + z
    s = np.linalg.solve(np.eye(NJ) - A * omb[None, :], z)
    buf = io.BytesIO()
    np.savez(buf, A=A, omb=omb, z=z, s=s, go=s, countries=np.array([f"C{k}" for k in range(N)]), sectors=np.array([f"S{k}" for k in range(J)]))
    buf.seek(0)
    t = icio.read_bench_cache(buf, "code,name\n", "code,name\n")
    assert np.allclose(t.F.sum(axis=1).sum(), z.sum())
    assert np.allclose(t.x.sum(), s.sum())
    assert (t.F >= 0).all()


def test_store_round_trip(tmp_path):
    from geohedge.data.queries import query_icio_years, query_iotable

    t = icio.read_icio_csv(CSV, 2022)
    with Store(tmp_path / "s.duckdb") as store:
        icio.load_icio_csv(store, CSV, 2022)
        back = query_iotable(store, 2022)
        assert query_icio_years(store) == [2022]
        with pytest.raises(Exception, match=r"no input-output table for 2021; available years: 2022"):
            query_iotable(store, 2021)
    assert back.countries == t.countries and back.sectors == t.sectors
    assert np.array_equal(back.Z, t.Z) and np.array_equal(back.F, t.F) and not back.approximate


def test_fetch_zip_with_injected_transport_then_import(tmp_path):
    import zipfile
    from pathlib import Path

    archive = tmp_path / "served.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(CSV, "2022_SML.csv")

    def transport(url, output_file, pooch_obj):
        Path(output_file).write_bytes(archive.read_bytes())

    got = icio.fetch_release("https://example.invalid/icio/2016-2022_SML.zip", downloader=transport, progressbar=False)
    with Store(tmp_path / "s.duckdb") as store:
        assert icio.load_icio_csv(store, got, 2022)["icio_nodes"] == 6
        with pytest.raises(Exception, match="no CSV for 2019 inside"):
            icio.load_icio_csv(store, got, 2019)
