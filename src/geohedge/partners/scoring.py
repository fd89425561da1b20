"""Partner scoring: who a home country ``h`` should deepen ties with, component by component.

Each component is computed for every candidate partner ``p`` (every other region of the
trade data), shown raw with its unit, then turned into a percentile-rank score in [0, 1]
(1 = best among the candidates; :func:`geohedge.partners._kernels.rank_score`). The overall
score is the weighted mean of the component scores a partner has:

``overall_p = sum_{k in A_p} w_k score_{p,k} / sum_{k in A_p} w_k``

where ``A_p`` is the set of components with data for ``p``. A missing component is never
counted as zero: it leaves the sum and the weights re-normalise over the rest; the row's
``missing`` column names it.

============================ ======================================= ============================================
component (``weights`` key)  raw value, unit                         definition and source
============================ ======================================= ============================================
``exposure_reduction``       pp of great-power concentration         ``100 delta (C(s) - sum_b W[p, b])``: the fall
                                                                     in ``C`` when a share ``delta`` (default 5%)
                                                                     of ``h``'s trade moves to ``p``, pro rata
                                                                     from all partners (ICIO trade)
``complementarity``          index 0-100                             Michaely (1996) / UNCTAD trade complementarity
                                                                     of ``h``'s export mix with ``p``'s import mix
                                                                     over the 50 ICIO sectors
``potential``                ratio, predicted / actual trade         PPML structural gravity benchmark
                                                                     (:func:`gravity_benchmark`); above 1 means
                                                                     untapped trade
``stability``                WGI PV estimate, about -2.5 to 2.5      World Bank WGI Political Stability and
                                                                     Absence of Violence, latest year
``volatility``               SD of lean (share, 0-1)                 standard deviation over the last ``window``
                                                                     years of ``p``'s lean in UN votes,
                                                                     ``agree(p, USA) - mean(agree(p, CHN),
                                                                     agree(p, RUS))``; lower is better
``alignment``                distance, 1 - agreement (0-1)           ``1 - `` mean agreement of ``p`` with ``h``
                                                                     in UN General Assembly votes over the window;
                                                                     lower is better
``bridging``                 equidistance (0-1)                      mean over the window of ``1 - (max - min)``
                                                                     of ``p``'s agreement with USA, CHN and RUS
                                                                     (1 = agrees equally with each)
============================ ======================================= ============================================

**Great-power concentration.** With blocs ``b`` in ``DEFAULT_BLOCS`` (USA, CHN, EU27, RUS,
JPN), ``s`` the home country's shares of total trade (exports plus imports) by partner and
``W[p, b]`` = 1 if ``p`` belongs to ``b``, else the share of ``p``'s own total trade with
``b``, the concentration is ``C(s) = sum_b sum_p s_p W[p, b]``: the combined great-power
share of ``h``'s trade, counting trade with a non-member at that member's own great-power
content (one step of indirect exposure). It lies in [0, 1]. Shifting ``delta`` of trade
to ``p`` gives ``C((1 - delta) s + delta e_p) = (1 - delta) C(s) + delta sum_b W[p, b]``,
so the reduction is linear in ``delta`` and negative for great-power members.

**Reliability** in tables and charts is the weighted mean of the ``stability`` and
``volatility`` scores (equal weights if both weights are zero).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from geohedge import countries as _countries
from geohedge._input import loads_toml, read_text_file
from geohedge.alignment.results import AgreementScores
from geohedge.errors import InputError, ModelError
from geohedge.exposure.trade import DEFAULT_BLOCS, bloc_of
from geohedge.partners import _kernels as K
from geohedge.partners.results import (
    Component,
    GravityFit,
    PartnerScores,
    Provenance,
    Weights,
)

__all__ = [
    "COMPONENTS",
    "POWERS",
    "default_weights",
    "gp_weight_matrix",
    "gravity_benchmark",
    "load_weights",
    "parse_weights",
    "partner_scores",
]

#: Powers for bridging and volatility (first = reference pole of the lean).
POWERS: tuple[str, ...] = ("USA", "CHN", "RUS")

_WGI = "World Bank Worldwide Governance Indicators, Political Stability and Absence of Violence (PV)"
_UN = "UN General Assembly votes (agreement index)"
COMPONENTS: tuple[Component, ...] = (
    Component("exposure_reduction", "exposure_reduction_pp", "pp of great-power concentration", "OECD ICIO trade (exposure code)", True, "exposure"),
    Component("complementarity", "complementarity_index", "index 0-100", "Michaely (1996) / UNCTAD TCI over ICIO sectors", True, "trade"),
    Component("potential", "potential_ratio", "predicted / actual trade", "PPML gravity benchmark (pyfixest)", True, "trade"),
    Component("stability", "stability_wgi", "WGI estimate (about -2.5 to 2.5)", _WGI, True, "reliability"),
    Component("volatility", "alignment_volatility", "SD of lean, share", _UN, False, "reliability"),
    Component("alignment", "alignment_distance", "1 - agreement with home, 0-1", _UN, False, "alignment"),
    Component("bridging", "bridging", "equidistance 0-1", _UN, True, "alignment"),
)


# --- weights -------------------------------------------------------------------------------


def parse_weights(data: Mapping | str, *, origin: str = "weights") -> Weights:
    """Validate a weights profile (TOML text or a parsed mapping).

    Format: an optional top-level ``shift`` (share of trade moved, 0 < shift <= 0.5) and a
    ``[weights]`` table with any of the component names; unlisted components weigh 0.

    Raises
    ------
    InputError
        Malformed TOML, an unknown key, a negative, non-numeric or non-finite weight, or
        weights that are all zero.
    """
    if isinstance(data, str):
        data = loads_toml(data, origin)
    known = Weights.names()
    extra = sorted(set(data) - {"weights", "shift", "description"})
    if extra:
        raise InputError(f"{origin}: unknown key {extra[0]!r}; a profile has 'shift' and a [weights] table")
    table = data.get("weights")
    if not isinstance(table, Mapping):
        raise InputError(f"{origin}: missing [weights] table; give weights for {', '.join(known)}")
    values: dict[str, float] = {}
    for key, v in table.items():
        if key not in known:
            raise InputError(f"{origin}: unknown weight {key!r}; use {', '.join(known)}")
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise InputError(f"{origin}: weight {key} = {v!r} must be a finite number")
        if v < 0:
            raise InputError(f"{origin}: weight {key} = {v:g} is negative; weights must be >= 0")
        values[key] = float(v)
    if not any(values.values()):
        raise InputError(f"{origin}: all weights are zero; give at least one positive weight")
    shift = data.get("shift", 0.05)
    if isinstance(shift, bool) or not isinstance(shift, (int, float)) or not (0 < shift <= 0.5):
        raise InputError(f"{origin}: shift = {shift!r} must be a share in (0, 0.5], e.g. 0.05 for 5% of trade")
    return Weights(**{k: values.get(k, 0.0) for k in known}, shift=float(shift), origin=origin)


def load_weights(path: str | Path) -> Weights:
    """Read a weights profile from a TOML file.

    Raises
    ------
    InputError
        The file is missing or invalid (see :func:`parse_weights`).
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"weights file {str(path)!r} not found; give a TOML file like geohedge/_data/partner_weights.toml")
    return parse_weights(read_text_file(p, "weights file"), origin=p.name)


def default_weights() -> Weights:
    """The default profile shipped in ``geohedge/_data/partner_weights.toml``."""
    text = resources.files("geohedge").joinpath("_data", "partner_weights.toml").read_text(encoding="utf-8")
    return parse_weights(text, origin="partner_weights.toml (default)")


# --- gravity -------------------------------------------------------------------------------


def gravity_benchmark(flows: pd.DataFrame, *, distance_source: str = "") -> GravityFit:
    """Fit ``X_in = exp(a_i + b_n + beta log(dist_in) + gamma contig_in)`` by PPML.

    Exporter and importer fixed effects absorb multilateral resistance (Anderson & van
    Wincoop 2003); PPML keeps zero flows and is consistent under heteroskedasticity
    (Santos Silva & Tenreyro 2006). Estimated with ``pyfixest.fepois``.

    Parameters
    ----------
    flows
        ``exporter, importer, value_usd, distance_km, contiguous`` (one row per ordered
        pair, zeros included, no domestic pairs).

    Raises
    ------
    InputError
        Missing columns, non-positive distances or negative flows.
    ModelError
        The estimator fails or does not converge.
    """
    need = {"exporter", "importer", "value_usd", "distance_km", "contiguous"}
    if need - set(flows.columns):
        raise InputError(f"gravity flows lack columns {sorted(need - set(flows.columns))}; need {sorted(need)}")
    if (flows["distance_km"] <= 0).any() or flows["distance_km"].isna().any():
        raise InputError("gravity flows: every pair needs a positive distance_km")
    if (flows["value_usd"] < 0).any():
        raise InputError("gravity flows: value_usd must be >= 0")
    import pyfixest as pf

    data = pd.DataFrame({
        "exporter": flows["exporter"].astype(str).to_numpy(), "importer": flows["importer"].astype(str).to_numpy(),
        "y": flows["value_usd"].to_numpy(float) / 1e6, "log_dist": np.log(flows["distance_km"].to_numpy(float)),
        "contig": flows["contiguous"].astype(float).to_numpy(),
    })
    formula = "y ~ log_dist + contig | exporter + importer"
    try:
        fit = pf.fepois(formula, data=data, vcov={"CRV1": "exporter"})
        pred = np.asarray(fit.predict(newdata=data, type="response"), dtype=float)
    except Exception as exc:  # third-party failure mapped at the boundary
        raise ModelError(f"PPML gravity estimation failed ({type(exc).__name__}: {exc})") from exc
    if not np.all(np.isfinite(pred)):
        raise ModelError("PPML gravity gave non-finite predictions (separated fixed effects?)")
    coef = {k: float(v) for k, v in fit.coef().items()}
    se = {k: float(v) for k, v in fit.se().items()}
    out = flows[["exporter", "importer", "value_usd"]].reset_index(drop=True).copy()
    out["predicted_usd"] = pred * 1e6
    return GravityFit(formula.replace("y ~", "value_usd ~"), f"PPML (pyfixest {pf.__version__} fepois, SE clustered by exporter)",
                      coef, se, len(data), out, distance_source)


# --- scoring ------------------------------------------------------------------------------


def gp_weight_matrix(codes: Sequence[str], V: np.ndarray, blocs: Sequence[str] = DEFAULT_BLOCS) -> tuple[np.ndarray, tuple[str, ...]]:
    """``W`` (N, B) for countries ``codes`` given total trade ``V`` (N, N); returns ``W`` and the bloc names."""
    mapping = bloc_of(list(codes), blocs)
    known = set(_countries.bloc_names())
    names = tuple(dict.fromkeys(b.strip().upper() if b.strip().upper() in known else _countries.resolve(b) for b in blocs))
    member = np.array([[mapping[c] == b for b in names] for c in codes], dtype=bool)
    return K.gp_weights(V, member), names


def _alignment(agreement: AgreementScores | None, home: str, partners: Sequence[str], window: int, min_votes: int) -> tuple[pd.DataFrame, list[str]]:
    cols = ["agreement_with_home", "alignment_distance", "bridging", "alignment_volatility"]
    out = pd.DataFrame(np.nan, index=list(partners), columns=cols)
    notes: list[str] = []
    if agreement is None:
        notes.append("no UN votes loaded: alignment, bridging and volatility are missing for every partner "
                     "(run 'geohedge data import unga PATH')")
        return out, notes
    P = len(agreement.periods)
    sel = slice(max(0, P - window), P)
    years = agreement.periods[sel]
    A = np.where(agreement.n_votes[sel] >= min_votes, agreement.agreement[sel], np.nan)
    idx = {c: k for k, c in enumerate(agreement.countries)}
    missing_powers = [p for p in POWERS if p not in idx]
    notes.append(f"alignment over UN General Assembly {agreement.by}s {int(years.min())}-{int(years.max())}")
    for p in partners:
        if p not in idx:
            continue
        k = idx[p]
        if home in idx:
            a = A[:, idx[home], k]
            if np.isfinite(a).sum() >= 1:
                out.loc[p, "agreement_with_home"] = np.nanmean(a)
                out.loc[p, "alignment_distance"] = 1.0 - np.nanmean(a)
        if missing_powers:
            continue
        ag = np.stack([A[:, k, idx[q]] for q in POWERS], axis=1)  # (T, 3)
        ok = np.isfinite(ag).all(axis=1)
        if ok.sum() >= 1:
            eq = 1.0 - (ag[ok].max(axis=1) - ag[ok].min(axis=1))
            out.loc[p, "bridging"] = float(eq.mean())
        if ok.sum() >= 2:
            lean = ag[ok, 0] - ag[ok, 1:].mean(axis=1)
            out.loc[p, "alignment_volatility"] = float(np.std(lean, ddof=1))
    if home not in idx:
        notes.append(f"{home} cast no UN vote in the window: alignment distance is missing for every partner")
    if missing_powers:
        notes.append(f"{', '.join(missing_powers)} cast no UN vote in the window: bridging and volatility are missing")
    return out, notes


def partner_scores(
    home: str,
    bilateral: pd.DataFrame,
    home_exports: pd.DataFrame,
    imports_by_sector: pd.DataFrame,
    *,
    year: int,
    gravity: GravityFit | None = None,
    stability: pd.DataFrame | None = None,
    agreement: AgreementScores | None = None,
    weights: Weights | None = None,
    blocs: Sequence[str] = DEFAULT_BLOCS,
    window: int = 10,
    min_votes: int = 10,
    source: str = "OECD ICIO",
    approximate: bool = False,
) -> PartnerScores:
    """Score every partner of ``home`` on the seven components and overall.

    Parameters
    ----------
    bilateral
        ``exporter, importer, value_usd`` (USD, one year, all pairs of the trade data;
        domestic rows ignored).
    home_exports
        ``product, value_usd``: the home country's exports by ICIO sector.
    imports_by_sector
        ``importer, product, value_usd``: every country's imports from the world by sector.
    gravity
        A :func:`gravity_benchmark` fit on the same flows; ``None`` leaves ``potential``
        missing for every partner (stated in the notes).
    stability
        ``country, year, estimate`` (WGI PV); the latest year per country is used.
    agreement
        UN agreement scores (any period range; the last ``window`` periods are used).
    weights
        Default: :func:`default_weights`.
    window, min_votes
        Alignment uses the last ``window`` periods of ``agreement``; a pair's period counts
        only with at least ``min_votes`` shared roll calls.

    Returns
    -------
    PartnerScores
        See :class:`~geohedge.partners.results.PartnerScores` for the columns.

    Raises
    ------
    InputError
        ``home`` has no trade in ``bilateral``, or a frame lacks its columns.
    """
    weights = weights or default_weights()
    for name, f, cols in (("bilateral", bilateral, ("exporter", "importer", "value_usd")),
                          ("home_exports", home_exports, ("product", "value_usd")),
                          ("imports_by_sector", imports_by_sector, ("importer", "product", "value_usd"))):
        if set(cols) - set(f.columns):
            raise InputError(f"{name} lacks columns {sorted(set(cols) - set(f.columns))}")
    bil = bilateral[bilateral["exporter"] != bilateral["importer"]]
    codes = sorted(set(bil["exporter"]) | set(bil["importer"]))
    if home not in codes:
        raise InputError(f"{home} has no trade in the {source} {year} data; partners can only be scored for its regions")
    pos = {c: k for k, c in enumerate(codes)}
    N = len(codes)
    X = np.zeros((N, N))  # X[n, i]: imports of n from i
    np.add.at(X, (bil["importer"].map(pos).to_numpy(), bil["exporter"].map(pos).to_numpy()), bil["value_usd"].to_numpy(float))
    V = X + X.T
    h = pos[home]
    if V[h].sum() <= 0:
        raise InputError(f"{home} has no trade with other countries in the {source} {year} data")
    W, bloc_names = gp_weight_matrix(codes, V, blocs)
    s = V[h] / V[h].sum()
    C = K.gp_concentration(s, W)
    red = 100.0 * K.exposure_reduction(s, W, weights.shift)

    partners = [c for c in codes if c != home]
    pk = np.array([pos[p] for p in partners])
    frame = pd.DataFrame({"partner": partners})
    frame["name"] = [_countries.country(p).name for p in partners]
    frame["trade_usd_mn"] = V[h, pk] / 1e6
    frame["trade_share"] = s[pk]
    frame["partner_gp_share"] = W.sum(axis=1)[pk]
    frame["exposure_reduction_pp"] = red[pk]

    # complementarity: home export mix vs partner import mix over the same sectors
    sectors = sorted(set(home_exports["product"]) | set(imports_by_sector["product"]))
    x = home_exports.groupby("product")["value_usd"].sum().reindex(sectors, fill_value=0.0).to_numpy(float)
    m = (imports_by_sector.pivot_table(index="importer", columns="product", values="value_usd", aggfunc="sum", fill_value=0.0)
         .reindex(index=partners, columns=sectors).to_numpy(float))
    tci = np.full(len(partners), np.nan)
    have = np.isfinite(m).all(axis=1) & (np.nansum(m, axis=1) > 0)
    if x.sum() > 0:
        tci[have] = K.tci(x / x.sum(), m[have] / m[have].sum(axis=1, keepdims=True))
    frame["complementarity_index"] = tci

    notes: list[str] = []
    if gravity is not None:
        g = gravity.predicted
        gh = g[(g["exporter"] == home) | (g["importer"] == home)].copy()
        gh["partner"] = np.where(gh["exporter"] == home, gh["importer"], gh["exporter"])
        agg = gh.groupby("partner")[["value_usd", "predicted_usd"]].sum()
        pred = agg["predicted_usd"].reindex(partners).to_numpy(float)
        act = agg["value_usd"].reindex(partners).to_numpy(float)
        frame["predicted_trade_usd_mn"] = pred / 1e6
        with np.errstate(divide="ignore", invalid="ignore"):
            frame["potential_ratio"] = np.where(act > 0, pred / act, np.nan)
        zero = [p for p, a in zip(partners, act, strict=True) if not a > 0]
        if zero:
            notes.append(f"potential missing where {home} records no trade (ratio undefined): {', '.join(zero[:8])}")
    else:
        frame["predicted_trade_usd_mn"] = np.nan
        frame["potential_ratio"] = np.nan
        notes.append("no gravity benchmark: potential is missing for every partner")

    if stability is not None and not stability.empty:
        latest = stability.dropna(subset=["estimate"]).sort_values("year").groupby("country").tail(1).set_index("country")
        frame["stability_wgi"] = latest["estimate"].reindex(partners).to_numpy(float)
        frame["stability_year"] = latest["year"].reindex(partners).astype("Int64").to_numpy()
        yrs = latest["year"].reindex(partners).dropna()
        if len(yrs):
            notes.append(f"political stability: WGI PV, latest year per country ({int(yrs.min())}-{int(yrs.max())})")
    else:
        frame["stability_wgi"] = np.nan
        frame["stability_year"] = pd.array([pd.NA] * len(partners), dtype="Int64")
        notes.append("no WGI data: stability is missing for every partner (run 'geohedge data build')")

    al, al_notes = _alignment(agreement, home, partners, window, min_votes)
    notes.extend(al_notes)
    for c in al.columns:
        frame[c] = al[c].to_numpy(float)

    wv = weights.values()
    S = np.column_stack([K.rank_score(frame[c.column].to_numpy(float), c.higher_is_better) for c in COMPONENTS])
    for k, c in enumerate(COMPONENTS):
        frame[f"{c.name}_score"] = S[:, k]
    avail = np.isfinite(S)
    wsum = (avail * wv).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        overall = np.where(wsum > 0, (np.nan_to_num(S) * wv).sum(axis=1) / wsum, np.nan)
    frame["overall_score"] = overall
    frame["n_components"] = avail.sum(axis=1)
    frame["missing"] = [";".join(c.name for c, a in zip(COMPONENTS, row, strict=True) if not a) for row in avail]
    rw = np.array([weights.stability, weights.volatility])
    rw = rw if rw.sum() > 0 else np.ones(2)
    rs = S[:, 3:5]
    ra = np.isfinite(rs)
    with np.errstate(invalid="ignore", divide="ignore"):
        frame["reliability_score"] = np.where((ra * rw).sum(axis=1) > 0, (np.nan_to_num(rs) * rw).sum(axis=1) / (ra * rw).sum(axis=1), np.nan)
    nothing = frame["overall_score"].isna()
    if nothing.any():
        notes.append(f"no weighted component has data for {', '.join(frame.loc[nothing, 'partner'][:8])}: no overall score")
    reweighted = frame.loc[(frame["n_components"] < len(COMPONENTS)) & ~nothing, "partner"].tolist()
    if reweighted:
        notes.append(f"overall score re-weighted over the available components for {len(reweighted)} partners "
                     f"(e.g. {', '.join(reweighted[:6])}); see the 'missing' column")
    frame = frame.sort_values(["overall_score", "trade_usd_mn"], ascending=[False, False], na_position="last", ignore_index=True)
    frame.insert(0, "rank", np.arange(1, len(frame) + 1))
    lead = ["rank", "partner", "name", "overall_score", "n_components", "missing"]
    frame = frame[lead + [c for c in frame.columns if c not in lead]]
    prov = Provenance(f"{source}; {_WGI}; {_UN}", year, "scores 0-1 (percentile rank among partners)", approximate)
    return PartnerScores(home, year, frame, COMPONENTS, weights, gravity, C, bloc_names, prov, tuple(notes))
