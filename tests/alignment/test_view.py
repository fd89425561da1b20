"""Alignment to the present: roll calls where they exist, the published scores after them,
each row labelled; checked against the published file read with pandas and against the
roll-call index computed by the library."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geohedge.alignment import agreement_scores, agreement_series, position, spliced_ideal_points
from geohedge.errors import InputError
from geohedge.views.alignment import alignment_view, pair_agreement
from geohedge.views.votes import query_published

pytestmark = pytest.mark.shared_data


def _pub(published_raw, iso3):
    return published_raw[published_raw["iso3c"] == iso3].set_index("session")


def test_series_runs_to_2023_with_the_published_scores(shipped_store, published_raw):
    view = alignment_view(shipped_store, "MYS")
    f = view.focus.frame.set_index("year")
    assert f.index.min() == 1957 and f.index.max() == 2023  # Malaysia joined in September 1957
    assert set(f.loc[:2019, "source"]) == {"roll calls"} and set(f.loc[2020:, "source"]) == {"published"}
    mys = _pub(published_raw, "MYS")
    for year in (2020, 2021, 2022, 2023):
        s = year - 1945
        assert f.loc[year, "session"] == s
        assert f.loc[year, "agree_USA"] == pytest.approx(mys.loc[s, "USAgree"])
        assert f.loc[year, "agree_CHN"] == pytest.approx(mys.loc[s, "ChinaAgree"])
        assert f.loc[year, "agree_RUS"] == pytest.approx(mys.loc[s, "RUSSAgree"])
        assert f.loc[year, "ideal_point"] == pytest.approx(mys.loc[s, "IdealPointAll"])
    # the seam is not a break of definition: in session 74 the roll calls give the published value
    assert f.loc[2019, "agree_USA"] == pytest.approx(mys.loc[74, "USAgree"], abs=1e-6)
    assert np.isfinite(f.loc[2021:, "equidistance_volatility"]).all()
    assert "identical-vote share" in view.caption and "sessions 75-78 (opened 2020-2023)" in view.caption


@pytest.mark.parametrize("iso3", ["MYS", "VNM", "MEX", "DEU", "KEN", "USA", "CHN"])
def test_every_country_reaches_2023(shipped_store, iso3):
    view = alignment_view(shipped_store, iso3)
    last = view.focus.frame.iloc[-1]
    assert int(last["year"]) == 2023 and last["source"] == "published"
    assert iso3 not in view.powers and len(view.powers) >= 2
    assert 0 <= last["equidistance"] <= 1 and np.isfinite(last["ideal_point"])


def test_since_and_the_last_year_held(shipped_store):
    since = alignment_view(shipped_store, "MYS", since=2021).focus.frame
    assert list(since["year"]) == [2021, 2022, 2023]
    with pytest.raises(InputError) as exc:
        alignment_view(shipped_store, "MYS", since=2026)
    assert str(exc.value) == ("no UN General Assembly agreement for MYS since 2026; the last year held is 2023 "
                              "(session 78, which opened in September 2023; published)")
    with pytest.raises(InputError, match=r"the last year held is 2019 \(calendar year; roll calls\); the half index needs the roll calls"):
        alignment_view(shipped_store, "MYS", index="half", since=2021)


def test_half_credit_and_published_shown_side_by_side(shipped_store, published_raw, agreement):
    """2010-2019: geohedge's half-credit index (calendar year) and the published USAgree for
    MYS, TUR, CHN and RUS, in one table; their difference is explained in the notes."""
    view = alignment_view(shipped_store, "MYS", partners=["TUR"], compare=["CHN", "RUS"])
    comp = view.comparison[view.comparison["year"].between(2010, 2019)]
    assert set(comp["country"]) == {"MYS", "TUR", "CHN", "RUS"} and len(comp) == 40
    for c in ("MYS", "TUR", "CHN", "RUS"):
        got = comp[comp["country"] == c].set_index("year")
        pub = _pub(published_raw, c)
        assert got.loc[2019, "half_year"] == pytest.approx(agreement.matrix(2019).loc[c, "USA"])
        assert got.loc[2019, "published"] == pytest.approx(pub.loc[74, "USAgree"])
        assert (got["half_year"] > got["published"]).all()  # abstentions credited 1/2 vs 0
    assert any("half-credit index 0.217 for the calendar year" in n and "published 0.143" in n for n in view.notes)


def test_partners_agreement_with_the_focus_stops_with_the_roll_calls(shipped_store, agreement):
    view = alignment_view(shipped_store, "MYS", partners=["TUR", "IDN"])
    tur = view.frame[view.frame["country"] == "TUR"].set_index("year")
    assert tur.loc[2019, "agree_MYS"] == pytest.approx(agreement_scores(  # noqa: PD011
        *_votes(shipped_store), by="session", index="identical", periods=[74]).matrix(74).loc["TUR", "MYS"])
    assert tur.loc[2020:, "agree_MYS"].isna().all()
    assert any("not published" in n for n in view.notes)


def _votes(store):
    from geohedge.views.votes import query_votes

    vd = query_votes(store)
    return vd.votes, vd.roll_calls, vd.issues


def test_pair_agreement_for_the_reliability_score(shipped_store, published_raw):
    usa = pair_agreement(shipped_store, "MYS", "USA")
    assert list(usa.columns) == ["year", "session", "agreement", "n_votes", "source", "index"]
    assert usa["year"].min() == 1957 and usa["year"].max() == 2023
    assert usa.set_index("year").loc[2022, "agreement"] == pytest.approx(_pub(published_raw, "MYS").loc[77, "USAgree"])
    assert set(usa.loc[usa["year"] >= 2020, "source"]) == {"published"}
    # the published file has no MYS-TUR agreement; the half-credit index has no 2020 (two January roll calls)
    assert pair_agreement(shipped_store, "MYS", "TUR")["year"].max() == 2019
    half = pair_agreement(shipped_store, "MYS", "USA", index="half")
    assert half["year"].max() == 2019 and half["session"].isna().all() and (half["source"] == "roll calls").all()
    rus = pair_agreement(shipped_store, "USA", "MYS")  # the other way round, from the published MYS row
    assert rus.set_index("year").loc[2023, "agreement"] == pytest.approx(usa.set_index("year").loc[2023, "agreement"])


def test_issue_restriction_uses_roll_calls_only(shipped_store):
    view = alignment_view(shipped_store, "MYS", issue="hr")
    assert view.focus.frame["year"].max() == 2019 and set(view.focus.frame["source"]) == {"roll calls"}
    assert any("roll calls only" in n for n in view.notes)


def test_spliced_ideal_points_put_own_estimates_on_the_published_scale(shipped_store, ideal):
    pub = query_published(shipped_store)
    pts = spliced_ideal_points(ideal, pub.ideal_points)
    mine = pts[pts["ideal_source"] == "geohedge"].merge(pub.ideal_points, on=["country", "session"], suffixes=("", "_pub"))
    assert pts[pts["ideal_source"] == "published"]["session"].min() == 75
    slope, intercept = np.polyfit(mine["ideal_point"], mine["ideal_point_pub"], 1)
    assert slope == pytest.approx(1.0, abs=1e-9) and intercept == pytest.approx(0.0, abs=1e-9)
    assert spliced_ideal_points(None, pub.ideal_points)["ideal_source"].eq("published").all()


def test_series_needs_the_identical_index_to_continue(vote_data, shipped_store):
    pub = query_published(shipped_store)
    half = agreement_scores(vote_data.votes, vote_data.roll_calls, by="session", periods=range(70, 75))
    s = agreement_series(half, "MYS", ["USA", "CHN"], published=pub.agreement, published_votes=pub.ideal_points)
    assert s.frame["session"].max() == 74  # a half-credit series is not continued with identical-vote shares
    with pytest.raises(InputError, match="this agreement series is MYS's, not TUR's"):
        position(s, "TUR", powers=["USA", "CHN"])
    assert isinstance(s.to_frame(), pd.DataFrame) and "MYS agreement with USA, CHN" in s.summary()
