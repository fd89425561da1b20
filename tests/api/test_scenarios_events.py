"""Scenario runs and article coding over the API: results, limits, and nothing written."""

from __future__ import annotations

import json

import pytest

from tests.api.conftest import counts, fingerprint

pytestmark = [pytest.mark.bundle]

MYS_TUR_TOML = """
name = "mys-tur-posted"
base_year = 2022
[elasticities]
kind = "uniform"
value = 5
[[shocks]]
type = "tariff"
importers = ["MYS"]
exporters = ["TUR"]
mode = "set"
value = 0
both_ways = true
[[shocks]]
type = "trade_cost"
importers = ["MYS"]
exporters = ["TUR"]
value = -10.5419
both_ways = true
"""


def _error(r, status: int) -> str:
    assert r.status_code == status, (r.status_code, r.text)
    body = r.json()
    assert set(body) == {"error"} and "\n" not in body["error"]
    return body["error"]


def test_builtin_mys_tur_agreement(client):
    r = client.post("/api/scenarios/mys-tur-agreement/run", params={"focus": "Malaysia"})
    assert r.status_code == 200, r.text
    body = r.json()
    focus = body["focus"]
    assert focus["country"] == "MYS"
    # cheaper trade with Türkiye: Malaysia's exports to Türkiye rise, by more than to anyone else
    exports = {row["partner"]: row for row in focus["exports"]["rows"]}
    assert exports["TUR"]["change_usd_mn"] > 0
    assert exports["TUR"]["change_usd_mn"] == max(row["change_usd_mn"] for row in focus["exports"]["rows"])
    welfare = {row["country"]: row["welfare_change"] for row in body["countries"]["rows"]}
    assert focus["welfare_change"] == welfare["MYS"]
    assert "converged" in body["convergence"]


def test_posted_toml_and_json_give_the_builtin_numbers(client):
    """The built-in's shocks posted as TOML and as JSON give the built-in's equilibrium."""
    builtin = client.post("/api/scenarios/mys-tur-agreement/run", params={"focus": "MYS"}).json()
    toml = client.post("/api/scenarios/run", params={"focus": "MYS"}, content=MYS_TUR_TOML.encode(), headers={"Content-Type": "application/toml"})
    assert toml.status_code == 200, toml.text
    import tomllib

    js = client.post("/api/scenarios/run", params={"focus": "MYS"}, json=tomllib.loads(MYS_TUR_TOML))
    assert js.status_code == 200, js.text
    for other in (toml.json(), js.json()):
        assert other["focus"]["welfare_change"] == pytest.approx(builtin["focus"]["welfare_change"], rel=1e-6)


def test_spec_from_the_list_runs_back(client):
    specs = {s["name"]: s for s in client.get("/api/scenarios").json()}
    assert "mys-tur-agreement" in specs
    r = client.post("/api/scenarios/run", params={"focus": "MYS"}, content=json.dumps(specs["mys-tur-agreement"]["spec"]),
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 200, r.text


MALFORMED = [
    ("application/toml", b"name = ", "not valid TOML"),
    ("application/json", b"{\"name\": ", "not valid JSON"),
    ("application/json", b"[1, 2]", "expected a JSON object"),
    ("application/toml", b"name = \"x\"\nbogus = 1\n", "bogus: unknown field"),
    ("application/toml", b"name = \"x\"\n[[shocks]]\ntype = \"tariff\"\nimporters = [\"Narnia\"]\nexporters = [\"MYS\"]\nvalue = 5\n", "shocks[0].importers"),
    ("application/toml", b"name = \"x\"\n[[shocks]]\ntype = \"tariff\"\nimporters = [\"USA\"]\nexporters = [\"MYS\"]\nvalue = -150\n", "above -100"),
    ("application/toml", b"name = \"x\"\n[elasticities]\nkind = \"file\"\npath = \"/etc/passwd\"\n", "not allowed over the API"),
    ("application/toml", b"name = \"../../etc\"\n", "name"),
    ("application/toml", b"   ", "empty scenario"),
    ("application/toml", b"\xff\xfe name", "not UTF-8"),
    ("image/png", b"name = \"x\"", "unsupported Content-Type"),
    ("application/toml", b"name = \"x\"\nbase_year = 2010\n", "no input-output table for 2010"),
]


@pytest.mark.parametrize(("ctype", "body", "text"), MALFORMED)
def test_malformed_scenarios_are_4xx_and_write_nothing(client, store_file, ctype, body, text):
    before = fingerprint(store_file), counts(store_file)
    msg = _error(client.post("/api/scenarios/run", content=body, headers={"Content-Type": ctype}), 400)
    assert text in msg
    assert (fingerprint(store_file), counts(store_file)) == before


def test_unknown_focus(client):
    assert "unknown country" in _error(client.post("/api/scenarios/mys-tur-agreement/run", params={"focus": "Narnia"}), 400)
    assert "not a separate region" in _error(client.post("/api/scenarios/mys-tur-agreement/run", params={"focus": "AFG"}), 400)


def test_oversized_body_is_413(client, store_file):
    before = fingerprint(store_file)
    big = MYS_TUR_TOML + "\n" + "# padding\n" * 7000
    assert len(big) > 64 * 1024
    msg = _error(client.post("/api/scenarios/run", content=big.encode(), headers={"Content-Type": "application/toml"}), 413)
    assert "65,536 bytes" in msg

    def chunks():  # no Content-Length: counted while it arrives
        for _ in range(100):
            yield b"# " + b"x" * 1000 + b"\n"

    msg = _error(client.post("/api/scenarios/run", content=chunks(), headers={"Content-Type": "application/toml"}), 413)
    assert "limit" in msg
    assert fingerprint(store_file) == before


def test_slow_run_is_503_and_writes_nothing(store_file):
    from fastapi.testclient import TestClient

    from geohedge.api import create_app
    from geohedge.api._state import Limits

    before = fingerprint(store_file)
    with TestClient(create_app(store_file, limits=Limits(scenario_seconds=0.001))) as c:
        msg = _error(c.post("/api/scenarios/mys-tur-agreement/run"), 503)
    assert "did not finish within the 0.001 s limit" in msg
    assert fingerprint(store_file) == before


def test_unsolvable_scenario_is_422(store_file):
    from fastapi.testclient import TestClient

    from geohedge.api import create_app
    from geohedge.api._state import Limits

    with TestClient(create_app(store_file, limits=Limits(scenario_max_iter=2))) as c:
        msg = _error(c.post("/api/scenarios/mys-tur-agreement/run"), 422)
    assert "did not converge" in msg


# --- events ---------------------------------------------------------------------------------

ARTICLE = ("Malaysia and Turkey signed a defence cooperation agreement in Ankara on Tuesday. "
           "China criticised the United States over new tariffs on Malaysian semiconductors.")


def test_events_are_coded_and_not_stored(client, store_file):
    before = fingerprint(store_file), counts(store_file)
    r = client.post("/api/events", json={"text": ARTICLE, "date": "2025-02-11"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["stored"] is None and body["n_sentences"] == 2 and body["language"] == "en"
    # plain reading: Malaysia's act is cooperation (positive intensity), China's is conflict (negative)
    assert any(e["source_code"] == "MYS" and e["intensity"] > 0 for e in body["rows"])
    assert any(e["source_code"] == "CHN" and e["intensity"] < 0 for e in body["rows"])
    # the endpoint is a thin layer: the same events as the library's coder
    import datetime as dt

    from geohedge.events import code_text

    lib = code_text(ARTICLE, on=dt.date(2025, 2, 11)).to_frame()
    assert [(e["source_code"], e["event_type"], e["sentence"]) for e in body["rows"]] == list(
        zip(lib["source_code"], lib["event_type"], lib["sentence"], strict=True))
    assert (fingerprint(store_file), counts(store_file)) == before


@pytest.mark.parametrize(("body", "status", "text"), [
    (b"{}", 400, "body.text"),
    (b"not json", 400, "body"),
    (json.dumps({"text": "x", "date": "yesterday"}).encode(), 400, "not YYYY-MM-DD"),
    (json.dumps({"text": "a" * 300_000}).encode(), 413, "limit"),
])
def test_bad_event_bodies(client, store_file, body, status, text):
    before = fingerprint(store_file), counts(store_file)
    msg = _error(client.post("/api/events", content=body, headers={"Content-Type": "application/json"}), status)
    assert text in msg
    assert (fingerprint(store_file), counts(store_file)) == before


def test_events_stored_when_asked(tmp_path):
    """The one writing endpoint, on a store of its own: added once, a duplicate the second time."""
    from fastapi.testclient import TestClient

    from geohedge.api import create_app
    from geohedge.data.store import Store

    path = tmp_path / "geohedge.duckdb"
    Store(path).close()
    with TestClient(create_app(path)) as c:
        first = c.post("/api/events", json={"text": ARTICLE, "date": "2025-02-11", "store": True}).json()
        second = c.post("/api/events", json={"text": ARTICLE, "store": True}).json()
        status = c.get("/api/status").json()
    assert first["stored"] == {"added": 1, "duplicates": 0, "events": len(first["rows"])}
    assert second["stored"]["added"] == 0 and second["stored"]["duplicates"] == 1
    assert status["generation"] == 2
    after = counts(path)
    assert after["articles"] == 1 and after["events"] == len(first["rows"])
