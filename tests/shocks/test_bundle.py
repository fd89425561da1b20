"""The shock model on the real ICIO 2022 table of the offline bundle (80 countries x 50 sectors)."""

from __future__ import annotations

import numpy as np
import pytest

from geohedge.views.baseline import baseline_cache_path, query_baseline
from geohedge.shocks.model import solve, solve_arrays
from geohedge.shocks.scenario import ShockArrays, builtin_scenario

pytestmark = pytest.mark.bundle


@pytest.fixture
def base(bundle_store):
    return query_baseline(bundle_store, 2022)


def test_calibration_accounts(base):
    assert (base.N, base.J) == (80, 50)
    np.testing.assert_allclose(base.pi.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(base.gamma_va + base.gamma_io.sum(axis=1), 1.0, atol=1e-9)
    np.testing.assert_allclose(base.alpha.sum(axis=1), 1.0, atol=1e-12)
    assert abs(base.D.sum()) < 1e-6 * base.VA.sum()  # deficits sum to zero (ROW folded in)
    assert not base.approximate  # destinations come from the ICIO cubes
    assert base.tau.max() > 0 and "2021" in base.tariff_source  # baseline tariffs of the cubes
    d = np.arange(base.N)
    assert not base.tau[d, d, :].any()
    services = [k for k, s in enumerate(base.sectors) if s[0] not in "ABC"]
    assert not base.tau[:, :, services].any()
    # imports less exports at exporter prices equal the deficit (CP2015 eq. 14)
    T = base.trade() / (1.0 + base.tau)
    T[d, d, :] = 0.0
    np.testing.assert_allclose(T.sum(axis=(1, 2)) - T.sum(axis=(0, 2)), base.D, atol=1e-6 * base.VA.max())


def test_cache_round_trip_and_key(bundle_store, base):
    path = baseline_cache_path(bundle_store, 2022)
    assert path.exists()
    again = query_baseline(bundle_store, 2022)
    np.testing.assert_array_equal(again.pi, base.pi)
    assert again.countries == base.countries and again.approximate == base.approximate
    path.write_bytes(b"damaged")
    rebuilt = query_baseline(bundle_store, 2022)  # a damaged cache is rebuilt, never trusted
    np.testing.assert_array_equal(rebuilt.X, base.X)


def test_zero_shock_on_the_full_table(base):
    N, J = base.N, base.J
    r = solve_arrays(base, ShockArrays(np.ones((N, N, J)), base.tau.copy(), np.zeros(N, bool)), np.full(J, 5.0))
    np.testing.assert_allclose(r.w_hat, 1.0, atol=1e-9)
    np.testing.assert_allclose(r.P_hat, 1.0, atol=1e-9)
    np.testing.assert_allclose(r.W_hat, 1.0, atol=1e-9)


def test_us_tariff_lowers_malaysias_exports_to_the_usa_and_its_welfare(base):
    r = solve(base, builtin_scenario("us-tariff-mys-24"))
    f = r.to_frame().set_index("country")
    assert f.loc["MYS", "welfare_change"] < 0
    d = r.diversion("MYS")
    usa = d.exports.set_index("partner").loc["USA"]
    assert usa["change"] < -0.2
    assert d.exports["change_usd_mn"].gt(0).sum() > 10  # diverted to other markets
    assert r.convergence.equilibrium_residual < 1e-6
    r19 = solve(base, builtin_scenario("us-tariff-mys-19"))
    assert f.loc["MYS", "welfare_change"] < r19.to_frame().set_index("country").loc["MYS", "welfare_change"] < 0


def test_decoupling_and_agreement(base):
    dec = solve(base, builtin_scenario("us-china-decoupling")).to_frame().set_index("country")
    assert dec.loc["USA", "welfare_change"] < 0 and dec.loc["CHN", "welfare_change"] < 0
    agr = solve(base, builtin_scenario("mys-tur-agreement")).to_frame().set_index("country")
    assert agr.loc["MYS", "welfare_change"] > 0 and agr.loc["TUR", "welfare_change"] > 0


def test_stress_section(bundle_store):
    from geohedge.report.sections.stress import build

    sec = build(bundle_store, "MYS")
    assert sec.missing is None and len(sec.headlines) == 3 and len(sec.charts) == 6
    assert all(c.svg.startswith("<svg") for c in sec.charts)
    assert all("exact" in h.label for h in sec.headlines)
    captions = " ".join(t.caption for t in sec.tables)
    assert "linearised decomposition" in captions and "by published elasticity set" in captions and "ten largest bilateral diversions" in captions
    assert any("ranges from" in t and "(" in t for t in sec.text)  # the range across sets names the sets at the extremes
    assert build(bundle_store, "PRK").missing.startswith("PRK is not one of the 80 economies of the OECD ICIO 2022 table")


def test_every_builtin_converges_on_the_full_table(base):
    """Every built-in on the 80 x 50 table with baseline tariffs; the numbers docs/shocks.md reports."""
    from geohedge.shocks.scenario import builtin_scenarios

    for name, sc in builtin_scenarios().items():
        r = solve(base, sc)
        assert r.convergence.equilibrium_residual < 1e-6, name
        f = r.to_frame().set_index("country")
        print(f"{name}: " + ", ".join(f"{c} {f.loc[c, 'welfare_change']:+.3%} (lin. {f.loc[c, 'welfare_linear_cp2015']:+.3%})"
                                    for c in ("MYS", "VNM", "CHN", "USA")))
        assert np.isfinite(f["welfare_change"]).all()


def test_the_2025_schedules_on_the_table(base):
    from geohedge.shocks.library import electronics_coverage

    k = {c: n for n, c in enumerate(base.countries)}
    j = {s: n for n, s in enumerate(base.sectors)}
    aug = solve(base, builtin_scenario("us-tariffs-2025-08"))
    t0, t1 = aug.tau0, aug.tau1
    u = k["USA"]
    cov = electronics_coverage()
    assert t1[u, k["MYS"], j["C25"]] == pytest.approx(t0[u, k["MYS"], j["C25"]] + 0.19)
    assert t1[u, k["MYS"], j["C26"]] == pytest.approx(t0[u, k["MYS"], j["C26"]] + 0.19 * cov["MYS"].coverage)
    assert t1[u, k["CHN"], j["C26"]] == pytest.approx(t0[u, k["CHN"], j["C26"]] + 0.20 + 0.10 * cov["CHN"].coverage)
    assert t1[u, k["DEU"], j["C25"]] == pytest.approx(max(t0[u, k["DEU"], j["C25"]], 0.15))
    assert t1[u, k["CAN"], j["C25"]] == pytest.approx(t0[u, k["CAN"], j["C25"]] + 0.35 * 0.10)
    assert t1[u, k["IND"], j["C26"]] == pytest.approx(t0[u, k["IND"], j["C26"]] + 0.25 + 0.25 * cov["other"].coverage)
    assert t1[k["CHN"], u, j["C25"]] == pytest.approx(t0[k["CHN"], u, j["C25"]] + 0.10)  # China's answer
    assert t1[k["MYS"], u, j["C25"]] == t0[k["MYS"], u, j["C25"]]  # nobody else retaliated
    apr = solve(base, builtin_scenario("us-reciprocal-2025-04-retaliation"))
    assert apr.tau1[k["VNM"], u, j["C25"]] == pytest.approx(apr.tau0[k["VNM"], u, j["C25"]] + 0.46)  # in kind
    assert apr.tau1[k["GBR"], u, j["C25"]] == pytest.approx(apr.tau0[k["GBR"], u, j["C25"]] + 0.10)
    assert apr.tau1[k["RUS"], u, j["C25"]] == apr.tau0[k["RUS"], u, j["C25"]]  # not targeted, no answer
    f = apr.to_frame().set_index("country")
    assert f.loc["USA", "welfare_change"] < 0 and f.loc["USA", "tariff_revenue_new_usd_mn"] > 2 * f.loc["USA", "tariff_revenue_base_usd_mn"]
    d = apr.largest_diversions("MYS")
    assert len(d) == 10 and d["change_usd_mn"].abs().is_monotonic_decreasing


def test_rest_of_world_as_a_region_on_the_table(bundle_store, base):
    row = query_baseline(bundle_store, 2022, rest_of_world="region")
    assert row.countries[:-1] == base.countries and row.countries[-1] == "ROW" and row.exact
    T, Tf = row.trade() / (1 + row.tau), base.trade() / (1 + base.tau)
    n = row.N - 1
    assert (Tf.sum() - T[:n, :n].sum()) == pytest.approx(T[n].sum(), rel=1e-9)  # folding adds exactly ROW's purchases
    r = solve(row, builtin_scenario("us-reciprocal-2025-04-retaliation"))
    assert r.convergence.equilibrium_residual < 1e-6
    j = row.sectors.index("C25")
    assert r.tau1[n, row.countries.index("USA"), j] > r.tau0[n, row.countries.index("USA"), j] + 0.15  # ROW answers at its weighted rate


def test_cache_invalidates_when_the_table_is_reloaded(bundle_home, tmp_path):
    import shutil

    from geohedge.data.store import Store

    copy = tmp_path / "geohedge.duckdb"
    shutil.copy(bundle_home / "geohedge.duckdb", copy)
    with Store(copy) as store:
        before = baseline_cache_path(store, 2022)
        query_baseline(store, 2022)
        assert before.exists()
        store.run("UPDATE provenance SET loaded_at = loaded_at + INTERVAL 1 SECOND WHERE table_name = 'icio_nodes'")
        after = baseline_cache_path(store, 2022)
        assert after != before
        query_baseline(store, 2022)
        assert after.exists() and not before.exists()  # the stale file is replaced, not kept
