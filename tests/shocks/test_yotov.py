"""Yotov, Piermartini, Monteiro & Larch (2016), "An Advanced Guide to Trade Policy Analysis",
chapter 2, application 2 (the effect of NAFTA in 1994), with the general equilibrium run
through geohedge's public API on ../shared/data/yotov2016-ch2.

The book's steps (``RTAsEffects.do``): stage 1, PPML on 1986-2006 every 4 years with pair
(symmetric, one pair for all domestic flows), exporter-year and importer-year fixed
effects and the RTA dummy; stage 2, PPML of the 1994 pair effects on ln DIST, CNTG, LANG,
CLNY with exporter and importer effects, filling the pairs that never trade; baseline
trade costs ``t = exp(pair effect + beta_RTA RTA)``, counterfactual without NAFTA in the
RTA dummy, sigma = 7, expenditure proportional to output (``E = phi Y``). The reported
effect is (baseline - counterfactual) / counterfactual of real GDP.

Golden values from the book (and its Stata output): beta_RTA 0.557; stage 2 -0.848,
0.294, 0.363, 0.239; real GDP effect of NAFTA MEX +3.81, CAN +3.40, USA +0.33, MYS -0.03
(%). Here the estimation is pyfixest's; the model is geohedge's one-sector case (no
input-output links) built by ``baseline_from_arrays`` from the fitted 1994 flows.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from geohedge.shocks import baseline_from_arrays, solve_counterfactual

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]

SIGMA = 7.0
NAFTA = ("CAN", "MEX", "USA")


@pytest.fixture(scope="module")
def application2(shared_data):
    pf = pytest.importorskip("pyfixest")
    d = pd.read_stata(shared_data / "yotov2016-ch2" / "Chapter2Application2.dta")
    d = d[d["year"].isin([1986, 1990, 1994, 1998, 2002, 2006])].copy()
    d["ln_DIST"] = np.log(d["DIST"])
    d["pair"] = np.where(d["exporter"] == d["importer"], -1, d["pair_id"]).astype(int)  # one pair for all domestic flows
    d["exp_time"] = d["exporter"] + d["year"].astype(int).astype(str)
    d["imp_time"] = d["importer"] + d["year"].astype(int).astype(str)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # separation of the pairs that never trade
        stage1 = pf.fepois("trade ~ RTA | pair + exp_time + imp_time", data=d, vcov="iid")
    beta = float(stage1.coef()["RTA"])
    gamma = {int(float(k)): v for k, v in stage1.fixef()["C(pair)"].items()}
    y = d[d["year"] == 1994].copy()
    y["tij_bar"] = np.exp(y["pair"].map(gamma) - gamma[-1])
    foreign = y[y["exporter"] != y["importer"]]
    stage2 = pf.fepois("tij_bar ~ ln_DIST + CNTG + LANG + CLNY | exporter + importer", data=foreign.dropna(subset=["tij_bar"]),
                       vcov={"CRV1": "pair_id"})
    fe = stage2.fixef()
    coef = stage2.coef()
    fitted = np.exp(foreign["exporter"].map(fe["C(exporter)"]) + foreign["importer"].map(fe["C(importer)"])
                    + foreign[list(coef.index)].to_numpy() @ coef.to_numpy())
    missing = y["tij_bar"].isna()
    y.loc[missing, "tij_bar"] = fitted[missing[missing].index]
    y["t_bln"] = y["tij_bar"] * np.exp(beta * y["RTA"])
    return y, beta, coef


def test_stage_estimates_match_the_book(application2):
    _, beta, coef = application2
    assert beta == pytest.approx(0.557, abs=5e-4)
    np.testing.assert_allclose(coef[["ln_DIST", "CNTG", "LANG", "CLNY"]].to_numpy(), [-0.848, 0.294, 0.363, 0.239], atol=1e-3)


def test_nafta_real_gdp_effects(application2):
    y, beta, _ = application2
    c = sorted(y["exporter"].unique())
    pos = {k: i for i, k in enumerate(c)}
    N = len(c)
    ex, im = y["exporter"].map(pos).to_numpy(), y["importer"].map(pos).to_numpy()
    t = np.zeros((N, N))
    X = np.zeros((N, N))
    t[im, ex] = y["t_bln"]
    X[im, ex] = y["trade"]
    E, Yout = X.sum(axis=1), X.sum(axis=0)
    # the baseline's fitted flows: t scaled to the observed output and expenditure of 1994
    # (what PPML with exporter and importer effects and offset ln t computes)
    a, b = np.ones(N), np.ones(N)
    for _ in range(5000):
        b = Yout / (t.T @ a)
        a = E / (t @ b)
    fit = a[:, None] * t * b[None, :]
    base = baseline_from_arrays(fit[:, :, None], theta=np.array([SIGMA - 1]), countries=tuple(c), sectors=("manufacturing",))
    d_hat = np.ones((N, N, 1))
    idx = [pos[k] for k in NAFTA]
    for n in idx:
        for i in idx:
            if n != i:
                d_hat[n, i, 0] = np.exp(beta / (SIGMA - 1))  # t^(1 - sigma) falls by exp(-beta): NAFTA's RTA removed
    r = solve_counterfactual(base, d_hat=d_hat, deficits="proportional", name="no NAFTA, 1994", tol=1e-11)
    W = pd.Series(r.W_hat, index=c)  # one sector, E = phi Y: real income = real GDP
    effect = 100 * (1.0 / W - 1.0)  # (baseline - counterfactual) / counterfactual
    print({k: round(effect[k], 3) for k in ("MEX", "CAN", "USA", "MYS")})
    np.testing.assert_allclose(effect[["MEX", "CAN", "USA", "MYS"]].to_numpy(), [3.81, 3.40, 0.33, -0.03], atol=0.05)
