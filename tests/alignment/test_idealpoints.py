"""Ideal points: orientation and ordering on the real votes (nothing hard-coded but the
USA's sign), agreement with an independent proxy, and recovery of simulated ideal points."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

from geohedge.alignment import ideal_points
from geohedge.errors import InputError


@pytest.mark.shared_data
def test_usa_and_israel_at_one_end(ideal):
    f = ideal.frame
    assert f.loc[f["country"] == "USA", "ideal_point"].min() > 0
    for session in range(55, 75):  # 2000-2019
        s = ideal.session(session)
        top = s["country"].tolist()[-5:]  # Palau and the Marshall Islands sit there too
        assert "USA" in top and "ISR" in top, (session, top)


@pytest.mark.shared_data
def test_usa_opponents_at_the_other_end(ideal):
    """Cuba, Syria and Iran in the lowest 15% in every session 2000-2019; North Korea in
    the lowest 15% from its admission (session 46) to session 69. From session 70 North
    Korea moves toward the middle, as it does in the published Bailey-Strezhnev-Voeten
    estimates (-2.10 in session 69, -0.54 in 70, -0.21 in 72, -0.15 in 74)."""
    def pct(session, country):
        s = ideal.session(session)
        return float(s["ideal_point"].rank(pct=True)[s["country"] == country].iloc[0])

    for session in range(55, 75):
        for c in ("CUB", "SYR", "IRN"):
            assert pct(session, c) <= 0.15, (session, c)
    voted = set(ideal.country("PRK")["session"])
    for session in sorted(voted & set(range(46, 70))):
        assert pct(session, "PRK") <= 0.15, (session, "PRK")


FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.shared_data
def test_correlates_with_published_ideal_points(ideal):
    """Golden reference: a transcribed subset of Bailey, Strezhnev & Voeten (2017)
    ideal points (fixtures/README.md), sessions 60-74, 12-13 countries each."""
    ref = pd.read_csv(FIXTURES / "bsv_idealpoints_subset.csv").rename(columns={"iso3c": "country"})
    both = ref.merge(ideal.frame, on=["country", "session"])
    assert len(both) == len(ref) == 190
    pooled = np.corrcoef(both["IdealPoint"], both["ideal_point"])[0, 1]
    assert pooled > 0.95, pooled
    per_session = both.groupby("session")[["IdealPoint", "ideal_point"]].apply(lambda g: np.corrcoef(g["IdealPoint"], g["ideal_point"])[0, 1])
    assert per_session.min() > 0.85, per_session.to_dict()


@pytest.mark.shared_data
def test_correlates_with_agreement_with_usa(ideal, agreement):
    """Independent proxy: the share of agreement with the USA, per session year."""
    for session in (30, 45, 60, 74):
        s = ideal.session(session)
        year = session + 1945
        proxy = agreement.matrix(year)["USA"]
        both = s.set_index("country")["ideal_point"].to_frame().join(proxy.rename("agree"), how="inner")
        rho = spearmanr(both["ideal_point"], both["agree"]).statistic
        assert rho > 0.85, (session, rho)


@pytest.mark.shared_data
def test_uncertainty_and_items(ideal):
    f = ideal.frame
    assert np.isfinite(f["se"]).all() and (f["se"] > 0).all()
    assert f["se"].median() < 0.3
    assert abs(f["ideal_point"].mean()) < 1e-9 and f["ideal_point"].std(ddof=0) == pytest.approx(1.0)
    assert ideal.items["bridged"].sum() > 100  # identical resolutions across sessions
    assert (ideal.items["cut_abstain_yes"] >= ideal.items["cut_no_abstain"] - 1e-9).all()


def _simulate(seed=1, n_countries=60, n_items=150, sessions=3):
    rng = np.random.default_rng(seed)
    codes = ["USA"] + [f"C{k:02d}" for k in range(1, n_countries)]
    base = rng.normal(size=n_countries)
    base[0] = 2.0
    rows, calls, truth = [], [], []
    rcid = 0
    for t in range(1, sessions + 1):
        theta = base + 0.1 * (t - 1) * rng.normal(size=n_countries)
        truth += [(c, t, th) for c, th in zip(codes, theta, strict=True)]
        for _ in range(n_items):
            rcid += 1
            beta = rng.normal(0, 1.5)
            a1 = rng.normal(-0.5, 1)
            a2 = a1 + abs(rng.normal(0.8, 0.3))
            ystar = beta * theta + rng.logistic(size=n_countries)
            vote = np.where(ystar >= a2, "yes", np.where(ystar >= a1, "abstain", "no"))
            rows += [(rcid, c, v) for c, v in zip(codes, vote, strict=True)]
            calls.append((rcid, t, f"resolution {rcid} of session {t}"))
    votes = pd.DataFrame(rows, columns=["rcid", "country", "vote"])
    roll_calls = pd.DataFrame(calls, columns=["rcid", "session", "descr"]).assign(
        short=None, amend=False, para=False, important_vote=False, year=lambda f: 1945 + f["session"])
    return votes, roll_calls, pd.DataFrame(truth, columns=["country", "session", "theta"])


def test_recovers_simulated_ideal_points():
    votes, calls, truth = _simulate()
    fit = ideal_points(votes, calls)
    both = fit.frame.merge(truth, on=["country", "session"])
    assert len(both) == len(truth)
    for _, g in both.groupby("session"):
        assert np.corrcoef(g["ideal_point"], g["theta"])[0, 1] > 0.95


def test_bootstrap_uncertainty_is_close_to_laplace():
    votes, calls, _ = _simulate(n_countries=30, n_items=80, sessions=2)
    lap = ideal_points(votes, calls)
    boot = ideal_points(votes, calls, uncertainty="bootstrap", n_boot=10, seed=3)
    ratio = (boot.frame["se"] / lap.frame["se"]).median()
    assert 0.5 < ratio < 2.0
    np.testing.assert_allclose(boot.frame["ideal_point"], lap.frame["ideal_point"])


def test_bad_options():
    votes, calls, _ = _simulate(n_countries=10, n_items=10, sessions=1)
    with pytest.raises(InputError, match="anchor 'XXX' cast no vote"):
        ideal_points(votes, calls, anchor="XXX")
    with pytest.raises(InputError, match="unknown uncertainty method 'mcmc'"):
        ideal_points(votes, calls, uncertainty="mcmc")
