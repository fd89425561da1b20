"""Fixtures for the atlas on the real offline bundle: a writable copy of the bundle's store
and the small atlas (5 targets x 2 shock families x 5 draws) run once into it, serially."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

#: The small atlas of the CI test.
TARGETS = ("MYS", "VNM", "MEX", "DEU", "CHN")
FAMILIES = ("usa-tariff-25", "us-reciprocal-2025-04")
DRAWS = 5


def copy_home(bundle_home: Path, dest: Path) -> Path:
    """A geohedge home with a writable copy of the bundle's store (own cache)."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(bundle_home / "geohedge.duckdb", dest / "geohedge.duckdb")
    return dest


def small_atlas(bundle_home: Path, dest: Path):
    """A home (a copy of the bundle) holding the small atlas, run serially in this process;
    returns ``(home, plan, run)``."""
    from geohedge.data.store import Store
    from geohedge.shocks.atlas import AtlasConfig
    from geohedge.views.atlas import plan_atlas, run_atlas

    home = copy_home(bundle_home, dest)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GEOHEDGE_HOME", str(home))
        mp.delenv("GEOHEDGE_CACHE", raising=False)
        with Store(home / "geohedge.duckdb", read_only=True) as store:
            plan = plan_atlas(store, TARGETS, FAMILIES, AtlasConfig(draws=DRAWS, seed=7))
        result = run_atlas(plan, serial=True)
    return home, plan, result


@pytest.fixture(scope="module")
def atlas_home(bundle_home, tmp_path_factory):
    """A home whose store holds the small atlas."""
    return small_atlas(bundle_home, tmp_path_factory.mktemp("atlas-home"))
