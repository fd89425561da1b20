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
``x``      (J,)         sector shares of the home country's exports
``m``      (P, J)       sector shares of each partner's imports (from the world)
``L``      (S, P)       loss per unit of trade share with partner ``p`` in scenario ``s``
``q``      (S,)         scenario probabilities (sum to one)
========== ============ =====================================================================

Sources: the trade complementarity index is Michaely (1996), "Trade preferential agreements
in Latin America: an ex-ante assessment", World Bank Policy Research WP 1583, as computed by
UNCTAD (``TC = 100 (1 - sum_j |m_pj - x_hj| / 2)``); CVaR is Rockafellar & Uryasev (2000),
"Optimization of conditional value-at-risk", J. Risk 2(3), eq. 17; population-weighted
distance is Head & Mayer (2002), "Illusory border effects", CEPII WP 2002-01, eq. 4
(``theta = 1``, the CEPII ``distw`` definition).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "EARTH_RADIUS_KM",
    "cvar",
    "exposure_reduction",
    "gp_concentration",
    "gp_weights",
    "haversine_km",
    "portfolio_losses",
    "rank_score",
    "tci",
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


def exposure_reduction(s: np.ndarray, W: np.ndarray, delta: float) -> np.ndarray:
    """Fall in ``C`` when a share ``delta`` of trade moves, pro rata from all partners, to each partner.

    ``C(s) - C((1 - delta) s + delta e_p) = delta (C(s) - sum_b W[p, b])`` for every ``p`` (N,).
    """
    return delta * (gp_concentration(s, W) - W.sum(axis=1))


def tci(x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Trade complementarity ``TC_p = 100 (1 - sum_j |m[p, j] - x[j]| / 2)``, in [0, 100] (P,)."""
    return 100.0 * (1.0 - 0.5 * np.abs(m - x[None, :]).sum(axis=1))


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


def rank_score(values: np.ndarray, higher_is_better: bool) -> np.ndarray:
    """Percentile-rank score in [0, 1] (ties share their mean rank); NaN stays NaN.

    The best available value scores 1, the worst 0; a single available value scores 1.
    """
    v = np.asarray(values, dtype=float)
    out = np.full(v.shape, np.nan)
    ok = np.isfinite(v)
    n = int(ok.sum())
    if n == 0:
        return out
    if n == 1:
        out[ok] = 1.0
        return out
    key = v[ok] if higher_is_better else -v[ok]
    order = np.argsort(key, kind="mergesort")
    ranks = np.empty(n)
    ranks[order] = np.arange(n, dtype=float)
    # ties: average rank
    sk = key[order]
    start = 0
    for k in range(1, n + 1):
        if k == n or sk[k] != sk[start]:
            ranks[order[start:k]] = (start + k - 1) / 2.0
            start = k
    out[ok] = ranks / (n - 1)
    return out


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
