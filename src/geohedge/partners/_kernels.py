"""Pure array math for partner scoring and the partner portfolio. No checks here: callers validate.

Notation (axis order and units)
-------------------------------
========== ============ =====================================================================
name       shape        meaning
========== ============ =====================================================================
``V``      (N, N)       total bilateral trade ``V[c, d] = X[c, d] + X[d, c]`` (imports plus
                        exports), USD, zero diagonal
``s``      (N,)         the home country's trade shares by partner, ``s = V[h] / V[h].sum()``
``W``      (N, B)       great-power weights: ``W[p, b] = 1`` if ``p`` belongs to bloc ``b``;
                        otherwise the share of ``p``'s own trade with bloc ``b``
``C``      scalar       great-power concentration ``C(s) = sum_b (s W)_b`` (share, 0-1)
``b``      (J,)         home value added per unit of output of each home sector (``B[h, hj]``
                        of the value-chain model)
``F_h``    (J, M)       home sales to final demand, by destination region (USD mn)
``Z_h``    (J, N*J)     home intermediate sales to every buying node (USD mn)
``g``      (N*J,)       share of each node's output finally absorbed by great-power final demand
``gamma``  (M,)         great-power share of the final absorption of the home value added
                        carried by exports to each destination
``L``      (S, P)       loss per unit of trade share with partner ``p`` in scenario ``s``
``q``      (S,)         scenario probabilities (sum to one)
========== ============ =====================================================================

Sources: CVaR is Rockafellar & Uryasev (2000), "Optimization of conditional value-at-risk",
J. Risk 2(3), eq. 17; population-weighted distance is Head & Mayer (2002), "Illusory border
effects", CEPII WP 2002-01, eq. 4 (``theta = 1``, the CEPII ``distw`` definition); the
absorption of a sale by final destinations follows the output's own absorption, ``(L F)[r, d]
/ x[r] = VAD[r, d] / va[r]`` (Borin & Mancini 2019, "Measuring what matters in global value
chains and value-added trade", World Bank WP 8804, section 3); the prediction covariance of
PPML is the Eicker-Huber-White sandwich of the Poisson quasi-likelihood (Santos Silva &
Tenreyro 2006, section 3).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "EARTH_RADIUS_KM",
    "achievable_shift",
    "capacity",
    "cvar",
    "exposure_reduction",
    "gp_concentration",
    "gp_content",
    "gp_weights",
    "haversine_km",
    "portfolio_losses",
    "ppml_covariance",
    "upward_semideviation",
    "weighted_distance_km",
]

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius


def gp_weights(V: np.ndarray, member: np.ndarray) -> np.ndarray:
    """Great-power weights ``W`` (N, B) from total trade ``V`` (N, N) and membership (N, B) bool.

    A member of bloc ``b`` carries weight 1 on ``b`` and 0 elsewhere; a non-member carries
    its own trade shares with each bloc (the great-power content of trading with it).
    """
    total = V.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        own = (V @ member.astype(float)) / total[:, None]
    own = np.nan_to_num(own, nan=0.0)
    is_member = member.any(axis=1)
    return np.where(is_member[:, None], member.astype(float), own)


def gp_concentration(s: np.ndarray, W: np.ndarray) -> float:
    """``C(s) = sum_b (s W)_b``: trade shares weighted by their great-power content."""
    return float((s @ W).sum())


def exposure_reduction(exposure: float, content: np.ndarray, delta: float) -> np.ndarray:
    """Fall in a share-weighted exposure when a share ``delta`` moves, pro rata, to each partner.

    With exposure ``X = sum_d w_d c_d`` (weights ``w`` summing to one, content ``c``),
    ``X - ((1 - delta) X + delta c_p) = delta (X - c_p)`` for every ``p``.
    """
    return delta * (exposure - np.asarray(content, float))


def gp_content(b: np.ndarray, F_h: np.ndarray, Z_h: np.ndarray, g: np.ndarray, gp_dest: np.ndarray,
               n_countries: int) -> tuple[np.ndarray, np.ndarray]:
    """Home value added in exports to each destination and its great-power share of final absorption.

    ``DVA_d = sum_j b_j E_h[j, d]`` with ``E_h = F_h + Z_h`` summed over the buying sectors of
    ``d``; the part absorbed by great-power final demand is
    ``sum_j b_j (F_h[j, d] 1[d in GP] + sum_k Z_h[j, (d, k)] g[(d, k)])``. Destinations beyond
    the ``n_countries`` of the table (the rest of the world) buy for final demand only.

    Returns ``(dva, gamma)``, both (M,); ``gamma`` is NaN where ``dva`` is zero.
    """
    J = b.shape[0]
    N = n_countries
    M = F_h.shape[1]
    inter = Z_h.reshape(J, N, J)
    dva = b @ F_h
    dva[:N] += np.einsum("j,jdk->d", b, inter)
    absorbed = b @ (F_h * gp_dest[None, :])
    absorbed[:N] += np.einsum("j,jdk,dk->d", b, inter, g.reshape(N, J))
    gamma = np.full(M, np.nan)
    ok = dva > 0
    gamma[ok] = absorbed[ok] / dva[ok]
    return dva, gamma


def capacity(imports_others: np.ndarray, home_exports: np.ndarray) -> np.ndarray:
    """``cap_p = sum_j min(M[p, j], X_h[j])``: a partner's imports of what the home country sells.

    ``imports_others`` (P, J): each partner's imports by sector from suppliers other than the
    home country; ``home_exports`` (P, J) or (J,): the home country's exports of each sector
    (to destinations other than the partner). USD.
    """
    return np.minimum(imports_others, home_exports).sum(axis=1)


def achievable_shift(delta: float, export_share: np.ndarray, growth: float, capture: float,
                     cap: np.ndarray, exports: float) -> tuple[np.ndarray, np.ndarray]:
    """Share of the home country's exports that can move to each partner, and which bound binds.

    ``s_p = min(delta, growth x_p, capture cap_p / E_h)``; the bound code is 0 (the stated
    shift), 1 (the relationship: exports to ``p`` grow by at most ``growth``) or 2 (capacity).
    """
    bounds = np.column_stack([np.full(len(export_share), float(delta)), growth * np.asarray(export_share, float),
                              capture * np.asarray(cap, float) / exports])
    which = np.argmin(bounds, axis=1)
    return bounds[np.arange(len(which)), which], which


def upward_semideviation(series: np.ndarray) -> np.ndarray:
    """Root mean square of the year-on-year *rises* of each row of ``series`` (P, T); NaN-safe.

    ``sqrt(mean_t max(x_t - x_{t-1}, 0)^2)`` over the changes with data: cuts (an agreement
    phasing in) count as zero, rises as they are.
    """
    d = np.diff(np.asarray(series, float), axis=1)
    up = np.where(np.isfinite(d), np.maximum(d, 0.0), np.nan)
    n = np.isfinite(up).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, np.sqrt(np.nansum(up**2, axis=1) / np.maximum(n, 1)), np.nan)


def ppml_covariance(X: np.ndarray, y: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """Heteroskedasticity-robust covariance of PPML coefficients, ``H^-1 (X' diag(u^2) X) H^-1``.

    ``X`` (n, k) the full design (fixed-effect dummies included), ``y`` and ``mu`` (n,) the
    observed and fitted flows, ``H = X' diag(mu) X``, ``u = y - mu`` (HC0).
    """
    H = X.T @ (X * mu[:, None])
    meat = X.T @ (X * ((y - mu) ** 2)[:, None])
    A = np.linalg.solve(H, meat)  # H^-1 M
    return np.linalg.solve(H, A.T).T  # H^-1 M H^-1 (H symmetric)


def haversine_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distance in km between points given in degrees (broadcasting)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dl = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def weighted_distance_km(lat_a, lon_a, pop_a, lat_b, lon_b, pop_b) -> float:
    """Head–Mayer population-weighted distance ``sum_k sum_l (pop_k/pop_a)(pop_l/pop_b) d_kl``."""
    d = haversine_km(np.asarray(lat_a)[:, None], np.asarray(lon_a)[:, None], np.asarray(lat_b)[None, :], np.asarray(lon_b)[None, :])
    wa = np.asarray(pop_a, float) / np.sum(pop_a)
    wb = np.asarray(pop_b, float) / np.sum(pop_b)
    return float(wa @ d @ wb)


def portfolio_losses(L: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Loss of a share vector ``w`` (P,) in every scenario: ``L w`` (S,)."""
    return L @ w


def cvar(losses: np.ndarray, q: np.ndarray, alpha: float) -> float:
    """Conditional value at risk of a discrete loss distribution (Rockafellar–Uryasev 2000).

    ``CVaR_alpha = min_t t + sum_s q_s max(l_s - t, 0) / (1 - alpha)``; the minimum is
    attained at a scenario loss, so it is found by trying each one. ``alpha = 0`` gives the
    expected loss.
    """
    losses = np.asarray(losses, float)
    q = np.asarray(q, float)
    cands = np.unique(losses)
    vals = [t + (q * np.maximum(losses - t, 0.0)).sum() / (1.0 - alpha) for t in cands]
    return float(min(vals))
