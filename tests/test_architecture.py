"""The house rules that code review alone would miss."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import geohedge

SRC = Path(geohedge.__file__).resolve().parent
PURE = ["iotable.py", "errors.py", "exposure", "shocks", "alignment", "partners", "events"]
IO_LIBS = {"duckdb", "rich", "typer", "fastapi", "httpx", "requests", "pooch", "urllib", "sqlite3", "subprocess",
           # the cluster belongs to views/atlas.py: the atlas's pure pieces run on any executor
           "dask", "distributed"}


def test_public_api_is_pinned():
    assert geohedge.__all__ == [
        "__version__", "Country", "resolve", "country", "groups_of", "bloc_members", "IOTable",
        "Store", "open_store", "build_bundle", "query_status", "query_trade", "exposure_view", "build_brief",
        "GeohedgeError", "InputError", "DataError", "ModelError", "ConvergenceError", "StoreError",
    ]


def test_version_matches_pyproject():
    text = (SRC.parents[1] / "pyproject.toml").read_text()
    assert f'version = "{geohedge.__version__}"' in text


def test_import_does_nothing(tmp_path):
    """Importing geohedge creates no folder and loads no data."""
    env = {**os.environ, "HOME": str(tmp_path / "home"), "GEOHEDGE_HOME": str(tmp_path / "gh"), "XDG_DATA_HOME": str(tmp_path / "xdg")}
    code = "import geohedge, geohedge.cli, sys; assert 'country_converter' not in sys.modules, 'country data loaded at import'"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert not any(tmp_path.iterdir()), list(tmp_path.iterdir())


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
            if node.module.startswith(("geohedge.data", "geohedge.views")) or node.module in ("geohedge.cli",):
                names.add("geohedge.data")
    return names


def test_analytics_do_no_io():
    checked = 0
    for entry in PURE:
        target = SRC / entry
        files = [target] if target.is_file() else sorted(target.rglob("*.py")) if target.is_dir() else []
        for f in files:
            bad = _imports(f) & (IO_LIBS | {"geohedge.data"})
            assert not bad, f"{f.relative_to(SRC)} imports {sorted(bad)}; analytics must stay pure"
            checked += 1
    assert checked >= 2


def test_modules_stay_small():
    for f in SRC.rglob("*.py"):
        n = len(f.read_text().splitlines())
        assert n <= 1000, f"{f.relative_to(SRC)} has {n} lines"
