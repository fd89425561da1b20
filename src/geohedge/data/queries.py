"""Read-side queries over the store: what is loaded, and one country's data.

These return DataFrames with documented columns; they never write.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geohedge.data.store import Store
from geohedge.errors import InputError
from geohedge.iotable import IOTable

__all__ = ["query_coverage", "query_icio_year", "query_icio_years", "query_iotable", "query_status", "query_trade"]

# table -> (year column or None, country columns, product column or None)
_SHAPE: dict[str, tuple[str | None, tuple[str, ...], str | None]] = {
    "trade": ("year", ("exporter", "importer"), "product"),
    "icio_flows": ("year", ("seller_country", "buyer_country"), "seller_sector"),
    "icio_final": ("year", ("seller_country", "buyer_country"), "seller_sector"),
    "icio_nodes": ("year", ("country",), "sector"),
    "governance": ("year", ("country",), None),
    "tariffs": ("year", ("importer", "exporter"), "sector"),
    "icio_countries": ("year", (), None),
    "icio_sectors": ("year", (), None),
    "macro": ("year", ("country",), None),
    "tariff_schedules": (None, ("target",), None),
    "elasticities": (None, (), "sector"),
    "production": ("year", ("country",), "material"),
    "materials": (None, (), "product"),
    "un_votes": (None, ("country",), None),
    "un_roll_calls": ("year(date)", (), None),
    "un_ideal_points": ("year", ("country",), None),
    "un_agreement": ("1945 + session", ("country",), "partner"),
    "atlas": (None, ("target",), "family"),
}


def query_status(store: Store) -> pd.DataFrame:
    """One row per loaded (table, dataset) with coverage and provenance.

    Returns
    -------
    DataFrame
        Columns ``table_name, dataset, rows, year_min, year_max, countries, products,
        approximate, source, version, origin, sha256, loaded_at, note``.
    """
    prov = store.provenance()
    out = []
    for rec in prov.itertuples(index=False):
        table, dataset = rec.table_name, rec.dataset
        year_col, country_cols, product_col = _SHAPE.get(table, (None, (), None))
        where = "dataset = ?"
        scope = dict(kv.split("=", 1) for kv in rec.scope.split(",") if kv)
        params: list[object] = [dataset]
        if "year" in scope and year_col == "year":
            where += " AND year = ?"
            params.append(int(scope["year"]))
        if "run" in scope and table == "atlas":
            where += " AND run = ?"
            params.append(scope["run"])
        exprs = ["count(*)"]
        exprs += [f"min({year_col})", f"max({year_col})"] if year_col else ["NULL", "NULL"]
        if country_cols:
            union = " UNION ".join(f"SELECT {c} AS c FROM {table} WHERE {where}" for c in country_cols)
            countries_sql = f"(SELECT count(DISTINCT c) FROM ({union}))"
            params_c = params * len(country_cols)
        else:
            countries_sql, params_c = "NULL", []
        exprs.append(countries_sql)
        exprs.append(f"count(DISTINCT {product_col})" if product_col else "NULL")
        if table == "products":  # keyed by classification, no dataset column
            row = (rec.rows, None, None, None, rec.rows)
        else:
            row = store.run(f"SELECT {', '.join(exprs)} FROM {table} WHERE {where}", params_c + params)[0]
        out.append(
            {
                "table_name": table,
                "dataset": dataset,
                "rows": row[0],
                "year_min": row[1],
                "year_max": row[2],
                "countries": row[3],
                "products": row[4],
                "approximate": bool(rec.approximate),
                "source": rec.source,
                "version": rec.version,
                "origin": rec.origin,
                "sha256": rec.sha256,
                "loaded_at": rec.loaded_at,
                "note": rec.note,
            }
        )
    frame = pd.DataFrame(out)
    for col in ("rows", "year_min", "year_max", "countries", "products"):
        if col in frame:
            frame[col] = frame[col].astype("Int64")
    return frame


def query_coverage(store: Store, iso3: str) -> pd.DataFrame:
    """Which loaded datasets cover a country.

    Returns
    -------
    DataFrame
        Columns ``table_name, dataset, rows, year_min, year_max`` (rows involving the
        country in any country column).
    """
    out = []
    for table, (year_col, country_cols, _) in _SHAPE.items():
        if not country_cols or not store.has_table(table):
            continue
        cond = " OR ".join(f"{c} = ?" for c in country_cols)
        ycol = year_col if year_col == "year" else "NULL"
        rows = store.run(
            f"SELECT dataset, count(*), min({ycol}), max({ycol}) FROM {table} WHERE {cond} GROUP BY dataset ORDER BY dataset",
            [iso3] * len(country_cols),
        )
        if table == "un_votes":
            rows = store.run(
                "SELECT v.dataset, count(*), min(year(r.date)), max(year(r.date)) FROM un_votes v "
                "JOIN un_roll_calls r USING (dataset, rcid) WHERE v.country = ? GROUP BY v.dataset ORDER BY v.dataset",
                [iso3],
            )
        out += [{"table_name": table, "dataset": d, "rows": n, "year_min": y0, "year_max": y1} for d, n, y0, y1 in rows]
    return pd.DataFrame(out, columns=["table_name", "dataset", "rows", "year_min", "year_max"])


def query_trade(
    store: Store,
    iso3: str,
    *,
    dataset: str | None = None,
    year: int | None = None,
) -> pd.DataFrame:
    """All bilateral trade rows where a country is exporter or importer.

    Returns
    -------
    DataFrame
        Columns ``dataset, classification, year, exporter, importer, product, value_usd,
        quantity_t`` (USD; tonnes).
    """
    where = ["(exporter = ? OR importer = ?)"]
    params: list[object] = [iso3, iso3]
    if dataset is not None:
        where.append("dataset = ?")
        params.append(dataset)
    if year is not None:
        where.append("year = ?")
        params.append(year)
    return store.query(
        "SELECT dataset, classification, year, exporter, importer, product, value_usd, quantity_t "
        f"FROM trade WHERE {' AND '.join(where)} ORDER BY dataset, year, exporter, importer, product",
        params,
    )


def query_icio_years(store: Store) -> list[int]:
    """Years of the input-output tables in the store."""
    return [r[0] for r in store.run("SELECT DISTINCT year FROM icio_nodes ORDER BY year")]


def query_icio_year(store: Store, year: int | None = None) -> int:
    """The input-output year to use: ``year`` if the store has it, the latest when ``None``.

    Raises
    ------
    InputError
        No input-output table at all, or none for ``year`` (the message lists the years there are).
    """
    years = query_icio_years(store)
    if not years:
        raise InputError("no input-output table in the store; run 'geohedge data build'")
    if year is None:
        return years[-1]
    if year not in years:
        raise InputError(f"no input-output table for {year}; available years: {', '.join(map(str, years))}")
    return year


def query_iotable(store: Store, year: int) -> IOTable:
    """Rebuild the :class:`~geohedge.iotable.IOTable` of one year from the store.

    Final sales to a region that is not one of the table's countries (the bundle's ``ROW``)
    become extra columns of ``F`` after the countries (``IOTable.final_regions``).

    Raises
    ------
    InputError
        No input-output table for that year; the message lists the years there are.
    """
    year = query_icio_year(store, year)
    countries = store.run("SELECT code, name FROM icio_countries WHERE dataset = 'icio' AND year = ? ORDER BY position", [year])
    sectors = store.run("SELECT code, name FROM icio_sectors WHERE dataset = 'icio' AND year = ? ORDER BY position", [year])
    N, J = len(countries), len(sectors)
    codes = [c for c, _ in countries]
    extra = [r[0] for r in store.run(
        "SELECT DISTINCT buyer_country FROM icio_final WHERE dataset = 'icio' AND year = ? AND buyer_country NOT IN "
        "(SELECT code FROM icio_countries WHERE dataset = 'icio' AND year = ?) ORDER BY 1", [year, year])]
    regions = codes + extra
    index_sql = """
        WITH c AS (SELECT code, position AS k FROM icio_countries WHERE dataset = 'icio' AND year = $year),
             s AS (SELECT code, position AS k FROM icio_sectors WHERE dataset = 'icio' AND year = $year),
             d AS (SELECT unnest($regions) AS code, generate_subscripts($regions, 1) - 1 AS k)
    """
    params = {"year": year, "regions": regions}
    flows = store.con.execute(
        index_sql + f"""
        SELECT (sc.k * {J} + ss.k)::INTEGER AS r, (bc.k * {J} + bs.k)::INTEGER AS col, f.value_usd_mn AS v
        FROM icio_flows f
        JOIN c sc ON sc.code = f.seller_country JOIN s ss ON ss.code = f.seller_sector
        JOIN c bc ON bc.code = f.buyer_country JOIN s bs ON bs.code = f.buyer_sector
        WHERE f.dataset = 'icio' AND f.year = $year""",
        params,
    ).fetchnumpy()
    final = store.con.execute(
        index_sql + f"""
        SELECT (sc.k * {J} + ss.k)::INTEGER AS r, bd.k::INTEGER AS col, f.value_usd_mn AS v, f.approximate AS approx
        FROM icio_final f
        JOIN c sc ON sc.code = f.seller_country JOIN s ss ON ss.code = f.seller_sector
        JOIN d bd ON bd.code = f.buyer_country
        WHERE f.dataset = 'icio' AND f.year = $year""",
        params,
    ).fetchnumpy()
    go = store.con.execute(
        index_sql + f"""
        SELECT (c.k * {J} + s.k)::INTEGER AS r, n.gross_output_usd_mn AS v FROM icio_nodes n
        JOIN c ON c.code = n.country JOIN s ON s.code = n.sector WHERE n.dataset = 'icio' AND n.year = $year""",
        params,
    ).fetchnumpy()
    Z = np.zeros((N * J, N * J))
    Z[flows["r"], flows["col"]] = flows["v"]
    F = np.zeros((N * J, len(regions)))
    F[final["r"], final["col"]] = final["v"]
    approx_nodes = np.zeros(N * J, bool)
    approx_nodes[final["r"][np.asarray(final["approx"], bool)]] = True
    gross = np.zeros(N * J)
    gross[go["r"]] = go["v"]
    prov = store.run("SELECT any_value(source), bool_or(approximate) FROM provenance WHERE dataset = 'icio' AND table_name = 'icio_nodes' AND scope = ?", [f"year={year}"])
    table_approx = store.run("SELECT bool_or(approximate) FROM provenance WHERE dataset = 'icio' AND table_name = 'icio_final' AND scope = ?", [f"year={year}"])
    return IOTable(
        year=year,
        countries=tuple(codes),
        sectors=tuple(s for s, _ in sectors),
        Z=Z,
        F=F,
        gross_output=gross,
        country_names=dict(countries),
        sector_names=dict(sectors),
        approximate=bool(table_approx[0][0]) if table_approx and table_approx[0][0] is not None else bool(approx_nodes.any()),
        source=prov[0][0] if prov and prov[0][0] else "",
        final_regions=tuple(regions) if extra else (),
        approximate_nodes=approx_nodes,
    )
