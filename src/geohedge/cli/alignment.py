"""``geohedge alignment``: where a country stands between the great powers (UN votes).

One command, so that both forms parse unambiguously (a Typer group whose callback took a
COUNTRY argument would swallow the word ``pairs``):

- ``geohedge alignment COUNTRY [--with A,B] [--since Y] [--issue CODE] [--ideal]``: the
  country's agreement with the powers over time, its equidistance and lean, and the same
  for the partners named in ``--with``;
- ``geohedge alignment pairs --year Y [--with A,B]``: the full agreement matrix of a year.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
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
    since: Annotated[int | None, typer.Option(help="First year shown.")] = None,
    year: Annotated[int | None, typer.Option(help="Year of the matrix ('pairs' only).")] = None,
    issue: Annotated[str | None, typer.Option(help="Issue area: me, nu, di, hr, co or ec (unvotes codes).")] = None,
    important: Annotated[bool, typer.Option("--important", help="Only the US State Department's important votes.")] = False,
    powers: Annotated[str, typer.Option(help="Great powers, comma-separated; the first is the reference pole of 'lean'.")] = "USA,CHN,RUS",
    window: Annotated[int, typer.Option(help="Years in the rolling volatility of equidistance.")] = 5,
    ideal: Annotated[bool, typer.Option("--ideal", help="Add ideal-point distances (estimates all sessions; about half a minute).")] = False,
    dataset: Annotated[str | None, typer.Option(help="Votes dataset: unvotes or undl (default: unvotes when loaded).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, json or parquet.")] = "table",
    out: Annotated[Path | None, typer.Option(help="Write the table to this file.")] = None,
    labels: LabelsOpt = "code",
) -> None:
    """Agreement with the great powers in UN General Assembly votes, over time (the table view
    shows the last ten years unless --since is given)."""
    from geohedge.alignment import agreement_scores, check_issue

    check_format(fmt, FORMATS)
    check_labels(labels)
    check_issue(issue)
    pairs = country.strip().lower() == "pairs"
    if pairs and year is None:
        raise InputError("'geohedge alignment pairs' needs --year YEAR")
    if not pairs and year is not None:
        raise InputError("--year applies to 'geohedge alignment pairs --year YEAR'; for a country use --since YEAR")
    from geohedge import countries
    from geohedge.views.votes import query_votes

    focus = None if pairs else countries.resolve(country)
    partners = _codes(with_)
    power_codes = _codes(powers)
    with open_store(read_only=True) as store:
        vd = query_votes(store, dataset=dataset)
    if vd.unmapped:
        Console(stderr=True).print(f"note: {len(vd.unmapped)} source country codes have no ISO3 code and are left out: {'; '.join(vd.unmapped)}", style="yellow")
    ag = agreement_scores(vd.votes, vd.roll_calls, vd.issues, issue=issue, important_only=important,
                          periods=[year] if pairs else None, source=vd.source)
    if pairs:
        _pairs(ag, year, partners, fmt, out, labels)
        return
    _country(ag, vd, focus, partners, power_codes, since, window, ideal, issue, important, fmt, out, labels)


def _pairs(ag, year: int, partners: list[str], fmt: str, out: Path | None, labels: str = "code") -> None:
    m = ag.matrix(year)
    if partners:
        missing = [p for p in partners if p not in m.index]
        if missing:
            raise InputError(f"{missing[0]} cast no vote in {year}; pick countries that voted that year")
        m = m.loc[partners, partners]
    frame = m.rename_axis("country").reset_index()
    caption = f"agreement share (0-1; abstain = half) [{ag.provenance.label()}]"
    if fmt == "table" and out is None and len(m) > 12:
        console.print(f"{len(m)} x {len(m)} agreement matrix for {year}; showing the first 12 countries (use --format csv or --out FILE for all, or --with A,B,C)")
        frame = frame.iloc[:12, :13]
    if fmt == "table" and out is None:
        # a matrix of agreement shares: every cell prints as one
        frame = frame.set_axis(["country", *(f"agree_{c}" for c in frame.columns[1:])], axis=1)
    write_frame(frame, fmt, out, title=f"UN General Assembly agreement, {year}", caption=caption, labels=labels)


def _country(ag, vd, focus, partners, power_codes, since, window, ideal, issue, important, fmt, out, labels="code") -> None:
    from geohedge.alignment import ideal_points, positions

    ip = None
    if ideal:
        with progress("ideal points") as bar:
            ip = ideal_points(vd.votes, vd.roll_calls, vd.issues, issue=issue, important_only=important, source=vd.source, progress=bar,
                              bridge_on="short" if vd.dataset == "undl" else "descr")
    pos = positions(ag, [focus, *partners], ideal=ip, powers=power_codes, window=window, since=since)
    frame = pos.to_frame()
    # each partner's agreement with the focus country, per year
    with_focus = pd.concat([ag.pair(focus, p).assign(country=p) for p in partners], ignore_index=True) if partners else None
    if with_focus is not None and not with_focus.empty:
        with_focus = with_focus.rename(columns={"agreement": f"agree_{focus}", "n_votes": f"n_votes_{focus}"})
        frame = frame.merge(with_focus, on=["country", ag.by], how="left")
    cols = ["country", ag.by] + [c for c in frame.columns if c not in ("country", ag.by)]
    frame = frame[cols]
    caption = f"agreement share (0-1; abstain = half); equidistance = 1 - spread of agreement across {', '.join(power_codes)} [{ag.provenance.label()}]"
    if fmt != "table" or out is not None:
        write_frame(frame, fmt, out, caption=caption, labels=labels)
        return
    show = [ag.by] + [f"agree_{p}" for p in power_codes] + ["equidistance", "lean", "equidistance_volatility"]
    show += [c for c in ("ideal_point", "relative") if c in frame.columns]
    focus_rows = frame[frame["country"] == focus][show]
    if since is None and len(focus_rows) > _RECENT:
        console.print(f"[dim]last {_RECENT} of {len(focus_rows)} {ag.by}s shown; --since YEAR for more, --format csv for all[/]")
        focus_rows = focus_rows.tail(_RECENT)
    write_frame(focus_rows, "table", None, title=f"{focus} between {', '.join(power_codes)} in UN General Assembly votes", caption=caption)
    if partners:
        latest = pos.latest()
        keep = ["country", ag.by] + [c for c in show[1:] if c in latest.columns]
        write_frame(latest[keep], "table", None, title="Latest year, focus and candidate partners (most balanced first)", caption=caption)
