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
    for cmd, opts in (("partners", ["--top", "--weights", "--show", "--seed", "--deepen", "--cost-cut", "--format", "--out"]),
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
    (("partners", "MYS", "--seed", "-1"), "error: --seed must be a non-negative integer, got -1"),
])
def test_error_lines(args, line):
    code, err, _ = run(*args)
    assert (code, err) == (2, line)


@pytest.mark.parametrize(("text", "line"), [
    ("[weights]\npotential = -2\nbridging = 1\n", "error: mine.toml: weight potential = -2 is negative; weights must be >= 0"),
    ("[weights]\npotential = 0\nbridging = 0\n", "error: mine.toml: weights sum to zero; give at least one positive weight"),
    ("[weights]\nfriendship = 1\n", ("error: mine.toml: unknown weight 'friendship'; use potential, stability, vote_volatility, "
                                      "tariff_volatility, agreement, alignment, bridging")),
])
def test_bad_weights_file_is_one_line_exit_2(tmp_path, text, line):
    """Must hold: a negative weight, weights summing to zero or an unknown component: one line, exit 2."""
    f = tmp_path / "mine.toml"
    f.write_text(text)
    code, err, _ = run("partners", "MYS", "--weights", str(f))
    assert (code, err) == (2, line) and "\n" not in err


def test_missing_weights_file(tmp_path):
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
def test_partners_json_keeps_turkiye(bundle_env, tmp_path):
    out = tmp_path / "p.json"
    code, err, _ = run("partners", "MYS", "--top", "5", "--format", "json", "--out", str(out))
    assert code == 0, err
    rows = json.loads(out.read_text())
    assert [r["rank"] for r in rows[:5]] == [1, 2, 3, 4, 5] and all(r["reduces_exposure"] for r in rows[:5])
    tur = [r for r in rows if r["partner"] == "TUR"]
    assert len(tur) == 1 and tur[0]["agreement_since"] == "2015-08-01" and tur[0]["rank_p10"] <= tur[0]["rank_p90"]


@pytest.mark.bundle
def test_same_seed_same_output(bundle_env):
    """Must hold: 'partners MYS' twice, and 'partners MYS --seed 1' twice, give identical output."""
    outs = [run("partners", "MYS", *extra) for extra in ((), (), ("--seed", "1"), ("--seed", "1"))]
    assert all(code == 0 for code, _, _ in outs), [err for _, err, _ in outs]
    assert outs[0][2] == outs[1][2] and outs[2][2] == outs[3][2]
    assert "Türkiye (TUR) ranks" in outs[0][2] and "(80%)" in outs[0][2]
    # full precision too: the store's sums and row orders are deterministic, so CSV is byte-identical
    csv = [run("partners", "MYS", "--format", "csv", *extra)[2] for extra in ((), (), ("--seed", "1"), ("--seed", "1"))]
    assert csv[0] == csv[1] and csv[2] == csv[3] and csv[0] != csv[2]


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
def test_weights_file_changes_the_quality_and_ranking(bundle_env, tmp_path):
    prof = tmp_path / "stab.toml"
    prof.write_text("draws = 0\n[weights]\nstability = 1\n")
    outs = {}
    for name, extra in (("default", []), ("stab", ["--weights", str(prof)])):
        out = tmp_path / f"{name}.json"
        code, err, _ = run("partners", "MYS", "--top", "79", "--format", "json", "--out", str(out), *extra)
        assert code == 0, err
        outs[name] = json.loads(out.read_text())
    from scipy.stats import norm

    for r in outs["stab"]:  # one weight: the quality factor is that index
        assert r["quality"] == pytest.approx(norm.cdf(r["stability_wgi"]), rel=1e-8)  # JSON keeps 10 digits
    assert [r["partner"] for r in outs["stab"]] != [r["partner"] for r in outs["default"]]


def test_section_on_empty_store_says_what_is_missing(tmp_path):
    from geohedge.data.store import Store
    from geohedge.report.sections.partners import build

    with Store(tmp_path / "empty.duckdb") as store:
        sec = build(store, "MYS")
    assert sec.missing is not None and "geohedge data build" in sec.missing
    assert sec.tables == [] and sec.charts == []


def test_ranking_data_must_match_home():
    import datetime as dt

    import pandas as pd

    from geohedge.errors import InputError
    from geohedge.partners import PartnerData
    from geohedge.views.partners import partner_ranking

    empty = pd.DataFrame()
    inp = PartnerData("IDN", 2022, empty, empty, empty, None, None, None, None, None, None, (), empty, dt.date(2024, 1, 1))
    with pytest.raises(InputError, match="read for IDN, not MYS"):
        partner_ranking(None, "MYS", data=inp)
