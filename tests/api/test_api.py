"""The JSON API over the real offline bundle: answers, errors and that nothing is written.

Expected values come from independent sources: ISO 3166 codes, and the store's trade
table re-aggregated here in SQL (a different route from the exposure code).
"""

from __future__ import annotations

import pytest

from tests.api.conftest import counts, fingerprint

pytestmark = [pytest.mark.bundle]


def _one_line_error(r, status: int | tuple[int, ...]) -> str:
    statuses = (status,) if isinstance(status, int) else status
    assert r.status_code in statuses, (r.status_code, r.text)
    body = r.json()
    assert set(body) == {"error"}, body
    assert body["error"] and "\n" not in body["error"]
    return body["error"]


# --- countries, blocs, map -------------------------------------------------------------


@pytest.mark.parametrize(("query", "iso3", "numeric"), [("Malaysia", "MYS", 458), ("Türkiye", "TUR", 792), ("MY", "MYS", 458), ("458", "MYS", 458)])
def test_country_resolves_to_iso_codes(client, query, iso3, numeric):
    r = client.get(f"/api/countries/{query}")
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["iso3"], body["iso_numeric"]) == (iso3, numeric)  # ISO 3166-1
    if iso3 == "MYS":
        assert "ASEAN" in body["groups"]
        assert {"trade", "icio_nodes"} <= {d["table_name"] for d in body["datasets"]}


def test_country_list_flags_the_icio_regions(client, store_file):
    import duckdb

    with duckdb.connect(str(store_file), read_only=True) as con:
        icio = {r[0] for r in con.execute("SELECT code FROM icio_countries").fetchall()}
    listed = client.get("/api/countries").json()
    assert {c["iso3"] for c in listed if c["icio"]} == icio
    assert len(icio) == 80


def test_bloc_members(client):
    body = client.get("/api/blocs/ASEAN").json()
    # the ten members of ASEAN (ASEAN Secretariat); Timor-Leste joined in October 2025
    assert {"BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM"} <= set(body["members"])
    old = client.get("/api/blocs/ASEAN", params={"on": "1990-01-01"}).json()
    assert set(old["members"]) == {"BRN", "IDN", "MYS", "PHL", "SGP", "THA"}


def test_map_ids_are_iso_numeric(client):
    body = client.get("/api/map").json()
    shapes = {s["iso3"]: s for s in body["shapes"] if s["iso3"]}
    # ISO 3166-1 numeric: Malaysia 458, Türkiye 792, China 156, United States 840
    assert {k: shapes[k]["numeric"] for k in ("MYS", "TUR", "CHN", "USA")} == {"MYS": "458", "TUR": "792", "CHN": "156", "USA": "840"}
    for s in shapes.values():
        xs = [float(p.split(",")[0]) for p in s["d"].replace("M", "L").replace("Z", "").split("L") if p]
        assert xs and min(xs) > -body["width"] and max(xs) < 2 * body["width"]


# --- exposure ---------------------------------------------------------------------------


def test_exposure_shares_match_the_trade_table(client, store_file):
    """Export shares by partner, recomputed here from the store's trade rows in SQL."""
    import duckdb

    body = client.get("/api/exposure/MYS", params={"channel": "trade", "by": "partner"}).json()
    assert body["country"] == "MYS" and body["year"] == 2022 and "USD" in body["caption"] and body["notes"]
    got = {r["partner"]: r["export_share"] for r in body["rows"]}
    with duckdb.connect(str(store_file), read_only=True) as con:
        rows = con.execute(
            "SELECT importer, sum(value_usd) / sum(sum(value_usd)) OVER () FROM trade "
            "WHERE dataset = 'icio' AND year = 2022 AND exporter = 'MYS' AND importer <> 'MYS' GROUP BY importer"
        ).fetchall()
    want = dict(rows)
    assert set(got) == set(want)
    for k, v in want.items():
        assert got[k] == pytest.approx(v, rel=1e-9)
    assert sum(got.values()) == pytest.approx(1.0)


@pytest.mark.parametrize(("channel", "by"), [("trade", "bloc"), ("trade", "year"), ("value-added", "partner"), ("value-added", "bloc"), ("materials", "partner")])
def test_exposure_views(client, channel, by):
    r = client.get("/api/exposure/Malaysia", params={"channel": channel, "by": by})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["columns"] and body["rows"] and body["caption"]
    assert all(set(row) == set(body["columns"]) for row in body["rows"])


def test_exposure_of_a_country_outside_icio_says_where_it_is_covered(client):
    msg = _one_line_error(client.get("/api/exposure/AFG"), 400)
    assert "AFG is not a separate country in the ICIO" in msg


def test_exposure_unknown_bloc(client):
    msg = _one_line_error(client.get("/api/exposure/MYS", params={"by": "bloc", "blocs": "USA,Atlantis"}), 400)
    assert "Atlantis" in msg


# --- errors change nothing -----------------------------------------------------------------

BAD_REQUESTS = [
    ("get", "/api/countries/Narnia", 400, "unknown country 'Narnia'"),
    ("get", "/api/exposure/Narnia", 400, "unknown country 'Narnia'"),
    ("get", "/api/exposure/MYS?channel=gravity", 422, "query.channel"),
    ("get", "/api/exposure/MYS?year=3000", 422, "query.year"),
    ("get", "/api/exposure/MYS?year=1999", 400, "2022"),
    ("get", "/api/brief/Narnia", 400, "unknown country"),
    ("get", "/api/blocs/NOTABLOC", 400, "unknown bloc"),
    ("get", "/api/alignment/Narnia", 400, "unknown country"),
    ("get", "/api/partners/Narnia", 400, "unknown country"),
    ("get", "/api/partners/MYS?top=0", 422, "query.top"),
    ("post", "/api/scenarios/no-such-scenario/run", 400, "no built-in scenario 'no-such-scenario'"),
    ("get", "/api/nothing-here", 404, "no endpoint at"),
    ("delete", "/api/exposure/MYS", 405, "method DELETE is not allowed"),
]

PATH_LIKE = ["..", "%2e%2e", "%2E%2E", "~root", "..%5C..%5Cwindows", "C:boot.ini", "a%00b", ".%2e"]


@pytest.mark.parametrize(("method", "url", "status", "text"), BAD_REQUESTS)
def test_bad_requests_get_one_line_4xx(client, store_file, method, url, status, text):
    before = fingerprint(store_file), counts(store_file)
    msg = _one_line_error(getattr(client, method)(url), status)
    assert text in msg
    assert (fingerprint(store_file), counts(store_file)) == before


@pytest.mark.parametrize("value", PATH_LIKE)
@pytest.mark.parametrize("template", ["/api/partners/{}", "/api/countries/{}", "/api/exposure/{}", "/api/alignment/{}", "/api/brief/{}", "/api/blocs/{}", "/api/exposure/MYS?blocs={}", "/api/brief/MYS?partner={}"])
def test_path_like_parameters_are_refused(client, store_file, template, value):
    before = fingerprint(store_file)
    r = client.get(template.format(value))
    msg = _one_line_error(r, (400, 404))
    assert "looks like a file path" in msg or "unknown" in msg or "no endpoint" in msg
    assert fingerprint(store_file) == before


@pytest.mark.parametrize("raw", ["/api/exposure/..%2F..%2Fetc%2Fpasswd", "/api/brief/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/api/countries/..%2f"])
def test_encoded_separators_never_reach_a_file(client, raw):
    msg = _one_line_error(client.get(raw), (400, 404))
    assert "passwd" not in msg or "no endpoint" in msg or "file path" in msg


def test_path_like_scenario_name(client, store_file):
    before = fingerprint(store_file)
    msg = _one_line_error(client.post("/api/scenarios/%2e%2e/run"), 400)
    assert "looks like a file path" in msg
    assert fingerprint(store_file) == before


def test_missing_store_is_503_with_the_fix(tmp_path):
    from fastapi.testclient import TestClient

    from geohedge.api import create_app

    with TestClient(create_app(tmp_path / "none.duckdb")) as c:
        msg = _one_line_error(c.get("/api/exposure/MYS"), 503)
    assert "geohedge data build" in msg
    assert not (tmp_path / "none.duckdb").exists()


def test_gets_write_nothing(client, store_file):
    before = fingerprint(store_file), counts(store_file)
    for url in ["/api/status", "/api/countries", "/api/countries/MYS", "/api/exposure/MYS", "/api/exposure/MYS?channel=value-added",
                "/api/scenarios", "/api/map", "/api/brief/MYS", "/openapi.json", "/", "/docs"]:
        assert client.get(url).status_code == 200, url
    assert (fingerprint(store_file), counts(store_file)) == before


# --- OpenAPI, docs, dashboard -----------------------------------------------------------


def test_openapi_lists_every_endpoint(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/countries/{query}", "/api/exposure/{country}", "/api/alignment/{country}", "/api/scenarios/run",
            "/api/scenarios/{name}/run", "/api/events", "/api/brief/{country}", "/api/map", "/api/partners/{country}"} <= set(spec["paths"])
    assert "Scenario" in spec["components"]["schemas"]
    assert client.get("/redoc").status_code == 404


@pytest.mark.parametrize("path", ["/", "/docs", "/static/app.js", "/static/docs.js", "/static/app.css"])
def test_pages_load_nothing_from_elsewhere(client, path):
    r = client.get(path)
    assert r.status_code == 200
    text = r.text
    for marker in ("http://", "https://", "//cdn", "googleapis", "unpkg", "jsdelivr"):
        assert marker not in text.replace("http://www.w3.org/2000/svg", ""), (path, marker)
    assert "default-src 'self'" in r.headers["content-security-policy"]


def test_vendored_map_is_world_atlas_2_0_2():
    import hashlib

    from geohedge.api.app import STATIC

    data = (STATIC / "countries-110m.json").read_bytes()
    assert hashlib.sha256(data).hexdigest() == "2516c915867c7baf18ddec727aec46c315541a07cfb3d79a6559b05d5e94eee8"
    assert "ISC" in (STATIC / "README.md").read_text() and (STATIC / "LICENSE-world-atlas").is_file()


def test_brief_html_and_pdf(client):
    r = client.get("/api/brief/MYS")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    for title in ("Summary", "Exposure", "Stress test", "Alignment", "Partners", "Relations", "Data and methods"):
        assert f"<h2>{title}" in r.text
    assert r.text.count('<figure class="chart"') >= 4
    pdf = client.get("/api/brief/MYS", params={"format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_partner_ranking(client):
    body = client.get("/api/partners/Malaysia", params={"top": 5, "show": ["TUR", "USA"]}).json()
    ranks = [r["rank"] for r in body["rows"]]
    assert ranks == sorted(ranks) and ranks[:5] == [1, 2, 3, 4, 5]
    assert {"TUR", "USA"} <= {r["partner"] for r in body["rows"]} and "MYS" not in {r["partner"] for r in body["rows"]}
    scores = [r["score_pp"] for r in body["rows"][:5]]
    assert scores == sorted(scores, reverse=True)
    assert body["country"] == "MYS" and body["caption"] and body["weights"]
    assert body["explanations"]["TUR"].startswith("Türkiye (TUR)") and "USA" in body["explanations"]


def test_alignment_without_votes_says_how_to_load_them(client, store_file):
    import duckdb

    with duckdb.connect(str(store_file), read_only=True) as con:
        has_votes = con.execute("SELECT count(*) FROM un_votes").fetchone()[0] > 0
    r = client.get("/api/alignment/MYS")
    if has_votes:
        assert r.status_code == 200
    else:
        assert "geohedge data import unga" in _one_line_error(r, 422)


def test_topojson_decoding_follows_the_specification():
    """The TopoJSON 1.0 specification's example topology (section 2.1): its polygon decodes to
    the GeoJSON specification's example ring [[100,0],[100,1],[101,1],[101,0],[100,0]] (up
    to quantisation), and a negative arc index walks the arc backwards."""
    from geohedge.api.topojson import _arcs, _ring

    topology = {
        "transform": {"scale": [0.0005000500050005, 0.00010001000100010001], "translate": [100, 0]},
        "arcs": [[[4000, 0], [1999, 9999], [2000, -9999], [2000, 9999]], [[0, 0], [0, 9999], [2000, 0], [0, -9999], [-2000, 0]]],
    }
    arcs = _arcs(topology)
    want = [(100, 0), (100, 1), (101, 1), (101, 0), (100, 0)]
    got = _ring([1], arcs)
    assert len(got) == len(want)
    for (x, y), (a, b) in zip(got, want, strict=True):
        assert x == pytest.approx(a, abs=1e-3) and y == pytest.approx(b, abs=1e-3)
    assert _ring([~1], arcs) == got[::-1]
    line = _ring([0], arcs)  # the example LineString: [[102,0],[103,1],[104,0],[105,1]]
    for (x, y), (a, b) in zip(line, [(102, 0), (103, 1), (104, 0), (105, 1)], strict=True):
        assert x == pytest.approx(a, abs=1e-3) and y == pytest.approx(b, abs=1e-3)


def test_every_icio_region_is_on_the_map(client, store_file):
    import duckdb

    with duckdb.connect(str(store_file), read_only=True) as con:
        icio = {r[0] for r in con.execute("SELECT code FROM icio_countries").fetchall()}
    drawn = {s["iso3"] for s in client.get("/api/map").json()["shapes"]}
    assert icio <= drawn, sorted(icio - drawn)


def test_status_counts_rows_as_the_store_does(client, store_file):
    body = client.get("/api/status").json()
    rows = {(r["table_name"], r["dataset"]): r["rows"] for r in body["tables"]["rows"]}
    got = counts(store_file)
    assert rows[("icio_countries", "icio")] == got["icio_countries"] == 80
    assert rows[("governance", "wgi")] == got["governance"]
    assert all(r["loaded_at"] and r["source"] for r in body["tables"]["rows"])
