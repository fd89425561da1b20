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
``T_nij``      (N, N, J)    sales of exporter i to importer n in sector j at exporter
                            (basic) prices, USD mn: what the input-output table records
``tau``        (N, N, J)    baseline ad valorem tariffs (fractions); purchases at
                            importer prices are ``X_nij = T_nij * (1 + tau[n, i, j])``
``R``          (N,)         baseline tariff revenue ``sum_ij tau * T_nij``, USD mn
============== ============ ==========================================================

Index letters: n importer (buyer), i exporter (seller), j and k sectors.

Choices (see docs/shocks.md):

- Baseline tariffs (``tau``) are the applied rates the caller gives (the ICIO path: the
  cubes' Teti Global Tariff Database rates of the latest year up to the table's, 2021 for
  2022; zero for services). The table records flows at basic prices, i.e. exporter
  receipts ``T_nij``; importers pay ``T_nij (1 + tau)``. Intermediate and final purchases
  of sector j goods by country n are raised by n's average tariff factor on j,
  ``X[n, j] / sum_i T_nij``, so input shares and final-demand shares are at importer
  prices and value added is output less inputs at importer prices (CP2015's accounting);
  tariff revenue ``R`` is part of income and the deficit is ``D = I - VA - R``.
- Sales to a region outside the table (``IOTable.final_regions``, the bundle's ``ROW``)
  are folded into the table's countries in proportion to each seller's foreign sales
  among them (the model's world is closed; export shares among the table's countries are
  kept), which also restores world deficits summing to zero.
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
    tau
        (N, N, J) baseline ad valorem tariffs (fractions); zero when none were given.
    tariff_source
        Where the baseline tariffs come from (empty when zero).
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
    tau: np.ndarray | None = None
    tariff_source: str = ""

    def __post_init__(self) -> None:
        if self.tau is None:
            object.__setattr__(self, "tau", np.zeros_like(self.pi))

    @property
    def R(self) -> np.ndarray:
        """Baseline tariff revenue by country, USD mn: ``sum_ij tau/(1+tau) * X_nij``."""
        return (self.tau / (1.0 + self.tau) * self.trade()).sum(axis=(1, 2))

    @property
    def N(self) -> int:
        return len(self.countries)

    @property
    def J(self) -> int:
        return len(self.sectors)

    def trade(self) -> np.ndarray:
        """Baseline bilateral purchases at importer prices ``X_nij = pi[n, i, j] * X[n, j]``,
        shape (N, N, J), USD mn (exporter receipts are ``X_nij / (1 + tau)``)."""
        return self.pi * self.X[:, None, :]

    def country_index(self, code: str) -> int:
        try:
            return self.countries.index(code)
        except ValueError:
            raise InputError(f"country {code!r} is not a region of this table; regions: {', '.join(self.countries)}") from None

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays by name (for caching to ``.npz``)."""
        return {k: getattr(self, k) for k in ("pi", "X", "Y", "gamma_va", "gamma_io", "alpha", "VA", "D", "I", "tradable", "tau")}


def baseline_from_flows(
    X_nij: np.ndarray,
    inputs: np.ndarray,
    Y: np.ndarray,
    final: np.ndarray,
    *,
    countries: tuple[str, ...],
    sectors: tuple[str, ...],
    tau: np.ndarray | None = None,
    nontradable_threshold: float = 0.005,
    year: int = 0,
    source: str = "",
    approximate: bool = False,
    tariff_source: str = "",
) -> Baseline:
    """Calibrate from flows in model layout (used by :func:`baseline_from_iotable` and tests).

    Parameters
    ----------
    X_nij
        (N, N, J) sales of exporter i to importer n, sector j, at exporter prices
        (``T_nij`` in the notation table), USD mn.
    inputs
        (N, J, J) ``inputs[n, k, j]``: sector-k inputs (all origins) bought by sector j of n,
        at exporter prices.
    Y
        (N, J) gross output; must equal ``X_nij.sum(0)`` (sales of i, j to all buyers).
    final
        (N, J) final spending of country n on sector j (all origins), at exporter prices.
    tau
        (N, N, J) baseline ad valorem tariffs (fractions, ``tau[n, n, :]`` ignored); default zero.

    Raises
    ------
    DataError
        Negative flows, or costs above output (negative value added) beyond rounding.
    InputError
        ``tau`` has the wrong shape or values at or below -100%.
    """
    T = np.asarray(X_nij, dtype=float)
    for name, arr in (("trade flows", T), ("inputs", inputs), ("output", Y), ("final demand", final)):
        if not np.all(np.isfinite(arr)):
            raise DataError(f"{name} contain NaN or infinite values; the input-output table is corrupt - reload it")
        if (arr < 0).any():
            raise DataError(f"{name} contain {(arr < 0).sum()} negative values; the model needs non-negative flows")
    N, _, J = T.shape
    tau = np.zeros_like(T) if tau is None else np.array(tau, dtype=float)
    if tau.shape != T.shape:
        raise InputError(f"baseline tariffs must have shape {T.shape}, got {tau.shape}")
    if not np.all(np.isfinite(tau)) or (tau <= -1).any():
        raise InputError("baseline tariffs must be finite and above -100%")
    d = np.arange(N)
    tau[d, d, :] = 0.0
    X_nij = T * (1.0 + tau)  # purchases at importer prices
    X = X_nij.sum(axis=1)
    basic = T.sum(axis=1)
    markup = np.divide(X, basic, out=np.ones_like(X), where=basic > 0)  # average tariff factor of n on j
    inputs_p = np.asarray(inputs, dtype=float) * markup[:, :, None]
    final_p = np.asarray(final, dtype=float) * markup
    pi = np.zeros_like(X_nij)
    has = X > 0
    pi[:] = np.divide(X_nij, X[:, None, :], out=np.zeros_like(X_nij), where=has[:, None, :])
    n_idx, j_idx = np.nonzero(~has)
    pi[n_idx, n_idx, j_idx] = 1.0
    costs = inputs_p.sum(axis=1)  # (N, J)
    va = Y - costs
    scale = np.maximum(Y, 1.0)
    if (va < -1e-6 * scale).any():
        bad = np.argwhere(va < -1e-6 * scale)[0]
        raise DataError(
            f"inputs exceed output for {countries[bad[0]]} sector {sectors[bad[1]]}"
            + (" once baseline tariffs are paid on them" if tau.any() else "") + "; the table is not balanced"
        )
    va = np.maximum(va, 0.0)
    pos = Y > 0
    gamma_va = np.where(pos, np.divide(va, Y, out=np.ones_like(Y), where=pos), 1.0)
    gamma_io = np.where(pos[:, None, :], np.divide(inputs_p, Y[:, None, :], out=np.zeros_like(inputs_p), where=pos[:, None, :]), 0.0)
    I = final_p.sum(axis=1)
    if (I <= 0).any():
        bad = countries[int(np.argmax(I <= 0))]
        raise DataError(f"country {bad} has no final demand in the table; it cannot be modelled")
    alpha = final_p / I[:, None]
    VA = va.sum(axis=1)
    R = (tau * T).sum(axis=(1, 2))
    D = I - VA - R
    domestic = np.einsum("nnj->j", X_nij)
    world = X.sum(axis=0)
    cross = 1.0 - np.divide(domestic, world, out=np.ones_like(world), where=world > 0)
    tradable = cross >= nontradable_threshold
    return Baseline(
        countries=tuple(countries), sectors=tuple(sectors), pi=pi, X=X, Y=Y, gamma_va=gamma_va,
        gamma_io=gamma_io, alpha=alpha, VA=VA, D=D, I=I, tradable=tradable, year=year,
        source=source, approximate=approximate, tau=tau, tariff_source=tariff_source,
    )


def baseline_from_iotable(
    table: IOTable,
    *,
    tau: np.ndarray | None = None,
    tariff_source: str = "",
    nontradable_threshold: float = 0.005,
) -> Baseline:
    """Calibrate the model's baseline from an input-output table.

    ``T_nij = sum_k Z[(i,j),(n,k)] + F[(i,j), n]`` (exporter prices); output ``Y = x``; input
    shares from the columns of ``Z``; final-demand shares from ``F``; final sales to regions
    outside the table (``table.final_regions``) folded into the table's countries in
    proportion to each seller's foreign sales among them (module docstring).

    Parameters
    ----------
    tau
        (N, N, J) baseline tariffs ``[importer, exporter, sector]`` (fractions), or ``None``.

    Raises
    ------
    DataError
        The table is not balanced or holds negative or missing values.
    """
    N, J = table.n_countries, table.n_sectors
    Z4 = np.asarray(table.Z, dtype=float).reshape(N, J, N, J)  # [i, j, n, k]
    Fall = np.asarray(table.F, dtype=float).reshape(N, J, -1)  # [i, j, m]
    F3 = Fall[:, :, :N].copy()  # [i, j, n]
    outside = Fall[:, :, N:].sum(axis=2)  # [i, j]: sales to regions outside the table
    T_ijn = Z4.sum(axis=3) + F3  # [i, j, n] at exporter prices
    if outside.any():
        foreign = T_ijn.copy()
        d = np.arange(N)
        foreign[d, :, d] = 0.0
        tot = foreign.sum(axis=2, keepdims=True)
        share = np.divide(foreign, tot, out=np.zeros_like(foreign), where=tot > 0)
        share[d, :, d] = np.where(tot[:, :, 0] > 0, 0.0, 1.0)  # no foreign sales: keep at home
        add = share * outside[:, :, None]
        F3 += add
        T_ijn += add
    X_nij = T_ijn.transpose(2, 0, 1)  # [n, i, j]
    inputs = Z4.sum(axis=0).transpose(1, 0, 2)  # [k, n, j] -> [n, k, j]
    final = F3.sum(axis=0).T  # [n, j]
    Y = table.x.reshape(N, J)
    return baseline_from_flows(
        X_nij, inputs, Y, final, countries=table.countries, sectors=table.sectors, tau=tau,
        nontradable_threshold=nontradable_threshold, year=table.year, source=table.source,
        approximate=table.approximate, tariff_source=tariff_source,
    )
