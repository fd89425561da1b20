"""Scoring on invented components (conftest): the formula recomputed row by row, the property
that a negative exposure reduction never ranks a partner up, missing data, the rank intervals
and the one-line errors for bad profiles."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from geohedge.errors import InputError
from geohedge.partners import (
    VAExposure,
    Weights,
    default_weights,
    parse_weights,
    score_partners,
)
from tests.partners.conftest import make_components, with_reduction

X = 0.55


def exposure(x: float = X) -> VAExposure:
    return VAExposure("MYS", 2022, x, pd.DataFrame(columns=["destination", "dva_usd_mn", "va_gp_content"]), (), "hand-made")


def score(f: pd.DataFrame, w: Weights | None = None, seed: int = 0, x: float = X):
    w = w or default_weights()
    return score_partners(with_reduction(f, x, w.shift), home="MYS", year=2022, exposure=exposure(x), weights=w, seed=seed, source="hand-made")


def test_score_formula_row_by_row():
    f = make_components(8, seed=2)
    w = default_weights()
    res = score(f, w).frame.set_index("partner")
    for r in f.itertuples():
        red = X - r.va_gp_content
        s = min(w.shift, w.growth * r.export_share, w.capture * r.capacity_share)
        q = {"potential": norm.cdf(r.potential_z), "stability": norm.cdf(r.stability_wgi), "vote_volatility": 1 - 2 * r.vote_volatility,
             "tariff_volatility": (1 + r.tariff_volatility_pp / 100) ** -5, "agreement": float(r.agreement_in_force),
             "alignment": r.agreement_with_home, "bridging": r.bridging}
        Q = sum(getattr(w, k) * v for k, v in q.items()) / w.values().sum()
        want = 100 * max(red, 0) * s * Q
        got = res.loc[r.partner]
        assert got["score_pp"] == pytest.approx(want, rel=1e-10, abs=1e-15), r.partner
        assert got["reduces_exposure"] == (red > 0)
        assert got["quality"] == pytest.approx(Q, rel=1e-12)
        assert got["shift_pp"] == pytest.approx(100 * s, rel=1e-12)


def test_reducing_partners_come_first_and_in_score_order():
    f = make_components(10, seed=3)
    fr = score(f).frame
    red = fr["reduces_exposure"].to_numpy()
    assert list(fr["rank"]) == list(range(1, len(fr) + 1))
    assert not (np.diff(red.astype(int)) > 0).any()  # never a reducing partner after a raising one
    s = fr.loc[fr["reduces_exposure"], "score_pp"].to_numpy()
    assert (np.diff(s) <= 1e-15).all()
    rest = fr.loc[~fr["reduces_exposure"], "va_exposure_reduction_pp"].to_numpy()
    assert (np.diff(rest) <= 1e-15).all()  # least harmful first


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.001, 0.9), st.floats(0.001, 0.9), st.booleans())
def test_negative_reduction_never_outranks_positive(seed, pos_gap, neg_gap, same_quality):
    """Property: two partners equal on every other component, one with a positive and one with a
    negative exposure reduction: the positive one always ranks higher, for any seed and weights."""
    f = make_components(6, seed=seed % 97)
    twin = f.iloc[[0]].copy()
    twin["partner"] = twin["name"] = "XXX"
    f = pd.concat([f, twin], ignore_index=True)
    f.loc[0, "va_gp_content"] = X - pos_gap * X  # positive reduction
    f.loc[len(f) - 1, "va_gp_content"] = X + neg_gap * (1 - X)  # negative reduction, everything else equal
    rng = np.random.default_rng(seed)
    w = Weights(**dict(zip(Weights.names(), rng.uniform(0, 1, 7) + (0 if same_quality else 0.01), strict=True)), draws=20)
    res = score(f, w, seed=seed)
    assert res.rank_of(f.loc[0, "partner"]) < res.rank_of("XXX")
    row = res.row("XXX")
    assert row["score_pp"] == 0.0 and not row["reduces_exposure"]
    assert row["rank_p10"] > res.row(f.loc[0, "partner"])["rank_p90"] or row["rank_p10"] >= res.row(f.loc[0, "partner"])["rank_median"]


def test_better_index_never_lowers_the_score():
    f = make_components(6, seed=4)
    base = score(f).frame.set_index("partner")["score_pp"]
    g = f.copy()
    g.loc[2, "stability_wgi"] += 1.0
    g.loc[3, "tariff_volatility_pp"] = 0.0
    up = score(g).frame.set_index("partner")["score_pp"]
    assert (up >= base - 1e-15).all()
    assert up[f.loc[2, "partner"]] >= base[f.loc[2, "partner"]]


def test_missing_index_takes_the_lowest_candidate_value_and_is_flagged():
    f = make_components(6, seed=5)
    f.loc[1, ["agreement_with_home", "bridging", "vote_volatility"]] = np.nan  # e.g. not a UN member
    fr = score(f).frame.set_index("partner")
    p = f.loc[1, "partner"]
    assert fr.loc[p, "imputed"] == "vote_volatility;alignment;bridging"
    assert "imputed: vote_volatility, alignment, bridging" in fr.loc[p, "flags"]
    others = f.drop(index=1)
    full = f.copy()
    full.loc[1, "agreement_with_home"] = others["agreement_with_home"].min()
    full.loc[1, "bridging"] = others["bridging"].min()
    full.loc[1, "vote_volatility"] = others["vote_volatility"].max()  # lowest index = highest volatility
    assert fr.loc[p, "quality"] == pytest.approx(score(full).frame.set_index("partner").loc[p, "quality"], rel=1e-12)


def test_index_nobody_has_leaves_the_quality_factor():
    f = make_components(5, seed=6)
    f[["agreement_with_home", "bridging", "vote_volatility"]] = np.nan  # no votes loaded
    res = score(f)
    w = default_weights()
    r = f.iloc[0]
    Q = (w.potential * norm.cdf(r.potential_z) + w.stability * norm.cdf(r.stability_wgi)
         + w.tariff_volatility * (1 + r.tariff_volatility_pp / 100) ** -5 + w.agreement * float(r.agreement_in_force)) / (
        w.potential + w.stability + w.tariff_volatility + w.agreement)
    assert res.row(r.partner)["quality"] == pytest.approx(Q, rel=1e-12)
    assert res.row(r.partner)["imputed"] == ""
    assert any("alignment: no candidate has data" in n for n in res.notes)


def test_small_market_flag():
    f = make_components(6, seed=7)
    f.loc[0, "trade_share"] = 0.004
    f.loc[1, "trade_share"] = 0.006
    fr = score(f).frame.set_index("partner")
    assert "small market" in fr.loc[f.loc[0, "partner"], "flags"]
    assert "small market" not in fr.loc[f.loc[1, "partner"], "flags"]


def test_rank_intervals_are_reproducible_with_a_seed():
    f = make_components(10, seed=8)
    a, b = score(f, seed=1).frame, score(f, seed=1).frame
    pd.testing.assert_frame_equal(a, b)
    assert (a["rank_p10"] <= a["rank_median"]).all() and (a["rank_median"] <= a["rank_p90"]).all()
    none = score(f, dataclasses.replace(default_weights(), draws=0)).frame
    assert none["rank_median"].isna().all() and not none["weight_sensitive"].any()
    pd.testing.assert_series_equal(none["rank"], a["rank"])  # draws never change the point ranking


def test_weight_sensitive_partner_near_the_top_ten_boundary():
    """Nine leaders and two contenders for tenth place that differ only in which index they excel at:
    AAA leads when the bridging weight exceeds 1.4 times the alignment weight (as in the default
    profile, 2x), BBB otherwise, so the Dirichlet weight draws decide."""
    f = make_components(9, seed=9)
    f = pd.concat([f, f.iloc[[0, 1]].assign(partner=["AAA", "BBB"], name=["AAA", "BBB"])], ignore_index=True)
    f["va_gp_content"] = 0.1
    f["export_share"] = 0.5
    f["capacity_share"] = 10.0
    f["agreement_in_force"] = True
    f[["potential_z", "stability_wgi"]] = 0.0
    f[["vote_volatility", "tariff_volatility_pp"]] = 0.0
    f[["agreement_with_home", "bridging"]] = 0.9
    f.loc[f["partner"] == "AAA", ["agreement_with_home", "bridging"]] = [0.3, 1.0]
    f.loc[f["partner"] == "BBB", ["agreement_with_home", "bridging"]] = [1.0, 0.5]
    f.loc[~f["partner"].isin(["AAA", "BBB"]), ["agreement_with_home", "bridging"]] = 1.0  # the other ten lead
    res = score(f)
    fr = res.frame.set_index("partner")
    assert fr.loc["AAA", "rank"] == 10 and fr.loc["BBB", "rank"] == 11
    assert fr.loc["AAA", "weight_sensitive"] and fr.loc["BBB", "weight_sensitive"]
    assert 0.05 < fr.loc["AAA", "p_top10"] < 0.95 and 0.05 < fr.loc["BBB", "p_top10"] < 0.95
    assert not fr.drop(index=["AAA", "BBB"])["weight_sensitive"].any()
    assert "weight-sensitive" in fr.loc["AAA", "flags"]
    other = score(f, seed=1).frame.set_index("partner")
    assert other.loc["AAA", "p_top10"] != fr.loc["AAA", "p_top10"]  # another seed, other draws


@pytest.mark.parametrize(("text", "message"), [
    ("[weights]\npotential = -1\n", "w.toml: weight potential = -1 is negative; weights must be >= 0"),
    ("[weights]\nluck = 1\n", "w.toml: unknown weight 'luck'; use potential, stability, vote_volatility, tariff_volatility, agreement, alignment, bridging"),
    ("[weights]\nexposure_reduction = 1\n", ("w.toml: unknown weight 'exposure_reduction' (exposure reduction and capacity are the score "
                                              "itself, not weighted); use potential, stability, vote_volatility, tariff_volatility, agreement, "
                                              "alignment, bridging")),
    ("[weights]\npotential = 0\nstability = 0\n", "w.toml: weights sum to zero; give at least one positive weight"),
    ("[weights]\npotential = 'high'\n", "w.toml: weight potential = 'high' must be a finite number"),
    ("[weights]\npotential = nan\n", "w.toml: weight potential = nan must be a finite number"),
    ("colour = 1\n[weights]\npotential = 1\n", "w.toml: unknown key 'colour'; a profile has shift, growth, capture, small_market, concentration, draws and a [weights] table"),
    ("shift = 0.9\n[weights]\npotential = 1\n", "w.toml: shift = 0.9 must be a number in (0, 0.2], e.g. 0.01 for 1% of exports"),
    ("draws = 2.5\n[weights]\npotential = 1\n", "w.toml: draws = 2.5 must be an integer in [0, 10000], e.g. 500"),
    ("shift = 0.05\n", "w.toml: missing [weights] table; give weights for potential, stability, vote_volatility, tariff_volatility, agreement, alignment, bridging"),
])
def test_bad_profiles_rejected_with_one_line(text, message):
    with pytest.raises(InputError) as exc:
        parse_weights(text, origin="w.toml")
    assert str(exc.value) == message
    assert "\n" not in str(exc.value)


def test_default_profile():
    w = default_weights()
    assert w.values().sum() == pytest.approx(1.0)
    assert (w.shift, w.growth, w.capture, w.small_market, w.draws) == (0.01, 0.5, 0.02, 0.005, 500)
    assert set(w.normalised()) == set(Weights.names())


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0, 10, allow_nan=False), min_size=7, max_size=7).filter(lambda v: sum(v) > 1e-3), st.floats(0.1, 100))
def test_scaling_all_weights_changes_nothing(ws, scale):
    f = make_components(6, seed=10)
    names = Weights.names()
    a = score(f, Weights(**dict(zip(names, ws, strict=True)), draws=0)).frame
    b = score(f, Weights(**dict(zip(names, [v * scale for v in ws], strict=True)), draws=0)).frame
    np.testing.assert_allclose(a["score_pp"], b["score_pp"], rtol=1e-12)
    assert list(a["partner"]) == list(b["partner"])
