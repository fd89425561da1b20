"""Real data: the offline bundle (ICIO 2022, the cubes' tariffs, WGI) and, with ../shared/data,
the UN votes. Checks are against independent reads of the store (SQL written here), the value
chain's own TiVA absorption, and the Must-hold items of issue 16 (every ICIO country's top ten;
reproducible intervals)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from geohedge.errors import InputError
from geohedge.partners import default_weights

pytestmark = pytest.mark.bundle

NO_DRAWS = dataclasses.replace(default_weights(), draws=0)  # draws never change the point ranking


@pytest.fixture(scope="module")
def shared(bundle_home):
    """The home-independent inputs, read once (caches under the bundle's home, not the user's)."""
    from geohedge.data.store import Store
    from geohedge.views.partners import query_partner_shared

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GEOHEDGE_HOME", str(bundle_home))
        with Store(bundle_home / "geohedge.duckdb", read_only=True) as store:
            return query_partner_shared(store)


@pytest.fixture(scope="module")
def votes_store_path(tmp_path_factory, shared_data):
    from geohedge.data.sources.unga import load_unga
    from geohedge.data.store import Store

    path = tmp_path_factory.mktemp("partners-votes") / "geohedge.duckdb"
    with Store(path) as store:
        load_unga(store, shared_data / "unga")
    return path


@pytest.fixture(scope="module")
def shared_votes(shared, votes_store_path):
    from geohedge.data.store import Store
    from geohedge.views.partners import _agreement

    with Store(votes_store_path, read_only=True) as vs:
        agreement, _ = _agreement(vs, 10)
    return dataclasses.replace(shared, agreement=agreement)


def rank(store, iso3, shared, **kw):
    from geohedge.views.partners import partner_ranking

    return partner_ranking(store, iso3, shared=shared, scenarios=False, **kw)


def test_every_icio_country_flags_small_markets_in_its_top_ten(bundle_store, shared):
    """Must hold: for each of the 80 ICIO countries, no partner under 0.5% of the country's trade is
    in its top ten unless flagged "small market"; shares recomputed here in SQL.

    In the same loop, the value-added exposure X (export basis: where the home value added in each
    export ends) against the value chain's own TiVA FFD_DVA share absorbed by the great powers
    (diag(v) L F): within 3 pp for every country (the gap is value added that returns home or is
    counted twice in gross exports)."""
    from geohedge.exposure.value_chain import value_added_by_bloc, value_added_exposure

    sql = bundle_store.query(
        "SELECT CASE WHEN exporter < importer THEN exporter ELSE importer END a, CASE WHEN exporter < importer THEN importer ELSE exporter END b, "
        "sum(value_usd) v FROM trade WHERE dataset = 'icio' AND year = 2022 AND exporter <> importer AND importer <> 'ROW' GROUP BY a, b")
    pairs = pd.concat([sql.rename(columns={"a": "home", "b": "partner"}), sql.rename(columns={"b": "home", "a": "partner"})])
    pairs["share"] = pairs["v"] / pairs.groupby("home")["v"].transform("sum")
    share = pairs.set_index(["home", "partner"])["share"]
    assert len(shared.codes) == 80
    for home in shared.codes:
        res = rank(bundle_store, home, shared, weights=NO_DRAWS)
        f = res.frame
        assert len(f) == 79 and "ROW" not in set(f["partner"])
        ranked = res.ranked()
        assert len(ranked) >= 30, home
        top = ranked.head(10)
        for r in top.itertuples():
            s = share.get((home, r.partner), 0.0)
            if s < 0.005:
                assert "small market" in r.flags, (home, r.partner, s)
        # the flag is exactly "under 0.5% of trade", for every partner
        want = np.array([share.get((home, p), 0.0) < 0.005 for p in f["partner"]])
        assert (f["small_market"].to_numpy() == want).all(), home
        # partners that would raise exposure never outrank one that would reduce it
        assert not (np.diff(f["reduces_exposure"].astype(int).to_numpy()) > 0).any(), home
        e = value_added_by_bloc(value_added_exposure(shared.model, home)).set_index("bloc")
        gp = e.loc[[b for b in ("USA", "CHN", "EU27", "RUS", "JPN") if b in e.index], "va_absorbed_usd_mn"].sum()
        ffd = gp / e.drop(index="DOMESTIC")["va_absorbed_usd_mn"].sum()
        assert abs(res.concentration - ffd) < 0.03, (home, res.concentration, ffd)


@pytest.mark.parametrize("home", ["MYS", "VNM", "USA", "CHN", "MEX", "DEU"])
def test_countries_rank_and_bloc_members_raise_exposure(bundle_store, shared, home):
    res = rank(bundle_store, home, shared, weights=NO_DRAWS)
    f = res.frame.set_index("partner")
    for gp in ("USA", "CHN", "JPN", "FRA"):
        if gp != home:
            assert not f.loc[gp, "reduces_exposure"], (home, gp)
    assert 0.25 < res.concentration < 0.9
    assert (res.ranked()["score_pp"] > 0).all() and f["va_exposure_reduction_pp"].notna().all()


def test_country_outside_the_icio_is_a_one_line_error(bundle_store, shared):
    with pytest.raises(InputError) as exc:
        rank(bundle_store, "KEN", shared)
    assert str(exc.value) == "KEN (Kenya) is not a separate region of the ICIO 2022 table; partners can be scored for its 80 regions only"


def test_malaysia_turkiye_components_against_sql(bundle_store, shared_votes, votes_store_path):
    """Türkiye in Malaysia's ranking: each component read again from the store."""
    from geohedge.data.store import Store

    res = rank(bundle_store, "MYS", shared_votes)
    tur = res.row("TUR")
    assert tur["imputed"] == "" and tur["reduces_exposure"]
    assert tur["agreements"] == "MTFTA" and tur["agreement_since"] == "2015-08-01"
    want = bundle_store.run("SELECT estimate FROM governance WHERE dataset='wgi' AND indicator='PV' AND country='TUR' ORDER BY year DESC LIMIT 1")[0][0]
    assert tur["stability_wgi"] == pytest.approx(want)
    # Türkiye's applied tariff on Malaysian goods, 2021, weighted by Malaysia's 2011-2021 goods exports
    t = bundle_store.query(
        "WITH mix AS (SELECT product AS sector, sum(value_usd) w FROM trade WHERE dataset='icio_cubes' AND exporter='MYS' AND importer<>'MYS' "
        "AND product<>'SERV' AND year BETWEEN 2011 AND 2021 GROUP BY product) SELECT sum(mix.w * coalesce(t.rate, 0)) / sum(mix.w) tau FROM mix "
        "LEFT JOIN tariffs t ON t.dataset='icio_cubes' AND t.importer='TUR' AND t.exporter='MYS' AND t.year=2021 AND t.sector=mix.sector")
    assert tur["tariff_on_home_pct"] == pytest.approx(100 * t["tau"].iloc[0], rel=1e-9)
    back = bundle_store.query(
        "WITH mix AS (SELECT product AS sector, sum(value_usd) w FROM trade WHERE dataset='icio_cubes' AND exporter='TUR' AND importer<>'TUR' "
        "AND product<>'SERV' AND year BETWEEN 2011 AND 2021 GROUP BY product) SELECT sum(mix.w * coalesce(t.rate, 0)) / sum(mix.w) tau FROM mix "
        "LEFT JOIN tariffs t ON t.dataset='icio_cubes' AND t.importer='MYS' AND t.exporter='TUR' AND t.year=2021 AND t.sector=mix.sector")
    assert tur["tariff_by_home_pct"] == pytest.approx(100 * back["tau"].iloc[0], rel=1e-9)
    # capacity: Türkiye's imports from others in each sector Malaysia sells, up to Malaysia's sales elsewhere
    c = bundle_store.query(
        "WITH m AS (SELECT product, sum(value_usd) FILTER (WHERE exporter<>'MYS') mo FROM trade WHERE dataset='icio' AND year=2022 "
        "AND importer='TUR' AND exporter<>'TUR' GROUP BY product), x AS (SELECT product, sum(value_usd) FILTER (WHERE importer<>'TUR') xe "
        "FROM trade WHERE dataset='icio' AND year=2022 AND exporter='MYS' AND importer<>'MYS' GROUP BY product) "
        "SELECT sum(least(coalesce(mo, 0), coalesce(xe, 0))) cap FROM m FULL JOIN x USING (product)")
    assert tur["capacity_usd_mn"] == pytest.approx(c["cap"].iloc[0] / 1e6, rel=1e-9)
    # yearly agreement with Malaysia recomputed from the raw votes: mean and SD over 2010-2019
    with Store(votes_store_path, read_only=True) as vs:
        pair = vs.query(
            "SELECT a.rcid, a.vote va, b.vote vb, year(r.date) y FROM un_votes a JOIN un_votes b ON a.rcid=b.rcid AND a.dataset=b.dataset "
            "JOIN un_roll_calls r ON r.rcid=a.rcid AND r.dataset=a.dataset WHERE a.country='MYS' AND b.country='TUR' "
            "AND a.vote IN ('yes','no','abstain') AND b.vote IN ('yes','no','abstain') AND year(r.date) BETWEEN 2010 AND 2019")
    score = {"yes": 1.0, "abstain": 0.5, "no": 0.0}
    pair["agree"] = 1 - (pair["va"].map(score) - pair["vb"].map(score)).abs()
    yearly = pair.groupby("y")["agree"].mean()
    assert tur["agreement_with_home"] == pytest.approx(yearly.mean(), rel=1e-9)
    assert tur["vote_volatility"] == pytest.approx(yearly.std(ddof=1), rel=1e-9)
    # the gravity gap is predicted minus actual total trade of the pair
    assert tur["potential_gap_usd_mn"] == pytest.approx(tur["predicted_trade_usd_mn"] - tur["trade_usd_mn"], rel=1e-9)
    assert tur["potential_gap_se_usd_mn"] > 0
    # Taiwan casts no UN votes: its vote indices take the candidates' lowest values, flagged
    assert res.row("TWN")["imputed"] == "vote_volatility;alignment;bridging"


def test_rank_intervals_reproducible_on_real_data(bundle_store, shared):
    a = rank(bundle_store, "MYS", shared, seed=1).frame
    b = rank(bundle_store, "MYS", shared, seed=1).frame
    pd.testing.assert_frame_equal(a, b)
    r = a[a["reduces_exposure"]]
    assert (r["rank_p10"] <= r["rank_p90"]).all() and r["rank_median"].between(1, len(r)).all()
    c = rank(bundle_store, "MYS", shared, seed=2).frame
    pd.testing.assert_series_equal(a["rank"], c["rank"])  # the seed moves the intervals, never the ranking


def test_gravity_fit_is_sane_and_cached(bundle_store, shared):
    g = shared.gravity
    assert g is not None and g.n_obs == 80 * 79
    assert -2.0 < g.coefficients["log_dist"] < -0.3  # distance elasticity in the usual range (Head & Mayer 2014: about -1)
    assert (g.predicted["predicted_se_usd"] > 0).all()


def test_deepen_ties_mys_tur(bundle_store):
    from geohedge.views.baseline import query_baseline
    from geohedge.views.partners import deepen_ties

    d = deepen_ties(bundle_store, "MYS", "TUR", cost_cut=20)
    t = d.trade.set_index("flow")
    b = query_baseline(bundle_store, 2022)
    n, i = b.countries.index("TUR"), b.countries.index("MYS")
    model = (b.trade()[n, i] / (1.0 + b.tau[n, i])).sum()
    assert t.loc["exports", "base_usd_mn"] == pytest.approx(model, rel=1e-9)
    sql = bundle_store.run("SELECT sum(value_usd) FROM trade WHERE dataset='icio' AND year=2022 AND exporter='MYS' AND importer='TUR'")[0][0]
    assert 1.0 <= model * 1e6 / sql < 1.1  # the model's world folds sales to the rest of the world into the 80 countries
    assert d.welfare_change > 0 and d.concentration_new < d.concentration_base
    # the tariffs are removed (mode "set"), then trade costs cut: each step raises both flows and welfare
    steps = [deepen_ties(bundle_store, "MYS", "TUR", cost_cut=c) for c in (0, 10)] + [d]
    for a, b in zip(steps, steps[1:], strict=False):
        assert (b.trade["change"].to_numpy() > a.trade["change"].to_numpy()).all() and b.welfare_change > a.welfare_change
    assert (steps[0].trade["change"] > 0).all()  # removing the tariffs alone raises trade both ways
    assert any("50% or more" in n for n in d.notes)  # the cubes' C10T12 rate on Turkish food is named


def test_portfolio_on_real_scenarios(bundle_store):
    from geohedge.views.partners import (
        partner_frontier,
        partner_portfolio,
        scenario_losses,
    )

    sl = scenario_losses(bundle_store, "MYS")
    assert sl.scenarios == ("us-tariff-mys-24", "us-china-decoupling", "chn-embargo-mys", "bloc-tariff-war")
    assert sl.losses[2, sl.partners.index("CHN")] > 0.5
    p = partner_portfolio(bundle_store, "MYS", max_shift=0.10, losses=sl)
    assert p.w.sum() == pytest.approx(1.0, abs=1e-9) and (p.w <= 1.5 * p.w0 + 1e-6).all() and p.cvar < p.cvar_base
    f = partner_frontier(bundle_store, "MYS", losses=sl)
    assert (np.diff(f.frame["cvar"].to_numpy()) <= 1e-6).all()


def test_section(bundle_store):
    from geohedge.report.sections.partners import build

    sec = build(bundle_store, "MYS", partners=("TUR",))
    assert sec.missing is None
    t = sec.tables[0].frame
    assert "TUR" in set(t["partner"]) and t["rank_interval"].str.match(r"^\d+-\d+$").all()
    assert "TUR" in set(sec.tables[1].frame["partner"])
    assert len(sec.charts) == 2 and all(c.svg.startswith("<svg") for c in sec.charts)
    assert any(x.startswith("Türkiye (TUR) ranks") for x in sec.text)
    assert any("in force since 2015-08-01 (MTFTA)" in x for x in sec.text)
    miss = build(bundle_store, "PRK")
    assert miss.missing is not None and "PRK" in miss.missing


@pytest.mark.slow
def test_backtest_covers_every_country(bundle_store):
    from geohedge.views.partners import backtest_potential

    bt = backtest_potential(bundle_store)
    assert len(bt.frame) == 80 and (bt.frame["partners"] >= 70).all()
    s = bt.summary.set_index("variant")
    assert set(s.index) == {"z", "gap_usd", "ratio", "largest"} and (s["countries"] == 80).all()
    assert s["sign_test_p"].between(0, 1).all()
