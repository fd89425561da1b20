"""Agreement index: invariants on the real votes, hand-checked roll calls, an independent
pandas implementation, and property tests on random vote matrices."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from geohedge.alignment import agreement_scores
from geohedge.alignment._kernels import agreement_sums
from geohedge.errors import InputError

pytestmark = pytest.mark.shared_data

VALUE = {"yes": 1.0, "abstain": 0.5, "no": 0.0}


def test_self_agreement_is_one(agreement):
    for p in range(len(agreement.periods)):
        diag = np.diagonal(agreement.agreement[p])
        voted = np.diagonal(agreement.n_votes[p]) > 0
        assert voted.any()
        np.testing.assert_array_equal(diag[voted], 1.0)
        assert np.isnan(diag[~voted]).all()


def test_matrix_is_symmetric(agreement):
    a = agreement.agreement
    np.testing.assert_array_equal(np.nan_to_num(a, nan=-1), np.nan_to_num(a.transpose(0, 2, 1), nan=-1))
    np.testing.assert_array_equal(agreement.n_votes, agreement.n_votes.transpose(0, 2, 1))
    finite = a[np.isfinite(a)]
    assert finite.min() >= 0 and finite.max() <= 1


def test_covers_1946_to_2019(agreement):
    years = set(agreement.periods.tolist())
    assert set(range(1946, 2020)) - years == {1964}  # the 19th session held no recorded vote in 1964


def test_two_roll_calls_by_hand(vote_data, raw_votes):
    """Two 2019 roll calls with published tallies, checked from the raw votes.

    rcid 9058: A/RES/74/7, ending the US embargo against Cuba, 187-3-2 (no: USA, Israel,
    Brazil; abstain: Colombia, Ukraine). rcid 9141: A/RES/74/88, Israeli settlements,
    157-7-15 (no: USA, Canada, Israel, Micronesia, Marshall Islands, Nauru, Papua New
    Guinea; abstentions include Australia, Brazil, Colombia). Agreement per roll call is
    1 - |v_i - v_j| with yes 1, abstain 1/2, no 0; the index is the mean of the two.
    """
    votes, _, _ = raw_votes
    two = votes[votes["rcid"].isin([9058, 9141])]
    tally = {rc: g["vote"].value_counts().to_dict() for rc, g in two.groupby("rcid")}
    assert tally[9058] == {"yes": 187, "no": 3, "abstain": 2}
    assert tally[9141] == {"yes": 157, "abstain": 15, "no": 7}
    cast = {(r.rcid, r.country_code): r.vote for r in two.itertuples()}
    assert [cast[(9058, c)] for c in ("US", "BR", "CO", "MY", "AU")] == ["no", "no", "abstain", "yes", "yes"]
    assert [cast[(9141, c)] for c in ("US", "BR", "CO", "MY", "AU")] == ["no", "abstain", "abstain", "yes", "abstain"]
    calls = vote_data.roll_calls[vote_data.roll_calls["rcid"].isin([9058, 9141])]
    ag = agreement_scores(vote_data.votes, calls)
    m = ag.matrix(2019)
    assert m.loc["USA", "BRA"] == 0.75  # (1 + 1/2) / 2
    assert m.loc["USA", "COL"] == 0.5  # (1/2 + 1/2) / 2
    assert m.loc["USA", "MYS"] == 0.0
    assert m.loc["BRA", "MYS"] == 0.25  # (0 + 1/2) / 2
    assert m.loc["COL", "AUS"] == 0.75  # (1/2 + 1) / 2
    assert ag.pair("USA", "BRA")["n_votes"].tolist() == [2]


def _naive(votes: pd.DataFrame, rcids) -> pd.DataFrame:
    """Independent implementation: a pandas self-join on roll call id."""
    v = votes[votes["rcid"].isin(rcids)].assign(value=lambda f: f["vote"].map(VALUE))
    j = v.merge(v, on="rcid", suffixes=("_a", "_b"))
    j["agree"] = 1.0 - (j["value_a"] - j["value_b"]).abs()
    return j.groupby(["country_a", "country_b"])["agree"].agg(["mean", "size"])


@pytest.mark.parametrize("year", [1950, 1985, 2019])
def test_matches_a_pandas_self_join(vote_data, agreement, year):
    calls = vote_data.roll_calls
    naive = _naive(vote_data.votes, calls.loc[calls["year"] == year, "rcid"])
    m = agreement.matrix(year)
    got = m.stack().rename("mean")
    got.index.names = ["country_a", "country_b"]
    both = naive.join(got, rsuffix="_ours", how="outer")
    assert both["mean_ours"].notna().all() and both["mean"].notna().all()
    np.testing.assert_allclose(both["mean_ours"], both["mean"], rtol=0, atol=1e-12)
    p = agreement._p(year)
    codes = list(agreement.countries)
    n = agreement.n_votes[p]
    for (a, b), size in naive["size"].items():
        assert n[codes.index(a), codes.index(b)] == size


def test_issue_restriction_matches_raw(vote_data, raw_votes):
    votes, calls, issues = raw_votes
    me = set(issues.loc[issues["short_name"] == "me", "rcid"])
    rc2019 = calls.loc[(calls["date"].dt.year == 2019) & calls["rcid"].isin(me), "rcid"]
    raw = votes[votes["rcid"].isin(rc2019)]
    us = raw[raw["country_code"] == "US"].set_index("rcid")["vote"].map(VALUE)
    tr = raw[raw["country_code"] == "TR"].set_index("rcid")["vote"].map(VALUE)
    shared = us.index.intersection(tr.index)
    expected = float((1 - (us[shared] - tr[shared]).abs()).mean())
    ag = agreement_scores(vote_data.votes, vote_data.roll_calls, vote_data.issues, issue="me", periods=[2019])
    assert ag.matrix(2019).loc["USA", "TUR"] == pytest.approx(expected, abs=1e-12)
    assert ag.pair("USA", "TUR")["n_votes"].iloc[0] == len(shared) > 5


def test_important_votes_only(vote_data):
    ag = agreement_scores(vote_data.votes, vote_data.roll_calls, important_only=True, periods=[1990])
    n_important = int(vote_data.roll_calls.query("year == 1990")["important_vote"].fillna(False).sum())
    assert 0 < ag.pair("USA", "USA")["n_votes"].iloc[0] <= n_important


def test_by_session(vote_data):
    ag = agreement_scores(vote_data.votes, vote_data.roll_calls, by="session", periods=[74])
    n = int((vote_data.roll_calls["session"] == 74).sum())
    assert ag.pair("USA", "USA")["n_votes"].iloc[0] == n == 91


def test_year_without_votes(vote_data):
    with pytest.raises(InputError) as exc:
        agreement_scores(vote_data.votes, vote_data.roll_calls, periods=[1964])
    assert str(exc.value) == "no UN General Assembly roll calls in year 1964; years with votes run 1946-2020 (none in 1964)"


def test_unknown_issue(vote_data):
    with pytest.raises(InputError) as exc:
        agreement_scores(vote_data.votes, vote_data.roll_calls, vote_data.issues, issue="xx")
    assert str(exc.value).startswith("unknown issue code 'xx'; use one of co (colonialism), di (arms control and disarmament)")


def test_to_frame_long(agreement):
    f = agreement.to_frame()
    assert list(f.columns) == ["year", "country_a", "country_b", "agreement", "n_votes"]
    assert (f["country_a"] < f["country_b"]).all() and (f["n_votes"] > 0).all()


votes_matrix = arrays(np.int8, st.tuples(st.integers(1, 7), st.integers(1, 12)), elements=st.integers(0, 3))


@given(votes_matrix)
@settings(max_examples=200, deadline=None)
def test_kernel_equals_brute_force(V):
    S, n = agreement_sums(V)
    N, K = V.shape
    for a in range(N):
        for b in range(N):
            shared = [(V[a, k] - 1) / 2 for k in range(K) if V[a, k] and V[b, k]], [(V[b, k] - 1) / 2 for k in range(K) if V[a, k] and V[b, k]]
            assert n[a, b] == len(shared[0])
            assert S[a, b] == pytest.approx(sum(1 - abs(x - y) for x, y in zip(*shared, strict=True)), abs=1e-6)
    assert (S <= n + 1e-9).all() and (S >= 0).all()
    np.testing.assert_array_equal(S, S.T)


# --- the published definition and the State Department's ------------------------------

FIXTURES = Path(__file__).parent / "fixtures"
PUBLISHED_COLUMNS = {"USAgree": "USA", "RUSSAgree": "RUS", "BrazilAgree": "BRA", "ChinaAgree": "CHN", "IndiaAgree": "IND", "IsraelAgree": "ISR"}


@pytest.mark.parametrize("session", [68, 70, 74])
def test_identical_index_recomputes_the_published_scores(vote_data, published_raw, session):
    """The published USAgree ... IsraelAgree are shares of identical votes per session:
    recomputed from the roll calls they match within 0.02 for every country and all six
    partners (2013, 2015, 2019; sessions in which the two vote sets coincide)."""
    ag = agreement_scores(vote_data.votes, vote_data.roll_calls, vote_data.issues, by="session", index="identical", periods=[session])
    m = ag.matrix(session)
    pub = published_raw[published_raw["session"] == session]
    pub = pub.assign(country=pub["iso3c"].where(pub["ccode"] != 680, "YMD"))
    checked = 0
    for col, partner in PUBLISHED_COLUMNS.items():
        rows = pub.dropna(subset=[col])
        rows = rows[rows["country"].isin(m.index)]
        diff = (m.loc[rows["country"], partner].to_numpy() - rows[col].to_numpy())
        assert np.abs(diff).max() <= 0.02, (partner, float(np.abs(diff).max()))
        checked += len(rows)
    assert checked > 1000
    half = agreement_scores(vote_data.votes, vote_data.roll_calls, by="session", periods=[session]).matrix(session)
    usa = pub.set_index("country")["USAgree"]
    # the half-credit index is not the published definition: it credits abstentions
    assert (half.loc["MYS", "USA"] - usa["MYS"]) > 0.05


def test_state_department_coincidence_matches_the_reports(vote_data):
    """Golden values: the State Department's published coincidence with the USA, 2017-2019,
    seven WEOG members (fixtures/README.md)."""
    from geohedge.alignment import state_department_coincidence

    ref = pd.read_csv(FIXTURES / "state_department_coincidence.csv")
    got = state_department_coincidence(vote_data.votes, vote_data.roll_calls, "USA", years=[2017, 2018, 2019])
    both = ref.merge(got, on=["country", "year"])
    assert len(both) == len(ref) == 21
    dev = (both["coincidence"] * 100 - both["coincidence_pct"]).abs()
    assert dev.max() <= 3.5, both.assign(dev=dev).sort_values("dev").tail(3).to_dict("records")
    assert dev.mean() <= 2.0
    # the counts add up, and final votes only is what brings 2017 close (amendment and
    # paragraph votes were a quarter of that year's roll calls)
    assert (both["same"] + both["opposite"] + both["partial"] == both["n_votes"]).all()
    allv = agreement_scores(vote_data.votes, vote_data.roll_calls, periods=[2017], countries=list(ref["country"].unique()) + ["USA"])
    r17 = both[both["year"] == 2017]
    dev_all = np.abs([allv.matrix(2017).loc[c, "USA"] * 100 - p for c, p in zip(r17["country"], r17["coincidence_pct"], strict=True)])
    assert dev_all.mean() > 2 * dev[both["year"] == 2017].mean()


def test_state_dept_index_is_half_credit_on_final_votes(vote_data):
    from geohedge.alignment import final_votes, state_department_coincidence

    sd = agreement_scores(vote_data.votes, vote_data.roll_calls, index="state-dept", periods=[2019])
    assert sd.index == "state_dept" and "final votes only" in sd.provenance.subset
    same = agreement_scores(vote_data.votes, final_votes(vote_data.roll_calls), periods=[2019])
    np.testing.assert_allclose(sd.matrix(2019).loc["MYS", ["USA", "CHN"]], same.matrix(2019).loc["MYS", ["USA", "CHN"]])
    counts = state_department_coincidence(vote_data.votes, vote_data.roll_calls, "USA", years=[2019]).set_index("country")
    assert counts.loc["MYS", "coincidence"] == pytest.approx(sd.matrix(2019).loc["MYS", "USA"])
    with pytest.raises(InputError, match="by calendar year"):
        agreement_scores(vote_data.votes, vote_data.roll_calls, by="session", index="state_dept")
    with pytest.raises(InputError, match="unknown agreement index 'xx'; use one of half, identical, state-dept"):
        agreement_scores(vote_data.votes, vote_data.roll_calls, index="xx")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="XYZ cast no vote"):
        state_department_coincidence(vote_data.votes, vote_data.roll_calls, "XYZ", years=[2019])


@given(votes_matrix)
@settings(max_examples=60, deadline=None)
def test_identical_share_by_brute_force(V):
    S, n = agreement_sums(V, partial=0.0)
    N, K = V.shape
    for a in range(N):
        for b in range(N):
            both = (V[a] > 0) & (V[b] > 0)
            assert n[a, b] == both.sum()
            assert S[a, b] == pytest.approx(float(((V[a] == V[b]) & both).sum()))
