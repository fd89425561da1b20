"""Issue 13 items 7 and 8 on the command line: every path gives one line, ``error: ...``,
and exit code 2, and leaves the store as it was."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import FIXTURES
from tests.test_cli import run

BINARY = bytes(range(256)) * 8  # NUL and every other byte: a binary file


def _one_line(code: int, out: str, err: str) -> str:
    assert code == 2, (code, out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def home(bundle_home, monkeypatch):
    monkeypatch.setenv("GEOHEDGE_HOME", str(bundle_home))
    return bundle_home


@pytest.mark.bundle
def test_out_naming_a_folder(home, tmp_path, capsys):
    line = _one_line(*run(["exposure", "MYS", "--format", "csv", "--out", str(tmp_path)], capsys))
    assert line == f"error: --out {tmp_path} is a folder; give a file name such as {tmp_path / 'table.csv'}"
    assert list(tmp_path.iterdir()) == []  # no .part file left behind


@pytest.mark.bundle
@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux /proc")
def test_out_where_nothing_can_be_written(home, capsys):
    line = _one_line(*run(["exposure", "MYS", "--format", "csv", "--out", "/proc/x.csv"], capsys))
    assert line.startswith("error: cannot write --out /proc/x.csv: ")


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["exposure", "MYS", "--blocs-file", "{f}"], "blocs file"),
        (["bloc", "ASEAN", "--blocs-file", "{f}"], "blocs file"),
        (["partners", "MYS", "--weights", "{f}"], "weights file"),
        (["scenario", "run", "{f}"], "scenario file"),
        (["scenario", "validate", "{f}"], "scenario file"),
    ],
    ids=["exposure-blocs", "bloc-blocs", "partners-weights", "scenario-run", "scenario-validate"],
)
def test_binary_option_files(tmp_path, capsys, args, what):
    f = tmp_path / "x.toml"
    f.write_bytes(BINARY)
    line = _one_line(*run([a.format(f=f) for a in args], capsys))
    assert line == f"error: {what} {f} is a binary file (NUL byte at offset 0); give a UTF-8 text file"


@pytest.mark.parametrize("cmd", ["run", "validate", "montecarlo"])
def test_deeply_nested_scenario_file(tmp_path, capsys, cmd):
    f = tmp_path / "deep.toml"
    f.write_text('name = "deep"\nx = ' + "[" * 5000 + "]" * 5000 + "\n")
    line = _one_line(*run(["scenario", cmd, str(f)], capsys))
    assert line == "error: deep.toml: line 2: arrays and tables nested more than 32 deep; flatten it"


def test_deeply_nested_weights_and_blocs(tmp_path, capsys):
    f = tmp_path / "deep.toml"
    f.write_text("[weights]\nx = " + "[" * 500 + "]" * 500 + "\n")
    assert "nested more than 32 deep" in _one_line(*run(["partners", "MYS", "--weights", str(f)], capsys))
    assert "nested more than 32 deep" in _one_line(*run(["bloc", "ASEAN", "--blocs-file", str(f)], capsys))


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["scenario", "montecarlo", "us-tariff-mys-24", "--draws", "1000000000"], "error: --draws must be between 1 and 100,000, got 1,000,000,000"),
        (["scenario", "montecarlo", "us-tariff-mys-24", "--draws", "0"], "error: --draws must be between 1 and 100,000, got 0"),
        (["scenario", "montecarlo", "us-tariff-mys-24", "--seed", "-1"], "error: --seed must be a non-negative integer, got -1"),
        (["exposure", "MYS", "--top", "-5"], "error: --top must be at least 1, got -5"),
        (["partners", "MYS", "--top", "-5"], "error: --top must be at least 1, got -5"),
        (["portfolio", "MYS", "--top", "-5"], "error: --top must be at least 1, got -5"),
        (["countries", "Malaysia", "--on", "0"], "error: date '0' is not YYYY-MM-DD"),
    ],
    ids=["draws-1e9", "draws-0", "seed", "exposure-top", "partners-top", "portfolio-top", "on-0"],
)
def test_option_ranges(capsys, args, line):
    assert _one_line(*run(args, capsys)) == line


def test_a_country_of_100k_characters_is_refused_at_once(capsys):
    """Issue: 300 s in country_converter's patterns (quadratic in the length)."""
    query = "x" * 100_000
    for args in (["countries", query], ["exposure", query], ["bloc", query]):
        line = _one_line(*run(args, capsys))
        assert "of 100,000 characters" in line and "longer than the 100 allowed" in line


# --- imports through the command line -----------------------------------------------------


def _store_sha() -> str:
    from geohedge.data.paths import store_path

    return hashlib.sha256(store_path().read_bytes()).hexdigest()


def test_header_only_undl_import_keeps_the_votes(tmp_path, capsys):
    assert run(["data", "import", "unga", str(FIXTURES / "undl" / "ga_voting.csv")], capsys)[0] == 0
    before = _store_sha()
    header = tmp_path / "ga_voting.csv"
    header.write_text((FIXTURES / "undl" / "ga_voting.csv").read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    line = _one_line(*run(["data", "import", "unga", str(header)], capsys))
    assert line == f"error: {header} holds no votes; nothing was imported (import again with --replace to empty the 'undl' dataset)"
    assert _store_sha() == before
    code, out, err = run(["data", "import", "unga", str(header), "--replace"], capsys)
    assert code == 0, err
    assert out.strip() == "Imported 0 votes on 0 roll calls (undl)"


@pytest.mark.parametrize("year", ["-5", "40000"])
def test_icio_year_out_of_range(capsys, year):
    line = _one_line(*run(["data", "import", "icio", str(FIXTURES / "icio" / "2022_SML.csv"), "--year", year], capsys))
    assert line.startswith(f"error: --year {year} is outside 1995-")


def test_baci_years_say_what_they_did(capsys):
    code, out, err = run(["data", "import", "baci", str(FIXTURES / "baci"), "--years", "2021"], capsys)
    assert code == 0, err
    assert out.strip().endswith(": added 2021")
    code, out, err = run(["data", "import", "baci", str(FIXTURES / "baci"), "--years", "2022"], capsys)
    assert code == 0, err
    assert out.strip().endswith(": added 2022; kept 2021 from earlier imports")
    code, out, err = run(["data", "import", "baci", str(FIXTURES / "baci")], capsys)
    assert code == 0, err
    assert out.strip().endswith(": replaced 2021, 2022")
    line = _one_line(*run(["data", "import", "baci", str(FIXTURES / "baci"), "--years", "1899"], capsys))
    assert line.startswith("error: --years: year 1899 is outside 1988-")


def test_a_bad_baci_value_through_the_command_line(tmp_path, capsys):
    import shutil

    assert run(["data", "import", "baci", str(FIXTURES / "baci")], capsys)[0] == 0
    before = _store_sha()
    folder = tmp_path / "release"
    shutil.copytree(FIXTURES / "baci", folder)
    f = folder / "BACI_HS92_Y2022_V202401b.csv"
    f.write_text(f.read_text().replace("1400.0", "inf"))
    line = _one_line(*run(["data", "import", "baci", str(folder)], capsys))
    assert line.startswith(f"error: {f}: line 2: v is not a finite number >= 0 (thousands of USD) (t=2022, i=156, j=458, k='260300', v=inf")
    assert _store_sha() == before


def test_readers_work_during_an_import(tmp_path, capsys, monkeypatch):
    """'data status' while another process is in the middle of an import: it answers from
    the data before the import (the import writes to a copy)."""
    import subprocess
    import sys

    assert run(["data", "import", "baci", str(FIXTURES / "baci"), "--years", "2021"], capsys)[0] == 0
    script = (
        "import sys\n"
        "from geohedge.data.sources import baci\n"
        "real = baci._load_year\n"
        "def slow(*a):\n"
        "    real(*a)\n"
        "    print('loading', flush=True)\n"
        "    sys.stdin.readline()\n"
        "baci._load_year = slow\n"
        "from geohedge.cli import main\n"
        f"sys.argv = ['geohedge', 'data', 'import', 'baci', {str(FIXTURES / 'baci')!r}]\n"
        "main()\n"
    )
    writer = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        assert writer.stdout.readline().strip() == "loading"
        code, out, err = run(["data", "status", "--format", "csv"], capsys)
        assert code == 0, err
        frame = pd.read_csv(io.StringIO(out))
        trade = frame[(frame.table_name == "trade") & (frame.dataset == "baci")]
        assert trade["year_min"].tolist() == [2021]  # the import of 2022 has not landed
    finally:
        writer.communicate("\n\n", timeout=120)
    code, out, err = run(["data", "status", "--format", "csv"], capsys)
    frame = pd.read_csv(io.StringIO(out))
    assert sorted(frame[(frame.table_name == "trade") & (frame.dataset == "baci")]["year_min"]) == [2021, 2022]
