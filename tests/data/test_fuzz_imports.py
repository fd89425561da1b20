"""A bounded fuzz run over the import readers: malformed files in each official layout
(BACI year, country and product files; the OECD ICIO CSV; the UN Digital Library CSV;
the unvotes CSVs) either load, or are refused with a one-line geohedge error, and a
refusal leaves the store file byte-identical. Never a traceback.

Each layout starts from its hand-made fixture (``tests/fixtures``) and applies one to
three damages drawn by hypothesis: a cut, a lost, doubled or swapped line, a cell
replaced by a hostile value (NaN, infinity, negatives, overflow, huge ids, bad dates,
binary, quotes), a renamed header. Bounded: ``MAX_EXAMPLES`` per layout, derandomized.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geohedge.data.sources import baci, icio, unga
from geohedge.data.store import Store
from geohedge.errors import GeohedgeError
from tests.conftest import FIXTURES

MAX_EXAMPLES = 25

HOSTILE = ["", " ", "nan", "NaN", "inf", "-inf", "-1", "-0.5", "1e400", "1e307", "NA", "abc", "\x00", "9" * 30,
           "100000000000000000000000", "2021-13-45", "0", '"', '""', "1,2", "\xff", "é", "-99999999999"]


@st.composite
def damaged(draw, text: str) -> str:
    lines = text.splitlines()
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        op = draw(st.sampled_from(["cut", "drop", "double", "swap", "cell", "header", "bytes"]))
        k = draw(st.integers(0, len(lines) - 1))
        if op == "cut":
            joined = "\n".join(lines)
            lines = joined[: draw(st.integers(0, len(joined)))].splitlines()
        elif op == "drop":
            del lines[k]
        elif op == "double":
            lines.insert(k, lines[k])
        elif op == "swap" and len(lines) > 1:
            j = draw(st.integers(0, len(lines) - 1))
            lines[k], lines[j] = lines[j], lines[k]
        elif op == "cell":
            cells = lines[k].split(",")
            cells[draw(st.integers(0, len(cells) - 1))] = draw(st.sampled_from(HOSTILE))
            lines[k] = ",".join(cells)
        elif op == "header":
            cells = lines[0].split(",")
            cells[draw(st.integers(0, len(cells) - 1))] = draw(st.sampled_from(["x", "", "t", "V1", "OUT", "rcid"]))
            lines[0] = ",".join(cells)
        elif op == "bytes":
            lines[k] = lines[k] + draw(st.sampled_from(["\x00\x01", "\ufeff", ",,,", '"unclosed']))
    return "\n".join(lines) + ("\n" if lines else "")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check(store_path: Path, load) -> None:
    """``load(store)`` succeeds, or raises a geohedge error and changes no byte of the store."""
    before = _sha(store_path)
    try:
        with Store(store_path) as store:
            load(store)
    except GeohedgeError as exc:
        assert "\n" not in str(exc) and str(exc), repr(exc)
        assert _sha(store_path) == before
    with Store(store_path, read_only=True) as store:  # it always opens
        store.run("SELECT count(*) FROM provenance")


_SETTINGS = settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                     suppress_health_check=list(HealthCheck))

BACI_FILES = ["BACI_HS92_Y2021_V202401b.csv", "country_codes_V202401b.csv", "product_codes_HS92_V202401b.csv"]


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.mark.parametrize("name", BACI_FILES)
def test_baci_release_files(work, name):
    folder = work / f"baci-{name}"
    shutil.copytree(FIXTURES / "baci", folder)
    store_path = work / f"baci-{name}.duckdb"
    with Store(store_path) as store:
        baci.load_release(store, FIXTURES / "baci")
    original = (FIXTURES / "baci" / name).read_text()

    @_SETTINGS
    @given(text=damaged(original))
    def run(text):
        (folder / name).write_text(text, encoding="utf-8", errors="surrogateescape")
        _check(store_path, lambda s: baci.load_release(s, folder))

    run()


def test_icio_csv(work):
    store_path = work / "icio.duckdb"
    with Store(store_path) as store:
        icio.load_icio_csv(store, FIXTURES / "icio" / "2022_SML.csv", 2022)
    original = (FIXTURES / "icio" / "2022_SML.csv").read_text()
    target = work / "2022_SML.csv"

    @_SETTINGS
    @given(text=damaged(original))
    def run(text):
        target.write_text(text, encoding="utf-8")
        _check(store_path, lambda s: icio.load_icio_csv(s, target, 2022))

    run()


def test_undl_csv(work):
    store_path = work / "undl.duckdb"
    with Store(store_path) as store:
        unga.load_unga(store, FIXTURES / "undl" / "ga_voting.csv")
    original = (FIXTURES / "undl" / "ga_voting.csv").read_text(encoding="utf-8")
    target = work / "ga_voting.csv"

    @_SETTINGS
    @given(text=damaged(original))
    def run(text):
        target.write_text(text, encoding="utf-8")
        _check(store_path, lambda s: unga.load_unga(s, target))

    run()


@pytest.mark.parametrize("stem", unga.UNVOTES_FILES)
def test_unvotes_csv(work, stem):
    folder = work / f"unvotes-{stem}"
    shutil.copytree(FIXTURES / "unvotes", folder)
    store_path = work / f"unvotes-{stem}.duckdb"
    with Store(store_path) as store:
        unga.load_unga(store, folder)
    original = (FIXTURES / "unvotes" / f"{stem}.csv").read_text(encoding="utf-8")

    @_SETTINGS
    @given(text=damaged(original))
    def run(text):
        (folder / f"{stem}.csv").write_text(text, encoding="utf-8")
        _check(store_path, lambda s: unga.load_unga(s, folder))

    run()
