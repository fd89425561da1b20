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

from geohedge.data.queries import query_icio_year, query_iotable
from geohedge.data.store import Store
from geohedge.errors import InputError
from geohedge.views.cache import cache_path, read_arrays, write_arrays
from geohedge.shocks.calibrate import Baseline, baseline_from_iotable

__all__ = ["baseline_cache_path", "query_baseline", "query_baseline_tariffs"]

_ARRAYS = ("pi", "X", "Y", "gamma_va", "gamma_io", "alpha", "VA", "D", "I", "tradable", "tau")
_VERSION = "3"  # bump when the calibration changes (2: baseline tariffs, rest of world folded in; 3: ROW region option)


def baseline_cache_path(store: Store, year: int, rest_of_world: str = "fold") -> Path:
    """Where the calibrated baseline of ``year`` for this store is cached."""
    return cache_path(store, "baseline" if rest_of_world == "fold" else "baseline-row", year, _VERSION)


def query_baseline(store: Store, year: int | None = None, *, use_cache: bool = True, rest_of_world: str = "fold") -> Baseline:
    """The calibrated shock-model baseline of one ICIO year (default: the latest).

    ``rest_of_world``: ``"fold"`` (default) folds sales to the rest of the world into the
    table's countries; ``"region"`` keeps them as an extra buyer-only region ``ROW``
    (:func:`geohedge.shocks.calibrate.baseline_from_iotable`).

    Raises
    ------
    InputError
        No input-output table for that year, or none at all (run 'geohedge data build'),
        or an unknown ``rest_of_world``.
    """
    if rest_of_world not in ("fold", "region"):
        raise InputError(f"rest_of_world {rest_of_world!r} is not understood; use 'fold' or 'region'")
    year = query_icio_year(store, year)
    path = baseline_cache_path(store, year, rest_of_world)
    z = read_arrays(path) if use_cache else None
    if z is not None:
        meta = z["meta"].tolist()
        return Baseline(
            countries=tuple(z["countries"].tolist()), sectors=tuple(z["sectors"].tolist()),
            year=int(meta[0]), approximate=meta[1] == "1", source=str(meta[2]), tariff_source=str(meta[3]),
            **{k: z[k] for k in _ARRAYS},
        )
    table = query_iotable(store, year)
    regions = table.countries + (("ROW",) if rest_of_world == "region" and table.final_regions else ())
    tau, tariff_source = query_baseline_tariffs(store, regions, table.sectors, year)
    base = baseline_from_iotable(table, tau=tau, tariff_source=tariff_source, rest_of_world=rest_of_world)
    if use_cache:
        write_arrays(path, {
            "countries": np.array(base.countries), "sectors": np.array(base.sectors),
            "meta": np.array([str(base.year), "1" if base.approximate else "0", base.source, base.tariff_source]),
            **base.arrays(),
        })
    return base


def query_baseline_tariffs(store: Store, countries: tuple[str, ...], sectors: tuple[str, ...], year: int) -> tuple[np.ndarray, str]:
    """Applied tariffs ``tau[importer, exporter, sector]`` for a table's countries and sectors.

    The latest year of the ``tariffs`` table up to ``year`` (Teti's Global Tariff Database
    via the ICIO cubes ends in 2021, so a 2022 table gets 2021 rates). Goods sectors match
    by ICIO code; services carry no tariff (zero). Without tariffs in the store the
    baseline has none, and the returned source says so.
    """
    N, J = len(countries), len(sectors)
    tau = np.zeros((N, N, J))
    if not store.has_table("tariffs"):
        return tau, ""
    found = store.run("SELECT max(year) FROM tariffs WHERE classification = 'ICIO' AND year <= ?", [year])[0][0]
    if found is None:
        return tau, ""
    rows = store.con.execute(
        """WITH c AS (SELECT unnest($c) AS code, generate_subscripts($c, 1) - 1 AS k),
                s AS (SELECT unnest($s) AS code, generate_subscripts($s, 1) - 1 AS k)
        SELECT ci.k AS n, ce.k AS i, s.k AS j, t.rate FROM tariffs t
        JOIN c ci ON ci.code = t.importer JOIN c ce ON ce.code = t.exporter JOIN s ON s.code = t.sector
        WHERE t.classification = 'ICIO' AND t.year = $y""",
        {"c": list(countries), "s": list(sectors), "y": int(found)},
    ).fetchnumpy()
    tau[rows["n"], rows["i"], rows["j"]] = rows["rate"]
    src = store.run("SELECT any_value(source) FROM provenance WHERE table_name = 'tariffs' AND dataset = 'icio_cubes'")[0][0]
    return tau, f"applied tariffs of {found} ({src or 'tariffs table'}); services untaxed"
