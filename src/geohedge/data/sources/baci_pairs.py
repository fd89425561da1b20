"""The shipped CEPII BACI 2023 country pairs, GDP and the 2 April 2025 US tariff schedule.

Reads the files of :mod:`geohedge.data.derived.baci_pairs` into canonical rows:
``trade`` (dataset ``baci_pairs``, classification ``HS22``, product ``TOTAL``: all goods,
year 2023, USD), ``macro`` (GDP, current USD) and ``tariff_schedules`` (schedule
``us-2025-04-02``: the additional US tariff on each country's goods, a fraction).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from geohedge.errors import DataError

__all__ = ["SCHEDULE", "YEAR", "read_pairs"]

YEAR = 2023
SCHEDULE = "us-2025-04-02"


def read_pairs(trade_path: Path, countries_path: Path) -> dict[str, pd.DataFrame]:
    """Frames for ``trade``, ``macro`` and ``tariff_schedules``.

    Raises
    ------
    DataError
        Negative or non-finite values, or codes outside the country list.
    """
    pairs = pd.read_parquet(trade_path)
    countries = pd.read_csv(countries_path, dtype={"iso3": str})
    if not np.isfinite(pairs["value_usd"]).all() or (pairs["value_usd"] < 0).any():
        raise DataError(f"{trade_path.name}: trade values must be finite and non-negative")
    known = set(countries["iso3"])
    stray = sorted((set(pairs["exporter"]) | set(pairs["importer"])) - known)
    if stray:
        raise DataError(f"{trade_path.name}: codes not in {countries_path.name}: {', '.join(stray[:5])}")
    trade = pd.DataFrame({"classification": "HS22", "year": np.int16(YEAR), "exporter": pairs["exporter"],
                          "importer": pairs["importer"], "product": "TOTAL", "value_usd": pairs["value_usd"],
                          "quantity_t": np.nan})
    macro = pd.DataFrame({"year": np.int16(YEAR), "country": countries["iso3"], "gdp_usd": countries["gdp_usd"]})
    sched = pd.DataFrame({"schedule": SCHEDULE, "imposer": "USA", "target": countries["iso3"],
                          "rate": countries["us_tariff_2025_04_02"].astype(float),
                          "note": "additional US tariff announced 2 April 2025 (reciprocal rates, 10% floor)"})
    sched = sched[sched["target"] != "USA"]
    return {"trade": trade, "macro": macro, "tariff_schedules": sched}
