"""Fixtures for the API tests: an app over the real offline bundle (read-only), a client,
and a fingerprint of the store to prove that requests change nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

#: Base URL of the test clients: a name the server answers to (its Host check refuses
#: TestClient's default "testserver").
LOCAL = "http://127.0.0.1:8000"


@pytest.fixture(scope="session")
def api_cache(tmp_path_factory) -> Path:
    """One cache folder for the whole session (value-chain model, shock baseline)."""
    return tmp_path_factory.mktemp("api-cache")


@pytest.fixture(autouse=True)
def _shared_cache(monkeypatch, api_cache):
    monkeypatch.setenv("GEOHEDGE_CACHE", str(api_cache))


@pytest.fixture(scope="session")
def store_file(bundle_home) -> Path:
    return bundle_home / "geohedge.duckdb"


@pytest.fixture(scope="session")
def app(store_file):
    from geohedge.api import create_app

    return create_app(store_file)


@pytest.fixture(scope="session")
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app, base_url=LOCAL) as c:
        yield c


def fingerprint(path: Path) -> tuple[str, int]:
    """sha256 and size of the store file: any write would change them."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest(), path.stat().st_size


def counts(store_path: Path) -> dict[str, int]:
    """Provenance rows and row counts of every table, read independently with DuckDB."""
    import duckdb

    con = duckdb.connect(str(store_path), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()
