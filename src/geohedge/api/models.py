"""Response models of the API (pydantic): what each endpoint returns, named in OpenAPI.

Tables travel as ``columns`` (the frame's column names, snake_case with units, as in the
CLI's ``--format json``) and ``rows`` (one JSON object per row; missing values are
``null``).
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, Field

__all__ = [
    "AlignmentOut",
    "BlocOut",
    "CountryItem",
    "CountryOut",
    "Coverage",
    "ErrorOut",
    "EventsIn",
    "EventsOut",
    "ExposureOut",
    "FocusOut",
    "MapOut",
    "MapShapeOut",
    "PartnersOut",
    "ScenarioInfo",
    "ScenarioRunOut",
    "StatusOut",
    "StoredOut",
    "TableOut",
    "table",
]


class ErrorOut(BaseModel):
    """Every error response: one line naming the bad value, the rule and the fix."""

    error: str = Field(examples=["unknown country 'Malaysa'; did you mean MYS (Malaysia)?"])


class TableOut(BaseModel):
    columns: list[str]
    rows: list[dict[str, Any]]


def _json_value(v: Any) -> Any:
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, _dt.date | _dt.datetime | pd.Timestamp):
        return v.isoformat()
    if isinstance(v, tuple | list):
        return [_json_value(x) for x in v]
    return v


def table(frame: pd.DataFrame) -> dict[str, Any]:
    """A frame as ``{"columns": [...], "rows": [...]}`` (full precision; NaN, infinity and NaT become ``null``)."""
    columns = [str(c) for c in frame.columns]
    rows = [dict(zip(columns, map(_json_value, r), strict=True)) for r in frame.itertuples(index=False, name=None)]
    return {"columns": columns, "rows": rows}


class StatusOut(BaseModel):
    version: str
    store: str
    generation: int = Field(description="bumped on every write through the API")
    tables: TableOut


class CountryItem(BaseModel):
    iso3: str
    name: str
    iso2: str | None = None
    iso_numeric: int | None = None
    icio: bool = Field(description="a separate region of the loaded ICIO table (exposure and scenarios work)")


class Coverage(BaseModel):
    table_name: str
    dataset: str
    rows: int
    year_min: int | None = None
    year_max: int | None = None


class CountryOut(BaseModel):
    iso3: str
    name: str
    official_name: str | None = None
    iso2: str | None = None
    iso_numeric: int | None = None
    former: bool = False
    successor: str | None = None
    groups: list[str]
    datasets: list[Coverage]


class BlocOut(BaseModel):
    code: str
    name: str
    source: str
    on: str | None = None
    members: list[str]


class ExposureOut(TableOut):
    country: str
    name: str
    channel: str
    by: str
    year: int | None = None
    caption: str = Field(description="unit, year and source of the table")
    notes: list[str] = Field(description="approximations the reader must know")
    summary: list[str]


class AlignmentOut(TableOut):
    country: str
    powers: list[str]
    by: str
    caption: str
    summary: str


class PartnersOut(TableOut):
    country: str
    summary: str
    caption: str
    weights: str = Field(description="the weight profile used")
    notes: list[str]
    explanations: dict[str, str] = Field(default_factory=dict, description="what holds each shown partner back, and what would move it into the top ten")


class ScenarioInfo(BaseModel):
    name: str
    title: str
    description: str
    shocks: int
    spec: dict[str, Any] = Field(description="the scenario as JSON (POST it back, edited, to /api/scenarios/run)")


class FocusOut(BaseModel):
    country: str
    welfare_change: float = Field(description="real income change, relative (0.01 = +1%)")
    summary: str
    exports: TableOut
    imports: TableOut
    blocs: TableOut
    concentration: TableOut


class ScenarioRunOut(BaseModel):
    scenario: str
    title: str
    convergence: str
    source: str
    notes: list[str]
    summary: str
    countries: TableOut = Field(description="welfare and trade changes per country, worst first")
    focus: FocusOut | None = None


class EventsIn(BaseModel):
    """An article to code (``POST /api/events``)."""

    text: str = Field(min_length=1, description="the article's plain text (English)")
    date: str | None = Field(default=None, description="publication date YYYY-MM-DD (for leaders' terms of office)")
    store: bool = Field(default=False, description="also load the article and its events into the store (dataset news)")


class StoredOut(BaseModel):
    added: int
    duplicates: int
    events: int


class EventsOut(TableOut):
    n_sentences: int
    language: str
    skipped: str | None = None
    summary: str
    stored: StoredOut | None = None


class MapShapeOut(BaseModel):
    iso3: str | None
    name: str
    numeric: str | None
    d: str = Field(description="SVG path in the map's box")


class MapOut(BaseModel):
    width: float
    height: float
    source: str
    shapes: list[MapShapeOut]
