"""The brief's "Alignment" section: where the country stands between the great powers in
UN General Assembly votes, over time, and where its candidate partners stand."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from geohedge import labels
from geohedge.alignment import POWERS, agreement_scores, ideal_points, positions
from geohedge.data.store import Store
from geohedge.views.votes import query_votes
from geohedge.errors import GeohedgeError
from geohedge.report import charts
from geohedge.report.section import Chart, Headline, PageLine, Section, TableBlock, figure

#: Always among the candidate partners (the running example's outreach partner).
DEFAULT_PARTNERS = ("TUR",)
MISSING = "UN General Assembly votes are not loaded; run 'geohedge data import unga PATH' (e.g. ../shared/data/unga)"


def _trade_partners(store: Store, iso3: str, n: int = 5) -> list[str]:
    """The country's largest trade partners (exports plus imports) in the latest year loaded."""
    if not store.has_table("trade"):
        return []
    rows = store.run(
        "WITH t AS (SELECT * FROM trade WHERE (exporter = ? OR importer = ?) AND year = "
        "(SELECT max(year) FROM trade WHERE exporter = ? OR importer = ?)) "
        "SELECT CASE WHEN exporter = ? THEN importer ELSE exporter END AS partner, sum(value_usd) v "
        "FROM t WHERE exporter <> importer GROUP BY partner ORDER BY v DESC LIMIT ?",
        [iso3, iso3, iso3, iso3, iso3, n + len(POWERS)],
    )
    return [r[0] for r in rows if r[0] not in POWERS][:n]


def build(
    store: Store,
    iso3: str,
    *,
    partners: Sequence[str] = (),
    powers: Sequence[str] = POWERS,
    since: int = 1990,
    window: int = 5,
    ideal: bool = False,
    **_: object,
) -> Section:
    """Alignment section for ``iso3``.

    Parameters
    ----------
    partners
        Extra candidate partners; TUR and the country's top trade partners are added.
    powers
        Great powers (first = reference pole).
    since
        First year in the chart.
    ideal
        Also estimate ideal points (all sessions; about half a minute) and add the
        ideal-point distances to the table.
    """
    sec = Section(key="alignment", title="Alignment")
    try:
        vd = query_votes(store)
    except GeohedgeError:
        return Section(key="alignment", title="Alignment", missing=MISSING)
    # A great power is placed between the others (the USA between China and Russia).
    powers = tuple(p for p in powers if p != iso3)
    try:
        ag = agreement_scores(vd.votes, vd.roll_calls, vd.issues, source=vd.source)
        bridge_on = "short" if vd.dataset == "undl" else "descr"
        ip = ideal_points(vd.votes, vd.roll_calls, vd.issues, source=vd.source, bridge_on=bridge_on) if ideal else None
        candidates = [c for c in dict.fromkeys([*partners, *DEFAULT_PARTNERS, *_trade_partners(store, iso3)]) if c != iso3 and c not in powers]
        candidates = [c for c in candidates if c in ag.countries]
        pos = positions(ag, [iso3, *candidates], ideal=ip, powers=powers, window=window)
    except GeohedgeError as exc:
        return Section(key="alignment", title="Alignment", text=[f"Alignment is not available: {exc}"], missing=str(exc))
    focus = pos.items[0].frame
    by = ag.by
    src = f"{vd.source}, agreement index (abstain = half agreement)"
    last = focus.iloc[-1]
    year = int(last[by])
    for p in powers:
        sec.headlines.append(Headline(f"Agreement with {p} in UN votes, {year}", labels.format_value(f"agree_{p}", last[f"agree_{p}"]), src))
    sec.headlines.append(Headline(f"Between the blocs (equidistance), {year}", f"{labels.format_value('equidistance', last['equidistance'])} (0-1; 1 = equally close to all)", src))
    shown = focus[focus[by] >= since]
    if shown.empty:  # a seat that ended before ``since`` (Taiwan's, in 1971): show its whole record
        shown = focus
        sec.text.append(f"{iso3}'s UN General Assembly votes end in {year}; the figures below are of that year.")
    series = {f"agreement with {p}": list(shown[f"agree_{p}"]) for p in powers}
    sec.charts.append(Chart(
        f"{iso3} between {', '.join(powers)}",
        charts.line_chart(list(shown[by]), series, title=f"{iso3}: agreement with the great powers in UN votes", ylabel="agreement share", percent=True,
                          ylim=(0, 100), secondary={"equidistance (right axis)": list(shown["equidistance"])},
                          secondary_label="equidistance (0-1)", secondary_ylim=(0, 1)),
        f"Share of agreement in UN General Assembly roll calls per year (yes/no/abstain, abstain = half), {int(shown[by].min())}-{year}; {vd.source}.",
    ))
    table = pos.latest()
    cols = ["country", by] + [f"agree_{p}" for p in powers] + ["equidistance", "lean", "equidistance_volatility"]
    cols += [c for c in ("ideal_point", "relative", "ideal_equidistance") if c in table.columns]
    table = table[cols]
    with_focus = [ag.pair(iso3, c) for c in table["country"]]
    table.insert(2, f"agree_{iso3}", [_at(f, int(y), by) for f, y in zip(with_focus, table[by], strict=True)])
    fmts = {c: ".0%" for c in table.columns if c.startswith("agree_")}
    fmts |= {"equidistance": ".2f", "lean": "+.2f", "equidistance_volatility": ".2f", "ideal_point": "+.2f", "relative": ".2f", "ideal_equidistance": ".2f"}
    sec.tables.append(TableBlock(
        f"{iso3} and candidate partners in their latest year: agreement with each power and with {iso3} (share), "
        f"equidistance (1 - spread of agreement across {', '.join(powers)}), lean to {powers[0]} (agreement with {powers[0]} minus the mean with the others), "
        f"volatility (SD of equidistance over {window} years); most balanced first; {src}",
        table, fmts))
    sec.text.append(_sentence(iso3, last, powers, by))
    sec = Section(**{**sec.__dict__, "page_one": _page_line(sec.tables[-1], len(sec.tables) - 1, iso3, powers, year, vd.source)})
    tur = table[table["country"] == "TUR"]
    if not tur.empty and iso3 != "TUR":
        t = tur.iloc[0]
        shares = ", ".join(f"{p} {_share(t['agree_' + p])}" for p in powers)
        sec.text.append(f"Türkiye: agreement {shares} in {int(t[by])}; equidistance {t['equidistance']:.2f}; agreement with {iso3} {_share(t['agree_' + iso3])} ({vd.source}).")
    sec.notes.append(
        "Agreement index: mean over roll calls both countries voted on of 1 - |v_i - v_j| with yes = 1, abstain = 1/2, no = 0 (Voeten 2000; Bailey, Strezhnev & Voeten 2017). "
        "Absences are ignored. Equidistance = 1 - (highest - lowest agreement with the powers)."
    )
    if ip is not None:
        sec.notes.append("Ideal points: dynamic ordered-logit item response model, bridged across identical resolutions, MAP estimate; standardised, USA positive (docs/alignment.md).")
    if vd.unmapped:
        sec.notes.append(f"Source country codes without an ISO3 code, left out: {'; '.join(vd.unmapped)}.")
    return sec


def _page_line(table: TableBlock, index: int, iso3: str, powers: tuple[str, ...], year: int, source: str) -> PageLine:
    """Page one: agreement with each power and the equidistance score, from the table's
    row of the country itself."""
    figs = tuple(figure(table, index, iso3, f"agree_{p}", label=p) for p in powers)
    eq = figure(table, index, iso3, "equidistance", label="equidistance")
    close = max(figs, key=lambda f: f.value)
    far = min(figs, key=lambda f: f.value)
    where = ("close to equidistant between them" if eq.value >= 0.8 else "leaning but not aligned" if eq.value >= 0.6
             else "far from equidistant")
    if close.value < 0.4:
        meaning = f"In UN votes it rarely sides with any of {', '.join(f.label for f in figs)}, so its equidistance between them says little."
    else:
        meaning = f"In UN votes it sides most often with {close.label} and least often with {far.label}, {where}."
    return PageLine("Where do we stand between the great powers?", "Agreement in UN General Assembly votes with", (*figs, eq),
                    "% of roll calls; equidistance 0-1", str(year), source, meaning)


def _share(v: float) -> str:
    return labels.format_value("agreement", v)


def _at(frame: pd.DataFrame, period: int, by: str) -> float:
    row = frame[frame[by] == period]
    return float(row["agreement"].iloc[0]) if len(row) else np.nan


def _sentence(iso3: str, last: pd.Series, powers: tuple[str, ...], by: str) -> str:
    lean = last["lean"]
    side = f"closer to {powers[0]}" if lean > 0 else f"closer to {', '.join(powers[1:])}"
    return (
        f"In {int(last[by])} {iso3} voted with {powers[0]} {_share(last[f'agree_{powers[0]}'])} of the time, with "
        + ", ".join(f"{p} {_share(last[f'agree_{p}'])}" for p in powers[1:])
        + f"; it sits {side} (lean {lean:+.2f}), equidistance {last['equidistance']:.2f}."
    )
