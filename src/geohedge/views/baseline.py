"""Store-backed calibration of the shock model, cached on disk.

Rebuilding the input-output table from the store takes seconds, the calibrated baseline
is small (a few MB), so :func:`query_baseline` saves it under ``<cache>/baseline/`` keyed by
the store file, the ICIO year and the provenance of that year's load (source, sha256,
load time): re-importing the table invalidates the cache. Writes are atomic (temporary
file then rename); a damaged cache file is deleted and rebuilt, never trusted.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from geohedge.views.cache import cache_path, read_arrays, write_arrays
from geohedge.data.queries import query_icio_year, query_iotable
from geohedge.data.store import Store
from geohedge.shocks.calibrate import Baseline, baseline_from_iotable

__all__ = ["baseline_cache_path", "query_baseline"]

_ARRAYS = ("pi", "X", "Y", "gamma_va", "gamma_io", "alpha", "VA", "D", "I", "tradable")
_VERSION = "1"  # bump when the calibration changes


def baseline_cache_path(store: Store, year: int) -> Path:
    """Where the calibrated baseline of ``year`` for this store is cached."""
    return cache_path(store, "baseline", year, _VERSION)


def query_baseline(store: Store, year: int | None = None, *, use_cache: bool = True) -> Baseline:
    """The calibrated shock-model baseline of one ICIO year (default: the latest).

    Raises
    ------
    InputError
        No input-output table for that year, or none at all (run 'geohedge data build').
    """
    year = query_icio_year(store, year)
    path = baseline_cache_path(store, year)
    z = read_arrays(path) if use_cache else None
    if z is not None:
        meta = z["meta"].tolist()
        return Baseline(
            countries=tuple(z["countries"].tolist()), sectors=tuple(z["sectors"].tolist()),
            year=int(meta[0]), approximate=meta[1] == "1", source=str(meta[2]),
            **{k: z[k] for k in _ARRAYS},
        )
    base = baseline_from_iotable(query_iotable(store, year))
    if use_cache:
        write_arrays(path, {
            "countries": np.array(base.countries), "sectors": np.array(base.sectors),
            "meta": np.array([str(base.year), "1" if base.approximate else "0", base.source]),
            **base.arrays(),
        })
    return base
