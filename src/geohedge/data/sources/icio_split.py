"""Destinations of final demand for the 50-sector ICIO 2022 table, from the bilateral cubes.

The bundle's ICIO 2025 table (``bench_cache.npz``) has exact intermediate flows between its
80 countries but only each seller's *total* final sales ``z``; its rest-of-world region
was dropped, so ``z`` also holds everything sold to the rest of the world. The cubes
(OECD ICIO Extended 2023 edition, same 2022 levels: each goods node's total sales agree
with the 2025 table's to rounding) give each exporter-sector's sales to each of 81
destinations (rest of world and home included), intermediate plus final, for the 27 goods
sectors and a services aggregate. :func:`split_final_demand` derives the final sales of
each seller by destination so that

(a) each seller's final sales, over the 80 countries plus the rest of the world, total
    ``z`` exactly;
(b) each goods node's intermediate plus final sales by destination reproduce the cube's
    destination shares (``target[m] = share[m] * T`` with ``T`` the node's total sales);
(c) each exporter's services nodes together reproduce the cube's services-aggregate
    destination shares; the split across the 23 services sectors follows each sector's
    own intermediate sales pattern (biproportional scaling, RAS), the one part that
    stays approximate.

Notation: ``i`` exporter (80), ``j`` sector (50), ``n`` destination country (80),
``m`` destination region (81: the 80 and the rest of the world, last).

Where the two releases cannot both hold (the 2025 table records more intermediate sales
to a destination than the cube's total sales there, so (b) would need negative final
sales), final sales are projected onto the non-negative simplex of total ``z`` by
weighted least squares: home sales carry 1/100 of the weight of foreign destinations, so
the home market absorbs the difference and export shares stay as close to the cube as
possible. :class:`SplitReport` records every such node and the largest deviation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["HOME_WEIGHT", "SplitReport", "project_simplex", "ras", "split_final_demand"]

#: Weight of the home market relative to a foreign destination in the projection.
HOME_WEIGHT = 0.01


@dataclass(frozen=True)
class SplitReport:
    """What the split did.

    ``projected``: (exporter, sector, mass moved, USD mn) for nodes whose cube target
    needed negative final sales; ``fallback``: goods nodes with sales in the 2025 table but
    none in the cube (split in proportion to their intermediate sales, approximate);
    ``approximate``: (N, J) bool, nodes whose destination split is not exact to the cube.
    """

    projected: list[tuple[str, str, float]] = field(default_factory=list)
    fallback: list[tuple[str, str]] = field(default_factory=list)
    approximate: np.ndarray | None = None


def project_simplex(v: np.ndarray, total: float, w: np.ndarray) -> np.ndarray:
    """``argmin sum w (f - v)**2`` over ``f >= 0, sum f = total`` (weights ``w > 0``).

    KKT: ``f = max(v - lam / w, 0)`` with ``lam`` set by bisection so the sum is ``total``.
    Returns ``v`` itself when it is already feasible.
    """
    if total <= 0:
        return np.zeros_like(v)
    if (v >= 0).all() and abs(v.sum() - total) <= 1e-12 * max(total, 1.0):
        return v.copy()
    lo = float(np.min(w * (v - total)))
    hi = float(np.max(w * v))
    for _ in range(200):
        lam = 0.5 * (lo + hi)
        s = np.maximum(v - lam / w, 0.0).sum()
        if s > total:
            lo = lam
        else:
            hi = lam
    f = np.maximum(v - 0.5 * (lo + hi) / w, 0.0)
    return f * (total / f.sum()) if f.sum() > 0 else np.full_like(v, total / len(v))


def ras(seed: np.ndarray, rows: np.ndarray, cols: np.ndarray, *, tol: float = 1e-12, max_iter: int = 5000) -> np.ndarray:
    """Biproportional scaling of ``seed`` (non-negative) to row sums ``rows`` and column sums
    ``cols`` (Bacharach 1970; Miller & Blair 2009, section 7.4). ``rows.sum() == cols.sum()``."""
    M = seed.astype(float).copy()
    for _ in range(max_iter):
        r = M.sum(axis=1)
        M *= np.divide(rows, r, out=np.zeros_like(rows), where=r > 0)[:, None]
        c = M.sum(axis=0)
        M *= np.divide(cols, c, out=np.zeros_like(cols), where=c > 0)[None, :]
        err = np.abs(M.sum(axis=1) - rows).max()
        if err <= tol * max(rows.sum(), 1.0):
            break
    return M


def _weights(m: int, home: int) -> np.ndarray:
    w = np.ones(m)
    w[home] = HOME_WEIGHT
    return w


def split_final_demand(
    Zd: np.ndarray,
    z: np.ndarray,
    cube: np.ndarray,
    *,
    countries: tuple[str, ...],
    sectors: tuple[str, ...],
    cube_sectors: tuple[str, ...],
    services: str,
) -> tuple[np.ndarray, SplitReport]:
    """Final sales by destination region, shape (N, J, N + 1) (last column: rest of world).

    Parameters
    ----------
    Zd
        (N, J, N) intermediate sales of node (i, j) to the buying sectors of country n, USD mn.
    z
        (N, J) total final sales of each node (all destinations, rest of world included).
    cube
        (N, S, N + 1) the cube's sales of exporter i, cube sector s, to region m, USD mn
        (exporters in ``countries`` order, regions the same plus rest of world last).
    cube_sectors
        The cube's S sector codes: the goods codes shared with ``sectors`` and ``services``.
    """
    N, J = z.shape
    M = N + 1
    F = np.zeros((N, J, M))
    rep = SplitReport(approximate=np.zeros((N, J), bool))
    spos = {s: k for k, s in enumerate(cube_sectors)}
    svc = [j for j, s in enumerate(sectors) if s not in spos]
    goods = [j for j, s in enumerate(sectors) if s in spos]
    for i in range(N):
        w = _weights(M, i)
        for j in goods:
            if z[i, j] <= 0:
                continue
            c = cube[i, spos[sectors[j]]]
            T = Zd[i, j].sum() + z[i, j]
            if c.sum() <= 0:
                inter = Zd[i, j]
                pattern = inter / inter.sum() if inter.sum() > 0 else np.eye(N)[i]
                F[i, j, :N] = pattern * z[i, j]
                rep.fallback.append((countries[i], sectors[j]))
                rep.approximate[i, j] = True
                continue
            v = c / c.sum() * T
            v[:N] -= Zd[i, j]
            f = project_simplex(v, z[i, j], w)
            moved = float(np.maximum(-v, 0).sum())
            if moved > 0:
                rep.projected.append((countries[i], sectors[j], moved))
            F[i, j] = f
        zs = z[i, svc]
        if zs.sum() <= 0:
            continue
        c = cube[i, spos[services]]
        Ts = Zd[i, svc].sum() + zs.sum()
        if c.sum() > 0:
            v = c / c.sum() * Ts
            v[:N] -= Zd[i, svc].sum(axis=0)
            agg = project_simplex(v, zs.sum(), w)
            moved = float(np.maximum(-v, 0).sum())
            if moved > 0:
                rep.projected.append((countries[i], services, moved))
        else:
            agg = np.zeros(M)
            agg[i] = zs.sum()
        inter = np.zeros((len(svc), M))
        inter[:, :N] = Zd[i, svc]
        tot = inter.sum(axis=1, keepdims=True)
        pattern = np.divide(inter, tot, out=np.zeros_like(inter), where=tot > 0)
        seed = zs[:, None] * (0.5 * pattern + 0.5 * agg[None, :] / agg.sum())
        F[i, svc] = ras(seed, zs, agg)
        rep.approximate[i, svc] = zs > 0
    return F, rep
