"""Store-backed exposure: read what the pure exposure functions need, and cache the
expensive value-chain model on disk.

The value-chain model (one LU factorisation of ``I - A`` for 4,000 nodes) takes seconds;
it is saved under ``<cache>/value_chain/`` keyed by the store file, the ICIO year and the
provenance of that year's load (source, sha256, load time), so a rebuilt or re-imported
table invalidates it. Writes are atomic (temporary file, then rename).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geohedge.views.cache import cache_path, read_arrays, write_arrays
from geohedge.data.queries import query_coverage, query_icio_year, query_iotable
from geohedge.data.store import Store
from geohedge.errors import InputError
from geohedge.exposure.trade import (
    DEFAULT_BLOCS,
    bloc_of,
    bloc_table,
    concentration_summary,
    partner_table,
    sector_destinations,
)
from geohedge.exposure.value_chain import (
    ValueChainModel,
    value_added_by_bloc,
    value_added_by_sector,
    value_added_exposure,
    value_chain_model,
)

__all__ = ["BYS", "CHANNELS", "ExposureView", "exposure_view", "icio_country_check", "query_trade_rows", "query_value_chain", "sector_names", "trade_years"]

_ARRAYS = ("B", "E", "VAD", "va")


def query_value_chain(
    store: Store, year: int | None = None, *, progress: Callable[[str, int, int], None] | None = None, use_cache: bool = True
) -> ValueChainModel:
    """The value-chain model of one ICIO year (default: the latest), from the disk cache when valid.

    Raises
    ------
    InputError
        No input-output table for that year (the message lists the available years).
    """
    year = query_icio_year(store, year)
    path = cache_path(store, "value_chain", year)
    z = read_arrays(path) if use_cache else None
    if z is not None:
        meta = z["meta"].tolist()
        return ValueChainModel(
            countries=tuple(z["countries"].tolist()), sectors=tuple(z["sectors"].tolist()), year=int(meta[0]),
            approximate=meta[1] == "1", source=str(meta[2]), **{k: z[k] for k in _ARRAYS},
        )
    model = value_chain_model(query_iotable(store, year), progress=progress)
    if use_cache:
        write_arrays(path, {
            "countries": np.array(model.countries), "sectors": np.array(model.sectors),
            "meta": np.array([str(model.year), "1" if model.approximate else "0", model.source]),
            **{k: getattr(model, k) for k in _ARRAYS},
        })
    return model


def icio_country_check(store: Store, iso3: str, year: int) -> None:
    """Raise a helpful error if a country is not a separate region of the ICIO table.

    Raises
    ------
    InputError
        Naming the datasets that do cover the country.
    """
    found = store.run("SELECT count(*) FROM icio_countries WHERE code = ?", [iso3])[0][0]
    if found:
        return
    cov = query_coverage(store, iso3)
    covered = sorted(set(cov["dataset"])) if not cov.empty else []
    where = f"; datasets that cover it: {', '.join(covered)} (try --channel materials)" if covered else "; no loaded dataset covers it"
    raise InputError(f"{iso3} is not a separate country in the ICIO {year} table (80 countries, the rest of the world is not modelled){where}")


def trade_years(store: Store, dataset: str) -> list[int]:
    """Years of a trade dataset in the store."""
    return [r[0] for r in store.run("SELECT DISTINCT year FROM trade WHERE dataset = ? ORDER BY year", [dataset])]


def query_trade_rows(store: Store, iso3: str, dataset: str, years: list[int] | None = None) -> pd.DataFrame:
    """Canonical trade rows with ``iso3`` as exporter or importer (``year, exporter, importer,
    product, value_usd, quantity_t``), for some or all years of one dataset.

    Raises
    ------
    InputError
        A requested year is not in the dataset (the message lists the years there are).
    """
    have = trade_years(store, dataset)
    if not have:
        raise InputError(f"no {dataset} trade in the store; run 'geohedge data build'")
    if years is not None:
        bad = [y for y in years if y not in have]
        if bad:
            raise InputError(f"no {dataset} trade for {bad[0]}; available years: {_span(have)}")
    where, params = "dataset = ? AND (exporter = ? OR importer = ?)", [dataset, iso3, iso3]
    if years is not None:
        where += f" AND year IN ({','.join('?' * len(years))})"
        params += years
    return store.query(f"SELECT year, exporter, importer, product, value_usd, quantity_t FROM trade WHERE {where}", params)


def sector_names(store: Store) -> dict[str, str]:
    """ICIO sector code → name."""
    return dict(store.run("SELECT code, name FROM icio_sectors ORDER BY position"))


def _span(years: list[int]) -> str:
    runs, start = [], years[0]
    for a, b in zip(years, years[1:] + [None], strict=True):
        if b != a + 1 if b is not None else True:
            runs.append(f"{start}" if start == a else f"{start}-{a}")
            if b is not None:
                start = b
    return ", ".join(runs)


# --- views: one table per (channel, by), shared by the CLI, the brief and the API ---------

CHANNELS = ("trade", "value-added", "materials")
BYS = ("partner", "bloc", "sector", "year")


@dataclass(frozen=True, eq=False)
class ExposureView:
    """One exposure table with what a reader needs to trust it.

    ``caption`` states unit, year and source; ``notes`` the approximations; ``summary``
    one-line findings (concentration, totals).
    """

    channel: str
    by: str
    country: str
    year: int | None
    frame: pd.DataFrame
    caption: str
    notes: tuple[str, ...] = ()
    summary: tuple[str, ...] = ()


_APPROX = ("ICIO bundle: final demand is split across destinations in proportion to each seller's "
           "intermediate sales (approximate; load the official ICIO CSV for the exact split)")


def exposure_view(
    store: Store,
    iso3: str,
    *,
    channel: str = "trade",
    by: str = "partner",
    year: int | None = None,
    dataset: str = "icio",
    blocs: Sequence[str] = DEFAULT_BLOCS,
    extra: Mapping | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> ExposureView:
    """Build one exposure table for a country (see the module docstring for the sources).

    Parameters
    ----------
    channel
        ``trade`` (direct exports/imports), ``value-added`` (TiVA measures from the ICIO
        Leontief inverse) or ``materials`` (GeoPolRisk supply risk of raw materials).
    by
        ``partner``, ``bloc``, ``sector`` (ICIO sector or HS6 product) or ``year`` (trend of
        bloc shares and concentration; trade channel only).
    dataset
        Trade channel source: ``icio`` (all goods and services, 2022) or ``baci_raw``
        (74 raw-material HS6 products, 1995-2024).

    Raises
    ------
    InputError
        Unknown channel/by/dataset, a year outside the data, a country the data do not cover,
        an unknown bloc.
    """
    if channel not in CHANNELS:
        raise InputError(f"unknown channel {channel!r}; use one of {', '.join(CHANNELS)}")
    if by not in BYS:
        raise InputError(f"unknown --by {by!r}; use one of {', '.join(BYS)}")
    bloc_of(["USA"], blocs, extra)  # validates the bloc list before any work
    if channel == "trade":
        return _trade_view(store, iso3, by, year, dataset, blocs, extra)
    if channel == "value-added":
        return _value_added_view(store, iso3, by, year, blocs, extra, progress)
    return _materials_view(store, iso3, by, year, blocs, extra)


def _trade_view(store, iso3, by, year, dataset, blocs, extra) -> ExposureView:
    if dataset not in ("icio", "baci_raw", "baci"):
        raise InputError(f"unknown trade dataset {dataset!r}; use icio (goods and services) or baci_raw (raw materials)")
    have = trade_years(store, dataset)
    if not have:
        raise InputError(f"no {dataset} trade in the store; run 'geohedge data build'")
    if dataset == "icio":
        icio_country_check(store, iso3, year or have[-1])
    if by == "year":
        rows = query_trade_rows(store, iso3, dataset)
    else:
        year = year or have[-1]
        rows = query_trade_rows(store, iso3, dataset, [year])
    if rows.empty:
        raise InputError(f"{iso3} has no {dataset} trade in {year}")
    partners = partner_table(rows, iso3)
    src = _trade_source(dataset)
    notes = (_APPROX,) if dataset == "icio" else ()
    conc = concentration_summary(partners)
    summary = tuple(
        f"{r.flow} {int(r.year)}: HHI {r.hhi:.3f} across {r.partners} partners; top-1 {r.top1_share:.1%}, top-3 {r.top3_share:.1%}"
        for r in conc[conc["year"] == conc["year"].max()].itertuples()
    )
    if by == "partner":
        frame = partners.copy()
        frame.insert(2, "bloc", frame["partner"].map(bloc_of(sorted(frame["partner"].unique()), blocs, extra)))
        caption = f"{iso3} exports and imports by partner, {year}, USD; {src}"
    elif by == "bloc":
        frame = bloc_table(partners, blocs, extra)
        caption = f"{iso3} exports and imports by bloc, {year}, USD; {src}"
    elif by == "sector":
        frame = sector_destinations(rows, iso3, "exports", blocs, extra, year=year)
        if dataset == "icio":
            frame.insert(2, "sector_name", frame["product"].map(sector_names(store)))
        frame = frame.rename(columns={"product": "sector" if dataset == "icio" else "hs6", "value_usd": "exports_usd"})
        caption = f"{iso3} exports by {'ICIO sector' if dataset == 'icio' else 'HS6 product'} and destination bloc, {year}, USD; {src}"
    else:
        ex = bloc_table(partners, blocs, extra)
        frame = ex.merge(conc.pivot_table(index="year", columns="flow", values="hhi").rename(columns=lambda f: f"{f}_hhi").reset_index(), on="year")
        caption = f"{iso3} trade by bloc and year, {min(have)}-{max(have)}, USD shares; HHI over partners; {src}"
        year = None
    return ExposureView("trade", by, iso3, year, frame, caption, notes, summary)


def _trade_source(dataset: str) -> str:
    return {
        "icio": "OECD ICIO 2025 release (all goods and services)",
        "baci_raw": "CEPII BACI HS92 V202401b, 74 raw-material HS6 products",
        "baci": "CEPII BACI HS92 (full release)",
    }[dataset]


def _value_added_view(store, iso3, by, year, blocs, extra, progress=None) -> ExposureView:
    if by == "year":
        raise InputError("--by year needs the trade channel (value added is for one ICIO year)")
    year = query_icio_year(store, year)
    icio_country_check(store, iso3, year)
    model = query_value_chain(store, year, progress=progress)
    exp = value_added_exposure(model, iso3)
    src = f"{exp.provenance.source}, USD million"
    notes = (_APPROX,) if exp.provenance.approximate else ()
    if by == "partner":
        frame = exp.to_frame().rename(columns={"country": "partner"})
        frame = frame[frame["partner"] != iso3].reset_index(drop=True)
        caption = (f"{iso3}: value added of each partner in its gross exports (TiVA EXGR_VA by source) and its own value "
                   f"added absorbed by each partner's final demand (TiVA FFD_DVA), {model.year}; {src}")
    elif by == "bloc":
        frame = value_added_by_bloc(exp, blocs, extra)
        caption = f"{iso3}: value-added exposure by bloc, {model.year}; {src}"
    else:
        frame = value_added_by_sector(exp, blocs, extra)
        frame.insert(1, "sector_name", frame["sector"].map(sector_names(store)))
        caption = f"{iso3}: where each sector's value added is absorbed (share of the sector's value added by final-demand bloc), {model.year}; {src}"
    return ExposureView("value-added", by, iso3, model.year, frame, caption, notes, (exp.summary(),))


def _materials_view(store, iso3, by, year, blocs, extra) -> ExposureView:
    try:
        from geohedge.views.materials import query_material_years, query_supply_risk
    except ImportError as exc:  # pragma: no cover - the module ships with geohedge
        raise InputError("critical-material supply risk is not available in this build") from exc
    if by in ("year", "sector"):
        raise InputError(f"--by {by} is not available for the materials channel; use material rows (--by partner) or --by bloc")
    years = query_material_years(store)
    if not years:
        raise InputError("no production data for materials in the store; run 'geohedge data build' again")
    year = year or years[-1]
    risk = query_supply_risk(store, iso3, year)
    src = "GeoPolRisk method; CEPII BACI HS92 V202401b imports (t), World Mining Data production, WGI political stability"
    if by == "partner":
        frame = risk.by_material()
        caption = f"{iso3}: critical-material supply risk by raw material, {year} (score = production HHI x import-weighted instability, 0-1); {src}"
    else:
        sup = risk.suppliers()
        mapping = bloc_of(sorted(sup["partner"].unique()), blocs, extra)
        sup = sup.assign(bloc=sup["partner"].map(mapping))
        frame = sup.pivot_table(index="material", columns="bloc", values="share", aggfunc="sum", fill_value=0.0)
        frame.columns = [f"{c.lower()}_share" for c in frame.columns]
        frame = frame.reset_index()
        caption = f"{iso3}: share of each raw material's imports (tonnes) by supplying bloc, {year}; {src}"
    return ExposureView("materials", by, iso3, year, frame, caption, (), (risk.summary(),))
