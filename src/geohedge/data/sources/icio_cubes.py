"""The shipped OECD ICIO bilateral cubes (2011-2022): trade, applied tariffs, elasticities.

Reads the compact files of :mod:`geohedge.data.derived.icio_cubes` (shipped in
``geohedge/_data/derived/``) into the store's canonical rows:

- ``trade`` (dataset ``icio_cubes``, classification ``ICIO``): exports by exporter,
  importer (81 regions, ``ROW`` included) and sector (27 goods sectors and ``SERV``, the
  services aggregate), intermediate plus final use, USD; domestic sales left out;
- ``tariffs`` (classification ``ICIO``): applied bilateral tariffs, fractions, 2011-2021;
- ``elasticities``: the eight published sets of sector trade elasticities.

:func:`cube_sales` returns one year's full cube (domestic sales included) as an array,
for the destination split of the 2022 input-output table.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from geohedge.errors import DataError

__all__ = ["SERVICES", "cube_sales", "cube_sectors", "elasticity_rows", "tariff_writer", "trade_writer"]

SERVICES = "SERV"


def trade_writer(path: Path) -> Callable[[duckdb.DuckDBPyConnection, str], None]:
    """A store writer inserting the cube's cross-border sales into ``trade`` straight from Parquet."""

    def write(con: duckdb.DuckDBPyConnection, table: str) -> None:
        con.execute(
            f"""INSERT INTO {table} (dataset, classification, year, exporter, importer, product, value_usd, quantity_t)
            SELECT 'icio_cubes', 'ICIO', year, exporter, importer, sector, value_usd_mn::DOUBLE * 1e6, NULL
            FROM read_parquet(?) WHERE exporter <> importer""",
            [str(path)],
        )

    return write


def tariff_writer(path: Path) -> Callable[[duckdb.DuckDBPyConnection, str], None]:
    """A store writer inserting the cube's applied tariffs into ``tariffs``."""

    def write(con: duckdb.DuckDBPyConnection, table: str) -> None:
        con.execute(
            f"""INSERT INTO {table} (dataset, classification, year, importer, exporter, sector, rate)
            SELECT 'icio_cubes', 'ICIO', year, importer, exporter, sector, rate::DOUBLE FROM read_parquet(?)""",
            [str(path)],
        )

    return write


def elasticity_rows(path: Path) -> pd.DataFrame:
    """``set_name, sector, theta, sigma, paper`` from the shipped elasticity CSV.

    Raises
    ------
    DataError
        A value is not a positive finite number.
    """
    raw = pd.read_csv(path, dtype={"set": str, "sector": str})
    if not np.isfinite(raw["epsilon"]).all() or (raw["epsilon"] <= 0).any():
        raise DataError(f"{path.name}: trade elasticities must be positive and finite")
    return pd.DataFrame({"set_name": raw["set"], "sector": raw["sector"], "theta": raw["epsilon"],
                         "sigma": raw["sigma"], "paper": raw["paper"]})


def cube_sectors(path: Path) -> list[str]:
    """The cube's sector codes: the goods codes (sorted), then ``SERV``."""
    codes = pd.read_parquet(path, columns=["sector"])["sector"].unique().tolist()
    return sorted(c for c in codes if c != SERVICES) + [SERVICES]


def cube_sales(path: Path, year: int, exporters: tuple[str, ...], sectors: tuple[str, ...]) -> tuple[np.ndarray, tuple[str, ...]]:
    """One year's sales ``[exporter, sector, region]`` (USD mn), domestic cells included.

    Regions are ``exporters`` in order, then every other region of the cube (``ROW``).

    Raises
    ------
    DataError
        A country of ``exporters`` is absent from the cube.
    """
    frame = pd.read_parquet(path, filters=[("year", "==", year)])
    if frame.empty:
        raise DataError(f"{path.name} has no year {year}")
    others = sorted(set(frame["importer"]) - set(exporters))
    regions = (*exporters, *others)
    missing = sorted(set(exporters) - set(frame["exporter"]))
    if missing:
        raise DataError(f"{path.name}: no {year} sales of {', '.join(missing[:5])}")
    rpos = {c: k for k, c in enumerate(regions)}
    spos = {s: k for k, s in enumerate(sectors)}
    frame = frame[frame["exporter"].isin(set(exporters))]
    out = np.zeros((len(exporters), len(sectors), len(regions)))
    out[frame["exporter"].map(rpos).to_numpy(), frame["sector"].map(spos).to_numpy(), frame["importer"].map(rpos).to_numpy()] = frame["value_usd_mn"].to_numpy(dtype=float)
    return out, regions
