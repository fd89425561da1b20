"""Without Chromium or poppler the browser tests skip, unless GEOHEDGE_REQUIRE_BROWSER=1 (CI),
where they fail."""

from __future__ import annotations

import pytest

from tests.browser.conftest import require


def test_missing_tool_skips(monkeypatch):
    monkeypatch.delenv("GEOHEDGE_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="chromium is absent"):
        require(False, "/usr/bin/chromium is absent")


def test_missing_tool_fails_when_required(monkeypatch):
    monkeypatch.setenv("GEOHEDGE_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="GEOHEDGE_REQUIRE_BROWSER=1 but pdftoppm absent"):
        require(False, "pdftoppm absent")


def test_present_tool_passes(monkeypatch):
    monkeypatch.setenv("GEOHEDGE_REQUIRE_BROWSER", "1")
    require(True, "unused")
