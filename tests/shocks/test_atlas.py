"""The atlas's pure layer on hand-made small economies (not real data): shock families,
pieces and their keys, batching, one piece's Monte Carlo, and what a failure stores."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from geohedge.errors import InputError
from geohedge.shocks import atlas as A
from geohedge.shocks.model import solve
from geohedge.shocks.scenario import parse_scenario

from .conftest import small_economy

COUNTRIES = ("CHN", "DEU", "FRA", "MYS", "USA")


@pytest.fixture
def economy():
    """5 countries x 3 sectors (one goods, one manufacturing, one services), hand-made."""
    return small_economy(5, 3, seed=11, countries=COUNTRIES, sectors=("A01", "C26", "G"))


def plan(b, targets=("MYS", "DEU"), families=("usa-tariff-25", "chn-embargo"), **cfg):
    fams = [A.family(f) for f in families]
    return A.atlas_pieces(targets, fams, A.AtlasConfig(**cfg), countries=b.countries, base_year=b.year, data_version="test")


def test_family_names():
    f = A.family("usa-tariff-25")
    assert (f.imposer, f.kind, f.value) == ("USA", "tariff", 25.0)
    assert A.family("EU27-Embargo").imposer == "EU27"
    assert A.family("jpn-tariff-7.5").value == 7.5
    with pytest.raises(InputError, match=r"unknown shock family 'usa-tarif-25'; use <imposer>-tariff-<pp> or <imposer>-embargo"):
        A.family("usa-tarif-25")
    with pytest.raises(InputError, match=r"shock family 'xxq-embargo': imposer 'xxq' is not a country or bloc"):
        A.family("xxq-embargo")
    with pytest.raises(InputError, match="must be above 0"):
        A.family("usa-tariff-0")


def test_scenario_of_each_family_kind():
    assert A.family("usa-tariff-25").shock("MYS") == {
        "type": "tariff", "importers": ["USA"], "exporters": ["MYS"], "sectors": ["goods"], "value": 25.0}
    assert A.family("chn-embargo").shock("MYS") == {
        "type": "embargo", "importers": ["CHN"], "exporters": ["MYS"], "sectors": ["all"], "both_ways": True}
    sched = A.schedule_family("us-2025-04-02", "USA", {"MYS": 24.0, "VNM": 46.0}, "April")
    assert sched.shock("VNM")["value"] == 46.0
    assert sched.applies_to("KOR") == "KOR has no rate in schedule us-2025-04-02"
    with pytest.raises(InputError, match="rate nan pp for MYS is impossible"):
        A.schedule_family("s", "USA", {"MYS": float("nan")}, "bad")


def test_pairs_that_do_not_apply_are_listed_not_solved(economy):
    pieces, skipped = plan(economy, targets=("USA", "DEU", "MYS"), families=("usa-tariff-25", "eu27-embargo"))
    assert [(p.target, p.family) for p in pieces] == [("DEU", "usa-tariff-25"), ("MYS", "usa-tariff-25"),
                                                     ("USA", "eu27-embargo"), ("MYS", "eu27-embargo")]
    assert ("USA", "usa-tariff-25", "USA is the imposer") in skipped
    assert ("DEU", "eu27-embargo", "DEU is a member of EU27, the imposer") in skipped


def test_a_target_outside_the_table_is_refused(economy):
    with pytest.raises(InputError, match=r"target KEN \(Kenya\) is not a separate region of the ICIO 2022 table"):
        plan(economy, targets=("MYS", "KEN"))
    with pytest.raises(InputError, match="imposer RUS has no region"):
        plan(economy, families=("rus-embargo",))


def test_keys_follow_the_inputs(economy):
    a, _ = plan(economy)
    b, _ = plan(economy)
    assert [p.key for p in a] == [p.key for p in b]
    assert len({p.key for p in a}) == len(a)
    for change in ({"seed": 1}, {"draws": 7}, {"spread": 0.2}, {"elasticities": "BSY2021"}, {"across_sets": ()}):
        c, _ = plan(economy, **change)
        assert not {p.key for p in c} & {p.key for p in a}, change
    other = A.atlas_pieces(["MYS"], [A.family("usa-tariff-25")], A.AtlasConfig(), countries=economy.countries,
                           base_year=2022, data_version="another")[0]
    assert other[0].key != a[0].key


def test_batches_group_pieces_and_spread_them_over_workers(economy):
    pieces, _ = plan(economy, targets=("MYS", "DEU", "FRA", "CHN"), families=("usa-tariff-25",), draws=9)  # 10 solves each
    assert [len(b) for b in A.batches(pieces, 20)] == [2, 2]
    assert [len(b) for b in A.batches(pieces, 20, min_tasks=4)] == [1, 1, 1, 1]
    assert [len(b) for b in A.batches(pieces, 1000)] == [4]
    assert [p for b in A.batches(pieces, 30) for p in b] == pieces
    with pytest.raises(InputError):
        A.batches(pieces, 0)


def test_a_piece_solves_with_bands_and_matches_the_plain_scenario(economy):
    pieces, _ = plan(economy, targets=("MYS",), families=("usa-tariff-25",), draws=12, seed=3)
    row = A.run_piece(economy, pieces[0])
    assert row.status == "ok" and row.draws == 12 and row.draws_failed == 0 and row.solves == 13
    assert row.welfare_p05 <= row.welfare_median <= row.welfare_p95
    assert row.exports_change_usd_mn_p05 <= row.exports_change_usd_mn_median <= row.exports_change_usd_mn_p95
    assert row.welfare_median < 0 and row.exports_change_usd_mn_median < 0
    # the point solve is the ordinary scenario written by hand
    by_hand = parse_scenario({"name": "h", "elasticities": {"kind": "cp2015"}, "shocks": [
        {"type": "tariff", "importers": ["USA"], "exporters": ["MYS"], "sectors": ["goods"], "value": 25}]})
    r = solve(economy, by_hand)
    k = economy.countries.index("MYS")
    assert row.welfare_point == pytest.approx(r.W_hat[k] - 1.0, abs=1e-12)
    # baseline exports straight from the calibrated flows at exporter prices
    T0 = economy.pi * economy.X[:, None, :] / (1.0 + economy.tau)
    assert row.exports_base_usd_mn == pytest.approx(T0[:, k, :].sum() - T0[k, k, :].sum(), rel=1e-12)
    assert all(p != "MYS" and v > 0 for p, v in row.diversions)
    rec = row.record()
    assert set(rec) == set(A.COLUMNS) and "diversion_3_usd_mn" in rec


def test_results_do_not_depend_on_batching(economy):
    pieces, _ = plan(economy, targets=("MYS", "DEU", "FRA"), families=("usa-tariff-25", "chn-embargo"), draws=6, seed=5)
    together = A.run_batch(economy, pieces)
    alone = [A.run_piece(economy, p) for p in reversed(pieces)][::-1]
    strip = lambda r: dataclasses.replace(r, seconds=0.0, cpu_seconds=0.0)  # noqa: E731 - timing is not a result
    assert [strip(r) for r in together] == [strip(r) for r in alone]
    frame = A.rows_frame(together)
    assert list(frame.columns) == list(A.COLUMNS)
    ranked = A.ranked(frame)
    for fam, part in ranked.groupby("family"):
        assert sorted(part["rank"]) == list(range(1, len(part) + 1))
        assert part.sort_values("rank")["welfare_median"].is_monotonic_increasing, fam


def test_an_embargo_that_leaves_a_country_without_supplier_is_infeasible(economy):
    pi = economy.pi.copy()
    k, c, j = economy.countries.index("MYS"), economy.countries.index("CHN"), 1
    pi[k, :, j] = 0.0
    pi[k, c, j] = 1.0  # MYS buys all of sector C26 from China
    b = dataclasses.replace(economy, pi=pi)
    pieces, _ = plan(b, targets=("MYS",), families=("chn-embargo",), draws=3)
    row = A.run_piece(b, pieces[0])
    assert row.status == "infeasible"
    assert "leave MYS with no supplier of sector C26" in row.message
    assert np.isnan(row.welfare_median) and row.draws == 0


def test_draws_that_do_not_converge_fail_the_piece_with_the_reason(economy):
    pieces, _ = plan(economy, targets=("MYS",), families=("usa-tariff-25",), draws=4, max_iter=3)
    row = A.run_piece(economy, pieces[0])
    assert row.status == "failed" and "did not converge" in row.message
    assert np.isnan(row.welfare_median)


def test_a_family_read_off_a_scenario_of_many_countries(economy):
    """Floors, exceptions and combine = 'max' come from the scenario language; untaxed targets drop out."""
    sc = parse_scenario({"name": "sched", "title": "Schedule", "shocks": [
        {"type": "tariff", "importers": ["USA"], "exporters": "all", "except_exporters": ["USA", "FRA"], "sectors": "goods", "value": 10},
        {"type": "tariff", "importers": ["USA"], "exporters": ["MYS"], "sectors": "goods", "value": 24, "combine": "max"},
        {"type": "tariff", "importers": ["USA"], "exporters": ["CHN"], "sectors": "goods", "value": 5, "combine": "max"}]})
    f = A.scenario_family(sc, "USA", countries=economy.countries, sectors=economy.sectors, tradable=economy.tradable)
    assert dict(f.rates) == {"CHN": 10.0, "DEU": 10.0, "MYS": 24.0}
    assert f.applies_to("FRA") == "FRA has no rate in schedule sched"


def test_config_is_checked():
    with pytest.raises(InputError, match="--draws must be a whole number of at least 1"):
        A.AtlasConfig(draws=0)
    with pytest.raises(InputError, match="--spread"):
        A.AtlasConfig(spread=-1)
