"""``GET /api/alignment`` over the shipped UN votes and published scores, checked against
indices computed here straight from the shared parquet and CSV files with pandas: the
half-credit index (Voeten 2000: yes 1, abstain 1/2, no 0; a pair's agreement is
1 - |v_i - v_j| over the roll calls both voted on) and the published agreement scores."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.api.conftest import LOCAL

pytestmark = [pytest.mark.shared_data]


@pytest.fixture(scope="module")
def votes_client(shared_data, tmp_path_factory):
    from fastapi.testclient import TestClient

    from geohedge.api import create_app
    from geohedge.data.sources.unga_idealpoints import load_shipped_unga
    from geohedge.data.store import Store

    path = tmp_path_factory.mktemp("votes") / "geohedge.duckdb"
    with Store(path) as store:
        load_shipped_unga(store)
    with TestClient(create_app(path), base_url=LOCAL) as c:
        yield c


def _independent_agreement(unga, a: str, b: str, year: int) -> float:
    v = pd.read_parquet(unga / "un_votes.parquet")
    calls = pd.read_parquet(unga / "un_roll_calls.parquet")
    rcids = set(calls.loc[calls["date"].dt.year == year, "rcid"])
    value = {"yes": 1.0, "abstain": 0.5, "no": 0.0}
    v = v[v["rcid"].isin(rcids) & v["vote"].isin(list(value))]
    wide = v.assign(x=v["vote"].map(value)).pivot_table(index="rcid", columns="country_code", values="x")
    both = wide[[a, b]].dropna()
    return float((1.0 - (both[a] - both[b]).abs()).mean())


def test_agreement_matches_an_independent_computation(votes_client, shared_data):
    body = votes_client.get("/api/alignment/Malaysia", params={"since": 2015, "index": "half"}).json()
    assert body["country"] == "MYS" and body["powers"] == ["USA", "CHN", "RUS"] and body["index"] == "half"
    row = next(r for r in body["rows"] if r["year"] == 2015)
    for iso3, iso2 in (("USA", "US"), ("CHN", "CN"), ("RUS", "RU")):
        assert row[f"agree_{iso3}"] == pytest.approx(_independent_agreement(shared_data / "unga", "MY", iso2, 2015), abs=1e-12)
    assert min(r["year"] for r in body["rows"]) == 2015


def test_default_index_runs_to_2023_with_the_published_scores(votes_client, shared_data):
    body = votes_client.get("/api/alignment/MYS", params={"since": 2018}).json()
    rows = {r["year"]: r for r in body["rows"]}
    assert sorted(rows) == [2018, 2019, 2020, 2021, 2022, 2023] and body["index"] == "identical"
    assert rows[2019]["source"] == "roll calls" and rows[2023]["source"] == "published"
    pub = pd.read_csv(shared_data / "unga-idealpoints" / "IdealpointestimatesAll_Jun2024.csv")
    mys = pub[pub["iso3c"] == "MYS"].set_index("session")
    assert rows[2023]["agree_USA"] == pytest.approx(mys.loc[78, "USAgree"]) and rows[2023]["ideal_point"] == pytest.approx(mys.loc[78, "IdealPointAll"])
    assert "2020-2023" in body["caption"] and any("published" in n for n in body["notes"])
    r = votes_client.get("/api/alignment/MYS", params={"since": 2026})
    assert r.status_code == 400 and "the last year held is 2023" in r.json()["error"]


def test_alignment_errors(votes_client):
    assert "at least two powers" in votes_client.get("/api/alignment/MYS", params={"powers": "USA"}).json()["error"]
    r = votes_client.get("/api/alignment/MYS", params={"powers": "USA,../x"})
    assert r.status_code == 400 and "looks like a file path" in r.json()["error"]
