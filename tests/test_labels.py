"""geohedge.labels: one place for every column's label, unit and format.

The printed forms below are the house rules written out (a share of 0.3148 reads 31.5%),
not outputs of the code under test; the coverage test lists every column the brief and
the CLI views produce and fails on any column the module only guesses from its suffix.
"""

import numpy as np
import pandas as pd
import pytest

from geohedge import labels


@pytest.mark.parametrize(
    "name, value, text",
    [
        ("export_share", 0.3148, "31.5%"),
        ("export_share", 0.0042, "0.42%"),  # two significant digits below 1%
        ("agree_USA", 0.2167, "21.7%"),  # the CLI printed 0.2167, the brief 22%: now both 21.7%
        ("welfare_change", -7.432e-05, "-0.0074%"),  # Monte Carlo printed -7.432e-05
        ("change", 2.0, "+200.0%"),  # one 'change' column mixed 2.0 ...
        ("change", -0.007346, "-0.73%"),  # ... and -0.007346
        ("welfare_change", 0.0, "0.0%"),
        ("exports_usd", 1.2345e10, "12,345"),  # USD, shown in USD million
        ("change_usd_mn", 1267.8, "+1,268"),
        ("usa_exposure_change_pp", -0.1, "-0.10"),
        ("n_events", np.int64(1300), "1,300"),
        ("year", np.int64(2022), "2022"),
        ("equidistance", 0.4349, "0.43"),
        ("lean", 0.2, "+0.20"),
        ("mean_intensity", 5.66, "+5.7"),
        ("score", 0.48123, "0.481"),
        ("partner", "TUR", "TUR"),
        ("export_share", float("nan"), ""),
        ("export_share", None, ""),
    ],
)
def test_format_value(name, value, text):
    assert labels.format_value(name, value) == text


@pytest.mark.parametrize(
    "name, head, raw",
    [
        ("export_share", "Share of exports (%)", "Share of exports (0-1)"),
        ("exports_usd", "Exports (USD mn)", "Exports (USD)"),
        ("overall_score", "Overall score (0-1)", "Overall score (0-1)"),
        ("agree_CHN", "Agreement with CHN (%)", "Agreement with CHN (0-1)"),
        ("eu27_exposure_change_pp", "Exposure to EU27 change (pp)", "Exposure to EU27 change (pp)"),
        ("gp_concentration_change_pp", "Great-power concentration change (pp)", "Great-power concentration change (pp)"),
        ("partner", "Partner", "Partner"),
    ],
)
def test_headers(name, head, raw):
    assert labels.header(name) == head
    assert labels.header(name, raw=True) == raw


def test_unknown_columns_fall_back_on_their_suffix():
    assert not labels.is_known("widget_usd_mn")
    assert labels.header("widget_usd_mn") == "Widget (USD mn)"
    assert labels.format_value("widget_share", 0.5) == "50.0%"
    assert labels.header("n_widgets") == "Widgets"


def test_a_long_table_is_formatted_row_by_row():
    f = pd.DataFrame({"measure": ["welfare_change", "gp_concentration", "trade_with_TUR_usd_mn"], "flow": ["", "trade", "exports"],
                      "base": [0.0, 0.7763, 2447.27], "new": [0.0015, 0.7739, 7278.6], "change": [0.0015, -0.00245, 4831.35]})
    shown = labels.format_frame(f)
    assert list(shown.iloc[0]) == ["welfare_change", "", "0.0%", "+0.15%", "+0.15%"]
    assert list(shown.iloc[1]) == ["gp_concentration", "trade", "77.6%", "77.4%", "-0.24 pp"]
    assert list(shown.iloc[2]) == ["trade_with_TUR_usd_mn", "exports", "USD 2,447 mn", "USD 7,279 mn", "USD +4,831 mn"]


def test_human_frame_keeps_values_and_makes_headers_unique():
    f = pd.DataFrame({"export_share": [0.5], "import_share": [0.25], "share": [0.1]})
    h = labels.human_frame(f)
    assert list(h.columns) == ["Share of exports (0-1)", "Share of imports (0-1)", "Share (0-1)"]
    assert h.iloc[0].tolist() == [0.5, 0.25, 0.1]
    dup = labels.human_frame(pd.DataFrame({"base_usd_mn": [1], "exports_base_usd_mn": [2], "hhi_imports": [3], "imports_hhi": [4]}))
    assert dup.columns[2] == "Import HHI (0-1) [hhi_imports]" and dup.columns[3] == "Import HHI (0-1) [imports_hhi]"


@pytest.mark.bundle
def test_every_column_of_the_brief_and_the_views_is_known(bundle_store):
    """A column the labels module does not know reads as its raw name somewhere: list them."""
    from geohedge.report.brief import build_brief
    from geohedge.views.exposure import exposure_view

    seen: set[str] = set()
    brief = build_brief(bundle_store, "MYS")
    for s in brief.sections:
        for t in s.tables:
            seen |= {str(c) for c in t.frame.columns}
    views = [("trade", "partner"), ("trade", "bloc"), ("trade", "sector"), ("trade", "year"), ("value-added", "partner"),
             ("value-added", "bloc"), ("value-added", "sector"), ("materials", "partner"), ("materials", "bloc")]
    for channel, by in views:
        seen |= set(exposure_view(bundle_store, "MYS", channel=channel, by=by).frame.columns)
    assert sorted(c for c in seen if not labels.is_known(c)) == []
