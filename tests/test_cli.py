import subprocess
import sys

import pytest
import typer.main

from geohedge import __version__
from geohedge.cli import app, main
from tests.conftest import FIXTURES


def run(args, capsys):
    """Run the CLI entry point in-process; return (exit code, stdout, stderr)."""
    old = sys.argv
    sys.argv = ["geohedge", *args]
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = old
    out = capsys.readouterr()
    return code, out.out, out.err


def test_version(capsys):
    assert run(["--version"], capsys) == (0, f"geohedge {__version__}\n", "")


def test_python_dash_m():
    done = subprocess.run([sys.executable, "-m", "geohedge", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == f"geohedge {__version__}"


def test_unknown_country_one_line_exit_2(capsys):
    code, out, err = run(["countries", "Turky"], capsys)
    assert code == 2
    assert err == "error: unknown country 'Turky'; did you mean TUR (Türkiye)?\n"


def test_countries_without_store(capsys):
    code, out, err = run(["countries", "MY"], capsys)
    assert code == 0, err
    assert "MYS" in out and "Malaysia" in out and "ASEAN" in out
    assert "no store yet" in out


def test_status_without_store(capsys):
    code, out, err = run(["data", "status"], capsys)
    assert code == 2
    assert err.startswith("error: no store at ") and err.endswith("; run 'geohedge data build' first\n")
    assert err.count("\n") == 1


def test_import_bad_csv_exit_2(tmp_path, capsys):
    bad = tmp_path / "votes.csv"
    bad.write_text("undl_id,ms_code,ms_name,ms_vote,date\n1,MYS,MALAYSIA,Y\n")
    code, out, err = run(["data", "import", "unga", str(bad)], capsys)
    assert code == 2
    assert err == f"error: {bad}: line 2: malformed CSV: Expected Number of Columns: 5 Found: 4\n"


def test_import_and_status(capsys):
    assert run(["data", "import", "baci", str(FIXTURES / "baci")], capsys)[0] == 0
    assert run(["data", "import", "icio", str(FIXTURES / "icio" / "2022_SML.csv"), "--year", "2022"], capsys)[0] == 0
    code, out, err = run(["data", "status", "--format", "csv"], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("table_name,dataset,rows,year_min,year_max,countries,products,approximate")
    for year in (2021, 2022):  # one provenance record per BACI year, rows counted from the fixture
        with (FIXTURES / "baci" / f"BACI_HS92_Y{year}_V202401b.csv").open() as fh:
            n = sum(1 for _ in fh) - 1
        assert any(line.startswith(f"trade,baci,{n},{year},{year},") for line in lines), (year, n, lines)
    assert sum(line.startswith("products,baci,3,") for line in lines) == 1
    code, out, err = run(["data", "status"], capsys)
    assert code == 0, err
    assert "2021" in out and "trade" in out and "icio_flows" in out
    code, out, err = run(["countries", "Türkiye", "--format", "json"], capsys)
    assert code == 0 and '"iso3": "TUR"' in out and '"dataset": "baci"' in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["data", "status", "--format", "xml"], "error: unknown format 'xml'; use one of table, json, csv\n"),
        (["bloc", "ASEN"], "error: unknown bloc 'ASEN'; did you mean ASEAN?\n"),
        (["countries", "MYS", "--on", "2020-02-30"], "error: date '2020-02-30' is not YYYY-MM-DD\n"),
        (["data", "import", "baci", "no/such/folder"], "error: BACI release 'no/such/folder' does not exist\n"),
        (["data", "import", "baci", str(FIXTURES / "baci"), "--years", "20x1"], "error: --years must be comma-separated years such as 2021,2022, got '20x1'\n"),
    ],
)
def test_bad_input_lines(args, message, capsys):
    code, out, err = run(args, capsys)
    assert (code, err) == (2, message)


def test_every_command_has_help():
    command = typer.main.get_command(app)

    def walk(cmd, path):
        yield path, cmd
        for name, sub in getattr(cmd, "commands", {}).items():
            yield from walk(sub, [*path, name])

    for path, cmd in walk(command, []):
        assert (cmd.help or "").strip(), f"'geohedge {' '.join(path)}' has no help text"
        for param in cmd.params:
            if param.name not in ("help",) and hasattr(param, "help"):
                assert (param.help or "").strip(), f"option {param.name} of 'geohedge {' '.join(path)}' has no help"


def test_failed_download_is_one_line(capsys):
    """A download that cannot connect (loopback port with no server) fails cleanly."""
    code, out, err = run(["data", "fetch", "unga", "--url", "http://127.0.0.1:9/ga_voting.csv"], capsys)
    assert code == 2
    last = err.strip().splitlines()[-1]
    assert last.startswith("error: download of http://127.0.0.1:9/ga_voting.csv failed: ")
    assert "Traceback" not in err
