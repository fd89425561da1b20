"""``geohedge countries`` and ``geohedge bloc``: country identity and groupings."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from geohedge.cli._common import (
    BlocsFileOpt,
    check_format,
    console,
    load_extra_blocs,
    open_store,
    parse_date,
    print_frame,
)
from geohedge.errors import GeohedgeError


def register(app: typer.Typer) -> None:
    """Add the commands of this module to the root app."""
    app.command("countries")(countries_cmd)
    app.command("bloc")(bloc_cmd)




def countries_cmd(
    query: Annotated[str, typer.Argument(help="ISO3, ISO2, numeric code or name, e.g. MYS, TR, 842, 'Türkiye'.")],
    on: Annotated[str | None, typer.Option(help="Date for bloc memberships (YYYY-MM-DD); default: current.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    blocs_file: BlocsFileOpt = None,
) -> None:
    """Resolve a country and show its names, groupings (with your own blocs) and which datasets cover it."""
    from geohedge import countries

    check_format(fmt, ("table", "json"))
    day = parse_date(on)
    extra = load_extra_blocs(blocs_file)
    c = countries.country(query)
    groups = countries.groups_of(c.iso3, on=day, extra=extra)
    coverage = None
    try:
        from geohedge.data.queries import query_coverage

        with open_store(read_only=True) as store:
            coverage = query_coverage(store, c.iso3)
    except GeohedgeError:
        coverage = None
    if fmt == "json":
        out = {
            "iso3": c.iso3, "name": c.name, "official_name": c.official_name, "iso2": c.iso2,
            "iso_numeric": c.iso_numeric, "former": c.former, "successor": c.successor,
            "groups": list(groups),
            "datasets": [] if coverage is None else coverage.to_dict("records"),
        }
        console.print_json(json.dumps(out, default=str))
        return
    console.print(f"[bold]{c.iso3}[/]  {c.name}" + (f"  ({c.official_name})" if c.official_name and c.official_name != c.name else ""))
    console.print(f"ISO2 {c.iso2 or '-'}   ISO numeric {c.iso_numeric or '-'}" + (f"   former state, successor {c.successor}" if c.former else ""))
    console.print("Groupings" + (f" on {day}" if day else "") + ": " + (", ".join(groups) or "none"))
    if coverage is None:
        console.print("Datasets: no store yet (run 'geohedge data build')")
    elif coverage.empty:
        console.print("Datasets: not covered by any loaded dataset")
    else:
        print_frame(coverage, title="Datasets covering " + c.iso3)


def bloc_cmd(
    name: Annotated[str, typer.Argument(help="Bloc code, e.g. ASEAN, BRICS, NATO, EU27, G20.")],
    on: Annotated[str | None, typer.Option(help="Date (YYYY-MM-DD); default: current members.")] = None,
    blocs_file: BlocsFileOpt = None,
) -> None:
    """List a bloc's members (on a date), with join dates and the table's source."""
    from geohedge import countries

    extra = load_extra_blocs(blocs_file)
    b = countries.bloc(name, extra)
    day = parse_date(on)
    members = [m for m in b.members if m.active(day)]
    table = Table(title=f"{b.code}: {b.name} ({len(members)} members" + (f" on {day}" if day else "") + ")")
    for col in ("iso3", "name", "joined", "note"):
        table.add_column(col)
    for m in sorted(members, key=lambda m: m.iso3):
        table.add_row(m.iso3, countries.country(m.iso3).name, str(m.joined or ""), m.note or "")
    console.print(table)
    console.print(f"source: {b.source}", style="dim")


