"""The dashboard's atlas panel in Chromium, over a store holding the small atlas: a world
map per shock family and the country x shock heat map; nothing loaded from outside."""

from __future__ import annotations

import threading
import time

import pytest

from tests.atlas.conftest import FAMILIES, TARGETS, small_atlas

pytestmark = [pytest.mark.browser, pytest.mark.bundle, pytest.mark.slow]


@pytest.fixture(scope="module")
def atlas_server(bundle_home, tmp_path_factory):
    import uvicorn

    from geohedge.api import create_app

    from .conftest import _free_port

    home, _, _ = small_atlas(bundle_home, tmp_path_factory.mktemp("atlas-browser-home"))
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(home / "geohedge.duckdb"), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def test_atlas_panel_map_and_heat_map(browser, atlas_server, artifacts):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    seen, errors = [], []
    page.on("request", lambda r: seen.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(atlas_server + "/")
    page.wait_for_selector("#atlas-panel[data-ready='1']")
    assert [o.get_attribute("value") for o in page.locator("#atlas-family option").all()] == list(FAMILIES)
    # the five targets are coloured, the rest of the world grey
    coloured = page.eval_on_selector_all("#atlas-map path", "ps => ps.filter(p => p.style.fill).map(p => p.dataset.iso3)")
    assert sorted(coloured) == sorted(TARGETS)
    title = page.eval_on_selector("#atlas-map path[data-iso3='VNM'] title", "t => t.textContent")
    assert "real income" in title and "rank" in title
    page.select_option("#atlas-family", "us-reciprocal-2025-04")
    assert "each target alone at its own rate" in page.inner_text("#atlas-status")
    assert page.locator("#atlas-heat rect[data-cell]").count() == len(TARGETS) * len(FAMILIES)
    page.locator("#atlas-panel").screenshot(path=str(artifacts / "dashboard-atlas.png"))
    assert [u for u in seen if not u.startswith(atlas_server) and not u.startswith("data:")] == []
    assert errors == []
    context.close()


def test_atlas_panel_without_an_atlas_says_how_to_run_it(browser, server):
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server + "/")
    page.wait_for_selector("#atlas-panel[data-ready='0']")
    assert "run 'geohedge atlas'" in page.inner_text("#atlas-status")
    assert errors == []
    context.close()
