"""Scenario files: built-ins parse; bad files are rejected naming the field; translation
into shock arrays; elasticities."""

from __future__ import annotations

import numpy as np
import pytest

from geohedge.errors import InputError
from geohedge.shocks import elasticities as el
from geohedge.shocks.scenario import (
    builtin_scenario,
    builtin_scenarios,
    load_scenario,
    parse_scenario,
    scenario_theta,
    shock_arrays,
    shock_layers,
)

HEAD = 'name = "t"\nbase_year = 2022\n'


def shock(body: str) -> str:
    return HEAD + "[[shocks]]\n" + body


BUILTINS = {
    "us-tariff-mys-24", "us-tariff-mys-19", "us-china-decoupling", "mys-tur-agreement", "us-reciprocal-2025-04",
    "us-reciprocal-2025-04-retaliation", "us-reciprocal-2025-04-exempt-electronics", "us-reciprocal-2025-04-exempt-electronics-retaliation",
    "us-tariffs-2025-08",
}


def test_builtin_scenarios():
    names = set(builtin_scenarios())
    assert names == BUILTINS
    s = builtin_scenario("us-tariff-mys-24")
    assert s.shocks[0].value == 24 and s.shocks[0].importers == ["USA"] and s.shocks[0].exporters == ["MYS"]
    assert builtin_scenario("us-tariff-mys-19").shocks[0].value == 19
    d = builtin_scenario("us-china-decoupling").shocks[0]
    assert d.type == "embargo" and d.both_ways and d.sectors == ["goods"]
    tur = builtin_scenario("mys-tur-agreement")
    assert [s.type for s in tur.shocks] == ["tariff", "trade_cost"] and tur.shocks[0].mode == "set" and tur.shocks[0].value == 0
    assert tur.shocks[1].value == pytest.approx(-10.55, abs=0.01)  # Yotov et al. (2016)'s average RTA effect at theta = 5
    assert tur.shocks[0].exporters == ["TUR"]
    for s in builtin_scenarios().values():  # each built-in cites its source; the generated ones their date too
        assert s.source, s.name
        assert s.date or s.name == "us-china-decoupling" or s.name == "mys-tur-agreement", s.name
        again = parse_scenario(s.model_dump(mode="json"), origin=s.name)  # the API posts specs back as JSON
        assert again == s


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (shock('type = "tariff"\nimporters = ["Narnia"]\nexporters = ["MYS"]\nvalue = 5'), "shocks[0].importers: unknown country or bloc 'Narnia'"),
        (shock('type = "tariff"\nimporters = ["USA"]\nexporters = ["NOTABLOC"]\nvalue = 5'), "shocks[0].exporters: unknown country or bloc 'NOTABLOC'"),
        (shock('type = "tariff"\nimporters = ["USA"]\nexporters = ["MYS"]\nsectors = ["C99"]\nvalue = 5'), "shocks[0].sectors: unknown sector 'C99'"),
        (shock('type = "tariff"\nimporters = ["USA"]\nexporters = ["MYS"]\nvalue = -150'), "shocks[0].value: tariff value -150 pp is impossible: it must be above -100"),
        (shock('type = "trade_cost"\nimporters = ["USA"]\nexporters = ["MYS"]\nvalue = -100'), "shocks[0].value: trade_cost value -100 % is impossible"),
        (shock('type = "tariff"\nimporters = ["USA"]\nexporters = ["MYS"]\nvalue = nan'), "shocks[0].value: must be a finite number, not NaN"),
        (shock('type = "tariff"\nimporters = ["USA"]\nexporters = ["MYS"]'), "shocks[0].value: a tariff shock needs a value"),
        (shock('type = "tariff"\nexporters = ["MYS"]\nvalue = 3'), "shocks[0].importers: missing (required field)"),
        (shock('type = "embargo"\nimporters = ["USA"]\nexporters = ["MYS"]\nvalue = 3'), "shocks[0].value: an embargo takes no value"),
        (shock('type = "quota"\nimporters = ["USA"]\nexporters = ["MYS"]\nvalue = 3'), "shocks[0].type: "),
        (shock('type = "tariff"\nimporters = []\nexporters = ["MYS"]\nvalue = 3'), "shocks[0].importers: "),
        (HEAD + '[elasticities]\nkind = "uniform"\nvalue = -2\n', "elasticities.value: "),
        (HEAD + '[elasticities]\nkind = "uniform"\nvalue = nan\n', "elasticities.value: must be a finite number"),
        (HEAD + "bogus = 1\n", "bogus: unknown field"),
        ('base_year = 2022\n', "name: missing (required field)"),
        (
            shock('type = "tariff"\nimporters = ["USA"]\nexporters = ["ASEAN"]\nvalue = 3\n')
            + '[[shocks]]\ntype = "tariff"\nimporters = ["world"]\nexporters = ["MYS"]\nsectors = ["C26"]\nvalue = 5\n',
            "shocks[1] contradicts shocks[0]: both set a tariff on imports of USA from MYS in sector C26",
        ),
        (
            shock('type = "embargo"\nimporters = ["USA"]\nexporters = ["CHN"]\nboth_ways = true\nsectors = ["goods"]\n')
            + '[[shocks]]\ntype = "trade_cost"\nimporters = ["CHN"]\nexporters = ["USA"]\nsectors = ["manufacturing"]\nvalue = -5\n',
            "shocks[1] contradicts shocks[0]: both set a embargo and a trade_cost on imports of CHN from USA",
        ),
        ("name = [", "not valid TOML"),
        (shock('type = "tariff"\nimporters = ["USA"]\nexporters = ["MYS"]\nvalue = 24\ncoverage = 1.5'),
         "shocks[0].coverage: coverage 1.5 is impossible: it is the share of each flow the shock applies to, between 0 and 1"),
        (shock('type = "tariff"\nimporters = ["USA"]\nexporters = ["EU27"]\nexcept_exporters = ["JPN"]\nvalue = 20'),
         "shocks[0]: except_exporters: JPN is not among the exporters (EU27)"),
        (shock('type = "tariff"\nimporters = ["USA"]\nexporters = ["MYS"]\nsectors = "goods"\nexcept_sectors = ["J62_63"]\nvalue = 5'),
         "shocks[0]: except_sectors: J62_63 is not among the sectors (goods)"),
        (shock('type = "tariff"\nimporters = "all"\nexporters = ["USA"]\nvalue = 10\nretaliation = "same"'),
         "shocks[0]: retaliation needs an imposing country, but importers is 'all'"),
        (shock('type = "trade_cost"\nimporters = ["USA"]\nexporters = ["MYS"]\nvalue = -5\nretaliation = "same"'),
         "shocks[0]: retaliation answers a tariff, not a trade_cost shock"),
        (shock('type = "tariff"\nimporters = ["USA"]\nexporters = ["MYS"]\nvalue = 5\nretaliation = "maybe"'), "shocks[0].retaliation: "),
        (shock('type = "embargo"\nimporters = ["USA"]\nexporters = ["MYS"]\ncoverage = 0.5'), "an embargo stops the whole flow"),
        (HEAD + 'deficits = "fixd"\n', "deficits: deficits 'fixd' is not a deficit rule; use fixed"),
        (shock('type = "tariff"\nimporters = ["USA"]\nexporters = "all"\nvalue = 10\n')
         + '[[shocks]]\ntype = "tariff"\nimporters = ["USA"]\nexporters = ["MYS"]\nvalue = 24\n',
         'shocks[1] contradicts shocks[0]: both set a tariff on imports of USA from MYS in sector A01; say how they combine with combine = "max" or "add"'),
    ],
)
def test_bad_scenarios_are_rejected_naming_the_field(text, expected):
    with pytest.raises(InputError) as info:
        parse_scenario(text, origin="bad.toml")
    msg = str(info.value)
    assert msg.startswith("bad.toml: ") and "\n" not in msg
    assert expected in msg


def test_disjoint_shocks_of_the_same_type_are_fine():
    s = parse_scenario(
        shock('type = "tariff"\nimporters = ["USA"]\nexporters = ["MYS"]\nsectors = ["goods"]\nvalue = 3\n')
        + '[[shocks]]\ntype = "tariff"\nimporters = ["USA"]\nexporters = ["MYS"]\nsectors = ["services"]\nvalue = 5\n'
    )
    assert len(s.shocks) == 2


def test_shock_arrays_translate_targets_blocs_and_sectors():
    s = parse_scenario(
        shock('type = "tariff"\nimporters = ["USA"]\nexporters = ["MYS", "CHN"]\nsectors = ["manufacturing"]\nvalue = 25\n')
        + '[[shocks]]\ntype = "trade_cost"\nimporters = ["EU27"]\nexporters = ["TUR"]\nvalue = -10\nboth_ways = true\n'
        + '[[shocks]]\ntype = "embargo"\nimporters = ["world"]\nexporters = ["RUS"]\nsectors = ["B06"]\n'
    )
    countries = ("CHN", "DEU", "FRA", "MYS", "RUS", "TUR", "USA")
    sectors = ("A01", "B06", "C26", "F", "G")
    tradable = np.array([True, True, True, False, True])
    a = shock_arrays(s, countries, sectors, tradable)
    k = {c: n for n, c in enumerate(countries)}
    assert a.tau_new[k["USA"], k["MYS"], 2] == pytest.approx(0.25)
    assert a.tau_new[k["USA"], k["MYS"], 0] == 0.0  # A01 is not manufacturing
    assert a.kappa_hat[k["USA"], k["CHN"], 2] == pytest.approx(1.25)
    assert a.kappa_hat[k["DEU"], k["TUR"], 4] == pytest.approx(0.9)
    assert a.kappa_hat[k["TUR"], k["FRA"], 0] == pytest.approx(0.9)  # both ways
    assert a.kappa_hat[k["TUR"], k["FRA"], 3] == 1.0  # F is non-tradable: never shocked
    assert np.isinf(a.kappa_hat[k["USA"], k["RUS"], 1]) and a.kappa_hat[k["RUS"], k["RUS"], 1] == 1.0
    assert a.kappa_hat[k["DEU"], k["FRA"], 0] == 1.0  # within the bloc: not a target pair of TUR
    assert any("EU27 members not in the table" in n for n in a.notes)
    assert a.touched[k["USA"]] and a.touched[k["FRA"]]


def test_country_outside_the_table_is_rejected():
    s = parse_scenario(shock('type = "tariff"\nimporters = ["USA"]\nexporters = ["North Korea"]\nvalue = 5'))
    with pytest.raises(InputError, match=r"shocks\[0\]\.exporters: PRK .* is not a separate region"):
        shock_arrays(s, ("USA", "MYS"), ("C26",))


def test_elasticity_choices(tmp_path):
    sectors = el.ICIO_SECTORS
    cp = el.cp2015_theta(sectors)
    # CP2015 replication package, T.txt (20 goods sectors in their order), copied here as the
    # independent source: 9.11 13.53 2.62 8.1 11.5 16.52 64.85 3.13 1.67 2.41 3.28 6.99 1.45
    # 12.95 12.91 3.95 8.71 8.22 8.22 3.98
    t_txt = [9.11, 13.53, 2.62, 8.1, 11.5, 16.52, 64.85, 3.13, 1.67, 2.41, 3.28, 6.99, 1.45, 12.95, 12.91, 3.95, 8.71, 8.22, 8.22, 3.98]
    assert list(el.CP2015_TABLE1.values()) == pytest.approx(t_txt)
    assert cp[sectors.index("C19")] == pytest.approx(64.85)  # petroleum
    assert cp[sectors.index("C29")] == pytest.approx(8.22)  # auto
    assert cp[sectors.index("C10T12")] == pytest.approx(2.62)  # food
    assert cp[sectors.index("C26")] == pytest.approx((12.95 + 3.95 + 8.71) / 3)
    assert cp[sectors.index("K")] == el.DEFAULT_THETA
    assert set(el.CP2015_MAP) == {s for s in sectors if s[0] in "ABC"}
    (tmp_path / "theta.csv").write_text("sector,theta\nC26,3.5\nA01,9\n")
    (tmp_path / "s.toml").write_text(HEAD + '[elasticities]\nkind = "file"\npath = "theta.csv"\nvalue = 6\n')
    s = load_scenario(tmp_path / "s.toml")
    th = scenario_theta(s, sectors)
    assert th[sectors.index("C26")] == 3.5 and th[sectors.index("A01")] == 9 and th[sectors.index("G")] == 6
    (tmp_path / "bad.csv").write_text("sector,theta\nC26,-1\n")
    (tmp_path / "b.toml").write_text(HEAD + '[elasticities]\nkind = "file"\npath = "bad.csv"\n')
    with pytest.raises(InputError, match="C26 theta: trade elasticity must be a positive finite number"):
        load_scenario(tmp_path / "b.toml")
    with pytest.raises(InputError, match="not found"):
        load_scenario(tmp_path / "missing.toml")


def test_all_except_and_group_strings():
    s = parse_scenario(shock('type = "tariff"\nimporters = ["USA"]\nexporters = "all"\nexcept_exporters = ["CAN", "MEX"]\n'
                             'sectors = "goods"\nexcept_sectors = ["C26"]\nvalue = 10\n'))
    sh = s.shocks[0]
    assert sh.exporters == ["WORLD"] and sh.except_exporters == ["CAN", "MEX"] and sh.sectors == ["goods"]
    assert "C26" not in sh.sector_codes() and "C25" in sh.sector_codes() and "G" not in sh.sector_codes()
    a = shock_arrays(s, ("CAN", "CHN", "MEX", "MYS", "USA"), ("A01", "C26", "G"), tau0=np.full((5, 5, 3), 0.02))
    k = {c: n for n, c in enumerate(("CAN", "CHN", "MEX", "MYS", "USA"))}
    assert a.tau_new[k["USA"], k["MYS"], 0] == pytest.approx(0.12) and a.tau_new[k["USA"], k["CHN"], 0] == pytest.approx(0.12)
    assert a.tau_new[k["USA"], k["CAN"], 0] == pytest.approx(0.02) and a.tau_new[k["USA"], k["MYS"], 1] == pytest.approx(0.02)
    assert a.tau_new[k["MYS"], k["CHN"], 0] == pytest.approx(0.02)  # only the USA imposes


def test_layers_combine_coverage_mode_and_retaliation():
    countries, sectors = ("CHN", "DEU", "FRA", "MYS", "USA"), ("A01", "C26")
    k = {c: n for n, c in enumerate(countries)}
    tau0 = np.full((5, 5, 2), 0.03)
    text = (shock('type = "tariff"\nimporters = ["USA"]\nexporters = "all"\nexcept_exporters = ["USA"]\nvalue = 10\nretaliation = "same"\n')
            + '[[shocks]]\ntype = "tariff"\nimporters = ["USA"]\nexporters = ["MYS"]\nvalue = 24\ncombine = "max"\nretaliation = "same"\n'
            + '[[shocks]]\ntype = "tariff"\nimporters = ["USA"]\nexporters = ["CHN"]\nsectors = ["C26"]\nvalue = 30\ncombine = "add"\ncoverage = 0.5\nretaliation = 5\n'
            + '[[shocks]]\ntype = "tariff"\nimporters = ["USA"]\nexporters = ["EU27"]\nvalue = 15\nmode = "at_least"\ncombine = "max"\n')
    a = shock_arrays(parse_scenario(text), countries, sectors, tau0=tau0)
    t = a.tau_new
    assert t[k["USA"], k["MYS"], 0] == pytest.approx(0.27)  # max(3 + 10, 3 + 24)
    assert t[k["USA"], k["CHN"], 0] == pytest.approx(0.13)  # the floor
    assert t[k["USA"], k["CHN"], 1] == pytest.approx(0.13 + 0.5 * 0.30)  # floor plus half the flow at +30 pp (trade-weighted)
    assert t[k["USA"], k["DEU"], 0] == pytest.approx(0.15)  # at least 15% all in, higher than the floor's 13%
    assert t[k["MYS"], k["USA"], 0] == pytest.approx(0.27)  # MYS answers +24 (max with its floor answer +10)
    assert t[k["DEU"], k["USA"], 0] == pytest.approx(0.13)  # everyone answers the floor in kind
    assert t[k["CHN"], k["USA"], 1] == pytest.approx(0.13 + 0.5 * 0.05)  # a given rate, same sectors and coverage
    assert t[k["CHN"], k["MYS"], 0] == pytest.approx(0.03)  # third-country trade untouched
    np.testing.assert_allclose(a.kappa_hat, (1 + t) / (1 + tau0))
    layers = shock_layers(parse_scenario(text).shocks)
    assert [lay.origin for lay in layers][:3] == ["shocks[0]", "shocks[0].retaliation", "shocks[1]"]


def test_trade_cost_layers_and_coverage():
    countries, sectors = ("MYS", "TUR"), ("A01",)
    text = (shock('type = "trade_cost"\nimporters = ["MYS"]\nexporters = ["TUR"]\nvalue = -10\nboth_ways = true\n')
            + '[[shocks]]\ntype = "trade_cost"\nimporters = ["MYS"]\nexporters = ["TUR"]\nvalue = -20\ncoverage = 0.5\ncombine = "add"\n')
    a = shock_arrays(parse_scenario(text), countries, sectors)
    assert a.d_hat[0, 1, 0] == pytest.approx(0.9 * 0.9) and a.d_hat[1, 0, 0] == pytest.approx(0.9)
    assert a.kappa_hat[0, 1, 0] == pytest.approx(0.81)


def test_row_target_needs_a_region():
    s = parse_scenario(shock('type = "tariff"\nimporters = ["USA"]\nexporters = ["ROW"]\nvalue = 19\n'))
    a = shock_arrays(s, ("MYS", "USA"), ("A01",))
    assert not (a.tau_new != 0).any() and any("no rest-of-world region" in n for n in a.notes)
    b = shock_arrays(s, ("MYS", "USA", "ROW"), ("A01",))
    assert b.tau_new[1, 2, 0] == pytest.approx(0.19)
