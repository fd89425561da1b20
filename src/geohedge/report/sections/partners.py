"""The brief's "Partners" section: who the country could deepen ties with (ranked, component by
component), what deepening ties buys (shock-model counterfactuals for the top candidates and
the named partners), and a partner portfolio against great-power shocks (efficient frontier)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from geohedge.data.store import Store
from geohedge.errors import GeohedgeError
from geohedge.report import charts
from geohedge.report.section import Chart, Headline, PageLine, Section, TableBlock, figure

#: Always shown whatever its rank (the running example's outreach partner).
DEFAULT_PARTNERS = ("TUR",)
_COLS = ["rank", "partner", "overall_score", "exposure_reduction_pp", "complementarity_index", "potential_ratio",
         "stability_wgi", "alignment_volatility", "alignment_distance", "bridging", "missing"]
_FMTS = {"overall_score": ".2f", "exposure_reduction_pp": "+.2f", "complementarity_index": ".1f", "potential_ratio": ".2f",
         "stability_wgi": "+.2f", "alignment_volatility": ".3f", "alignment_distance": ".2f", "bridging": ".2f"}


def build(
    store: Store,
    iso3: str,
    *,
    partners: Sequence[str] = DEFAULT_PARTNERS,
    top: int = 10,
    deepen_top: int = 3,
    cost_cut: float = 20.0,
    max_shift: float = 0.10,
    weights=None,
    **_: object,
) -> Section:
    """Partners section for ``iso3``.

    Parameters
    ----------
    partners
        Partners shown in the table and given a deepen-ties run whatever their rank
        (TUR by default; the brief passes ``--partner`` here).
    top, deepen_top
        Rows of the ranked table; number of top candidates given a deepen-ties run.
    cost_cut
        Trade-cost cut of the deepen-ties scenario, percent.
    max_shift
        Reallocation cap of the portfolio shown in the text (the frontier covers 0-30%).
    weights
        A :class:`geohedge.partners.Weights` profile (default profile when ``None``).
    """
    from geohedge.views.partners import (
        deepen_ties,
        partner_frontier,
        partner_ranking,
        scenario_losses,
    )

    key, title = "partners", "Partners"
    named = [p for p in dict.fromkeys([*partners, *DEFAULT_PARTNERS]) if p != iso3]
    try:
        res = partner_ranking(store, iso3, weights=weights)
    except GeohedgeError as exc:
        return Section(key=key, title=title, missing=f"partner scoring needs the ICIO trade table ({exc}); run 'geohedge data build'")
    sec = Section(key=key, title=title)
    src = res.provenance.label()
    frame = res.to_frame()
    shown = frame[(frame["rank"] <= top) | frame["partner"].isin(named)]
    sec.tables.append(TableBlock(
        f"{iso3}'s candidate partners, best first, with the named partners whatever their rank: overall score (0-1, weighted "
        f"percentile ranks; weights {res.weights.label()}), exposure reduction (pp of great-power concentration if "
        f"{res.weights.shift:.0%} of trade shifts to the partner), trade complementarity (0-100), gravity-predicted / actual trade, "
        f"WGI political stability, SD of UN-vote lean, distance to {iso3} in UN votes (1 - agreement), bridging (0-1); {src}",
        shown[_COLS].reset_index(drop=True), _FMTS))
    lead = frame.iloc[0]
    sec.headlines.append(Headline(f"Top-ranked partner for {iso3}", f"{lead['partner']} ({lead['overall_score']:.2f} of 1)", src))
    top_fig = figure(sec.tables[0], 0, str(lead["partner"]), "overall_score", label="", key="partner")
    sec = Section(**{**sec.__dict__, "page_one": PageLine(
        "Which partners would reduce our exposure?", f"Best-supported partner: {lead['name']}, overall score", (top_fig,),
        "0-1, weighted percentile ranks", str(res.year), "OECD ICIO; World Bank WGI; UN General Assembly votes",
        f"Of its candidate partners, {lead['name']} ({lead['partner']}) is the best supported by these scores.")})
    sec.headlines.append(Headline(f"{iso3}'s great-power concentration (USA, CHN, EU27, RUS, JPN; direct + one step indirect)",
                                  f"{res.concentration:.1%} of trade", f"OECD ICIO {res.year}"))
    for p in named:
        hit = frame[frame["partner"] == p]
        if hit.empty:
            sec.text.append(f"{p} is not a separate region of the ICIO {res.year} table, so it cannot be scored.")
            continue
        sec.text.append(_partner_sentence(hit.iloc[0], len(frame), iso3))
    pts = frame.dropna(subset=["reliability_score", "potential_score"])
    hi = [p for p in named if p in set(pts["partner"])] + list(frame["partner"].head(3))
    sec.charts.append(Chart(
        f"{iso3}'s partners: reliability against potential",
        charts.scatter_chart(list(pts["reliability_score"]), list(pts["potential_score"]), list(pts["partner"]),
                             title=f"{iso3}: partner reliability vs untapped potential", xlabel="reliability score (WGI stability, steady UN votes; 0-1)",
                             ylabel="potential score (gravity-predicted / actual trade; 0-1)", highlight=hi),
        f"Percentile-rank scores among {iso3}'s {len(frame)} ICIO partners; highlighted: named partners and the top 3; {src}."))
    sec.notes.extend(res.notes)
    if res.gravity is not None:
        sec.notes.append(f"Gravity benchmark: {res.gravity.summary()}.")

    # deepen ties: top candidates and the named partners
    targets = [p for p in dict.fromkeys([*frame["partner"].head(deepen_top), *named]) if p in set(frame["partner"])]
    rows = []
    try:
        from geohedge.views.baseline import query_baseline

        base = query_baseline(store)
        for p in targets:
            if p not in base.countries or iso3 not in base.countries:
                continue
            d = deepen_ties(store, iso3, p, cost_cut=cost_cut, base=base)
            t = d.trade.set_index("flow")
            rows.append({"partner": p, "rank": int(frame.loc[frame["partner"] == p, "rank"].iloc[0]), "welfare_change": d.welfare_change,
                         "gp_concentration_change_pp": 100 * (d.concentration_new - d.concentration_base),
                         "exports_to_partner_base_usd_mn": t.loc["exports", "base_usd_mn"], "exports_to_partner_new_usd_mn": t.loc["exports", "new_usd_mn"],
                         "imports_from_partner_base_usd_mn": t.loc["imports", "base_usd_mn"], "imports_from_partner_new_usd_mn": t.loc["imports", "new_usd_mn"],
                         **{f"{b.lower()}_exposure_change_pp": c for b, c in d.exposure.set_index("bloc")["change_pp"].items()}})
            if p in named:
                sec.text.append(d.summary())
                sec.headlines.append(Headline(f"Welfare gain for {iso3} from deeper ties with {p} (trade costs -{cost_cut:g}% both ways)",
                                              f"{d.welfare_change:+.3%} of real income", d.provenance.label()))
    except GeohedgeError as exc:
        sec.text.append(f"Deepen-ties scenarios could not be run: {exc}")
    if rows:
        dt = pd.DataFrame(rows)
        sec.tables.append(TableBlock(
            f"What deeper ties buy {iso3}: tariffs removed and trade costs cut {cost_cut:g}% both ways with each partner "
            f"(Caliendo-Parro GE model, uniform trade elasticity 5); welfare = real-income change; change in great-power "
            f"concentration (pp) and in {iso3}'s exposure to each bloc (pp of trade, direct plus through partners' own great-power trade); trade in USD million",
            dt, {"welfare_change": "+.3%", "gp_concentration_change_pp": "+.3f", **{c: ",.0f" for c in dt.columns if c.endswith("usd_mn")},
                 **{c: "+.3f" for c in dt.columns if c.endswith("exposure_change_pp")}}))

    # portfolio frontier
    try:
        sl = scenario_losses(store, iso3)
        fr = partner_frontier(store, iso3, losses=sl)
        f = fr.to_frame()
        sec.charts.append(Chart(
            f"{iso3}'s export portfolio: tail loss against reallocation",
            charts.line_chart(list(100 * f["max_shift"]), {"CVaR 50% loss": list(f["cvar"]), "expected loss": list(f["expected_loss"])},
                              title=f"{iso3}: loss across great-power scenarios vs share of exports moved", ylabel="share of exports lost", percent=True),
            f"x axis: cap on exports moved between partners (% of exports), trade with a partner growing at most 50%; scenarios: "
            f"{', '.join(sl.titles)}; {fr.provenance.label()}."))
        at = fr.points[int(np.argmin(np.abs(f["max_shift"].to_numpy() - max_shift)))]
        sec.text.append(at.summary())
        sec.headlines.append(Headline(f"CVaR loss of {iso3}'s exports across great-power scenarios, moving {at.max_shift:.0%} of exports",
                                      f"{at.cvar_base:.1%} -> {at.cvar:.1%} of exports", fr.provenance.label()))
        sec.notes.append("Portfolio: CVaR (Rockafellar & Uryasev 2000) at 50% over four equally likely scenarios, linear program solved with cvxpy; "
                         "loss per partner = relative fall of exports to it in each scenario. See docs/partners.md.")
    except GeohedgeError as exc:
        sec.text.append(f"The partner portfolio could not be computed: {exc}")
    return sec


def _partner_sentence(r: pd.Series, n: int, iso3: str) -> str:
    miss = f"; missing: {r['missing'].replace(';', ', ')}" if r["missing"] else ""
    def fmt(v: float, spec: str) -> str:
        return "n/a" if pd.isna(v) else format(v, spec)
    return (
        f"{r['name']} ({r['partner']}) ranks {int(r['rank'])} of {n} with {r['overall_score']:.2f}: exposure reduction "
        f"{fmt(r['exposure_reduction_pp'], '+.2f')} pp, complementarity {fmt(r['complementarity_index'], '.1f')}, predicted/actual trade "
        f"{fmt(r['potential_ratio'], '.2f')}, WGI stability {fmt(r['stability_wgi'], '+.2f')}, bridging {fmt(r['bridging'], '.2f')}, "
        f"distance to {iso3} {fmt(r['alignment_distance'], '.2f')}{miss}."
    )
