"""Pure array math for alignment: agreement indices and the ordered-logit ideal-point model.

No checks here: callers validate.

Notation (axis order and units)
-------------------------------
=============== =========== ===========================================================
name            shape       meaning
=============== =========== ===========================================================
``V``           (N, K)      vote codes of N countries on K roll calls: 0 absent or not a
                            member, 1 no, 2 abstain, 3 yes (int8)
``Y, A, O``     (N, K)      one-hot indicators of yes, abstain, no (float)
``S``           (N, N)      sum over shared roll calls of the agreement of i and j
``n``           (N, N)      number of roll calls both i and j voted on
``theta[i]``    (I,)        ideal point of country-session i (latent scale)
``beta[j]``     (J,)        discrimination of item j (a roll call, or a set of identical
                            resolutions that share parameters)
``a1[j], a2[j]`` (J,)       cut-points of item j (``a1 <= a2``): no | abstain | yes
``y[o]``        (O,)        observed vote o: 0 no, 1 abstain, 2 yes
``i[o], j[o]``  (O,)        country-session and item of vote o
=============== =========== ===========================================================

Agreement indices over the roll calls both i and j voted on. Half-credit (Voeten 2000):
with votes coded yes = 1, abstain = 1/2, no = 0, the agreement on a roll call is
``1 - |v_i - v_j|``; with one-hot matrices ``S = Y Y' + A A' + O O' + 1/2 [(Y + O) A' +
A (Y + O)']``. Identical votes (the published Bailey, Strezhnev & Voeten agreement
scores): ``S = Y Y' + A A' + O O'``. Both divide by ``n = P P'`` with ``P = Y + A + O``.

Ideal points: ordered logit item response model (the logit analogue of the ordered
probit in Bailey, Strezhnev & Voeten 2017, eq. 1)::

    y*[o] = beta[j] theta[i] + e,   e ~ Logistic(0, 1)
    no if y* < a1[j];  abstain if a1[j] <= y* < a2[j];  yes if y* >= a2[j]
    P(y = k) = F(u - eta) - F(l - eta),  eta = beta[j] theta[i]

with ``(l, u) = (-inf, a1)`` for no, ``(a1, a2)`` for abstain and ``(a2, +inf)`` for yes,
and ``F`` the logistic CDF.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla
from scipy.special import expit, log_expit

__all__ = [
    "agreement_sums",
    "block_inverse_diagonal",
    "item_loglik",
    "item_newton_step",
    "one_hot",
    "rw_precision_bands",
    "theta_loglik",
    "theta_newton_step",
    "vote_derivatives",
    "vote_logp",
]


def one_hot(V: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``Y, A, O`` (float32) from vote codes ``V`` (3 yes, 2 abstain, 1 no)."""
    return (V == 3).astype(np.float32), (V == 2).astype(np.float32), (V == 1).astype(np.float32)


def agreement_sums(V: np.ndarray, partial: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """``S`` and ``n`` for the vote codes ``V`` (N, K): agreement sums and shared votes.

    ``partial`` is the credit for an abstention against a yes or a no: 1/2 for the
    half-credit index, 0 for the share of identical votes. Exact in float32 for
    K < 2**24 roll calls (sums of halves).
    """
    Y, A, O = one_hot(V)
    YO = Y + O
    S = Y @ Y.T + A @ A.T + O @ O.T
    if partial:
        half = YO @ A.T
        S = S + partial * (half + half.T)
    P = YO + A
    n = P @ P.T
    return S.astype(np.float64), np.rint(n).astype(np.int64)


# --- ordered logit ---------------------------------------------------------------------
#
# Votes are sorted by category (all no, then all abstain, then all yes) so that each
# category's closed forms apply to a contiguous slice: with u, l the upper and lower cut
# minus eta,
#   no:      log P = log F(u)                                  (u = a1 - eta)
#   yes:     log P = log F(-l)                                 (l = a2 - eta)
#   abstain: log P = log F(u) + log F(-l) + log(1 - exp(l - u)) (u = a2 - eta, l = a1 - eta)
# which is F(u) - F(l) without cancellation.


_log_sigmoid = log_expit


def vote_logp(eta: np.ndarray, a1j: np.ndarray, a2j: np.ndarray, n0: int, n1: int) -> np.ndarray:
    """Log-probability of each vote (votes sorted: n0 no, n1 abstain, then yes)."""
    out = np.empty_like(eta)
    s0, s1, s2 = slice(0, n0), slice(n0, n0 + n1), slice(n0 + n1, None)
    out[s0] = _log_sigmoid(a1j[s0] - eta[s0])
    out[s2] = _log_sigmoid(eta[s2] - a2j[s2])
    u = a2j[s1] - eta[s1]
    l = a1j[s1] - eta[s1]
    out[s1] = _log_sigmoid(u) + _log_sigmoid(-l) + np.log(-np.expm1(np.minimum(l - u, -1e-12)))
    return out


def vote_derivatives(eta, a1j, a2j, n0, n1):
    """First and second derivatives of each vote's log-probability.

    Returns
    -------
    tuple
        ``g_u, g_l, h_uu, h_ll, h_ul`` (zero where the vote has no such cut).
    """
    n = len(eta)
    g_u = np.zeros(n)
    g_l = np.zeros(n)
    h_uu = np.zeros(n)
    h_ll = np.zeros(n)
    h_ul = np.zeros(n)
    s0, s1, s2 = slice(0, n0), slice(n0, n0 + n1), slice(n0 + n1, None)
    F = expit(a1j[s0] - eta[s0])
    g_u[s0] = 1.0 - F
    h_uu[s0] = -F * (1.0 - F)
    F = expit(a2j[s2] - eta[s2])
    g_l[s2] = -F
    h_ll[s2] = -F * (1.0 - F)
    u = a2j[s1] - eta[s1]
    l = a1j[s1] - eta[s1]
    Fu = expit(u)
    Fl = expit(l)
    log_den = np.log(-np.expm1(np.minimum(l - u, -1e-12)))  # log(1 - exp(l - u))
    # in log space so that far tails (F(l) -> 1 or F(u) -> 0 in floating point) stay finite
    gu = np.exp(log_expit(-u) - log_expit(-l) - log_den)  # f(u) / P
    gl = -np.exp(log_expit(l) - log_expit(u) - log_den)  # -f(l) / P
    g_u[s1] = gu
    g_l[s1] = gl
    h_uu[s1] = gu * (1.0 - 2.0 * Fu) - gu * gu
    h_ll[s1] = gl * (1.0 - 2.0 * Fl) - gl * gl
    h_ul[s1] = -gu * gl
    return g_u, g_l, h_uu, h_ll, h_ul


def item_loglik(theta, beta, a1, a2, i, j, J, n0, n1, s_beta, s_alpha) -> np.ndarray:
    """Log posterior contribution of each item (likelihood of its votes plus its priors)."""
    logp = vote_logp(beta[j] * theta[i], a1[j], a2[j], n0, n1)
    prior = -0.5 * (beta / s_beta) ** 2 - 0.5 * (a1 / s_alpha) ** 2 - 0.5 * (a2 / s_alpha) ** 2
    return np.bincount(j, logp, minlength=J) + prior


def item_newton_step(theta, beta, a1, a2, i, j, J, n0, n1, binary, s_beta, s_alpha, max_halvings=30):
    """One damped Newton step on every item's ``(beta, a1, a2)`` given ``theta``.

    The log posterior is concave in ``(beta, a1, a2)`` for fixed ``theta`` (the ordered
    logit is log-concave in its linear predictor and cut-points; Pratt 1981), so a Newton
    step with step halving increases it monotonically. Items flagged ``binary`` (no
    abstention recorded) keep ``a1 == a2`` (a binary logit).

    Returns
    -------
    tuple
        New ``beta, a1, a2`` and the increase in the log posterior.
    """
    t = theta[i]
    eta = beta[j] * t
    g_u, g_l, h_uu, h_ll, h_ul = vote_derivatives(eta, a1[j], a2[j], n0, n1)
    s0, s1, s2 = slice(0, n0), slice(n0, n0 + n1), slice(n0 + n1, None)

    def bc(w, sl=slice(None)):
        return np.bincount(j[sl], w, minlength=J)

    g_eta = -(g_u + g_l)
    h_ee = h_uu + 2.0 * h_ul + h_ll
    g = np.zeros((J, 3))
    H = np.zeros((J, 3, 3))
    g[:, 0] = bc(g_eta * t) - beta / s_beta**2
    H[:, 0, 0] = bc(h_ee * t * t) - 1.0 / s_beta**2
    # a1: upper cut of "no", lower cut of "abstain"; a2: upper of "abstain", lower of "yes"
    g[:, 1] = bc(g_u[s0], s0) + bc(g_l[s1], s1) - a1 / s_alpha**2
    g[:, 2] = bc(g_u[s1], s1) + bc(g_l[s2], s2) - a2 / s_alpha**2
    H[:, 1, 1] = bc(h_uu[s0], s0) + bc(h_ll[s1], s1) - 1.0 / s_alpha**2
    H[:, 2, 2] = bc(h_uu[s1], s1) + bc(h_ll[s2], s2) - 1.0 / s_alpha**2
    H[:, 1, 2] = H[:, 2, 1] = bc(h_ul[s1], s1)
    H[:, 0, 1] = H[:, 1, 0] = bc(-h_uu[s0] * t[s0], s0) + bc(-(h_ul[s1] + h_ll[s1]) * t[s1], s1)
    H[:, 0, 2] = H[:, 2, 0] = bc(-(h_uu[s1] + h_ul[s1]) * t[s1], s1) + bc(-h_ll[s2] * t[s2], s2)
    if binary.any():
        # a1 == a2 == a: gradient and curvature in a are the sums over both cut slots
        b = binary
        g[b, 1] = g[b, 1] + g[b, 2]
        H[b, 0, 1] = H[b, 1, 0] = H[b, 0, 1] + H[b, 0, 2]
        H[b, 1, 1] = H[b, 1, 1] + 2.0 * H[b, 1, 2] + H[b, 2, 2]
        g[b, 2] = 0.0
        H[b, 0, 2] = H[b, 2, 0] = H[b, 1, 2] = H[b, 2, 1] = 0.0
        H[b, 2, 2] = -1.0
    # the prior makes H negative definite; items with non-finite terms (a cut gap that
    # has collapsed to the floor) sit this step out
    good = np.isfinite(H).all(axis=(1, 2)) & np.isfinite(g).all(axis=1)
    step = np.zeros((J, 3))
    good &= np.abs(H).max(axis=(1, 2)) < 1e12
    step[good] = -np.linalg.solve(H[good], g[good][..., None])[..., 0]
    step[~np.isfinite(step).all(axis=1)] = 0.0
    step[binary, 2] = step[binary, 1]
    old = item_loglik(theta, beta, a1, a2, i, j, J, n0, n1, s_beta, s_alpha)
    scale = np.ones(J)
    for _ in range(max_halvings + 1):
        nb = beta + scale * step[:, 0]
        n1_ = a1 + scale * step[:, 1]
        n2_ = np.where(binary, n1_, a2 + scale * step[:, 2])
        ok = binary | (n2_ - n1_ > 1e-6)
        n2_ = np.where(ok, n2_, n1_ + 1e-6)
        new = item_loglik(theta, nb, n1_, n2_, i, j, J, n0, n1, s_beta, s_alpha)
        bad = ~(new >= old - 1e-9) | ~ok
        if not bad.any():
            break
        scale = np.where(bad, scale * 0.5, scale)
    nb = np.where(bad, beta, nb)
    n1_ = np.where(bad, a1, n1_)
    n2_ = np.where(bad, a2, n2_)
    new = np.where(bad, old, new)
    return nb, n1_, n2_, float(np.sum(new - old))


def rw_precision_bands(
    country: np.ndarray, session: np.ndarray, s_rw: float, s0: float, s_session: float | None = None
) -> np.ndarray:
    """Prior precision of the ideal-point trajectories, in ``solveh_banded`` lower form (2, I).

    ``theta[c, t] ~ N(theta[c, t'], s_rw**2 * (t - t'))`` for consecutive observed
    sessions ``t' < t`` of country ``c`` (a Gaussian random walk), ``theta[c, first] ~
    N(0, s0**2)``, and, when ``s_session`` is given, every later session of the country is
    also anchored, ``theta[c, t] ~ N(0, s_session**2)``: the prior density is the product of
    the random-walk links and one normal factor per country-session. Rows must be sorted by
    country, then session.
    """
    I = len(country)
    same = np.zeros(I, dtype=bool)
    same[1:] = country[1:] == country[:-1]
    gap = np.ones(I)
    gap[1:] = session[1:] - session[:-1]
    w = np.where(same, 1.0 / (s_rw**2 * np.maximum(gap, 1.0)), 0.0)  # link (i-1, i) weight
    later = 0.0 if s_session is None else 1.0 / s_session**2
    diag = np.where(same, later, 1.0 / s0**2) + w
    diag[:-1] += w[1:]
    bands = np.zeros((2, I))
    bands[0] = diag
    bands[1, :-1] = -w[1:]
    return bands


def _prior_quad(theta: np.ndarray, bands: np.ndarray) -> np.ndarray:
    """``theta' Q theta`` split by row: ``Q`` from :func:`rw_precision_bands`."""
    out = bands[0] * theta * theta
    out[:-1] += 2.0 * bands[1, :-1] * theta[:-1] * theta[1:]
    return out


def theta_loglik(theta, beta, a1, a2, i, j, I, n0, n1, bands, group) -> np.ndarray:
    """Log posterior of each group of country-sessions (a country's trajectory)."""
    logp = vote_logp(beta[j] * theta[i], a1[j], a2[j], n0, n1)
    per_i = np.bincount(i, logp, minlength=I) - 0.5 * _prior_quad(theta, bands)
    return np.bincount(group, per_i)


def theta_newton_step(theta, beta, a1, a2, i, j, I, n0, n1, bands, group, max_halvings=30):
    """One damped Newton step on all ideal points given the items.

    The Hessian is the (negative) random-walk precision plus a diagonal likelihood
    curvature: banded, solved in O(I) with ``scipy.linalg.solveh_banded``. Step halving
    is per country (its trajectory is one block of the Hessian).

    Returns
    -------
    tuple
        New ``theta``, the increase in the log posterior, and the bands of the negative
        Hessian at the starting point (for Laplace standard errors).
    """
    b = beta[j]
    g_u, g_l, h_uu, h_ll, h_ul = vote_derivatives(b * theta[i], a1[j], a2[j], n0, n1)
    g = np.bincount(i, -(g_u + g_l) * b, minlength=I)
    h = np.bincount(i, (h_uu + 2.0 * h_ul + h_ll) * b * b, minlength=I)
    Qt = bands[0] * theta
    Qt[:-1] += bands[1, :-1] * theta[1:]
    Qt[1:] += bands[1, :-1] * theta[:-1]
    grad = g - Qt
    neg_hess = bands.copy()
    neg_hess[0] = neg_hess[0] - h
    if max_halvings == 0:
        return theta, 0.0, neg_hess
    step = sla.solveh_banded(neg_hess, grad, lower=True, check_finite=False)
    G = int(group.max()) + 1
    old = theta_loglik(theta, beta, a1, a2, i, j, I, n0, n1, bands, group)
    scale = np.ones(G)
    for _ in range(max_halvings):
        new_theta = theta + scale[group] * step
        new = theta_loglik(new_theta, beta, a1, a2, i, j, I, n0, n1, bands, group)
        bad = ~(new >= old - 1e-9)
        if not bad.any():
            break
        scale = np.where(bad, scale * 0.5, scale)
    new_theta = np.where(bad[group], theta, new_theta)
    new = np.where(bad, old, new)
    return new_theta, float(np.sum(new - old)), neg_hess


def block_inverse_diagonal(neg_hess: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Diagonal of the inverse of a block-diagonal tridiagonal matrix given in lower band
    form; blocks are the runs of equal ``group`` (one country's trajectory each)."""
    out = np.empty(neg_hess.shape[1])
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    ends = np.r_[starts[1:], len(group)]
    for s, e in zip(starts, ends, strict=True):
        n = e - s
        M = np.diag(neg_hess[0, s:e])
        if n > 1:
            off = neg_hess[1, s:e - 1]
            M += np.diag(off, 1) + np.diag(off, -1)
        out[s:e] = np.diag(np.linalg.inv(M))
    return out
