"""Builder: CEPII BACI 2023 country pairs, GDP and the 2 April 2025 US tariff schedule
(``../shared/data/baci-2023-pairs/``).

Writes:

``baci_2023_trade.parquet``
    ``exporter, importer, value_usd`` (float64): goods trade in 2023 between 194
    countries, USD (the source's thousand USD times 1000), zero and empty cells left out.
``baci_2023_countries.csv``
    ``iso3, baci_code, name, gdp_usd, us_tariff_2025_04_02`` (the additional US tariff
    announced on 2 April 2025, a fraction).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from geohedge.data.derived._write import input_files, shipped, write_csv, write_parquet
from geohedge.data.derived.manifest import ShippedFile

__all__ = ["build"]

FILES = ("country_labels.csv", "trade_cepii.csv", "gdp.csv", "tariffs.csv")
TAKEN_FROM = ("github.com/JoeLoera/liberation-day-replication@e1f26fdb, data/base_data/ (same files in "
              "github.com/ahmadlp/us-tariff@2b79aa19, data/reciprocal_tariffs/), replication package of Ignatenko, "
              "Macedoni, Lashkaripour & Simonovska (2025), Journal of International Economics 157, 104138")
ATTRIBUTION = ("CEPII BACI (Gaulier & Zignago 2010), HS22 release V202501, Etalab Open Licence 2.0; "
               "US tariff schedule: executive order of 2 April 2025 (public record) as compiled by Ignatenko et al. (2025)")


def build(shared: Path, out: Path) -> list[ShippedFile]:
    """Derive the BACI pair files from ``shared/baci-2023-pairs`` into ``out``."""
    root = shared / "baci-2023-pairs"
    labels = pd.read_csv(root / "country_labels.csv", dtype={"iso3": str})
    trade = pd.read_csv(root / "trade_cepii.csv")
    gdp = pd.read_csv(root / "gdp.csv")
    tariffs = pd.read_csv(root / "tariffs.csv")
    n = len(labels)
    if trade.shape != (n, n) or len(gdp) != n or len(tariffs) != n:
        raise ValueError(f"baci-2023-pairs: files do not share {n} rows")
    values = trade.to_numpy(dtype=float)
    if (values[np.isfinite(values)] < 0).any():
        raise ValueError("trade_cepii.csv: negative trade")
    e, m = np.nonzero(np.nan_to_num(values) > 0)
    keep = e != m
    iso = labels["iso3"].to_numpy()
    pairs = pd.DataFrame({"exporter": iso[e[keep]], "importer": iso[m[keep]], "value_usd": values[e[keep], m[keep]] * 1000.0})
    pairs = pairs.sort_values(["exporter", "importer"], ignore_index=True)
    countries = pd.DataFrame({"iso3": iso, "baci_code": labels["iso_code"].astype(int), "name": labels["CountryName"],
                              "gdp_usd": gdp["gdp"].astype(float), "us_tariff_2025_04_02": tariffs["applied_tariff"].astype(float)})
    meta = dict(dataset="baci_pairs", release="CEPII BACI HS22 V202501, year 2023", taken_from=TAKEN_FROM,
                licence="Etalab Open Licence 2.0 (BACI)", attribution=ATTRIBUTION, builder=__name__,
                inputs=input_files(shared, [f"baci-2023-pairs/{f}" for f in FILES]))
    return [
        shipped(write_parquet(pairs, out / "baci_2023_trade.parquet"),
                source="CEPII BACI goods trade between 194 countries, 2023 (reconciled mirror flows, origin basis)",
                note="value_usd = source thousand USD x 1000; diagonal and empty cells left out", **meta),
        shipped(write_csv(countries, out / "baci_2023_countries.csv"),
                source="BACI 2023 country list with GDP (current USD) and the additional US tariffs announced on 2 April 2025",
                note="us_tariff_2025_04_02 is a fraction (MYS 0.24, CHN 0.54 = 34% + the earlier 20%)", **meta),
    ]
