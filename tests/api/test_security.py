"""Issue 13 items 4, 5 and 8 over the API: no cross-site writes, no host echo, bounded
bodies, scenario runs that cannot stall each other, and what a posted article records."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.api.conftest import LOCAL, counts, fingerprint

pytestmark = [pytest.mark.bundle]

ARTICLE = "Malaysia and Turkey signed a defence cooperation agreement in Ankara on Tuesday."


def _error(r, status: int) -> str:
    assert r.status_code == status, (r.status_code, r.text)
    body = r.json()
    assert set(body) == {"error"} and "\n" not in body["error"]
    return body["error"]


@pytest.fixture
def own_store(store_file, tmp_path):
    """A copy of the bundle store the app may write to."""
    path = tmp_path / "geohedge.duckdb"
    shutil.copyfile(store_file, path)
    return path


@pytest.fixture
def writable(own_store):
    from fastapi.testclient import TestClient

    from geohedge.api import create_app

    with TestClient(create_app(own_store), base_url=LOCAL) as c:
        yield c


def test_text_plain_post_from_another_site_is_refused_and_stores_nothing(writable, own_store):
    """Issue: POST /api/events with Content-Type text/plain (no CORS preflight) from any
    Origin was accepted and stored."""
    before = fingerprint(own_store), counts(own_store)
    body = json.dumps({"text": ARTICLE, "store": True})
    msg = _error(writable.post("/api/events", content=body, headers={"Content-Type": "text/plain", "Origin": "https://evil.example"}), 403)
    assert "Origin 'https://evil.example'" in msg
    msg = _error(writable.post("/api/events", content=body, headers={"Content-Type": "text/plain"}), 415)
    assert msg == "Content-Type 'text/plain' is not accepted for POST /api/events; send application/json"
    for ctype in ("application/x-www-form-urlencoded", "multipart/form-data; boundary=x"):
        _error(writable.post("/api/events", content=body, headers={"Content-Type": ctype}), 415)
    assert (fingerprint(own_store), counts(own_store)) == before


def test_json_from_another_origin_or_a_cross_site_fetch_is_refused(writable, own_store):
    before = fingerprint(own_store)
    body = {"text": ARTICLE, "store": True}
    _error(writable.post("/api/events", json=body, headers={"Origin": "http://127.0.0.1:9999"}), 403)  # another port is another origin
    _error(writable.post("/api/events", json=body, headers={"Origin": "null"}), 403)
    _error(writable.post("/api/events", json=body, headers={"Sec-Fetch-Site": "cross-site"}), 403)
    _error(writable.post("/api/scenarios/mys-tur-agreement/run", headers={"Origin": "https://evil.example"}), 403)
    assert fingerprint(own_store) == before


def test_the_servers_own_pages_and_named_origins_may_post(own_store):
    from fastapi.testclient import TestClient

    from geohedge.api import create_app
    from geohedge.api._state import Limits

    app = create_app(own_store, limits=Limits(allowed_origins=("https://intranet.example",)))
    with TestClient(app, base_url=LOCAL) as c:
        ok = c.post("/api/events", json={"text": ARTICLE}, headers={"Origin": LOCAL, "Sec-Fetch-Site": "same-origin"})
        assert ok.status_code == 200, ok.text
        named = c.post("/api/events", json={"text": ARTICLE}, headers={"Origin": "https://intranet.example", "Sec-Fetch-Site": "cross-site"})
        assert named.status_code == 200, named.text


def test_a_foreign_host_is_refused_and_redirects_are_relative(client):
    """Issue: GET /api/blocs/ASEAN/ with Host: evil.example redirected to http://evil.example/..."""
    msg = _error(client.get("/api/blocs/ASEAN/", headers={"Host": "evil.example"}, follow_redirects=False), 400)
    assert msg.startswith("Host 'evil.example' is not a name of this server")
    r = client.get("/api/blocs/ASEAN/", follow_redirects=False)
    assert r.status_code in (307, 308) and r.headers["location"] == "/api/blocs/ASEAN"
    for host in ("localhost:8000", "[::1]:8000", "127.0.0.1"):
        assert client.get("/api/blocs/ASEAN", headers={"Host": host}).status_code == 200, host


def test_serve_names_the_hosts_it_answers_to():
    from geohedge.cli.serve import hosts_for

    assert hosts_for("127.0.0.1", ()) == ("127.0.0.1", "localhost", "::1")
    assert hosts_for("10.0.0.5", ("geo.example",)) == ("127.0.0.1", "localhost", "::1", "10.0.0.5", "geo.example")
    assert hosts_for("0.0.0.0", ()) is None  # every address: any name, and serve says so
    assert hosts_for("0.0.0.0", ("geo.example",)) == ("127.0.0.1", "localhost", "::1", "geo.example")


@pytest.mark.parametrize(("ctype", "body"), [
    ("application/json", b'{"name": "x", "a": ' + b"[" * 5000 + b"]" * 5000 + b"}"),
    ("application/toml", b'name = "x"\na = ' + b"[" * 5000 + b"]" * 5000 + b"\n"),
    ("application/toml", b'name = "x"\na = ' + b"{b = " * 3000 + b"1" + b"}" * 3000 + b"\n"),
])
def test_deeply_nested_bodies_are_400_and_the_connection_lives_on(client, store_file, ctype, body):
    """Issue: nested JSON/TOML gave 500 (RecursionError) and uvicorn dropped the keep-alive."""
    before = fingerprint(store_file)
    msg = _error(client.post("/api/scenarios/run", content=body, headers={"Content-Type": ctype}), 400)
    assert msg == "scenario: line 1: arrays and tables nested more than 32 deep; flatten it" or "nested more than 32 deep" in msg
    assert client.get("/api/blocs").status_code == 200
    assert fingerprint(store_file) == before


def test_deeply_nested_event_body(client):
    body = b'{"text": "x", "extra": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    assert "nested more than 32 deep" in _error(client.post("/api/events", content=body, headers={"Content-Type": "application/json"}), 400)


def test_on_must_be_a_date(client):
    """Issue: ?on=0 was read as 1970-01-01."""
    for path in ("/api/countries/MYS?on=0", "/api/blocs/ASEAN?on=0", "/api/blocs/ASEAN?on=1700000000"):
        assert "query.on" in _error(client.get(path), 422)
    assert "not a calendar date" in _error(client.get("/api/blocs/ASEAN?on=2023-02-30"), 400)
    # ASEAN on 1 January 1995: the five founders of 1967 and Brunei (1984); Viet Nam joined on 28 July 1995
    assert client.get("/api/blocs/ASEAN?on=1995-01-01").json()["members"] == ["BRN", "IDN", "MYS", "PHL", "SGP", "THA"]


def test_posted_article_records_its_url_not_a_deleted_temp_file(writable, own_store):
    import duckdb

    r = writable.post("/api/events", json={"text": ARTICLE, "date": "2025-02-11", "store": True, "url": "https://news.example/mys-tur"})
    assert r.status_code == 200, r.text
    r = writable.post("/api/events", json={"text": ARTICLE + " Again.", "store": True})
    assert r.status_code == 200, r.text
    con = duckdb.connect(str(own_store), read_only=True)
    try:
        urls = sorted(u for (u,) in con.execute("SELECT url FROM articles").fetchall())
        origins = {o for (o,) in con.execute("SELECT origin FROM provenance WHERE dataset = 'news'").fetchall()}
    finally:
        con.close()
    assert urls == ["https://news.example/mys-tur", "posted to /api/events"]
    assert not any("geohedge-api-" in o for o in origins)


def test_all_scenario_slots_busy_is_503_with_retry_after(store_file):
    import time

    from fastapi.testclient import TestClient

    from geohedge.api import create_app
    from geohedge.api._state import Limits

    app = create_app(store_file, limits=Limits(scenario_slots=1, scenario_seconds=30))
    with TestClient(app, base_url=LOCAL) as c:
        token = app.state.geo.runner._take(time.monotonic() + 7)  # a run in progress until then
        try:
            r = c.post("/api/scenarios/mys-tur-agreement/run")
        finally:
            app.state.geo.runner._give(token)
        assert _error(r, 503).startswith("all 1 scenario slots are busy; try again in ")
        assert 1 <= int(r.headers["retry-after"]) <= 7
        assert c.post("/api/scenarios/mys-tur-agreement/run").status_code == 200  # the slot is free again
