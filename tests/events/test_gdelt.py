import zipfile

import pytest

from geohedge.views.events import query_events
from geohedge.data.sources.gdelt import GDELT_COLUMNS, load_gdelt
from geohedge.data.store import Store
from geohedge.errors import DataError

from .conftest import GDELT_FIXTURE


def test_fixture_layout_is_61_columns():
    assert len(GDELT_COLUMNS) == 61
    for line in GDELT_FIXTURE.read_text().splitlines():
        assert len(line.split("\t")) == 61


def test_load_maps_cameo_and_countries():
    with Store() as store:
        result = load_gdelt(store, GDELT_FIXTURE)
        assert (result.rows_read, result.events, result.without_plover) == (7, 6, 1)
        assert result.unmapped_codes == ("AFR",)
        ev = query_events(store, dataset="gdelt").set_index("event_id")
        # Expected values read off the hand-made rows and the PLOVER CAMEO table:
        # 057 sign formal agreement -> support; 163 embargo -> coerce; 042 visit -> consult;
        # 190 conventional military force -> assault; 1121 accuse of crime -> accuse; 061 -> cooperate.
        assert ev.loc["1200000001", ["source_code", "event_type", "target_code", "intensity"]].tolist() == ["MYS", "support", "TUR", 8.0]
        assert ev.loc["1200000002", ["source_code", "event_type", "target_code"]].tolist() == ["USA", "coerce", "MYS"]
        assert ev.loc["1200000003", "event_type"] == "consult"
        assert ev.loc["1200000004", ["event_type", "source_sector"]].tolist() == ["assault", "military"]
        assert ev.loc["1200000006", "source_code"] == "AFR"
        assert ev.loc["1200000007", "source_sector"] == "business" and ev.loc["1200000007", "target_code"] is None
        assert "1200000005" not in ev.index
        assert str(ev.loc["1200000001", "date"])[:10] == "2025-06-01"


def test_reload_is_idempotent_and_zip_is_read(tmp_path):
    archive = tmp_path / "20250720000000.export.CSV.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(GDELT_FIXTURE, GDELT_FIXTURE.name)
    with Store() as store:
        load_gdelt(store, GDELT_FIXTURE)
        load_gdelt(store, GDELT_FIXTURE)
        assert store.run("SELECT count(*) FROM events")[0][0] == 6
        assert load_gdelt(store, archive).events == 6
        assert store.run("SELECT count(*) FROM events")[0][0] == 12  # another file: its own scope


def test_malformed_file_rolls_back(tmp_path):
    lines = GDELT_FIXTURE.read_text().splitlines()
    broken = tmp_path / "20250721000000.export.CSV"
    broken.write_text("\n".join([lines[0], "\t".join(lines[1].split("\t")[:60]), lines[2]]) + "\n")
    with Store() as store:
        with pytest.raises(DataError, match=r"20250721000000.export.CSV"):
            load_gdelt(store, broken)
        assert store.run("SELECT count(*) FROM events")[0][0] == 0
        assert store.provenance().empty
    bad_zip = tmp_path / "x.export.CSV.zip"
    bad_zip.write_bytes(b"not a zip")
    with Store() as store, pytest.raises(DataError, match="not a valid zip"):
        load_gdelt(store, bad_zip)
