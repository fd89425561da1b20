"""Imports killed (SIGKILL) at random moments leave a store that opens with either the old
data or the complete new data, never a mix, and the next import works.

For each import the test runs it once to the end (to learn the complete new contents and
how long it takes), then ``GEOHEDGE_KILL_TRIALS`` times (default 2, the full check uses
20) on a copy of the old store, killed after a random delay within that duration.
The random delays are seeded, so a failure can be replayed.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import duckdb
import pytest

from geohedge.data.store import Store
from tests.conftest import FIXTURES, ROOT

TRIALS = int(os.environ.get("GEOHEDGE_KILL_TRIALS", "2"))
SEED_ARTICLE = ROOT.parent / "shared" / "seed" / "000_cd003cc188e7abe4.txt"


def _contents(path: Path) -> dict[str, str]:
    """A digest of every table's rows (without load and ingest times)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()]
        out = {}
        for t in tables:
            cols = {"provenance": "* EXCLUDE (loaded_at)", "articles": "* EXCLUDE (ingested_at)"}.get(t, "*")
            rows = con.execute(f"SELECT {cols} FROM {t} ORDER BY ALL").fetchall()
            out[t] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return out
    finally:
        con.close()


def _cli(home: Path, args: list[str]) -> subprocess.Popen:
    env = {**os.environ, "GEOHEDGE_HOME": str(home), "GEOHEDGE_CACHE": str(home / "cache")}
    return subprocess.Popen([sys.executable, "-m", "geohedge", *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _prepare(tmp_path: Path, old_args: list[list[str]]) -> Path:
    home = tmp_path / "old"
    home.mkdir()
    Store(home / "geohedge.duckdb").close()
    for args in old_args:
        done = _cli(home, args)
        assert done.wait(300) == 0, done.stderr.read().decode()
    return home


def _trials(tmp_path: Path, old_args: list[list[str]], new_args: list[str], seed: int) -> None:
    old_home = _prepare(tmp_path, old_args)
    old = _contents(old_home / "geohedge.duckdb")
    full_home = tmp_path / "full"
    shutil.copytree(old_home, full_home)
    t = time.monotonic()
    done = _cli(full_home, new_args)
    assert done.wait(600) == 0, done.stderr.read().decode()
    duration = time.monotonic() - t
    new = _contents(full_home / "geohedge.duckdb")
    assert new != old
    rng = random.Random(seed)
    seen = {"old": 0, "new": 0}
    for k in range(TRIALS):
        home = tmp_path / f"trial{k}"
        shutil.copytree(old_home, home)
        proc = _cli(home, new_args)
        time.sleep(rng.uniform(0, duration))
        proc.send_signal(signal.SIGKILL)
        proc.wait(60)
        got = _contents(home / "geohedge.duckdb")
        assert got in (old, new), f"trial {k}: the store holds neither the old nor the complete new data"
        seen["old" if got == old else "new"] += 1
        again = _cli(home, new_args)  # the next import works and cleans up after the killed one
        assert again.wait(600) == 0, again.stderr.read().decode()
        assert _contents(home / "geohedge.duckdb") == new
        assert not list(home.glob(".geohedge.duckdb.*"))
        shutil.rmtree(home)
    print(f"{TRIALS} kills after 0-{duration:.1f} s: {seen['old']} left the old data, {seen['new']} the new")


def test_killed_baci_imports(tmp_path):
    archive = tmp_path / "BACI_HS92_V202401b.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in sorted((FIXTURES / "baci").glob("*.csv")):
            zf.write(f, f.name)
    _trials(tmp_path, [["data", "import", "baci", str(FIXTURES / "baci"), "--years", "2021"]],
            ["data", "import", "baci", str(archive)], seed=1)


def test_killed_icio_imports(tmp_path):
    doubled = tmp_path / "2022_SML.csv"  # every value doubled: still balanced, different numbers
    lines = (FIXTURES / "icio" / "2022_SML.csv").read_text().splitlines()
    doubled.write_text("\n".join([lines[0]] + [",".join([r.split(",")[0]] + [str(2 * int(v)) if v else "" for v in r.split(",")[1:]])
                                               for r in lines[1:]]) + "\n")
    _trials(tmp_path, [["data", "import", "icio", str(FIXTURES / "icio" / "2022_SML.csv"), "--year", "2022"]],
            ["data", "import", "icio", str(doubled), "--year", "2022"], seed=2)


def test_killed_unga_imports(tmp_path):
    _trials(tmp_path, [["data", "import", "unga", str(FIXTURES / "undl" / "ga_voting.csv")]],
            ["data", "import", "unga", str(FIXTURES / "unvotes")], seed=3)


@pytest.mark.skipif(not SEED_ARTICLE.exists(), reason="needs ../shared/seed")
def test_killed_news_ingests(tmp_path):
    _trials(tmp_path, [["data", "import", "unga", str(FIXTURES / "unvotes")]], ["events", "ingest", str(SEED_ARTICLE)], seed=4)


@pytest.mark.bundle
@pytest.mark.slow
@pytest.mark.skipif("GEOHEDGE_KILL_TRIALS" not in os.environ, reason="a minute per trial: part of the full check (GEOHEDGE_KILL_TRIALS=20)")
def test_killed_bundle_builds(tmp_path, wheel_cache):
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    for whl in Path(wheel_cache).rglob("*.whl"):
        shutil.copy(whl, wheels / whl.name)
    _trials(tmp_path, [["data", "import", "unga", str(FIXTURES / "unvotes")]], ["data", "build", "--wheels", str(wheels)], seed=5)
