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
un_ideal_points      dataset, country, session, year, ccode, country_name, n_votes,
                     ideal_point, q0, q5, q10, q50, q90, q95, q100 (published estimates,
                     one row per country and session; ``year`` = 1945 + session)
un_agreement         dataset, session, country, partner, agreement (published agreement
                     scores: share of identical votes with ``partner``, one of USA, RUS,
                     BRA, CHN, IND, ISR)
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
the same data twice leaves one copy. A load that would leave a table with less than half
the rows it replaces (:data:`SHRINK_LIMIT`) is refused unless ``replace=True``. Writes go
to a working copy that replaces the file when the store is closed, so readers in other
processes are never locked out (:mod:`geohedge.data._swap`).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from geohedge.data._swap import (
    WRITE_WAIT_SECONDS,
    WriterLock,
    clone_file,
    fsync_dir,
    fsync_file,
    remove_stale_copies,
    working_copy,
)
from geohedge.data.paths import store_path
from geohedge.errors import DataError, StoreError

__all__ = ["SHRINK_LIMIT", "TABLES", "Provenance", "Store", "open_store", "registered"]

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
    "un_ideal_points": """
        dataset VARCHAR NOT NULL, country VARCHAR NOT NULL, session INTEGER NOT NULL, year SMALLINT NOT NULL,
        ccode INTEGER, country_name VARCHAR, n_votes INTEGER NOT NULL, ideal_point DOUBLE NOT NULL,
        q0 DOUBLE, q5 DOUBLE, q10 DOUBLE, q50 DOUBLE, q90 DOUBLE, q95 DOUBLE, q100 DOUBLE""",
    "un_agreement": """
        dataset VARCHAR NOT NULL, session INTEGER NOT NULL, country VARCHAR NOT NULL, partner VARCHAR NOT NULL,
        agreement DOUBLE NOT NULL""",
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
SCHEMA_VERSION = 3

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

    Reading opens the file read-only (any number of processes at once). Writing never
    touches the store file in place: the first write of a session takes the writer lock,
    copies the file to a working copy beside it and writes there; closing the store
    publishes the copy by an atomic rename (see :mod:`geohedge.data._swap`). So readers
    keep working while a write runs (they see the old data until the swap), a killed or
    failed write leaves the old file as it was, and a writable store that only reads (or
    waits for a download) holds no lock at all.

    Parameters
    ----------
    path
        Store file; default :func:`geohedge.data.paths.store_path`.
    read_only
        Open for reading only (the file must exist).
    wait
        Seconds a write waits for another process's write to finish
        (:data:`~geohedge.data._swap.WRITE_WAIT_SECONDS`), then :class:`StoreError`.

    Raises
    ------
    StoreError
        The file does not exist (read-only), is not a DuckDB database, has another table
        layout, or another writer holds the lock longer than ``wait``.
    """

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False, wait: float = WRITE_WAIT_SECONDS):
        self.path = Path(path) if path is not None else store_path()
        self.read_only = read_only
        self.wait = wait
        self._in_batch = False
        self._attached = False
        self._lock: WriterLock | None = None
        self._work: Path | None = None
        self._txn = False
        self._pending = False
        self._dirty = False
        if read_only and not self.path.exists():
            raise StoreError(f"no store at {self.path}; run 'geohedge data build' first")
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            self._create_empty()
        self._attached = True
        self.con = _attach_read_only(self.path)
        self._check_version()
        if not read_only and Path(f"{self.path}.wal").exists():
            self._begin_write()  # a write-ahead log from an older geohedge: fold it in under the lock

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        self.close(discard=exc_type is not None)

    def close(self, *, discard: bool = False) -> None:
        """Close the connection; publish what this session wrote unless ``discard``.

        An exception escaping a ``with`` block discards the session's writes: the store
        file keeps its previous contents byte for byte.
        """
        if self._work is None:
            self.con.close()
            return
        work, publish = self._work, self._dirty and not discard
        try:
            if publish:
                self.con.execute("CHECKPOINT")
            self.con.close()
            if publish:
                fsync_file(work)
                os.replace(work, self.path)
                fsync_dir(self.path.parent)
        finally:
            for leftover in (work, Path(f"{work}.wal")):
                leftover.unlink(missing_ok=True)
            self._work = None
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    def run(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        """Execute one statement and fetch its whole result (DuckDB needs results drained).

        A statement that writes starts the session's write (lock and working copy) first.
        """
        verb = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
        if verb not in _READS:
            self._begin_write()
        result = self.con.execute(sql, params or []).fetchall()
        if verb == "BEGIN":
            self._txn, self._pending = True, False
        elif verb in ("COMMIT", "END"):
            self._txn, self._dirty = False, self._dirty or self._pending
        elif verb in ("ROLLBACK", "ABORT"):
            self._txn, self._pending = False, False
        elif verb not in _READS and verb != "CHECKPOINT":
            if self._txn:
                self._pending = True
            else:
                self._dirty = True
        return result

    def cursor(self) -> Store:
        """A read-only store over a new cursor of this connection (one per thread)."""
        return _Cursor(self)

    def _create_empty(self) -> None:
        """Create the store file with empty tables (under the lock; a racing creator wins)."""
        lock = WriterLock(self.path, self.wait)
        try:
            if self.path.exists():
                return
            work = working_copy(self.path)
            con = duckdb.connect(str(work))
            try:
                self.con = con
                self._create_schema()
                con.execute("CHECKPOINT")
            finally:
                con.close()
            fsync_file(work)
            os.replace(work, self.path)
            fsync_dir(self.path.parent)
        finally:
            lock.release()

    def _begin_write(self) -> None:
        if self._work is not None:
            return
        if self.read_only:
            raise StoreError(f"store {self.path} is open read-only")
        self._lock = WriterLock(self.path, self.wait)
        try:
            remove_stale_copies(self.path)
            if Path(f"{self.path}.wal").exists():
                legacy = duckdb.connect(str(self.path))
                legacy.execute("CHECKPOINT")
                legacy.close()
            self.con.close()
            work = working_copy(self.path)
            if self.path.exists():
                clone_file(self.path, work)
            self.con = duckdb.connect(str(work))
            self._work, self._attached = work, False
            self._check_version()
            self._create_schema()
        except BaseException:
            if self._work is None:
                self._lock.release()
                self._lock = None
            raise

    def _check_version(self) -> None:
        tables = {r[0] for r in self.con.execute(_TABLES_SQL).fetchall()}
        if not tables:
            return
        found = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall() if "meta" in tables else []
        version = int(found[0][0]) if found else 0
        if version != SCHEMA_VERSION:
            self.con.close()
            raise StoreError(
                f"store {self.path} has table layout version {version}, this geohedge needs {SCHEMA_VERSION}; "
                "move the file away and run 'geohedge data build' (and your imports) again"
            )

    def _create_schema(self) -> None:
        present = {r[0] for r in self.con.execute(_TABLES_SQL).fetchall()}
        wanted = ["meta", *TABLES]
        if all(t in present for t in wanted):
            return
        self.con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        self.con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
        for name, columns in TABLES.items():
            self.con.execute(f"CREATE TABLE IF NOT EXISTS {name} ({columns})")
        self._dirty = self._dirty or self._work is not None

    # --- reading ------------------------------------------------------------------------

    def has_table(self, name: str) -> bool:
        """True if the table exists (a read-only store may predate a table)."""
        return name in {r[0] for r in self.con.execute(_TABLES_SQL).fetchall()}

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        """Run a SQL query and return a DataFrame."""
        try:
            return self.con.execute(sql, params or []).df()
        except duckdb.CatalogException as exc:
            raise StoreError(f"store {self.path} lacks a table: {exc}".splitlines()[0]) from exc

    def provenance(self) -> pd.DataFrame:
        """The provenance table, one row per loaded table and dataset scope."""
        if not self.has_table("provenance"):
            return pd.DataFrame(columns=_columns("provenance"))
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
        replace: bool = False,
    ) -> dict[str, int]:
        """Replace one dataset (or one scope of it) in several tables, atomically.

        Parameters
        ----------
        dataset
            Dataset key (e.g. ``"icio"``, ``"baci_raw"``, ``"wgi"``, ``"unvotes"``).
        tables
            Rows for each table, in canonical columns (``dataset`` is filled in).
            ``products`` rows are merged by ``(classification, code)``, never replaced.
        provenance
            One record per table loaded.
        scope
            Column filters that narrow what is replaced, e.g. ``{"year": 2022}``; one of
            them may list several values (``{"year": [2021, 2022]}``), and provenance is
            then kept per value. Provenance rows are keyed by the scope.
        replace
            Allow a load that leaves a table with less than :data:`SHRINK_LIMIT` of the
            rows it replaces (or with none).

        Returns
        -------
        dict
            Rows inserted per table.

        Raises
        ------
        DataError
            The load would shrink a table by more than :data:`SHRINK_LIMIT` (or empty it)
            and ``replace`` is false; nothing changed.
        StoreError
            The store is read-only, the insert violates the schema, or a scoped load would
            change rows a table shares with other scopes; nothing changed.
        """
        if self.read_only:
            raise StoreError(f"store {self.path} is open read-only")
        unknown = set(tables) - set(TABLES)
        if unknown:
            raise StoreError(f"unknown store tables: {sorted(unknown)}")
        plan = _Scope.of(scope)
        counts: dict[str, int] = {}
        own_transaction = not self._in_batch
        if own_transaction:
            self.run("BEGIN TRANSACTION")
        try:
            for table, rows in tables.items():
                counts[table] = self._replace(table, dataset, plan, rows, replace)
            self.run(f"DELETE FROM provenance WHERE dataset = ? AND scope IN ({','.join('?' * len(plan.keys))})", [dataset, *plan.keys])
            if not plan.columns:  # the whole dataset was replaced: every scope's record of these tables goes
                self.run(f"DELETE FROM provenance WHERE dataset = ? AND table_name IN ({','.join('?' * len(tables))})", [dataset, *tables])
            now = _dt.datetime.now(_dt.UTC).replace(tzinfo=None, microsecond=0)
            for p in provenance:
                for key, filters in plan.each_for(p.table_name):
                    if plan.split and key not in plan.keys:  # a table without the split column: one record
                        self.run("DELETE FROM provenance WHERE dataset = ? AND table_name = ? AND scope = ?", [dataset, p.table_name, key])
                    if p.table_name not in tables:
                        rows_n = 0
                    elif p.table_name in _KEYED_BY_CLASSIFICATION:  # merged: the rows this load brought
                        rows_n = counts[p.table_name]
                    else:
                        rows_n = self._count(p.table_name, dataset, filters)
                    self.run(
                        "INSERT INTO provenance VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [dataset, key, p.table_name, p.source, p.version, p.origin, p.sha256,
                         rows_n, p.approximate, p.note, now],
                    )
            if own_transaction:
                self.run("COMMIT")
        except BaseException as exc:
            if own_transaction:
                self.run("ROLLBACK")
            if isinstance(exc, duckdb.ConstraintException | duckdb.ConversionException | duckdb.OutOfRangeException):
                raise StoreError(f"load of {dataset!r} rejected by the store schema: {exc}".splitlines()[0]) from exc
            raise
        if own_transaction:
            self.run("CHECKPOINT")
        return counts

    def _count(self, table: str, dataset: str, filters: Mapping[str, Any]) -> int:
        cols = [c for c in filters if c in _columns(table)]
        where = " AND ".join(["dataset = ?"] + [f"{c} = ?" for c in cols])
        return self.run(f"SELECT count(*) FROM {table} WHERE {where}", [dataset, *(filters[c] for c in cols)])[0][0]

    def _replace(self, table: str, dataset: str, plan: _Scope, rows: Rows, replace: bool) -> int:
        if table in _KEYED_BY_CLASSIFICATION:
            return self._merge(table, rows)
        columns = _columns(table)
        if plan.columns and not all(c in columns for c in plan.columns):
            return self._replace_shared(table, dataset, plan, rows)
        where, params = plan.where(dataset)
        before = self._counts_by(table, where, params, plan.split)
        self.run(f"DELETE FROM {table} WHERE {where}", params)
        self._insert(table, dataset, rows)
        after = self._counts_by(table, where, params, plan.split)
        for value in sorted(set(before) | set(after), key=str):
            _check_shrink(table, dataset, plan.label(value), before.get(value, 0), after.get(value, 0), replace)
        return sum(after.values())

    def _counts_by(self, table: str, where: str, params: list[Any], split: str | None) -> dict[Any, int]:
        if split is None:
            return {None: self.run(f"SELECT count(*) FROM {table} WHERE {where}", params)[0][0]}
        return dict(self.run(f"SELECT {split}, count(*) FROM {table} WHERE {where} GROUP BY 1", params))

    def _replace_shared(self, table: str, dataset: str, plan: _Scope, rows: Rows) -> int:
        """A table without the scope's column holds one set of rows for every scope of the
        dataset: a scoped load may write it only if no other scope is recorded, or if its
        rows are the same as those already there."""
        others = sorted(r[0] for r in self.run(
            f"SELECT DISTINCT scope FROM provenance WHERE dataset = ? AND table_name = ? AND scope NOT IN ({','.join('?' * len(plan.keys))})",
            [dataset, table, *plan.keys]))
        if not others:
            self.run(f"DELETE FROM {table} WHERE dataset = ?", [dataset])
            self._insert(table, dataset, rows)
            return self.run(f"SELECT count(*) FROM {table} WHERE dataset = ?", [dataset])[0][0]
        self.run(f"CREATE OR REPLACE TEMP TABLE _incoming_{table} AS SELECT * FROM {table} LIMIT 0")
        try:
            self._insert(f"_incoming_{table}", dataset, rows)
            diff, n_new, n_old = self.run(
                f"""SELECT (SELECT count(*) FROM ((SELECT * FROM {table} WHERE dataset = ? EXCEPT ALL SELECT * FROM _incoming_{table})
                                                UNION ALL (SELECT * FROM _incoming_{table} EXCEPT ALL SELECT * FROM {table} WHERE dataset = ?))),
                           (SELECT count(*) FROM _incoming_{table}), (SELECT count(*) FROM {table} WHERE dataset = ?)""",
                [dataset, dataset, dataset])[0]
        finally:
            self.run(f"DROP TABLE IF EXISTS _incoming_{table}")
        if diff:
            raise StoreError(
                f"load of {dataset!r} ({', '.join(plan.keys)}) brings {n_new:,} rows of {table}, which differ from the "
                f"{n_old:,} that {', '.join(others)} loaded; {table} holds one list for all of them, so loading this would "
                f"change {', '.join(others)} too; nothing was changed"
            )
        return n_new

    def _merge(self, table: str, rows: Rows) -> int:
        if not isinstance(rows, pd.DataFrame | pa.Table):
            raise StoreError(f"rows for {table} must be one frame (they are merged by code)")
        with registered(self.con, "_incoming", rows):
            self.run(f"DELETE FROM {table} WHERE (classification, code) IN (SELECT classification, code FROM _incoming)")
            self.run(f"INSERT INTO {table} BY NAME SELECT * FROM _incoming")
        return rows.num_rows if isinstance(rows, pa.Table) else len(rows)

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


#: A load may not leave a table (or one year of it) with fewer than this fraction of the
#: rows it replaces, or with none, unless asked to (``replace=True``, ``--replace``): a
#: header-only or truncated file is refused instead of wiping a dataset.
SHRINK_LIMIT = 0.5

#: Statements that only read (everything else starts the session's write).
_READS = frozenset({"SELECT", "WITH", "FROM", "PRAGMA", "DESCRIBE", "SHOW", "EXPLAIN", "SUMMARIZE", "VALUES", "SET", "RESET", "USE", "TABLE"})

_TABLES_SQL = "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = 'main'"


def _check_shrink(table: str, dataset: str, where: str, before: int, after: int, replace: bool) -> None:
    if replace or before == 0 or after >= before * SHRINK_LIMIT:
        return
    what = "no rows" if after == 0 else f"{after:,} rows"
    raise DataError(
        f"load of {dataset!r} ({where}) would leave {table} with {what} instead of {before:,} "
        f"(the limit is {SHRINK_LIMIT:.0%} of the rows replaced); nothing was changed; "
        "check the input, or import again with --replace to replace them anyway"
    )


@dataclass(frozen=True)
class _Scope:
    """The rows a load replaces: fixed column values, at most one column with several."""

    fixed: tuple[tuple[str, Any], ...]
    split: str | None
    values: tuple[Any, ...]

    @classmethod
    def of(cls, scope: Mapping[str, Any] | None) -> _Scope:
        scope = dict(scope or {})
        many = [k for k, v in scope.items() if isinstance(v, list | tuple | set | frozenset)]
        if len(many) > 1:
            raise StoreError(f"a load may list several values for one scope column, not {many}")
        split = many[0] if many else None
        values = tuple(sorted(scope.pop(split))) if split else ()
        if split and not values:
            raise StoreError(f"scope {split!r} lists no values")
        return cls(tuple(sorted(scope.items())), split, values)

    @property
    def columns(self) -> list[str]:
        return [k for k, _ in self.fixed] + ([self.split] if self.split else [])

    def each(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """(provenance scope key, column filters) per recorded scope."""
        for value in self.values or (None,):
            filters = dict(self.fixed)
            if self.split:
                filters[self.split] = value
            yield ",".join(f"{k}={v}" for k, v in sorted(filters.items())), filters

    def each_for(self, table: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """As :meth:`each`, but a table without the split column gets one record (fixed filters only)."""
        if self.split and (table in _KEYED_BY_CLASSIFICATION or self.split not in _columns(table)):
            filters = dict(self.fixed)
            yield ",".join(f"{k}={v}" for k, v in sorted(filters.items())), filters
            return
        yield from self.each()

    @property
    def keys(self) -> list[str]:
        return [k for k, _ in self.each()]

    def where(self, dataset: str) -> tuple[str, list[Any]]:
        where = ["dataset = ?"] + [f"{k} = ?" for k, _ in self.fixed]
        params: list[Any] = [dataset] + [v for _, v in self.fixed]
        if self.split:
            where.append(f"{self.split} IN ({','.join('?' * len(self.values))})")
            params += list(self.values)
        return " AND ".join(where), params

    def label(self, value: Any) -> str:
        filters = dict(self.fixed)
        if self.split:
            filters[self.split] = value
        return ", ".join(f"{k}={v}" for k, v in sorted(filters.items())) or "all rows"


class _Cursor(Store):
    """A read-only :class:`Store` over a cursor of another store's connection."""

    def __init__(self, parent: Store):  # noqa: D107 - shares the parent's connection
        self.path = parent.path
        self.read_only = True
        self.wait = parent.wait
        self._in_batch = False
        self._lock = None
        self._work = None
        self._txn = self._pending = self._dirty = False
        self._attached = parent._attached
        self.con = parent.con.cursor()
        if self._attached:
            self.con.execute("USE store")


def _attach_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to ``path`` of its own.

    The file is attached to a fresh in-memory database rather than opened directly:
    DuckDB keeps one database instance per path in a process, so a second direct open
    after the file was swapped would still see the old one.
    """
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH '{str(path).replace(chr(39), chr(39) * 2)}' AS store (READ_ONLY)")
        con.execute("USE store")
    except duckdb.Error as exc:
        con.close()
        raise StoreError(f"cannot open store {path}: {exc}".splitlines()[0]) from exc
    return con


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


def open_store(*, read_only: bool = True, path: str | Path | None = None) -> Store:
    """Open the user's store (read-only by default)."""
    return Store(path, read_only=read_only)
