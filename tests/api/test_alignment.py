"""``GET /api/alignment`` over the real UN votes (../shared/data/unga), checked against an
agreement index computed here straight from the parquet files with pandas (Voeten 2000:
yes 1, abstain 1/2, no 0; a pair's agreement is 1 - |v_i - v_j| over the roll calls both
voted on)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.api.conftest import LOCAL

pytestmark = [pytest.mark.shared_data]


@pytest.fixture(scope="module")
def votes_client(shared_data, tmp_path_factory):
    from fastapi.testclient import TestClient

    from geohedge.api import create_app
    from geohedge.data.sources.unga import load_unga
    from geohedge.data.store import Store

    path = tmp_path_factory.mktemp("votes") / "geohedge.duckdb"
    with Store(path) as store:
        load_unga(store, shared_data / "unga")
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
    body = votes_client.get("/api/alignment/Malaysia", params={"since": 2015}).json()
    assert body["country"] == "MYS" and body["powers"] == ["USA", "CHN", "RUS"]
    row = next(r for r in body["rows"] if r["year"] == 2015)
    for iso3, iso2 in (("USA", "US"), ("CHN", "CN"), ("RUS", "RU")):
        assert row[f"agree_{iso3}"] == pytest.approx(_independent_agreement(shared_data / "unga", "MY", iso2, 2015), abs=1e-12)
    assert min(r["year"] for r in body["rows"]) == 2015


def test_alignment_errors(votes_client):
    assert "at least two powers" in votes_client.get("/api/alignment/MYS", params={"powers": "USA"}).json()["error"]
    r = votes_client.get("/api/alignment/MYS", params={"powers": "USA,../x"})
    assert r.status_code == 400 and "looks like a file path" in r.json()["error"]
