"""What one section of the brief holds: the contract between analytics and the report.

Each topic (exposure, stress test, alignment, partners, relations) has a module in
:mod:`geohedge.report.sections` with ``build(store, iso3, **options) -> Section``. The brief
(:mod:`geohedge.report.brief`) renders sections to the terminal and to HTML/PDF without
knowing what is inside them. A section whose data is missing still renders: ``missing``
says what is missing and how to load it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Chart", "Headline", "Section", "TableBlock"]


@dataclass(frozen=True)
class Headline:
    """A number an analyst would quote, with its unit, year and source.

    ``value`` is already formatted for display (e.g. ``"21.4%"``, ``"USD 62.1 bn"``).
    """

    label: str
    value: str
    source: str


@dataclass(frozen=True, eq=False)
class TableBlock:
    """A table with a caption that states units, year and source."""

    caption: str
    frame: pd.DataFrame
    #: column -> Python format spec for display, e.g. ``{"share": ".1%", "value_usd_mn": ",.0f"}``
    formats: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Chart:
    """An SVG chart (from :mod:`geohedge.report.charts`) with a caption naming its source."""

    title: str
    svg: str
    caption: str = ""


@dataclass(frozen=True, eq=False)
class Section:
    """One section of the brief.

    Attributes
    ----------
    key
        Short identifier (``"exposure"``, ``"stress"``, ``"alignment"``, ...).
    title
        Heading shown to readers.
    headlines
        The section's key numbers (the brief's summary picks from these).
    text
        Short paragraphs of findings, each a plain sentence with units and sources.
    tables, charts
        Content blocks.
    notes
        Methods and approximations the reader must know (e.g. the approximate
        final-demand split).
    missing
        ``None`` when the section has its data; otherwise what is missing and the command
        that loads it. A section with ``missing`` set may still carry partial content.
    """

    key: str
    title: str
    headlines: list[Headline] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    tables: list[TableBlock] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    missing: str | None = None
