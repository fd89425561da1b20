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

__all__ = [
    "DEFAULT_BLOCS",
    "REST",
    "Flow",
    "bloc_labels",
    "bloc_of",
    "bloc_shares",
    "bloc_table",
    "concentration",
    "concentration_summary",
    "partner_shares",
    "partner_table",
    "sector_destinations",
]

Flow = Literal["exports", "imports"]

#: Default great-power blocs for exposure: codes resolvable by :func:`geohedge.countries.bloc`
#: or single countries; everything else is "rest of world".
DEFAULT_BLOCS: tuple[str, ...] = ("USA", "CHN", "EU27", "RUS", "JPN")
REST = "REST"


def _bloc_members(blocs: Sequence[str], extra: Mapping | None) -> list[tuple[str, set[str]]]:
    """Each requested bloc as (label, members): a bloc name keeps its code, a country its ISO3."""
    members: list[tuple[str, set[str]]] = []
    known = set(countries.bloc_names(extra))
    for b in blocs:
        key = b.strip().upper()
        if key in known:
            members.append((key, set(countries.bloc_members(key, extra=extra))))
        else:
            try:
                iso3 = countries.resolve(b)
            except InputError:
                raise InputError(f"unknown bloc {b!r}; use a bloc name ({', '.join(sorted(known))}) or a country code") from None
            members.append((iso3, {iso3}))
    return members


def bloc_labels(blocs: Sequence[str] = DEFAULT_BLOCS, extra: Mapping | None = None) -> list[str]:
    """The labels :func:`bloc_of` gives, in the order of ``blocs``, then ``REST``.

    Raises
    ------
    InputError
        A bloc entry is neither a known bloc nor a country.
    """
    return list(dict.fromkeys([*(label for label, _ in _bloc_members(blocs, extra)), REST]))


def bloc_of(partners: Sequence[str], blocs: Sequence[str] = DEFAULT_BLOCS, extra: Mapping | None = None) -> dict[str, str]:
    """Map partner ISO3 codes to the first bloc in ``blocs`` that contains them, else ``REST``.

    A bloc entry is a country code (a bloc of one) or a bloc name (``EU27``, ``ASEAN``, ...).

    Raises
    ------
    InputError
        A bloc entry is neither a known bloc nor a country.
    """
    members = _bloc_members(blocs, extra)
    return {p: next((name for name, m in members if p in m), REST) for p in partners}


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
    order = {b: k for k, b in enumerate(bloc_labels(blocs, extra))}
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



def partner_table(trade: pd.DataFrame, country: str, *, year: int | None = None) -> pd.DataFrame:
    """Exports and imports of a country side by side, by partner.

    Returns
    -------
    DataFrame
        ``year, partner, exports_usd, export_share, imports_usd, import_share`` (USD; shares
        of the country's total exports or imports that year), largest total trade first.
    """
    ex = partner_shares(trade, country, "exports", year=year).rename(columns={"value_usd": "exports_usd", "share": "export_share"})
    im = partner_shares(trade, country, "imports", year=year).rename(columns={"value_usd": "imports_usd", "share": "import_share"})
    out = ex.merge(im, on=["year", "partner"], how="outer")
    out[["exports_usd", "export_share", "imports_usd", "import_share"]] = out[
        ["exports_usd", "export_share", "imports_usd", "import_share"]
    ].fillna(0.0)  # a partner absent on one side traded nothing that way
    out["_t"] = out["exports_usd"] + out["imports_usd"]
    return out.sort_values(["year", "_t"], ascending=[True, False], ignore_index=True).drop(columns="_t")


def bloc_table(partners: pd.DataFrame, blocs: Sequence[str] = DEFAULT_BLOCS, extra: Mapping | None = None) -> pd.DataFrame:
    """:func:`partner_table` aggregated to blocs: ``year, bloc, exports_usd, export_share,
    imports_usd, import_share`` in the order of ``blocs`` then ``REST``."""
    ex = bloc_shares(partners, blocs, extra, value="exports_usd").rename(columns={"share": "export_share"})
    im = bloc_shares(partners, blocs, extra, value="imports_usd").rename(columns={"share": "import_share"})
    # both sides list every bloc (zeros kept), so a left merge keeps the bloc order
    return ex.merge(im, on=["year", "bloc"], how="left", sort=False)


def sector_destinations(
    trade: pd.DataFrame,
    country: str,
    flow: Flow = "exports",
    blocs: Sequence[str] = DEFAULT_BLOCS,
    extra: Mapping | None = None,
    *,
    year: int | None = None,
) -> pd.DataFrame:
    """Where each product's (or sector's) exports go, or where its imports come from, by bloc.

    Returns
    -------
    DataFrame
        ``year, product, value_usd, share_of_total`` and one ``<bloc>_share`` column per
        bloc (lower case, plus ``rest_share``): the share of that product's flow with each
        bloc; rows sum to 1 across the bloc columns. Largest products first.
    """
    rows = _flows(trade, country, flow, year)
    mapping = bloc_of(sorted(rows["partner"].unique()), blocs, extra)
    rows = rows.assign(bloc=rows["partner"].map(mapping))
    wide = rows.pivot_table(index=["year", "product"], columns="bloc", values="value_usd", aggfunc="sum", fill_value=0.0)
    names = bloc_labels(blocs, extra)
    for b in names:
        if b not in wide:
            wide[b] = 0.0
    wide = wide[names]
    total = wide.sum(axis=1)
    out = (wide.div(total, axis=0)).rename(columns=lambda b: f"{b.lower()}_share")
    out.insert(0, "value_usd", total)
    out = out.reset_index()
    out.insert(3, "share_of_total", out["value_usd"] / out.groupby("year")["value_usd"].transform("sum"))
    return out.sort_values(["year", "value_usd"], ascending=[True, False], ignore_index=True)


def concentration_summary(partners: pd.DataFrame) -> pd.DataFrame:
    """Export and import concentration per year from :func:`partner_table`:
    ``year, flow, partners, hhi, top1_share, top3_share, top5_share``."""
    frames = []
    for flow, col in (("exports", "exports_usd"), ("imports", "imports_usd")):
        c = concentration(partners[partners[col] > 0], value=col)
        c.insert(1, "flow", flow)
        frames.append(c)
    return pd.concat(frames, ignore_index=True).sort_values(["year", "flow"], ignore_index=True)
