import pandas as pd
import pytest

from geohedge.data.sources import unga
from geohedge.data.store import Store
from geohedge.errors import DataError, InputError
from tests.conftest import FIXTURES

UNDL = FIXTURES / "undl" / "ga_voting.csv"


def test_undl_csv(tmp_path):
    data = unga.read_undl_csv(UNDL)
    assert data.dataset == "undl" and data.unmapped == []
    assert len(data.votes) == 11 and len(data.roll_calls) == 2
    v = data.votes.set_index(["rcid", "country"])["vote"]
    assert v[(4031451, "USA")] == "no" and v[(4031451, "RUS")] == "abstain"
    assert v[(4031451, "VEN")] == "absent" and v[(4031452, "MYS")] == "abstain"
    calls = data.roll_calls.set_index("rcid")
    assert calls.loc[4031452, "short"] == "Fixture resolution two, with a comma"
    assert str(calls.loc[4031451, "date"]) == "2023-12-12" and calls.loc[4031451, "session"] == 78
    with Store(tmp_path / "s.duckdb") as store:
        loaded = unga.load_unga(store, UNDL)
        assert (loaded.votes, loaded.roll_calls, loaded.year_min) == (11, 2, 2023)
        assert store.run("SELECT count(*) FROM un_votes WHERE dataset = 'undl'") == [(11,)]


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda lines: lines[:-1] + [lines[-1][:40]], r"ga_voting.csv: line 12: malformed CSV: Expected Number of Columns: 19 Found: 5"),
        (lambda lines: lines[:3] + [lines[3].replace(",N,", ",MAYBE,")] + lines[4:], r"ga_voting.csv: line 4: unknown vote code 'MAYBE'"),
        (lambda lines: lines[:2] + [lines[2] + ",extra,fields"] + lines[3:], r"ga_voting.csv: line 3: malformed CSV: Expected Number of Columns: 19 Found: \d+"),
        (lambda lines: [lines[0].replace("ms_code", "country")] + lines[1:], r"missing columns \['ms_code'\]"),
    ],
    ids=["truncated", "bad-vote", "extra-fields", "missing-column"],
)
def test_malformed_undl_csv_keeps_store(tmp_path, damage, message):
    bad = tmp_path / "ga_voting.csv"
    bad.write_text("\n".join(damage(UNDL.read_text(encoding="utf-8").splitlines())) + "\n", encoding="utf-8")
    with Store(tmp_path / "s.duckdb") as store:
        unga.load_unga(store, UNDL)
        before = store.run("SELECT * FROM un_votes ORDER BY ALL")
        with pytest.raises(DataError, match=message):
            unga.load_unga(store, bad)
        assert store.run("SELECT * FROM un_votes ORDER BY ALL") == before


def test_missing_inputs(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        unga.read_undl_csv(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="no un_votes.parquet or un_votes.csv"):
        unga.read_unvotes(tmp_path)


@pytest.mark.shared_data
def test_unvotes_real_data(shared_data, tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        loaded = unga.load_unga(store, shared_data / "unga")
        assert loaded.votes == 870_109 and loaded.roll_calls == 6_203
        assert (loaded.year_min, loaded.year_max) == (1946, 2020)  # session 74 ends in January 2020
        # every vote maps to a country: former states to their ISO 3166-3 code, FRG to DEU
        assert loaded.unmapped == []
        codes = dict(store.run("SELECT country_name, any_value(country) FROM un_votes GROUP BY 1"))
        assert codes["Federal Republic of Germany"] == "DEU"
        assert codes["German Democratic Republic"] == "DDR"
        assert codes["Yugoslavia"] == "YUG" and codes["Czechoslovakia"] == "CSK"
        assert codes["Yemen Arab Republic"] == "YAR" and codes["Zanzibar"] == "ZZB"
        # a roll call checked by hand in the raw file: rcid 3, the United States voted yes, Canada no
        raw = pd.read_parquet(shared_data / "unga" / "un_votes.parquet")
        want = raw[raw.rcid == 3].set_index("country_code")["vote"].to_dict()
        got = dict(store.run("SELECT country_code, vote FROM un_votes WHERE rcid = 3"))
        assert got == want and got["US"] == "yes" and got["CA"] == "no"
        again = unga.load_unga(store, shared_data / "unga")
        assert store.run("SELECT count(*) FROM un_votes") == [(again.votes,)]


def test_fetch_undl_with_injected_transport(tmp_path):
    from pathlib import Path

    def transport(url, output_file, pooch_obj):
        Path(output_file).write_bytes(UNDL.read_bytes())

    got = unga.fetch_undl("https://digitallibrary.un.org/record/4060887/files/ga_voting.csv", downloader=transport, progressbar=False)
    assert got.name.endswith("ga_voting.csv")
    assert len(unga.read_undl_csv(got).votes) == 11


@pytest.mark.shared_data
def test_unvotes_csv_layout_and_truncation(shared_data, tmp_path):
    """The unvotes files exported as CSV parse like the Parquet ones; a cut file names its line."""
    folder = tmp_path / "csv"
    folder.mkdir()
    for stem in unga.UNVOTES_FILES:
        frame = pd.read_parquet(shared_data / "unga" / f"{stem}.parquet")
        if stem == "un_votes":
            frame = frame[frame.rcid < 100]
        frame.to_csv(folder / f"{stem}.csv", index=False)
    data = unga.read_unvotes(folder)
    assert data.votes["rcid"].max() < 100 and set(data.votes["vote"]) == {"yes", "no", "abstain"}
    text = (folder / "un_votes.csv").read_text()
    (folder / "un_votes.csv").write_text(text[: len(text) - 25])
    n_lines = text[: len(text) - 25].count("\n") + 1
    with pytest.raises(DataError, match=rf"un_votes.csv: line {n_lines}: malformed CSV"):
        unga.read_unvotes(folder)
