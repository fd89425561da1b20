"""``geohedge alignment``: where a country stands between the great powers (UN votes).

One command, so that both forms parse unambiguously (a Typer group whose callback took a
COUNTRY argument would swallow the word ``pairs``):

- ``geohedge alignment COUNTRY [--with A,B] [--since Y] [--index identical|half|state-dept]
  [--issue CODE] [--ideal]``: the country's agreement with the powers over time (to 2023
  with the default index: roll calls to 2019, published scores after), its equidistance
  and lean, the same for the partners named in ``--with``, and the agreement with the
  first power by every definition where both exist;
- ``geohedge alignment pairs --year Y [--with A,B]``: the full agreement matrix of a year.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from geohedge.cli._common import (
    FORMATS,
    LabelsOpt,
    check_format,
    check_labels,
    console,
    open_store,
    progress,
    write_frame,
)
from geohedge.errors import InputError

#: Periods the table view shows without --since.
_RECENT = 10


def register(app: typer.Typer) -> None:
    """Add ``alignment`` to the root app."""
    app.command("alignment")(alignment_cmd)


def _codes(text: str | None) -> list[str]:
    from geohedge import countries

    if not text:
        return []
    return [countries.resolve(part.strip()) for part in text.split(",") if part.strip()]


def alignment_cmd(
    country: Annotated[str, typer.Argument(help="Focus country (ISO3, ISO2 or name, e.g. MYS), or 'pairs' for the full agreement matrix of --year.")],
    with_: Annotated[str | None, typer.Option("--with", help="Candidate partners, comma-separated (e.g. TUR,IDN,IND); with 'pairs': the countries of the matrix shown.")] = None,
    since: Annotated[int | None, typer.Option(help="First year shown (calendar year, or the year a session opened).")] = None,
    year: Annotated[int | None, typer.Option(help="Year of the matrix ('pairs' only).")] = None,
    index: Annotated[str, typer.Option(help="Agreement index: identical (share of identical votes by session, as the published scores; to 2023), half (half-credit, calendar year; to 2019) or state-dept (US State Department coincidence; to 2019).")] = "identical",
    issue: Annotated[str | None, typer.Option(help="Issue area: me, nu, di, hr, co or ec (unvotes codes; roll calls only).")] = None,
    important: Annotated[bool, typer.Option("--important", help="Only the US State Department's important votes (roll calls only).")] = False,
    powers: Annotated[str, typer.Option(help="Great powers, comma-separated; the first is the reference pole of 'lean'.")] = "USA,CHN,RUS",
    window: Annotated[int, typer.Option(help="Periods in the rolling volatility of equidistance.")] = 5,
    ideal: Annotated[bool, typer.Option("--ideal", help="Ideal points from geohedge's own fit on the roll calls (every session; about half a minute) instead of the published estimates.")] = False,
    dataset: Annotated[str | None, typer.Option(help="Votes dataset: unvotes or undl (default: unvotes when loaded).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, json or parquet.")] = "table",
    out: Annotated[Path | None, typer.Option(help="Write the table to this file.")] = None,
    labels: LabelsOpt = "code",
) -> None:
    """Agreement with the great powers in UN General Assembly votes, over time (the table view
    shows the last ten years unless --since is given)."""
    from geohedge.alignment import check_index, check_issue

    check_format(fmt, FORMATS)
    check_labels(labels)
    check_issue(issue)
    index = check_index(index)
    pairs = country.strip().lower() == "pairs"
    if pairs and year is None:
        raise InputError("'geohedge alignment pairs' needs --year YEAR")
    if not pairs and year is not None:
        raise InputError("--year applies to 'geohedge alignment pairs --year YEAR'; for a country use --since YEAR")
    from geohedge import countries

    focus = None if pairs else countries.resolve(country)
    partners = _codes(with_)
    power_codes = _codes(powers)
    if pairs:
        _pairs(year, partners, index, issue, important, dataset, fmt, out, labels)
        return
    from geohedge.views.alignment import alignment_view

    with open_store(read_only=True) as store:
        if ideal:
            with progress("ideal points") as bar:
                view = alignment_view(store, focus, partners=partners, powers=power_codes, index=index, since=since, window=window,
                                      issue=issue, important_only=important, ideal=True, dataset=dataset, progress=bar)
        else:
            view = alignment_view(store, focus, partners=partners, powers=power_codes, index=index, since=since, window=window,
                                  issue=issue, important_only=important, dataset=dataset)
    if view.unmapped:
        Console(stderr=True).print(f"note: {len(view.unmapped)} source country codes have no ISO3 code and are left out: {'; '.join(view.unmapped)}", style="yellow")
    _country(view, since, fmt, out, labels)


def _pairs(year: int, partners: list[str], index: str, issue, important: bool, dataset, fmt: str, out: Path | None, labels: str = "code") -> None:
    from geohedge.alignment import INDICES, agreement_scores
    from geohedge.views.votes import query_votes

    with open_store(read_only=True) as store:
        vd = query_votes(store, dataset=dataset)
    by = "session" if index == "identical" else "year"
    period = year - 1945 if by == "session" else year
    ag = agreement_scores(vd.votes, vd.roll_calls, vd.issues, by=by, index=index, issue=issue, important_only=important,  # type: ignore[arg-type]
                          periods=[period], source=vd.source)
    m = ag.matrix(period)
    if partners:
        missing = [p for p in partners if p not in m.index]
        if missing:
            raise InputError(f"{missing[0]} cast no vote in {year}; pick countries that voted that year")
        m = m.loc[partners, partners]
    frame = m.rename_axis("country").reset_index()
    when = f"session {period}, opened September {year}" if by == "session" else f"calendar year {year}"
    caption = f"{INDICES[index]}; {when}; sources: {ag.provenance.label()}"
    if fmt == "table" and out is None and len(m) > 12:
        console.print(f"{len(m)} x {len(m)} agreement matrix for {year}; showing the first 12 countries (use --format csv or --out FILE for all, or --with A,B,C)")
        frame = frame.iloc[:12, :13]
    if fmt == "table" and out is None:
        # a matrix of agreement shares: every cell prints as one
        frame = frame.set_axis(["country", *(f"agree_{c}" for c in frame.columns[1:])], axis=1)
    write_frame(frame, fmt, out, title=f"UN General Assembly agreement, {year}", caption=caption, labels=labels)


def _country(view, since: int | None, fmt: str, out: Path | None, labels: str = "code") -> None:
    caption = view.caption + ". " + " ".join(view.notes)
    if fmt != "table" or out is not None:
        write_frame(view.frame, fmt, out, caption=caption, labels=labels)
        return
    powers = view.powers
    show = (["year", "session"] if view.by == "session" else ["year"]) + ["source"] + [f"agree_{p}" for p in powers]
    show += ["equidistance", "lean", "equidistance_volatility"] + [c for c in ("ideal_point", "relative") if c in view.frame.columns]
    focus = view.frame[view.frame["country"] == view.country][show]
    if since is None and len(focus) > _RECENT:
        console.print(f"[dim]last {_RECENT} of {len(focus)} {view.by}s shown; --since YEAR for more, --format csv for all[/]")
        focus = focus.tail(_RECENT)
    write_frame(focus, "table", None, title=f"{view.country} between {', '.join(powers)} in UN General Assembly votes", caption=view.caption)
    comp = view.comparison
    if len(comp):
        lo = since if since is not None else int(comp["year"].max()) - 9
        comp = comp[comp["year"] >= lo]
        if len(comp):
            write_frame(comp, "table", None, title=f"Agreement with {powers[0]} by definition, where the roll calls and the published scores both exist",
                        caption="half_year: geohedge's half-credit index, calendar year; half_session: the same for the session that opened that year; "
                                "identical: share of identical votes in that session, from the roll calls; published: the published score for that session")
    if len(view.positions.items) > 1:
        latest = view.positions.latest()
        keep = ["country", "year"] + [c for c in show[2:] if c in latest.columns and c != "source"]
        write_frame(latest[keep], "table", None, title="Latest period, focus and candidate partners (most balanced first)", caption=view.caption)
    for note in view.notes:
        console.print(f"note: {note}", style="dim")
