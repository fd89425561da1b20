"""Pure array math for exposure, in input-output notation. No checks here: callers validate.

Notation (axis order and units)
-------------------------------
========== ============ =================================================================
name       shape        meaning
========== ============ =================================================================
``Z``      (R, R)       intermediate flows, R = N*J nodes country-major, USD mn
``F``      (R, N)       final demand by destination country, USD mn
``x``      (R,)         output ``Z 1 + F 1``
``A``      (R, R)       technical coefficients ``Z diag(x)^-1`` (Miller & Blair 2009, eq. 2.5)
``L``      (R, R)       Leontief inverse ``(I - A)^-1`` (Miller & Blair 2009, eq. 2.11)
``v``      (R,)         value-added coefficients ``1' - 1'A`` (VA per unit of output)
``e``      (R,)         a country's gross exports by node (zero outside that country)
``G``      (N, R)       country block indicator: ``G[c, r] = 1`` if node r belongs to c
========== ============ =================================================================

Value added in exports follows the OECD TiVA definitions (OECD, "Guide to OECD Trade in
Value Added (TiVA) Indicators, 2023 edition", indicators EXGR_DVA / EXGR_FVA / EXGR_VASH
and FFD_DVA): with the global Leontief inverse,

- VA of source country s in exports of country c: ``G[s] diag(v) L e_c``;
- VA of country c absorbed by final demand of country d: ``G[c] diag(v) L F[:, d]``.

Because ``1' diag(v) L = 1'`` (each unit of output is fully paid out as value added along
the chain), the sources of a country's export value add up to its gross exports, and the
absorptions of a country's value added add up to its value added (``diag(v) L F 1 = diag(v) x``).
"""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla

__all__ = [
    "calc_A",
    "calc_L",
    "calc_v",
    "exports_by_node",
    "hhi",
    "leontief_lu",
    "shares",
    "top_k_share",
    "va_absorption",
    "va_origin_matrix",
]


def calc_A(Z: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Technical coefficients ``A = Z diag(x)^-1``; columns of zero-output nodes are zero."""
    inv = np.divide(1.0, x, out=np.zeros_like(x, dtype=float), where=x > 0)
    return Z * inv[None, :]


def calc_v(A: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Value-added coefficients ``v = 1' - 1'A`` (zero for zero-output nodes)."""
    v = 1.0 - A.sum(axis=0)
    v[x <= 0] = 0.0
    return v


def leontief_lu(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """LU factorisation of ``I - A`` (one O(R^3) step; every solve after it is O(R^2))."""
    return sla.lu_factor(np.eye(A.shape[0]) - A, check_finite=False)


def calc_L(lu: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Leontief inverse ``L = (I - A)^-1`` from the LU factors."""
    return sla.lu_solve(lu, np.eye(lu[0].shape[0]), check_finite=False)


def va_origin_matrix(lu: tuple[np.ndarray, np.ndarray], v: np.ndarray, G: np.ndarray) -> np.ndarray:
    """``B = G diag(v) L``, shape (N, R): VA of each source country per unit of each node's output.

    Solved as ``(I - A)' B' = (G diag(v))'`` with the transposed LU (``trans=1``).
    """
    rhs = (G * v[None, :]).T
    return sla.lu_solve(lu, rhs, trans=1, check_finite=False).T


def va_absorption(lu: tuple[np.ndarray, np.ndarray], v: np.ndarray, F: np.ndarray) -> np.ndarray:
    """``diag(v) L F``, shape (R, M): VA of each node absorbed by each region's final demand."""
    return v[:, None] * sla.lu_solve(lu, F, check_finite=False)


def exports_by_node(Z: np.ndarray, F: np.ndarray, N: int, J: int) -> np.ndarray:
    """Gross exports of every node to every other region, shape (R, M) (F's columns: the N
    countries, then regions outside the table), zero on the home country."""
    R = N * J
    out = F.astype(float).copy()
    out[:, :N] += Z.reshape(R, N, J).sum(axis=2)
    home = np.repeat(np.arange(N), J)
    out[np.arange(R), home] = 0.0
    return out


def shares(values: np.ndarray) -> np.ndarray:
    """Shares of a non-negative vector (all zero if it sums to zero)."""
    total = values.sum()
    return values / total if total > 0 else np.zeros_like(values, dtype=float)


def hhi(values: np.ndarray) -> float:
    """Herfindahl-Hirschman index ``sum(s_i^2)`` of the shares, in [1/n, 1]."""
    s = shares(np.asarray(values, dtype=float))
    return float((s * s).sum())


def top_k_share(values: np.ndarray, k: int) -> float:
    """Combined share of the k largest values."""
    s = np.sort(shares(np.asarray(values, dtype=float)))[::-1]
    return float(s[:k].sum())
