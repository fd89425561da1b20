"""The brief rendered: HTML in Chromium (every chart drew) and the PDF's pages as images
(every section there, charts on the pages that carry their captions, no blank page).

Both come from the real command, ``geohedge brief MYS [--pdf]``, run as a subprocess over
the bundle store. Page images and screenshots go to ``artifacts/browser/``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.bundle, pytest.mark.slow]

TITLES = ("Summary", "Exposure", "Stress test", "Alignment", "Partners", "Relations", "Data and methods")


def _brief(bundle_home: Path, out: Path, *extra: str) -> None:
    env = {**os.environ, "GEOHEDGE_HOME": str(bundle_home)}
    done = subprocess.run([sys.executable, "-m", "geohedge", "brief", "MYS", "--out", str(out), *extra],
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]


def test_html_brief_every_chart_drew(browser, bundle_home, tmp_path, artifacts):
    _brief(bundle_home, tmp_path)
    html = tmp_path / "geohedge-brief-MYS.html"
    figures = html.read_text(encoding="utf-8").count('<figure class="chart"')
    assert figures >= 4
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(html.as_uri())
    charts = page.eval_on_selector_all(
        "figure.chart",
        """figs => figs.map(f => {
            const svg = f.querySelector('svg');
            if (!svg) return {title: f.dataset.title, ok: false, why: 'no svg'};
            const box = svg.getBoundingClientRect();
            const marks = [...svg.querySelectorAll('path, rect, line, polyline, polygon, text, use')]
                .filter(e => { const b = e.getBoundingClientRect(); return b.width > 0 || b.height > 0; }).length;
            return {title: f.dataset.title, ok: box.width > 0 && box.height > 0 && marks > 10, width: box.width, height: box.height, marks};
        })""",
    )
    assert len(charts) == figures
    bad = [c for c in charts if not c["ok"]]
    assert not bad, bad
    headings = page.eval_on_selector_all("h2", "hs => hs.map(h => h.textContent.trim())")
    for title in TITLES:
        assert any(h.startswith(title) for h in headings), (title, headings)
    page.screenshot(path=str(artifacts / "brief-MYS.png"), full_page=True)
    assert [u for u in requests if not u.startswith("file://") and not u.startswith("data:")] == []
    context.close()


def _ppm(path: Path) -> np.ndarray:
    """A binary PPM (P6) image as an (h, w, 3) array."""
    data = path.read_bytes()
    magic, w, h, maxval, _ = data.split(maxsplit=4)
    assert magic == b"P6" and maxval == b"255"
    w, h = int(w), int(h)
    return np.frombuffer(data[-w * h * 3:], dtype=np.uint8).reshape(h, w, 3).astype(np.int16)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def pdf_pages(poppler, bundle_home, tmp_path_factory, artifacts):
    """``geohedge brief MYS --pdf``: its pages' text (pdftotext) and ink (pdftoppm at 40 dpi).

    Ink per page: the share of non-white pixels, and the count of saturated (coloured)
    pixels; the brief's text is black or grey, its charts are coloured.
    """
    out = tmp_path_factory.mktemp("pdf")
    _brief(bundle_home, out, "--pdf")
    pdf = out / "geohedge-brief-MYS.pdf"
    info = subprocess.run([poppler["pdfinfo"], str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    texts = [
        _norm(subprocess.run([poppler["pdftotext"], "-f", str(k), "-l", str(k), str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
        for k in range(1, pages + 1)
    ]
    subprocess.run([poppler["pdftoppm"], "-r", "40", str(pdf), str(out / "page")], check=True)
    subprocess.run([poppler["pdftoppm"], "-r", "60", "-png", str(pdf), str(artifacts / "brief-MYS-page")], check=True)
    images = sorted(out.glob("page-*.ppm"), key=lambda p: int(p.stem.split("-")[-1]))
    assert len(images) == pages
    ink = []
    for img in images:
        a = _ppm(img)
        ink.append((float((a.min(axis=2) < 200).mean()), int(((a.max(axis=2) - a.min(axis=2)) > 60).sum())))
    return texts, ink


def test_pdf_pages_show_every_section_and_chart(pdf_pages, bundle_store):
    from geohedge.report.brief import build_brief

    texts, ink = pdf_pages
    assert len(texts) >= 2
    whole = " ".join(texts)
    for title in TITLES:
        assert title in whole, title
    # every chart of the brief sits on a page that carries its caption and shows colour
    brief = build_brief(bundle_store, "MYS")
    charts = [c for s in brief.sections for c in s.charts]
    assert len(charts) >= 4
    for chart in charts:
        key = _norm(chart.caption)[:60]
        on = [k for k, t in enumerate(texts) if key in t]
        assert on, f"caption of {chart.title!r} not found in the PDF"
        assert max(ink[k][1] for k in on) > 300, (chart.title, [ink[k] for k in on])


def test_pdf_has_no_blank_page(pdf_pages):
    """No page holds nothing but the footer. (Seen once: report/pdf.py ends the story with a
    Spacer, which opens a page of its own when the last table ends at the page bottom.)"""
    _, ink = pdf_pages
    blank = [k + 1 for k, (share, _) in enumerate(ink) if share < 0.005]
    assert blank == [], f"pages with nothing but the footer: {blank} of {len(ink)}"
