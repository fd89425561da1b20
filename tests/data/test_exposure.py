"""The value-chain cache: same numbers from cache as from scratch, invalidated by a reload."""

import numpy as np
import pytest

from geohedge.views.exposure import query_value_chain
from geohedge.data.paths import cache_dir
from geohedge.data.store import Store


@pytest.mark.bundle
def test_cache_round_trip_and_invalidation(bundle_home, tmp_path, monkeypatch):
    monkeypatch.setenv("GEOHEDGE_CACHE", str(tmp_path / "cache"))
    with Store(bundle_home / "geohedge.duckdb", read_only=True) as store:
        fresh = query_value_chain(store, 2022)
        files = list((cache_dir() / "value_chain").glob("*.npz"))
        assert len(files) == 1
        cached = query_value_chain(store, 2022)
    for name in ("B", "E", "VAD", "va"):
        assert np.array_equal(getattr(fresh, name), getattr(cached, name)), name
    assert cached.countries == fresh.countries and cached.destinations == fresh.destinations and cached.approximate is False
    # A damaged cache file is rebuilt, never trusted.
    files[0].write_bytes(b"not an npz")
    with Store(bundle_home / "geohedge.duckdb", read_only=True) as store:
        again = query_value_chain(store, 2022)
    assert np.array_equal(again.B, fresh.B)
    # A reload (new provenance time) gives a new key; the old file is replaced.
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes((bundle_home / "geohedge.duckdb").read_bytes())
    with Store(copy) as store:
        store.run("UPDATE provenance SET loaded_at = loaded_at + INTERVAL 1 SECOND WHERE table_name = 'icio_flows'")
        query_value_chain(store, 2022)
    assert len(list((cache_dir() / "value_chain").glob("*.npz"))) == 1
    assert list((cache_dir() / "value_chain").glob("*.npz"))[0].name != files[0].name


@pytest.mark.parametrize("channel", ["value-added", "trade"])
def test_empty_store_says_what_to_run(tmp_path, channel):
    """A store without the bundle gets an error naming the fix, never an IndexError."""
    from geohedge.views.exposure import exposure_view
    from geohedge.errors import InputError

    with Store(tmp_path / "empty.duckdb") as store, pytest.raises(InputError, match="run 'geohedge data build'"):
        exposure_view(store, "MYS", channel=channel)
