"""Store reads of UN votes: country codes, unmapped codes reported, the predecessor rule."""

from __future__ import annotations

import pytest

from geohedge.data.sources.unga import load_unga
from geohedge.data.store import Store
from geohedge.data.votes import query_votes
from geohedge.errors import DataError


@pytest.mark.shared_data
def test_real_votes_all_mapped(vote_data):
    assert vote_data.unmapped == ()
    assert vote_data.dataset == "unvotes"
    assert vote_data.year_range == (1946, 2020)
    assert len(vote_data.votes) == 870_109
    assert {"USA", "CHN", "RUS", "MYS", "TUR", "SUN"} - {"SUN"} <= set(vote_data.votes["country"])
    # Voeten codes the Soviet seat as Russia from 1946
    assert "SUN" not in set(vote_data.votes["country"])
    assert {"CSK", "YUG", "DDR", "YAR", "YMD"} <= set(vote_data.votes["country"])


@pytest.mark.shared_data
def test_continuity_rule(votes_home):
    with Store(votes_home / "geohedge.duckdb", read_only=True) as store:
        vd = query_votes(store, successors="continuity")
    assert set(vd.merged) == {"CSK->CZE", "YUG->SRB", "YAR->YEM"}
    codes = set(vd.votes["country"])
    assert {"DDR", "YMD", "ZZB"} <= codes  # voted alongside their successors: stay separate
    assert not {"CSK", "YUG", "YAR"} & codes
    assert not vd.votes.duplicated(["rcid", "country"]).any()


def _write_unvotes(folder, code="QQ", name="Atlantis"):
    folder.mkdir()
    (folder / "un_votes.csv").write_text(f"rcid,country,country_code,vote\n1,United States,US,yes\n1,{name},{code},no\n2,United States,US,abstain\n")
    (folder / "un_roll_calls.csv").write_text(
        "rcid,session,importantvote,date,unres,amend,para,short,descr\n"
        "1,74,0,2019-11-07,A/RES/74/1,0,0,one,one\n2,74,0,2019-11-08,A/RES/74/2,0,0,two,two\n"
    )
    (folder / "un_roll_call_issues.csv").write_text("rcid,short_name,issue\n1,me,Palestinian conflict\n")


def test_unmapped_code_is_reported_not_dropped_silently(tmp_path):
    """A tiny hand-made unvotes folder (CSV layout) with one code no country has."""
    _write_unvotes(tmp_path / "unga")
    with Store(tmp_path / "s.duckdb") as store:
        loaded = load_unga(store, tmp_path / "unga")
        assert loaded.unmapped == ["QQ (Atlantis)"]
        vd = query_votes(store)
    assert vd.unmapped == ("QQ (Atlantis): 1 votes",)
    assert vd.votes["country"].tolist() == ["USA", "USA"]


def test_no_votes_loaded(tmp_path):
    with Store(tmp_path / "s.duckdb") as store, pytest.raises(DataError) as exc:
        query_votes(store)
    assert str(exc.value) == "no UN General Assembly votes in the store; run 'geohedge data import unga PATH' (e.g. ../shared/data/unga)"
