"""Store reads for critical-material supply risk: only the rows one country and year need."""

from __future__ import annotations

from geohedge.countries import resolve
from geohedge.data.store import Store
from geohedge.errors import DataError, InputError
from geohedge.exposure.materials import supply_risk
from geohedge.exposure.results import SupplyRisk

__all__ = ["query_material_years", "query_supply_risk"]

#: Trade dataset holding BACI HS6 quantities (the bundle's subset; a full release load
#: under ``baci`` also carries these products).
_TRADE_DATASETS = ("baci_raw", "baci")


def _require(store: Store, table: str, dataset: str) -> None:
    if not store.has_table(table) or not store.run(f"SELECT count(*) FROM {table} WHERE dataset = ?", [dataset])[0][0]:
        raise DataError(f"the store has no {dataset!r} rows in {table!r}; run 'geohedge data build' to load the offline bundle")


def query_material_years(store: Store) -> list[int]:
    """Years with production data (dataset ``wmd``), ascending.

    Raises
    ------
    DataError
        World Mining Data is not loaded.
    """
    _require(store, "production", "wmd")
    return [int(r[0]) for r in store.run("SELECT DISTINCT year FROM production WHERE dataset = 'wmd' ORDER BY year")]


def query_supply_risk(store: Store, iso3: str, year: int) -> SupplyRisk:
    """GeoPolRisk supply risk of one importer and year from the store.

    Reads the importer's BACI flows of the mapped HS6 products in ``year``, that year's
    production and WGI PV estimates, and the material map, then calls
    :func:`geohedge.exposure.supply_risk`.

    Raises
    ------
    InputError
        Unknown country; a year without production data (lists the years); no imports.
    DataError
        World Mining Data, the material map, BACI or WGI are not loaded.
    """
    country = resolve(iso3)
    years = query_material_years(store)
    if int(year) not in years:
        raise InputError(f"no production data for {year}; the supply-risk years are {years[0]}-{years[-1]}")
    _require(store, "materials", "wmd")
    _require(store, "governance", "wgi")
    datasets = [d for d in _TRADE_DATASETS
                if store.run("SELECT count(*) FROM trade WHERE dataset = ? AND year = ?", [d, int(year)])[0][0]]
    if not datasets:
        raise DataError(f"the store has no BACI trade for {year}; run 'geohedge data build'")
    dataset = datasets[0]
    materials = store.query("SELECT material, product, role, category FROM materials WHERE dataset = 'wmd'")
    trade = store.query(
        "SELECT year, exporter, importer, product, value_usd, quantity_t FROM trade "
        "WHERE dataset = ? AND year = ? AND importer = ? AND product IN (SELECT product FROM materials WHERE dataset = 'wmd')",
        [dataset, int(year), country],
    )
    production = store.query(
        "SELECT year, country, material, quantity_t FROM production WHERE dataset = 'wmd' AND year = ?", [int(year)]
    )
    governance = store.query(
        "SELECT year, country, estimate FROM governance WHERE dataset = 'wgi' AND indicator = 'PV' AND year = ?",
        [int(year)],
    )
    return supply_risk(trade, production, governance, materials, country, int(year))
