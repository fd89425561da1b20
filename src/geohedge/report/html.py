"""Render a :class:`~geohedge.report.brief.Brief` to one self-contained HTML file.

Charts are inline SVG and the stylesheet is inline: the file has no external reference
(no CDN, no fonts, no scripts) and opens offline. Written atomically.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import jinja2
import pandas as pd

from geohedge.report.brief import Brief
from geohedge.report.section import Headline, TableBlock

__all__ = ["render_html", "write_html"]

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("geohedge.report", "templates"),
    autoescape=jinja2.select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _cell(v: object, fmt: str | None) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if fmt and isinstance(v, int | float):
        try:
            return format(v, fmt)
        except (ValueError, TypeError):
            return str(v)
    if isinstance(v, float):
        return f"{v:,.3g}" if abs(v) < 1 else f"{v:,.1f}"
    return str(v)


def _table(block: TableBlock) -> dict[str, object]:
    f: pd.DataFrame = block.frame
    numeric = {c: pd.api.types.is_numeric_dtype(f[c]) for c in f.columns}
    rows = [[(_cell(v, block.formats.get(c)), numeric[c]) for c, v in zip(f.columns, r, strict=True)] for r in f.itertuples(index=False)]
    return {"caption": block.caption, "columns": [(c, numeric[c]) for c in f.columns], "rows": rows}


def render_html(brief: Brief) -> str:
    """The brief as one HTML document (string)."""
    sections = [
        {"s": s, "tables": [_table(t) for t in s.tables]}
        for s in brief.sections
    ]
    prov = brief.provenance
    sources = []
    if not prov.empty:
        for r in prov.drop_duplicates(["dataset", "source"]).itertuples():
            sources.append({
                "dataset": r.dataset, "source": r.source, "version": r.version or "", "origin": r.origin or "",
                "sha256": (r.sha256 or "")[:16], "loaded": f"{r.loaded_at:%Y-%m-%d %H:%M} UTC", "approximate": bool(r.approximate),
                "note": r.note or "",
            })
    return _ENV.get_template("brief.html.j2").render(brief=brief, sections=sections, sources=sources, headlines=summary_headlines(brief))


def summary_headlines(brief: Brief) -> list[tuple[str, Headline]]:
    """The brief's summary: each section's first headline (one number per question);
    a section without data contributes a line saying what is missing."""
    out = []
    for s in brief.sections:
        if s.headlines:
            out.append((s.title, s.headlines[0]))
        elif s.missing:
            out.append((s.title, Headline(s.title, "missing", s.missing)))
    return out


def write_html(brief: Brief, out_dir: Path) -> Path:
    """Write ``<out_dir>/geohedge-brief-<ISO3>.html`` atomically; return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"geohedge-brief-{brief.iso3}.html"
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(render_html(brief), encoding="utf-8")
    os.replace(tmp, path)
    return path
