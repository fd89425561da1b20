"""Lay a :class:`~geohedge.report.section.TableBlock` out for the page: human headers,
formatted cells, and wide tables split into parts that fit.

Both renderers use it, the HTML with its column widths left to the browser and the PDF
with the widths computed here, so a table reads the same in both:

- headers are :func:`geohedge.labels.header` (label and unit) and cells
  :func:`geohedge.labels.format_value`, so the brief prints what the CLI prints;
- a column is never narrower than its longest header word, nor than its longest number,
  so no header word is ever broken (text cells such as URLs may wrap anywhere);
- a table whose columns do not fit side by side is split into parts, each repeating the
  key columns (:attr:`TableBlock.keys`, by default the first column, and the second when
  the first is a rank), so every part can be read on its own.

Widths come from the Helvetica metrics that ReportLab ships (the PDF's font, and
metric-compatible with the Arial/Liberation Sans the HTML asks for first).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd
from reportlab.pdfbase.pdfmetrics import stringWidth

from geohedge import labels
from geohedge.report.section import TableBlock

__all__ = ["TablePart", "cells", "default_keys", "layout", "split_columns"]

#: A text cell wraps; this caps the width its longest word may claim (a URL wraps anywhere).
_TEXT_WORD_CAP = 11.0  # in font sizes (about 11 em)


@dataclass(frozen=True)
class TablePart:
    """One part of a laid-out table: the columns it shows, their headers, cells and widths."""

    caption: str
    columns: tuple[str, ...]
    headers: tuple[str, ...]
    numeric: tuple[bool, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    part: int = 1
    parts: int = 1


def cells(block: TableBlock) -> tuple[list[str], list[str], list[bool], list[list[str]]]:
    """Columns, headers, numeric flags and display text of every cell of ``block``.

    Columns :mod:`geohedge.labels` does not know keep the block's own ``formats``.
    """
    f: pd.DataFrame = block.frame
    columns = [str(c) for c in f.columns]
    numeric = [pd.api.types.is_numeric_dtype(f[c]) and labels.column(str(c)).kind != "text" for c in f.columns]
    shown = labels.format_frame(f)
    for c in f.columns:
        spec = block.formats.get(str(c))
        if spec and not labels.is_known(str(c)):
            shown[c] = [_spec(v, spec) for v in f[c]]
    rows = [[_breakable(str(v)) if not num else str(v) for v, num in zip(r, numeric, strict=True)]
            for r in shown.itertuples(index=False, name=None)]
    return columns, [labels.header(c) for c in columns], numeric, rows


def _breakable(text: str) -> str:
    """Lists joined without spaces (``"volatility;alignment"``) may wrap between items."""
    return re.sub(r"([;,])(?=\S)", r"\1 ", text) if len(text) > 12 and " " not in text and "://" not in text else text


def _spec(v: object, spec: str) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    try:
        return format(v, spec)
    except (TypeError, ValueError):
        return str(v)


def _keys(block: TableBlock, columns: list[str]) -> list[int]:
    if block.keys:
        return [columns.index(k) for k in block.keys if k in columns]
    return default_keys(columns)


def default_keys(columns: list[str]) -> list[int]:
    """Key columns of a table: the first, and the second too when the first is a rank."""
    if not columns:
        return []
    return [0, 1] if columns[0] == "rank" and len(columns) > 1 else [0]


def split_columns(least: list[float], width: float, keys: list[int]) -> list[list[int]]:
    """Column indices in groups whose minimum widths fit ``width``, each group starting
    with the ``keys`` (a column wider than ``width`` alone still gets a group)."""
    groups: list[list[int]] = []
    current = list(keys)
    for k in range(len(least)):
        if k in keys:
            continue
        if len(current) > len(keys) and sum(least[j] for j in current) + least[k] > width:
            groups.append(current)
            current = list(keys)
        current.append(k)
    if len(current) > len(keys) or not groups:
        groups.append(current)
    return groups


def layout(block: TableBlock, width: float, *, size: float = 7.0, pad: float = 4.0, font: str = "Helvetica",
           bold: str = "Helvetica-Bold") -> list[TablePart]:
    """``block`` as parts that each fit ``width`` (points or pixels at font size ``size``).

    Each column gets at least its minimum (longest header word, longest number, or a text
    cell's longest word up to a cap) and at most its natural width (header and cells on one
    line); what is left of ``width`` goes to the columns that would wrap, in proportion to
    what they lack.
    """
    columns, headers, numeric, rows = cells(block)
    if not columns:
        return []

    def w(text: str, face: str = font) -> float:
        return stringWidth(text, face, size)

    least, natural = [], []
    for k, (head, num) in enumerate(zip(headers, numeric, strict=True)):
        texts = [r[k] for r in rows]
        head_word = max((w(t, bold) for t in head.split()), default=0.0)
        if num:
            cell = max((w(t) for t in texts), default=0.0)
        else:
            cell = min(max((w(word) for t in texts for word in t.split()), default=0.0), _TEXT_WORD_CAP * size)
        least.append(max(head_word, cell) + pad)
        natural.append(max(least[-1], max([w(head, bold), *(w(t) for t in texts)]) + pad))
    groups = split_columns(least, width, _keys(block, columns))
    parts = []
    for n, group in enumerate(groups, start=1):
        lo = [least[j] for j in group]
        hi = [natural[j] for j in group]
        room = width - sum(lo)
        want = [h - lo_ for h, lo_ in zip(hi, lo, strict=True)]
        total = sum(want)
        share = min(1.0, room / total) if total > 0 and room > 0 else 0.0
        widths = tuple(lo_ + share * wt for lo_, wt in zip(lo, want, strict=True))
        parts.append(TablePart(
            caption=block.caption, columns=tuple(columns[j] for j in group), headers=tuple(headers[j] for j in group),
            numeric=tuple(numeric[j] for j in group), rows=tuple(tuple(r[j] for j in group) for r in rows),
            widths=widths, part=n, parts=len(groups)))
    return parts
