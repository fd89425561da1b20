"""The structural-gravity benchmark behind *untapped potential*: PPML with exporter and importer
fixed effects, and the standard error of every predicted flow.

``X_in = exp(a_i + b_n + beta log(dist_in) + gamma contig_in) * eps_in`` (i exporter, n
importer), estimated by Poisson pseudo-maximum likelihood (Santos Silva & Tenreyro 2006) with
``pyfixest.fepois``. The fixed effects absorb multilateral resistance (Anderson & van Wincoop
2003). The standard error of a predicted flow ``mu_in`` comes from the delta method on the
heteroskedasticity-robust (HC0) covariance ``V`` of *all* coefficients, fixed effects included
(:func:`geohedge.partners._kernels.ppml_covariance`): ``se(mu_in) = mu_in sqrt(x_in' V x_in)``;
for the two directions of a pair together ``se(mu_in + mu_ni) = sqrt(g' V g)`` with
``g = mu_in x_in + mu_ni x_ni``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geohedge.errors import InputError, ModelError
from geohedge.partners import _kernels as K
from geohedge.partners.results import GravityFit

__all__ = ["gravity_benchmark"]

_FORMULA = "y ~ log_dist + contig | exporter + importer"


def _design(data: pd.DataFrame, regressors: list[str]) -> tuple[np.ndarray, dict[str, int], dict[str, int]]:
    """Full PPML design: one dummy per exporter, one per importer but the first, then the
    regressors the estimator kept (``log_dist``, ``contig``; a constant one is dropped)."""
    exp_codes = sorted(set(data["exporter"]))
    imp_codes = sorted(set(data["importer"]))[1:]
    ei = {c: k for k, c in enumerate(exp_codes)}
    ii = {c: len(ei) + k for k, c in enumerate(imp_codes)}
    n, k0 = len(data), len(ei) + len(ii)
    X = np.zeros((n, k0 + len(regressors)))
    rows = np.arange(n)
    X[rows, data["exporter"].map(ei).to_numpy()] = 1.0
    imp = data["importer"].map(ii)
    have = imp.notna().to_numpy()
    X[rows[have], imp[have].astype(int).to_numpy()] = 1.0
    for r, name in enumerate(regressors):
        X[:, k0 + r] = data[name].to_numpy()
    return X, ei, ii


def gravity_benchmark(flows: pd.DataFrame, *, distance_source: str = "") -> GravityFit:
    """Fit the PPML gravity benchmark and the standard error of every predicted flow.

    Parameters
    ----------
    flows
        ``exporter, importer, value_usd, distance_km, contiguous`` (one row per ordered
        pair, zeros included, no domestic pairs).

    Returns
    -------
    GravityFit
        Coefficients (SE clustered by exporter, as pyfixest reports them), and ``predicted``:
        ``exporter, importer, value_usd, predicted_usd, predicted_se_usd, distance_km,
        contiguous``; :meth:`GravityFit.pair_totals` adds up both directions of a pair.

    Raises
    ------
    InputError
        Missing columns, non-positive distances or negative flows.
    ModelError
        The estimator fails or does not converge.
    """
    need = {"exporter", "importer", "value_usd", "distance_km", "contiguous"}
    if need - set(flows.columns):
        raise InputError(f"gravity flows lack columns {sorted(need - set(flows.columns))}; need {sorted(need)}")
    if (flows["distance_km"] <= 0).any() or flows["distance_km"].isna().any():
        raise InputError("gravity flows: every pair needs a positive distance_km")
    if (flows["value_usd"] < 0).any():
        raise InputError("gravity flows: value_usd must be >= 0")
    import pyfixest as pf

    data = pd.DataFrame({
        "exporter": flows["exporter"].astype(str).to_numpy(), "importer": flows["importer"].astype(str).to_numpy(),
        "y": flows["value_usd"].to_numpy(float) / 1e6, "log_dist": np.log(flows["distance_km"].to_numpy(float)),
        "contig": flows["contiguous"].astype(float).to_numpy(),
    })
    try:
        fit = pf.fepois(_FORMULA, data=data, vcov={"CRV1": "exporter"})
        mu = np.asarray(fit.predict(newdata=data, type="response"), dtype=float)
    except Exception as exc:  # third-party failure mapped at the boundary
        raise ModelError(f"PPML gravity estimation failed ({type(exc).__name__}: {exc})") from exc
    if not np.all(np.isfinite(mu)):
        raise ModelError("PPML gravity gave non-finite predictions (separated fixed effects?)")
    coef = {str(k): float(v) for k, v in fit.coef().items()}
    cse = {str(k): float(v) for k, v in fit.se().items()}
    X, ei, ii = _design(data, list(coef))
    V = K.ppml_covariance(X, data["y"].to_numpy(), mu)
    se = mu * np.sqrt(np.maximum(((X @ V) * X).sum(axis=1), 0.0))
    out = flows[["exporter", "importer", "value_usd"]].reset_index(drop=True).copy()
    out["predicted_usd"] = mu * 1e6
    out["predicted_se_usd"] = se * 1e6
    out["distance_km"] = flows["distance_km"].to_numpy(float)
    out["contiguous"] = flows["contiguous"].astype(bool).to_numpy()
    return GravityFit(_FORMULA.replace("y ~", "value_usd ~"), f"PPML (pyfixest {pf.__version__} fepois, SE clustered by exporter)",
                      coef, cse, len(data), out, distance_source, V, ei, ii)
