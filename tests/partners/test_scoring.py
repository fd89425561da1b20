"""Partner scoring on the hand-made fixture (conftest): every number recomputed here
independently, in loops over the invented trade table."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.stats import rankdata

from geohedge.errors import InputError
from geohedge.partners import (
    COMPONENTS,
    Weights,
    default_weights,
    parse_weights,
    partner_scores,
)
from geohedge.partners import _kernels as K
from tests.partners.conftest import TRADE

GP = {"USA": {"USA"}, "CHN": {"CHN"}, "EU27": {"DEU"}, "RUS": set(), "JPN": set()}


def _V(a: str, b: str) -> float:
    return TRADE.get(a, {}).get(b, 0) + TRADE.get(b, {}).get(a, 0)


def _C(shares: dict[str, float]) -> float:
    """Great-power concentration by the docstring's definition, written as loops."""
    total = 0.0
    for p, s in shares.items():
        member = [b for b, m in GP.items() if p in m]
        if member:
            total += s  # weight 1 on its own bloc
            continue
        own = sum(_V(p, d) for d in TRADE if d != p)
        for m in GP.values():
            total += s * sum(_V(p, x) for x in m) / own
    return total


def _home_shares() -> dict[str, float]:
    t = {p: _V("MYS", p) for p in TRADE if p != "MYS"}
    tot = sum(t.values())
    return {p: v / tot for p, v in t.items()}


def score(bilateral, home_exports, imports_by_sector, stability=None, agreement=None, weights=None):
    return partner_scores("MYS", bilateral, home_exports, imports_by_sector, year=2022, stability=stability,
                          agreement=agreement, weights=weights or default_weights(), source="hand-made")


def test_exposure_reduction_matches_explicit_shift(bilateral, home_exports, imports_by_sector):
    res = score(bilateral, home_exports, imports_by_sector)
    s = _home_shares()
    c0 = _C(s)
    assert res.concentration == pytest.approx(c0, rel=1e-12)
    for p in s:
        moved = {q: 0.95 * v + (0.05 if q == p else 0.0) for q, v in s.items()}
        want = 100 * (c0 - _C(moved))
        assert res.row(p)["exposure_reduction_pp"] == pytest.approx(want, rel=1e-10, abs=1e-12), p
    # members of a great-power bloc raise concentration; a non-member lowers it
    assert res.row("USA")["exposure_reduction_pp"] < 0 and res.row("DEU")["exposure_reduction_pp"] < 0
    assert res.row("TUR")["exposure_reduction_pp"] > 0


def test_complementarity_by_hand(bilateral, home_exports, imports_by_sector):
    res = score(bilateral, home_exports, imports_by_sector)
    x = {"C26": 0.6, "B": 0.3, "A01": 0.1}
    # TUR imports 20% C26, 70% B, 10% A01: |0.2-0.6| + |0.7-0.3| + |0.1-0.1| = 0.8 -> 100 (1 - 0.4) = 60
    assert res.row("TUR")["complementarity_index"] == pytest.approx(60.0)
    # BRA 0.5/0.1/0.4: 0.1 + 0.2 + 0.3 = 0.6 -> 70
    assert res.row("BRA")["complementarity_index"] == pytest.approx(70.0)
    assert sum(x.values()) == pytest.approx(1.0)


def test_missing_components_are_nan_and_reweighted(bilateral, home_exports, imports_by_sector, stability, agreement):
    w = default_weights()
    res = score(bilateral, home_exports, imports_by_sector, stability, agreement, w)
    f = res.to_frame().set_index("partner")
    # no gravity fit: potential missing everywhere, stated
    assert f["potential_ratio"].isna().all()
    assert any("potential is missing" in n for n in res.notes)
    # BRA has no votes: alignment, bridging, volatility are NaN, never 0
    bra = f.loc["BRA"]
    assert math.isnan(bra["alignment_distance"]) and math.isnan(bra["bridging"]) and math.isnan(bra["alignment_volatility"])
    assert set(bra["missing"].split(";")) == {"potential", "volatility", "alignment", "bridging"}
    assert bra["n_components"] == 3
    # independent scores: average-rank percentiles over the partners with data
    wv = {n: getattr(w, n) for n in Weights.names()}
    scores = {}
    for c in COMPONENTS:
        col = f[c.column]
        ok = col.notna()
        r = rankdata(col[ok] if c.higher_is_better else -col[ok], method="average")
        sc = pd.Series(np.nan, index=f.index)
        sc[ok] = (r - 1) / (ok.sum() - 1)
        scores[c.name] = sc
        np.testing.assert_allclose(f[f"{c.name}_score"], sc, rtol=1e-12, equal_nan=True)
    for p in f.index:
        num = sum(wv[k] * scores[k][p] for k in wv if not math.isnan(scores[k][p]))
        den = sum(wv[k] for k in wv if not math.isnan(scores[k][p]))
        assert f.loc[p, "overall_score"] == pytest.approx(num / den, rel=1e-12), p


def test_alignment_components_by_hand(bilateral, home_exports, imports_by_sector, agreement):
    res = score(bilateral, home_exports, imports_by_sector, agreement=agreement)
    tur = res.row("TUR")
    assert tur["alignment_distance"] == pytest.approx(1 - (0.8 + 0.9) / 2)
    # equidistance per year: 1 - (max - min) of (USA, CHN, RUS) agreement: 2018 (0.6, 0.7, 0.7) -> 0.9; 2019 (0.4, 0.7, 0.8) -> 0.6
    assert tur["bridging"] == pytest.approx((0.9 + 0.6) / 2)
    # lean = USA - mean(CHN, RUS): 2018 0.6 - 0.7 = -0.1; 2019 0.4 - 0.75 = -0.35; sample SD
    assert tur["alignment_volatility"] == pytest.approx(np.std([-0.1, -0.35], ddof=1))


def test_single_weight_ranks_by_that_component(bilateral, home_exports, imports_by_sector, stability, agreement):
    """Documented behaviour (docs/partners.md): a profile with one non-zero weight ranks by that component."""
    only = parse_weights("[weights]\ncomplementarity = 1\n", origin="only-tci")
    f = score(bilateral, home_exports, imports_by_sector, stability, agreement, only).to_frame()
    assert list(f["partner"]) == list(f.sort_values("complementarity_index", ascending=False, kind="stable")["partner"])
    stab = parse_weights("[weights]\nstability = 1\n", origin="only-wgi")
    f = score(bilateral, home_exports, imports_by_sector, stability, agreement, stab).to_frame()
    assert list(f["partner"]) == ["DEU", "USA", "CHN", "BRA", "TUR"]


def test_raising_a_weight_moves_the_ranking(bilateral, home_exports, imports_by_sector, stability, agreement):
    base = score(bilateral, home_exports, imports_by_sector, stability, agreement,
                 parse_weights("[weights]\nexposure_reduction = 1\nstability = 0.1\n"))
    more = score(bilateral, home_exports, imports_by_sector, stability, agreement,
                 parse_weights("[weights]\nexposure_reduction = 1\nstability = 10\n"))
    # TUR: best exposure reduction among the non-members but the worst stability
    assert base.rank_of("TUR") < more.rank_of("TUR")
    assert base.rank_of("DEU") > more.rank_of("DEU")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])  # fixtures are read-only
@given(st.lists(st.floats(0, 10, allow_nan=False), min_size=7, max_size=7).filter(lambda v: sum(v) > 1e-3),
       st.floats(0.1, 100))
def test_weights_renormalise_and_scores_in_range(bilateral, home_exports, imports_by_sector, stability, agreement, ws, scale):
    names = Weights.names()
    w1 = Weights(**dict(zip(names, ws, strict=True)))
    w2 = Weights(**dict(zip(names, [v * scale for v in ws], strict=True)))
    f1 = score(bilateral, home_exports, imports_by_sector, stability, agreement, w1).to_frame()
    f2 = score(bilateral, home_exports, imports_by_sector, stability, agreement, w2).to_frame()
    overall = f1["overall_score"].dropna()
    assert ((overall >= 0) & (overall <= 1)).all()
    for c in COMPONENTS:
        s = f1[f"{c.name}_score"].dropna()
        assert ((s >= 0) & (s <= 1)).all()
    np.testing.assert_allclose(f1.set_index("partner")["overall_score"], f2.set_index("partner")["overall_score"].reindex(f1["partner"]), rtol=1e-12)


@pytest.mark.parametrize(("text", "message"), [
    ("[weights]\npotential = -1\n", "w.toml: weight potential = -1 is negative; weights must be >= 0"),
    ("[weights]\nluck = 1\n", "w.toml: unknown weight 'luck'; use exposure_reduction, complementarity, potential, stability, volatility, alignment, bridging"),
    ("[weights]\npotential = 0\n", "w.toml: all weights are zero; give at least one positive weight"),
    ("[weights]\npotential = 'high'\n", "w.toml: weight potential = 'high' must be a finite number"),
    ("[weights]\npotential = nan\n", "w.toml: weight potential = nan must be a finite number"),
    ("colour = 1\n[weights]\npotential = 1\n", "w.toml: unknown key 'colour'; a profile has 'shift' and a [weights] table"),
    ("shift = 0.9\n[weights]\npotential = 1\n", "w.toml: shift = 0.9 must be a share in (0, 0.5], e.g. 0.05 for 5% of trade"),
    ("potential = 1\n", "w.toml: unknown key 'potential'; a profile has 'shift' and a [weights] table"),
    ("shift = 0.05\n", "w.toml: missing [weights] table; give weights for exposure_reduction, complementarity, potential, stability, volatility, alignment, bridging"),
])
def test_bad_weights_rejected_with_one_line(text, message):
    with pytest.raises(InputError) as exc:
        parse_weights(text, origin="w.toml")
    assert str(exc.value) == message
    assert "\n" not in str(exc.value)


def test_default_profile_loads():
    w = default_weights()
    assert w.values().sum() == pytest.approx(1.0)
    assert w.shift == 0.05
    assert set(w.normalised()) == {c.name for c in COMPONENTS}


def test_home_without_trade_is_an_input_error(bilateral, home_exports, imports_by_sector):
    with pytest.raises(InputError, match="IDN has no trade"):
        partner_scores("IDN", bilateral, home_exports, imports_by_sector, year=2022, source="hand-made")


@given(st.lists(st.one_of(st.floats(-5, 5, allow_nan=False), st.just(float("nan"))), min_size=1, max_size=30), st.booleans())
def test_rank_score_matches_scipy(values, higher):
    v = np.array(values)
    got = K.rank_score(v, higher)
    ok = np.isfinite(v)
    assert np.isnan(got[~ok]).all()
    if ok.sum() >= 2:
        r = rankdata(v[ok] if higher else -v[ok], method="average")
        np.testing.assert_allclose(got[ok], (r - 1) / (ok.sum() - 1), rtol=1e-12, atol=1e-15)
    elif ok.sum() == 1:
        assert got[ok][0] == 1.0


def test_pair_years_with_few_shared_votes_are_left_out(bilateral, home_exports, imports_by_sector, agreement):
    import dataclasses

    n = agreement.n_votes.copy()
    k = {c: i for i, c in enumerate(agreement.countries)}
    n[0, k["TUR"], k["MYS"]] = n[0, k["MYS"], k["TUR"]] = 5  # 2018: below min_votes = 10
    res = score(bilateral, home_exports, imports_by_sector, agreement=dataclasses.replace(agreement, n_votes=n))
    assert res.row("TUR")["alignment_distance"] == pytest.approx(1 - 0.9)  # 2019 only


def test_home_without_votes_leaves_distance_missing_but_bridging(bilateral, home_exports, imports_by_sector, agreement):
    import dataclasses

    keep = [i for i, c in enumerate(agreement.countries) if c != "MYS"]
    ag = dataclasses.replace(agreement, countries=tuple(agreement.countries[i] for i in keep),
                             agreement=agreement.agreement[:, keep][:, :, keep], n_votes=agreement.n_votes[:, keep][:, :, keep])
    res = score(bilateral, home_exports, imports_by_sector, agreement=ag)
    tur = res.row("TUR")
    assert math.isnan(tur["alignment_distance"]) and tur["bridging"] == pytest.approx(0.75)
    assert any("MYS cast no UN vote" in n for n in res.notes)
