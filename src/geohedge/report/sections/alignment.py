"""The brief's "Alignment" section: where the country stands between the great powers in
UN General Assembly votes, over time, and where its candidate partners stand.

Built from :func:`geohedge.views.alignment.alignment_view`: the identical-vote agreement
index by session from the roll calls (1946-2019) continued with the published
Bailey-Strezhnev-Voeten scores (2020 to mid-2024), the published ideal points, and the
half-credit index beside the published score where both exist."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from geohedge import labels
from geohedge.alignment import POWERS
from geohedge.data.store import Store
from geohedge.errors import GeohedgeError
from geohedge.report import charts
from geohedge.report.section import Chart, Headline, PageLine, Section, TableBlock, figure
from geohedge.views.alignment import AlignmentView, alignment_view

#: Always among the candidate partners (the running example's outreach partner).
DEFAULT_PARTNERS = ("TUR",)
MISSING = "UN General Assembly votes are not loaded; run 'geohedge data build' (the bundle ships them) or 'geohedge data import unga PATH'"
#: Countries whose agreement with the first power is shown by both definitions.
COMPARED = ("TUR", "CHN", "RUS")
COMPARED_YEARS = (2010, 2019)


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
        First year in the charts.
    ideal
        Use geohedge's own ideal-point fit on the roll calls (all sessions; about half a
        minute) instead of the published estimates for the years with roll calls.
    """
    key, title = "alignment", "Alignment"
    powers = tuple(powers)
    candidates = [c for c in dict.fromkeys([*partners, *DEFAULT_PARTNERS, *_trade_partners(store, iso3)]) if c != iso3 and c not in powers]
    try:
        view = alignment_view(store, iso3, partners=candidates, powers=powers, window=window, ideal=ideal, compare=COMPARED)
    except GeohedgeError as exc:
        if "no UN General Assembly votes" in str(exc):
            return Section(key=key, title=title, missing=MISSING)
        return Section(key=key, title=title, text=[f"Alignment is not available: {exc}"], missing=str(exc))
    sec = Section(key=key, title=title)
    powers = view.powers  # without the country itself when it is one of the powers
    focus = view.focus.frame
    last = focus.iloc[-1]
    when = _when(last)
    src = _source(last)
    for p in powers:
        sec.headlines.append(Headline(f"Agreement with {p} in UN votes, {when}", f"{labels.format_value(f'agree_{p}', last[f'agree_{p}'])} (identical votes)", src))
    sec.headlines.append(Headline(f"Between the blocs (equidistance), {when}", f"{last['equidistance']:.2f} (0-1; 1 = equally close to all)", src))
    if "ideal_point" in focus and pd.notna(last.get("ideal_point")):
        ip_src = "published Bailey-Strezhnev-Voeten ideal points" if last.get("ideal_source") == "published" else "geohedge ideal points (roll calls)"
        sec.headlines.append(Headline(f"Ideal point in UN votes, {when}", f"{last['ideal_point']:+.2f} ({powers[0]} {_ideal(view, powers[0], last):+.2f}; higher = closer to the US-led order)", ip_src))
    shown = focus[focus["year"] >= since]
    if shown.empty:  # a seat that ended before ``since`` (Taiwan's, in 1971): show its whole record
        shown = focus
        sec.text.append(f"{iso3}'s UN General Assembly votes end in {int(last['year'])}; the figures below are of that year.")
    years = f"{int(shown['year'].min())}-{int(shown['year'].max())}"
    seam = _seam(shown)
    series = {f"agreement with {p}": list(shown[f"agree_{p}"]) for p in powers}
    sec.charts.append(Chart(
        f"{iso3} between {', '.join(powers)}",
        charts.line_chart(list(shown["year"]), series, title=f"{iso3}: agreement with the great powers in UN votes", ylabel="agreement share", percent=True,
                          ylim=(0, 100), secondary={"equidistance (right axis)": list(shown["equidistance"])},
                          secondary_label="equidistance (0-1)", secondary_ylim=(0, 1)),
        f"Share of identical votes (yes, no or abstain) with each power per UN General Assembly session, by the year the session opened, "
        f"{years}; {seam}.",
    ))
    chart = _ideal_chart(view, iso3, powers, since)
    if chart is not None:
        sec.charts.append(chart)
    sec.tables.append(_partner_table(view, iso3, powers, window))
    try:
        line = _page_line(sec.tables[-1], len(sec.tables) - 1, iso3, powers, when, src)
    except KeyError:  # the country has no row of its own in the latest session
        line = None
    comp = _comparison_table(view, iso3, powers)
    if comp is not None:
        sec.tables.append(comp)
    sec.text.append(_sentence(iso3, last, powers))
    tur = view.frame[(view.frame["country"] == "TUR")]
    if len(tur) and iso3 != "TUR":
        t = tur.iloc[-1]
        shares = ", ".join(f"{p} {t['agree_' + p]:.0%}" for p in powers)
        with_focus = tur.dropna(subset=[f"agree_{iso3}"]).iloc[-1] if tur[f"agree_{iso3}"].notna().any() else None
        tail = f"; agreement with {iso3} {with_focus[f'agree_{iso3}']:.0%} in {int(with_focus['year'])} (roll calls)" if with_focus is not None else ""
        sec.text.append(f"Türkiye: agreement {shares} in {_when(t)}; equidistance {t['equidistance']:.2f}{tail}.")
    sec.notes.extend(view.notes)
    return Section(**{**sec.__dict__, "page_one": line}) if line is not None else sec


def _page_line(table: TableBlock, index: int, iso3: str, powers: tuple[str, ...], when: str, source: str) -> PageLine:
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
    return PageLine("Where do we stand between the great powers?", "Identical votes in the UN General Assembly with", (*figs, eq),
                    "% of roll calls; equidistance 0-1", when, source, meaning)


def _when(row: pd.Series) -> str:
    return f"{int(row['year'])} (session {int(row['session'])})" if "session" in row and pd.notna(row.get("session")) else str(int(row["year"]))


def _source(row: pd.Series) -> str:
    if row["source"] == "published":
        return "published Bailey-Strezhnev-Voeten agreement scores (June 2024 release)"
    return "UN General Assembly roll calls (Voeten, unvotes), identical-vote share"


def _seam(frame: pd.DataFrame) -> str:
    parts = []
    for src, g in frame.groupby("source", sort=False):
        what = "from the roll calls (Voeten)" if src == "roll calls" else "published Bailey-Strezhnev-Voeten scores"
        parts.append(f"{int(g['year'].min())}-{int(g['year'].max())} {what}")
    return "; ".join(parts)


def _ideal(view: AlignmentView, country: str, row: pd.Series) -> float:
    pts = view.ideal_points
    hit = pts[(pts["country"] == country) & (pts["year"] == row["year"])] if pts is not None else pd.DataFrame()
    return float(hit["ideal_point"].iloc[0]) if len(hit) else np.nan


def _ideal_chart(view: AlignmentView, iso3: str, powers: tuple[str, ...], since: int) -> Chart | None:
    pts = view.ideal_points
    if pts is None or pts.empty:
        return None
    pts = pts[pts["year"] >= since]
    wide = pts.pivot_table(index="year", columns="country", values="ideal_point", aggfunc="mean")
    names = [c for c in (iso3, *powers) if c in wide.columns]
    if iso3 not in names:
        return None
    kinds = " and ".join(sorted({"published estimates" if s == "published" else "geohedge's estimates from the roll calls" for s in pts["ideal_source"].dropna()}))
    return Chart(
        f"{iso3} and the powers on one dimension",
        charts.line_chart(list(wide.index.astype(int)), {c: list(wide[c]) for c in names}, title=f"{iso3}: ideal point in UN votes",
                          ylabel="ideal point (higher = closer to the US-led order)"),
        f"Ideal points per UN General Assembly session (by the year it opened), {int(wide.index.min())}-{int(wide.index.max())}; "
        f"{kinds} (Bailey, Strezhnev & Voeten 2017).",
    )


def _partner_table(view: AlignmentView, iso3: str, powers: tuple[str, ...], window: int) -> TableBlock:
    table = view.positions.latest()
    cols = ["country", "year"] + [f"agree_{p}" for p in powers] + ["equidistance", "lean", "equidistance_volatility"]
    cols += [c for c in ("ideal_point", "relative") if c in table.columns]
    table = table[cols].copy()
    last_with_focus = {}
    for c, g in view.frame.groupby("country"):
        if f"agree_{iso3}" in g and g[f"agree_{iso3}"].notna().any():
            r = g.dropna(subset=[f"agree_{iso3}"]).iloc[-1]
            last_with_focus[c] = (r[f"agree_{iso3}"], int(r["year"]))
    table.insert(2, f"agree_{iso3}", [last_with_focus.get(c, (np.nan, 0))[0] for c in table["country"]])
    table.insert(3, f"{iso3}_year", [last_with_focus.get(c, (np.nan, np.nan))[1] for c in table["country"]])
    fmts = {c: ".0%" for c in table.columns if c.startswith("agree_")}
    fmts |= {"equidistance": ".2f", "lean": "+.2f", "equidistance_volatility": ".2f", "ideal_point": "+.2f", "relative": ".2f", f"{iso3}_year": ".0f"}
    caption = (f"{iso3} and candidate partners in their latest session: share of identical votes with each power (roll calls to 2019, "
               f"published scores after), agreement with {iso3} in the latest session with roll calls ({iso3}_year; the published file has "
               f"no agreement with {iso3}), equidistance (1 - spread of agreement across {', '.join(powers)}), lean to {powers[0]} "
               f"(agreement with {powers[0]} minus the mean with the others), volatility (SD of equidistance over {window} sessions), "
               f"ideal point (published estimates); most balanced first")
    return TableBlock(caption, table, fmts)


def _comparison_table(view: AlignmentView, iso3: str, powers: tuple[str, ...]) -> TableBlock | None:
    comp = view.comparison
    want = [iso3, *[c for c in COMPARED if c != iso3 and c != powers[0]]]
    if comp.empty:
        return None
    comp = comp[comp["country"].isin(want) & comp["year"].between(*COMPARED_YEARS)]
    if comp.empty:
        return None
    wide = comp.pivot(index="year", columns="country", values=["half_year", "published"])
    out = pd.DataFrame({"year": wide.index.astype(int)})
    for c in want:
        if ("half_year", c) in wide:
            out[f"half_{c}"] = wide[("half_year", c)].to_numpy()
            out[f"published_{c}"] = wide[("published", c)].to_numpy()
    fmts = {c: ".0%" for c in out.columns if c != "year"}
    lo, hi = COMPARED_YEARS
    return TableBlock(
        f"Agreement with {powers[0]}, {lo}-{hi}, by two definitions: geohedge's half-credit index (calendar year; an abstention against a "
        f"yes or a no counts 1/2) and the published Bailey-Strezhnev-Voeten score (session opened that year; identical votes only, so an "
        f"abstention against a yes or a no counts 0). The published score is lower whenever one side abstains; the two also cover "
        f"slightly different votes (calendar year vs September-September session; in some sessions the published vote set leaves out "
        f"paragraph votes).", out, fmts)


def _sentence(iso3: str, last: pd.Series, powers: tuple[str, ...]) -> str:
    lean = last["lean"]
    side = f"closer to {powers[0]}" if lean > 0 else f"closer to {', '.join(powers[1:])}"
    return (
        f"In {_when(last)} {iso3} cast the same vote as {powers[0]} on {last[f'agree_{powers[0]}']:.0%} of the roll calls both voted on, "
        + ", ".join(f"{p} {last[f'agree_{p}']:.0%}" for p in powers[1:])
        + f"; it sits {side} (lean {lean:+.2f}), equidistance {last['equidistance']:.2f} ({_source(last)})."
    )
