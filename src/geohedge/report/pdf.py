"""Render a :class:`~geohedge.report.brief.Brief` to PDF with ReportLab.

Pure Python (no browser, no system libraries): charts are the same SVG as in the HTML,
converted to vector drawings with svglib; tables are laid out by
:mod:`geohedge.report.tables` (columns never narrower than their longest header word, wide
tables split into parts that repeat their key columns) and repeat their header row across
pages. Page one is the summary alone: the five answers, what they mean, and what the brief
was built from; the sections start on page two. Written atomically.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from svglib.svglib import svg2rlg

from geohedge.report.brief import Brief, page_one
from geohedge.report.section import Chart, Section, TableBlock, describe_error
from geohedge.report.tables import layout

__all__ = ["render_pdf", "write_pdf"]

_ACCENT = colors.HexColor("#0072B2")
_MUTED = colors.HexColor("#5b6470")
_RULE = colors.HexColor("#d8dde3")
_WARN = colors.HexColor("#a65e00")
_WIDTH = A4[0] - 36 * mm
#: Charts are drawn at most this high, so that a chart rarely leaves half a page empty.
_CHART_HEIGHT = 88 * mm
_CELL = 7.0


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("t", parent=base["Title"], alignment=0, fontSize=20, leading=24, spaceAfter=4),
        "meta": ParagraphStyle("m", parent=base["Normal"], fontSize=8, textColor=_MUTED, spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], textColor=colors.black, spaceBefore=14, spaceAfter=6),
        "h3": ParagraphStyle("h3", parent=base["Heading3"], textColor=colors.black, spaceBefore=10, spaceAfter=4),
        "q": ParagraphStyle("q", parent=base["Normal"], fontName="Helvetica-Bold", fontSize=10.5, leading=13, spaceBefore=2),
        "a": ParagraphStyle("a", parent=base["Normal"], fontSize=10.5, leading=14),
        "src": ParagraphStyle("src", parent=base["Normal"], fontSize=7.5, leading=9.5, textColor=_MUTED),
        "meaning": ParagraphStyle("mean", parent=base["Normal"], fontSize=10.5, leading=15, spaceAfter=6),
        "body": ParagraphStyle("b", parent=base["Normal"], fontSize=9, leading=12, spaceAfter=4),
        "small": ParagraphStyle("s", parent=base["Normal"], fontSize=7.5, leading=9.5, textColor=_MUTED, spaceAfter=6),
        # header words are never split (columns are at least as wide as the longest word)
        "head": ParagraphStyle("h", parent=base["Normal"], fontName="Helvetica-Bold", fontSize=_CELL, leading=8.5, splitLongWords=0),
        "cell": ParagraphStyle("c", parent=base["Normal"], fontSize=_CELL, leading=8.5),
        "num": ParagraphStyle("n", parent=base["Normal"], fontSize=_CELL, leading=8.5, alignment=2, splitLongWords=0),
        "missing": ParagraphStyle("x", parent=base["Normal"], fontSize=9, textColor=_WARN, spaceAfter=6),
        "bug": ParagraphStyle("bug", parent=base["Normal"], fontSize=8.5, textColor=colors.HexColor("#b00020"), spaceAfter=6),
    }


def _chart(chart: Chart, st) -> list:
    drawing = svg2rlg(io.BytesIO(chart.svg.encode("utf-8")))
    if drawing is None:  # pragma: no cover - our own SVG always parses
        return [Paragraph(f"[chart {escape(chart.title)} could not be drawn]", st["missing"])]
    scale = min(_WIDTH * 0.85 / drawing.width, _CHART_HEIGHT / drawing.height, 1.0)
    drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
    drawing.scale(scale, scale)
    drawing.hAlign = "LEFT"
    return [KeepTogether([drawing, Paragraph(escape(chart.caption), st["small"])])]


def _table(block: TableBlock, st) -> list:
    out: list = []
    for part in layout(block, _WIDTH, size=_CELL, pad=4.0):
        header = [Paragraph(escape(h), st["head"]) for h in part.headers]
        rows = [header] + [[Paragraph(escape(v), st["num"] if num else st["cell"]) for v, num in zip(r, part.numeric, strict=True)]
                           for r in part.rows]
        t = Table(rows, repeatRows=1, colWidths=list(part.widths), hAlign="LEFT")
        style = [
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f5f7")),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, _RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ]
        t.setStyle(TableStyle(style))
        caption = part.caption if part.parts == 1 else f"{part.caption} (part {part.part} of {part.parts})"
        out += [t, Paragraph(escape(caption), st["small"])]
    return out


def _page_one(brief: Brief, st) -> list:
    page = page_one(brief)
    story: list = [Paragraph("Summary: five questions", st["h2"])]
    for number, title, _, line in page.lines:
        block = [Paragraph(escape(f"{number}. {title}: {line.question}"), st["q"])]
        if line.missing:
            block.append(Paragraph(escape(f"Not available: {line.missing}"), st["missing"]))
        else:
            figs = ", ".join(f"{escape(f.label) + ' ' if f.label else ''}<b>{escape(f.text)}</b>" for f in line.figures)
            block.append(Paragraph(f"{escape(line.lead)} {figs}", st["a"]))
            block.append(Paragraph(escape(f"{line.unit}{' · ' + line.year if line.year else ''} · {line.source}"), st["src"]))
        t = Table([[block]], colWidths=[_WIDTH])
        t.setStyle(TableStyle([("LINEBEFORE", (0, 0), (0, -1), 2.5, _ACCENT if not line.missing else _WARN),
                               ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f8fafc")),
                               ("LEFTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 5),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
        story += [t, Spacer(1, 5)]
    if page.meaning:
        story += [Paragraph("What this means", st["h3"]), Paragraph(escape(page.meaning), st["meaning"])]
    if brief.errors:
        story.append(Paragraph(escape("Parts of this brief failed (a bug in geohedge; please report it): " + "; ".join(brief.errors)), st["bug"]))
    story += _built_from(brief, st)
    story.append(PageBreak())
    return story


def _built_from(brief: Brief, st) -> list:
    """What the brief stands on: the datasets and their releases (no figure
    that page one already shows)."""
    story: list = [Paragraph("What this brief is built from", st["h3"])]
    prov = brief.provenance
    if not prov.empty:
        # one line per dataset: its release (or its source where no release is recorded)
        for dataset, rows in prov.groupby("dataset", sort=True):
            versions = [str(v) for v in dict.fromkeys(rows["version"]) if v]
            source = str(rows["source"].iloc[-1])
            source = source if len(source) <= 110 else source[:109].rsplit(" ", 1)[0] + " …"
            what = source + (f" ({'; '.join(versions)})" if versions else "")
            mark = " <font color='#a65e00'>(approximate)</font>" if rows["approximate"].astype(bool).any() else ""
            story.append(Paragraph(f"<b>{escape(str(dataset))}</b>: {escape(what)}{mark}", st["small"]))
    # what is missing and how to load it is on the answer's own line above, so it is not repeated here
    story.append(Paragraph(escape(
        "Every number states its unit, year and source; approximations are marked. The sections that follow give the tables "
        "and charts behind each answer, and 'Data and methods' at the end lists each dataset's version and hash."), st["small"]))
    return story


def _section(s: Section, st) -> list:
    story: list = [Paragraph(escape(s.title), st["h2"])]
    if s.missing:
        story.append(Paragraph(escape(f"Missing: {s.missing}"), st["missing"]))
    for h in s.headlines:
        story.append(Paragraph(f"{escape(h.label)}: <b>{escape(h.value)}</b> <font color='#5b6470' size='7'>({escape(h.source)})</font>", st["body"]))
    for p in s.text:
        story.append(Paragraph(escape(p), st["body"]))
    for c in s.charts:
        story.extend(_chart(c, st))
    for k, tb in enumerate(s.tables):
        try:
            story.extend(_table(tb, st))
        except Exception as exc:  # noqa: BLE001 - one bad table must not take the brief down
            s.errors.append(describe_error(f"table {k + 1} ({tb.caption[:40]})", exc))
    for n in s.notes:
        story.append(Paragraph(escape(f"Note: {n}"), st["small"]))
    if s.errors:
        story.append(Paragraph(escape("Part of this section failed (a bug in geohedge; please report it): " + "; ".join(s.errors)), st["bug"]))
    return story


def render_pdf(brief: Brief) -> bytes:
    """The brief as PDF bytes (A4)."""
    st = _styles()
    meta = f"Generated {brief.generated_at:%Y-%m-%d %H:%M} UTC by geohedge {brief.version}"
    if brief.options.get("partners"):
        meta += f" · candidate partners: {', '.join(brief.options['partners'])}"
    if brief.options.get("custom_blocs"):
        meta += f" · your blocs: {', '.join(brief.options['custom_blocs'])}"
    story: list = [Paragraph(escape(f"{brief.name} ({brief.iso3}): hedging brief"), st["title"]), Paragraph(escape(meta), st["meta"])]
    story += _page_one(brief, st)
    for s in brief.sections:
        story += _section(s, st)
    story.append(Paragraph("Data and methods", st["h2"]))
    prov = brief.provenance
    if not prov.empty:
        frame = prov.drop_duplicates(["dataset", "source"])[["dataset", "source", "version", "sha256", "approximate", "note"]].copy()
        frame["sha256"] = frame["sha256"].map(lambda v: (v or "")[:16])
        frame["approximate"] = frame["approximate"].map(lambda v: "yes" if bool(v) else "no")
        # A provenance note can list many input hashes; a table cell must fit on a page.
        frame["note"] = frame["note"].map(lambda v: v if not isinstance(v, str) or len(v) <= 400
                                          else v[:400] + " ... (full record: geohedge data status --format json)")
        story.extend(_table(TableBlock("Every dataset the brief draws on, with its version, hash and approximations.", frame), st))

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.setFillColor(_MUTED)
        canvas.drawString(18 * mm, 10 * mm, f"geohedge {brief.version} · {brief.name} ({brief.iso3}) · page {doc.page}")
        canvas.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm,
                            title=f"geohedge brief: {brief.name}", author="geohedge", invariant=1)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()


def write_pdf(brief: Brief, out_dir: Path) -> Path:
    """Write ``<out_dir>/geohedge-brief-<ISO3>.pdf`` atomically; return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"geohedge-brief-{brief.iso3}.pdf"
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(render_pdf(brief))
    os.replace(tmp, path)
    return path
