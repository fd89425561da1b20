"""``geohedge exposure`` on the real offline bundle: content, exports, and one-line errors."""

import json

import pandas as pd
import pytest

from tests.test_cli import run

pytestmark = pytest.mark.bundle


@pytest.fixture
def home(bundle_home, monkeypatch):
    monkeypatch.setenv("GEOHEDGE_HOME", str(bundle_home))
    return bundle_home


def test_malaysia_shows_usa_china_turkey(home, capsys):
    for channel in ("trade", "value-added"):
        code, out, err = run(["exposure", "MYS", "--channel", channel, "--top", "3"], capsys)
        assert code == 0, err
        rows = [line for line in out.splitlines() if line.startswith("│")]
        for p in ("USA", "CHN", "TUR"):
            assert any(f"│ {p} " in r for r in rows), (channel, p, out)


def test_json_export_is_complete_and_consistent(home, capsys):
    code, out, err = run(["exposure", "Malaysia", "--format", "json"], capsys)
    assert code == 0, err
    frame = pd.DataFrame(json.loads(out))
    # the ICIO cubes: 79 other ICIO countries and the rest of the world
    assert {"USA", "CHN", "TUR", "ROW"} <= set(frame["partner"]) and len(frame) == 80
    assert frame["export_share"].sum() == pytest.approx(1.0)


def test_parquet_and_csv_out(home, tmp_path, capsys):
    for fmt in ("parquet", "csv"):
        path = tmp_path / f"va.{fmt}"
        code, _, err = run(["exposure", "MYS", "--channel", "value-added", "--by", "sector", "--format", fmt, "--out", str(path)], capsys)
        assert code == 0, err
        frame = pd.read_parquet(path) if fmt == "parquet" else pd.read_csv(path)
        assert len(frame) == 50 and "usa_share" in frame


def test_bloc_view_sums_to_one(home, capsys):
    code, out, err = run(["exposure", "MYS", "--by", "bloc", "--format", "json", "--blocs", "USA,CHN,ASEAN"], capsys)
    assert code == 0, err
    frame = pd.DataFrame(json.loads(out))
    assert list(frame["bloc"]) == ["USA", "CHN", "ASEAN", "REST"]
    assert frame["import_share"].sum() == pytest.approx(1.0)


def test_raw_material_trend_covers_every_year(home, capsys):
    code, out, err = run(["exposure", "MYS", "--by", "year", "--dataset", "baci_raw", "--format", "json"], capsys)
    assert code == 0, err
    frame = pd.DataFrame(json.loads(out))
    assert frame["year"].min() == 1995 and frame["year"].max() == 2024
    assert frame.groupby("year")["import_share"].sum().round(9).eq(1.0).all()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["exposure", "MYS", "--channel", "value-added", "--year", "2019"], "error: no input-output table for 2019; available years: 2022\n"),
        (["exposure", "MYS", "--dataset", "baci_raw", "--year", "1990"], "error: no baci_raw trade for 1990; available years: 1995-2024\n"),
        (["exposure", "MYS", "--blocs", "USA,NOTABLOC"], None),
        (["exposure", "MYS", "--channel", "gravity"], "error: unknown channel 'gravity'; use one of trade, value-added, materials\n"),
        (["exposure", "Kenya", "--channel", "value-added"], None),
    ],
)
def test_bad_input_one_line_exit_2(home, capsys, args, message):
    code, out, err = run(args, capsys)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("error: ")
    if message:
        assert err == message
    if "NOTABLOC" in args[-1]:
        assert "unknown bloc 'NOTABLOC'" in err
    if args[1] == "Kenya":
        assert err.startswith("error: KEN is not a separate country in the ICIO 2022 table")
        assert "datasets that cover it: baci_pairs, baci_raw, wgi" in err
