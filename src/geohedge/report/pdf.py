"""Render a :class:`~geohedge.report.brief.Brief` to PDF with ReportLab.

Pure Python (no browser, no system libraries): charts are the same SVG as in the HTML,
converted to vector drawings with svglib; tables repeat their header row across pages.
Written atomically.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Table,
    TableStyle,
)
from svglib.svglib import svg2rlg

from geohedge.report.brief import Brief
from geohedge.report.html import _cell, summary_headlines
from geohedge.report.section import Chart, TableBlock

__all__ = ["render_pdf", "write_pdf"]

_ACCENT = colors.HexColor("#0072B2")
_MUTED = colors.HexColor("#5b6470")
_RULE = colors.HexColor("#d8dde3")
_WIDTH = A4[0] - 36 * mm


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("t", parent=base["Title"], alignment=0, fontSize=20, spaceAfter=4),
        "meta": ParagraphStyle("m", parent=base["Normal"], fontSize=8, textColor=_MUTED, spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], textColor=colors.black, spaceBefore=14, spaceAfter=6),
        "body": ParagraphStyle("b", parent=base["Normal"], fontSize=9, leading=12, spaceAfter=4),
        "small": ParagraphStyle("s", parent=base["Normal"], fontSize=7.5, leading=9.5, textColor=_MUTED, spaceAfter=6),
        "cell": ParagraphStyle("c", parent=base["Normal"], fontSize=7, leading=8.5),
        "missing": ParagraphStyle("x", parent=base["Normal"], fontSize=9, textColor=colors.HexColor("#a65e00"), spaceAfter=6),
    }


def _chart(chart: Chart, st) -> list:
    drawing = svg2rlg(io.BytesIO(chart.svg.encode("utf-8")))
    if drawing is None:  # pragma: no cover - our own SVG always parses
        return [Paragraph(f"[chart {escape(chart.title)} could not be drawn]", st["missing"])]
    scale = min(1.0, _WIDTH / drawing.width) * 0.92
    drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
    drawing.scale(scale, scale)
    return [KeepTogether([drawing, Paragraph(escape(chart.caption), st["small"])])]


def _table(block: TableBlock, st) -> list:
    f: pd.DataFrame = block.frame
    numeric = [pd.api.types.is_numeric_dtype(f[c]) for c in f.columns]
    header = [Paragraph(f"<b>{escape(str(c))}</b>", st["cell"]) for c in f.columns]
    rows = [header]
    for r in f.itertuples(index=False):
        rows.append([Paragraph(escape(_cell(v, block.formats.get(c))), st["cell"]) for c, v in zip(f.columns, r, strict=True)])
    t = Table(rows, repeatRows=1, colWidths=[_WIDTH / len(f.columns)] * len(f.columns) if len(f.columns) else None)
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f5f7")),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, _RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    style += [("ALIGN", (k, 0), (k, -1), "RIGHT") for k, num in enumerate(numeric) if num]
    t.setStyle(TableStyle(style))
    return [t, Paragraph(escape(block.caption), st["small"])]


def render_pdf(brief: Brief) -> bytes:
    """The brief as PDF bytes (A4)."""
    st = _styles()
    story: list = [
        Paragraph(escape(f"{brief.name} ({brief.iso3}): hedging brief"), st["title"]),
        Paragraph(escape(f"Generated {brief.generated_at:%Y-%m-%d %H:%M} UTC by geohedge {brief.version}"
                         + (f" · candidate partners: {', '.join(brief.options.get('partners', ()))}" if brief.options.get("partners") else "")), st["meta"]),
        Paragraph("Summary", st["h2"]),
    ]
    heads = summary_headlines(brief)
    if heads:
        rows = [[Paragraph(escape(h.label), st["cell"]), Paragraph(f"<b>{escape(h.value)}</b>", st["cell"]),
                 Paragraph(escape(f"{title} · {h.source}"), st["cell"])] for title, h in heads]
        t = Table(rows, colWidths=[_WIDTH * 0.3, _WIDTH * 0.25, _WIDTH * 0.45])
        t.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.25, _RULE), ("LINEBEFORE", (0, 0), (0, -1), 2, _ACCENT), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(t)
    for s in brief.sections:
        story.append(Paragraph(escape(s.title), st["h2"]))
        if s.missing:
            story.append(Paragraph(escape(f"Missing: {s.missing}"), st["missing"]))
        for h in s.headlines:
            story.append(Paragraph(f"{escape(h.label)}: <b>{escape(h.value)}</b> <font color='#5b6470' size='7'>({escape(h.source)})</font>", st["body"]))
        for p in s.text:
            story.append(Paragraph(escape(p), st["body"]))
        for c in s.charts:
            story.extend(_chart(c, st))
        for tb in s.tables:
            story.extend(_table(tb, st))
        for n in s.notes:
            story.append(Paragraph(escape(f"Note: {n}"), st["small"]))
    story.append(Paragraph("Data and methods", st["h2"]))
    prov = brief.provenance
    if not prov.empty:
        frame = prov.drop_duplicates(["dataset", "source"])[["dataset", "source", "version", "sha256", "approximate", "note"]].copy()
        frame["sha256"] = frame["sha256"].map(lambda v: (v or "")[:16])
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
