import csv
import shutil
import zipfile
from pathlib import Path

import pytest

from geohedge.data.sources import baci
from geohedge.data.store import Provenance, Store
from geohedge.errors import DataError, InputError
from tests.conftest import FIXTURES

RELEASE = FIXTURES / "baci"


def _raw_rows():
    """The fixture's rows read with the csv module, independently of the loader."""
    rows = []
    for f in sorted(RELEASE.glob("BACI_*.csv")):
        with f.open() as fh:
            rows += list(csv.DictReader(fh))
    return rows


def test_release_streams_into_canonical_trade(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        counts = baci.load_release(store, RELEASE)
        trade = store.query("SELECT * FROM trade ORDER BY year, exporter, importer, product")
        products = store.query("SELECT * FROM products ORDER BY code")
    raw = _raw_rows()
    assert (counts.trade_rows, counts.products, counts.added) == (len(raw), 3, (2021, 2022))
    assert set(trade["dataset"]) == {"baci"} and set(trade["classification"]) == {"HS92"}
    # BACI v is thousands of USD
    assert trade["value_usd"].sum() == pytest.approx(sum(float(r["v"]) for r in raw) * 1000)
    assert (trade["value_usd"] > 0).all()
    # BACI's own codes: 842 USA, 699 India, 490 Other Asia nes = Taiwan; 697 kept as its label
    assert {"USA", "IND", "TWN", "CHN", "MYS", "TUR", "R20"} == set(trade["exporter"]) | set(trade["importer"])
    # space-padded NA quantities are null, HS6 codes keep their leading zero
    assert trade.loc[trade["exporter"] == "USA", "quantity_t"].isna().all()
    assert "010121" in set(trade["product"]) and "010121" in set(products["code"])


def test_release_from_official_zip_and_year_filter(tmp_path):
    archive = tmp_path / "BACI_HS92_V202401b.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in RELEASE.glob("*.csv"):
            zf.write(f, f.name)
    with Store(tmp_path / "s.duckdb") as store:
        baci.load_release(store, archive, years=[2022])
        assert store.run("SELECT DISTINCT year FROM trade") == [(2022,)]
        prov = store.provenance()
    assert prov.loc[prov.table_name == "trade", "sha256"].item()


def test_missing_year_is_an_input_error(tmp_path):
    with Store(tmp_path / "s.duckdb") as store, pytest.raises(InputError, match=r"no BACI file for years \[1999\]"):
        baci.load_release(store, RELEASE, years=[1999])


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda text: text.rstrip("\n").rsplit(",", 3)[0] + "\n", r"BACI_HS92_Y2022_V202401b.csv: line 6: malformed CSV: Expected Number of Columns: 6 Found: 3"),
        (lambda text: text.replace("2022,699,792", "2022,699,abc"), r"BACI_HS92_Y2022_V202401b.csv: line 5: malformed CSV: .*column \"j\""),
        (lambda text: text.replace("2022,699,792", "2022,699,111"), r"BACI_HS92_Y2022_V202401b.csv: line 5: j \(importer\) is not in country_codes_V202401b.csv \(t=2022, i=699, j=111, .*\); 1 row like it"),
    ],
    ids=["truncated", "not-a-number", "unknown-code"],
)
def test_malformed_release_names_file_and_line_and_keeps_store(tmp_path, damage, message):
    folder = tmp_path / "release"
    shutil.copytree(RELEASE, folder)
    target = folder / "BACI_HS92_Y2022_V202401b.csv"
    target.write_text(damage(target.read_text()))
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.load("baci", {"trade": _one_row()}, [Provenance("trade", "before")])
        with pytest.raises(DataError, match=message):
            baci.load_release(store, folder)
        assert store.run("SELECT count(*), min(source) FROM trade, provenance WHERE provenance.table_name = 'trade'") == [(1, "before")]


def _one_row():
    import pandas as pd

    return pd.DataFrame({"classification": ["HS92"], "year": [2000], "exporter": ["MYS"], "importer": ["TUR"],
                         "product": ["260300"], "value_usd": [1.0], "quantity_t": [None]})


def test_country_codes_file_errors(tmp_path):
    bad = tmp_path / "country_codes_V1.csv"
    bad.write_text("country_code,country_name,country_iso2,country_iso3\n458,Malaysia,MY,MYS\nxx,Nowhere,,NWH\n")
    with pytest.raises(DataError, match=r"country_codes_V1.csv: line 3: country_code 'xx' is not a number"):
        baci.read_country_codes(bad)


def _zip_fixture(path):
    with zipfile.ZipFile(path, "w") as zf:
        for f in sorted(RELEASE.glob("*.csv")):
            zf.write(f, f.name)
    return path


def test_fetch_uses_injected_transport_and_checks_hash(tmp_path):
    from geohedge.data.sources._common import file_sha256

    source = _zip_fixture(tmp_path / "served.zip")
    seen = []

    def transport(url, output_file, pooch_obj):
        seen.append(url)
        Path(output_file).write_bytes(source.read_bytes())

    got = baci.fetch_release(known_hash=f"sha256:{file_sha256(source)}", downloader=transport, progressbar=False)
    assert seen == ["https://www.cepii.fr/DATA_DOWNLOAD/baci/data/BACI_HS92_V202401b.zip"]
    with Store(tmp_path / "s.duckdb") as store:
        assert baci.load_release(store, got).trade_rows == 9


def test_corrupt_download_is_rejected_and_store_untouched(tmp_path):
    source = _zip_fixture(tmp_path / "served.zip")

    def transport(url, output_file, pooch_obj):
        Path(output_file).write_bytes(source.read_bytes()[:-100])

    with pytest.raises(DataError, match=r"corrupt download of https://www.cepii.fr/.*BACI_HS92_V202401b.zip"):
        baci.fetch_release(known_hash="sha256:" + "0" * 64, downloader=transport, progressbar=False)
    from geohedge.data.paths import cache_dir

    assert not list((cache_dir() / "baci").glob("*BACI_HS92_V202401b.zip"))
