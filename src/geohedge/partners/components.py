"""The raw components of the partner ranking, each a quantity with a unit.

Home country ``h``, candidate partner ``p`` (every other region of the ICIO table; the rest
of the world is an aggregate, never a candidate).

================================ ============================= ===============================================
column                           unit                          definition
================================ ============================= ===============================================
``va_gp_content``                share 0-1                     ``gamma_p``: share of the home value added in
                                                               exports to ``p`` that great-power final demand
                                                               absorbs in the end (:func:`va_exposure`)
``va_exposure_reduction_pp``     pp of exported value added    ``100 delta (X - gamma_p)``: fall in the home
                                                               country's value-added great-power exposure
                                                               ``X = sum_d DVA_d gamma_d / sum_d DVA_d`` when a
                                                               share ``delta`` of exports moves to ``p`` pro rata
``cvar_reduction_pp``            pp of exports                 fall in the CVaR of the export portfolio's loss
                                                               across the great-power shock scenarios for the
                                                               same shift (:func:`cvar_reduction`)
``capacity_usd_mn``              USD mn                        ``sum_j min(M_pj, X_hj)``: ``p``'s imports from
                                                               other suppliers in the sectors ``h`` sells, each
                                                               up to ``h``'s exports of it elsewhere
``potential_gap_usd_mn``         USD mn, with ``_se``          gravity-predicted minus actual trade, both
                                                               directions (:mod:`geohedge.partners.gravity`)
``stability_wgi``                WGI estimate, with ``_se``    Political Stability and Absence of Violence
``vote_volatility``              SD of agreement, 0-0.5        standard deviation across the window's years of
                                                               ``p``'s yearly UN-vote agreement with ``h``
``tariff_volatility_pp``         pp                            root mean square of the yearly *rises* of ``p``'s
                                                               applied tariff on ``h``'s goods (trade-weighted
                                                               with ``h``'s world export mix), 2011-2021
``agreement_in_force``           yes/no                        a trade agreement between ``h`` and ``p`` in force
``tariff_by_home_pct``           percent (shown, not scored)   ``h``'s applied tariff on ``p``'s goods, weighted
                                                               with ``p``'s world export mix, last tariff year
``agreement_with_home``          share 0-1                     mean yearly UN-vote agreement of ``p`` with ``h``
``bridging``                     share 0-1                     mean of ``1 - (max - min)`` of ``p``'s agreement
                                                               with the USA, China and Russia
================================ ============================= ===============================================
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from geohedge.alignment.results import AgreementScores
from geohedge.exposure.trade import DEFAULT_BLOCS, bloc_of
from geohedge.exposure.value_chain import ValueChainModel
from geohedge.partners import _kernels as K
from geohedge.partners.results import VAExposure

__all__ = [
    "POWERS",
    "capacity_frame",
    "cvar_reduction",
    "gp_members",
    "home_tariffs",
    "tariff_risk",
    "va_exposure",
    "vote_indices",
]

#: Powers for bridging (first = reference pole of the lean).
POWERS: tuple[str, ...] = ("USA", "CHN", "RUS")


def gp_members(codes: Sequence[str], blocs: Sequence[str] = DEFAULT_BLOCS) -> set[str]:
    """The countries among ``codes`` that belong to one of the great-power blocs."""
    mapping = bloc_of(list(codes), blocs)
    return {c for c, b in mapping.items() if b != "REST"}


def va_exposure(model: ValueChainModel, home: str, inter: pd.DataFrame, final: pd.DataFrame,
                blocs: Sequence[str] = DEFAULT_BLOCS) -> VAExposure:
    """Value-added great-power exposure of ``home`` and its great-power content by destination.

    ``gamma_d = sum_j b_j (F[j, d] 1[d in GP] + sum_k Z[j, (d, k)] g[(d, k)]) / DVA_d``, where
    ``b_j`` is the home value added per unit of output of home sector ``j`` (``B[h, hj]``) and
    ``g[(d, k)] = sum_{e in GP} VAD[(d, k), e] / va[(d, k)]`` the share of node ``(d, k)``'s
    output that great-power final demand absorbs (see ``_kernels``). The home country's own
    final demand is never a great power's, also when it belongs to a bloc.

    Parameters
    ----------
    model
        The value-chain model of the ICIO year.
    inter
        ``seller_sector, buyer_country, buyer_sector, value_usd_mn``: the home country's
        intermediate sales (all buyers).
    final
        ``seller_sector, buyer_country, value_usd_mn``: its sales to final demand by
        destination (the table's countries and regions beyond them, e.g. ``ROW``).
    """
    codes = list(model.countries)
    dest = list(model.destinations or model.countries)
    N, J = len(codes), len(model.sectors)
    h = model.country_index(home)
    gp = gp_members(codes, blocs) - {home}
    gp_dest = np.array([d in gp for d in dest], dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        g = np.where(np.abs(model.va) > 0, model.VAD[:, gp_dest.astype(bool)].sum(axis=1) / model.va, 0.0)
    sec = {s: k for k, s in enumerate(model.sectors)}
    cpos = {c: k for k, c in enumerate(codes)}
    dpos = {c: k for k, c in enumerate(dest)}
    Z_h = np.zeros((J, N * J))
    zi = inter[inter["buyer_country"].isin(cpos) & (inter["buyer_country"] != home)]
    np.add.at(Z_h, (zi["seller_sector"].map(sec).to_numpy(), (zi["buyer_country"].map(cpos) * J + zi["buyer_sector"].map(sec)).to_numpy()),
              zi["value_usd_mn"].to_numpy(float))
    F_h = np.zeros((J, len(dest)))
    fi = final[final["buyer_country"].isin(dpos) & (final["buyer_country"] != home)]
    np.add.at(F_h, (fi["seller_sector"].map(sec).to_numpy(), fi["buyer_country"].map(dpos).to_numpy()), fi["value_usd_mn"].to_numpy(float))
    b = model.B[h, h * J:(h + 1) * J]
    dva, gamma = K.gp_content(b, F_h, Z_h, g, gp_dest, N)
    dva[dpos[home]] = 0.0
    gamma[dpos[home]] = np.nan
    X = float(np.nansum(dva * np.nan_to_num(gamma)) / dva.sum())
    frame = pd.DataFrame({"destination": dest, "dva_usd_mn": dva, "va_gp_content": gamma})
    frame = frame[frame["destination"] != home].reset_index(drop=True)
    return VAExposure(home, model.year, X, frame, tuple(sorted(gp)), model.source, model.approximate)


def capacity_frame(home: str, imports_by_sector: pd.DataFrame, home_exports: pd.DataFrame, partners: Sequence[str]) -> pd.Series:
    """``capacity_usd_mn`` by partner: ``sum_j min(M_pj, X_hj)`` (see the module table).

    Parameters
    ----------
    imports_by_sector
        ``importer, product, value_usd``: every country's imports from the world.
    home_exports
        ``importer, product, value_usd``: the home country's exports by destination.
    """
    sectors = sorted(set(imports_by_sector["product"]) | set(home_exports["product"]))
    M = (imports_by_sector.pivot_table(index="importer", columns="product", values="value_usd", aggfunc="sum", fill_value=0.0)
         .reindex(index=list(partners), columns=sectors, fill_value=0.0).to_numpy(float))
    Xhp = (home_exports.pivot_table(index="importer", columns="product", values="value_usd", aggfunc="sum", fill_value=0.0)
           .reindex(index=list(partners), columns=sectors, fill_value=0.0).to_numpy(float))
    Xh = home_exports.groupby("product")["value_usd"].sum().reindex(sectors, fill_value=0.0).to_numpy(float)
    others = np.maximum(M - Xhp, 0.0)  # the partner's imports from suppliers other than home
    elsewhere = np.maximum(Xh[None, :] - Xhp, 0.0)  # what home sells to destinations other than p
    return pd.Series(K.capacity(others, elsewhere) / 1e6, index=list(partners), name="capacity_usd_mn")


def tariff_risk(home: str, tariffs: pd.DataFrame, export_mix: pd.Series, partners: Sequence[str], years: Sequence[int]) -> pd.DataFrame:
    """Each partner's applied tariff on the home country's goods and its upward volatility.

    ``tau_pt = sum_j w_j tau_{p,h,j,t} / sum_j w_j`` with fixed weights ``w_j`` = the home
    country's exports of goods sector ``j`` to the world; a pair-sector-year without a row
    has a zero rate (the source stores no zeros). Volatility is
    :func:`geohedge.partners._kernels.upward_semideviation` of ``tau_pt``, in pp.

    Parameters
    ----------
    tariffs
        ``importer, exporter, sector, year, rate`` (fraction), rows with ``exporter == home``.
    export_mix
        Home exports by goods sector (any positive unit), indexed by sector.

    Returns
    -------
    DataFrame
        Indexed by partner: ``tariff_on_home_pct`` (the last year's rate, percent),
        ``tariff_volatility_pp``, ``tariff_years`` (e.g. ``2011-2021``).
    """
    years = sorted(int(y) for y in years)
    w = export_mix[export_mix > 0]
    t = tariffs[(tariffs["exporter"] == home) & tariffs["sector"].isin(w.index) & tariffs["importer"].isin(partners)]
    t = t.assign(wr=t["rate"].to_numpy(float) * t["sector"].map(w).to_numpy(float))
    wide = t.pivot_table(index="importer", columns="year", values="wr", aggfunc="sum", fill_value=0.0)
    tau = wide.reindex(index=list(partners), columns=years, fill_value=0.0).to_numpy(float) / float(w.sum())
    span = f"{years[0]}-{years[-1]}" if years else ""
    return pd.DataFrame({"tariff_on_home_pct": 100 * tau[:, -1] if years else np.nan,
                         "tariff_volatility_pp": 100 * K.upward_semideviation(tau) if len(years) > 1 else np.nan,
                         "tariff_years": span}, index=list(partners))


def home_tariffs(home: str, tariffs: pd.DataFrame, mixes: pd.DataFrame, partners: Sequence[str]) -> pd.Series:
    """The home country's applied tariff on each partner's goods, percent (one year).

    ``sum_j w_pj tau_{h,p,j} / sum_j w_pj`` with ``w_pj`` the partner's goods exports of sector
    ``j`` to the world (``mixes``: ``exporter, product, v``); no row means a zero rate.
    """
    t = tariffs[tariffs["importer"] == home].rename(columns={"sector": "product"})
    m = mixes[mixes["exporter"].isin(partners)].merge(t[["exporter", "product", "rate"]], on=["exporter", "product"], how="left")
    m["wr"] = m["v"] * m["rate"].fillna(0.0)
    g = m.groupby("exporter")[["wr", "v"]].sum()
    return (100 * g["wr"] / g["v"]).reindex(list(partners)).rename("tariff_by_home_pct")


def vote_indices(agreement: AgreementScores | None, home: str, partners: Sequence[str], window: int, min_votes: int) -> tuple[pd.DataFrame, list[str]]:
    """UN-vote indices by partner: agreement with home, its volatility, and bridging.

    Uses the last ``window`` periods of ``agreement``; a pair-period counts only with at
    least ``min_votes`` shared roll calls. Returns the frame (``agreement_with_home,
    vote_volatility, bridging``, indexed by partner) and notes.
    """
    cols = ["agreement_with_home", "vote_volatility", "bridging"]
    out = pd.DataFrame(np.nan, index=list(partners), columns=cols)
    notes: list[str] = []
    if agreement is None:
        notes.append("no UN votes loaded: vote volatility, alignment and bridging are missing for every partner "
                     "(run 'geohedge data import unga PATH')")
        return out, notes
    P = len(agreement.periods)
    sel = slice(max(0, P - window), P)
    years = agreement.periods[sel]
    A = np.where(agreement.n_votes[sel] >= min_votes, agreement.agreement[sel], np.nan)
    idx = {c: k for k, c in enumerate(agreement.countries)}
    missing_powers = [q for q in POWERS if q not in idx]
    notes.append(f"alignment over UN General Assembly {agreement.by}s {int(years.min())}-{int(years.max())}")
    for p in partners:
        if p not in idx:
            continue
        k = idx[p]
        if home in idx:
            a = A[:, idx[home], k]
            ok = np.isfinite(a)
            if ok.sum() >= 1:
                out.loc[p, "agreement_with_home"] = float(a[ok].mean())
            if ok.sum() >= 2:
                out.loc[p, "vote_volatility"] = float(np.std(a[ok], ddof=1))
        if missing_powers:
            continue
        ag = np.stack([A[:, k, idx[q]] for q in POWERS], axis=1)  # (T, 3)
        ok = np.isfinite(ag).all(axis=1)
        if ok.sum() >= 1:
            out.loc[p, "bridging"] = float((1.0 - (ag[ok].max(axis=1) - ag[ok].min(axis=1))).mean())
    if home not in idx:
        notes.append(f"{home} cast no UN vote in the window: vote volatility and alignment are missing for every partner")
    if missing_powers:
        notes.append(f"{', '.join(missing_powers)} cast no UN vote in the window: bridging is missing")
    return out, notes


def cvar_reduction(w0: np.ndarray, L: np.ndarray, partners: Sequence[str], delta: float, alpha: float = 0.5,
                   q: np.ndarray | None = None) -> pd.Series:
    """Fall in the CVaR of the export loss when a share ``delta`` moves to each partner, in pp.

    ``CVaR(w0) - CVaR((1 - delta) w0 + delta e_p)`` with losses ``L w`` per scenario
    (:mod:`geohedge.partners.portfolio`); equal scenario probabilities by default.
    """
    S, P = L.shape
    q = np.full(S, 1.0 / S) if q is None else np.asarray(q, float)
    base = K.cvar(L @ w0, q, alpha)
    moved = (1 - delta) * (L @ w0)[:, None] + delta * L  # (S, P): loss after moving delta to each p
    vals = np.array([base - K.cvar(moved[:, k], q, alpha) for k in range(P)])
    return pd.Series(100 * vals, index=list(partners), name="cvar_reduction_pp")
