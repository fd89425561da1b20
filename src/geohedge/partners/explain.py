"""What it would take: why a candidate partner ranks where it does, and what single change would
move it into the top ten.

The score factors as ``score = a * s * Q`` (:mod:`geohedge.partners.scoring`): ``a`` the fall
in great-power exposure per point of exports moved (pp per pp), ``s`` the points of exports the
partner can take (pp), ``Q`` the quality factor. For each factor the partner's value is set
to the top-ten median with the others unchanged; the score it gains is what that factor
costs it (``shortfalls``). Each lever then solves for the one input that alone would lift the
score to the tenth partner's (``levers``):

- the room: exports to the partner ``X* = s* E_h / growth``; as a cut ``c`` in the trade costs
  of those exports at trade elasticity ``theta`` (partial equilibrium):
  ``X* / X = (1 - c)^-theta``, so ``c = 1 - (X / X*)^(1 / theta)``;
- an index ``k`` of the quality factor: ``q_k* = q_k + (Q* - Q) sum(w) / w_k``, turned back
  into its raw unit (WGI ``PV* = Phi^-1(q*)``, vote SD ``(1 - q*) / 2``, tariff volatility
  ``q*^(-1/5) - 1``, gravity ``z* = Phi^-1(q*)``), feasible only if ``q_k* <= 1``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import ndtri

from geohedge.partners.results import PartnerExplanation, PartnerScores
from geohedge.partners.scoring import TARIFF_ELASTICITY, TOP

__all__ = ["explain_partner"]

_LABEL = {"potential": "untapped potential", "stability": "political stability", "vote_volatility": "steadiness of UN votes",
          "tariff_volatility": "steadiness of its tariffs", "agreement": "a trade agreement in force",
          "alignment": "UN-vote agreement with the home country", "bridging": "bridging between the powers"}


def _raw(index: str, q: float, row: pd.Series) -> tuple[float, str, str]:
    """An index value back in its raw unit: (value, unit, formatted)."""
    q = float(np.clip(q, 1e-12, 1 - 1e-12))
    if index == "stability":
        v = float(ndtri(q))
        return v, "WGI estimate", f"WGI {v:+.2f}"
    if index == "vote_volatility":
        v = (1 - q) / 2
        return v, "SD of agreement", f"SD {v:.3f}"
    if index == "tariff_volatility":
        v = 100 * (q ** (-1 / TARIFF_ELASTICITY) - 1)
        return v, "pp", f"{v:.2f} pp"
    if index == "potential":
        z = float(ndtri(q))
        se = row.get("potential_gap_se_usd_mn", np.nan)
        gap = z * se if np.isfinite(se) else np.nan
        return gap, "USD mn gravity gap", f"a gravity gap of USD {gap:,.0f} mn (z {z:+.1f})"
    return q, "share", f"{q:.2f}"


def _current(index: str, row: pd.Series) -> str:
    col = {"stability": ("stability_wgi", "WGI {:+.2f}"), "vote_volatility": ("vote_volatility", "SD {:.3f}"),
           "tariff_volatility": ("tariff_volatility_pp", "{:.2f} pp"), "potential": ("potential_gap_usd_mn", "a gravity gap of USD {:,.0f} mn"),
           "alignment": ("agreement_with_home", "{:.2f}"), "bridging": ("bridging", "{:.2f}")}.get(index)
    if index == "agreement":
        return "in force" if row["agreement_in_force"] else "none"
    v = row.get(col[0], np.nan) if col else np.nan
    return "n/a" if not np.isfinite(v) else col[1].format(v)


def explain_partner(scores: PartnerScores, partner: str, *, top: int = TOP) -> PartnerExplanation:
    """Why ``partner`` ranks where it does for ``scores.home`` and what would move it into the top ``top``.

    Raises
    ------
    InputError
        ``partner`` is not among the scored partners.
    """
    row = scores.row(partner)
    home, w = scores.home, scores.weights
    ranked = scores.ranked()
    n = len(ranked)
    name = row["name"]
    rank = int(row["rank"])
    text: list[str] = []
    sf_cols = ["factor", "value", "top10_median", "unit", "loss_pp"]
    lv_cols = ["lever", "current", "needed", "unit", "feasible", "note"]
    if not row["reduces_exposure"]:
        X = scores.concentration
        text.append(f"{name} ({partner}) would not reduce {home}'s great-power exposure: {row['va_gp_content']:.0%} of the {home} value "
                    f"added it buys ends in {'+'.join(scores.blocs)} final demand, against {X:.0%} for {home}'s exports on average, so moving "
                    f"{w.shift:.0%} of exports there raises the exposure by {-row['va_exposure_reduction_pp']:.2f} pp. No change in its "
                    f"reliability or in trade costs alters that; it is listed after the {n} partners that would reduce the exposure.")
        return PartnerExplanation(home, partner, rank, n, 0.0, float("nan"), pd.DataFrame(columns=sf_cols), pd.DataFrame(columns=lv_cols), tuple(text))
    head = ranked.head(top)
    inside = rank <= top
    ref = ranked.iloc[min(top, n - 1)] if inside else ranked.iloc[min(top, n) - 1]
    T = float(ref["score_pp"])
    a = row["va_exposure_reduction_pp"] / (100 * w.shift)
    s, Q = float(row["shift_pp"]), float(row["quality"])
    score = float(row["score_pp"])
    interval = (f" (80% interval {int(row['rank_p10'])}-{int(row['rank_p90'])} across weight and input draws)"
                if np.isfinite(row.get("rank_p10", np.nan)) else "")
    if inside:
        text.append(f"{name} ({partner}) ranks {rank} of the {n} partners that would reduce {home}'s great-power exposure{interval}, "
                    f"inside the top {top}: score {score:.3f} pp against {T:.3f} pp for place {top + 1} ({ref['name']}).")
    else:
        text.append(f"{name} ({partner}) ranks {rank} of the {n} partners that would reduce {home}'s great-power exposure{interval}: "
                    f"score {score:.3f} pp of exported value added against {T:.3f} pp for place {top} ({ref['name']}).")
    med = {"a": float((head["va_exposure_reduction_pp"] / (100 * w.shift)).median()), "s": float(head["shift_pp"].median()),
           "Q": float(head["quality"].median())}
    sf = [("reduction per point of exports moved", a, med["a"], "pp per pp", max(0.0, (med["a"] - a) * s * Q)),
          ("points of exports it can take", s, med["s"], "pp", max(0.0, a * (med["s"] - s) * Q)),
          ("quality factor", Q, med["Q"], "0-1", max(0.0, a * s * (med["Q"] - Q)))]
    wv = w.values()
    names = list(w.names())
    have = np.array([scores.frame[f"{k}_index"].notna().any() for k in names])  # indices nobody has leave Q
    wsum = float(wv[have].sum())
    core = a * s
    for k, wk in zip(names, wv, strict=True):
        if wk <= 0 or not have[names.index(k)]:
            continue
        qk = row.get(f"{k}_index", np.nan)
        qk_used = qk if np.isfinite(qk) else float(scores.frame[f"{k}_index"].min())  # as imputed
        qm = float(head[f"{k}_index"].median())
        if np.isfinite(qm) and qm > qk_used:
            sf.append((_LABEL[k], qk_used, qm, "index 0-1", core * wk / wsum * (qm - qk_used)))
    shortfalls = pd.DataFrame(sf, columns=sf_cols).sort_values("loss_pp", ascending=False, ignore_index=True)
    lose = shortfalls[shortfalls["loss_pp"] > 1e-6]
    if len(lose):
        bits = []
        for r in lose.head(4).itertuples():
            if r.factor == "points of exports it can take":
                why = (f"exports to {partner} (USD {row['exports_usd_mn']:,.0f} mn, {row['export_share']:.1%} of {home}'s exports) can grow "
                       f"by at most {w.growth:.0%}" if row["shift_bound"] == "relationship" else
                       f"its import demand in {home}'s export sectors (USD {row['capacity_usd_mn']:,.0f} mn) takes at most "
                       f"{w.capture:.0%} from a new supplier" if row["shift_bound"] == "capacity" else "it takes the full shift")
                bits.append(f"room - only {s:.2f} of the {100 * w.shift:.0f} pp shift fits because {why} (top-ten median {r.top10_median:.2f} pp; "
                            f"costs {r.loss_pp:.3f} pp of score)")
            elif r.factor == "reduction per point of exports moved":
                bits.append(f"{row['va_gp_content']:.0%} of the value added it buys still ends in great-power final demand "
                            f"(reduction {a:.2f} pp per pp moved, top-ten median {r.top10_median:.2f}; costs {r.loss_pp:.3f} pp)")
            elif r.factor == "quality factor":
                continue
            else:
                key = next(k for k, v in _LABEL.items() if v == r.factor)
                bits.append(f"{r.factor} - {_current(key, row)} (index {r.value:.2f}, top-ten median {r.top10_median:.2f}; costs {r.loss_pp:.3f} pp)")
        text.append("What holds it back: " + "; ".join(bits) + ".")
    levers = []
    if not inside and T > 0:
        target = T * (1 + 1e-9)
        s_need = target / (a * Q) if a * Q > 0 else np.inf
        E = row["exports_usd_mn"] / row["export_share"] if row["export_share"] > 0 else np.nan
        if s_need <= 100 * w.shift:
            if row["shift_bound"] == "capacity":
                cap_need = s_need / 100 * E / w.capture
                levers.append(("import demand in home export sectors", row["capacity_usd_mn"], cap_need, "USD mn", True,
                               f"a partner market of USD {cap_need:,.0f} mn in {home}'s export sectors"))
            else:
                x_need = s_need / 100 * E / w.growth
                cut = 1 - (row["exports_usd_mn"] / x_need) ** (1 / TARIFF_ELASTICITY) if row["exports_usd_mn"] > 0 else np.nan
                levers.append(("exports to the partner", row["exports_usd_mn"], x_need, "USD mn", True,
                               (f"exports to {partner} of USD {x_need:,.0f} mn (now {row['exports_usd_mn']:,.0f}); at trade elasticity "
                                f"{TARIFF_ELASTICITY:g} that is a {100 * cut:.0f}% cut in the cost of those exports")))
        else:
            levers.append(("exports to the partner", row["exports_usd_mn"], np.nan, "USD mn", False,
                           f"even the full {100 * w.shift:.0f} pp shift would not reach place {top}"))
        Q_need = target / core if core > 0 else np.inf
        for k, wk in zip(names, wv, strict=True):
            if wk <= 0 or not have[names.index(k)]:
                continue
            qk = row.get(f"{k}_index", np.nan)
            qk = qk if np.isfinite(qk) else float(scores.frame[f"{k}_index"].min())
            if not np.isfinite(qk):
                continue
            q_need = qk + (Q_need - Q) * wsum / wk
            if k == "agreement":
                if row["agreement_in_force"]:
                    continue  # nothing left to sign
                ok = q_need <= 1
                levers.append((_LABEL[k], _current(k, row), "in force" if ok else "not enough", "", ok,
                               "a trade agreement in force" if ok else "an agreement alone would not be enough"))
                continue
            feasible = q_need <= 1 - 1e-9
            val, unit, shown = _raw(k, min(q_need, 1.0), row) if feasible else (np.nan, "", "")
            levers.append((_LABEL[k], _current(k, row), val, unit, feasible, f"{_LABEL[k]}: {shown}" if feasible else
                           f"{_LABEL[k]} alone cannot do it (it would need an index above 1)"))
        can = [lv[5] for lv in levers if lv[4]]
        cannot = [lv[0] for lv in levers if not lv[4]]
        if can:
            text.append(f"It would enter the top {top}, one change at a time, with: " + "; or ".join(can) + ".")
        if cannot:
            text.append("Not enough on its own: " + ", ".join(cannot) + ".")
    yr = str(row["tariff_years"])[-4:]
    out_t, in_t = row["tariff_on_home_pct"], row.get("tariff_by_home_pct", np.nan)
    rates = (f"{partner}'s applied tariff on {home}'s goods averages {out_t:.1f}% and {home}'s on {partner}'s {in_t:.1f}% ({yr}, each weighted "
             f"by the exporter's world export mix)" if np.isfinite(in_t) else f"{partner}'s applied tariff on {home}'s goods averages {out_t:.1f}% ({yr})")
    low = np.isfinite(out_t) and out_t < 5 and (not np.isfinite(in_t) or in_t < 5)
    if row["agreement_in_force"]:
        text.append(f"A trade agreement has been in force since {row['agreement_since']} ({row['agreements'].replace(';', ', ')}); {rates}: "
                    + ("removing the remaining tariffs has little left to buy, so deeper ties must come from lower non-tariff trade costs."
                       if low else "tariffs the agreement has not removed are still worth negotiating, and the rest must come from lower "
                       "non-tariff trade costs."))
    elif np.isfinite(out_t):
        text.append(f"No trade agreement with {home} is in force; {rates}.")
    return PartnerExplanation(home, partner, rank, n, score, T, shortfalls, pd.DataFrame(levers, columns=lv_cols), tuple(text))
