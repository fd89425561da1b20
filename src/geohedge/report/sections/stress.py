"""The brief's "Stress test" section: the focus country under the US tariffs in force from
August 2025, the April 2025 schedule with every target retaliating, and a US-China
decoupling (general-equilibrium model with input-output links, Caliendo & Parro 2015, on
the store's ICIO table): the exact real income change and CP2015's linearised
decomposition, tariff revenue, output and exports by sector, the ten largest bilateral
diversions, and the range of the headline across the eight published elasticity sets."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from geohedge.data.store import Store
from geohedge.errors import GeohedgeError
from geohedge.report import charts
from geohedge.report.section import Chart, Headline, PageLine, Section, TableBlock, figure

DEFAULT_SCENARIOS = ("us-tariffs-2025-08", "us-reciprocal-2025-04-retaliation", "us-china-decoupling")
MODEL = "Caliendo-Parro (2015) GE model with input-output links"
EXACT = "real income change (exact, W_hat - 1)"


def _set_range(base, scenario, iso3: str, src: str) -> tuple[TableBlock, str]:
    from geohedge.shocks.montecarlo import welfare_by_set

    by = welfare_by_set(base, scenario)
    me = by[by["country"] == iso3].sort_values("welfare_change", ignore_index=True)
    lo, hi = me.iloc[0], me.iloc[-1]
    text = (f"Across the eight published elasticity sets, {iso3}'s {EXACT} under '{scenario.title}' ranges from "
            f"{lo.welfare_change:+.2%} ({lo.set_name}) to {hi.welfare_change:+.2%} ({hi.set_name}); the built-in scenario uses "
            "Caliendo & Parro (2015) Table 1 mapped to ICIO sectors. See docs/shocks.md for the papers.")
    return TableBlock(f"{iso3} under '{scenario.title}': {EXACT} by published elasticity set, smallest first; {src}",
                      me[["set_name", "welfare_change"]], {"welfare_change": "+.2%"}), text


def build(store: Store, iso3: str, *, scenarios: Sequence[str] = DEFAULT_SCENARIOS, **_: object) -> Section:
    """Stress-test section for ``iso3`` under ``scenarios`` (built-in names or TOML paths)."""
    from geohedge.shocks.model import solve
    from geohedge.shocks.scenario import builtin_scenarios, load_scenario
    from geohedge.views.baseline import query_baseline

    sec = Section(key="stress", title="Stress test")
    try:
        base = query_baseline(store)
    except GeohedgeError as exc:
        return Section(key="stress", title="Stress test", missing=f"no input-output table to calibrate the shock model ({exc}); run 'geohedge data build'")
    if iso3 not in base.countries:
        return Section(key="stress", title="Stress test",
                       missing=f"{iso3} is not one of the {len(base.countries)} economies of the OECD ICIO {base.year} table (the rest of the world "
                               "is one region there), and the shock model needs each economy's input-output accounts; stress tests cover "
                               "those economies only")
    known = builtin_scenarios()
    results = []
    for name in scenarios:
        try:
            sc = known[name] if name in known else load_scenario(name)
            results.append((sc, solve(base, sc)))
        except GeohedgeError as exc:
            sec.text.append(f"Scenario {name} could not be run: {exc}")
    if not results:
        return Section(**{**sec.__dict__, "missing": "no stress scenario could be solved"})
    src = f"{MODEL}; OECD ICIO 2025 release, {base.year}, applied tariffs of 2021" + (", approximate final-demand split" if base.approximate else "")
    rows = []
    for k, (sc, r) in enumerate(results):
        f = r.to_frame().set_index("country")
        me = f.loc[iso3]
        div = r.diversion(iso3)
        hhi = div.concentration[div.concentration["measure"] == "hhi"].set_index("flow")
        sec.headlines.append(Headline(f"{EXACT[0].upper()}{EXACT[1:]}, {sc.title}", f"{me.welfare_change:+.3%}", src))
        rows.append({
            "scenario": sc.title, "real_income_change_exact": me.welfare_change, "welfare_linear_cp2015": me.welfare_linear_cp2015,
            "terms_of_trade_cp2015": me.terms_of_trade_cp2015, "volume_of_trade_cp2015": me.volume_of_trade_cp2015,
            "tariff_revenue_change_usd_mn": me.tariff_revenue_new_usd_mn - me.tariff_revenue_base_usd_mn,
            "exports_change": me.exports_change, "imports_change": me.imports_change,
            "export_hhi_base": hhi.loc["exports", "base"], "export_hhi_new": hhi.loc["exports", "new"],
        })
        if sc.source:
            sec.text.append(f"'{sc.title}' ({sc.date or 'undated'}): {sc.source}.")
        sec.text.append(f"{r.summary(iso3)}")
        sec.text.append(div.summary())
        big = r.largest_diversions(iso3, 10)
        sec.tables.append(TableBlock(
            f"{iso3} under '{sc.title}': the ten largest bilateral diversions (exports to and imports from each partner), USD million "
            f"({base.year} prices, world value added numeraire, exporter prices); {src}",
            big, {"base_usd_mn": ",.0f", "new_usd_mn": ",.0f", "change_usd_mn": "+,.0f", "change": "+.1%"}))
        if k == 0:
            sectors = r.sectors_frame(iso3)
            sectors = sectors.reindex((sectors["exports_base_usd_mn"] * sectors["exports_change"].fillna(0)).abs()
                                      .sort_values(ascending=False).index).head(12)
            sec.tables.append(TableBlock(
                f"{iso3} under '{sc.title}': output and exports by sector (the 12 largest export changes), relative changes; {src}",
                sectors[["sector", "output_base_usd_mn", "output_change", "exports_base_usd_mn", "exports_change"]],
                {"output_base_usd_mn": ",.0f", "output_change": "+.2%", "exports_base_usd_mn": ",.0f", "exports_change": "+.2%"}))
            try:
                block, text = _set_range(base, sc, iso3, src)
                sec.tables.append(block)
                sec.text.append(text)
            except GeohedgeError as exc:
                sec.text.append(f"The range across elasticity sets could not be computed: {exc}")
        ex = div.exports.head(8)
        sec.charts.append(Chart(
            f"Trade diversion: {sc.title}",
            charts.bar_chart(list(ex["partner"]), {"exports": list(ex["change_usd_mn"]),
                                                   "imports": list(div.imports.set_index("partner").reindex(ex["partner"])["change_usd_mn"].fillna(0.0))},
                             title=f"{iso3}: change in trade by partner, {sc.name}", xlabel="USD million"),
            f"Change in {iso3}'s exports to and imports from the partners with the largest export changes; {src}."))
        welfare = f.loc[[c for c in f.index if c != "ROW"], "welfare_change"]
        show = pd.concat([welfare.sort_values().head(6), welfare.loc[[iso3]]]).groupby(level=0).first().sort_values()
        sec.charts.append(Chart(
            f"Real income changes: {sc.title}",
            charts.bar_chart(list(show.index), list(show.values), title=f"Real income change (exact), {sc.name}", xlabel="change", percent=True),
            f"Largest losses and {iso3}; {EXACT}: income deflated by the consumer price index; {src}."))
        sec.notes.extend(n for n in r.notes if n not in sec.notes)
    sec.tables.insert(0, TableBlock(
        f"{iso3} under the stress scenarios: {EXACT} and Caliendo & Parro (2015)'s linearised decomposition (their Table 2: terms "
        "of trade + volume of trade, an approximation for small shocks), tariff revenue, trade and export concentration; {src}".replace("{src}", src),
        pd.DataFrame(rows),
        {"real_income_change_exact": "+.3%", "welfare_linear_cp2015": "+.3%", "terms_of_trade_cp2015": "+.3%", "volume_of_trade_cp2015": "+.3%",
         "tariff_revenue_change_usd_mn": "+,.0f", "exports_change": "+.1%", "imports_change": "+.1%", "export_hhi_base": ".3f", "export_hhi_new": ".3f"}))
    sec = Section(**{**sec.__dict__, "page_one": _page_line(sec, rows, base.year)})
    sec.notes.append(
        "Scenario tariffs add to the 2021 applied rates of Teti's Global Tariff Database (as compiled in the OECD ICIO cubes); "
        "deficits are held fixed in world-value-added units. Trade elasticities: Caliendo & Parro (2015) Table 1 mapped to ICIO "
        "sectors, 5 for services; the range across the eight published sets is shown for the first scenario. See docs/shocks.md."
    )
    from geohedge.report.sections.atlas import add_placement

    add_placement(sec, store, iso3)
    return sec


def _page_line(sec: Section, rows: list[dict], year: int) -> PageLine:
    """Page one: the costliest of the stress scenarios for the country (its welfare change)."""
    worst = min(rows, key=lambda r: r["real_income_change_exact"])
    fig = figure(sec.tables[0], 0, worst["scenario"], "real_income_change_exact", label="")
    w = worst["real_income_change_exact"]
    size = "slightly" if abs(w) < 0.001 else "noticeably" if abs(w) < 0.01 else "severely"
    if w < 0:
        meaning = f"The costliest of the stress scenarios would cut its real income {size}."
    else:
        meaning = f"None of the stress scenarios costs it real income; trade diverted to it leaves it {size} better off."
    return PageLine("What would a shock cost us?", f"Welfare change under {worst['scenario']}:", (fig,), "% of real income",
                    str(year), MODEL, meaning)
