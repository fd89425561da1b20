import os
import subprocess
import sys
import textwrap

import duckdb
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geohedge.data.store import Provenance, Store
from geohedge.errors import StoreError


def _trade(n: int, year: int = 2020) -> pd.DataFrame:
    return pd.DataFrame(
        {"classification": "HS92", "year": year, "exporter": "MYS", "importer": "TUR",
         "product": [f"{k:06d}" for k in range(n)], "value_usd": [float(k + 1) for k in range(n)], "quantity_t": None}
    )


def _snapshot(path) -> tuple:
    con = duckdb.connect(str(path), read_only=True)
    try:
        trade = con.execute("SELECT * FROM trade ORDER BY dataset, year, product").fetchall()
        prov = con.execute("SELECT dataset, scope, table_name, rows, loaded_at FROM provenance ORDER BY ALL").fetchall()
    finally:
        con.close()
    return trade, prov


def test_load_records_provenance_and_is_idempotent(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        for _ in range(2):
            counts = store.load("demo", {"trade": _trade(5)}, [Provenance("trade", "demo source", version="1", sha256="ab")])
        assert counts == {"trade": 5}
        assert store.run("SELECT count(*) FROM trade")[0][0] == 5
        prov = store.provenance()
        assert prov[["dataset", "table_name", "source", "version", "sha256", "rows"]].values.tolist() == [
            ["demo", "trade", "demo source", "1", "ab", 5]
        ]


def test_scoped_load_replaces_only_its_scope(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.load("demo", {"trade": _trade(3, 2020)}, [Provenance("trade", "y2020")], scope={"year": 2020})
        store.load("demo", {"trade": _trade(4, 2021)}, [Provenance("trade", "y2021")], scope={"year": 2021})
        store.load("demo", {"trade": _trade(2, 2021)}, [Provenance("trade", "y2021 again")], scope={"year": 2021})
        assert store.run("SELECT year, count(*) FROM trade GROUP BY year ORDER BY year") == [(2020, 3), (2021, 2)]
        assert len(store.provenance()) == 2


def test_failed_load_leaves_store_unchanged(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.load("demo", {"trade": _trade(3)}, [Provenance("trade", "first")])
    before = _snapshot(path)

    def chunks():
        yield _trade(10)
        raise RuntimeError("source broke mid-load")

    with Store(path) as store, pytest.raises(RuntimeError, match="mid-load"):
        store.load("demo", {"trade": chunks()}, [Provenance("trade", "second")])
    assert _snapshot(path) == before


def test_schema_violation_is_a_store_error_and_rolls_back(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.load("demo", {"trade": _trade(3)}, [Provenance("trade", "first")])
        bad = _trade(2).assign(exporter=None)
        with pytest.raises(StoreError, match="rejected by the store schema"):
            store.load("demo", {"trade": bad}, [Provenance("trade", "bad")])
    assert len(_snapshot(path)[0]) == 3


def test_batch_is_all_or_nothing(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.load("a", {"trade": _trade(2)}, [Provenance("trade", "a")])
    before = _snapshot(path)
    with Store(path) as store, pytest.raises(ValueError):
        with store.batch():
            store.load("a", {"trade": _trade(7)}, [Provenance("trade", "a2")])
            store.load("b", {"trade": _trade(1)}, [Provenance("trade", "b")])
            raise ValueError("later step failed")
    assert _snapshot(path) == before


def test_killed_load_leaves_previous_store_intact(tmp_path):
    """A process killed (SIGKILL) in the middle of a load: reopening shows the old store."""
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.load("demo", {"trade": _trade(3)}, [Provenance("trade", "first")])
    before = _snapshot(path)
    script = textwrap.dedent(
        f"""
        import os, signal
        import pandas as pd
        from geohedge.data.store import Provenance, Store
        def chunks():
            for k in range(3):
                yield pd.DataFrame({{"classification": "HS92", "year": 2020, "exporter": "USA", "importer": "CHN",
                                     "product": [f"{{i:06d}}" for i in range(50_000)], "value_usd": 1.0, "quantity_t": None}})
                if k == 1:
                    os.kill(os.getpid(), signal.SIGKILL)
        with Store({str(path)!r}) as store:
            store.load("demo", {{"trade": chunks()}}, [Provenance("trade", "killed")])
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=os.environ.copy())
    assert done.returncode == -9, done.stderr
    assert _snapshot(path) == before


def test_read_only_store_missing(tmp_path):
    with pytest.raises(StoreError, match="no store at .*; run 'geohedge data build' first"):
        Store(tmp_path / "absent.duckdb", read_only=True)


def test_not_a_database(tmp_path):
    path = tmp_path / "junk.duckdb"
    path.write_bytes(b"this is not a duckdb file" * 100)
    with pytest.raises(StoreError, match="cannot open store"):
        Store(path)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(1995, 2024), st.floats(0.001, 1e12)), min_size=1, max_size=30))
def test_round_trip(tmp_path_factory, rows):
    frame = pd.DataFrame(
        {"classification": "HS92", "year": [r[0] for r in rows], "exporter": "MYS", "importer": "TUR",
         "product": [f"{k:06d}" for k in range(len(rows))], "value_usd": [r[1] for r in rows], "quantity_t": None}
    )
    with Store(tmp_path_factory.mktemp("rt") / "s.duckdb") as store:
        store.load("demo", {"trade": frame}, [Provenance("trade", "rt")])
        back = store.query("SELECT year, product, value_usd FROM trade ORDER BY product")
    assert back["year"].tolist() == frame["year"].tolist()
    assert back["value_usd"].tolist() == frame["value_usd"].tolist()


def test_store_of_another_layout_version_is_refused(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.run("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match=r"has table layout version 0, this geohedge needs 3; move the file away"):
        Store(path, read_only=True)
