"""Fixtures for the browser tests: Debian's Chromium through Playwright, the app served by
uvicorn on a free loopback port, and an artefacts folder for screenshots.

Never ``playwright install``: the browser is the system's ``/usr/bin/chromium`` (installed
by ``.ci/run``). Without it (or without poppler's ``pdftoppm``) the tests skip, unless
``GEOHEDGE_REQUIRE_BROWSER=1``, where they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def require(ok: bool, reason: str) -> None:
    """Skip with ``reason``, or fail when GEOHEDGE_REQUIRE_BROWSER=1."""
    if ok:
        return
    if os.environ.get("GEOHEDGE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"GEOHEDGE_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """``artifacts/browser/`` in the checkout (git-ignored): screenshots and page images."""
    path = ROOT / "artifacts" / "browser"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("browser-cache")


@pytest.fixture(autouse=True)
def _shared_cache(monkeypatch, shared_cache):
    monkeypatch.setenv("GEOHEDGE_CACHE", str(shared_cache))


@pytest.fixture(scope="session")
def browser():
    require(CHROMIUM.is_file(), f"{CHROMIUM} is absent (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - in the test extra
        require(False, "the playwright package is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(full_home, shared_cache):
    """The app over the bundle store with the UN votes and the seed article (every panel has
    data), served by uvicorn in a background thread; yields its URL."""
    import uvicorn

    from geohedge.api import create_app

    port = _free_port()
    config = uvicorn.Config(create_app(full_home / "geohedge.duckdb"), host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, name="geohedge-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start within 30 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def poppler() -> dict[str, str]:
    tools = {name: shutil.which(name) for name in ("pdftoppm", "pdftotext", "pdfinfo")}
    missing = [n for n, p in tools.items() if p is None]
    require(not missing, f"{', '.join(missing)} absent (apt-get install poppler-utils)")
    return tools  # type: ignore[return-value]


#: Finds elements wider than the viewport or reaching past its right edge. Shapes inside an
#: SVG are left out: the SVG clips them to its own box, which is checked.
TOO_WIDE_JS = """(limit) => [...document.querySelectorAll('body *')]
    .filter(e => !(e.ownerSVGElement))
    .map(e => ({e, b: e.getBoundingClientRect()}))
    .filter(({b}) => b.width > limit + 0.5 || b.right > limit + 0.5)
    .map(({e, b}) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${typeof e.className === 'string' && e.className ? '.' + e.className : ''} ${Math.round(b.width)}px`)
    .slice(0, 10)"""
