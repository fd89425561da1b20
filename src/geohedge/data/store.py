"""The local DuckDB store: canonical tables, atomic loads, provenance.

One DuckDB file (:func:`geohedge.data.paths.store_path`) holds every dataset in one
canonical schema per kind of data, whatever its source (see ``docs/data.md``):

==================== =====================================================================
table                columns
==================== =====================================================================
trade                dataset, classification, year, exporter, importer, product,
                     value_usd, quantity_t
products             classification, code, description
icio_flows           dataset, year, seller_country, seller_sector, buyer_country,
                     buyer_sector, value_usd_mn
icio_final           dataset, year, seller_country, seller_sector, buyer_country,
                     value_usd_mn, approximate
icio_nodes           dataset, year, country, sector, output_usd_mn, gross_output_usd_mn,
                     intermediate_sales_usd_mn, final_sales_usd_mn,
                     intermediate_inputs_usd_mn, value_added_usd_mn
icio_countries       dataset, year, code, name, position
icio_sectors         dataset, year, code, name, position
tariffs              dataset, classification, year, importer, exporter, sector, rate
elasticities         dataset, set_name, sector, theta, sigma, paper
macro                dataset, year, country, gdp_usd
tariff_schedules     dataset, schedule, imposer, target, rate, note
governance           dataset, indicator, year, country, estimate, std_error, rank,
                     rank_lower, rank_upper, n_sources
un_votes             dataset, rcid, country, country_code, country_name, vote
un_roll_calls        dataset, rcid, session, date, important_vote, unres, amend, para,
                     short, descr
un_roll_call_issues  dataset, rcid, issue_code, issue
production           dataset, year, country, material, quantity_t, unit_source
materials            dataset, material, product, role, category, sheet
articles             dataset, doc_id, url, title, published, date_source, language,
                     n_words, n_sentences, n_events, ingested_at
events               dataset, doc_id, event_id, date, source_code, source_name,
                     source_sector, target_code, target_name, target_sector, event_type,
                     cameo_code, intensity, confidence, trigger, sentence, url, mode,
                     background, repeats (identical events of one article are one row;
                     ``repeats`` counts them)
atlas                dataset, run, key, target, family, imposer, status, message, scenario,
                     welfare_point, welfare_median, welfare_p05, welfare_p95,
                     exports_base_usd_mn, exports_change_usd_mn_median (_p05, _p95),
                     exports_change_median, diversion_{1,2,3}_partner, diversion_{1,2,3}_usd_mn,
                     draws, draws_failed, iterations_median, iterations_max,
                     step_residual_max, equilibrium_residual, solves, seconds,
                     cpu_seconds, computed_at
provenance           dataset, scope, table_name, source, version, origin, sha256, rows,
                     approximate, note, loaded_at
==================== =====================================================================

A load (:meth:`Store.load`) replaces one dataset (optionally one scope of it, e.g. one
ICIO year) in every table it names, inside one transaction: a failure, an exception in a
row producer or a killed process leaves the previous store exactly as it was, and loading
the same data twice leaves one copy.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from geohedge.data.paths import store_path
from geohedge.errors import StoreError

__all__ = ["TABLES", "Provenance", "Store", "open_store", "registered"]

TABLES: Mapping[str, str] = {
    "trade": """
        dataset VARCHAR NOT NULL, classification VARCHAR NOT NULL, year SMALLINT NOT NULL,
        exporter VARCHAR NOT NULL, importer VARCHAR NOT NULL, product VARCHAR NOT NULL,
        value_usd DOUBLE NOT NULL, quantity_t DOUBLE""",
    "products": "classification VARCHAR NOT NULL, code VARCHAR NOT NULL, description VARCHAR",
    "icio_flows": """
        dataset VARCHAR NOT NULL, year SMALLINT NOT NULL, seller_country VARCHAR NOT NULL,
        seller_sector VARCHAR NOT NULL, buyer_country VARCHAR NOT NULL,
        buyer_sector VARCHAR NOT NULL, value_usd_mn DOUBLE NOT NULL""",
    "icio_final": """
        dataset VARCHAR NOT NULL, year SMALLINT NOT NULL, seller_country VARCHAR NOT NULL,
        seller_sector VARCHAR NOT NULL, buyer_country VARCHAR NOT NULL,
        value_usd_mn DOUBLE NOT NULL, approximate BOOLEAN NOT NULL""",
    "icio_nodes": """
        dataset VARCHAR NOT NULL, year SMALLINT NOT NULL, country VARCHAR NOT NULL,
        sector VARCHAR NOT NULL, output_usd_mn DOUBLE NOT NULL, gross_output_usd_mn DOUBLE,
        intermediate_sales_usd_mn DOUBLE NOT NULL, final_sales_usd_mn DOUBLE NOT NULL,
        intermediate_inputs_usd_mn DOUBLE NOT NULL, value_added_usd_mn DOUBLE NOT NULL""",
    "icio_countries": "dataset VARCHAR NOT NULL, year SMALLINT NOT NULL, code VARCHAR NOT NULL, name VARCHAR, position INTEGER NOT NULL",
    "icio_sectors": "dataset VARCHAR NOT NULL, year SMALLINT NOT NULL, code VARCHAR NOT NULL, name VARCHAR, position INTEGER NOT NULL",
    "tariffs": """
        dataset VARCHAR NOT NULL, classification VARCHAR NOT NULL, year SMALLINT NOT NULL,
        importer VARCHAR NOT NULL, exporter VARCHAR NOT NULL, sector VARCHAR NOT NULL,
        rate DOUBLE NOT NULL""",
    "elasticities": """
        dataset VARCHAR NOT NULL, set_name VARCHAR NOT NULL, sector VARCHAR NOT NULL,
        theta DOUBLE NOT NULL, sigma DOUBLE, paper VARCHAR""",
    "macro": "dataset VARCHAR NOT NULL, year SMALLINT NOT NULL, country VARCHAR NOT NULL, gdp_usd DOUBLE",
    "tariff_schedules": """
        dataset VARCHAR NOT NULL, schedule VARCHAR NOT NULL, imposer VARCHAR NOT NULL,
        target VARCHAR NOT NULL, rate DOUBLE NOT NULL, note VARCHAR""",
    "governance": """
        dataset VARCHAR NOT NULL, indicator VARCHAR NOT NULL, year SMALLINT NOT NULL,
        country VARCHAR NOT NULL, estimate DOUBLE, std_error DOUBLE, rank DOUBLE,
        rank_lower DOUBLE, rank_upper DOUBLE, n_sources DOUBLE""",
    "un_votes": """
        dataset VARCHAR NOT NULL, rcid BIGINT NOT NULL, country VARCHAR,
        country_code VARCHAR, country_name VARCHAR, vote VARCHAR NOT NULL""",
    "un_roll_calls": """
        dataset VARCHAR NOT NULL, rcid BIGINT NOT NULL, session INTEGER, date DATE,
        important_vote BOOLEAN, unres VARCHAR, amend BOOLEAN, para BOOLEAN, short VARCHAR,
        descr VARCHAR""",
    "un_roll_call_issues": "dataset VARCHAR NOT NULL, rcid BIGINT NOT NULL, issue_code VARCHAR, issue VARCHAR",
    "production": """
        dataset VARCHAR NOT NULL, year SMALLINT NOT NULL, country VARCHAR NOT NULL,
        material VARCHAR NOT NULL, quantity_t DOUBLE NOT NULL, unit_source VARCHAR NOT NULL""",
    "materials": """
        dataset VARCHAR NOT NULL, material VARCHAR NOT NULL, product VARCHAR NOT NULL,
        role VARCHAR NOT NULL, category VARCHAR, sheet VARCHAR""",
    "articles": """
        dataset VARCHAR NOT NULL, doc_id VARCHAR NOT NULL, url VARCHAR, title VARCHAR,
        published DATE, date_source VARCHAR NOT NULL, language VARCHAR, n_words INTEGER,
        n_sentences INTEGER, n_events INTEGER, ingested_at TIMESTAMP NOT NULL""",
    "events": """
        dataset VARCHAR NOT NULL, doc_id VARCHAR NOT NULL, event_id VARCHAR NOT NULL, date DATE,
        source_code VARCHAR, source_name VARCHAR, source_sector VARCHAR, target_code VARCHAR,
        target_name VARCHAR, target_sector VARCHAR, event_type VARCHAR NOT NULL, cameo_code VARCHAR,
        intensity DOUBLE NOT NULL, confidence DOUBLE, trigger VARCHAR, sentence VARCHAR, url VARCHAR,
        mode VARCHAR, background BOOLEAN, repeats INTEGER""",
    # results of the vulnerability atlas (geohedge.views.atlas), one row per (target, family) piece
    "atlas": """
        dataset VARCHAR NOT NULL, run VARCHAR NOT NULL, key VARCHAR NOT NULL, target VARCHAR NOT NULL,
        family VARCHAR NOT NULL, imposer VARCHAR NOT NULL, status VARCHAR NOT NULL, message VARCHAR,
        scenario VARCHAR NOT NULL, welfare_point DOUBLE, welfare_median DOUBLE, welfare_p05 DOUBLE,
        welfare_p95 DOUBLE, exports_base_usd_mn DOUBLE, exports_change_usd_mn_median DOUBLE,
        exports_change_usd_mn_p05 DOUBLE, exports_change_usd_mn_p95 DOUBLE, exports_change_median DOUBLE,
        draws INTEGER NOT NULL, draws_failed INTEGER NOT NULL, iterations_median DOUBLE, iterations_max INTEGER,
        step_residual_max DOUBLE, equilibrium_residual DOUBLE, solves INTEGER NOT NULL, seconds DOUBLE NOT NULL,
        cpu_seconds DOUBLE NOT NULL,
        diversion_1_partner VARCHAR, diversion_1_usd_mn DOUBLE, diversion_2_partner VARCHAR,
        diversion_2_usd_mn DOUBLE, diversion_3_partner VARCHAR, diversion_3_usd_mn DOUBLE,
        computed_at TIMESTAMP NOT NULL""",
    "provenance": """
        dataset VARCHAR NOT NULL, scope VARCHAR NOT NULL, table_name VARCHAR NOT NULL,
        source VARCHAR NOT NULL, version VARCHAR, origin VARCHAR, sha256 VARCHAR,
        rows BIGINT NOT NULL, approximate BOOLEAN NOT NULL, note VARCHAR,
        loaded_at TIMESTAMP NOT NULL""",
}

#: Version of the table layout above; a store written with another version is refused
#: with a message saying how to rebuild it, never silently read or altered.
SCHEMA_VERSION = 2

#: Tables whose rows carry no ``dataset`` column; a load replaces rows by ``classification``.
_KEYED_BY_CLASSIFICATION = {"products"}

#: What a load may insert: a frame, an Arrow table, chunks of either, or a writer that
#: runs its own ``INSERT INTO <table> ...`` on the connection (for streaming from files).
Rows = pd.DataFrame | pa.Table | Iterable[pd.DataFrame | pa.Table] | Callable[[duckdb.DuckDBPyConnection, str], None]


@dataclass(frozen=True)
class Provenance:
    """Where one loaded table came from. ``rows`` is counted by the store."""

    table_name: str
    source: str
    version: str | None = None
    origin: str | None = None
    sha256: str | None = None
    approximate: bool = False
    note: str | None = None


class Store:
    """A connection to the geohedge DuckDB store.

    Parameters
    ----------
    path
        Store file; default :func:`geohedge.data.paths.store_path`.
    read_only
        Open for reading only (the file must exist).

    Raises
    ------
    StoreError
        The file does not exist (read-only), is not a DuckDB database, or is locked.
    """

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False):
        self.path = Path(path) if path is not None else store_path()
        if read_only and not self.path.exists():
            raise StoreError(f"no store at {self.path}; run 'geohedge data build' first")
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}".splitlines()[0]) from exc
        self.read_only = read_only
        self._in_batch = False
        self._check_version()
        if not read_only:
            self._create_schema()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection."""
        self.con.close()

    def run(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        """Execute one statement and fetch its whole result (DuckDB needs results drained)."""
        return self.con.execute(sql, params or []).fetchall()

    def _check_version(self) -> None:
        tables = {r[0] for r in self.run("SELECT table_name FROM information_schema.tables")}
        if not tables:
            return
        found = self.run("SELECT value FROM meta WHERE key = 'schema_version'") if "meta" in tables else []
        version = int(found[0][0]) if found else 0
        if version != SCHEMA_VERSION:
            self.con.close()
            raise StoreError(
                f"store {self.path} has table layout version {version}, this geohedge needs {SCHEMA_VERSION}; "
                "move the file away and run 'geohedge data build' (and your imports) again"
            )

    def _create_schema(self) -> None:
        self.run("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        self.run("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
        for name, columns in TABLES.items():
            self.run(f"CREATE TABLE IF NOT EXISTS {name} ({columns})")

    # --- reading ------------------------------------------------------------------------

    def has_table(self, name: str) -> bool:
        """True if the table exists (a read-only store may predate a table)."""
        return bool(self.run("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name])[0][0])

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        """Run a SQL query and return a DataFrame."""
        try:
            return self.con.execute(sql, params or []).df()
        except duckdb.CatalogException as exc:
            raise StoreError(f"store {self.path} lacks a table: {exc}".splitlines()[0]) from exc

    def provenance(self) -> pd.DataFrame:
        """The provenance table, one row per loaded table and dataset scope."""
        if not self.has_table("provenance"):
            return pd.DataFrame(columns=[c.split()[0] for c in TABLES["provenance"].split(",")])
        return self.query("SELECT * FROM provenance ORDER BY dataset, scope, table_name")

    # --- writing ------------------------------------------------------------------------

    @contextlib.contextmanager
    def batch(self) -> Iterator[Store]:
        """Run several :meth:`load` calls as one transaction: all land, or none."""
        if self.read_only:
            raise StoreError(f"store {self.path} is open read-only")
        if self._in_batch:
            yield self
            return
        self.run("BEGIN TRANSACTION")
        self._in_batch = True
        try:
            yield self
        except BaseException:
            self._in_batch = False
            self.run("ROLLBACK")
            raise
        self._in_batch = False
        self.run("COMMIT")
        self.run("CHECKPOINT")

    def load(
        self,
        dataset: str,
        tables: Mapping[str, Rows],
        provenance: Sequence[Provenance],
        *,
        scope: Mapping[str, Any] | None = None,
    ) -> dict[str, int]:
        """Replace one dataset (or one scope of it) in several tables, atomically.

        Parameters
        ----------
        dataset
            Dataset key (e.g. ``"icio"``, ``"baci_raw"``, ``"wgi"``, ``"unvotes"``).
        tables
            Rows for each table, in canonical columns (``dataset`` is filled in).
        provenance
            One record per table loaded.
        scope
            Column filters that narrow what is replaced, e.g. ``{"year": 2022}``; the
            provenance rows are keyed by this scope too.

        Returns
        -------
        dict
            Rows inserted per table.

        Raises
        ------
        StoreError
            The store is read-only or the insert violates the schema; nothing changed.
        """
        if self.read_only:
            raise StoreError(f"store {self.path} is open read-only")
        unknown = set(tables) - set(TABLES)
        if unknown:
            raise StoreError(f"unknown store tables: {sorted(unknown)}")
        scope = dict(scope or {})
        scope_key = ",".join(f"{k}={v}" for k, v in sorted(scope.items()))
        counts: dict[str, int] = {}
        own_transaction = not self._in_batch
        if own_transaction:
            self.run("BEGIN TRANSACTION")
        try:
            for table, rows in tables.items():
                self._delete(table, dataset, scope, rows)
                before = self.run(f"SELECT count(*) FROM {table}")[0][0]
                self._insert(table, dataset, rows)
                counts[table] = self.run(f"SELECT count(*) FROM {table}")[0][0] - before
            self.run("DELETE FROM provenance WHERE dataset = ? AND scope = ?", [dataset, scope_key])
            now = _dt.datetime.now(_dt.UTC).replace(tzinfo=None, microsecond=0)
            for p in provenance:
                self.run(
                    "INSERT INTO provenance VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [dataset, scope_key, p.table_name, p.source, p.version, p.origin, p.sha256,
                     counts.get(p.table_name, 0), p.approximate, p.note, now],
                )
            if own_transaction:
                self.run("COMMIT")
        except BaseException as exc:
            if own_transaction:
                self.run("ROLLBACK")
            if isinstance(exc, duckdb.ConstraintException | duckdb.ConversionException):
                raise StoreError(f"load of {dataset!r} rejected by the store schema: {exc}".splitlines()[0]) from exc
            raise
        if own_transaction:
            self.run("CHECKPOINT")
        return counts

    def _delete(self, table: str, dataset: str, scope: Mapping[str, Any], rows: Rows) -> None:
        if table in _KEYED_BY_CLASSIFICATION:
            classes = sorted(set(_frame_column(rows, "classification")))
            if classes:
                self.run(f"DELETE FROM {table} WHERE classification IN ({','.join('?' * len(classes))})", classes)
            return
        where = ["dataset = ?"] + [f"{col} = ?" for col in scope if col in _columns(table)]
        params = [dataset] + [v for col, v in scope.items() if col in _columns(table)]
        self.run(f"DELETE FROM {table} WHERE {' AND '.join(where)}", params)

    def _insert(self, table: str, dataset: str, rows: Rows) -> None:
        if callable(rows):
            rows(self.con, table)
            return
        chunks: Iterable[pd.DataFrame | pa.Table]
        chunks = [rows] if isinstance(rows, pd.DataFrame | pa.Table) else rows
        for chunk in chunks:
            frame = chunk
            if table not in _KEYED_BY_CLASSIFICATION:
                frame = _with_dataset(chunk, dataset)
            with registered(self.con, "_incoming", frame):
                self.run(f"INSERT INTO {table} BY NAME SELECT * FROM _incoming")


@contextlib.contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame | pa.Table) -> Iterator[None]:
    """Expose a frame to SQL as ``name`` for the duration of the block."""
    con.register(name, frame)
    try:
        yield
    finally:
        # In an aborted transaction unregistering fails too; the rollback that follows
        # discards the view anyway.
        with contextlib.suppress(duckdb.TransactionException):
            con.unregister(name)


def _columns(table: str) -> list[str]:
    return [c.split()[0] for c in TABLES[table].replace("\n", " ").split(",")]


def _with_dataset(frame: pd.DataFrame | pa.Table, dataset: str) -> pd.DataFrame | pa.Table:
    if isinstance(frame, pa.Table):
        if "dataset" in frame.column_names:
            return frame
        return frame.append_column("dataset", pa.array([dataset] * frame.num_rows, pa.string()))
    if "dataset" in frame.columns:
        return frame
    return frame.assign(dataset=dataset)


def _frame_column(rows: Rows, column: str) -> Iterator[Any]:
    if isinstance(rows, pd.DataFrame):
        yield from rows[column].unique()
    elif isinstance(rows, pa.Table):
        yield from rows.column(column).unique().to_pylist()


def open_store(*, read_only: bool = True, path: str | Path | None = None) -> Store:
    """Open the user's store (read-only by default)."""
    return Store(path, read_only=read_only)
