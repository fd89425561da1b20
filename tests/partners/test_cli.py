"""CLI: exact one-line errors and exit code 2 (replicating geohedge.cli.main), and real runs on
the offline bundle."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from geohedge.cli.partners import register
from geohedge.errors import GeohedgeError


def make_app() -> typer.Typer:
    app = typer.Typer(pretty_exceptions_enable=False)
    register(app)
    return app


def run(*args: str):
    """Invoke like geohedge.cli.main: a GeohedgeError becomes 'error: ...' and exit code 2."""
    res = CliRunner().invoke(make_app(), list(args))
    if isinstance(res.exception, GeohedgeError):
        return 2, f"error: {res.exception}", res.stdout
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception
    return res.exit_code, "", res.stdout


def test_help_lists_options():
    for cmd, opts in (("partners", ["--top", "--weights", "--deepen", "--cost-cut", "--format", "--out"]),
                      ("portfolio", ["--max-shift", "--growth", "--flow", "--frontier"])):
        code, _, out = run(cmd, "--help")
        assert code == 0
        for o in opts:
            assert o in out


@pytest.mark.parametrize(("args", "line"), [
    (("portfolio", "MYS", "--max-shift", "150"), "error: --max-shift 150 must be a percentage in [0, 100]"),
    (("portfolio", "MYS", "--flow", "both"), "error: --flow 'both': use exports or imports"),
    (("partners", "MYS", "--format", "xml"), "error: unknown format 'xml'; use one of table, csv, json, parquet"),
    (("partners", "MYS", "--top", "0"), "error: --top must be at least 1, got 0"),
])
def test_error_lines(args, line):
    code, err, _ = run(*args)
    assert (code, err) == (2, line)


def test_weights_file_with_negative_weight(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text("[weights]\npotential = -2\nbridging = 1\n")
    code, err, _ = run("partners", "MYS", "--weights", str(f))
    assert (code, err) == (2, "error: mine.toml: weight potential = -2 is negative; weights must be >= 0")
    f.write_text("[weights]\nfriendship = 1\n")
    code, err, _ = run("partners", "MYS", "--weights", str(f))
    assert code == 2 and err.startswith("error: mine.toml: unknown weight 'friendship'")
    code, err, _ = run("partners", "MYS", "--weights", str(tmp_path / "none.toml"))
    assert code == 2 and err.startswith("error: weights file") and "not found" in err


def test_unknown_country():
    code, err, _ = run("partners", "Narnia")
    assert code == 2 and err.startswith("error: ") and "Narnia" in err


# --- real data ------------------------------------------------------------------------------


@pytest.fixture
def bundle_env(bundle_home, monkeypatch):
    monkeypatch.setenv("GEOHEDGE_HOME", str(bundle_home))
    return bundle_home


@pytest.mark.bundle
def test_partners_csv_keeps_turkiye(bundle_env, tmp_path):
    out = tmp_path / "p.json"
    code, err, _ = run("partners", "MYS", "--top", "5", "--format", "json", "--out", str(out))
    assert code == 0, err
    rows = json.loads(out.read_text())
    assert [r["rank"] for r in rows[:5]] == [1, 2, 3, 4, 5]
    tur = [r for r in rows if r["partner"] == "TUR"]
    assert len(tur) == 1 and tur[0]["complementarity_index"] is not None


@pytest.mark.bundle
def test_deepen_and_portfolio_commands(bundle_env):
    code, err, out = run("partners", "MYS", "--deepen", "TUR", "--format", "csv")
    assert code == 0, err
    assert out.splitlines()[0] == "measure,flow,base,new,change"
    assert "trade_with_TUR_usd_mn,exports" in out
    code, err, out = run("portfolio", "MYS", "--max-shift", "5", "--format", "csv")
    assert code == 0, err
    assert out.splitlines()[0].startswith("partner,current_share,target_share,change_pp,capacity_share,loss_us-tariff-mys-24")
    code, err, out = run("portfolio", "MYS", "--frontier", "--format", "csv")
    assert code == 0, err
    assert out.splitlines()[0] == "max_shift,shift,cvar,expected_loss,cvar_reduction"
    assert "HiGHS" not in out  # no solver banner in machine-readable output


@pytest.mark.bundle
def test_weights_file_changes_the_ranking(bundle_env, tmp_path):
    prof = tmp_path / "tci.toml"
    prof.write_text("[weights]\ncomplementarity = 1\n")
    outs = {}
    for name, extra in (("default", []), ("tci", ["--weights", str(prof)])):
        out = tmp_path / f"{name}.json"
        code, err, _ = run("partners", "MYS", "--top", "79", "--format", "json", "--out", str(out), *extra)
        assert code == 0, err
        outs[name] = json.loads(out.read_text())
    tci = [r["complementarity_index"] for r in outs["tci"]]
    assert tci == sorted(tci, reverse=True)  # one weight: ranked by that component
    assert [r["partner"] for r in outs["tci"]] != [r["partner"] for r in outs["default"]]


def test_section_on_empty_store_says_what_is_missing(tmp_path):
    from geohedge.data.store import Store
    from geohedge.report.sections.partners import build

    with Store(tmp_path / "empty.duckdb") as store:
        sec = build(store, "MYS")
    assert sec.missing is not None and "geohedge data build" in sec.missing
    assert sec.tables == [] and sec.charts == []


def test_ranking_inputs_must_match_home(tmp_path):
    import pandas as pd

    from geohedge.views.partners import PartnerInputs, partner_ranking
    from geohedge.errors import InputError

    empty = pd.DataFrame()
    inp = PartnerInputs("IDN", 2022, empty, empty, empty, empty, None, None, "test", False)
    with pytest.raises(InputError, match="read for IDN, not MYS"):
        partner_ranking(None, "MYS", inputs=inp)
