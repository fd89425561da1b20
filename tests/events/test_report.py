import datetime as dt

from geohedge.data.sources.gdelt import load_gdelt
from geohedge.data.sources.news import ingest_news
from geohedge.data.store import Store
from geohedge.report.sections.relations import build

from .conftest import GDELT_FIXTURE


def test_missing_says_how_to_ingest():
    with Store() as store:
        sec = build(store, "MYS")
    assert sec.missing is not None and "geohedge events ingest ../shared/seed/" in sec.missing
    assert not sec.tables


def test_section_with_events(tmp_path):
    (tmp_path / "a.txt").write_text("Malaysia praised China for its help. Malaysia signed a trade deal with Turkey.\n")
    with Store() as store:
        load_gdelt(store, GDELT_FIXTURE)
        ingest_news(store, tmp_path, date=dt.date(2025, 8, 1))
        sec = build(store, "MYS")
    assert sec.missing is None
    partners = sec.tables[0].frame
    assert {"TUR", "USA", "CHN"} <= set(partners["partner"])
    usa = partners.set_index("partner").loc["USA"]
    assert usa["n_conflict"] == 1 and usa["net_intensity"] == -8.0  # the hand-made embargo row
    assert any("Recent events" in t.caption for t in sec.tables)
    assert sec.charts and sec.charts[0].svg.startswith("<svg")
    assert all("source" in t.caption for t in sec.tables)
