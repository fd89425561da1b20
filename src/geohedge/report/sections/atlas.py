"""The brief's place in the vulnerability atlas: the focus country's rank against each
stored shock family among all the atlas's targets (``geohedge atlas``). Called by the
stress-test section; adds nothing when no atlas is stored."""

from __future__ import annotations

import pandas as pd

from geohedge.data.store import Store
from geohedge.report.section import Headline, Section, TableBlock

__all__ = ["add_placement"]


def add_placement(sec: Section, store: Store, iso3: str) -> None:
    """Append ``iso3``'s atlas ranks to a section (a headline, a sentence and a table)."""
    from geohedge.views.atlas import query_atlas, query_placement

    rows = query_placement(store, iso3)
    if rows is None:
        return
    view = query_atlas(store)
    titles = {f["name"]: f["title"] for f in view.note.get("families", [])}
    ok = rows[rows["status"] == "ok"]
    src = f"geohedge atlas run {view.run}; {view.caption.split('; ', 1)[0]}"
    if len(ok):
        worst = ok.loc[(ok["rank"].astype(float) / ok["of"]).idxmin()]
        sec.headlines.append(Headline(
            f"Atlas: rank against '{worst['family']}' (1 = most exposed)",
            f"{int(worst['rank'])} of {int(worst['of'])} ({worst['welfare_median']:+.2%} real income, median)", src))
        sec.text.append(
            f"In the vulnerability atlas ({int(ok['of'].max())} countries, every one against the same shocks), {iso3} ranks "
            + "; ".join(f"{int(r.rank)} of {int(r.of)} under {r.family}" for r in ok.itertuples() if pd.notna(r.rank))
            + " (rank 1 = largest real-income loss).")
    table = pd.DataFrame({
        "shock": [titles.get(f, f) for f in rows["family"]], "family": rows["family"], "rank": rows["rank"], "of": rows["of"],
        "welfare_median": rows["welfare_median"], "welfare_p05": rows["welfare_p05"], "welfare_p95": rows["welfare_p95"],
        "exports_change": rows["exports_change_median"], "status": rows["status"],
    })
    sec.tables.append(TableBlock(
        f"{iso3} in the vulnerability atlas: rank among the atlas's targets under each shock family (1 = largest real-income loss), "
        f"median and 90% interval of the real-income change over elasticity draws; {view.caption}",
        table, {"welfare_median": "+.2%", "welfare_p05": "+.2%", "welfare_p95": "+.2%", "exports_change": "+.1%"}))
