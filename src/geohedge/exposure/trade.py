"""Direct trade exposure: partner and bloc shares of a country's exports and imports, and
how concentrated they are (Herfindahl-Hirschman index, top-k shares).

Inputs are canonical ``trade`` rows (``year, exporter, importer, product, value_usd``),
from ICIO (all goods and services) or BACI (HS6 goods); nothing here reads the store.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import pandas as pd

from geohedge import countries
from geohedge.errors import InputError
from geohedge.exposure import _kernels as K

__all__ = ["DEFAULT_BLOCS", "Flow", "bloc_of", "partner_shares", "bloc_shares", "concentration"]

Flow = Literal["exports", "imports"]

#: Default great-power blocs for exposure: codes resolvable by :func:`geohedge.countries.bloc`
#: or single countries; everything else is "rest of world".
DEFAULT_BLOCS: tuple[str, ...] = ("USA", "CHN", "EU27", "RUS", "JPN")
REST = "REST"


def bloc_of(partners: Sequence[str], blocs: Sequence[str] = DEFAULT_BLOCS, extra: Mapping | None = None) -> dict[str, str]:
    """Map partner ISO3 codes to the first bloc in ``blocs`` that contains them, else ``REST``.

    A bloc entry is a country code (a bloc of one) or a bloc name (``EU27``, ``ASEAN``, ...).

    Raises
    ------
    InputError
        A bloc entry is neither a known bloc nor a country.
    """
    members: list[tuple[str, set[str]]] = []
    for b in blocs:
        key = b.strip().upper()
        known = set(countries.bloc_names(extra))
        if key in known:
            members.append((key, set(countries.bloc_members(key, extra=extra))))
        else:
            try:
                iso3 = countries.resolve(b)
            except InputError:
                raise InputError(f"unknown bloc {b!r}; use a bloc name ({', '.join(sorted(known))}) or a country code") from None
            members.append((iso3, {iso3}))
    out = {}
    for p in partners:
        out[p] = next((name for name, m in members if p in m), REST)
    return out


def _flows(trade: pd.DataFrame, country: str, flow: Flow, year: int | None) -> pd.DataFrame:
    if flow not in ("exports", "imports"):
        raise InputError(f"flow must be 'exports' or 'imports', got {flow!r}")
    own, other = ("exporter", "importer") if flow == "exports" else ("importer", "exporter")
    rows = trade[(trade[own] == country) & (trade[other] != country)]
    if year is not None:
        rows = rows[rows["year"] == year]
    return rows.rename(columns={other: "partner"})


def partner_shares(trade: pd.DataFrame, country: str, flow: Flow = "exports", *, year: int | None = None) -> pd.DataFrame:
    """A country's exports (or imports) by partner and year, with shares.

    Returns
    -------
    DataFrame
        ``year, partner, value_usd, share`` (share of the country's total that year),
        largest first within each year.
    """
    rows = _flows(trade, country, flow, year)
    out = rows.groupby(["year", "partner"], as_index=False)["value_usd"].sum()
    out["share"] = out["value_usd"] / out.groupby("year")["value_usd"].transform("sum")
    return out.sort_values(["year", "value_usd"], ascending=[True, False], ignore_index=True)


def bloc_shares(
    shares: pd.DataFrame, blocs: Sequence[str] = DEFAULT_BLOCS, extra: Mapping | None = None, *, value: str = "value_usd"
) -> pd.DataFrame:
    """Aggregate a by-partner frame (``partner`` and ``value`` columns, any others kept as
    grouping keys if they are ``year``) to blocs: ``[year,] bloc, <value>, share``."""
    mapping = bloc_of(sorted(shares["partner"].unique()), blocs, extra)
    keys = [k for k in ("year",) if k in shares]
    out = shares.assign(bloc=shares["partner"].map(mapping)).groupby(keys + ["bloc"], as_index=False)[value].sum()
    total = out.groupby(keys)[value].transform("sum") if keys else out[value].sum()
    out["share"] = out[value] / total
    order = {b: k for k, b in enumerate([*(mapping.get(b, b) for b in blocs), REST])}
    order.update({b.strip().upper(): k for k, b in enumerate(blocs)})
    out["_o"] = out["bloc"].map(order)
    return out.sort_values(keys + ["_o"], ignore_index=True).drop(columns="_o")


def concentration(shares: pd.DataFrame, *, k: tuple[int, ...] = (1, 3, 5), value: str = "value_usd") -> pd.DataFrame:
    """Partner concentration per year: ``year, partners, hhi, top1_share, top3_share, ...``.

    HHI is ``sum(share^2)`` over partners, in [1/n, 1] (1 = a single partner).
    """
    rows = []
    groups = shares.groupby("year") if "year" in shares else [(None, shares)]
    for yr, g in groups:
        v = g[value].to_numpy(dtype=float)
        rec = {"year": yr, "partners": int((v > 0).sum()), "hhi": K.hhi(v)}
        rec.update({f"top{n}_share": K.top_k_share(v, n) for n in k})
        rows.append(rec)
    return pd.DataFrame(rows)

