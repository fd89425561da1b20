"""The PPML gravity benchmark against a peer (statsmodels GLM Poisson with fixed-effect
dummies, run live on the same data) and against the parameters of a simulated world."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geohedge.errors import InputError
from geohedge.partners import gravity_benchmark


def simulated(n: int = 15, seed: int = 3, beta: float = -1.1, gamma: float = 0.6) -> pd.DataFrame:
    """A made-up world: trade drawn from a Poisson gravity model with known coefficients."""
    rng = np.random.default_rng(seed)
    lat, lon = rng.uniform(-40, 60, n), rng.uniform(-120, 150, n)
    a, b = rng.normal(3, 1, n), rng.normal(3, 1, n)
    codes = [f"C{k:02d}" for k in range(n)]
    rows = []
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            d = float(np.hypot(lat[i] - lat[j], lon[i] - lon[j]) * 100 + 50)
            contig = bool(abs(i - j) == 1)
            mu = np.exp(a[i] + b[j] + beta * np.log(d) + gamma * contig + 6)
            rows.append((codes[i], codes[j], float(rng.poisson(mu)) * 1e6, d, contig))
    return pd.DataFrame(rows, columns=["exporter", "importer", "value_usd", "distance_km", "contiguous"])


def test_pyfixest_matches_statsmodels_glm_with_dummies():
    import statsmodels.api as sm

    flows = simulated()
    fit = gravity_benchmark(flows)
    X = pd.get_dummies(flows[["exporter", "importer"]], drop_first=True, dtype=float)
    X.insert(0, "contig", flows["contiguous"].astype(float))
    X.insert(0, "log_dist", np.log(flows["distance_km"]))
    X = sm.add_constant(X)
    glm = sm.GLM(flows["value_usd"] / 1e6, X, family=sm.families.Poisson()).fit(tol=1e-12)
    assert fit.coefficients["log_dist"] == pytest.approx(glm.params["log_dist"], rel=1e-5)
    assert fit.coefficients["contig"] == pytest.approx(glm.params["contig"], rel=1e-4, abs=1e-6)
    np.testing.assert_allclose(fit.predicted["predicted_usd"] / 1e6, glm.fittedvalues, rtol=1e-5)


def test_prediction_standard_errors_match_statsmodels_hc0():
    """se(mu) by the delta method on the HC0 covariance of all coefficients, fixed effects included,
    against statsmodels' GLM with dummies and cov_type='HC0' (get_prediction), and the SE of a
    pair's two directions together against the same linear combination."""
    import statsmodels.api as sm

    flows = simulated(n=12)
    fit = gravity_benchmark(flows)
    X = pd.get_dummies(flows[["exporter", "importer"]], drop_first=True, dtype=float)
    X.insert(0, "contig", flows["contiguous"].astype(float))
    X.insert(0, "log_dist", np.log(flows["distance_km"]))
    X = sm.add_constant(X)
    glm = sm.GLM(flows["value_usd"] / 1e6, X, family=sm.families.Poisson()).fit(tol=1e-12, cov_type="HC0")
    se = glm.get_prediction(X).summary_frame()["mean_se"].to_numpy() * 1e6
    np.testing.assert_allclose(fit.predicted["predicted_se_usd"], se, rtol=1e-4)
    pt = fit.pair_totals("C00", ["C01", "C05"]).set_index("partner")
    V, mu = glm.cov_params().to_numpy(), glm.fittedvalues.to_numpy()
    for p in ("C01", "C05"):
        i = np.flatnonzero((flows["exporter"] == "C00") & (flows["importer"] == p))[0]
        j = np.flatnonzero((flows["exporter"] == p) & (flows["importer"] == "C00"))[0]
        g = mu[i] * X.iloc[i].to_numpy() + mu[j] * X.iloc[j].to_numpy()
        assert pt.loc[p, "predicted_se_usd"] == pytest.approx(np.sqrt(g @ V @ g) * 1e6, rel=1e-4)
        assert pt.loc[p, "predicted_usd"] == pytest.approx((mu[i] + mu[j]) * 1e6, rel=1e-5)
    assert fit.pair_totals("C00", ["NOPE"])["predicted_se_usd"].isna().all()


def test_recovers_simulated_distance_elasticity():
    fit = gravity_benchmark(simulated(n=25, seed=7))
    assert fit.coefficients["log_dist"] == pytest.approx(-1.1, abs=0.05)
    assert fit.coefficients["contig"] == pytest.approx(0.6, abs=0.1)


def test_predicted_totals_match_actual_by_exporter():
    """PPML with exporter fixed effects reproduces each exporter's total (first-order condition)."""
    fit = gravity_benchmark(simulated())
    g = fit.predicted.groupby("exporter")[["value_usd", "predicted_usd"]].sum()
    np.testing.assert_allclose(g["predicted_usd"], g["value_usd"], rtol=1e-5)


def test_bad_distances_rejected():
    flows = simulated(n=4)
    flows.loc[0, "distance_km"] = 0.0
    with pytest.raises(InputError, match="positive distance_km"):
        gravity_benchmark(flows)
    with pytest.raises(InputError, match="lack columns"):
        gravity_benchmark(flows.drop(columns="contiguous"))
