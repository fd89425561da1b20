"""Deepen-ties scenario and its reading, on a hand-made 4-country economy (random but balanced
flows from tests/shocks/conftest.py; not real data)."""

from __future__ import annotations

import numpy as np
import pytest

from geohedge.errors import InputError
from geohedge.partners import deepen_result, deepen_scenario
from geohedge.partners.deepen import concentration_of
from geohedge.partners.portfolio import great_power_scenarios
from geohedge.shocks import solve
from tests.shocks.conftest import small_economy


@pytest.fixture(scope="module")
def economy():
    return small_economy(5, 3, seed=3, countries=("CHN", "DEU", "MYS", "TUR", "USA"), sectors=("A01", "C26", "G"))


def test_scenario_spec():
    sc = deepen_scenario("Malaysia", "Türkiye", cost_cut=20)
    assert sc.name == "deepen-mys-tur"
    kinds = {(s.type, s.value, s.both_ways, tuple(s.importers), tuple(s.exporters)) for s in sc.shocks}
    assert kinds == {("tariff", 0.0, True, ("MYS",), ("TUR",)), ("trade_cost", -20.0, True, ("MYS",), ("TUR",))}
    assert next(s for s in sc.shocks if s.type == "tariff").mode == "set"  # the baseline rate removed, not 0 pp added
    assert sc.elasticities.kind == "uniform"


@pytest.mark.parametrize(("args", "message"), [
    (("MYS", "MYS", 20), "--deepen MYS: the partner must differ from the home country MYS"),
    (("MYS", "TUR", 100), "cost cut 100% must be in [0, 100), e.g. 20 for a 20% cut in trade costs"),
    (("MYS", "TUR", -5), "cost cut -5% must be in [0, 100), e.g. 20 for a 20% cut in trade costs"),
])
def test_scenario_rejects(args, message):
    with pytest.raises(InputError) as exc:
        deepen_scenario(args[0], args[1], cost_cut=args[2])
    assert str(exc.value) == message


def test_zero_cut_changes_nothing(economy):
    r = deepen_result(solve(economy, deepen_scenario("MYS", "TUR", cost_cut=0)), "MYS", "TUR", cost_cut=0)
    assert r.welfare_change == pytest.approx(0.0, abs=1e-8)
    np.testing.assert_allclose(r.trade["new_usd_mn"], r.trade["base_usd_mn"], rtol=1e-7)
    assert r.concentration_new == pytest.approx(r.concentration_base, abs=1e-9)


def test_cut_raises_trade_with_partner_and_reads_the_solution(economy):
    sol = solve(economy, deepen_scenario("MYS", "TUR", cost_cut=20))
    r = deepen_result(sol, "MYS", "TUR", cost_cut=20)
    assert (r.trade["change"] > 0).all()
    assert r.welfare_change > 0
    # independent reading of the arrays: [importer, exporter, sector]
    c = list(sol.countries)
    h, p = c.index("MYS"), c.index("TUR")
    ex0, ex1 = sol.T0[p, h].sum(), sol.T1[p, h].sum()
    t = r.trade.set_index("flow")
    assert t.loc["exports", "base_usd_mn"] == pytest.approx(ex0)
    assert t.loc["exports", "new_usd_mn"] == pytest.approx(ex1)
    assert r.welfare_change == pytest.approx(sol.W_hat[h] - 1)
    # great-power concentration by loops: V = exports + imports, USA/CHN/DEU(EU27) members
    def C(T):
        X = T.sum(axis=2)
        V = {(a, b): X[c.index(b), c.index(a)] + X[c.index(a), c.index(b)] for a in c for b in c if a != b}
        gp = {"USA": ["USA"], "CHN": ["CHN"], "EU27": ["DEU"]}
        tot = sum(V["MYS", q] for q in c if q != "MYS")
        out = 0.0
        for q in c:
            if q == "MYS":
                continue
            s = V["MYS", q] / tot
            if any(q in m for m in gp.values()):
                out += s
            else:
                own = sum(V[q, d] for d in c if d != q)
                out += s * sum(V[q, m] for ms in gp.values() for m in ms) / own
        return out
    assert r.concentration_base == pytest.approx(C(sol.T0), rel=1e-10)
    assert r.concentration_new == pytest.approx(C(sol.T1), rel=1e-10)
    assert concentration_of(sol.T0, sol.countries, "MYS") == pytest.approx(C(sol.T0), rel=1e-10)
    f = r.to_frame()
    assert {"welfare_change", "gp_concentration", "trade_with_TUR_usd_mn", "share_USA"} <= set(f["measure"])
    assert "welfare" in r.summary()


def test_great_power_scenarios_generalise_to_home():
    names = [s.name for s in great_power_scenarios("IDN")]
    assert names == ["us-tariff-idn-24", "us-china-decoupling", "chn-embargo-idn", "bloc-tariff-war"]
    us = great_power_scenarios("IDN")[0].shocks[0]
    assert (us.importers, us.exporters, us.value) == (["USA"], ["IDN"], 24.0)
    assert [s.name for s in great_power_scenarios("CHN")] == ["us-china-decoupling", "bloc-tariff-war"]


def test_result_rejects_unknown_partner(economy):
    sol = solve(economy, deepen_scenario("MYS", "TUR", cost_cut=5))
    with pytest.raises(InputError, match="BRA is not a region of the model"):
        deepen_result(sol, "MYS", "BRA", cost_cut=5)


def test_bloc_exposure_sums_to_concentration(economy):
    sol = solve(economy, deepen_scenario("MYS", "TUR", cost_cut=20))
    r = deepen_result(sol, "MYS", "TUR", cost_cut=20)
    e = r.exposure.set_index("bloc")
    assert list(e.index) == ["USA", "CHN", "EU27", "RUS", "JPN"]
    assert e["base_share"].sum() == pytest.approx(r.concentration_base, rel=1e-12)
    assert e["new_share"].sum() == pytest.approx(r.concentration_new, rel=1e-12)
    assert e.loc["RUS", "base_share"] == 0.0  # no Russian region in this economy
    assert "exposure_USA" in set(r.to_frame()["measure"])
