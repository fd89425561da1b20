"""``geohedge brief``: the main job: a terminal summary and a self-contained HTML report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.panel import Panel
from rich.table import Table

from geohedge.cli._common import BlocsFileOpt, console, load_extra_blocs, open_store, progress


def register(app: typer.Typer) -> None:
    """Add ``brief`` to the root app."""
    app.command("brief")(brief_cmd)


def brief_cmd(
    country: Annotated[str, typer.Argument(help="ISO3, ISO2 or name, e.g. MYS, 'Malaysia'.")],
    partner: Annotated[list[str] | None, typer.Option("--partner", help="Candidate partner shown whatever its rank (repeatable; default TUR).")] = None,
    out: Annotated[Path, typer.Option(help="Folder for the HTML (and PDF) file.")] = Path("."),
    pdf: Annotated[bool, typer.Option("--pdf", help="Also write a PDF.")] = False,
    blocs_file: BlocsFileOpt = None,
) -> None:
    """Brief a country: exposure, stress test, alignment, partners, relations; writes HTML."""
    from geohedge import countries
    from geohedge.report.brief import build_brief, page_one
    from geohedge.report.html import write_html

    iso3 = countries.resolve(country)
    partners = tuple(partner) if partner else ("TUR",)
    extra = load_extra_blocs(blocs_file)
    with open_store(read_only=True) as store, progress(f"brief {iso3}") as update:
        brief = build_brief(store, iso3, partners=partners, extra_blocs=extra, progress=update)
    path = write_html(brief, out)
    pdf_path = None
    if pdf:
        from geohedge.report.pdf import write_pdf

        pdf_path = write_pdf(brief, out)
    console.print(Panel.fit(f"[bold]{brief.name} ({brief.iso3})[/]: hedging brief", border_style="blue"))
    page = page_one(brief)
    for number, title, _, line in page.lines:
        console.print(f"[bold]{number}. {title}:[/] {line.question}", highlight=False)
        if line.missing:
            console.print(f"   [yellow]not available:[/] {line.missing}", highlight=False)
        else:
            console.print(f"   {line.lead} [bold]{line.numbers()}[/]", highlight=False)
            console.print(f"   [dim]{line.unit}{' · ' + line.year if line.year else ''} · {line.source}[/]", highlight=False)
    if page.meaning:
        console.print(f"\n[bold]What this means:[/] {page.meaning}\n", highlight=False)
    for s in brief.sections:
        console.rule(f"[bold]{s.title}")
        if s.missing:
            console.print(f"[yellow]missing:[/] {s.missing}")
        if s.headlines:
            t = Table(show_header=False, box=None, pad_edge=False)
            t.add_column(style="dim")
            t.add_column(style="bold")
            t.add_column(style="dim")
            for h in s.headlines:
                t.add_row(h.label, h.value, h.source)
            console.print(t)
        for line in s.text[:4]:
            console.print(line)
        for note in s.notes:
            console.print(f"[yellow]note[/] {note}")
    if brief.errors:
        from rich.console import Console

        err = Console(stderr=True)
        for e in brief.errors:
            err.print(f"warning: part of the brief failed (a bug in geohedge): {e}", markup=False, highlight=False, soft_wrap=True)
    console.print(f"\nWrote {path.resolve()} ({path.stat().st_size / 1024:,.0f} KB, {sum(len(s.charts) for s in brief.sections)} charts)")
    if pdf_path is not None:
        console.print(f"Wrote {pdf_path.resolve()} ({pdf_path.stat().st_size / 1024:,.0f} KB)")
