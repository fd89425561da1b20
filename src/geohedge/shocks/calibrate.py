"""Baseline arrays of the Caliendo–Parro model, computed from an :class:`~geohedge.iotable.IOTable`.

Pure: takes a table, returns a frozen :class:`Baseline`; nothing here reads the store.

Notation (axis order and units)
-------------------------------
============== ============ ==========================================================
name           shape        meaning
============== ============ ==========================================================
``X_nij``      (N, N, J)    purchases of importer n from exporter i in sector j
                            (intermediate plus final), USD mn at baseline prices
``X``          (N, J)       expenditure of country n on sector j goods, ``sum_i X_nij``
``pi``         (N, N, J)    expenditure shares ``pi[n, i, j] = X_nij / X[n, j]``
``Y``          (N, J)       gross output (revenue) of country n, sector j, USD mn
``gamma_va``   (N, J)       value-added share of costs ``gamma[n, j]`` (CP2015 ``gamma^j_n``)
``gamma_io``   (N, J, J)    input shares ``gamma_io[n, k, j]``: sector-k inputs per unit of
                            output of sector j in country n (CP2015 ``gamma^{k,j}_n``)
``alpha``      (N, J)       final-demand shares ``alpha[n, j]`` (CP2015 ``alpha^j_n``)
``VA``         (N,)         value added (GDP at basic prices), USD mn
``D``          (N,)         deficit ``D[n] = I[n] - VA[n]`` (final spending less value
                            added), USD mn; sums to zero over countries
``I``          (N,)         final spending (income) ``VA + D``, USD mn
``tau``        (N, N, J)    baseline ad valorem tariffs: zero (the ICIO holds no tariffs)
============== ============ ==========================================================

Index letters: n importer (buyer), i exporter (seller), j and k sectors.

Choices (see docs/shocks.md):

- Baseline tariffs are zero: the ICIO table records flows at basic prices without
  tariff revenue; counterfactual tariffs are therefore changes from the 2022 level.
- Nodes with zero output get ``gamma_va = 1`` (no inputs) so costs stay defined; a
  country that spends nothing on a sector gets ``pi[n, n, j] = 1`` (nothing changes).
- Non-tradable sectors: a sector is non-tradable when its cross-border share of world
  expenditure is below ``nontradable_threshold`` (default 0.5%). Its few recorded
  cross-border purchases are kept in the data (so the table stays balanced), but shocks
  are never applied to it and results flag it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from geohedge.errors import DataError, InputError
from geohedge.iotable import IOTable

__all__ = ["SECTOR_GROUPS", "Baseline", "baseline_from_flows", "baseline_from_iotable", "sector_group"]

#: Sector groups of the ICIO 2025 classification (ISIC rev. 4 letters): goods are
#: agriculture (A), mining (B) and manufacturing (C); services are everything from
#: utilities (D) onwards.
SECTOR_GROUPS = ("goods", "manufacturing", "services")


def sector_group(code: str) -> set[str]:
    """The groups an ICIO sector code belongs to (``{"goods", "manufacturing"}`` for ``C20``)."""
    first = code.strip().upper()[:1]
    if first == "C":
        return {"goods", "manufacturing"}
    if first in ("A", "B"):
        return {"goods"}
    return {"services"}


@dataclass(frozen=True, eq=False)
class Baseline:
    """Calibrated baseline of the Caliendo–Parro model (see the module notation table).

    Attributes
    ----------
    countries, sectors
        Codes in array order.
    pi, X, Y, gamma_va, gamma_io, alpha, VA, D, I
        Baseline arrays (module notation table); money in USD mn.
    tradable
        (J,) bool: sector is traded across borders (above the threshold).
    year, source, approximate
        Provenance of the input table; ``approximate`` is the table's flag for its
        estimated final-demand destination split.
    """

    countries: tuple[str, ...]
    sectors: tuple[str, ...]
    pi: np.ndarray
    X: np.ndarray
    Y: np.ndarray
    gamma_va: np.ndarray
    gamma_io: np.ndarray
    alpha: np.ndarray
    VA: np.ndarray
    D: np.ndarray
    I: np.ndarray
    tradable: np.ndarray
    year: int = 0
    source: str = ""
    approximate: bool = False

    @property
    def N(self) -> int:
        return len(self.countries)

    @property
    def J(self) -> int:
        return len(self.sectors)

    def trade(self) -> np.ndarray:
        """Baseline bilateral purchases ``X_nij = pi[n, i, j] * X[n, j]``, shape (N, N, J), USD mn."""
        return self.pi * self.X[:, None, :]

    def country_index(self, code: str) -> int:
        try:
            return self.countries.index(code)
        except ValueError:
            raise InputError(f"country {code!r} is not a region of this table; regions: {', '.join(self.countries)}") from None

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays by name (for caching to ``.npz``)."""
        return {k: getattr(self, k) for k in ("pi", "X", "Y", "gamma_va", "gamma_io", "alpha", "VA", "D", "I", "tradable")}


def baseline_from_flows(
    X_nij: np.ndarray,
    inputs: np.ndarray,
    Y: np.ndarray,
    final: np.ndarray,
    *,
    countries: tuple[str, ...],
    sectors: tuple[str, ...],
    nontradable_threshold: float = 0.005,
    year: int = 0,
    source: str = "",
    approximate: bool = False,
) -> Baseline:
    """Calibrate from flows in model layout (used by :func:`baseline_from_iotable` and tests).

    Parameters
    ----------
    X_nij
        (N, N, J) purchases of importer n from exporter i, sector j, USD mn.
    inputs
        (N, J, J) ``inputs[n, k, j]``: sector-k inputs (all origins) bought by sector j of n.
    Y
        (N, J) gross output; must equal ``X_nij.sum(0)`` (sales of i, j to all buyers).
    final
        (N, J) final spending of country n on sector j (all origins).

    Raises
    ------
    DataError
        Negative flows, or costs above output (negative value added) beyond rounding.
    """
    X_nij = np.asarray(X_nij, dtype=float)
    for name, arr in (("trade flows", X_nij), ("inputs", inputs), ("output", Y), ("final demand", final)):
        if not np.all(np.isfinite(arr)):
            raise DataError(f"{name} contain NaN or infinite values; the input-output table is corrupt - reload it")
        if (arr < 0).any():
            raise DataError(f"{name} contain {(arr < 0).sum()} negative values; the model needs non-negative flows")
    X = X_nij.sum(axis=1)
    pi = np.zeros_like(X_nij)
    has = X > 0
    pi[:] = np.divide(X_nij, X[:, None, :], out=np.zeros_like(X_nij), where=has[:, None, :])
    n_idx, j_idx = np.nonzero(~has)
    pi[n_idx, n_idx, j_idx] = 1.0
    costs = inputs.sum(axis=1)  # (N, J)
    va = Y - costs
    scale = np.maximum(Y, 1.0)
    if (va < -1e-6 * scale).any():
        bad = np.argwhere(va < -1e-6 * scale)[0]
        raise DataError(
            f"inputs exceed output for {countries[bad[0]]} sector {sectors[bad[1]]}; the table is not balanced"
        )
    va = np.maximum(va, 0.0)
    pos = Y > 0
    gamma_va = np.where(pos, np.divide(va, Y, out=np.ones_like(Y), where=pos), 1.0)
    gamma_io = np.where(pos[:, None, :], np.divide(inputs, Y[:, None, :], out=np.zeros_like(inputs), where=pos[:, None, :]), 0.0)
    I = final.sum(axis=1)
    if (I <= 0).any():
        bad = countries[int(np.argmax(I <= 0))]
        raise DataError(f"country {bad} has no final demand in the table; it cannot be modelled")
    alpha = final / I[:, None]
    VA = va.sum(axis=1)
    D = I - VA
    domestic = np.einsum("nnj->j", X_nij)
    world = X.sum(axis=0)
    cross = 1.0 - np.divide(domestic, world, out=np.ones_like(world), where=world > 0)
    tradable = cross >= nontradable_threshold
    return Baseline(
        countries=tuple(countries), sectors=tuple(sectors), pi=pi, X=X, Y=Y, gamma_va=gamma_va,
        gamma_io=gamma_io, alpha=alpha, VA=VA, D=D, I=I, tradable=tradable, year=year,
        source=source, approximate=approximate,
    )


def baseline_from_iotable(table: IOTable, *, nontradable_threshold: float = 0.005) -> Baseline:
    """Calibrate the model's baseline from an input-output table.

    ``X_nij = sum_k Z[(i,j),(n,k)] + F[(i,j), n]``; output ``Y = x``; input shares from
    the columns of ``Z``; final-demand shares from ``F`` (whose destination split is
    approximate in the offline bundle: ``table.approximate``).

    Raises
    ------
    DataError
        The table is not balanced or holds negative or missing values.
    """
    N, J = table.n_countries, table.n_sectors
    Z4 = np.asarray(table.Z, dtype=float).reshape(N, J, N, J)  # [i, j, n, k]
    F3 = np.asarray(table.F, dtype=float).reshape(N, J, N)  # [i, j, n]
    X_nij = (Z4.sum(axis=3) + F3).transpose(2, 0, 1)  # [n, i, j]
    inputs = Z4.sum(axis=0).transpose(1, 0, 2)  # [k, n, j] -> [n, k, j]
    final = F3.sum(axis=0).T  # [n, j]
    Y = table.x.reshape(N, J)
    return baseline_from_flows(
        X_nij, inputs, Y, final, countries=table.countries, sectors=table.sectors,
        nontradable_threshold=nontradable_threshold, year=table.year, source=table.source,
        approximate=table.approximate,
    )
