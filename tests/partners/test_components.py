"""The raw components on hand-made inputs (conftest), each recomputed here another way."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geohedge.exposure.value_chain import value_chain_model
from geohedge.partners import _kernels as K
from geohedge.partners.components import (
    capacity_frame,
    cvar_reduction,
    tariff_risk,
    va_exposure,
    vote_indices,
)
from tests.partners.conftest import small_table


def _sales(table, home):
    J = table.n_sectors
    h = table.countries.index(home)
    rows = slice(h * J, (h + 1) * J)
    inter = []
    for j in range(J):
        for c, cc in enumerate(table.countries):
            for k in range(J):
                inter.append((table.sectors[j], cc, table.sectors[k], table.Z[h * J + j, c * J + k]))
    final = [(table.sectors[j], d, table.F[h * J + j, m]) for j in range(J) for m, d in enumerate(table.destinations)]
    return (pd.DataFrame(inter, columns=["seller_sector", "buyer_country", "buyer_sector", "value_usd_mn"]),
            pd.DataFrame(final, columns=["seller_sector", "buyer_country", "value_usd_mn"]), rows)


def test_va_gp_content_by_explicit_leontief():
    """gamma_d from the Leontief inverse and final demand directly, node by node (no VAD/va shortcut)."""
    t = small_table()
    model = value_chain_model(t)
    inter, final, _ = _sales(t, "MYS")
    res = va_exposure(model, "MYS", inter, final, blocs=("USA", "EU27"))
    N, J = t.n_countries, t.n_sectors
    x = t.x
    A = t.Z / x[None, :]
    L = np.linalg.inv(np.eye(N * J) - A)
    v = t.va / x
    LF = L @ t.F  # output of each node needed by each destination's final demand
    gp = {"USA", "DEU"}
    dest = list(t.destinations)
    h = t.countries.index("MYS")
    b = np.array([(v[h * J:(h + 1) * J] @ L[h * J:(h + 1) * J, h * J + j]) for j in range(J)])  # home VA per unit of home output
    for m, d in enumerate(dest):
        if d == "MYS":
            continue
        dva = absorbed = 0.0
        for j in range(J):
            r = h * J + j
            fin = t.F[r, m]
            dva += b[j] * fin
            absorbed += b[j] * fin * (d in gp)
            if d in t.countries:
                c = t.countries.index(d)
                for k in range(J):
                    s = c * J + k
                    z = t.Z[r, s]
                    dva += b[j] * z
                    absorbed += b[j] * z * sum(LF[s, e] for e, de in enumerate(dest) if de in gp) / x[s]
        got = res.frame.set_index("destination").loc[d]
        assert got["dva_usd_mn"] == pytest.approx(dva, rel=1e-10)
        assert got["va_gp_content"] == pytest.approx(absorbed / dva, rel=1e-10)
    fr = res.frame
    assert res.exposure == pytest.approx((fr["dva_usd_mn"] * fr["va_gp_content"]).sum() / fr["dva_usd_mn"].sum(), rel=1e-12)
    assert "MYS" not in set(fr["destination"]) and fr.set_index("destination").loc["ROW", "va_gp_content"] == 0.0


def test_home_in_a_bloc_is_not_its_own_great_power():
    t = small_table()
    model = value_chain_model(t)
    inter, final, _ = _sales(t, "DEU")
    res = va_exposure(model, "DEU", inter, final, blocs=("USA", "EU27"))
    assert "DEU" not in res.great_powers and "USA" in res.great_powers


def test_exposure_reduction_is_the_explicit_shift():
    """delta (X - gamma_p) equals the exposure after moving delta of the weights to p, pro rata."""
    rng = np.random.default_rng(1)
    w = rng.uniform(1, 5, 7)
    c = rng.uniform(0, 1, 7)
    X = (w * c).sum() / w.sum()
    for p in range(7):
        moved = 0.99 * w / w.sum()
        moved[p] += 0.01
        assert K.exposure_reduction(X, c, 0.01)[p] == pytest.approx(X - (moved * c).sum(), rel=1e-12)


def test_capacity_by_hand():
    # TUR imports 100 of C26 and 50 of G, 20 of the C26 from MYS; MYS exports 30 of C26 (20 to TUR) and 500 of G.
    im = pd.DataFrame({"importer": ["TUR", "TUR", "USA"], "product": ["C26", "G", "C26"], "value_usd": [100e6, 50e6, 400e6]})
    hx = pd.DataFrame({"importer": ["TUR", "USA", "USA"], "product": ["C26", "C26", "G"], "value_usd": [20e6, 10e6, 500e6]})
    cap = capacity_frame("MYS", im, hx, ["TUR", "USA"])
    # TUR: C26 min(100 - 20, 30 - 20) = 10, G min(50, 500) = 50 -> 60; USA: C26 min(400 - 10, 30 - 10) = 20, G min(0, 0) = 0
    assert cap["TUR"] == pytest.approx(60.0) and cap["USA"] == pytest.approx(20.0)


def test_tariff_risk_counts_rises_only():
    years = [2011, 2012, 2013, 2014, 2015]
    rates = {"C26": [0.05, 0.05, 0.08, 0.06, 0.06], "G": [0.10, 0.10, 0.10, 0.10, 0.02]}
    rows = [("TUR", "MYS", s, y, r) for s, rr in rates.items() for y, r in zip(years, rr, strict=True) if r > 0]
    tar = pd.DataFrame(rows, columns=["importer", "exporter", "sector", "year", "rate"])
    mix = pd.Series({"C26": 3.0, "G": 1.0})
    got = tariff_risk("MYS", tar, mix, ["TUR", "USA"], years).loc["TUR"]
    tau = (3 * np.array(rates["C26"]) + np.array(rates["G"])) / 4
    ups = np.maximum(np.diff(tau), 0)
    assert got["tariff_volatility_pp"] == pytest.approx(100 * np.sqrt((ups**2).mean()))
    assert got["tariff_on_home_pct"] == pytest.approx(100 * tau[-1])
    usa = tariff_risk("MYS", tar, mix, ["TUR", "USA"], years).loc["USA"]  # no rows: zero rates throughout
    assert usa["tariff_volatility_pp"] == 0.0 and usa["tariff_on_home_pct"] == 0.0


def test_home_tariff_on_partner_goods_by_hand():
    from geohedge.partners.components import home_tariffs

    tar = pd.DataFrame({"importer": ["MYS", "MYS", "USA"], "exporter": ["TUR", "TUR", "TUR"], "sector": ["C10T12", "C26", "C26"],
                        "year": 2021, "rate": [0.9, 0.1, 0.5]})
    mixes = pd.DataFrame({"exporter": ["TUR", "TUR", "TUR", "BRA"], "product": ["C10T12", "C26", "G", "C26"], "v": [1.0, 3.0, 6.0, 2.0]})
    got = home_tariffs("MYS", tar, mixes, ["TUR", "BRA"])
    assert got["TUR"] == pytest.approx(100 * (0.9 * 1 + 0.1 * 3) / 10) and got["BRA"] == 0.0


def test_vote_indices_by_hand(agreement):
    v, notes = vote_indices(agreement, "MYS", ["TUR", "DEU", "BRA"], window=10, min_votes=10)
    assert v.loc["TUR", "agreement_with_home"] == pytest.approx((0.8 + 0.9) / 2)
    assert v.loc["TUR", "vote_volatility"] == pytest.approx(np.std([0.8, 0.9], ddof=1))
    # equidistance per year: 1 - (max - min) of (USA, CHN, RUS): 2018 (0.6, 0.7, 0.7) -> 0.9; 2019 (0.4, 0.7, 0.8) -> 0.6
    assert v.loc["TUR", "bridging"] == pytest.approx((0.9 + 0.6) / 2)
    assert v.loc["DEU", "vote_volatility"] == pytest.approx(0.0)
    assert v.loc["BRA"].isna().all()
    assert "alignment over UN General Assembly years 2018-2019" in notes


def test_cvar_reduction_against_sorted_losses():
    """CVaR at 50% of four equally likely scenarios is the mean of the two worst losses."""
    rng = np.random.default_rng(5)
    L = rng.uniform(-0.2, 0.8, (4, 5))
    w0 = rng.uniform(0.1, 1, 5)
    w0 /= w0.sum()
    got = cvar_reduction(w0, L, list("ABCDE"), 0.01)

    def cv(w):
        loss = np.sort(L @ w)[::-1]
        return loss[:2].mean()

    for p in range(5):
        e = np.zeros(5)
        e[p] = 1
        assert got.iloc[p] == pytest.approx(100 * (cv(w0) - cv(0.99 * w0 + 0.01 * e)), rel=1e-9, abs=1e-12)
