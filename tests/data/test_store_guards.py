"""The store's guards: no load shrinks or empties a dataset unasked, merged product codes,
per-year scopes, and readers that keep working while another process writes."""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import sys
import textwrap

import duckdb
import pandas as pd
import pytest

from geohedge.data.store import SHRINK_LIMIT, Provenance, Store
from geohedge.errors import DataError, StoreError


def _trade(n: int, year: int = 2020) -> pd.DataFrame:
    return pd.DataFrame(
        {"classification": "HS92", "year": year, "exporter": "MYS", "importer": "TUR",
         "product": [f"{k:06d}" for k in range(n)], "value_usd": [float(k + 1) for k in range(n)], "quantity_t": None}
    )


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_load_that_would_empty_a_dataset_is_refused_and_changes_no_byte(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.load("demo", {"trade": _trade(10)}, [Provenance("trade", "first")])
    before = _sha(path)
    with pytest.raises(DataError, match=r"load of 'demo' \(all rows\) would leave trade with no rows instead of 10 .*--replace"):
        with Store(path) as store:
            store.load("demo", {"trade": _trade(0)}, [Provenance("trade", "empty")])
    assert _sha(path) == before


def test_shrink_limit_and_replace(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.load("demo", {"trade": _trade(10)}, [Provenance("trade", "first")])
        keep = int(10 * SHRINK_LIMIT)  # exactly at the limit: allowed
        store.load("demo", {"trade": _trade(keep)}, [Provenance("trade", "half")])
        less = int(keep * SHRINK_LIMIT)  # 2 of 5: below half
        with pytest.raises(DataError, match=rf"would leave trade with {less} rows instead of {keep}"):
            store.load("demo", {"trade": _trade(less)}, [Provenance("trade", "less")])
        assert store.run("SELECT count(*) FROM trade")[0][0] == keep
        store.load("demo", {"trade": _trade(1)}, [Provenance("trade", "asked")], replace=True)
        assert store.run("SELECT count(*) FROM trade")[0][0] == 1


def test_products_are_merged_not_replaced(tmp_path):
    """A small release's product table adds and updates codes; the others keep their text."""
    old = pd.DataFrame({"classification": "HS92", "code": ["010121", "260300", "280530"], "description": ["horses", "copper", "rare earths"]})
    new = pd.DataFrame({"classification": "HS92", "code": ["260300", "999999"], "description": ["copper ores", "new"]})
    with Store(tmp_path / "s.duckdb") as store:
        store.load("a", {"products": old}, [Provenance("products", "a")])
        store.load("b", {"products": new}, [Provenance("products", "b")])
        got = dict(store.run("SELECT code, description FROM products"))
        prov = store.provenance().set_index("dataset")["rows"].to_dict()
    assert got == {"010121": "horses", "260300": "copper ores", "280530": "rare earths", "999999": "new"}
    assert prov == {"a": 3, "b": 2}


def test_listed_years_replace_exactly_those_years_with_provenance_per_year(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.load("demo", {"trade": pd.concat([_trade(3, 2020), _trade(4, 2021)])}, [Provenance("trade", "both")],
                   scope={"year": [2020, 2021]})
        store.load("demo", {"trade": _trade(5, 2022)}, [Provenance("trade", "later")], scope={"year": [2022]})
        store.load("demo", {"trade": _trade(2, 2021)}, [Provenance("trade", "again")], scope={"year": [2021]})
        assert store.run("SELECT year, count(*) FROM trade GROUP BY 1 ORDER BY 1") == [(2020, 3), (2021, 2), (2022, 5)]
        prov = store.run("SELECT scope, source, rows FROM provenance ORDER BY scope")
    assert prov == [("year=2020", "both", 3), ("year=2021", "again", 2), ("year=2022", "later", 5)]


def test_a_scoped_load_may_not_change_a_table_other_scopes_share(tmp_path):
    """``materials`` has no year column: a load scoped to one year must bring the same rows
    as the year already there, or be refused."""
    mats = pd.DataFrame({"material": ["Tin"], "product": ["800110"], "role": ["main"], "category": ["metal"], "sheet": ["Tin"]})
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.load("demo", {"trade": _trade(2, 2020), "materials": mats}, [Provenance("trade", "y"), Provenance("materials", "y")],
                   scope={"year": 2020})
        store.load("demo", {"trade": _trade(2, 2021), "materials": mats}, [Provenance("trade", "y"), Provenance("materials", "y")],
                   scope={"year": 2021})
    before = _sha(path)
    other = mats.assign(material="Copper")
    with pytest.raises(StoreError, match=r"brings 1 rows of materials, which differ from the 1 that year=2020, year=2021 loaded"):
        with Store(path) as store:
            store.load("demo", {"trade": _trade(2, 2022), "materials": other},
                       [Provenance("trade", "y"), Provenance("materials", "y")], scope={"year": 2022})
    assert _sha(path) == before


def test_a_failed_session_leaves_the_file_byte_identical(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.load("demo", {"trade": _trade(3)}, [Provenance("trade", "first")])
    before = _sha(path)
    with pytest.raises(RuntimeError), Store(path) as store:
        store.load("demo", {"trade": _trade(7)}, [Provenance("trade", "second")])
        raise RuntimeError("a later step failed")
    assert _sha(path) == before
    assert not list(tmp_path.glob(".s.duckdb.*"))  # the working copy is gone


_HOLD = """
import sys, time
import pandas as pd
from geohedge.data.store import Provenance, Store
with Store(sys.argv[1]) as store:
    store.load("demo", {"trade": pd.DataFrame({"classification": "HS92", "year": 2020, "exporter": "USA", "importer": "CHN",
               "product": [f"{k:06d}" for k in range(50)], "value_usd": 1.0, "quantity_t": None})}, [Provenance("trade", "new")])
    print("loaded", flush=True)
    sys.stdin.readline()  # hold the write session open until told
print("closed", flush=True)
"""


@contextlib.contextmanager
def _writer_holding(path):
    """Another process in the middle of a write session on ``path`` (3 rows there before)."""
    with Store(path) as store:
        store.load("demo", {"trade": _trade(3)}, [Provenance("trade", "old")])
    writer = subprocess.Popen([sys.executable, "-c", _HOLD, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "loaded"
        yield writer
    finally:
        if not writer.stdin.closed:
            writer.stdin.write("\n")
            writer.stdin.close()
        writer.wait(30)


def test_readers_in_other_processes_work_while_a_write_runs(tmp_path):
    """DuckDB refuses a reader while another process holds the file for writing; the store's
    writes go to a copy, so a reader opening mid-write sees the old data at once."""
    path = tmp_path / "s.duckdb"
    with _writer_holding(path) as writer:
        with Store(path, read_only=True) as reader:  # would raise "Could not set lock" on the file itself
            assert reader.run("SELECT count(*), min(exporter) FROM trade") == [(3, "MYS")]
        con = duckdb.connect(str(path), read_only=True)  # plain DuckDB too: nobody holds the file
        con.close()
        writer.stdin.write("\n")
        writer.stdin.flush()
        assert writer.stdout.readline().strip() == "closed"
    with Store(path, read_only=True) as reader:
        assert reader.run("SELECT count(*), min(exporter) FROM trade") == [(50, "USA")]


def test_a_second_writer_gets_one_line_after_its_wait(tmp_path):
    path = tmp_path / "s.duckdb"
    with _writer_holding(path) as writer:
        with Store(path, wait=0.2) as second, pytest.raises(StoreError) as err:
            second.load("demo", {"trade": _trade(4)}, [Provenance("trade", "second")])
        msg = str(err.value)
        assert "\n" not in msg and f"pid {writer.pid}" in msg and "waited 0.2 s" in msg


def test_copies_left_by_a_killed_writer_are_removed_by_the_next(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.load("demo", {"trade": _trade(3)}, [Provenance("trade", "old")])
    script = textwrap.dedent(f"""
        import os, signal
        import pandas as pd
        from geohedge.data.store import Provenance, Store
        store = Store({str(path)!r})
        store.load("demo", {{"trade": pd.DataFrame({{"classification": "HS92", "year": 2020, "exporter": "USA", "importer": "CHN",
                   "product": ["000001"], "value_usd": 1.0, "quantity_t": None}})}}, [Provenance("trade", "killed")], replace=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=os.environ.copy())
    assert done.returncode == -9, done.stderr
    assert list(tmp_path.glob(".s.duckdb.*.writing"))  # the killed writer's copy
    with Store(path, read_only=True) as store:
        assert store.run("SELECT count(*) FROM trade") == [(3,)]
    with Store(path) as store:
        store.load("demo", {"trade": _trade(4)}, [Provenance("trade", "next")])
    assert not list(tmp_path.glob(".s.duckdb.*.writing*"))


def test_a_writable_store_that_only_reads_holds_no_lock(tmp_path):
    """Opening for writing takes the lock only at the first write (a download before it holds nothing)."""
    path = tmp_path / "s.duckdb"
    Store(path).close()
    with Store(path) as idle:
        idle.run("SELECT count(*) FROM trade")
        with Store(path, wait=0) as other:  # wait=0: a held lock would raise at once
            other.load("demo", {"trade": _trade(2)}, [Provenance("trade", "other")])
    with Store(path, read_only=True) as store:
        assert store.run("SELECT count(*) FROM trade") == [(2,)]
