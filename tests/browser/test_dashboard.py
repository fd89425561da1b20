"""The dashboard in Chromium: pick Malaysia, see every panel (exposure, alignment, ideal
points, relations with the events behind a month, compare), build and run a scenario, and
get bad input back as one line beside the field that caused it.

Screenshots go to ``artifacts/browser/``. The page must load nothing from outside the
server (every request is checked), log no console error on good input, and have no element
wider than its 1280 px window.
"""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.bundle, pytest.mark.slow]


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    pg.requests_seen = []
    pg.console_errors = []
    pg.on("request", lambda r: pg.requests_seen.append(r.url))
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    yield pg
    context.close()


def test_dashboard_malaysia_turkiye_scenario(page, server, artifacts):
    page.goto(server + "/")
    page.wait_for_selector("body[data-ready='1']")
    page.select_option("#country", "TUR")  # start elsewhere, then pick Malaysia by its label as a user would
    page.wait_for_selector("body[data-country='TUR']")
    page.select_option("#country", label="Malaysia (MYS)")
    page.wait_for_selector("body[data-country='MYS']")

    # the map: one path per country, Malaysia outlined, partners coloured
    assert page.locator("#map path").count() >= 150
    assert page.get_attribute("#map path[data-iso3='MYS']", "class") == "focus"
    coloured = page.eval_on_selector_all("#map path", "ps => ps.filter(p => p.style.fill).length")
    assert coloured >= 60  # the other ICIO regions
    assert page.locator("#partner-chart rect").count() >= 10
    assert page.locator("#bloc-chart rect").count() >= 5
    first = page.locator("#partners tbody tr").first.locator("td").first.inner_text()
    assert first == "CHN"  # Malaysia's largest export market in the ICIO 2022 table
    page.wait_for_selector("#ranking tbody tr")
    assert page.locator("#ranking tbody tr").count() >= 10
    assert page.locator("#ranking tbody tr").first.locator("td").first.inner_text() == "1"
    page.screenshot(path=str(artifacts / "dashboard-MYS.png"), full_page=True)

    page.select_option("#scenario-select", "mys-tur-agreement")
    assert '"mys-tur-agreement"' in page.input_value("#scenario-spec")
    page.click("#run-scenario")
    page.wait_for_selector("#scenario-results:not([hidden])")
    page.wait_for_selector("body[data-scenario='mys-tur-agreement']")
    headline = page.inner_text("#scenario-headline")
    assert "Malaysia" in headline and "real income" in headline and "%" in headline
    rows = page.locator("#diversion tbody tr")
    assert rows.count() >= 5
    assert rows.first.locator("td").first.inner_text() == "TUR"  # the partner whose trade costs fell
    assert page.locator("#scenario-chart rect[data-bloc]").count() >= 5
    page.locator("#scenario-results").screenshot(path=str(artifacts / "dashboard-MYS-mys-tur-agreement.png"))
    page.screenshot(path=str(artifacts / "dashboard-MYS-scenario-full.png"), full_page=True)

    outside = [u for u in page.requests_seen if not u.startswith(server) and not u.startswith("data:")]
    assert outside == [], outside
    assert page.console_errors == []
    assert page.is_hidden("#error")

    # a country switch clears the result that belonged to Malaysia
    page.select_option("#country", "VNM")
    page.wait_for_selector("body[data-country='VNM']")
    assert page.is_hidden("#scenario-results")


def test_dashboard_alignment_relations_and_compare_panels(page, server, artifacts):
    from tests.browser.conftest import TOO_WIDE_JS

    page.goto(server + "/?country=MYS")
    page.wait_for_selector("body[data-ready='1']")
    # alignment: agreement with the three powers and equidistance over time
    page.wait_for_selector("body[data-alignment='MYS']")
    series = page.eval_on_selector_all("#alignment-chart path[data-series]", "ps => ps.map(p => [p.dataset.series, p.getAttribute('d').length])")
    assert [s for s, _ in series] == ["agreement with USA", "agreement with CHN", "agreement with RUS", "equidistance (right, 0-1)"]
    assert all(n > 200 for _, n in series), series  # a line through three decades of years
    summary = page.inner_text("#alignment-summary")
    assert re.search(r"USA \d+\.\d%, CHN \d+\.\d%, RUS \d+\.\d%; equidistance 0\.\d\d", summary), summary
    # relations: the seed article's month, with its events on click
    page.wait_for_selector("body[data-relations='MYS']")
    bars = page.locator("#relations-chart rect.bar-month")
    assert bars.count() >= 1
    assert page.locator("#relations-partners tbody tr").count() >= 1
    assert "TUR" in page.inner_text("#relations-partners")
    bars.first.click()
    page.wait_for_selector("body[data-events]")
    assert page.locator("#events tbody tr").count() >= 5
    assert "Türkiye" in page.inner_text("#events") or "Turkey" in page.inner_text("#events") or "TUR" in page.inner_text("#events")
    # ideal points of MYS and the powers
    page.wait_for_selector("body[data-ideal='MYS']", timeout=180_000)
    assert page.locator("#ideal-chart path[data-series]").count() == 4
    # compare: two countries side by side, by name
    page.fill("#compare", "Viet Nam")
    page.click("#compare-run")
    page.wait_for_selector("body[data-compare='VNM']")
    header = page.inner_text("#compare-table thead")
    assert "Malaysia (MYS)" in header and "(VNM)" in header
    row = page.locator("#compare-table tr[data-measure='agree_USA'] td")
    assert re.fullmatch(r"\d+\.\d%", row.nth(2).inner_text()) and re.fullmatch(r"\d+\.\d%", row.nth(3).inner_text())
    assert page.is_hidden("#compare-error")
    assert page.evaluate(TOO_WIDE_JS, 1280) == []
    page.screenshot(path=str(artifacts / "dashboard-MYS-panels.png"), full_page=True)
    page.locator("section[aria-label='Alignment']").screenshot(path=str(artifacts / "dashboard-MYS-alignment.png"))
    page.locator("section[aria-label='Relations']").screenshot(path=str(artifacts / "dashboard-MYS-relations.png"))
    assert page.console_errors == []


def test_dashboard_scenario_builder_writes_the_scenario_file(page, server):
    """The form (type, importers, exporters, sectors, value) writes JSON and TOML that parse
    to the same scenario as the built-in file; an added shock shows in both."""
    import json
    import tomllib

    from geohedge.shocks.scenario import builtin_scenario, parse_scenario

    page.goto(server + "/")
    page.wait_for_selector("body[data-ready='1']")
    page.select_option("#scenario-select", "us-tariff-mys-24")
    as_json = parse_scenario(json.loads(page.input_value("#scenario-spec")), origin="json")
    as_toml = parse_scenario(tomllib.loads(page.input_value("#scenario-toml")), origin="toml")
    assert as_json == as_toml == builtin_scenario("us-tariff-mys-24")
    page.click("#add-shock")
    row = page.locator("#shocks tbody tr").last
    row.locator("[data-field='type']").select_option("trade_cost")
    row.locator("[data-field='importers']").fill("MYS, TUR")
    row.locator("[data-field='exporters']").fill("TUR")
    row.locator("[data-field='sectors']").fill("manufacturing")
    row.locator("[data-field='value']").fill("-20")
    spec = parse_scenario(tomllib.loads(page.input_value("#scenario-toml")), origin="toml")
    last = spec.shocks[-1]
    assert (last.type, last.importers, last.exporters, last.sectors, last.value) == ("trade_cost", ["MYS", "TUR"], ["TUR"], ["manufacturing"], -20.0)
    assert spec == parse_scenario(json.loads(page.input_value("#scenario-spec")), origin="json")


def test_dashboard_shows_bad_input_beside_the_field(page, server, artifacts):
    page.goto(server + "/")
    page.wait_for_selector("body[data-ready='1']")
    # a scenario the model refuses (typed as JSON): the one line appears beside the Run button
    page.click("#scenario-form details summary")
    page.fill("#scenario-spec", '{"name": "x", "shocks": [{"type": "tariff", "importers": ["Narnia"], "exporters": ["MYS"], "value": 5}]}')
    page.click("#run-scenario")
    page.wait_for_selector("#scenario-error:not([hidden])")
    text = page.inner_text("#scenario-error")
    assert text.startswith("error: scenario: shocks[0].importers") and "Narnia" in text and "\n" not in text
    assert page.is_hidden("#scenario-results") and page.is_hidden("#error")
    _beside(page, "#scenario-error", "#run-scenario")
    page.screenshot(path=str(artifacts / "dashboard-bad-scenario.png"))
    # an unknown country in the compare box
    page.fill("#compare", "Narnia")
    page.click("#compare-run")
    page.wait_for_selector("#compare-error:not([hidden])")
    text = page.inner_text("#compare-error")
    assert text.startswith("error: unknown country 'Narnia'") and "\n" not in text
    _beside(page, "#compare-error", "#compare")
    # a bloc list naming no bloc
    page.fill("#blocs", "USA,NOTABLOC")
    page.press("#blocs", "Enter")
    page.dispatch_event("#blocs", "change")
    page.wait_for_selector("#blocs-error:not([hidden])")
    assert "NOTABLOC" in page.inner_text("#blocs-error")
    _beside(page, "#blocs-error", "#blocs")
    assert page.is_hidden("#error")
    page.screenshot(path=str(artifacts / "dashboard-bad-input.png"), full_page=True)


def _beside(page, message: str, control: str) -> None:
    """The message is drawn next to its control: within 200 px of it, and in view together."""
    m = page.locator(message).bounding_box()
    c = page.locator(control).bounding_box()
    gap_x = max(0.0, max(m["x"], c["x"]) - min(m["x"] + m["width"], c["x"] + c["width"]))
    gap_y = max(0.0, max(m["y"], c["y"]) - min(m["y"] + m["height"], c["y"] + c["height"]))
    assert gap_x < 200 and gap_y < 200, (message, m, control, c)


def test_docs_page_lists_the_api_offline(page, server, artifacts):
    page.goto(server + "/docs")
    page.wait_for_selector("#endpoints h2")
    headings = page.eval_on_selector_all("#endpoints h2", "hs => hs.map(h => h.textContent)")
    assert "GET /api/exposure/{country}" in headings and "POST /api/scenarios/run" in headings
    assert [u for u in page.requests_seen if not u.startswith(server) and not u.startswith("data:")] == []
    page.screenshot(path=str(artifacts / "docs.png"))


def test_dashboard_without_a_store_says_how_to_build_it(browser, tmp_path):
    """An empty home: the page says what is missing and the command that fixes it."""
    import threading
    import time

    import uvicorn

    from geohedge.api import create_app
    from tests.browser.conftest import _free_port

    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(tmp_path / "none.duckdb"), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_selector("#error:not([hidden])", timeout=30_000)
        assert "geohedge data build" in page.inner_text("#error")
        page.close()
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
    assert not (tmp_path / "none.duckdb").exists()
