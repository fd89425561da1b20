"""The brief's Alignment section."""

from __future__ import annotations

import pytest

from geohedge.data.store import Store
from geohedge.report.sections.alignment import build


@pytest.mark.shared_data
def test_section_with_votes(votes_home, agreement):
    with Store(votes_home / "geohedge.duckdb", read_only=True) as store:
        sec = build(store, "MYS", partners=["IDN"])
    assert sec.missing is None and sec.key == "alignment"
    assert sec.charts and sec.charts[0].svg.startswith("<svg")
    table = sec.tables[0].frame.set_index("country")
    assert {"MYS", "TUR", "IDN"} <= set(table.index)
    assert table.loc["TUR", "agree_MYS"] == pytest.approx(agreement.matrix(2019).loc["TUR", "MYS"])
    assert any("Agreement with USA" in h.label and h.value == f"{agreement.matrix(2019).loc['MYS', 'USA']:.0%}" for h in sec.headlines)
    assert any(t.startswith("Türkiye:") for t in sec.text)


def test_section_without_votes(tmp_path):
    with Store(tmp_path / "geohedge.duckdb") as store:
        sec = build(store, "MYS")
    assert sec.missing == "UN General Assembly votes are not loaded; run 'geohedge data import unga PATH' (e.g. ../shared/data/unga)"
    assert not sec.tables and not sec.charts
