"""One test per import defect of issue 13 (items 1-3): the exact input, the one-line error
(or the correct result), and a store that is byte-identical or holds exactly the change.

Inputs are the hand-made fixtures in the official layouts (``tests/fixtures``), damaged
the way the issue describes, and the real unvotes files in ``../shared/data/unga``.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from geohedge.data.sources import baci, icio, unga
from geohedge.data.store import Provenance, Store
from geohedge.errors import DataError, InputError
from tests.conftest import FIXTURES

RELEASE = FIXTURES / "baci"
Y2021 = "BACI_HS92_Y2021_V202401b.csv"
ICIO_CSV = FIXTURES / "icio" / "2022_SML.csv"
UNDL = FIXTURES / "undl" / "ga_voting.csv"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _release(tmp_path: Path, edit=None, name: str = Y2021) -> Path:
    folder = tmp_path / "release"
    shutil.copytree(RELEASE, folder)
    if edit is not None:
        target = folder / name
        target.write_text(edit(target.read_text()))
    return folder


def _baci_store(tmp_path: Path) -> Path:
    path = tmp_path / "geohedge.duckdb"
    with Store(path) as store:
        baci.load_release(store, RELEASE)
    return path


# --- item 1: header-only UN votes ---------------------------------------------------------


@pytest.fixture
def votes_store(shared_data, tmp_path) -> Path:
    """A store holding the real unvotes data (870,109 votes)."""
    path = tmp_path / "geohedge.duckdb"
    with Store(path) as store:
        unga.load_unga(store, shared_data / "unga")
    return path


@pytest.mark.shared_data
def test_header_only_unvotes_parquet_is_refused_and_the_votes_stay(shared_data, votes_store, tmp_path):
    path = votes_store
    before = _sha(path)
    empty = tmp_path / "empty"
    empty.mkdir()
    for stem in unga.UNVOTES_FILES:
        pd.read_parquet(shared_data / "unga" / f"{stem}.parquet").head(0).to_parquet(empty / f"{stem}.parquet")
    with Store(path) as store, pytest.raises(DataError) as err:
        unga.load_unga(store, empty)
    assert str(err.value) == (f"{empty} holds no votes; nothing was imported "
                              "(import again with --replace to empty the 'unvotes' dataset)")
    assert _sha(path) == before
    with Store(path, read_only=True) as store:
        assert store.run("SELECT count(*) FROM un_votes") == [(870_109,)]


@pytest.mark.shared_data
def test_a_truncated_unvotes_release_cannot_shrink_the_votes_unasked(shared_data, votes_store, tmp_path):
    path = votes_store
    before = _sha(path)
    small = tmp_path / "small"
    small.mkdir()
    calls = pd.read_parquet(shared_data / "unga" / "un_roll_calls.parquet")
    keep = set(calls["rcid"].head(100))
    for stem in unga.UNVOTES_FILES:
        frame = pd.read_parquet(shared_data / "unga" / f"{stem}.parquet")
        frame[frame["rcid"].isin(keep)].to_parquet(small / f"{stem}.parquet")
    with Store(path) as store, pytest.raises(DataError, match=r"would leave un_votes with [\d,]+ rows instead of 870,109"):
        unga.load_unga(store, small)
    assert _sha(path) == before
    with Store(path) as store:
        loaded = unga.load_unga(store, small, replace=True)
    with Store(path, read_only=True) as store:
        assert store.run("SELECT count(DISTINCT rcid) FROM un_votes") == [(100,)] == [(loaded.roll_calls,)]


def test_header_only_undl_csv_is_refused(tmp_path):
    path = tmp_path / "geohedge.duckdb"
    with Store(path) as store:
        unga.load_unga(store, UNDL)
    before = _sha(path)
    header = tmp_path / "ga_voting.csv"
    header.write_text(UNDL.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    with Store(path) as store, pytest.raises(DataError, match=r"holds no votes; nothing was imported"):
        unga.load_unga(store, header)
    assert _sha(path) == before


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda t: t.replace("4031451,MYS,MALAYSIA,Y,2023-12-12", "4031451,MYS,MALAYSIA,Y,2023-13-45"),
         r"ga_voting.csv: line 2: date '2023-13-45' is not a date from 1946 to today"),
        (lambda t: t.replace("4031451,MYS,MALAYSIA", "100000000000000000000000,MYS,MALAYSIA"),
         r"ga_voting.csv: line 2: undl_id '100000000000000000000000' is not an integer from 1 to"),
        (lambda t: t + t.splitlines()[1] + "\n", r"ga_voting.csv: line 13: a second vote for undl_id=4031451, ms_code='MYS'"),
    ],
    ids=["bad-date", "id-1e23", "duplicate-vote"],
)
def test_undl_values_are_checked_before_loading(tmp_path, damage, message):
    bad = tmp_path / "ga_voting.csv"
    bad.write_text(damage(UNDL.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(DataError, match=message):
        unga.read_undl_csv(bad)


def _unvotes_csv(shared_data: Path, folder: Path) -> Path:
    folder.mkdir()
    for stem in unga.UNVOTES_FILES:
        frame = pd.read_parquet(shared_data / "unga" / f"{stem}.parquet")
        frame = frame[frame["rcid"] < 20]
        frame.to_csv(folder / f"{stem}.csv", index=False)
    return folder


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("stem", "edit", "message"),
    [
        ("un_roll_call_issues", lambda f: f.drop(columns="issue"), r"un_roll_call_issues.csv: missing columns \['issue'\]"),
        ("un_roll_calls", lambda f: f.assign(date=f["date"].where(f.index != 2, "1946-02-30")),
         r"un_roll_calls.csv: line 4: date '1946-02-30' is not a date from 1946 to today"),
        ("un_roll_calls", lambda f: f.assign(rcid=f["rcid"].astype(object).where(f.index != 0, "100000000000000000000000")),
         r"un_roll_calls.csv: line 2: rcid '100000000000000000000000' is not an integer from 1 to"),
        ("un_votes", lambda f: pd.concat([f, f.head(1)]), r"un_votes.csv: line \d+: a second vote for rcid=3"),
        ("un_roll_call_issues", lambda f: f.assign(short_name="xx"), r"un_roll_call_issues.csv: line 2: issue code 'xx' is not one of"),
    ],
    ids=["no-issue-column", "bad-date", "id-1e23", "duplicate-vote", "unknown-issue"],
)
def test_unvotes_files_are_checked_by_name_and_value(shared_data, tmp_path, stem, edit, message):
    folder = _unvotes_csv(shared_data, tmp_path / "csv")
    frame = pd.read_csv(folder / f"{stem}.csv", dtype=str, keep_default_na=False)
    edit(frame).to_csv(folder / f"{stem}.csv", index=False)
    with pytest.raises(DataError, match=message):
        unga.read_unvotes(folder)


# --- item 2: an ICIO year touches only that year; --year in range ------------------------


@pytest.mark.bundle
def test_icio_import_for_another_year_touches_only_that_year(bundle_home, tmp_path):
    path = tmp_path / "geohedge.duckdb"
    shutil.copyfile(bundle_home / "geohedge.duckdb", path)

    def year_2022() -> list:
        con = duckdb.connect(str(path), read_only=True)
        try:
            return [con.execute(f"SELECT * FROM {t} WHERE year = 2022 ORDER BY ALL").fetchall()
                    for t in ("icio_countries", "icio_sectors", "icio_nodes")]
        finally:
            con.close()

    before = year_2022()
    with Store(path) as store:
        icio.load_icio_csv(store, ICIO_CSV, 2021)
    assert year_2022() == before
    with Store(path, read_only=True) as store:
        assert store.run("SELECT year, count(*) FROM icio_countries GROUP BY 1 ORDER BY 1") == [(2021, 3), (2022, 80)]
        assert store.run("SELECT year, count(*) FROM icio_sectors GROUP BY 1 ORDER BY 1") == [(2021, 2), (2022, 50)]
        from geohedge.shocks.model import solve
        from geohedge.shocks.scenario import builtin_scenario
        from geohedge.views.baseline import query_baseline

        result = solve(query_baseline(store, 2022), builtin_scenario("us-tariff-mys-24"))  # raises unless it converges
    welfare = result.to_frame().set_index("country")["welfare_change"]
    assert welfare["MYS"] < 0  # a US tariff on Malaysian goods costs Malaysia real income


@pytest.mark.parametrize("year", [-5, 40000, 1994, 2999])
def test_icio_year_out_of_range_is_refused_before_reading(tmp_path, year):
    path = tmp_path / "geohedge.duckdb"
    Store(path).close()
    before = _sha(path)
    with Store(path) as store, pytest.raises(InputError, match=rf"^--year {year} is outside 1995-\d{{4}}; give a four-digit year"):
        icio.load_icio_csv(store, ICIO_CSV, year)
    assert _sha(path) == before


def test_icio_duplicate_row_label(tmp_path):
    lines = ICIO_CSV.read_text().splitlines()
    bad = tmp_path / "2022.csv"
    bad.write_text("\n".join(lines[:3] + [lines[2]] + lines[3:]) + "\n")
    with pytest.raises(DataError, match=r"2022.csv: line 4: row label 'MYS_C26' appears twice \(first at line 3\)"):
        icio.read_icio_csv(bad, 2022)


def test_icio_truncated_zip(tmp_path):
    archive = tmp_path / "2016-2022_SML.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(ICIO_CSV, "2022_SML.csv")
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) - 30])
    with Store(tmp_path / "s.duckdb") as store, pytest.raises(DataError, match=r"2016-2022_SML.zip: corrupt zip"):
        icio.load_icio_csv(store, archive, 2022)


# --- item 3: BACI values, names, duplicates, years, products ------------------------------


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("2021,156,458,260300,1250.5", "2021,156,458,260300,nan"), r"line 2: v is not a finite number >= 0"),
        (lambda t: t.replace("2021,156,458,260300,1250.5", "2021,156,458,260300,inf"), r"line 2: v is not a finite number >= 0"),
        (lambda t: t.replace("2021,156,458,260300,1250.5", "2021,156,458,260300,-3"), r"line 2: v is not a finite number >= 0"),
        (lambda t: t.replace("2021,156,458,260300,1250.5", "2021,156,458,260300,1e307"), r"line 2: v is not a finite number >= 0"),
        (lambda t: t.replace("t,i,j,k,v,q", "year,exporter,importer,product,value,quantity"), r"line 1: columns \['year', "),
        (lambda t: t + t.splitlines()[1] + "\n", r"line 6: a second row for the same year, exporter, importer and product"),
        (lambda t: t.replace("2021,156,458", "2020,156,458"), r"line 2: t differs from the file's year"),
        (lambda t: t.replace("2021,156,458,260300,1250.5,310.2", "2021,156,458,260300,1250.5,-1"), r"line 2: q is not NA or a finite number >= 0"),
    ],
    ids=["nan", "inf", "negative", "overflow", "header-names", "duplicate", "wrong-year", "negative-q"],
)
def test_bad_baci_values_are_refused_and_the_store_stays(tmp_path, edit, message):
    path = _baci_store(tmp_path)
    before = _sha(path)
    folder = _release(tmp_path, edit)
    with Store(path) as store, pytest.raises(DataError, match=rf"{Y2021}: {message}"):
        baci.load_release(store, folder)
    assert _sha(path) == before


def test_baci_columns_are_matched_by_name_not_position(tmp_path):
    """The same rows with the columns in another order load to the same table."""
    def reorder(text: str) -> str:
        rows = list(csv.reader(text.splitlines()))
        order = [1, 2, 0, 5, 4, 3]  # i, j, t, q, v, k
        return "\n".join(",".join(r[k] for k in order) for r in rows) + "\n"

    ref = tmp_path / "ref"
    ref.mkdir()
    with Store(ref / "s.duckdb") as store:
        baci.load_release(store, RELEASE)
        want = store.run("SELECT * FROM trade ORDER BY ALL")
    with Store(tmp_path / "s.duckdb") as store:
        baci.load_release(store, _release(tmp_path, reorder))
        assert store.run("SELECT * FROM trade ORDER BY ALL") == want


def test_exposure_works_after_a_refused_nan_import(tmp_path, monkeypatch):
    """Issue: after NaN/inf, 'exposure MYS --dataset baci --year 2021' died with IndexError."""
    from geohedge.views.exposure import exposure_view

    path = _baci_store(tmp_path)
    folder = _release(tmp_path, lambda t: t.replace("1250.5", "nan"))
    with Store(path) as store, pytest.raises(DataError):
        baci.load_release(store, folder)
    with Store(path, read_only=True) as store:
        view = exposure_view(store, "MYS", dataset="baci", year=2021)
    # the fixture's 2021 imports of MYS, by hand: CHN 1250.5, USA 80.125, Other Asia (TWN) 40 thousand USD
    shares = view.frame.set_index("partner")["import_share"]
    assert shares["CHN"] == pytest.approx(1250.5 / (1250.5 + 80.125 + 40.0))
    assert view.frame["import_share"].sum() == pytest.approx(1.0)


def test_years_are_added_or_replaced_exactly_and_said(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        first = baci.load_release(store, RELEASE, years=[2021])
        second = baci.load_release(store, RELEASE, years=[2022])
        third = baci.load_release(store, RELEASE, years=[2021])
        years = store.run("SELECT year, count(*) FROM trade WHERE dataset = 'baci' GROUP BY 1 ORDER BY 1")
    assert (first.added, first.replaced, first.kept) == ((2021,), (), ())
    assert (second.added, second.replaced, second.kept) == ((2022,), (), (2021,))
    assert (third.added, third.replaced, third.kept) == ((), (2021,), (2022,))
    assert second.summary() == "added 2022; kept 2021 from earlier imports"
    with RELEASE.joinpath(Y2021).open() as fh:
        n2021 = sum(1 for _ in fh) - 1
    assert years[0] == (2021, n2021) and years[1][0] == 2022


@pytest.mark.bundle
def test_a_small_release_merges_product_descriptions(bundle_home, tmp_path):
    """Issue: a 3-product release replaced all 5,022 HS92 descriptions while status still said 5,022."""
    from geohedge.data.queries import query_status

    path = tmp_path / "geohedge.duckdb"
    shutil.copyfile(bundle_home / "geohedge.duckdb", path)
    with Store(path) as store:
        baci.load_release(store, RELEASE)
    with Store(path, read_only=True) as store:
        n = store.run("SELECT count(*) FROM products WHERE classification = 'HS92'")[0][0]
        status = query_status(store)
        fixture = pd.read_csv(RELEASE / "product_codes_HS92_V202401b.csv", dtype=str)
        got = dict(store.run("SELECT code, description FROM products"))
    assert n >= 5_022
    assert all(got[c] == d for c, d in zip(fixture["code"], fixture["description"], strict=True))
    rows = {(t, d): int(n) for t, d, n in zip(status["table_name"], status["dataset"], status["rows"], strict=True)}
    assert rows[("products", "baci_raw")] == 5_022 and rows[("products", "baci")] == len(fixture)


def test_zip_member_with_a_bad_crc_is_one_data_error(tmp_path):
    archive = tmp_path / "BACI_HS92_V202401b.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        for f in sorted(RELEASE.glob("*.csv")):
            zf.write(f, f.name)
    data = bytearray(archive.read_bytes())
    at = data.index(b"2021,156,458")  # stored uncompressed: flip a digit of a year file's body
    data[at] = ord("3")
    archive.write_bytes(bytes(data))
    path = tmp_path / "s.duckdb"
    Store(path).close()
    before = _sha(path)
    with Store(path) as store, pytest.raises(DataError, match=rf"BACI_HS92_V202401b.zip: corrupt zip member '{Y2021}': Bad CRC-32"):
        baci.load_release(store, archive)
    assert _sha(path) == before


def test_zip_member_with_a_broken_deflate_stream_is_one_data_error(tmp_path):
    archive = tmp_path / "BACI_HS92_V202401b.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(RELEASE.glob("*.csv")):
            zf.write(f, f.name)
        info = zf.getinfo(Y2021)
    data = bytearray(archive.read_bytes())
    start = info.header_offset + 30 + len(info.filename)
    for k in range(start, start + 8):
        data[k] ^= 0xFF
    archive.write_bytes(bytes(data))
    with Store(tmp_path / "s.duckdb") as store, pytest.raises(DataError, match=rf"corrupt zip member '{Y2021}'"):
        baci.load_release(store, archive)


def test_baci_years_out_of_range(tmp_path):
    with Store(tmp_path / "s.duckdb") as store, pytest.raises(InputError, match=r"--years: year 40000 is outside 1988-"):
        baci.load_release(store, RELEASE, years=[40000])


def test_a_killed_zip_import_leaves_no_scratch_folder_behind(tmp_path):
    """Issue: a SIGKILL during a zip import left a 299 MB temporary folder; scratch folders
    live under <cache>/work and the next import removes those of dead processes."""
    import os
    import subprocess
    import sys

    from geohedge.data.paths import cache_dir

    archive = tmp_path / "BACI_HS92_V202401b.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in sorted(RELEASE.glob("*.csv")):
            zf.write(f, f.name)
    script = (
        "import os, signal\n"
        "from geohedge.data.sources import baci\n"
        "from geohedge.data.store import Store\n"
        "real = baci._load_year\n"
        "def killed(*a):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "baci._load_year = killed\n"
        f"with Store({str(tmp_path / 's.duckdb')!r}) as store:\n"
        f"    baci.load_release(store, {str(archive)!r})\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=os.environ.copy())
    assert done.returncode == -9, done.stderr
    left = list((cache_dir() / "work").iterdir())
    assert left and any(p.rglob("*.csv") for p in left)  # the killed import's extracted files
    with Store(tmp_path / "s.duckdb") as store:
        baci.load_release(store, archive)
    assert list((cache_dir() / "work").iterdir()) == []


def _one_row() -> pd.DataFrame:
    return pd.DataFrame({"classification": ["HS92"], "year": [2000], "exporter": ["MYS"], "importer": ["TUR"],
                         "product": ["260300"], "value_usd": [1.0], "quantity_t": [None]})


def test_provenance_of_a_refused_load_is_unchanged(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.load("baci", {"trade": _one_row()}, [Provenance("trade", "before")], scope={"year": [2000]})
    before = _sha(path)
    with Store(path) as store, pytest.raises(DataError):
        baci.load_release(store, _release(tmp_path, lambda t: t.replace("1250.5", "-1")))
    assert _sha(path) == before
