"""Render a :class:`~geohedge.report.brief.Brief` to one self-contained HTML file.

Charts are inline SVG and the stylesheet is inline: the file has no external reference
(no CDN, no fonts, no scripts) and opens offline. Tables are laid out by
:mod:`geohedge.report.tables` (human headers, wide tables split) so the page fits a
1280 px window. Written atomically.
"""

from __future__ import annotations

import os
from pathlib import Path

import jinja2

from geohedge.report.brief import Brief, page_one
from geohedge.report.section import Section, describe_error
from geohedge.report.tables import TablePart, layout

__all__ = ["CONTENT_WIDTH_PX", "render_html", "write_html"]

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("geohedge.report", "templates"),
    autoescape=jinja2.select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)

#: Width of the page's text column (``main``: 980 px less its padding), in CSS pixels.
CONTENT_WIDTH_PX = 924
#: Table font size in CSS pixels (the template's ``table { font-size }``).
_TABLE_PX = 12.5
#: Browsers substitute fonts: lay tables out for a face 10% wider than Helvetica.
_SAFETY = 1.1


def _parts(s: Section) -> list[dict[str, object]]:
    """Each table of a section as its laid-out parts; a table that cannot be laid out is
    recorded as the section's error and left out."""
    out = []
    for k, block in enumerate(s.tables):
        try:
            parts = layout(block, CONTENT_WIDTH_PX / _SAFETY, size=_TABLE_PX, pad=12 / _SAFETY)
        except Exception as exc:  # noqa: BLE001 - one bad table must not take the brief down
            s.errors.append(describe_error(f"table {k + 1} ({block.caption[:40]})", exc))
            continue
        out.append({"index": k, "parts": parts})
    return out


def _part_caption(p: TablePart) -> str:
    return p.caption if p.parts == 1 else f"{p.caption} (part {p.part} of {p.parts})"


def render_html(brief: Brief) -> str:
    """The brief as one HTML document (string)."""
    sections = [{"s": s, "tables": _parts(s)} for s in brief.sections]
    prov = brief.provenance
    sources = []
    if not prov.empty:
        for r in prov.drop_duplicates(["dataset", "source"]).itertuples():
            sources.append({
                "dataset": r.dataset, "source": r.source, "version": r.version or "", "origin": r.origin or "",
                "sha256": (r.sha256 or "")[:16], "loaded": f"{r.loaded_at:%Y-%m-%d %H:%M} UTC", "approximate": bool(r.approximate),
                "note": r.note or "",
            })
    return _ENV.get_template("brief.html.j2").render(
        brief=brief, sections=sections, sources=sources, page=page_one(brief), part_caption=_part_caption, errors=brief.errors)


def write_html(brief: Brief, out_dir: Path) -> Path:
    """Write ``<out_dir>/geohedge-brief-<ISO3>.html`` atomically; return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"geohedge-brief-{brief.iso3}.html"
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(render_html(brief), encoding="utf-8")
    os.replace(tmp, path)
    return path
