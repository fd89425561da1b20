"""Direct trade exposure on a hand-made 4-country table (written for these tests, not real data)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geohedge.errors import InputError
from geohedge.exposure import _kernels as K
from geohedge.exposure.trade import (
    bloc_of,
    bloc_table,
    concentration_summary,
    partner_table,
    sector_destinations,
)

# Hand-made: MYS trades with USA, CHN, DEU (EU27) and TUR in two products, 2021-2022.
ROWS = [
    (2022, "MYS", "USA", "C26", 30.0), (2022, "MYS", "CHN", "C26", 50.0), (2022, "MYS", "DEU", "C20", 10.0),
    (2022, "MYS", "TUR", "C20", 10.0), (2022, "CHN", "MYS", "C26", 60.0), (2022, "USA", "MYS", "C20", 40.0),
    (2022, "MYS", "MYS", "C26", 999.0),  # domestic row: must be ignored
    (2021, "MYS", "USA", "C26", 20.0), (2021, "MYS", "CHN", "C26", 20.0),
]
TRADE = pd.DataFrame(ROWS, columns=["year", "exporter", "importer", "product", "value_usd"])


def test_partner_table_by_hand():
    t = partner_table(TRADE, "MYS", year=2022).set_index("partner")
    assert t.loc["CHN", "export_share"] == pytest.approx(0.5)
    assert t.loc["USA", "import_share"] == pytest.approx(0.4)
    assert t.loc["TUR", "imports_usd"] == 0.0
    assert "MYS" not in t.index
    assert t["export_share"].sum() == pytest.approx(1.0) and t["import_share"].sum() == pytest.approx(1.0)


def test_bloc_table_keeps_order_and_sums():
    b = bloc_table(partner_table(TRADE, "MYS"), ("USA", "CHN", "EU27"))
    b22 = b[b["year"] == 2022]
    assert list(b22["bloc"]) == ["USA", "CHN", "EU27", "REST"]
    assert list(b22["export_share"]) == pytest.approx([0.3, 0.5, 0.1, 0.1])
    assert b.groupby("year")["export_share"].sum().tolist() == pytest.approx([1.0, 1.0])


def test_sector_destinations_rows_sum_to_one():
    s = sector_destinations(TRADE, "MYS", "exports", ("USA", "CHN", "EU27"), year=2022).set_index("product")
    assert s.loc["C26", "chn_share"] == pytest.approx(50 / 80)
    assert s.loc["C20", "eu27_share"] == pytest.approx(0.5) and s.loc["C20", "rest_share"] == pytest.approx(0.5)
    shares = s[[c for c in s.columns if c.endswith("_share") and c != "share_of_total"]]
    assert np.allclose(shares.sum(axis=1), 1.0)


def test_concentration_summary_by_hand():
    c = concentration_summary(partner_table(TRADE, "MYS")).set_index(["year", "flow"])
    assert c.loc[(2022, "exports"), "hhi"] == pytest.approx(0.3**2 + 0.5**2 + 0.1**2 + 0.1**2)
    assert c.loc[(2021, "exports"), "top1_share"] == pytest.approx(0.5)
    assert c.loc[(2022, "imports"), "partners"] == 2


def test_unknown_bloc():
    with pytest.raises(InputError, match="unknown bloc 'NOTABLOC'"):
        bloc_of(["USA"], ("USA", "NOTABLOC"))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=0.001, max_value=1e9, allow_nan=False), min_size=1, max_size=40))
def test_hhi_bounds(values):
    h = K.hhi(np.array(values))
    assert h >= 1 / len(values) - 1e-12 and h <= 1 + 1e-12
    assert K.top_k_share(np.array(values), len(values)) == pytest.approx(1.0)


def test_blocs_named_by_country_name_keep_their_place():
    """'Türkiye' is labelled TUR and keeps its place in the requested order."""
    b = bloc_table(partner_table(TRADE, "MYS"), ("Türkiye", "USA"))
    assert list(b[b["year"] == 2022]["bloc"]) == ["TUR", "USA", "REST"]
    s = sector_destinations(TRADE, "MYS", "exports", ("Türkiye", "USA"), year=2022)
    assert [c for c in s.columns if c.endswith("_share") and c != "share_of_total"] == ["tur_share", "usa_share", "rest_share"]
