"""The CVaR partner portfolio: hand-derived optima, an independent LP (scipy linprog, HiGHS)
on random instances, feasibility and frontier properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from geohedge.errors import InputError
from geohedge.partners import _kernels as K
from geohedge.partners import frontier, optimal_portfolio
from geohedge.partners.portfolio import trade_losses

TOL = 1e-6


def solve(w0, L, **kw):
    L = np.asarray(L, float)
    return optimal_portfolio(np.asarray(w0, float), L, partners=[f"P{k}" for k in range(len(w0))],
                             scenarios=[f"S{k}" for k in range(L.shape[0])], **kw)


def test_expected_loss_case_by_hand():
    """w0 = (0.5, 0.3, 0.2); scenario 1 hits partner 1 (loss 0.2), scenario 2 partner 2 (0.1); partner 3 safe.
    Expected loss 0.1 w1 + 0.05 w2. Growth 50% caps w3 at 0.3 and w2 at 0.45; at most 0.2 may move.
    By hand: fill partner 3 to its cap from partner 1 (0.1, saves 0.1 per unit), then move the
    remaining 0.1 from partner 1 to partner 2 (saves 0.05 per unit): w = (0.3, 0.4, 0.3), loss 0.05."""
    r = solve([0.5, 0.3, 0.2], [[0.2, 0, 0], [0, 0.1, 0]], alpha=0.0, max_shift=0.2, growth=0.5)
    np.testing.assert_allclose(r.w, [0.3, 0.4, 0.3], atol=1e-6)
    assert r.expected == pytest.approx(0.05, abs=1e-7)
    assert r.expected_base == pytest.approx(0.065)
    assert r.cvar == pytest.approx(r.expected, abs=1e-9)  # alpha = 0 is the expected loss


def test_worst_case_by_hand():
    """Two equally likely scenarios, alpha = 0.5: CVaR is the worse of the two losses w1 and w2.
    w0 = (0.4, 0.4, 0.2), partner 3 can double (to 0.4), 0.3 may move. Any feasible w has
    w1 + w2 >= 0.6, so max(w1, w2) >= 0.3, reached only at w = (0.3, 0.3, 0.4)."""
    r = solve([0.4, 0.4, 0.2], [[1, 0, 0], [0, 1, 0]], alpha=0.5, max_shift=0.3, growth=1.0)
    np.testing.assert_allclose(r.w, [0.3, 0.3, 0.4], atol=1e-6)
    assert r.cvar == pytest.approx(0.3, abs=1e-7)
    assert r.cvar_base == pytest.approx(0.4)


def independent_lp(w0, L, q, alpha, R, g) -> float:
    """The same problem written for scipy's linprog with explicit |w - w0| <= u variables."""
    S, P = L.shape
    # x = [w (P), u (P), t, z (S)]
    c = np.concatenate([np.zeros(2 * P), [1.0], q / (1 - alpha)])
    A, b = [], []
    for s in range(S):  # L_s w - t - z_s <= 0
        row = np.zeros(2 * P + 1 + S)
        row[:P], row[2 * P], row[2 * P + 1 + s] = L[s], -1.0, -1.0
        A.append(row)
        b.append(0.0)
    for p in range(P):  # w - u <= w0 and -w - u <= -w0
        for sign in (1.0, -1.0):
            row = np.zeros(2 * P + 1 + S)
            row[p], row[P + p] = sign, -1.0
            A.append(row)
            b.append(sign * w0[p])
    row = np.zeros(2 * P + 1 + S)
    row[P:2 * P] = 0.5
    A.append(row)
    b.append(R)
    eq = np.zeros((1, 2 * P + 1 + S))
    eq[0, :P] = 1.0
    bounds = [(0, (1 + g) * w0[p]) for p in range(P)] + [(0, None)] * P + [(None, None)] + [(0, None)] * S
    # HiGHS's presolve declares the degenerate case w0 = (0.5, 0.5), R = 0, g = 1e-7
    # infeasible although w = w0 is feasible; these problems are tiny, so solve them whole.
    out = linprog(c, A_ub=np.array(A), b_ub=b, A_eq=eq, b_eq=[1.0], bounds=bounds, method="highs",
                  options={"presolve": False})
    assert out.status == 0, out.message
    return float(out.fun)


def tail_cvar(losses, q, alpha) -> float:
    """CVaR as the probability-weighted mean of the worst (1 - alpha) tail, by sorting."""
    order = np.argsort(-losses)
    left, acc = 1.0 - alpha, 0.0
    for k in order:
        take = min(q[k], left)
        acc += take * losses[k]
        left -= take
        if left <= 1e-15:
            break
    return acc / (1.0 - alpha)


@st.composite
def instances(draw):
    P = draw(st.integers(2, 6))
    S = draw(st.integers(1, 5))
    raw = np.array(draw(st.lists(st.floats(0.01, 1.0), min_size=P, max_size=P)))
    L = np.array(draw(st.lists(st.lists(st.floats(-0.5, 1.0), min_size=P, max_size=P), min_size=S, max_size=S)))
    qr = np.array(draw(st.lists(st.floats(0.05, 1.0), min_size=S, max_size=S)))
    alpha = draw(st.sampled_from([0.0, 0.5, 0.8]))
    R = draw(st.floats(0.0, 0.6))
    g = draw(st.floats(0.0, 2.0))
    return raw / raw.sum(), L, qr / qr.sum(), alpha, R, g


@settings(max_examples=60, deadline=None)
@given(instances())
def test_matches_independent_lp_and_is_feasible(inst):
    w0, L, q, alpha, R, g = inst
    r = solve(w0, L, q=q, alpha=alpha, max_shift=R, growth=g)
    assert r.cvar == pytest.approx(independent_lp(w0, L, q, alpha, R, g), abs=1e-5)
    assert r.w.sum() == pytest.approx(1.0, abs=1e-9)
    assert (r.w >= 0).all()
    assert (r.w <= (1 + g) * w0 + TOL).all()
    assert 0.5 * np.abs(r.w - w0).sum() <= R + TOL
    assert r.cvar == pytest.approx(tail_cvar(L @ r.w, q, alpha), abs=1e-9)
    assert r.cvar <= r.cvar_base + 1e-7  # w0 is feasible


@settings(max_examples=30, deadline=None)
@given(instances())
def test_frontier_is_monotone(inst):
    w0, L, q, alpha, _, g = inst
    f = frontier(w0, L, partners=[f"P{k}" for k in range(len(w0))], scenarios=[f"S{k}" for k in range(L.shape[0])],
                 q=q, alpha=alpha, growth=g, shifts=(0.3, 0.0, 0.05, 0.1, 0.6))
    cv = f.frame["cvar"].to_numpy()
    assert list(f.frame["max_shift"]) == [0.0, 0.05, 0.1, 0.3, 0.6]
    assert (np.diff(cv) <= 1e-6).all()
    assert cv[0] == pytest.approx(tail_cvar(L @ w0, q, alpha), abs=1e-6)  # no reallocation: the current portfolio
    assert (f.frame["shift"] <= f.frame["max_shift"] + TOL).all()


@given(st.lists(st.floats(-1, 1), min_size=1, max_size=8), st.sampled_from([0.0, 0.25, 0.5, 0.9]))
def test_cvar_kernel_matches_sorted_tail(losses, alpha):
    losses = np.array(losses)
    q = np.full(len(losses), 1 / len(losses))
    assert K.cvar(losses, q, alpha) == pytest.approx(tail_cvar(losses, q, alpha), abs=1e-12)


@pytest.mark.parametrize(("kw", "message"), [
    ({"alpha": 1.0}, "alpha = 1.0 must be in [0, 1) (0 = expected loss)"),
    ({"max_shift": 1.5}, "max shift 1.5 must be a share in [0, 1], e.g. 0.1 for 10% of trade"),
    ({"growth": -0.1}, "growth cap -0.1 must be >= 0 (0.5 = trade with a partner can grow at most 50%)"),
    ({"q": np.array([0.2, 0.2])}, "scenario probabilities must be 2 non-negative numbers summing to 1"),
])
def test_bad_inputs(kw, message):
    with pytest.raises(InputError) as exc:
        solve([0.5, 0.5], [[1, 0], [0, 1]], **kw)
    assert str(exc.value) == message


def test_shares_must_sum_to_one():
    with pytest.raises(InputError, match="sum to 1"):
        solve([0.5, 0.6], [[1, 0]])


def test_trade_losses_from_model_arrays():
    """3 countries, 1 sector, [importer, exporter]: home H=0 exports 10 to A and 30 to B; after
    the shock 5 to A and 33 to B."""
    T0 = np.zeros((3, 3, 1))
    T1 = np.zeros((3, 3, 1))
    T0[1, 0, 0], T0[2, 0, 0] = 10.0, 30.0
    T1[1, 0, 0], T1[2, 0, 0] = 5.0, 33.0
    T0[0, 1, 0] = T1[0, 1, 0] = 7.0  # imports from A unchanged, none from B
    partners, w0, loss = trade_losses(T0, T1, ["H", "A", "B"], "H", "exports")
    assert partners == ("A", "B")
    np.testing.assert_allclose(w0, [0.25, 0.75])
    np.testing.assert_allclose(loss, [0.5, -0.1])
    partners, w0, loss = trade_losses(T0, T1, ["H", "A", "B"], "H", "imports")
    assert partners == ("A",) and loss[0] == 0.0
