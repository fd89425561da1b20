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

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from geohedge.errors import DataError, InputError
from geohedge.iotable import IOTable

__all__ = ["SECTOR_GROUPS", "Baseline", "baseline_from_arrays", "baseline_from_flows", "baseline_from_iotable", "sector_group", "tradable_sectors"]

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
    theta
        (J,) trade elasticities to use when a solve is not given any (``None``: the
        scenario or the caller gives them).
    exact
        ``False`` when the data are not an equilibrium of the model (e.g. final-demand
        shares clipped at zero, CP2015's convention); solves then first re-solve the
        baseline with no shock so that changes are measured from a model equilibrium.
    notes
        What the calibration did that a reader should know.
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
    theta: np.ndarray | None = None
    exact: bool = True
    notes: tuple[str, ...] = ()

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


def tradable_sectors(X_nij: np.ndarray, threshold: float = 0.005) -> np.ndarray:
    """(J,) bool: the sector's cross-border purchases are at least ``threshold`` of world
    purchases (``X_nij`` (N, N, J) [importer, exporter, sector])."""
    domestic = np.einsum("nnj->j", X_nij)
    world = X_nij.sum(axis=(0, 1))
    cross = 1.0 - np.divide(domestic, world, out=np.ones_like(world), where=world > 0)
    return cross >= threshold


def _check(name: str, arr: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    arr = np.asarray(arr, dtype=float)
    if arr.shape != shape:
        raise InputError(f"{name} must have shape {shape}, got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise DataError(f"{name} contain NaN or infinite values; fix the input arrays")
    return arr


def baseline_from_arrays(
    trade: np.ndarray | None = None,
    *,
    shares: np.ndarray | None = None,
    expenditure: np.ndarray | None = None,
    gamma_va: np.ndarray | None = None,
    gamma_io: np.ndarray | None = None,
    alpha: np.ndarray | None = None,
    tau: np.ndarray | None = None,
    theta: np.ndarray | None = None,
    countries: Sequence[str] | None = None,
    sectors: Sequence[str] | None = None,
    nontradable_threshold: float = 0.005,
    year: int = 0,
    source: str = "",
    approximate: bool = False,
    tariff_source: str = "",
    notes: Sequence[str] = (),
    tradable: np.ndarray | None = None,
) -> Baseline:
    """The model's baseline of any economy from arrays (the public constructor).

    Give bilateral flows either as ``trade`` (exporter receipts ``T[n, i, j]``, domestic
    sales on the diagonal) or as expenditure ``shares`` ``pi[n, i, j]`` (importer prices,
    summing to 1 over ``i``) with ``expenditure`` ``X[n, j]``. Then, with
    ``X_nij = T (1 + tau)``:

    - output ``Y[i, j] = sum_n T[n, i, j]``; value added ``VA[n] = sum_j gamma_va Y``;
      tariff revenue ``R[n] = sum tau T``; the deficit is imports less exports at
      exporter prices, ``D[n] = sum_ij T[n, i, j] - sum_mj T[m, n, j]``; income
      ``I = VA + R + D`` (CP2015 eqs. 4-5 and 14);
    - final-demand shares: ``alpha`` as given, or, when ``None``, from market clearing,
      ``alpha[n, j] = (X[n, j] - sum_k gamma_io[n, j, k] Y[n, k]) / I[n]`` with negative
      values set to 0 and the rest renormalised (CP2015's replication code); the baseline
      is then flagged ``exact=False`` when that changed anything.

    Deficits follow from the flows; how they behave in a counterfactual (held fixed, set
    to zero, or proportional to value added: the ``E = phi * Y`` convention of structural
    gravity) is the solve's ``deficits`` rule. :func:`baseline_from_iotable` (the ICIO
    path) ends here too.

    Parameters
    ----------
    trade
        (N, N, J) [importer, exporter, sector], exporter prices (any money unit).
    shares, expenditure
        (N, N, J) and (N, J), instead of ``trade``.
    gamma_va
        (N, J) value-added share of output; default 1 (no intermediate inputs).
    gamma_io
        (N, J, J) ``gamma_io[n, k, j]``: sector-k inputs per unit of sector-j output (cost
        shares at importer prices); default 0. ``gamma_va + gamma_io.sum(axis=1) == 1``.
    alpha
        (N, J) final-demand shares (rows sum to 1), or ``None`` (derived, see above).
    tau
        (N, N, J) baseline ad valorem tariffs (fractions; the diagonal is ignored).
    theta
        (J,) trade elasticities kept as the baseline's default.
    countries, sectors
        Labels (default ``C0..``, ``S0..``).
    tradable
        (J,) bool, to override the rule "cross-border share of world spending at least
        ``nontradable_threshold``".

    Raises
    ------
    InputError
        Shapes disagree, neither or both of ``trade`` and ``shares`` given, cost shares
        that do not sum to one, tariffs at or below -100%, elasticities not positive.
    DataError
        Negative or missing flows, or a country with no income.
    """
    if (trade is None) == (shares is None):
        raise InputError("give the bilateral flows either as trade (N, N, J) or as shares with expenditure, not both or neither")
    if trade is not None:
        T = np.asarray(trade, dtype=float)
        if T.ndim != 3 or T.shape[0] != T.shape[1]:
            raise InputError(f"trade must have shape (N, N, J) [importer, exporter, sector], got {T.shape}")
    else:
        P = np.asarray(shares, dtype=float)
        if P.ndim != 3 or P.shape[0] != P.shape[1]:
            raise InputError(f"shares must have shape (N, N, J) [importer, exporter, sector], got {P.shape}")
        if expenditure is None:
            raise InputError("shares need expenditure (N, J): each importer's spending on each sector at importer prices")
    N, _, J = (T if trade is not None else P).shape
    tau = np.zeros((N, N, J)) if tau is None else _check("baseline tariffs", tau, (N, N, J)).copy()
    if (tau <= -1).any():
        raise InputError("baseline tariffs must be above -100%")
    d = np.arange(N)
    tau[d, d, :] = 0.0
    if trade is None:
        P = _check("shares", P, (N, N, J))
        Xe = _check("expenditure", expenditure, (N, J))
        if (P < 0).any() or (Xe < 0).any():
            raise DataError("shares and expenditure must be non-negative")
        sums = P.sum(axis=1)
        bad = (Xe > 0) & (np.abs(sums - 1.0) > 1e-9)
        if bad.any():
            n, j = np.argwhere(bad)[0]
            raise InputError(f"shares of importer {n} in sector {j} sum to {sums[n, j]:.6g}, not 1")
        T = P * Xe[:, None, :] / (1.0 + tau)
    T = _check("trade flows", T, (N, N, J))
    if (T < 0).any():
        raise DataError(f"trade flows contain {(T < 0).sum()} negative values; the model needs non-negative flows")
    countries = tuple(countries) if countries is not None else tuple(f"C{k}" for k in range(N))
    sectors = tuple(sectors) if sectors is not None else tuple(f"S{k}" for k in range(J))
    if len(countries) != N or len(sectors) != J:
        raise InputError(f"{len(countries)} country and {len(sectors)} sector labels for arrays of {N} countries and {J} sectors")
    gamma_va = np.ones((N, J)) if gamma_va is None else _check("gamma_va", gamma_va, (N, J))
    gamma_io = np.zeros((N, J, J)) if gamma_io is None else _check("gamma_io", gamma_io, (N, J, J))
    if (gamma_va < 0).any() or (gamma_io < 0).any():
        raise InputError("value-added and input shares must be non-negative (set a negative input share to 0 and renormalise)")
    total = gamma_va + gamma_io.sum(axis=1)
    if np.abs(total - 1.0).max() > 1e-6:
        n, j = np.unravel_index(np.argmax(np.abs(total - 1.0)), total.shape)
        raise InputError(f"cost shares of {countries[n]} sector {sectors[j]} sum to {total[n, j]:.6g}: gamma_va + sum_k gamma_io must be 1")
    X_nij = T * (1.0 + tau)
    X = X_nij.sum(axis=1)
    Y = T.sum(axis=0)
    VA = (gamma_va * Y).sum(axis=1)
    R = (tau * T).sum(axis=(1, 2))
    D = T.sum(axis=(1, 2)) - T.sum(axis=(0, 2))
    I = VA + R + D
    if (I <= 0).any():
        bad = countries[int(np.argmax(I <= 0))]
        raise DataError(f"country {bad} has no income (value added + tariff revenue + deficit <= 0); it cannot be modelled")
    notes = list(notes)
    final = X - np.einsum("njk,nk->nj", gamma_io, Y)
    if alpha is None:
        neg = final < 0
        a = np.maximum(final, 0.0)
        alpha = a / np.where(a.sum(axis=1, keepdims=True) > 0, a.sum(axis=1, keepdims=True), 1.0)
        if neg.any():
            notes.append(f"{int(neg.sum())} final-demand shares implied by the data were negative and set to 0 (CP2015's convention); "
                         "solves re-solve the baseline first")
    else:
        alpha = _check("alpha", alpha, (N, J))
        if (alpha < 0).any() or np.abs(alpha.sum(axis=1) - 1.0).max() > 1e-9:
            raise InputError("final-demand shares alpha must be non-negative and sum to 1 for each country")
    if theta is not None:
        theta = _check("theta", theta, (J,))
        if (theta <= 0).any():
            raise InputError(f"trade elasticities must be positive; got {theta[theta <= 0][:3]}")
    residual = np.abs(final - alpha * I[:, None]).max() / max(X.sum(), 1e-300)
    exact = bool(residual < 1e-9)
    if not exact and not any("re-solve" in n for n in notes):
        notes.append(f"the flows are not an equilibrium of the model (expenditure residual {residual:.2g}); solves re-solve the baseline first")
    pi = np.divide(X_nij, X[:, None, :], out=np.zeros_like(X_nij), where=X[:, None, :] > 0)
    n_idx, j_idx = np.nonzero(X <= 0)
    pi[n_idx, :, j_idx] = 0.0
    pi[n_idx, n_idx, j_idx] = 1.0
    if tradable is None:
        tradable = tradable_sectors(X_nij, nontradable_threshold)
    else:
        tradable = np.asarray(tradable, bool)
        if tradable.shape != (J,):
            raise InputError(f"tradable must have one flag per sector ({J}), got shape {tradable.shape}")
    return Baseline(
        countries=countries, sectors=sectors, pi=pi, X=X, Y=Y, gamma_va=gamma_va, gamma_io=gamma_io, alpha=alpha,
        VA=VA, D=D, I=I, tradable=tradable, year=year, source=source, approximate=approximate,
        tau=tau, tariff_source=tariff_source, theta=theta, exact=exact, notes=tuple(notes),
    )



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
    tradable: np.ndarray | None = None,
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
    X = (T * (1.0 + tau)).sum(axis=1)
    basic = T.sum(axis=1)
    markup = np.divide(X, basic, out=np.ones_like(X), where=basic > 0)  # average tariff factor of n on j
    inputs_p = np.asarray(inputs, dtype=float) * markup[:, :, None]
    final_p = np.asarray(final, dtype=float) * markup
    costs = inputs_p.sum(axis=1)  # (N, J)
    va = Y - costs
    scale = np.maximum(Y, 1.0)
    if (va < -1e-6 * scale).any():
        bad = np.argwhere(va < -1e-6 * scale)[0]
        raise DataError(
            f"inputs exceed output for {countries[bad[0]]} sector {sectors[bad[1]]}"
            + (" once baseline tariffs are paid on them" if tau.any() else "") + "; the table is not balanced"
        )
    pos = Y > 0
    gamma_io = np.where(pos[:, None, :], np.divide(inputs_p, Y[:, None, :], out=np.zeros_like(inputs_p), where=pos[:, None, :]), 0.0)
    over = gamma_io.sum(axis=1)
    gamma_io /= np.where(over > 1.0, over, 1.0)[:, None, :]  # rounding: inputs at most equal to output
    gamma_va = np.where(pos, 1.0 - gamma_io.sum(axis=1), 1.0)
    I = final_p.sum(axis=1)
    if (I <= 0).any():
        bad = countries[int(np.argmax(I <= 0))]
        raise DataError(f"country {bad} has no final demand in the table; it cannot be modelled")
    return baseline_from_arrays(
        T, gamma_va=gamma_va, gamma_io=gamma_io, alpha=final_p / I[:, None], tau=tau, countries=countries, sectors=sectors,
        nontradable_threshold=nontradable_threshold, year=year, source=source, approximate=approximate, tariff_source=tariff_source,
        tradable=tradable,
    )


def baseline_from_iotable(
    table: IOTable,
    *,
    tau: np.ndarray | None = None,
    tariff_source: str = "",
    nontradable_threshold: float = 0.005,
    rest_of_world: str = "fold",
) -> Baseline:
    """Calibrate the model's baseline from an input-output table.

    ``T_nij = sum_k Z[(i,j),(n,k)] + F[(i,j), n]`` (exporter prices); output ``Y = x``; input
    shares from the columns of ``Z``; final-demand shares from ``F``; final sales to regions
    outside the table (``table.final_regions``) folded into the table's countries in
    proportion to each seller's foreign sales among them (module docstring).

    Parameters
    ----------
    tau
        (N, N, J) baseline tariffs ``[importer, exporter, sector]`` (fractions), or ``None``;
        with ``rest_of_world="region"`` it may be (N+1, N+1, J), ``ROW`` last.
    rest_of_world
        What to do with sales to regions outside the table (the bundle's ``ROW``):
        ``"fold"`` (default) adds them to each seller's sales to the table's countries in
        proportion to its foreign sales there (a closed world of the table's countries;
        bilateral flows are then larger than the data: Malaysia's by about 6%);
        ``"region"`` keeps them as purchases of an extra region ``ROW`` that only buys:
        its spending by sector is fixed in the numeraire (world value added), it chooses
        among suppliers like any importer (its sourcing responds to prices) and runs a
        deficit equal to its purchases, since the table records nothing it sells. Flows
        among the table's countries are then exactly the data's.

    Raises
    ------
    DataError
        The table is not balanced or holds negative or missing values.
    InputError
        ``rest_of_world`` is neither "fold" nor "region".
    """
    if rest_of_world not in ("fold", "region"):
        raise InputError(f"rest_of_world {rest_of_world!r} is not understood; use 'fold' or 'region'")
    N, J = table.n_countries, table.n_sectors
    Z4 = np.asarray(table.Z, dtype=float).reshape(N, J, N, J)  # [i, j, n, k]
    Fall = np.asarray(table.F, dtype=float).reshape(N, J, -1)  # [i, j, m]
    F3 = Fall[:, :, :N].copy()  # [i, j, n]
    outside = Fall[:, :, N:].sum(axis=2)  # [i, j]: sales to regions outside the table
    T_ijn = Z4.sum(axis=3) + F3  # [i, j, n] at exporter prices
    countries = table.countries
    tradable = None
    if rest_of_world == "region":
        # which sectors cross borders is a property of the table's countries' trade
        tradable = tradable_sectors(T_ijn.transpose(2, 0, 1), nontradable_threshold)
        # ROW as an (N+1)-th region that buys what the table records as its final demand
        T_ijn = np.concatenate([T_ijn, outside[:, :, None]], axis=2)
        T_ijn = np.concatenate([T_ijn, np.zeros((1, J, N + 1))], axis=0)
        Z4 = np.concatenate([Z4, np.zeros((N, J, 1, J))], axis=2)
        Z4 = np.concatenate([Z4, np.zeros((1, J, N + 1, J))], axis=0)
        F3 = np.concatenate([F3, outside[:, :, None]], axis=2)
        F3 = np.concatenate([F3, np.zeros((1, J, N + 1))], axis=0)
        countries = (*countries, "ROW")
        N += 1
        if tau is not None and np.shape(tau) == (N - 1, N - 1, J):
            tau = np.pad(np.asarray(tau, dtype=float), ((0, 1), (0, 1), (0, 0)))
    elif outside.any():
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
    Y = X_nij.sum(axis=0)
    return baseline_from_flows(
        X_nij, inputs, Y, final, countries=countries, sectors=table.sectors, tau=tau,
        nontradable_threshold=nontradable_threshold, year=table.year, source=table.source,
        approximate=table.approximate, tariff_source=tariff_source, tradable=tradable,
    )
