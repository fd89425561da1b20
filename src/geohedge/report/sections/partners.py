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
_COLS = ["rank", "partner", "score_pp", "rank_interval", "va_exposure_reduction_pp", "cvar_reduction_pp", "shift_pp", "capacity_usd_bn",
         "quality", "stability_wgi", "potential_gap_usd_mn", "agreement", "trade_share", "flags"]
_FMTS = {"score_pp": ".3f", "va_exposure_reduction_pp": "+.2f", "cvar_reduction_pp": "+.2f", "shift_pp": ".2f", "capacity_usd_bn": ",.0f",
         "quality": ".2f", "stability_wgi": "+.2f", "potential_gap_usd_mn": ",.0f", "trade_share": ".1%"}


def _table(frame: pd.DataFrame) -> pd.DataFrame:
    t = frame.copy()
    t["rank_interval"] = [f"{int(a)}-{int(b)}" if np.isfinite(a) else "" for a, b in zip(t["rank_p10"], t["rank_p90"], strict=True)]
    t["capacity_usd_bn"] = t["capacity_usd_mn"] / 1e3
    t["agreement"] = [(f"{a.split(';')[0]}{f' +{a.count(chr(59))}' if ';' in a else ''} (since {d[:4]})") if d else "none"
                      for a, d in zip(t["agreements"].fillna(""), t["agreement_since"].fillna(""), strict=True)]
    return t[_COLS].reset_index(drop=True)


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
    seed: int = 0,
    **_: object,
) -> Section:
    """Partners section for ``iso3``.

    Parameters
    ----------
    partners
        Partners shown in the table, explained ("what it would take") and given a deepen-ties
        run whatever their rank (TUR by default; the brief passes ``--partner`` here).
    top, deepen_top
        Rows of the ranked table; number of top candidates given a deepen-ties run.
    cost_cut
        Trade-cost cut of the deepen-ties scenario, percent.
    max_shift
        Reallocation cap of the portfolio shown in the text (the frontier covers 0-30%).
    weights
        A :class:`geohedge.partners.Weights` profile (default profile when ``None``).
    seed
        Seed of the rank-interval draws.
    """
    from geohedge.partners import explain_partner
    from geohedge.views.partners import (
        deepen_ties,
        partner_frontier,
        partner_ranking,
        scenario_losses,
    )

    key, title = "partners", "Partners"
    named = [p for p in dict.fromkeys([*partners, *DEFAULT_PARTNERS]) if p != iso3]
    sl, sl_error = None, None
    try:
        sl = scenario_losses(store, iso3)
    except GeohedgeError as exc:
        sl_error = exc
    try:
        res = partner_ranking(store, iso3, weights=weights, seed=seed, losses=sl, scenarios=sl is not None)
    except GeohedgeError as exc:
        why = str(exc)
        fix = "" if "not a separate region" in why else "; run 'geohedge data build'"
        return Section(key=key, title=title, missing=f"partner scoring needs the country in the ICIO trade table ({why}){fix}")
    sec = Section(key=key, title=title)
    src = res.provenance.label()
    frame = res.to_frame()
    ranked = res.ranked()
    shown = frame[((frame["rank"] <= top) & frame["reduces_exposure"]) | frame["partner"].isin(named)]
    w = res.weights
    sec.tables.append(TableBlock(
        f"Which partners would reduce {iso3}'s great-power exposure, and by how much: score = fall in the share of {iso3}'s exported value "
        f"added that ends in great-power ({'+'.join(res.blocs)}) final demand if up to {w.shift:.0%} of exports moved to the partner, within "
        f"what it can take (exports to it grow by at most {w.growth:.0%}; at most {w.capture:.0%} of its import demand in {iso3}'s export "
        f"sectors), times a quality factor (0-1: stability, steady votes and tariffs, an agreement in force, alignment, bridging, potential; "
        f"weights {w.label()}); pp. Rank interval: 80% of {res.draws} draws of the weights (Dirichlet) and of the uncertain inputs "
        f"(gravity and WGI standard errors), seed {res.seed}. VA red.: per {w.shift:.0%} of exports moved; CVaR red.: fall in the tail loss of "
        f"the export portfolio across four great-power shock scenarios; fits: pp of exports the partner can take; capacity: its imports of "
        f"what {iso3} sells, USD bn; gravity gap: predicted minus actual trade, USD mn. Flags: small market (under {w.small_market:.1%} of "
        f"{iso3}'s trade), capacity-bound, weight-sensitive (top-ten place changes in over 10% of weight draws), imputed (missing index at "
        f"the candidates' lowest value); {src}",
        _table(shown), _FMTS))
    raising = res.raising()
    if len(raising):
        sec.text.append(f"{len(raising)} partners would raise {iso3}'s great-power exposure and are not ranked: the great powers themselves "
                        f"and partners whose purchases end mostly in their final demand (least harmful first: "
                        f"{', '.join(raising['partner'].head(8))}; moving {w.shift:.0%} of exports to them adds "
                        f"{-raising['va_exposure_reduction_pp'].iloc[0]:.2f} to {-raising['va_exposure_reduction_pp'].iloc[-1]:.2f} pp).")
    if len(ranked):
        lead = ranked.iloc[0]
        sec.headlines.append(Headline(f"Partner that would reduce {iso3}'s great-power exposure most, within capacity and reliability-adjusted",
                                      f"{lead['partner']} ({lead['score_pp']:.2f} pp; rank {int(lead['rank_p10'])}-{int(lead['rank_p90'])})"
                                      if np.isfinite(lead["rank_p10"]) else f"{lead['partner']} ({lead['score_pp']:.2f} pp)", src))
        top_fig = figure(sec.tables[0], 0, str(lead["partner"]), "score_pp", label="", key="partner")
        sec = Section(**{**sec.__dict__, "page_one": PageLine(
            "Which partners would reduce our exposure?",
            f"Partner that would reduce the great-power exposure most: {lead['name']}, reliability-adjusted reduction",
            (top_fig,), f"pp of exported value added, moving up to {w.shift:.0%} of exports", str(res.year),
            "OECD ICIO; World Bank WGI; UN General Assembly votes; trade agreements in force",
            f"Of its candidate partners, {lead['name']} ({lead['partner']}) could take the most of its exports away from great-power final demand, "
            f"within what it can absorb and discounted by how far it can be relied on.")})
    sec.headlines.append(Headline(f"Share of {iso3}'s exported value added ending in great-power final demand ({'+'.join(res.blocs)})",
                                  f"{res.concentration:.1%}", f"OECD ICIO {res.year}"))
    sens = ranked[ranked["weight_sensitive"]]
    if len(sens):
        sec.text.append(f"Places that depend on the weights (in the top ten in some weight draws, out of it in others): "
                        f"{', '.join(f'{r.partner} ({int(r.rank_p10)}-{int(r.rank_p90)})' for r in sens.itertuples())}.")
    for p in named:
        if p not in set(frame["partner"]):
            sec.text.append(f"{p} is not a separate region of the ICIO {res.year} table, so it cannot be scored.")
            continue
        ex = explain_partner(res, p)
        sec.text.append(ex.summary())
        row = res.row(p)
        if row["reduces_exposure"]:
            sec.headlines.append(Headline(f"{p}'s place among the {len(ranked)} partners that would reduce {iso3}'s exposure",
                                          f"{int(row['rank'])} (80% interval {int(row['rank_p10'])}-{int(row['rank_p90'])})"
                                          if np.isfinite(row["rank_p10"]) else f"{int(row['rank'])}", src))
    if len(ranked):
        pts = ranked
        hi = [p for p in named if p in set(pts["partner"])] + list(pts["partner"].head(3))
        sec.charts.append(Chart(
            f"{iso3}'s partners: achievable exposure reduction against quality",
            charts.scatter_chart(list(pts["quality"]), list(pts["va_exposure_reduction_pp"] * pts["shift_pp"] / (100 * w.shift)), list(pts["partner"]),
                                 title=f"{iso3}: what a partner can take vs how far to trust it", xlabel="quality factor (0-1)",
                                 ylabel="exposure reduction within capacity (pp)", highlight=hi),
            f"Partners that would reduce {iso3}'s great-power exposure; the score is x times y; highlighted: named partners and the top 3; {src}."))
    sec.notes.extend(res.notes)
    if res.gravity is not None:
        sec.notes.append(f"Gravity benchmark: {res.gravity.summary()}.")
    sec.notes.append("Method, the backtest of untapped potential and the sources of the agreement table: docs/partners.md.")

    # deepen ties: top candidates and the named partners
    targets = [p for p in dict.fromkeys([*ranked["partner"].head(deepen_top), *named]) if p in set(frame["partner"])]
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
                sec.notes.extend(f"{iso3}-{p} deeper ties: {n}" for n in d.notes)
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
        if sl is None:
            raise sl_error
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
