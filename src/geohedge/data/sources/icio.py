"""OECD Inter-Country Input-Output tables: the bundle's cache and the official CSV release.

Two readers produce the canonical :class:`geohedge.iotable.IOTable`:

- :func:`read_bench_cache` reads ``bench_cache.npz`` from the ``sanction-simulator`` wheel
  (OECD ICIO 2025 release, year 2022, 80 countries x 50 sectors, rest of world dropped by
  that package). It has no destination split of final demand; each seller's final sales
  ``z`` are allocated across destination countries in proportion to that seller's
  intermediate sales to each country (ARCHITECTURE.md). Sellers with no intermediate sales
  (71 nodes, e.g. household services) sell their final output at home. The result is
  flagged ``approximate``.
- :func:`read_icio_csv` reads one year of the official OECD ICIO CSV release (wide layout,
  final-demand columns per destination country), which gives the exact split.

:func:`store_frames` turns a table into the store's canonical rows.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from geohedge.errors import DataError
from geohedge.iotable import IOTable

__all__ = ["read_bench_cache", "read_icio_csv", "store_frames", "FINAL_DEMAND_CODES", "ICIO_URLS"]

#: Final-demand categories of the OECD ICIO release (columns ``<ISO3>_<code>``).
FINAL_DEMAND_CODES = ("HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR")

#: Official downloads of the OECD ICIO 2025 release (need internet; zipped CSVs).
ICIO_URLS: dict[str, str] = {}


def _read_mapping(raw: bytes | str, name: str) -> dict[str, str]:
    text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or len(rows[0]) != 2:
        raise DataError(f"{name}: expected a two-column CSV with a header row")
    out = {}
    for lineno, row in enumerate(rows[1:], start=2):
        if len(row) != 2 or not row[0].strip():
            raise DataError(f"{name}: line {lineno}: expected 'code,name', got {row!r}")
        out[row[0].strip()] = row[1].strip()
    return out


def read_bench_cache(
    npz: str | Path | IO[bytes],
    country_mapping: bytes | str,
    sector_mapping: bytes | str,
    *,
    source: str = "OECD ICIO 2025 release, via sanction-simulator 0.1.4 bench_cache.npz",
) -> IOTable:
    """Read the ICIO 2022 cache shipped in ``sanction-simulator`` as an :class:`IOTable`.

    The cache stores nodes sector-major (index = sector * 80 + country) with ``A`` the
    column-normalised intermediate input matrix, ``omb`` each buyer's intermediate cost
    share and ``s`` output; intermediate flows are ``Z = A * (omb * s)[None, :]``, whose
    row sums plus ``z`` equal ``s``. Nodes are reordered country-major here.

    Parameters
    ----------
    npz
        Path or binary file object of ``bench_cache.npz``.
    country_mapping, sector_mapping
        Contents of ``OECD_ICIO_2025_country_code_mapping.csv`` and
        ``OECD_ICIO_2025_sector_code_mapping.csv``.

    Raises
    ------
    DataError
        A required array is missing, has the wrong shape, or holds negative or
        non-finite values.
    """
    try:
        arrays = np.load(npz, allow_pickle=False)
        A, omb, z, s, go = (np.asarray(arrays[k], dtype=float) for k in ("A", "omb", "z", "s", "go"))
        countries = tuple(str(c) for c in arrays["countries"])
        sectors = tuple(str(c) for c in arrays["sectors"])
        audit = json.loads(str(arrays["audit"])) if "audit" in arrays.files else {}
    except (KeyError, ValueError, OSError) as exc:
        raise DataError(f"bench_cache.npz is not a readable ICIO cache: {exc}") from exc
    N, J = len(countries), len(sectors)
    NJ = N * J
    if A.shape != (NJ, NJ) or any(v.shape != (NJ,) for v in (omb, z, s, go)):
        raise DataError(f"bench_cache.npz: array shapes do not match {N} countries x {J} sectors")
    for name, v in (("A", A), ("omb", omb), ("z", z), ("s", s)):
        if not np.all(np.isfinite(v)) or (v < 0).any():
            raise DataError(f"bench_cache.npz: array {name} has negative or non-finite values")
    # sector-major -> country-major: new node n*J + j was old node j*N + n
    perm = (np.arange(J)[None, :] * N + np.arange(N)[:, None]).ravel()
    Z = (A * (omb * s)[None, :])[np.ix_(perm, perm)]
    z, go = z[perm], go[perm]
    inter_by_dest = Z.reshape(NJ, N, J).sum(axis=2)
    inter_total = inter_by_dest.sum(axis=1)
    weights = np.zeros_like(inter_by_dest)
    has_inter = inter_total > 0
    weights[has_inter] = inter_by_dest[has_inter] / inter_total[has_inter, None]
    home = np.repeat(np.arange(N), J)
    weights[~has_inter, home[~has_inter]] = 1.0
    F = weights * z[:, None]
    country_names = _read_mapping(country_mapping, "OECD_ICIO_2025_country_code_mapping.csv")
    sector_names = _read_mapping(sector_mapping, "OECD_ICIO_2025_sector_code_mapping.csv")
    return IOTable(
        year=2022,
        countries=countries,
        sectors=sectors,
        Z=Z,
        F=F,
        gross_output=go,
        country_names={c: country_names.get(c, c) for c in countries},
        sector_names={c: sector_names.get(c, c) for c in sectors},
        approximate=True,
        source=source,
        meta={"audit": audit, "sellers_without_intermediate_sales": int((~has_inter & (z > 0)).sum())},
    )


def read_icio_csv(path: str | Path, year: int, *, source: str = "OECD ICIO CSV release") -> IOTable:
    """Read one year of the official OECD ICIO CSV release (wide layout)."""
    raise NotImplementedError


def store_frames(table: IOTable) -> dict[str, pd.DataFrame]:
    """The store's canonical rows for an :class:`IOTable` (see ``geohedge.data.store``).

    Returns frames for ``icio_flows`` (non-zero intermediate flows), ``icio_final``,
    ``icio_nodes``, ``icio_countries``, ``icio_sectors`` and ``trade`` (bilateral exports by
    ICIO sector, intermediate plus final, in USD; ``classification = 'ICIO'``).
    """
    N, J = table.n_countries, table.n_sectors
    c = pd.Categorical(np.asarray(table.countries))
    s = pd.Categorical(np.asarray(table.sectors))
    node_c = np.repeat(np.arange(N), J)
    node_s = np.tile(np.arange(J), N)
    rows, cols = np.nonzero(table.Z)
    flows = pd.DataFrame(
        {
            "year": np.int16(table.year),
            "seller_country": c.take(node_c[rows]),
            "seller_sector": s.take(node_s[rows]),
            "buyer_country": c.take(node_c[cols]),
            "buyer_sector": s.take(node_s[cols]),
            "value_usd_mn": table.Z[rows, cols],
        }
    )
    frow, fcol = np.nonzero(table.F)
    final = pd.DataFrame(
        {
            "year": np.int16(table.year),
            "seller_country": c.take(node_c[frow]),
            "seller_sector": s.take(node_s[frow]),
            "buyer_country": c.take(fcol),
            "value_usd_mn": table.F[frow, fcol],
            "approximate": table.approximate,
        }
    )
    x = table.x
    nodes = pd.DataFrame(
        {
            "year": np.int16(table.year),
            "country": c.take(node_c),
            "sector": s.take(node_s),
            "output_usd_mn": x,
            "gross_output_usd_mn": table.gross_output if table.gross_output is not None else x,
            "intermediate_sales_usd_mn": table.Z.sum(axis=1),
            "final_sales_usd_mn": table.F.sum(axis=1),
            "intermediate_inputs_usd_mn": table.Z.sum(axis=0),
            "value_added_usd_mn": table.va,
        }
    )
    trade = table.bilateral_trade()
    trade = pd.DataFrame(
        {
            "classification": "ICIO",
            "year": np.int16(table.year),
            "exporter": trade["exporter"],
            "importer": trade["importer"],
            "product": trade["sector"],
            "value_usd": trade["value_usd_mn"] * 1e6,
            "quantity_t": np.nan,
        }
    )
    return {
        "icio_flows": flows,
        "icio_final": final,
        "icio_nodes": nodes,
        "icio_countries": pd.DataFrame({"code": list(table.countries), "name": [table.country_names.get(k, k) for k in table.countries]}),
        "icio_sectors": pd.DataFrame({"code": list(table.sectors), "name": [table.sector_names.get(k, k) for k in table.sectors]}),
        "trade": trade,
    }
