"""A 3-country, 2-sector economy written out by hand, solved by geohedge and by an
independent implementation in this file: the full nonlinear system of Caliendo & Parro
(2015) in changes, written with plain loops from the raw flows and solved by Newton's
method (scipy.optimize.root), with the numeraire replacing one factor-market equation."""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import root

from geohedge.shocks.calibrate import baseline_from_flows
from geohedge.shocks.model import solve_arrays
from geohedge.shocks.scenario import ShockArrays

C = ("A", "B", "H")  # countries
S = ("goods", "chips")  # sectors
# FLOW[importer][exporter][sector]: purchases at basic prices (hand-made, USD mn)
FLOW = {
    "A": {"A": (120.0, 60.0), "B": (15.0, 30.0), "H": (10.0, 5.0)},
    "B": {"A": (20.0, 12.0), "B": (150.0, 40.0), "H": (8.0, 25.0)},
    "H": {"A": (6.0, 4.0), "B": (9.0, 14.0), "H": (90.0, 35.0)},
}
# INPUT_SHARE[country][(input sector k, using sector j)]: cost shares of intermediate inputs
INPUT_SHARE = {
    "A": {(0, 0): 0.20, (1, 0): 0.10, (0, 1): 0.15, (1, 1): 0.25},
    "B": {(0, 0): 0.25, (1, 0): 0.05, (0, 1): 0.10, (1, 1): 0.30},
    "H": {(0, 0): 0.15, (1, 0): 0.10, (0, 1): 0.20, (1, 1): 0.20},
}
THETA = (4.0, 8.0)
TARIFF = {("A", "B", 1): 0.20, ("B", "A", 0): 0.10}  # (importer, exporter, sector): new tariff
COST = {("H", "A", 0): 0.85, ("A", "H", 0): 0.85}  # iceberg change


def data():
    J = len(S)
    X_nij = np.array([[FLOW[n][i] for i in C] for n in C])
    Y = X_nij.sum(axis=0)
    inputs = np.array([[[INPUT_SHARE[n][(k, j)] * Y[C.index(n), j] for j in range(J)] for k in range(J)] for n in C])
    final = X_nij.sum(axis=1) - inputs.sum(axis=2)
    assert (final > 0).all()
    return X_nij, inputs, Y, final


def independent_solution():
    """Newton solve of the full system from the raw flows; returns (w_hat, P_hat, W_hat) dicts."""
    final = data()[3]
    N, J = len(C), len(S)
    spend = {(n, j): sum(FLOW[n][i][j] for i in C) for n in C for j in range(J)}
    share = {(n, i, j): FLOW[n][i][j] / spend[n, j] for n in C for i in C for j in range(J)}
    out = {(i, j): sum(FLOW[n][i][j] for n in C) for i in C for j in range(J)}
    va_share = {(n, j): 1 - sum(INPUT_SHARE[n][(k, j)] for k in range(J)) for n in C for j in range(J)}
    va = {n: sum(va_share[n, j] * out[n, j] for j in range(J)) for n in C}
    fin = {(n, j): final[C.index(n), j] for n in C for j in range(J)}
    income = {n: sum(fin[n, j] for j in range(J)) for n in C}
    alpha = {(n, j): fin[n, j] / income[n] for n in C for j in range(J)}
    deficit = {n: income[n] - va[n] for n in C}
    tau = {(n, i, j): TARIFF.get((n, i, j), 0.0) for n in C for i in C for j in range(J)}
    kappa = {(n, i, j): (1 + tau[n, i, j]) * COST.get((n, i, j), 1.0) for n in C for i in C for j in range(J)}

    def unpack(z):
        w = {n: math.exp(z[a]) for a, n in enumerate(C)}
        P = {(n, j): math.exp(z[N + a * J + j]) for a, n in enumerate(C) for j in range(J)}
        X = {(n, j): z[N + N * J + a * J + j] * 100 for a, n in enumerate(C) for j in range(J)}
        return w, P, X

    def equations(z):
        w, P, X = unpack(z)
        cost = {(n, j): w[n] ** va_share[n, j] * math.prod(P[n, k] ** INPUT_SHARE[n][(k, j)] for k in range(J)) for n in C for j in range(J)}
        new_share = {}
        eqs = []
        for n in C:
            for j in range(J):
                th = THETA[j]
                terms = {i: share[n, i, j] * (kappa[n, i, j] * cost[i, j]) ** (-th) for i in C}
                total = sum(terms.values())
                eqs.append(P[n, j] - total ** (-1 / th))
                for i in C:
                    new_share[n, i, j] = terms[i] / total
        revenue = {(i, j): sum(X[n, j] * new_share[n, i, j] / (1 + tau[n, i, j]) for n in C) for i in C for j in range(J)}
        tariffs = {n: sum(X[n, j] * new_share[n, i, j] * tau[n, i, j] / (1 + tau[n, i, j]) for i in C for j in range(J)) for n in C}
        for n in C:
            inc = w[n] * va[n] + tariffs[n] + deficit[n]
            for j in range(J):
                eqs.append((X[n, j] - sum(INPUT_SHARE[n][(j, k)] * revenue[n, k] for k in range(J)) - alpha[n, j] * inc) / 100)
        for n in C[:-1]:  # factor markets; the last one follows from Walras' law
            eqs.append((w[n] * va[n] - sum(va_share[n, j] * revenue[n, j] for j in range(J))) / 100)
        eqs.append(sum(w[n] * va[n] for n in C) / sum(va.values()) - 1)  # numeraire: world VA
        return eqs

    z0 = [0.0] * N + [0.0] * (N * J) + [spend[n, j] / 100 for n in C for j in range(J)]
    sol = root(equations, z0, method="hybr", tol=1e-13)
    assert max(abs(e) for e in equations(sol.x)) < 1e-11, sol.message
    w, P, X = unpack(sol.x)
    cost = {(n, j): w[n] ** va_share[n, j] * math.prod(P[n, k] ** INPUT_SHARE[n][(k, j)] for k in range(J)) for n in C for j in range(J)}
    welfare = {}
    for n in C:
        shares = {(i, j): share[n, i, j] * (kappa[n, i, j] * cost[i, j] / P[n, j]) ** (-THETA[j]) for i in C for j in range(J)}
        tariffs = sum(X[n, j] * shares[i, j] * tau[n, i, j] / (1 + tau[n, i, j]) for i in C for j in range(J))
        inc_new = w[n] * va[n] + tariffs + deficit[n]
        welfare[n] = inc_new / income[n] / math.prod(P[n, j] ** alpha[n, j] for j in range(J))
    return w, P, welfare


def test_three_by_two_matches_an_independent_newton_solution():
    X_nij, inputs, Y, final = data()
    b = baseline_from_flows(X_nij, inputs, Y, final, countries=C, sectors=S)
    N, J = 3, 2
    tau = np.zeros((N, N, J))
    kappa = np.ones((N, N, J))
    for (n, i, j), v in TARIFF.items():
        tau[C.index(n), C.index(i), j] = v
    for (n, i, j), v in COST.items():
        kappa[C.index(n), C.index(i), j] = v
    r = solve_arrays(b, ShockArrays((1 + tau) * kappa, tau, np.ones(N, bool)), np.array(THETA), tol=1e-12)
    w, P, W = independent_solution()
    np.testing.assert_allclose(r.w_hat, [w[n] for n in C], rtol=1e-9)
    np.testing.assert_allclose(r.P_hat, [[P[n, j] for j in range(J)] for n in C], rtol=1e-9)
    np.testing.assert_allclose(r.W_hat, [W[n] for n in C], rtol=1e-9)
    assert abs(W["A"] - 1) > 1e-3  # the case is not trivial
