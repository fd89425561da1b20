"""Shipped UN votes and published estimates: rebuilt from ../shared/data they are the same
files; the reader gives one canonical frame from the CSV and the shipped Parquet; the
loader checks hashes before writing and records the source's attribution."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from geohedge.data.derived import read_manifest, shipped_dir
from geohedge.data.derived import unga as builder
from geohedge.data.sources._common import file_sha256
from geohedge.data.sources.unga_idealpoints import SHIPPED_FILES, load_shipped_unga, read_idealpoints
from geohedge.data.store import Store
from geohedge.errors import DataError, InputError

CSV = "unga-idealpoints/IdealpointestimatesAll_Jun2024.csv"


@pytest.mark.shared_data
def test_rebuilt_files_equal_the_shipped_ones(shared_data, tmp_path):
    built = builder.build(shared_data, tmp_path)
    assert sorted(e.file for e in built) == sorted(SHIPPED_FILES)
    manifest = read_manifest()
    for entry in built:
        shipped = manifest.get(entry.file)
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / entry.file), pd.read_parquet(shipped_dir() / entry.file), check_exact=True)
        assert entry.sha256 == shipped.sha256 and entry.inputs == shipped.inputs
        for inp in shipped.inputs:
            assert file_sha256(shared_data / inp.path) == inp.sha256, inp.path
        assert shipped.attribution and shipped.licence and "@" in shipped.taken_from and shipped.release


@pytest.mark.shared_data
def test_votes_ship_unchanged(shared_data):
    """The shipped files read to the same canonical votes as the shared unvotes folder
    (Parquet re-encoding keeps values; the source's pandas extension dtypes are not kept)."""
    from geohedge.data.sources.unga import read_unvotes

    shipped, shared = read_unvotes(shipped_dir()), read_unvotes(shared_data / "unga")
    for name in ("votes", "roll_calls", "issues"):
        pd.testing.assert_frame_equal(getattr(shipped, name), getattr(shared, name))
    for stem in ("un_votes", "un_roll_calls", "un_roll_call_issues"):
        pd.testing.assert_frame_equal(pd.read_parquet(shipped_dir() / f"{stem}.parquet"), pd.read_parquet(shared_data / "unga" / f"{stem}.parquet"),
                                      check_dtype=False)


@pytest.mark.shared_data
def test_csv_and_shipped_parquet_read_the_same(shared_data):
    a = read_idealpoints(shared_data / CSV)
    b = read_idealpoints(shipped_dir() / "unga_idealpoints.parquet")
    cols = ["country", "session"]
    pd.testing.assert_frame_equal(a.ideal_points.sort_values(cols, ignore_index=True), b.ideal_points.sort_values(cols, ignore_index=True))
    pd.testing.assert_frame_equal(a.agreement, b.agreement)
    raw = pd.read_csv(shared_data / CSV)
    assert len(a.ideal_points) == len(raw) == 11238 and not a.unmapped
    assert a.agreement["agreement"].notna().all() and len(a.agreement) == int(raw[list(builder.IDEALPOINT_COLUMNS[13:])].notna().sum().sum())
    # both Yemens are coded YAR in the file; COW 680 is the Yemen People's Republic
    assert set(a.ideal_points.loc[a.ideal_points["ccode"] == 680, "country"]) == {"YMD"}
    mys = a.agreement[(a.agreement["country"] == "MYS") & (a.agreement["session"] == 74)].set_index("partner")["agreement"]
    assert mys["USA"] == pytest.approx(13 / 91) and set(mys.index) == {"USA", "RUS", "BRA", "CHN", "IND", "ISR"}


def test_bad_files(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_idealpoints(tmp_path / "nope.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("ccode,session\n2,1\n")
    with pytest.raises(DataError, match="missing columns"):
        read_idealpoints(bad)
    frame = pd.read_parquet(shipped_dir() / "unga_idealpoints.parquet").head(5)
    frame.loc[2, "USAgree"] = 1.5
    frame.to_csv(tmp_path / "range.csv", index=False)
    with pytest.raises(DataError, match=r"agreement outside 0-1 \(first at lines \[4\]\)"):
        read_idealpoints(tmp_path / "range.csv")
    twice = pd.concat([frame.iloc[[0]], frame.iloc[[0]]])
    twice.to_csv(tmp_path / "twice.csv", index=False)
    with pytest.raises(DataError, match="repeat a country in a session, first USA in session 1"):
        read_idealpoints(tmp_path / "twice.csv")


def test_load_records_provenance(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        rows = load_shipped_unga(store)
        assert rows["unvotes"] == {"un_votes": 870109, "un_roll_calls": 6203, "un_roll_call_issues": 5745}
        assert rows["bsv"]["un_ideal_points"] == 11238
        prov = store.provenance().set_index("table_name")
        manifest = read_manifest()
        for table, name in (("un_votes", "un_votes.parquet"), ("un_ideal_points", "unga_idealpoints.parquet")):
            entry = manifest.get(name)
            assert prov.loc[table, "sha256"] == entry.sha256 and prov.loc[table, "version"] == entry.release
            assert entry.attribution in prov.loc[table, "note"] and entry.taken_from in prov.loc[table, "note"]
        assert store.run("SELECT count(DISTINCT country) FROM un_votes WHERE dataset = 'unvotes' AND country IS NULL")[0][0] == 0


def test_altered_file_stops_the_load_before_anything_is_written(tmp_path):
    folder = tmp_path / "derived"
    shutil.copytree(shipped_dir(), folder)
    data = bytearray((folder / "un_votes.parquet").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / "un_votes.parquet").write_bytes(bytes(data))
    with Store(tmp_path / "s.duckdb") as store:
        with pytest.raises(DataError, match="shipped data file un_votes.parquet: sha256 .* does not match the manifest"):
            with store.batch():
                load_shipped_unga(store, folder)
        assert store.run("SELECT count(*) FROM un_votes")[0][0] == 0
