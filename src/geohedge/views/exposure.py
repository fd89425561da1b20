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
    path = cache_path(store, "value_chain", year, "2")  # 2: destinations beyond the table (ROW)
    z = read_arrays(path) if use_cache else None
    if z is not None:
        meta = z["meta"].tolist()
        return ValueChainModel(
            countries=tuple(z["countries"].tolist()), sectors=tuple(z["sectors"].tolist()), year=int(meta[0]),
            approximate=meta[1] == "1", source=str(meta[2]), destinations=tuple(z["destinations"].tolist()),
            **{k: z[k] for k in _ARRAYS},
        )
    model = value_chain_model(query_iotable(store, year), progress=progress)
    if use_cache:
        write_arrays(path, {
            "countries": np.array(model.countries), "sectors": np.array(model.sectors),
            "destinations": np.array(model.destinations or model.countries),
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


_APPROX = ("ICIO bundle: part of the final-demand split across destinations is estimated "
           "(see docs/data.md); load the official ICIO CSV for the exact split")

#: Trade datasets the trade channel reads; ``None`` picks the series (see :func:`trade_series_plan`).
TRADE_DATASETS = ("icio_cubes", "baci_pairs", "icio", "baci_raw", "baci")

_SOURCES = {
    "icio_cubes": "OECD ICIO Extended 2023 edition, bilateral cubes (goods and services, sales incl. final demand, 81 regions incl. rest of world ROW)",
    "baci_pairs": "CEPII BACI 2023, goods only (reconciled mirror flows, origin basis; 194 countries, Taiwan not among them)",
    "icio": "OECD ICIO 2025 release, 50 sectors (final-demand destinations from the cubes; services sector detail estimated)",
    "baci_raw": "CEPII BACI HS92 V202401b, 74 raw-material HS6 products",
    "baci": "CEPII BACI HS92 (full release)",
}


def exposure_view(
    store: Store,
    iso3: str,
    *,
    channel: str = "trade",
    by: str = "partner",
    year: int | None = None,
    dataset: str | None = None,
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
        Trade channel source. Default (``None``): the trade series, ICIO bilateral cubes
        2011-2022 (goods and services, 81 regions) for the 80 ICIO countries, then CEPII
        BACI 2023 goods trade (194 countries; the only source for countries outside the
        ICIO). Or one dataset: ``icio_cubes``, ``baci_pairs``, ``icio`` (the 50-sector
        2022 table), ``baci_raw`` (74 raw-material HS6 products, 1995-2024), ``baci``.

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


def _exporter_years(store: Store, iso3: str, dataset: str) -> list[int]:
    return [r[0] for r in store.run(
        "SELECT DISTINCT year FROM trade WHERE dataset = ? AND (exporter = ? OR importer = ?) ORDER BY year", [dataset, iso3, iso3])]


def trade_series_plan(store: Store, iso3: str, year: int | None = None, *, every_year: bool = False) -> list[tuple[str, int]]:
    """Which dataset gives each year of a country's trade series: ``[(dataset, year), ...]``.

    ICIO bilateral cubes for 2011-2022 when the country is one of their regions, BACI 2023
    for 2023 (and for every country outside the ICIO). Without ``year`` (and not
    ``every_year``) the default year is the latest ICIO year for an ICIO country (the
    concept of the value-chain model and the shock baseline), else the latest BACI year.

    Raises
    ------
    InputError
        No trade series covers the country or the year (the message lists what does).
    """
    cubes = _exporter_years(store, iso3, "icio_cubes")
    pairs = _exporter_years(store, iso3, "baci_pairs")
    plan = [("icio_cubes", y) for y in cubes] + [("baci_pairs", y) for y in pairs if y not in cubes]
    if not plan:
        cov = query_coverage(store, iso3)
        covered = sorted(set(cov["dataset"])) if not cov.empty else []
        if not store.run("SELECT count(*) FROM trade WHERE dataset IN ('icio_cubes', 'baci_pairs')")[0][0]:
            raise InputError("the store has no trade series (ICIO cubes, BACI 2023); run 'geohedge data build'")
        where = f"; datasets that cover it: {', '.join(covered)}" if covered else "; no loaded dataset covers it"
        raise InputError(f"{iso3} is in neither the ICIO cubes (80 countries) nor BACI 2023 (194 countries){where}")
    if every_year:
        return plan
    if year is None:
        return [plan[len(cubes) - 1]] if cubes else [plan[-1]]
    hit = [p for p in plan if p[1] == year]
    if not hit:
        raise InputError(f"no trade for {iso3} in {year}; years held: {_span([p[1] for p in plan])} "
                         "(ICIO cubes 2011-2022, BACI 2023)")
    return hit


def _trade_view(store, iso3, by, year, dataset, blocs, extra) -> ExposureView:
    if dataset is not None and dataset not in TRADE_DATASETS:
        raise InputError(f"unknown trade dataset {dataset!r}; use one of {', '.join(TRADE_DATASETS)} (default: the 2011-2023 series)")
    if dataset is None:
        plan = trade_series_plan(store, iso3, year, every_year=by == "year")
    else:
        have = trade_years(store, dataset)
        if not have:
            raise InputError(f"no {dataset} trade in the store; run 'geohedge data build'")
        if dataset == "icio":
            icio_country_check(store, iso3, year or have[-1])
        if year is not None and year not in have:
            raise InputError(f"no {dataset} trade for {year}; available years: {_span(have)}")
        plan = [(dataset, y) for y in have] if by == "year" else [(dataset, year or have[-1])]
    parts = []
    for ds in dict.fromkeys(d for d, _ in plan):
        rows = query_trade_rows(store, iso3, ds, [y for d, y in plan if d == ds])
        parts.append(rows.assign(dataset=ds))
    rows = pd.concat(parts, ignore_index=True)
    if rows.empty:
        raise InputError(f"{iso3} has no {plan[0][0]} trade in {plan[0][1]}")
    used = list(dict.fromkeys(d for d, _ in plan))
    year = plan[-1][1] if by != "year" else None
    partners = partner_table(rows.drop(columns="dataset"), iso3)
    src = "; ".join(f"{_span([y for d, y in plan if d == ds])}: {_SOURCES[ds]}" for ds in used)
    notes = [_APPROX] if "icio" in used and _icio_approximate(store) else []
    if "ROW" in set(partners["partner"]):
        notes.append("ROW is the ICIO's rest of the world (countries outside its 80), one aggregate partner")
    if len(used) > 1:
        notes.append("the series changes concept in 2023: ICIO (goods and services, sales by destination incl. final demand) "
                     "to BACI (goods only, customs-based mirror flows); compare shares across the break with care")
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
        frame = sector_destinations(rows.drop(columns="dataset"), iso3, "exports", blocs, extra, year=year)
        icio_like = used[0] in ("icio", "icio_cubes", "baci_pairs")
        if icio_like:
            names = {**sector_names(store), "SERV": "Services (aggregate)", "TOTAL": "All goods"}
            frame.insert(2, "sector_name", frame["product"].map(names))
        frame = frame.rename(columns={"product": "sector" if icio_like else "hs6", "value_usd": "exports_usd"})
        caption = f"{iso3} exports by {'sector' if icio_like else 'HS6 product'} and destination bloc, {year}, USD; {src}"
    else:
        ex = bloc_table(partners, blocs, extra)
        frame = ex.merge(conc.pivot_table(index="year", columns="flow", values="hhi").rename(columns=lambda f: f"{f}_hhi").reset_index(), on="year")
        frame.insert(1, "dataset", frame["year"].map(dict((y, d) for d, y in plan)))
        years = sorted({y for _, y in plan})
        caption = f"{iso3} trade by bloc and year, {_span(years)}, USD and shares; HHI over partners; {src}"
        summary = summary + _trend_lines(frame, years)
    return ExposureView("trade", by, iso3, year, frame, caption, tuple(notes), summary)


#: Reference year of trend statements: the last year before the first US-China tariff round (2018).
TREND_BASE_YEAR = 2017


def _trend_lines(frame: pd.DataFrame, years: list[int]) -> tuple[str, ...]:
    """Change of each bloc's export share since :data:`TREND_BASE_YEAR` (or the first year),
    within one dataset (a change of concept is not a trend), then the later years of any
    other dataset as levels."""
    ds = frame.drop_duplicates("year").set_index("year")["dataset"]
    years = [y for y in years if y in ds.index]  # a year without a row for this country (no trade recorded) has no share
    if not years:
        return ()
    y0 = TREND_BASE_YEAR if TREND_BASE_YEAR in years else years[0]
    same = [y for y in years if ds[y] == ds[y0]]
    y1 = same[-1]
    lines = []
    share = frame.set_index(["year", "bloc"])["export_share"]
    blocs = [b for b in dict.fromkeys(frame["bloc"]) if b != "REST"]
    if y1 != y0:
        parts = [f"{b} {share.get((y0, b), 0):.1%} -> {share.get((y1, b), 0):.1%} ({100 * (share.get((y1, b), 0) - share.get((y0, b), 0)):+.1f} pp)" for b in blocs]
        lines.append(f"export shares {y0} -> {y1} ({ds[y0]}): " + ", ".join(parts))
    for y in [y for y in years if y > y1 and ds[y] != ds[y0]]:
        lines.append(f"export shares {y} ({ds[y]}, another concept): " + ", ".join(f"{b} {share.get((y, b), 0):.1%}" for b in blocs))
    return tuple(lines)


def _icio_approximate(store: Store) -> bool:
    found = store.run("SELECT bool_or(approximate) FROM provenance WHERE dataset = 'icio' AND table_name = 'icio_final'")
    return bool(found and found[0][0])


def _trade_source(dataset: str) -> str:
    return _SOURCES[dataset]


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
