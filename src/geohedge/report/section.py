"""What one section of the brief holds: the contract between analytics and the report.

Each topic (exposure, stress test, alignment, partners, relations) has a module in
:mod:`geohedge.report.sections` with ``build(store, iso3, **options) -> Section``. The brief
(:mod:`geohedge.report.brief`) renders sections to the terminal and to HTML/PDF without
knowing what is inside them. A section whose data is missing still renders: ``missing``
says what is missing and how to load it.

Page one of the brief answers the five questions, one :class:`PageLine` per section: its
:class:`Figure` values come from the section's own tables (``table``, ``row``, ``column``
say where), so page one and the section below can never disagree, and a clause without
numbers (``meaning``) that the brief joins into its "what this means" paragraph.

A piece of a section (one chart, one table) that fails must not take the brief down:
build it inside :func:`piece`, which turns a :class:`~geohedge.errors.GeohedgeError`
into a sentence saying what is missing and any other exception into an entry of
``Section.errors`` (shown in the brief as a bug to report, and failing the tests).
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pandas as pd

from geohedge import labels
from geohedge.errors import GeohedgeError

__all__ = ["Chart", "Figure", "Headline", "PageLine", "Section", "TableBlock", "describe_error", "figure", "piece"]


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
    #: column -> Python format spec, used only for columns :mod:`geohedge.labels` does not
    #: know (add new columns there instead, so the CLI and the dashboard read them alike)
    formats: dict[str, str] = field(default_factory=dict)
    #: columns repeated in every part when a wide table is split to fit the page
    #: (default: the first column)
    keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chart:
    """An SVG chart (from :mod:`geohedge.report.charts`) with a caption naming its source."""

    title: str
    svg: str
    caption: str = ""


@dataclass(frozen=True)
class Figure:
    """One number on page one, taken from a cell of one of the section's tables.

    Attributes
    ----------
    label
        What the number is, e.g. ``"CHN"`` or ``"agreement with USA"``.
    value
        The cell's value (as stored, e.g. a share 0-1).
    column
        The table column, which gives the unit and format (:mod:`geohedge.labels`).
    table
        Index of the table in ``Section.tables``; ``row`` the value of the table's first
        column (or ``key``) in that row.
    """

    label: str
    value: float
    column: str
    table: int
    row: str
    key: str | None = None

    @property
    def text(self) -> str:
        """The value as printed, the same text as its table cell."""
        return labels.format_value(self.column, self.value)


@dataclass(frozen=True)
class PageLine:
    """A section's answer on page one: a lead-in, its figures, year and source, and a
    clause for the "what this means" paragraph.

    ``missing`` replaces the figures when the section has no data: what is missing and
    the command that loads it.
    """

    question: str
    lead: str
    figures: tuple[Figure, ...] = ()
    unit: str = ""
    year: str = ""
    source: str = ""
    meaning: str = ""
    missing: str | None = None

    def numbers(self) -> str:
        """``"CHN 11.2%, USA 3.7%"``: each figure's label and printed value."""
        return ", ".join(f"{f.label} {f.text}".strip() for f in self.figures)


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
    page_one
        The section's line on page one (``None``: the brief says the section has none).
    errors
        Pieces that failed with an unexpected error (a bug): ``"what: Type: message"``.
    """

    key: str
    title: str
    headlines: list[Headline] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    tables: list[TableBlock] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    missing: str | None = None
    page_one: PageLine | None = None
    errors: list[str] = field(default_factory=list)


def figure(table: TableBlock, index: int, row: str, column: str, label: str | None = None, key: str | None = None) -> Figure:
    """The :class:`Figure` in ``table``'s row whose key column (default: the first) is ``row``.

    Raises
    ------
    KeyError
        No such row or column (a bug in the section that asks).
    """
    f = table.frame
    key_col = key or str(f.columns[0])
    hit = f[f[key_col].astype(str) == str(row)]
    if hit.empty or column not in f.columns:
        raise KeyError(f"no row {row!r} / column {column!r} in table {index} ({table.caption[:60]})")
    return Figure(label if label is not None else str(row), float(hit[column].iloc[0]), column, index, str(row), key)


@contextmanager
def piece(section: Section, what: str, missing: list[str] | None = None) -> Iterator[None]:
    """Build one piece of ``section`` (a chart, a table) so that its failure stays local.

    A :class:`~geohedge.errors.GeohedgeError` (data missing, a country not covered) adds
    ``"<what> is not available: <message>"`` to the section's text (and to ``missing``
    when a list is given); any other exception is a bug: it is recorded in
    ``section.errors`` with the line it came from, and the brief shows it.
    """
    try:
        yield
    except GeohedgeError as exc:
        section.text.append(f"{what[:1].upper()}{what[1:]} is not available: {exc}")
        if missing is not None:
            missing.append(f"{what}: {exc}")
    except Exception as exc:  # noqa: BLE001 - a bug in one piece must not take the brief down
        section.errors.append(describe_error(what, exc))


def describe_error(what: str, exc: BaseException) -> str:
    """``"<what>: ValueError: message (at file.py:123 in function)"``, one line."""
    tb = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in tb if "geohedge" in f.filename] or tb
    at = f" (at {ours[-1].filename.rsplit('/', 1)[-1]}:{ours[-1].lineno} in {ours[-1].name})" if ours else ""
    return f"{what}: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}{at}"
