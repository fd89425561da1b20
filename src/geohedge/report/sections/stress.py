"""The brief's "Stress test" section: the focus country under the built-in US tariff
scenario and the US–China decoupling scenario (general-equilibrium model with
input-output links, Caliendo & Parro 2015, on the store's ICIO table)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from geohedge.data.store import Store
from geohedge.errors import GeohedgeError
from geohedge.report import charts
from geohedge.report.section import Chart, Headline, Section, TableBlock

DEFAULT_SCENARIOS = ("us-tariff-mys-24", "us-china-decoupling")
MODEL = "Caliendo-Parro (2015) GE model with input-output links"


def build(store: Store, iso3: str, *, scenarios: Sequence[str] = DEFAULT_SCENARIOS, **_: object) -> Section:
    """Stress-test section for ``iso3`` under ``scenarios`` (built-in names or TOML paths)."""
    from geohedge.views.baseline import query_baseline
    from geohedge.shocks.model import solve
    from geohedge.shocks.scenario import builtin_scenarios, load_scenario

    sec = Section(key="stress", title="Stress test")
    try:
        base = query_baseline(store)
    except GeohedgeError as exc:
        return Section(key="stress", title="Stress test", missing=f"no input-output table to calibrate the shock model ({exc}); run 'geohedge data build'")
    if iso3 not in base.countries:
        return Section(key="stress", title="Stress test",
                       missing=f"{iso3} is not a separate region of the ICIO {base.year} table, so the shock model cannot isolate it; load the full OECD ICIO release with 'geohedge data fetch icio'")
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
    src = f"{MODEL}; OECD ICIO 2025 release, {base.year}" + (", approximate final-demand split" if base.approximate else "")
    rows = []
    for sc, r in results:
        f = r.to_frame().set_index("country")
        me = f.loc[iso3]
        div = r.diversion(iso3)
        hhi = div.concentration[div.concentration["measure"] == "hhi"].set_index("flow")
        sec.headlines.append(Headline(f"Welfare change, {sc.title}", f"{me.welfare_change:+.3%} of real income", src))
        rows.append({
            "scenario": sc.title, "welfare_change": me.welfare_change, "price_index_change": me.price_index_change,
            "exports_change": me.exports_change, "imports_change": me.imports_change,
            "export_hhi_base": hhi.loc["exports", "base"], "export_hhi_new": hhi.loc["exports", "new"],
        })
        sec.text.append(f"{r.summary(iso3)}")
        sec.text.append(div.summary())
        ex = div.exports.head(8)
        sec.tables.append(TableBlock(
            f"{iso3} exports by partner under '{sc.title}': largest changes, USD million ({base.year} prices, world GDP numeraire); {src}",
            ex, {"base_usd_mn": ",.0f", "new_usd_mn": ",.0f", "change_usd_mn": "+,.0f", "change": "+.1%"}))
        sec.charts.append(Chart(
            f"Trade diversion: {sc.title}",
            charts.bar_chart(list(ex["partner"]), {"exports": list(ex["change_usd_mn"]),
                                                   "imports": list(div.imports.set_index("partner").reindex(ex["partner"])["change_usd_mn"].fillna(0.0))},
                             title=f"{iso3}: change in trade by partner, {sc.name}", xlabel="USD million"),
            f"Change in {iso3}'s exports to and imports from the partners with the largest export changes; {src}."))
        welfare = f["welfare_change"]
        show = pd.concat([welfare.sort_values().head(6), welfare.loc[[iso3]]]).groupby(level=0).first().sort_values()
        sec.charts.append(Chart(
            f"Welfare changes: {sc.title}",
            charts.bar_chart(list(show.index), list(show.values), title=f"Welfare (real income) change, {sc.name}", xlabel="change", percent=True),
            f"Largest welfare losses and {iso3}; real income deflated by the consumer price index; {src}."))
        sec.notes.extend(n for n in r.notes if n not in sec.notes)
    sec.tables.insert(0, TableBlock(
        f"{iso3} under the stress scenarios: relative changes; HHI over export partners; {src}",
        pd.DataFrame(rows),
        {"welfare_change": "+.2%", "price_index_change": "+.2%", "exports_change": "+.1%", "imports_change": "+.1%",
         "export_hhi_base": ".3f", "export_hhi_new": ".3f"}))
    sec.notes.append(
        "Baseline tariffs are zero (the ICIO table records none): scenario tariffs are additions to 2022 levels. "
        "Trade elasticities: Caliendo & Parro (2015) Table 1 mapped to ICIO sectors, 5 for services. See docs/shocks.md."
    )
    from geohedge.report.sections.atlas import add_placement

    add_placement(sec, store, iso3)
    return sec
