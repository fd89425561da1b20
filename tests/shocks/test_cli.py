"""``geohedge scenario``: exact error lines and exit codes, outputs, determinism."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from geohedge.cli import scenario as cli_scenario
from geohedge.errors import GeohedgeError

from .conftest import small_economy


def _app() -> typer.Typer:
    app = typer.Typer(pretty_exceptions_enable=False)

    @app.callback()
    def _root() -> None:
        """test root"""

    cli_scenario.register(app)
    return app


def run(*args: str):
    """Invoke like geohedge.cli.main: a GeohedgeError becomes 'error: ...' and exit 2."""
    result = CliRunner().invoke(_app(), list(args))
    if isinstance(result.exception, GeohedgeError):
        return 2, f"error: {result.exception}"
    return result.exit_code, result.output


@pytest.fixture
def small_store(monkeypatch):
    b = small_economy(4, 3, seed=3, countries=("CHN", "MYS", "TUR", "USA"), sectors=("A01", "C26", "G"))
    monkeypatch.setattr(cli_scenario, "_baseline", lambda year, rest_of_world="fold": b)
    return b


def test_examples_lists_the_builtins():
    code, out = run("scenario", "examples")
    assert code == 0
    for name in ("us-tariff-mys-24", "us-china-decoupling", "mys-tur-agreement", "us-reciprocal-2025-04-retaliation", "us-tariffs-2025-08"):
        assert name in out


def test_validate_good_and_bad(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text('name = "g"\n[[shocks]]\ntype = "tariff"\nimporters = ["USA"]\nexporters = ["MYS"]\nvalue = 10\n')
    code, out = run("scenario", "validate", str(good))
    assert code == 0 and "valid (1 shocks" in out
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "b"\n[[shocks]]\ntype = "tariff"\nimporters = ["USA"]\nexporters = ["MYS"]\nvalue = -120\n')
    assert run("scenario", "validate", str(bad)) == (2, "error: bad.toml: shocks[0].value: tariff value -120 pp is impossible: it must be above -100")
    code, out = run("scenario", "validate", str(tmp_path / "nope.toml"))
    assert code == 2 and out.startswith("error: scenario file") and "not found" in out


def test_run_unknown_name_exits_2():
    code, out = run("scenario", "run", "no-such-scenario")
    assert code == 2 and "built-in: " in out


def test_run_builtin_with_focus(small_store, tmp_path):
    code, out = run("scenario", "run", "us-tariff-mys-24", "--focus", "Malaysia", "--format", "json")
    assert code == 0, out
    rows = json.loads(out)
    usa = next(r for r in rows if r["flow"] == "exports" and r["partner"] == "USA")
    assert usa["change"] < 0
    target = tmp_path / "countries.csv"
    code, _ = run("scenario", "run", "us-china-decoupling", "--view", "countries", "--format", "csv", "--out", str(target))
    assert code == 0 and target.read_text().startswith("country,targeted,welfare_change")
    code, out = run("scenario", "run", "us-tariff-mys-24", "--view", "blocs")
    assert (code, out) == (2, "error: --view blocs needs --focus COUNTRY")


def test_run_rejects_a_country_outside_the_table(small_store, tmp_path):
    f = tmp_path / "s.toml"
    f.write_text('name = "s"\n[[shocks]]\ntype = "tariff"\nimporters = ["USA"]\nexporters = ["Japan"]\nvalue = 10\n')
    code, out = run("scenario", "run", str(f))
    assert code == 2 and out.startswith("error: shocks[0].exporters: JPN (Japan) is not a separate region")


def test_montecarlo_is_deterministic_with_a_seed(small_store):
    a = run("scenario", "montecarlo", "us-tariff-mys-24", "--draws", "12", "--seed", "5", "--format", "json")
    b = run("scenario", "montecarlo", "us-tariff-mys-24", "--draws", "12", "--seed", "5", "--format", "json")
    assert a[0] == 0 and a == b
    rows = {r["country"]: r for r in json.loads(a[1])}
    m = rows["MYS"]
    assert m["welfare_change_p05"] <= m["welfare_change_median"] <= m["welfare_change_p95"]
    assert run("scenario", "montecarlo", "us-tariff-mys-24", "--draws", "0") == (2, "error: --draws must be at least 1, got 0")


def test_every_scenario_command_has_help():
    command = typer.main.get_command(_app())
    group = command.commands["scenario"]
    assert group.help
    for name, cmd in group.commands.items():
        assert (cmd.help or "").strip(), name
        for param in cmd.params:
            if hasattr(param, "help"):
                assert (param.help or "").strip(), f"{name} {param.name}"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('type = "tariff"\nimporters = ["Atlantis"]\nexporters = ["MYS"]\nvalue = 5', "shocks[0].importers"),
        ('type = "tariff"\nimporters = ["USA"]\nexporters = ["MYS"]\nsectors = ["widgets"]\nvalue = 5', "shocks[0].sectors"),
        ('type = "tariff"\nimporters = ["USA"]\nexporters = ["MYS"]\nvalue = nan', "shocks[0].value"),
        ('type = "tariff"\nimporters = ["USA"]\nexporters = ["MYS"]', "shocks[0].value"),
        ('type = "tariff"\nimporters = ["USA"]\nexporters = ["MYS"]\nvalue = 5\n[[shocks]]\ntype = "tariff"\nimporters = ["USA"]\nexporters = ["MYS"]\nvalue = 6', "shocks[1] contradicts shocks[0]"),
    ],
)
def test_bad_files_exit_2_naming_the_field(tmp_path, body, field):
    f = tmp_path / "bad.toml"
    f.write_text('name = "b"\n[[shocks]]\n' + body + "\n")
    for cmd in ("validate", "run"):
        code, out = run("scenario", cmd, str(f))
        assert code == 2 and out.startswith("error: bad.toml: ") and field in out and "\n" not in out


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('[[shocks]]\ntype = "tariff"\nimporters = ["USA"]\nexporters = ["MYS"]\nvalue = 24\ncoverage = 1.5',
         "error: bad.toml: shocks[0].coverage: coverage 1.5 is impossible: it is the share of each flow the shock applies to, between 0 and 1"),
        ('[[shocks]]\ntype = "tariff"\nimporters = ["USA"]\nexporters = ["ASEAN"]\nexcept_exporters = ["CHN"]\nvalue = 10',
         "error: bad.toml: shocks[0]: except_exporters: CHN is not among the exporters (ASEAN); 'except' can only take out countries that are in exporters"),
        ('[[shocks]]\ntype = "tariff"\nimporters = "all"\nexporters = ["USA"]\nvalue = 10\nretaliation = "same"',
         "error: bad.toml: shocks[0]: retaliation needs an imposing country, but importers is 'all'; name the imposing countries in importers"),
        ('deficits = "balanced"\n[[shocks]]\ntype = "tariff"\nimporters = ["USA"]\nexporters = ["MYS"]\nvalue = 10',
         "error: bad.toml: deficits: deficits 'balanced' is not a deficit rule; use fixed (held in world-GDP units, CP2015), "
         "zero (a baseline without deficits first, CP2015 Table 2) or proportional (a constant share of GDP, E = phi Y)"),
    ],
)
def test_bad_scenario_language_exits_2_and_writes_nothing(small_store, tmp_path, body, expected):
    f = tmp_path / "bad.toml"
    f.write_text('name = "b"\n' + body + "\n")
    target = tmp_path / "out.csv"
    for cmd in (("validate", str(f)), ("run", str(f), "--format", "csv", "--out", str(target))):
        code, out = run("scenario", *cmd)
        assert (code, out) == (2, expected)
        assert not target.exists()


def test_run_views_name_the_welfare_measure(small_store, tmp_path):
    code, out = run("scenario", "run", "us-tariff-mys-24", "--focus", "MYS")
    assert code == 0, out
    assert "real income" in out and "exact" in out and "CP2015 linearised" in out and "ten largest bilateral diversions" in out
    code, out = run("scenario", "run", "us-tariff-mys-24", "--view", "welfare", "--format", "json")
    rows = json.loads(out)
    assert {r["measure"] for r in rows} == {"exact", "linear_cp2015", "terms_of_trade_cp2015", "volume_of_trade_cp2015", "trade_cost_cp2015"}
    code, out = run("scenario", "run", "us-tariff-mys-24", "--view", "decomposition", "--focus", "MYS", "--format", "csv")
    assert code == 0 and out.startswith("country,sector,terms_of_trade_cp2015,volume_of_trade_cp2015,trade_cost_cp2015")
    code, out = run("scenario", "run", "us-tariff-mys-24", "--view", "diversions", "--focus", "MYS", "--format", "json")
    assert code == 0 and len(json.loads(out)) <= 10
    assert run("scenario", "run", "us-tariff-mys-24", "--rest-of-world", "ocean") == (2, "error: --rest-of-world 'ocean' is not understood; use fold or region")
