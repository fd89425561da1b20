"""Property tests of the ordered-logit kernels: probabilities add up, derivatives match
finite differences, and a Newton sweep never lowers the log posterior."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geohedge.alignment import _kernels as K

finite = st.floats(-6, 6, allow_nan=False)
gap = st.floats(0.05, 5, allow_nan=False)


@given(finite, finite, gap)
@settings(max_examples=300, deadline=None)
def test_probabilities_sum_to_one(eta, a1, g):
    e = np.full(3, eta)
    p = np.exp(K.vote_logp(e, np.full(3, a1), np.full(3, a1 + g), 1, 1))
    assert p.sum() == pytest.approx(1.0, abs=1e-12)
    expit = 1 / (1 + np.exp(-(eta - a1)))
    assert p[0] == pytest.approx(1 - expit, rel=1e-9, abs=1e-15)


@given(finite, finite, gap)
@settings(max_examples=200, deadline=None)
def test_derivatives_match_finite_differences(eta, a1, g):
    e = np.full(3, eta)
    lo, hi = np.full(3, a1), np.full(3, a1 + g)
    g_u, g_l, h_uu, h_ll, h_ul = K.vote_derivatives(e, lo, hi, 1, 1)
    h = 1e-5

    def logp(eta_, a1_, a2_):
        return K.vote_logp(np.full(3, eta_), np.full(3, a1_), np.full(3, a2_), 1, 1)

    # d/d eta = -(g_u + g_l); d2/d eta2 = h_uu + 2 h_ul + h_ll
    d1 = (logp(eta + h, a1, a1 + g) - logp(eta - h, a1, a1 + g)) / (2 * h)
    d2 = (logp(eta + h, a1, a1 + g) - 2 * logp(eta, a1, a1 + g) + logp(eta - h, a1, a1 + g)) / h**2
    np.testing.assert_allclose(d1, -(g_u + g_l), atol=1e-5)
    np.testing.assert_allclose(d2, h_uu + 2 * h_ul + h_ll, atol=1e-3)
    # abstain (row 1): d/d a2 is g_u, d/d a1 is g_l
    da2 = (logp(eta, a1, a1 + g + h) - logp(eta, a1, a1 + g - h))[1] / (2 * h)
    da1 = (logp(eta, a1 + h, a1 + g) - logp(eta, a1 - h, a1 + g))[1] / (2 * h)
    assert da2 == pytest.approx(g_u[1], abs=1e-5)
    assert da1 == pytest.approx(g_l[1], abs=1e-5)


@given(st.integers(0, 2**31 - 1))
@settings(max_examples=25, deadline=None)
def test_newton_sweeps_are_monotone(seed):
    rng = np.random.default_rng(seed)
    I, J, n_per = 12, 20, 10
    i = rng.integers(0, I, J * n_per)
    j = np.repeat(np.arange(J), n_per)
    y = rng.integers(0, 3, len(i))
    order = np.argsort(y, kind="stable")
    y, i, j = y[order], i[order], j[order]
    n0, n1 = int((y == 0).sum()), int((y == 1).sum())
    binary = np.bincount(j, y == 1, minlength=J) == 0
    theta = rng.normal(size=I)
    beta = rng.normal(size=J)
    a1 = rng.normal(-0.5, 0.5, J)
    a2 = np.where(binary, a1, a1 + 1.0)
    group = np.arange(I)  # one session per country
    bands = K.rw_precision_bands(group, np.zeros(I), 0.3, 1.0)
    beta2, b1, b2, gain_items = K.item_newton_step(theta, beta, a1, a2, i, j, J, n0, n1, binary, 5.0, 5.0)
    assert gain_items >= -1e-9
    assert np.all(b2[~binary] > b1[~binary]) and np.all(b2[binary] == b1[binary])
    _, gain_theta, _ = K.theta_newton_step(theta, beta2, b1, b2, i, j, I, n0, n1, bands, group)
    assert gain_theta >= -1e-9
