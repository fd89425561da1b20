"""The brief on the real offline bundle: sections, charts, self-containment."""

import re

import pytest

from tests.test_cli import run

pytestmark = pytest.mark.bundle


@pytest.fixture
def home(bundle_home, monkeypatch):
    monkeypatch.setenv("GEOHEDGE_HOME", str(bundle_home))
    return bundle_home


def test_brief_mys_html(home, tmp_path, capsys):
    code, out, err = run(["brief", "MYS", "--out", str(tmp_path)], capsys)
    assert code == 0, err
    html = (tmp_path / "geohedge-brief-MYS.html").read_text()
    exposure = html.split('<section id="exposure">', 1)[1].split("</section>", 1)[0]
    assert exposure.count("<svg") >= 3
    for title in ("Partner shares of exports and imports", "Value-added exposure to the great powers", "Top critical-material supply risks"):
        assert f'data-title="{title}"' in exposure
    for p in ("USA", "CHN", "TUR"):
        assert f"<td>{p}</td>" in exposure
    # self-contained: no reference to any other file or host
    assert not re.search(r"""(src|href)\s*=\s*["'](?!#|data:)""", html)
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
    assert "approximate" in html and "Data and methods" in html
    assert "Exports to CHN" in out and "Wrote " in out


def test_brief_unknown_country(home, tmp_path, capsys):
    code, out, err = run(["brief", "Malaysai", "--out", str(tmp_path)], capsys)
    assert code == 2 and err.startswith("error: unknown country 'Malaysai'; did you mean MYS")
    assert not list(tmp_path.iterdir())


def test_brief_pdf(home, tmp_path, capsys):
    code, out, err = run(["brief", "MYS", "--out", str(tmp_path), "--pdf"], capsys)
    assert code == 0, err
    data = (tmp_path / "geohedge-brief-MYS.pdf").read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") >= 3
    assert "geohedge-brief-MYS.pdf" in out
