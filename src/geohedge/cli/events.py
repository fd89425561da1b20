"""``geohedge events ingest|list`` and ``geohedge relations``: news events and dyadic relations."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from geohedge.cli._common import (
    FORMATS,
    check_format,
    console,
    open_store,
    parse_date,
    progress,
    write_frame,
)
from geohedge.errors import InputError

events_app = typer.Typer(
    help="News and GDELT events: ingest articles, feeds and event files; list coded events.",
    no_args_is_help=True,
)

_LIST_COLUMNS = ["date", "source_code", "event_type", "target_code", "mode", "intensity", "repeats", "source_name",
                 "target_name", "trigger", "date_source", "dataset", "url"]


def register(app: typer.Typer) -> None:
    """Add the commands of this module to the root app."""
    app.add_typer(events_app, name="events")
    app.command("relations")(relations_cmd)


def _is_gdelt(source: str) -> bool:
    path = Path(source)
    if path.is_dir():
        return any(".export." in f.name.lower() for f in path.iterdir() if f.is_file()) and not any(
            f.suffix.lower() in (".txt", ".html", ".htm", ".md") for f in path.iterdir())
    return ".export." in path.name.lower()


@events_app.command("ingest")
def ingest_cmd(
    source: Annotated[str, typer.Argument(help="Article file (.txt, .html), feed (.rss, .atom, .xml), folder, http(s) URL, or GDELT export file(s).")],
    feed: Annotated[bool, typer.Option("--feed", help="Treat SOURCE as an RSS/Atom feed.")] = False,
    gdelt: Annotated[bool, typer.Option("--gdelt", help="Treat SOURCE as GDELT 2.0 event export files (detected from '*.export.CSV' names).")] = False,
    date: Annotated[str | None, typer.Option(help="Date (YYYY-MM-DD) for articles whose page, Date: header and dateline state none (else the ingest day).")] = None,
    skip_bad: Annotated[bool, typer.Option("--skip-bad", help="Skip unreadable files with a note instead of stopping.")] = False,
    n_process: Annotated[int, typer.Option("--n-process", min=0, max=64, help="Worker processes for coding (0, the default: the machine's cores, at most 4).")] = 0,
) -> None:
    """Read articles (or GDELT event files), code their events and add them to the store.

    Re-ingesting the same article adds nothing (articles are keyed by a hash of their text).
    A bad file (binary, empty, above 10 MiB, malformed feed) stops the ingest before anything
    is written; text that is not English is skipped with a note.
    """
    day = parse_date(date)
    err = Console(stderr=True)
    if gdelt or (not source.startswith(("http://", "https://")) and _is_gdelt(source)):
        from geohedge.data.sources.gdelt import load_gdelt

        with open_store(read_only=False) as store, progress("GDELT") as update:
            result = load_gdelt(store, source, progress=update)
        console.print(f"GDELT: {result.files} file(s), {result.rows_read:,} rows read, {result.events:,} events loaded "
                      f"({result.without_plover:,} statements/appeals without a PLOVER type left out)")
        if result.unmapped_codes:
            err.print(f"note: codes kept as given (not countries): {', '.join(result.unmapped_codes[:20])}", style="dim")
        return
    import os

    from geohedge.data.sources.news import code_news, load_news

    workers = n_process or max(1, min(4, os.cpu_count() or 1))
    # Read and code first, then open the store for the write only: coding holds no lock.
    with progress("Coding articles") as update:
        coded = code_news(source, feed=feed, date=day, skip_bad=skip_bad, n_process=workers, progress=update)
    with open_store(read_only=False) as store:
        result = load_news(store, coded)
    for note in (*result.notes, *result.skipped):
        err.print(f"note: {note}", markup=False, highlight=False)
    console.print(f"{result.read} article(s) read: {result.added} added with {result.events} events, "
                  f"{result.duplicates} already in the store, {len(result.skipped)} skipped")
    sources = coded.articles["date_source"].value_counts()
    if len(sources):
        console.print("dates from: " + ", ".join(f"{k} {v}" for k, v in sources.items()), style="dim")


@events_app.command("list")
def list_cmd(
    dyad: Annotated[str | None, typer.Option(help="Two actors, e.g. MYS-TUR (both directions).")] = None,
    actor: Annotated[str | None, typer.Option(help="Events where this country (or NATO, UN, ...) acts or is acted on.")] = None,
    since: Annotated[str | None, typer.Option(help="From this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Before this date (YYYY-MM-DD).")] = None,
    month: Annotated[str | None, typer.Option(help="One month, YYYY-MM (the events behind a relations point).")] = None,
    event_type: Annotated[str | None, typer.Option("--type", help="PLOVER type: agree, consult, support, concede, cooperate, aid, retreat, request, accuse, reject, threaten, protest, sanction, mobilize, coerce, assault.")] = None,
    dataset: Annotated[str | None, typer.Option(help="news or gdelt.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many events (newest first).")] = 50,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, json or parquet.")] = "table",
    out: Annotated[Path | None, typer.Option(help="Write to this file instead of printing.")] = None,
    full: Annotated[bool, typer.Option("--full", help="All columns (sentence, ids).")] = False,
) -> None:
    """List coded events, newest first."""
    from geohedge.views.events import parse_dyad, query_events

    check_format(fmt, FORMATS)
    start, end = parse_date(since), parse_date(until)
    if month is not None:
        start, end = _month_bounds(month)
    pair = parse_dyad(dyad) if dyad else None
    who = _actor_code(actor) if actor else None
    with open_store(read_only=True) as store:
        frame = query_events(store, dyad=pair, actor=who, since=start, until=end, event_type=event_type,
                             dataset=dataset, limit=limit if limit > 0 else None)
    if not full:
        frame = frame[_LIST_COLUMNS]
    title = "Events" + (f" {pair[0]}–{pair[1]}" if pair else "") + (f" ({event_type})" if event_type else "")
    write_frame(frame, fmt, out, title=title, caption="intensity: Goldstein scale, -10 conflict .. +10 cooperation")


def _month_bounds(month: str) -> tuple[_dt.date, _dt.date]:
    try:
        first = _dt.date.fromisoformat(month + "-01")
    except ValueError as exc:
        raise InputError(f"month {month!r} is not YYYY-MM") from exc
    nxt = (first.replace(day=28) + _dt.timedelta(days=4)).replace(day=1)
    return first, nxt


def _actor_code(text: str) -> str:
    from geohedge.countries import resolve
    from geohedge.views.events import _code

    return _code(text, resolve)


def relations_cmd(
    a: Annotated[str, typer.Argument(help="First country (ISO3 or name) or organisation (NATO, UN, ...).")],
    b: Annotated[str, typer.Argument(help="Second country or organisation.")],
    directed: Annotated[bool, typer.Option("--directed", help="Only events from A to B.")] = False,
    since: Annotated[str | None, typer.Option(help="From this date (YYYY-MM-DD).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, json or parquet.")] = "table",
    out: Annotated[Path | None, typer.Option(help="Write to this file instead of printing.")] = None,
) -> None:
    """Monthly cooperation–conflict index of two countries, from the coded events."""
    from geohedge.views.events import query_events
    from geohedge.events.relations import relations_index

    check_format(fmt, FORMATS)
    pair = (_actor_code(a), _actor_code(b))
    if pair[0] == pair[1]:
        raise InputError(f"relations need two different actors, got {pair[0]} twice")
    with open_store(read_only=True) as store:
        events = query_events(store, dyad=pair, since=parse_date(since), directed=directed)
    index = relations_index(events, *pair, directed=directed)
    if index.frame.empty:
        console.print(f"No events between {pair[0]} and {pair[1]} in the store; "
                      "add some with 'geohedge events ingest PATH' (articles, feeds or GDELT files).")
        return
    frame = index.to_frame()
    frame["month"] = frame["month"].dt.strftime("%Y-%m")
    write_frame(frame, fmt, out, title=f"Relations {pair[0]}–{pair[1]}, monthly",
                caption="intensity: Goldstein scale, -10 conflict .. +10 cooperation; source: coded news and GDELT events")
    if fmt == "table" and out is None:
        console.print(index.summary())
        last = frame["month"].iloc[-1]
        console.print(f"events behind a point: geohedge events list --dyad {pair[0]}-{pair[1]} --month {last}", style="dim")
