"""Value-chain exposure from an inter-country input-output table (OECD TiVA definitions).

Two questions, for any country c in the table:

- *Whose value added do our exports carry?* Value added of each source country s in the
  gross exports of c, ``EXGR_VA[s, c] = G[s] diag(v) L e_c`` (TiVA EXGR_DVA for s = c,
  EXGR_FVA summed over s != c; OECD, "Guide to OECD TiVA Indicators, 2023 edition").
- *Whose demand does our GDP depend on?* Value added of c absorbed by the final demand
  of each country d, ``FFD_VA[c, d] = G[c] diag(v) L F[:, d]`` (TiVA FFD_DVA for d != c).

Both come by exporting sector too. :func:`value_chain_model` does the expensive step
once for all countries (one LU factorisation of ``I - A``; see ``_kernels``);
:func:`value_added_exposure` then reads one country's slice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geohedge.errors import InputError
from geohedge.exposure import _kernels as K
from geohedge.exposure.results import Provenance, ValueAddedExposure
from geohedge.exposure.trade import DEFAULT_BLOCS, bloc_labels, bloc_of
from geohedge.iotable import IOTable

__all__ = [
    "DOMESTIC",
    "ValueChainModel",
    "value_added_by_bloc",
    "value_added_by_sector",
    "value_added_exposure",
    "value_chain_model",
]

#: Label of the home country in bloc aggregations.
DOMESTIC = "DOMESTIC"


@dataclass(frozen=True, eq=False)
class ValueChainModel:
    """Value-added flows for every country of one table (USD millions).

    Attributes
    ----------
    B
        (N, R): value added of each source country per unit of output of each node.
    E
        (R, M): gross exports of each node to each destination region.
    VAD
        (R, M): value added of each node absorbed by each region's final demand.
    va
        (R,): value added by node.
    destinations
        Labels of the M destination regions: the N countries, then any region outside
        the table (``ROW``: its purchases are final demand from the table's point of view).
    """

    countries: tuple[str, ...]
    sectors: tuple[str, ...]
    year: int
    B: np.ndarray
    E: np.ndarray
    VAD: np.ndarray
    va: np.ndarray
    approximate: bool
    source: str
    destinations: tuple[str, ...] = ()

    def country_index(self, iso3: str) -> int:
        try:
            return self.countries.index(iso3)
        except ValueError:
            raise InputError(f"{iso3} is not a separate country in the ICIO {self.year} table") from None


def value_chain_model(table: IOTable, progress: Callable[[str, int, int], None] | None = None) -> ValueChainModel:
    """Compute value-added origins and absorptions for all countries of a table.

    Cost: one LU factorisation of ``I - A`` (R = N*J nodes) and two multi-right-hand-side
    solves.
    """
    step = progress or (lambda *_: None)
    N, J = table.n_countries, table.n_sectors
    x = table.x
    step("technical coefficients", 0, 3)
    A = K.calc_A(table.Z, x)
    v = K.calc_v(A, x)
    step("Leontief factorisation", 1, 3)
    lu = K.leontief_lu(A)
    G = np.kron(np.eye(N), np.ones((1, J)))
    step("value-added flows", 2, 3)
    B = K.va_origin_matrix(lu, v, G)
    VAD = K.va_absorption(lu, v, table.F)
    E = K.exports_by_node(table.Z, table.F, N, J)
    step("done", 3, 3)
    return ValueChainModel(
        countries=table.countries, sectors=table.sectors, year=table.year, B=B, E=E, VAD=VAD,
        va=v * x, approximate=table.approximate, source=table.source, destinations=table.destinations,
    )


def value_added_exposure(model: ValueChainModel, country: str) -> ValueAddedExposure:
    """One country's value-chain exposure: VA origins of its exports and VA absorbed abroad.

    Parameters
    ----------
    model
        From :func:`value_chain_model`.
    country
        ISO3 code present in the table.

    Returns
    -------
    ValueAddedExposure
        Frames ``origins`` (``source, sector, va_usd_mn``: value added of ``source`` in the
        country's gross exports of ``sector``) and ``absorption`` (``partner, sector,
        va_usd_mn``: the country's value added in ``sector`` absorbed by final demand in
        ``partner``), with gross exports and GDP (value added) totals.

    Raises
    ------
    InputError
        The country is not a separate region of the table.
    """
    c = model.country_index(country)
    J = len(model.sectors)
    nodes = slice(c * J, (c + 1) * J)
    exports = model.E[nodes].sum(axis=1)  # (J,)
    origins = model.B[:, nodes] * exports[None, :]  # (N, J)
    absorbed = model.VAD[nodes]  # (J, N)
    src = np.repeat(np.asarray(model.countries), J)
    sec = np.tile(np.asarray(model.sectors), len(model.countries))
    origins_frame = pd.DataFrame({"source": src, "sector": sec, "va_usd_mn": origins.ravel()})
    dest = np.asarray(model.destinations or model.countries)
    absorption_frame = pd.DataFrame(
        {"partner": np.repeat(dest, J), "sector": np.tile(np.asarray(model.sectors), len(dest)), "va_usd_mn": absorbed.T.ravel()}
    )
    return ValueAddedExposure(
        country=country,
        gross_exports_usd_mn=float(exports.sum()),
        gdp_usd_mn=float(model.va[nodes].sum()),
        origins=origins_frame,
        absorption=absorption_frame,
        provenance=Provenance(source=model.source, year=model.year, unit="USD million", approximate=model.approximate),
    )


def _bloc_labels(exp: ValueAddedExposure, partners: pd.Series, blocs: Sequence[str], extra: Mapping | None) -> pd.Series:
    """Bloc of each partner, with the home country labelled ``DOMESTIC``."""
    mapping = bloc_of(sorted(set(partners)), blocs, extra)
    mapping[exp.country] = DOMESTIC
    return partners.map(mapping)


def value_added_by_bloc(
    exp: ValueAddedExposure, blocs: Sequence[str] = DEFAULT_BLOCS, extra: Mapping | None = None
) -> pd.DataFrame:
    """Both value-chain measures aggregated to blocs.

    Returns
    -------
    DataFrame
        ``bloc, va_in_exports_usd_mn, share_of_exports, va_absorbed_usd_mn, share_of_gdp``:
        value added of each bloc in the country's gross exports (``DOMESTIC`` is TiVA
        EXGR_DVA), and the country's value added absorbed by each bloc's final demand.
    """
    o = exp.origins.assign(bloc=_bloc_labels(exp, exp.origins["source"], blocs, extra))
    a = exp.absorption.assign(bloc=_bloc_labels(exp, exp.absorption["partner"], blocs, extra))
    src = o.groupby("bloc", as_index=False)["va_usd_mn"].sum().rename(columns={"va_usd_mn": "va_in_exports_usd_mn"})
    dst = a.groupby("bloc", as_index=False)["va_usd_mn"].sum().rename(columns={"va_usd_mn": "va_absorbed_usd_mn"})
    out = src.merge(dst, on="bloc", how="outer").fillna(0.0)
    out.insert(2, "share_of_exports", out["va_in_exports_usd_mn"] / exp.gross_exports_usd_mn)
    out["share_of_gdp"] = out["va_absorbed_usd_mn"] / exp.gdp_usd_mn
    rank = {b: k for k, b in enumerate([DOMESTIC, *bloc_labels(blocs, extra)])}
    return out.sort_values("bloc", key=lambda s: s.map(lambda b: rank.get(b, len(rank))), ignore_index=True)


def value_added_by_sector(
    exp: ValueAddedExposure, blocs: Sequence[str] = DEFAULT_BLOCS, extra: Mapping | None = None
) -> pd.DataFrame:
    """Where each sector's value added ends up: shares absorbed by each bloc's final demand.

    Returns
    -------
    DataFrame
        ``sector, va_usd_mn`` (the sector's value added, USD mn), ``foreign_share`` (share
        absorbed abroad), then one ``<bloc>_share`` column per bloc (lower case) and
        ``domestic_share``; the bloc and domestic shares of a row sum to 1. Sectors with the
        largest value absorbed abroad first.
    """
    a = exp.absorption.assign(bloc=_bloc_labels(exp, exp.absorption["partner"], blocs, extra))
    wide = a.pivot_table(index="sector", columns="bloc", values="va_usd_mn", aggfunc="sum", fill_value=0.0, sort=False)
    total = wide.sum(axis=1)
    names = [c for c in bloc_labels(blocs, extra) if c in wide]
    names += [c for c in wide.columns if c not in names and c != DOMESTIC]
    shares = wide.div(total.where(total > 0), axis=0).fillna(0.0)
    out = pd.DataFrame({"sector": wide.index, "va_usd_mn": total.to_numpy()})
    out["foreign_share"] = 1.0 - shares.get(DOMESTIC, 0.0).to_numpy() if DOMESTIC in shares else 1.0
    out.loc[total.to_numpy() <= 0, "foreign_share"] = 0.0
    for b in names:
        out[f"{b.lower()}_share"] = shares[b].to_numpy()
    out["domestic_share"] = shares[DOMESTIC].to_numpy() if DOMESTIC in shares else 0.0
    out["_abroad"] = out["va_usd_mn"] * out["foreign_share"]
    return out.sort_values("_abroad", ascending=False, ignore_index=True).drop(columns="_abroad")
