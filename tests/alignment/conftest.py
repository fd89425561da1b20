"""Fixtures: the real UN votes (../shared/data/unga) loaded once into a temporary store
with the project's own loader, the shipped votes and published estimates loaded the way
``geohedge data build`` loads them, the published file read independently with pandas,
and the ideal points fitted once per session."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def votes_home(tmp_path_factory, shared_data):
    from geohedge.data.sources.unga import load_unga
    from geohedge.data.store import Store

    home = tmp_path_factory.mktemp("votes-home")
    with Store(home / "geohedge.duckdb") as store:
        load_unga(store, shared_data / "unga")
    return home


@pytest.fixture(scope="session")
def vote_data(votes_home):
    from geohedge.data.store import Store
    from geohedge.views.votes import query_votes

    with Store(votes_home / "geohedge.duckdb", read_only=True) as store:
        return query_votes(store)


@pytest.fixture(scope="session")
def agreement(vote_data):
    from geohedge.alignment import agreement_scores

    return agreement_scores(vote_data.votes, vote_data.roll_calls, vote_data.issues)


@pytest.fixture(scope="session")
def ideal(vote_data):
    from geohedge.alignment import ideal_points

    return ideal_points(vote_data.votes, vote_data.roll_calls, vote_data.issues)


@pytest.fixture(scope="session")
def raw_votes(shared_data):
    """The source files read directly with pandas, independent of the store and loader."""
    import pandas as pd

    votes = pd.read_parquet(shared_data / "unga" / "un_votes.parquet")
    calls = pd.read_parquet(shared_data / "unga" / "un_roll_calls.parquet")
    issues = pd.read_parquet(shared_data / "unga" / "un_roll_call_issues.parquet")
    return votes, calls, issues


@pytest.fixture(scope="session")
def shipped_home(tmp_path_factory):
    """A store with what the bundle loads for alignment: the shipped votes and published estimates."""
    from geohedge.data.sources.unga_idealpoints import load_shipped_unga
    from geohedge.data.store import Store

    home = tmp_path_factory.mktemp("shipped-home")
    with Store(home / "geohedge.duckdb") as store, store.batch():
        load_shipped_unga(store)
    return home


@pytest.fixture
def shipped_store(shipped_home):
    from geohedge.data.store import Store

    with Store(shipped_home / "geohedge.duckdb", read_only=True) as store:
        yield store


@pytest.fixture(scope="session")
def published_raw(shared_data):
    """The published Bailey-Strezhnev-Voeten file read straight with pandas (no geohedge code)."""
    import pandas as pd

    return pd.read_csv(shared_data / "unga-idealpoints" / "IdealpointestimatesAll_Jun2024.csv")
