"""Position between the powers: measures recomputed by hand from the agreement matrix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geohedge.alignment import position, positions
from geohedge.errors import InputError

pytestmark = pytest.mark.shared_data


def test_measures_from_the_matrix(agreement):
    pos = position(agreement, "MYS", window=4)
    f = pos.frame.set_index("year")
    for year in (1980, 2000, 2019):
        m = agreement.matrix(year)
        a = [m.loc["MYS", p] for p in ("USA", "CHN", "RUS")]
        assert f.loc[year, "agree_USA"] == a[0]
        assert f.loc[year, "equidistance"] == pytest.approx(1 - (max(a) - min(a)))
        assert f.loc[year, "lean"] == pytest.approx(a[0] - (a[1] + a[2]) / 2)
    eq = f["equidistance"]
    by_hand = [np.std(eq.iloc[max(0, k - 3):k + 1].to_numpy(), ddof=1) if k >= 1 else np.nan for k in range(len(eq))]
    np.testing.assert_allclose(f["equidistance_volatility"].to_numpy(), by_hand, equal_nan=True)
    assert 2020 not in f.index  # a handful of January votes: below min_votes


def test_turkiye_is_between_the_blocs(agreement):
    """Türkiye agrees with the USA more than Malaysia does and with China less: its
    equidistance is higher in 2019."""
    both = positions(agreement, ["MYS", "TUR"], since=2019).latest().set_index("country")
    assert both.loc["TUR", "agree_USA"] > both.loc["MYS", "agree_USA"]
    assert both.loc["TUR", "agree_CHN"] < both.loc["MYS", "agree_CHN"]
    assert both.index[0] == "TUR"  # most balanced first
    assert both.loc["TUR", "equidistance"] > both.loc["MYS", "equidistance"]


def test_with_ideal_points(agreement, ideal):
    pos = position(agreement, "TUR", ideal=ideal)
    r = pos.frame.set_index("year").loc[2010]
    s = ideal.session(65).set_index("country")["ideal_point"]
    assert r["ideal_point"] == s["TUR"]
    assert r["dist_USA"] == pytest.approx(abs(s["TUR"] - s["USA"]))
    rel = (s["TUR"] - (s["CHN"] + s["RUS"]) / 2) / (s["USA"] - (s["CHN"] + s["RUS"]) / 2)
    assert r["relative"] == pytest.approx(rel)
    assert "TUR 2019" in pos.summary() or "TUR year 2019" in pos.summary()


def test_never_voted(agreement):
    with pytest.raises(InputError) as exc:
        position(agreement, "VAT")
    assert str(exc.value) == (
        "VAT cast no vote in the selected UN General Assembly roll calls (calendar years 1946-2020, all roll calls); "
        "the focus country must be a country that voted"
    )


def test_bad_options(agreement):
    with pytest.raises(InputError, match="at least two powers"):
        position(agreement, "MYS", powers=["USA"])
    with pytest.raises(InputError, match="window must be at least 2"):
        position(agreement, "MYS", window=1)


def test_frames(agreement):
    f = positions(agreement, ["MYS", "TUR", "IDN"]).to_frame()
    assert set(f["country"]) == {"MYS", "TUR", "IDN"}
    assert isinstance(f, pd.DataFrame) and {"agree_USA", "agree_CHN", "agree_RUS", "equidistance"} <= set(f.columns)
