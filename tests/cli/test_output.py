"""The CLI's output on the real bundle: human headers, percentages as percentages, wide
tables split rather than cut, ``--labels human`` exports, custom blocs everywhere, and bad
input as one line with exit code 2."""

import io

import pandas as pd
import pytest

from tests.test_cli import run

pytestmark = pytest.mark.bundle


@pytest.fixture
def home(bundle_home, monkeypatch):
    monkeypatch.setenv("GEOHEDGE_HOME", str(bundle_home))
    return bundle_home


@pytest.fixture
def blocs_file(tmp_path):
    path = tmp_path / "blocs.toml"
    path.write_text('[MIDPOW]\nname = "Middle powers"\nmembers = ["IDN", "TUR", "BRA", "IND", "ZAF"]\n', encoding="utf-8")
    return path


def test_partner_table_is_split_not_cut(home, capsys):
    code, out, err = run(["partners", "MYS", "--top", "3"], capsys)
    assert code == 0, err
    assert "…" not in out  # nothing truncated
    assert "Score" in out and "Quality" in out and "Flags" in out
    assert max(len(line) for line in out.splitlines()) <= 140


def test_scenario_tables_print_percentages(home, capsys):
    code, out, err = run(["scenario", "run", "us-tariff-mys-24", "--focus", "MYS"], capsys)
    assert code == 0, err
    usa = next(line for line in out.splitlines() if line.startswith("│ exports │ USA"))
    cells = [c.strip() for c in usa.strip("│").split("│")]
    assert cells[-1].endswith("%") and cells[-1].startswith("-")  # the relative change, as a percentage
    assert "Change (%)" in out and "Change (USD" in out


def test_labels_human_writes_human_csv_headers_with_full_precision(home, capsys):
    code, out, err = run(["exposure", "MYS", "--by", "bloc", "--format", "csv", "--labels", "human"], capsys)
    assert code == 0, err
    frame = pd.read_csv(io.StringIO(out))
    assert list(frame.columns) == ["Year", "Bloc", "Exports (USD)", "Share of exports (0-1)", "Imports (USD)", "Share of imports (0-1)"]
    assert frame["Share of exports (0-1)"].sum() == pytest.approx(1.0)
    code, out, err = run(["exposure", "MYS", "--labels", "fancy"], capsys)
    assert code == 2 and err == "error: --labels 'fancy': use code or human\n"


def test_blocs_file_alone_adds_its_blocs_to_the_defaults(home, blocs_file, capsys):
    code, out, err = run(["exposure", "MYS", "--by", "bloc", "--format", "csv", "--blocs-file", str(blocs_file)], capsys)
    assert code == 0, err
    frame = pd.read_csv(io.StringIO(out))
    assert list(frame["bloc"]) == ["USA", "CHN", "EU27", "RUS", "JPN", "MIDPOW", "REST"]
    # named in --blocs as well, it is not repeated
    code, out, err = run(["exposure", "MYS", "--by", "bloc", "--format", "csv", "--blocs", "USA,MIDPOW", "--blocs-file", str(blocs_file)], capsys)
    assert code == 0, err
    assert list(pd.read_csv(io.StringIO(out))["bloc"]) == ["USA", "MIDPOW", "REST"]


def test_blocs_file_on_bloc_and_countries(home, blocs_file, capsys):
    code, out, err = run(["bloc", "MIDPOW", "--blocs-file", str(blocs_file)], capsys)
    assert code == 0, err
    assert "Middle powers (5 members)" in out and "ZAF" in out
    code, out, err = run(["countries", "IDN", "--blocs-file", str(blocs_file)], capsys)
    assert code == 0, err
    assert "MIDPOW" in out


def test_blocs_file_in_the_brief(bundle_store, blocs_file):
    from geohedge.countries import load_blocs
    from geohedge.report.brief import build_brief

    brief = build_brief(bundle_store, "MYS", keys=["exposure"], extra_blocs=load_blocs(blocs_file))
    blocs = brief.sections[0].tables[0].frame["bloc"].tolist()
    assert blocs == ["USA", "CHN", "EU27", "RUS", "JPN", "MIDPOW", "REST"]
    assert brief.options["custom_blocs"] == ("MIDPOW",)


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "defines no bloc; add a table such as [MYBLOC] with members = [\"MYS\", \"TUR\"]"),
        ("# nothing but a comment\n", "defines no bloc"),
        ('[USA]\nmembers = ["MYS"]\n', "bloc 'USA' has the name of a country (USA, United States); rename the bloc, e.g. USA_BLOC"),
        ('[Malaysia]\nmembers = ["MYS"]\n', "bloc 'Malaysia' has the name of a country (MYS, Malaysia)"),
        ('[GP]\nmembers = ["MYS"]\n', "bloc 'GP' has the name of a country (GLP, Guadeloupe)"),
        ('["my bloc"]\nmembers = ["MYS"]\n', "bloc code 'my bloc' must be 1-20 letters"),
        ('[EMPTY]\nmembers = []\n', "bloc 'EMPTY' has no members"),
    ],
)
@pytest.mark.parametrize("command", [["exposure", "MYS"], ["bloc", "ASEAN"], ["brief", "MYS"], ["countries", "MYS"], ["serve", "--port", "1"]])
def test_bad_blocs_file_is_one_line_exit_2(home, tmp_path, capsys, text, message, command):
    path = tmp_path / "blocs.toml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run([*command, "--blocs-file", str(path), *(["--out", str(tmp_path)] if command[0] == "brief" else [])], capsys)
    assert code == 2
    assert err.startswith("error: ") and err.count("\n") == 1 and message in err, err
    assert not list(tmp_path.glob("geohedge-brief-*"))


def test_missing_blocs_file(home, tmp_path, capsys):
    code, out, err = run(["exposure", "MYS", "--blocs-file", str(tmp_path / "nope.toml")], capsys)
    assert code == 2 and err == f"error: blocs file {str(tmp_path / 'nope.toml')!r} does not exist\n"


@pytest.mark.shared_data
def test_alignment_table_shows_the_last_ten_years_as_percentages(full_home, monkeypatch, capsys):
    monkeypatch.setenv("GEOHEDGE_HOME", str(full_home))
    code, out, err = run(["alignment", "MYS"], capsys)
    assert code == 0, err
    rows = [line for line in out.splitlines() if line.startswith("│ ") and line[2:6].isdigit()]  # one per year (a long cell may wrap)
    assert len(rows) == 10
    assert "Agreement with USA (%)" in out.replace("\n", " ") or "Agreement with USA" in out
    first = [c.strip() for c in rows[0].strip("│").split("│")]
    pct = [c for c in first if c.endswith("%")]
    assert pct and all(0 < float(c.rstrip("%")) < 100 for c in pct)
    assert "last 10 of" in out
    code, out, err = run(["alignment", "MYS", "--since", "1990"], capsys)
    assert len([line for line in out.splitlines() if line.startswith("│ ") and line[2:6].isdigit()]) > 25
