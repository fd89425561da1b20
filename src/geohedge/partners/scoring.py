"""Partner scoring: which partners would reduce a home country's great-power exposure, by how
much within what they can absorb, and how far to trust them.

**The score, in one paragraph.** For home country ``h`` and partner ``p``, ``score_pp`` is the
fall in ``h``'s value-added great-power exposure that moving exports to ``p`` can actually
achieve, discounted by how reliable and well placed ``p`` is::

    score_p = 100 max(0, X - gamma_p) s_p Q_p          (pp of h's exported value added)

``X - gamma_p`` is the reduction per unit of exports moved (``X``: the share of ``h``'s
exported value added that great-power final demand absorbs; ``gamma_p``: that share for
exports to ``p``; :func:`geohedge.partners.components.va_exposure`). ``s_p = min(delta,
growth x_p, capture cap_p / E_h)`` is the part of the stated shift ``delta`` (1% of exports by
default) that ``p`` can take: exports to ``p`` (share ``x_p``) grow by at most ``growth``, and
``h`` wins at most ``capture`` of ``p``'s import demand in the sectors ``h`` sells (``cap_p``,
USD). ``Q_p`` in [0, 1] is the weighted mean of seven indices (the table below). A partner
whose reduction is zero or negative scores zero and is listed after every partner that
reduces exposure, so a negative reduction can never rank a partner up.

=================== ==================================== =========================================
weight key          raw column (unit)                    index in [0, 1]
=================== ==================================== =========================================
``potential``       ``potential_z`` (gap / its SE)       ``Phi(z)``: probability that trade is
                                                         below the gravity benchmark
``stability``       ``stability_wgi`` (WGI estimate)     ``Phi(PV)`` (WGI is scaled to a standard
                                                         normal across countries)
``vote_volatility`` ``vote_volatility`` (SD, 0-0.5)      ``1 - 2 SD``
``tariff_volatility`` ``tariff_volatility_pp`` (pp)      ``(1 + sigma)^-5``: trade kept after a
                                                         one-sigma tariff rise, elasticity 5
``agreement``       ``agreement_in_force`` (yes/no)      1 if in force, else 0
``alignment``       ``agreement_with_home`` (0-1)        as is
``bridging``        ``bridging`` (0-1)                   as is
=================== ==================================== =========================================

**Missing data is not a bonus.** A partner without an index (e.g. Taiwan and Hong Kong cast no
UN votes) gets the lowest value any candidate has for it, and the row's ``imputed`` column
names it. An index no candidate has (no votes loaded) leaves the quality factor for everyone.

**Uncertainty.** ``draws`` times, the weights are drawn from a Dirichlet distribution around
the profile (concentration ``concentration``) and the uncertain inputs from their standard
errors (the gravity gap, the WGI estimate); each draw ranks the partners. ``rank_median``,
``rank_p10`` and ``rank_p90`` (an 80% interval) come from all draws; ``weight_sensitive`` flags
a partner whose top-ten membership changes in more than 10% of the weight-only draws.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import ndtr

from geohedge import countries as _countries
from geohedge.errors import InputError
from geohedge.exposure.trade import DEFAULT_BLOCS
from geohedge.partners import _kernels as K
from geohedge.partners import components as C
from geohedge.partners.results import (
    Component,
    PartnerData,
    PartnerScores,
    Provenance,
    Weights,
)

__all__ = [
    "COMPONENTS",
    "TARIFF_ELASTICITY",
    "TOP",
    "default_weights",
    "indices",
    "load_weights",
    "parse_weights",
    "partner_components",
    "partner_scores",
    "score_partners",
]

#: Trade elasticity behind the tariff index (Head & Mayer 2014's central estimate).
TARIFF_ELASTICITY = 5.0
#: The ranking's headline size (small markets, weight sensitivity, what it would take).
TOP = 10

_WGI = "World Bank Worldwide Governance Indicators, Political Stability and Absence of Violence (PV)"
_UN = "UN General Assembly votes (agreement index)"
COMPONENTS: tuple[Component, ...] = (
    Component("potential", "potential_z", "gravity gap / its standard error", "Phi(z)", "PPML gravity benchmark (pyfixest), HC0 prediction SE", "potential"),
    Component("stability", "stability_wgi", "WGI estimate (about -2.5 to 2.5)", "Phi(PV)", _WGI, "reliability"),
    Component("vote_volatility", "vote_volatility", "SD of yearly agreement with home (0-0.5)", "1 - 2 SD", _UN, "reliability"),
    Component("tariff_volatility", "tariff_volatility_pp", "pp, RMS of yearly rises", "(1 + sigma)^-5", "Teti Global Tariff Database via the ICIO cubes", "reliability"),
    Component("agreement", "agreement_in_force", "yes/no", "1 or 0", "geohedge trade-agreement table (dated, with sources)", "reliability"),
    Component("alignment", "agreement_with_home", "share of UN votes agreeing with home (0-1)", "as is", _UN, "alignment"),
    Component("bridging", "bridging", "equidistance to USA, CHN, RUS (0-1)", "as is", _UN, "alignment"),
)
_BOUNDS = ("shift", "relationship", "capacity")


# --- weights -------------------------------------------------------------------------------


def _number(v: object) -> bool:
    return not isinstance(v, bool) and isinstance(v, (int, float)) and math.isfinite(v)


def parse_weights(data: Mapping | str, *, origin: str = "weights") -> Weights:
    """Validate a scoring profile (TOML text or a parsed mapping).

    Format: optional top-level parameters (``shift`` in (0, 0.2], ``growth`` > 0,
    ``capture`` in (0, 1], ``small_market`` in [0, 0.1), ``concentration`` > 0, ``draws``
    an integer 0-10000, ``description``) and a ``[weights]`` table with any of the index
    names; unlisted indices weigh 0.

    Raises
    ------
    InputError
        Malformed TOML, an unknown key, a negative, non-numeric or non-finite weight,
        weights summing to zero, or a parameter out of range.
    """
    if isinstance(data, str):
        try:
            data = tomllib.loads(data)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"{origin}: not valid TOML ({exc})") from None
    known = Weights.names()
    params = Weights.PARAMETERS
    extra = sorted(set(data) - {"weights", "description", *params})
    if extra:
        raise InputError(f"{origin}: unknown key {extra[0]!r}; a profile has {', '.join(params)} and a [weights] table")
    table = data.get("weights")
    if not isinstance(table, Mapping):
        raise InputError(f"{origin}: missing [weights] table; give weights for {', '.join(known)}")
    values: dict[str, float] = {}
    for key, v in table.items():
        if key not in known:
            hint = (" (exposure reduction and capacity are the score itself, not weighted)"
                    if key in ("exposure_reduction", "capacity", "complementarity") else "")
            raise InputError(f"{origin}: unknown weight {key!r}{hint}; use {', '.join(known)}")
        if not _number(v):
            raise InputError(f"{origin}: weight {key} = {v!r} must be a finite number")
        if v < 0:
            raise InputError(f"{origin}: weight {key} = {v:g} is negative; weights must be >= 0")
        values[key] = float(v)
    if sum(values.values()) <= 0:
        raise InputError(f"{origin}: weights sum to zero; give at least one positive weight")
    ranges = {"shift": (0.0, 0.2, "e.g. 0.01 for 1% of exports"), "growth": (0.0, 10.0, "e.g. 0.5 for growth by half"),
              "capture": (0.0, 1.0, "e.g. 0.02 for 2% of the partner's imports"), "small_market": (-1e-12, 0.1, "e.g. 0.005 for 0.5% of trade"),
              "concentration": (0.0, 1e6, "e.g. 50"), "draws": (-1, 10000, "e.g. 500")}
    got: dict[str, float | int] = {}
    for key in params:
        if key not in data:
            continue
        v = data[key]
        lo, hi, eg = ranges[key]
        if not _number(v) or not (lo < v <= hi) or (key == "draws" and int(v) != v):
            raise InputError(f"{origin}: {key} = {v!r} must be {'an integer' if key == 'draws' else 'a number'} in "
                             f"{'[' if lo < 0 else '('}{max(lo, 0):g}, {hi:g}], {eg}")
        got[key] = int(v) if key == "draws" else float(v)
    return Weights(**{k: values.get(k, 0.0) for k in known}, **got, origin=origin)


def load_weights(path: str | Path) -> Weights:
    """Read a scoring profile from a TOML file.

    Raises
    ------
    InputError
        The file is missing or invalid (see :func:`parse_weights`).
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"weights file {str(path)!r} not found; give a TOML file like geohedge/_data/partner_weights.toml")
    return parse_weights(p.read_text(encoding="utf-8"), origin=p.name)


def default_weights() -> Weights:
    """The default profile shipped in ``geohedge/_data/partner_weights.toml``."""
    text = resources.files("geohedge").joinpath("_data", "partner_weights.toml").read_text(encoding="utf-8")
    return parse_weights(text, origin="partner_weights.toml (default)")


# --- components --------------------------------------------------------------------------


def partner_components(data: PartnerData, weights: Weights) -> tuple[pd.DataFrame, list[str]]:
    """Every raw component for every candidate partner of ``data.home`` (one row each).

    Returns the frame (columns in :mod:`geohedge.partners.components` and the helper columns
    ``name, trade_usd_mn, trade_share, exports_usd_mn, export_share, va_gp_content,
    predicted_trade_usd_mn, stability_se, stability_year, tariff_on_home_pct,
    tariff_years, agreements, agreement_since``) and notes.

    Raises
    ------
    InputError
        ``home`` has no trade in ``data.bilateral``.
    """
    home = data.home
    bil = data.bilateral[(data.bilateral["exporter"] != data.bilateral["importer"]) & (data.bilateral["importer"] != "ROW")
                         & (data.bilateral["exporter"] != "ROW")]
    codes = sorted(set(bil["exporter"]) | set(bil["importer"]))
    if home not in codes:
        raise InputError(f"{home} has no trade in the {data.source} {data.year} data; partners can only be scored for its regions")
    partners = [c for c in codes if c != home]
    out = bil[bil["exporter"] == home].groupby("importer")["value_usd"].sum()
    back = bil[bil["importer"] == home].groupby("exporter")["value_usd"].sum()
    trade = out.reindex(partners, fill_value=0.0) + back.reindex(partners, fill_value=0.0)
    if trade.sum() <= 0:
        raise InputError(f"{home} has no trade with other countries in the {data.source} {data.year} data")
    exports_total = float(data.home_exports["value_usd"].sum())
    f = pd.DataFrame({"partner": partners})
    f["name"] = [_countries.country(p).name for p in partners]
    f["trade_usd_mn"] = trade.to_numpy() / 1e6
    f["trade_share"] = trade.to_numpy() / trade.sum()
    f["exports_usd_mn"] = out.reindex(partners, fill_value=0.0).to_numpy() / 1e6
    f["export_share"] = f["exports_usd_mn"] * 1e6 / exports_total
    va = data.va.frame.set_index("destination")
    f["va_gp_content"] = va["va_gp_content"].reindex(partners).to_numpy(float)
    f["va_exposure_reduction_pp"] = 100 * K.exposure_reduction(data.va.exposure, f["va_gp_content"].to_numpy(), weights.shift)
    notes: list[str] = []
    if data.losses is not None and len(data.losses_partners):
        cv = C.cvar_reduction(data.losses_w0, data.losses, data.losses_partners, weights.shift)
        f["cvar_reduction_pp"] = cv.reindex(partners).to_numpy(float)
    else:
        f["cvar_reduction_pp"] = np.nan
    f["capacity_usd_mn"] = C.capacity_frame(home, data.imports_by_sector, data.home_exports, partners).to_numpy()
    f["capacity_share"] = f["capacity_usd_mn"] * 1e6 / exports_total
    if data.gravity is not None:
        pt = data.gravity.pair_totals(home, partners)
        f["predicted_trade_usd_mn"] = pt["predicted_usd"].to_numpy() / 1e6
        f["potential_gap_usd_mn"] = (pt["predicted_usd"] - pt["value_usd"]).to_numpy() / 1e6
        f["potential_gap_se_usd_mn"] = pt["predicted_se_usd"].to_numpy() / 1e6
        with np.errstate(divide="ignore", invalid="ignore"):
            f["potential_z"] = np.where(f["potential_gap_se_usd_mn"] > 0, f["potential_gap_usd_mn"] / f["potential_gap_se_usd_mn"], np.nan)
    else:
        for c in ("predicted_trade_usd_mn", "potential_gap_usd_mn", "potential_gap_se_usd_mn", "potential_z"):
            f[c] = np.nan
        notes.append("no gravity benchmark: potential is missing for every partner")
    if data.stability is not None and not data.stability.empty:
        st = data.stability.dropna(subset=["estimate"]).sort_values("year").groupby("country").tail(1).set_index("country")
        f["stability_wgi"] = st["estimate"].reindex(partners).to_numpy(float)
        f["stability_se"] = st["std_error"].reindex(partners).to_numpy(float) if "std_error" in st else np.nan
        f["stability_year"] = st["year"].reindex(partners).astype("Int64").to_numpy()
        yrs = st["year"].reindex(partners).dropna()
        if len(yrs):
            notes.append(f"political stability: WGI PV, latest year per country ({int(yrs.min())}-{int(yrs.max())})")
    else:
        f["stability_wgi"] = f["stability_se"] = np.nan
        f["stability_year"] = pd.array([pd.NA] * len(partners), dtype="Int64")
        notes.append("no WGI data: stability is missing for every partner (run 'geohedge data build')")
    votes, vnotes = C.vote_indices(data.agreement, home, partners, data.window, data.min_votes)
    notes.extend(vnotes)
    for c in votes.columns:
        f[c] = votes[c].to_numpy(float)
    if data.tariffs is not None and data.export_mix is not None and len(data.tariff_years) > 1:
        tr = C.tariff_risk(home, data.tariffs, data.export_mix, partners, data.tariff_years)
        for c in tr.columns:
            f[c] = tr[c].to_numpy()
    else:
        f["tariff_on_home_pct"] = f["tariff_volatility_pp"] = np.nan
        f["tariff_years"] = ""
        notes.append("no applied-tariff series: tariff volatility is missing for every partner")
    if data.home_tariffs is not None and data.export_mixes is not None:
        f["tariff_by_home_pct"] = C.home_tariffs(home, data.home_tariffs, data.export_mixes, partners).to_numpy(float)
    else:
        f["tariff_by_home_pct"] = np.nan
    ag = data.agreements.set_index("partner").reindex(partners)
    f["agreement_in_force"] = ag["agreement_in_force"].fillna(False).astype(bool).to_numpy()
    f["agreements"] = ag["agreements"].fillna("").to_numpy()
    f["agreement_since"] = [str(d) if d is not None and not pd.isna(d) else "" for d in ag["agreement_since"]]
    return f, notes


def indices(frame: pd.DataFrame, *, theta: float = TARIFF_ELASTICITY) -> pd.DataFrame:
    """The seven quality indices in [0, 1] from the raw components (NaN where raw is missing)."""
    q = pd.DataFrame(index=frame.index)
    q["potential"] = ndtr(frame["potential_z"].to_numpy(float))
    q["stability"] = ndtr(frame["stability_wgi"].to_numpy(float))
    q["vote_volatility"] = np.clip(1.0 - 2.0 * frame["vote_volatility"].to_numpy(float), 0.0, 1.0)
    q["tariff_volatility"] = (1.0 + frame["tariff_volatility_pp"].to_numpy(float) / 100.0) ** (-theta)
    q["agreement"] = frame["agreement_in_force"].astype(float).to_numpy()
    q["alignment"] = frame["agreement_with_home"].to_numpy(float)
    q["bridging"] = frame["bridging"].to_numpy(float)
    return q[list(Weights.names())]


def _impute(q: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series, list[str]]:
    """Missing index -> the lowest value any candidate has; an index nobody has is dropped (NaN column)."""
    notes: list[str] = []
    names: list[list[str]] = [[] for _ in range(len(q))]
    out = q.copy()
    for c in q.columns:
        col = q[c]
        if col.isna().all():
            notes.append(f"{c}: no candidate has data; the quality factor leaves it out for every partner")
            continue
        miss = col.isna().to_numpy()
        out.loc[miss, c] = float(col.min())
        for k in np.flatnonzero(miss):
            names[k].append(c)
    return out, pd.Series([";".join(n) for n in names], index=q.index), notes


def _quality(q: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted mean over the indices with data: ``q`` (..., P, K), ``w`` (..., K) -> (..., P)."""
    have = np.isfinite(q)
    wb = np.broadcast_to(w[..., None, :], q.shape) * have
    den = wb.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, (np.nan_to_num(q) * wb).sum(axis=-1) / den, 0.0)


def _ranks(score: np.ndarray, reduction: np.ndarray) -> np.ndarray:
    """1-based ranks (..., P): reducing partners by score, ties by reduction; the rest after, by reduction."""
    reduces = reduction > 0
    key1 = np.where(reduces, 0, 1)
    order = np.lexsort((-reduction, -np.where(reduces, score, 0.0), key1), axis=-1)
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(order.shape[-1]), axis=-1)
    return ranks + 1


def score_partners(
    components: pd.DataFrame,
    *,
    home: str,
    year: int,
    exposure,
    weights: Weights | None = None,
    gravity=None,
    seed: int = 0,
    notes: tuple[str, ...] = (),
    source: str = "OECD ICIO",
    approximate: bool = False,
    blocs: tuple[str, ...] = DEFAULT_BLOCS,
) -> PartnerScores:
    """Score and rank partners from their raw components (see the module docstring).

    Parameters
    ----------
    components
        From :func:`partner_components` (any frame with its columns).
    exposure
        The home country's :class:`~geohedge.partners.results.VAExposure`.
    seed
        Seed of the uncertainty draws (``weights.draws`` of them; 0 draws: no intervals).
    """
    w = weights or default_weights()
    f = components.reset_index(drop=True).copy()
    red = f["va_exposure_reduction_pp"].to_numpy(float)
    unit_red = np.maximum(red, 0.0) / w.shift  # pp of exposure per unit share moved (x 100)
    shift, which = K.achievable_shift(w.shift, f["export_share"].to_numpy(float), w.growth, w.capture,
                                      f["capacity_share"].to_numpy(float), 1.0)
    core = unit_red * shift  # pp of exposure if the achievable shift moved, before quality
    q_raw = indices(f)
    q, imputed, inotes = _impute(q_raw)
    wv = w.values()
    Q = _quality(q.to_numpy(float), wv)
    score = core * Q
    f["score_pp"] = np.where(red > 0, score, 0.0)
    f["reduces_exposure"] = red > 0
    f["quality"] = Q
    f["shift_pp"] = 100 * shift
    f["shift_bound"] = [_BOUNDS[k] for k in which]
    for c in q.columns:
        f[f"{c}_index"] = q_raw[c].to_numpy(float)
    f["imputed"] = imputed.to_numpy()
    f["small_market"] = f["trade_share"] < w.small_market
    ranks = _ranks(f["score_pp"].to_numpy(float), red)
    f["rank"] = ranks
    draw_cols = _draws(f, q, wv, core, red, w, seed)
    for c, v in draw_cols.items():
        f[c] = v
    flags = []
    for r in f.itertuples():
        fl = []
        if r.small_market:
            fl.append("small market")
        if r.shift_bound == "capacity":
            fl.append("capacity-bound")
        if r.weight_sensitive:
            fl.append("weight-sensitive")
        if r.imputed:
            fl.append("imputed: " + r.imputed.replace(";", ", "))
        flags.append("; ".join(fl))
    f["flags"] = flags
    f = f.sort_values("rank", ignore_index=True)
    lead = ["rank", "partner", "name", "score_pp", "reduces_exposure", "rank_median", "rank_p10", "rank_p90", "p_top10", "flags",
            "va_exposure_reduction_pp", "cvar_reduction_pp", "shift_pp", "shift_bound", "capacity_usd_mn", "quality"]
    f = f[lead + [c for c in f.columns if c not in lead]]
    all_notes = list(notes) + inotes
    n_imp = int((f["imputed"] != "").sum())
    if n_imp:
        ex = ", ".join(f"{r.partner} ({r.imputed.replace(';', ', ')})" for r in f[f["imputed"] != ""].head(4).itertuples())
        all_notes.append(f"missing indices take the lowest value among the candidates for {n_imp} partners, e.g. {ex}")
    raising = f[~f["reduces_exposure"]]
    if len(raising):
        all_notes.append(f"{len(raising)} partners would raise {home}'s great-power exposure (score 0, listed after the rest), "
                         f"e.g. {', '.join(raising['partner'].head(6))}")
    prov = Provenance(f"{source}; {_WGI}; {_UN}", year, "score: pp of exported value added (great-power exposure reduction)", approximate)
    return PartnerScores(home, year, f, COMPONENTS, w, gravity, exposure, prov, tuple(all_notes), seed, int(w.draws), tuple(blocs))


def _draws(f: pd.DataFrame, q: pd.DataFrame, wv: np.ndarray, core: np.ndarray, red: np.ndarray, w: Weights, seed: int) -> dict[str, np.ndarray]:
    """Rank intervals from Dirichlet weights and the inputs' standard errors (module docstring)."""
    P = len(f)
    D = int(w.draws)
    nan = np.full(P, np.nan)
    if D <= 0:
        return {"rank_median": nan, "rank_p10": nan, "rank_p90": nan, "p_top10": nan, "weight_sensitive": np.zeros(P, bool)}
    rng = np.random.default_rng(seed)
    pos = wv > 0
    alpha = w.concentration * wv[pos] / wv[pos].sum()
    Wd = np.zeros((D, len(wv)))
    Wd[:, pos] = rng.dirichlet(alpha, size=D)
    names = list(q.columns)
    qd = np.broadcast_to(q.to_numpy(float), (D, P, len(names))).copy()
    z = f["potential_z"].to_numpy(float)
    if np.isfinite(z).any():
        zd = z[None, :] + rng.standard_normal((D, P))  # gap ~ N(gap, se)  <=>  z ~ N(z, 1)
        qd[:, :, names.index("potential")] = np.where(np.isfinite(zd), ndtr(zd), qd[:, :, names.index("potential")])
    pv, se = f["stability_wgi"].to_numpy(float), f["stability_se"].to_numpy(float)
    if np.isfinite(pv).any():
        pvd = pv[None, :] + np.nan_to_num(se)[None, :] * rng.standard_normal((D, P))
        qd[:, :, names.index("stability")] = np.where(np.isfinite(pvd), ndtr(pvd), qd[:, :, names.index("stability")])
    score_all = core[None, :] * _quality(qd, Wd)
    ranks_all = _ranks(np.where(red > 0, score_all, 0.0), np.broadcast_to(red, (D, P)))
    score_w = core[None, :] * _quality(np.broadcast_to(q.to_numpy(float), (D, P, len(names))), Wd)
    ranks_w = _ranks(np.where(red > 0, score_w, 0.0), np.broadcast_to(red, (D, P)))
    top_w = (ranks_w <= TOP).mean(axis=0)
    return {
        "rank_median": np.median(ranks_all, axis=0), "rank_p10": np.percentile(ranks_all, 10, axis=0, method="lower"),
        "rank_p90": np.percentile(ranks_all, 90, axis=0, method="higher"), "p_top10": (ranks_all <= TOP).mean(axis=0),
        "weight_sensitive": (top_w > 0.1) & (top_w < 0.9),
    }


def partner_scores(data: PartnerData, *, weights: Weights | None = None, seed: int = 0) -> PartnerScores:
    """Score every partner of ``data.home`` (components, then :func:`score_partners`).

    Raises
    ------
    InputError
        ``home`` has no trade in the data.
    """
    w = weights or default_weights()
    comp, notes = partner_components(data, w)
    return score_partners(comp, home=data.home, year=data.year, exposure=data.va, weights=w, gravity=data.gravity, seed=seed,
                          notes=tuple(data.notes) + tuple(notes), source=data.source, approximate=data.approximate)
