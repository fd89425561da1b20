"""Store reads of UN votes: country codes, unmapped codes reported, the predecessor rule."""

from __future__ import annotations

import pytest

from geohedge.data.sources.unga import load_unga
from geohedge.data.store import Store
from geohedge.errors import DataError
from geohedge.views.votes import query_votes


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
    assert str(exc.value) == ("no UN General Assembly votes in the store; run 'geohedge data build' (the bundle ships them) "
                              "or 'geohedge data import unga PATH'")


def test_undl_csv_votes(tmp_path):
    """A tiny hand-made UN Digital Library CSV: absences are not votes, agreement by hand,
    and identical titles in two sessions bridge into one item."""
    from geohedge.alignment import agreement_scores, bridge_items

    rows = [
        (1, "USA", "UNITED STATES", "N", "2023-12-01", 78, "A/RES/78/1", "Embargo against X", "Agenda 1"),
        (1, "CHN", "CHINA", "Y", "2023-12-01", 78, "A/RES/78/1", "Embargo against X", "Agenda 1"),
        (1, "MYS", "MALAYSIA", "Y", "2023-12-01", 78, "A/RES/78/1", "Embargo against X", "Agenda 1"),
        (1, "TUR", "TÜRKİYE", "A", "2023-12-01", 78, "A/RES/78/1", "Embargo against X", "Agenda 1"),
        (2, "USA", "UNITED STATES", "Y", "2023-12-02", 78, "A/RES/78/2", "Oceans", "Agenda 1"),
        (2, "CHN", "CHINA", "Y", "2023-12-02", 78, "A/RES/78/2", "Oceans", "Agenda 1"),
        (2, "MYS", "MALAYSIA", "X", "2023-12-02", 78, "A/RES/78/2", "Oceans", "Agenda 1"),
        (2, "TUR", "TÜRKİYE", "Y", "2023-12-02", 78, "A/RES/78/2", "Oceans", "Agenda 1"),
        (3, "USA", "UNITED STATES", "N", "2024-12-01", 79, "A/RES/79/1", "Embargo against X", "Agenda 2"),
        (3, "CHN", "CHINA", "Y", "2024-12-01", 79, "A/RES/79/1", "Embargo against X", "Agenda 2"),
    ]
    path = tmp_path / "ga_voting.csv"
    path.write_text("undl_id,ms_code,ms_name,ms_vote,date,session,resolution,title,agenda_title\n"
                    + "".join(",".join(map(str, r)) + "\n" for r in rows))
    with Store(tmp_path / "s.duckdb") as store:
        load_unga(store, path)
        vd = query_votes(store)
    assert vd.dataset == "undl" and len(vd.votes) == 9  # the X row is an absence
    m = agreement_scores(vd.votes, vd.roll_calls).matrix(2023)
    assert m.loc["USA", "MYS"] == 0.0  # only rcid 1 shared
    assert m.loc["USA", "TUR"] == 0.75  # (1/2 + 1) / 2
    assert m.loc["MYS", "TUR"] == 0.5
    items = bridge_items(vd.roll_calls, "short")
    by_rcid = dict(zip(vd.roll_calls["rcid"], items, strict=True))
    assert by_rcid[1] == by_rcid[3] != by_rcid[2]
    agenda = dict(zip(vd.roll_calls["rcid"], bridge_items(vd.roll_calls, "descr"), strict=True))
    assert len({agenda[1], agenda[2], agenda[3]}) == 3  # agenda titles repeat within a session: never bridged


def test_undl_file_without_sessions_gets_them_from_the_date(tmp_path):
    rows = [(1, "USA", "UNITED STATES", "N", "2023-12-01"), (1, "MYS", "MALAYSIA", "Y", "2023-12-01"),
            (2, "USA", "UNITED STATES", "Y", "2024-06-20"), (2, "MYS", "MALAYSIA", "Y", "2024-06-20"),
            (3, "USA", "UNITED STATES", "Y", "2024-10-02"), (3, "MYS", "MALAYSIA", "A", "2024-10-02")]
    path = tmp_path / "ga_voting.csv"
    path.write_text("undl_id,ms_code,ms_name,ms_vote,date\n" + "".join(",".join(map(str, r)) + "\n" for r in rows))
    with Store(tmp_path / "s.duckdb") as store:
        load_unga(store, path)
        vd = query_votes(store)
    assert dict(zip(vd.roll_calls["rcid"], vd.roll_calls["session"], strict=True)) == {1: 78, 2: 78, 3: 79}
