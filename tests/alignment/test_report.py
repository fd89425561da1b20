"""The brief's Alignment section: to 2023 from the shipped data, and its missing state."""

from __future__ import annotations

import pytest

from geohedge.data.store import Store
from geohedge.report.sections.alignment import build


@pytest.mark.shared_data
def test_section_with_shipped_data(shipped_store, published_raw):
    sec = build(shipped_store, "MYS", partners=["IDN"])
    assert sec.missing is None and sec.key == "alignment"
    assert sec.charts and all(c.svg.startswith("<svg") for c in sec.charts)
    assert "1990-2023" in sec.charts[0].caption and "2020-2023 published" in sec.charts[0].caption
    mys = published_raw[published_raw["iso3c"] == "MYS"].set_index("session")
    heads = {h.label: h for h in sec.headlines}
    usa = heads["Agreement with USA in UN votes, 2023 (session 78)"]
    assert usa.value == f"{100 * mys.loc[78, 'USAgree']:.1f}% (identical votes)" and "published" in usa.source
    assert heads["Ideal point in UN votes, 2023 (session 78)"].value.startswith(f"{mys.loc[78, 'IdealPointAll']:+.2f}")
    table = sec.tables[0].frame.set_index("country")
    assert {"MYS", "TUR", "IDN"} <= set(table.index) and table.loc["TUR", "MYS_year"] == 2019
    comp = sec.tables[1].frame.set_index("year")
    assert list(comp.index) == list(range(2010, 2020))
    assert comp.loc[2019, "published_MYS"] == pytest.approx(mys.loc[74, "USAgree"])
    assert {"half_TUR", "published_CHN", "half_RUS"} <= set(comp.columns)
    assert any(t.startswith("Türkiye:") for t in sec.text)
    assert any("sessions 75-78 (opened 2020-2023)" in n for n in sec.notes)


@pytest.mark.bundle
def test_fresh_bundle_answers_alignment(bundle_store):
    """The README's first command: after 'geohedge data build' alone the section shows
    MYS's agreement with the USA, China and Russia for 2000-2023 and its 2023 ideal point."""
    sec = build(bundle_store, "MYS")
    assert sec.missing is None
    years = sec.charts[0].caption
    assert "1990-2023" in years
    labels = [h.label for h in sec.headlines]
    assert {"Agreement with USA in UN votes, 2023 (session 78)", "Agreement with CHN in UN votes, 2023 (session 78)",
            "Agreement with RUS in UN votes, 2023 (session 78)", "Ideal point in UN votes, 2023 (session 78)"} <= set(labels)


def test_section_without_votes(tmp_path):
    with Store(tmp_path / "geohedge.duckdb") as store:
        sec = build(store, "MYS")
    assert sec.missing == "UN General Assembly votes are not loaded; run 'geohedge data build' (the bundle ships them) or 'geohedge data import unga PATH'"
    assert not sec.tables and not sec.charts
