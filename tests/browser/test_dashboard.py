"""The dashboard in Chromium: pick Malaysia, run the Malaysia-Türkiye scenario, see results.

Screenshots go to ``artifacts/browser/``. The page must load nothing from outside the
server (every request is checked) and log no console error.
"""

from __future__ import annotations

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


def test_dashboard_shows_a_bad_scenario_as_one_line(page, server, artifacts):
    page.goto(server + "/")
    page.wait_for_selector("body[data-ready='1']")
    page.fill("#scenario-spec", '{"name": "x", "shocks": [{"type": "tariff", "importers": ["Narnia"], "exporters": ["MYS"], "value": 5}]}')
    page.click("#run-scenario")
    page.wait_for_selector("#error:not([hidden])")
    text = page.inner_text("#error")
    assert text.startswith("error: scenario: shocks[0].importers") and "Narnia" in text
    assert page.is_hidden("#scenario-results")
    page.screenshot(path=str(artifacts / "dashboard-bad-scenario.png"))


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
