"""Pure array math of the Caliendo–Parro (2015) model in changes. No input checks here:
:mod:`geohedge.shocks.model` validates and calls :func:`solve_hat` (checked entry point);
Monte Carlo calls :func:`solve_hat` directly with warm starts.

Source: Caliendo, L. and Parro, F. (2015), "Estimates of the Trade and Welfare Effects of
NAFTA", Review of Economic Studies 82(1), 1-44, equilibrium conditions in changes
(eqs. 9-14 in the paper's numbering of section 3.2).

Notation (axis order and units)
-------------------------------
============== ============ ==============================================================
name           shape        meaning
============== ============ ==============================================================
``pi``         (N, N, J)    baseline expenditure shares ``pi[n, i, j]`` (importer n,
                            exporter i, sector j)
``gamma_va``   (N, J)       value-added share of costs ``gamma[n, j]``
``gamma_io``   (N, J, J)    input shares ``gamma_io[n, k, j]`` (input k into sector j)
``alpha``      (N, J)       final-demand shares
``VA``, ``D``  (N,)         baseline value added and deficit, USD mn
``theta``      (J,)         trade elasticities (Frechet dispersion of productivity)
``kappa_hat``  (N, N, J)    change in trade costs ``(1 + tau') / (1 + tau) * d_hat``;
                            ``inf`` for an embargo (trade impossible)
``tau_new``    (N, N, J)    counterfactual ad valorem tariff (a fraction, 0.24 = 24%)
``w_hat``      (N,)         change in factor prices (wages); world VA is the numeraire
``c_hat``      (N, J)       change in unit costs of input bundles
``P_hat``      (N, J)       change in sector price indices
``X1``         (N, J)       counterfactual expenditure by country and sector, USD mn
============== ============ ==============================================================

Equations (solved jointly by fixed-point iteration):

1. ``c_hat[n,j] = w_hat[n]**gamma[n,j] * prod_k P_hat[n,k]**gamma_io[n,k,j]``
2. ``P_hat[n,j]**(-theta[j]) = sum_i pi[n,i,j] * (kappa_hat[n,i,j] * c_hat[i,j])**(-theta[j])``
3. ``pi1[n,i,j] = pi[n,i,j] * (kappa_hat[n,i,j] * c_hat[i,j] / P_hat[n,j])**(-theta[j])``
4. ``X1[n,j] = sum_k gamma_io[n,j,k] * Y1[n,k] + alpha[n,j] * I1[n]``, with output
   ``Y1[i,k] = sum_n X1[n,k] * pi1[n,i,k] / (1 + tau_new[n,i,k])`` and income
   ``I1[n] = w_hat[n] * VA[n] + sum_{i,j} tau_new[n,i,j] / (1 + tau_new[n,i,j]) * pi1[n,i,j] * X1[n,j] + D[n]``
5. factor market: ``w_hat[n] * VA[n] = sum_j gamma[n,j] * Y1[n,j]``; normalised so that
   ``sum_n w_hat[n] * VA[n] = sum_n VA[n]`` (CP2015 hold deficits fixed in those units).

Trade balance (``imports - exports = D``, CP2015 eq. 14) follows from 4 and 5 and is
checked separately in :mod:`geohedge.shocks.model`.

Speed: ``kappa_hat**(-theta)`` is computed once per shock, so an iteration is a handful of
(N, N, J) products and no large powers; the iteration is accelerated with Anderson
mixing (Walker & Ni 2011, "Anderson acceleration for fixed-point iterations", SIAM J.
Numer. Anal. 49(4)) and falls back to plain damped steps when a mixed step misbehaves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["KernelSolution", "shock_weights", "solve_hat", "step", "welfare_hat"]


@dataclass(frozen=True, eq=False)
class KernelSolution:
    """Raw solution arrays of :func:`solve_hat` (module notation); ``converged`` may be False."""

    w_hat: np.ndarray
    lnP_hat: np.ndarray
    X1: np.ndarray
    pi1: np.ndarray
    iterations: int
    residual: float
    converged: bool


def shock_weights(pi: np.ndarray, kappa_hat: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """``pi[n,i,j] * kappa_hat[n,i,j]**(-theta[j])`` (zero where ``kappa_hat`` is inf)."""
    with np.errstate(divide="ignore", over="ignore"):
        kp = np.where(np.isinf(kappa_hat), 0.0, np.power(kappa_hat, -theta[None, None, :]))
    return pi * kp


def _prices(B, gamma_va, gamma_io, theta, w_hat, lnP):
    """Equations 1-3: unit costs from wages and prices, then new prices and shares."""
    lnc = gamma_va * np.log(w_hat)[:, None] + np.einsum("nkj,nk->nj", gamma_io, lnP)
    cpow = np.exp(-theta[None, :] * lnc)  # c_hat**(-theta), (N, J) indexed [i, j]
    num = B * cpow[None, :, :]
    S = num.sum(axis=1)  # P_hat**(-theta), (N, J) indexed [n, j]
    lnP_new = -np.log(S) / theta[None, :]
    pi1 = num / S[:, None, :]
    return lnP_new, pi1


def step(B, inv1t, gamma_va, gamma_io, alpha, VA, D, theta, w_hat, lnP, X1, phi=None):
    """One Jacobi sweep of equations 1-5; returns updated ``(w_hat, lnP, X1, pi1)``.

    ``phi`` (N,), when given, replaces fixed deficits by deficits proportional to value
    added: ``I1[n] = phi[n] * w_hat[n] * VA[n] + R[n]`` (the structural-gravity convention
    ``E = phi * Y`` of Larch & Yotov 2016).
    """
    lnP_new, pi1 = _prices(B, gamma_va, gamma_io, theta, w_hat, lnP)
    M = pi1 * inv1t  # share of the importer's spending the exporter receives
    Y1 = np.einsum("nj,nij->ij", X1, M)
    R = np.einsum("nj,nij->n", X1, pi1 - M)  # tariff revenue
    I1 = w_hat * VA + R + D if phi is None else phi * w_hat * VA + R
    X_new = np.einsum("njk,nk->nj", gamma_io, Y1) + alpha * I1[:, None]
    va1 = (gamma_va * Y1).sum(axis=1)
    w_new = np.where(VA > 0, va1 / np.where(VA > 0, VA, 1.0), 1.0)
    w_new = w_new * (VA.sum() / (w_new * VA).sum())
    return w_new, lnP_new, X_new, pi1


def _sweep(Bt, Binvt, gamma_va, gamma_io, alpha, VA, D, theta, w_hat, lnP, X1, phi=None):
    """:func:`step` without (N, N, J) temporaries: with ``cpow = c_hat**(-theta)``,
    ``pi1 = B cpow / S`` and ``S = sum_i B cpow``, output and tariff revenue are
    ``Y1[i,j] = cpow[i,j] sum_n (X1 / S)[n,j] Binv[n,i,j]`` and
    ``R[n] = sum_j X1[n,j] (1 - sum_i Binv[n,i,j] cpow[i,j] / S[n,j])``, where
    ``Binv = B / (1 + tau_new)``. ``Bt``, ``Binvt`` are ``B`` and ``Binv`` laid out
    [j, n, i] once per shock, so each sum is a batch of (N x N) matrix products.
    Returns ``(w_hat, lnP, X1)``."""
    lnc = gamma_va * np.log(w_hat)[:, None] + np.einsum("nkj,nk->nj", gamma_io, lnP)
    cpow = np.exp(-theta[None, :] * lnc)
    cT = cpow.T[:, :, None]
    S = np.matmul(Bt, cT)[:, :, 0].T
    lnP_new = -np.log(S) / theta[None, :]
    XS = X1 / S
    Y1 = cpow * np.matmul(XS.T[:, None, :], Binvt)[:, 0, :].T
    R = X1.sum(axis=1) - (XS * np.matmul(Binvt, cT)[:, :, 0].T).sum(axis=1)
    I1 = w_hat * VA + R + D if phi is None else phi * w_hat * VA + R
    X_new = np.einsum("njk,nk->nj", gamma_io, Y1) + alpha * I1[:, None]
    va1 = (gamma_va * Y1).sum(axis=1)
    w_new = np.where(VA > 0, va1 / np.where(VA > 0, VA, 1.0), 1.0)
    w_new = w_new * (VA.sum() / (w_new * VA).sum())
    return w_new, lnP_new, X_new


def _pack(w, lnP, X, Xs):
    return np.concatenate([np.log(w), lnP.ravel(), (X / Xs).ravel()])


def _unpack(z, N, J, Xs):
    w = np.exp(z[:N])
    lnP = z[N : N + N * J].reshape(N, J)
    X = z[N + N * J :].reshape(N, J) * Xs
    return w, lnP, X


def solve_hat(
    B: np.ndarray,
    inv1t: np.ndarray,
    gamma_va: np.ndarray,
    gamma_io: np.ndarray,
    alpha: np.ndarray,
    X0: np.ndarray,
    VA: np.ndarray,
    D: np.ndarray,
    theta: np.ndarray,
    *,
    tol: float = 1e-8,
    max_iter: int = 2000,
    memory: int = 6,
    damp: float = 0.5,
    start: KernelSolution | None = None,
    phi: np.ndarray | None = None,
) -> KernelSolution:
    """Solve equations 1-5 by Anderson-accelerated fixed-point iteration (unchecked kernel).

    Parameters
    ----------
    B
        ``shock_weights(pi, kappa_hat, theta)``, (N, N, J).
    inv1t
        ``1 / (1 + tau_new)``, (N, N, J).
    X0
        Baseline expenditure (N, J), USD mn: starting point and scale of ``X1``.
    tol
        Stop when the largest change of ``ln w_hat``, ``ln P_hat`` and ``X1 / X`` (relative,
        floored at 1e-9 of world spending) in one plain sweep is below ``tol``.
    memory
        Anderson memory (0 = plain damped fixed-point iteration).
    damp
        Step length of plain iterations, ``z + damp * (g(z) - z)``: a full step overshoots
        the wage update when trade elasticities are large.
    start
        Warm start (e.g. the point-estimate solution in Monte Carlo).
    phi
        Deficits proportional to value added (see :func:`step`); default fixed deficits.

    Returns
    -------
    KernelSolution
        With ``converged=False`` when ``max_iter`` is reached or the iteration blew up;
        the caller raises.
    """
    N, J = X0.shape
    Xs = np.maximum(X0, 1e-9 * X0.sum() + 1e-300)
    if start is None:
        w, lnP, X = np.ones(N), np.zeros((N, J)), X0.copy()
    else:
        w, lnP, X = start.w_hat.copy(), start.lnP_hat.copy(), start.X1.copy()
    z = _pack(w, lnP, X, Xs)
    Bt = np.ascontiguousarray(B.transpose(2, 0, 1))
    Binvt = np.ascontiguousarray((B * inv1t).transpose(2, 0, 1))
    safe = z  # last point known to map to finite values
    dF: list[np.ndarray] = []
    dG: list[np.ndarray] = []
    prev: tuple[np.ndarray, np.ndarray] | None = None
    res = np.inf
    for it in range(1, max_iter + 1):
        w, lnP, X = _unpack(z, N, J, Xs)
        with np.errstate(all="ignore"):
            w_new, lnP_new, X_new = _sweep(Bt, Binvt, gamma_va, gamma_io, alpha, VA, D, theta, w, lnP, X, phi)
        finite = np.all(np.isfinite(lnP_new)) and np.all(np.isfinite(X_new)) and np.all(np.isfinite(w_new)) and np.all(w_new > 0)
        if not finite:
            if memory > 0 and z is not safe:
                # An extrapolated step left the region where the map is defined: drop the
                # acceleration and continue with damped plain steps from the last safe point.
                memory, dF, dG, prev, z = 0, [], [], None, safe
                continue
            return KernelSolution(w, lnP, X, B, it, float("inf"), False)
        safe = z
        g = _pack(w_new, lnP_new, X_new, Xs)
        f = g - z
        res = float(np.max(np.abs(f)))
        if res < tol:
            # the shares that go with the returned prices (one more evaluation of eqs. 1-3)
            return KernelSolution(w_new, lnP_new, X_new, _prices(B, gamma_va, gamma_io, theta, w_new, lnP_new)[1], it, res, True)
        if memory <= 0:
            z = z + damp * f
            continue
        if prev is not None:
            dF.append(f - prev[0])
            dG.append(g - prev[1])
            if len(dF) > memory:
                del dF[0], dG[0]
        prev = (f, g)
        if dF:
            Fm = np.stack(dF, axis=1)
            # Normal equations of the small (m x m) least-squares problem, lightly
            # regularised: an SVD-based lstsq on the tall matrix costs more than a sweep.
            A = Fm.T @ Fm
            A[np.diag_indices_from(A)] += 1e-12 * np.trace(A) + 1e-300
            gamma = np.linalg.solve(A, Fm.T @ f)
            z = g - np.stack(dG, axis=1) @ gamma
        else:
            z = g
    w, lnP, X = _unpack(z, N, J, Xs)
    return KernelSolution(w, lnP, X, B, max_iter, res, False)


def welfare_hat(w_hat, lnP_hat, X1, pi1, inv1t, alpha, VA, D, I0):
    """Real income change ``W_hat[n] = I_hat[n] / prod_j P_hat[n,j]**alpha[n,j]`` and ``I_hat``."""
    R = np.einsum("nj,nij->n", X1, pi1 * (1.0 - inv1t))
    I1 = w_hat * VA + R + D
    I_hat = I1 / I0
    lnP_final = (alpha * lnP_hat).sum(axis=1)
    return I_hat * np.exp(-lnP_final), I_hat
