"""Real data: the offline bundle (ICIO 2022, WGI) and, with ../shared/data, the UN votes.

Checks are against independent reads of the store (SQL written here), the Must-hold items of
issue 6 (Türkiye in Malaysia's table with every component; a feasible portfolio), and sanity
of the gravity fit."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from geohedge.partners import COMPONENTS

pytestmark = pytest.mark.bundle


@pytest.fixture(scope="module")
def ranking_no_votes(bundle_home):
    from geohedge.views.partners import partner_ranking
    from geohedge.data.store import Store

    with Store(bundle_home / "geohedge.duckdb", read_only=True) as store:
        return partner_ranking(store, "MYS")


@pytest.fixture(scope="module")
def votes_store_path(tmp_path_factory, shared_data):
    from geohedge.data.sources.unga import load_unga
    from geohedge.data.store import Store

    path = tmp_path_factory.mktemp("partners-votes") / "geohedge.duckdb"
    with Store(path) as store:
        load_unga(store, shared_data / "unga")
    return path


def test_bundle_without_votes_states_missing_alignment(ranking_no_votes):
    r = ranking_no_votes
    assert len(r.frame) == 79
    tur = r.row("TUR")
    assert set(tur["missing"].split(";")) == {"volatility", "alignment", "bridging"}
    assert np.isnan(tur["bridging"]) and np.isfinite(tur["overall_score"])
    assert any("no UN votes loaded" in n for n in r.notes)


def test_trade_share_and_complementarity_against_sql(bundle_store, ranking_no_votes):
    rows = bundle_store.query(
        "SELECT CASE WHEN exporter = 'MYS' THEN importer ELSE exporter END AS partner, sum(value_usd) AS v FROM trade "
        "WHERE dataset = 'icio' AND year = 2022 AND (exporter = 'MYS' OR importer = 'MYS') AND exporter <> importer AND importer <> 'ROW' GROUP BY partner")
    total = rows["v"].sum()
    tur = float(rows.loc[rows["partner"] == "TUR", "v"].iloc[0])
    assert ranking_no_votes.row("TUR")["trade_share"] == pytest.approx(tur / total, rel=1e-9)
    x = bundle_store.query("SELECT product, sum(value_usd) v FROM trade WHERE dataset='icio' AND year=2022 AND exporter='MYS' AND importer NOT IN ('MYS', 'ROW') GROUP BY product").set_index("product")["v"]
    m = bundle_store.query("SELECT product, sum(value_usd) v FROM trade WHERE dataset='icio' AND year=2022 AND importer='TUR' AND exporter<>'TUR' GROUP BY product").set_index("product")["v"]
    idx = x.index.union(m.index)
    xs, ms = x.reindex(idx, fill_value=0) / x.sum(), m.reindex(idx, fill_value=0) / m.sum()
    assert ranking_no_votes.row("TUR")["complementarity_index"] == pytest.approx(100 * (1 - 0.5 * (xs - ms).abs().sum()), rel=1e-9)


def test_gravity_fit_is_sane(ranking_no_votes):
    g = ranking_no_votes.gravity
    assert g is not None and g.n_obs == 80 * 79
    assert -2.0 < g.coefficients["log_dist"] < -0.3  # distance elasticity in the usual range (Head & Mayer 2014: about -1)
    assert g.coefficients["contig"] > 0


def test_stability_is_the_latest_wgi(bundle_store, ranking_no_votes):
    want = bundle_store.run("SELECT estimate FROM governance WHERE dataset='wgi' AND indicator='PV' AND country='TUR' ORDER BY year DESC LIMIT 1")[0][0]
    assert ranking_no_votes.row("TUR")["stability_wgi"] == pytest.approx(want)


@pytest.mark.shared_data
def test_malaysia_table_has_turkiye_with_every_component(bundle_store, votes_store_path):
    """Must hold (issue 6): for Malaysia, Türkiye appears with every component, whatever its rank."""
    from geohedge.views.partners import _agreement, partner_ranking, query_partner_inputs
    from geohedge.data.store import Store

    inputs = query_partner_inputs(bundle_store, "MYS", votes=False)
    with Store(votes_store_path, read_only=True) as vs:
        agreement, _ = _agreement(vs, 10)
    r = partner_ranking(bundle_store, "MYS", inputs=dataclasses.replace(inputs, agreement=agreement))
    tur = r.row("TUR")
    assert tur["missing"] == "" and tur["n_components"] == len(COMPONENTS)
    for c in COMPONENTS:
        assert np.isfinite(tur[c.column]), c.column
        assert 0 <= tur[f"{c.name}_score"] <= 1
    # agreement with Malaysia recomputed from the raw votes of the same years
    with Store(votes_store_path, read_only=True) as vs:
        pair = vs.query(
            "SELECT a.rcid, a.vote va, b.vote vb, year(r.date) y FROM un_votes a JOIN un_votes b ON a.rcid=b.rcid AND a.dataset=b.dataset "
            "JOIN un_roll_calls r ON r.rcid=a.rcid AND r.dataset=a.dataset WHERE a.country='MYS' AND b.country='TUR' "
            "AND a.vote IN ('yes','no','abstain') AND b.vote IN ('yes','no','abstain') AND year(r.date) BETWEEN 2010 AND 2019")
    score = {"yes": 1.0, "abstain": 0.5, "no": 0.0}
    pair["agree"] = 1 - (pair["va"].map(score) - pair["vb"].map(score)).abs()
    want = pair.groupby("y")["agree"].mean().mean()
    assert tur["agreement_with_home"] == pytest.approx(want, rel=1e-9)
    assert "alignment over UN General Assembly years 2010-2019" in r.notes


def test_deepen_ties_mys_tur(bundle_store):
    from geohedge.views.partners import deepen_ties

    d = deepen_ties(bundle_store, "MYS", "TUR", cost_cut=20)
    t = d.trade.set_index("flow")
    from geohedge.views.baseline import query_baseline

    b = query_baseline(bundle_store, 2022)
    n, i = b.countries.index("TUR"), b.countries.index("MYS")
    model = (b.trade()[n, i] / (1.0 + b.tau[n, i])).sum()
    assert t.loc["exports", "base_usd_mn"] == pytest.approx(model, rel=1e-9)
    # the model's world folds sales to the rest of the world into the 80 countries
    sql = bundle_store.run("SELECT sum(value_usd) FROM trade WHERE dataset='icio' AND year=2022 AND exporter='MYS' AND importer='TUR'")[0][0]
    assert 1.0 <= model * 1e6 / sql < 1.1
    assert (t["change"] > 0.5).all()  # a 20% cost cut with theta = 5 roughly triples the flows (0.8**-5 = 3.05 before GE effects)
    assert (t["change"] < 3.05).all()
    assert d.welfare_change > 0 and d.concentration_new < d.concentration_base
    gp = d.blocs[(d.blocs["flow"] == "exports") & (d.blocs["bloc"] != "REST")]
    assert (gp["change_pp"] < 0).all()  # every great power's share of MYS exports falls


def test_portfolio_on_real_scenarios(bundle_store):
    from geohedge.views.partners import (
        partner_frontier,
        partner_portfolio,
        scenario_losses,
    )

    sl = scenario_losses(bundle_store, "MYS")
    assert sl.scenarios == ("us-tariff-mys-24", "us-china-decoupling", "chn-embargo-mys", "bloc-tariff-war")
    k = sl.partners.index("CHN")
    assert sl.losses[2, k] > 0.5  # China's embargo on MYS goods: most MYS exports to China stop (services go on)
    assert sl.losses[0, sl.partners.index("USA")] > 0.2
    assert sl.w0.sum() == pytest.approx(1.0)
    p = partner_portfolio(bundle_store, "MYS", max_shift=0.10, losses=sl)
    assert p.w.sum() == pytest.approx(1.0, abs=1e-9)
    assert (p.w <= 1.5 * p.w0 + 1e-6).all() and (p.w >= 0).all()
    assert p.shift <= 0.10 + 1e-6
    assert p.cvar < p.cvar_base
    f = partner_frontier(bundle_store, "MYS", losses=sl)
    assert (np.diff(f.frame["cvar"].to_numpy()) <= 1e-6).all()


def test_section(bundle_store):
    from geohedge.report.sections.partners import build

    sec = build(bundle_store, "MYS", partners=("TUR",))
    assert sec.missing is None
    assert "TUR" in set(sec.tables[0].frame["partner"])
    assert "TUR" in set(sec.tables[1].frame["partner"])
    assert len(sec.charts) == 2 and all(c.svg.startswith("<svg") for c in sec.charts)
    assert any(t.startswith("Türkiye (TUR) ranks") for t in sec.text)
    miss = build(bundle_store, "PRK")
    assert miss.missing is not None and "PRK" in miss.missing
