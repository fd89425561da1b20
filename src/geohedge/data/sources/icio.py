"""OECD Inter-Country Input-Output tables: the bundle's cache and the official CSV release.

Two readers produce the canonical :class:`geohedge.iotable.IOTable`:

- :func:`read_bench_cache` reads ``bench_cache.npz`` from the ``sanction-simulator`` wheel
  (OECD ICIO 2025 release, year 2022, 80 countries x 50 sectors, rest of world dropped by
  that package). It has no destination split of final demand, only each seller's total
  final sales ``z``. Given the 2022 bilateral cube (``cube=``), the split comes from it
  (:mod:`geohedge.data.sources.icio_split`: exact to the cube for goods and for the
  services aggregate; the rest of the world becomes a final-demand region ``ROW``).
  Without it, ``z`` is allocated in proportion to each seller's intermediate sales (the
  first version's rule, flagged ``approximate``; kept for tests and comparison).
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

from geohedge.data.sources._common import csv_error as _csv_error
from geohedge.data.sources.icio_split import SplitReport, split_final_demand
from geohedge.errors import DataError, InputError
from geohedge.iotable import IOTable

__all__ = ["FINAL_DEMAND_CODES", "ICIO_PAGE", "fetch_release", "load_icio_csv", "read_bench_cache", "read_icio_csv", "store_frames"]

#: Final-demand categories of the OECD ICIO release (columns ``<ISO3>_<code>``).
FINAL_DEMAND_CODES = ("HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR")

#: Page listing the official OECD ICIO downloads (zipped CSVs by year range; the file
#: links change with each release, so :func:`fetch_release` takes the link itself).
ICIO_PAGE = "https://www.oecd.org/en/data/datasets/inter-country-input-output-tables.html"


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
    cube: np.ndarray | None = None,
    cube_regions: tuple[str, ...] = (),
    cube_sectors: tuple[str, ...] = (),
    services: str = "SERV",
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
    country_names = _read_mapping(country_mapping, "OECD_ICIO_2025_country_code_mapping.csv")
    sector_names = _read_mapping(sector_mapping, "OECD_ICIO_2025_sector_code_mapping.csv")
    names = dict(country_names={c: country_names.get(c, c) for c in countries},
                 sector_names={c: sector_names.get(c, c) for c in sectors})
    if cube is not None:
        if tuple(cube_regions[:N]) != countries or cube.shape[0] != N or cube.shape[2] != len(cube_regions):
            raise DataError("the 2022 cube's regions do not start with the ICIO table's 80 countries in order")
        F3, report = split_final_demand(
            inter_by_dest.reshape(N, J, N), z.reshape(N, J), cube, countries=countries, sectors=sectors,
            cube_sectors=tuple(cube_sectors), services=services,
        )
        return IOTable(
            year=2022, countries=countries, sectors=sectors, Z=Z, F=F3.reshape(NJ, len(cube_regions)), gross_output=go,
            approximate=bool(report.fallback), source=source, final_regions=tuple(cube_regions),
            approximate_nodes=report.approximate.ravel(), meta={"audit": audit, "split": _split_meta(report)}, **names,
        )
    inter_total = inter_by_dest.sum(axis=1)
    weights = np.zeros_like(inter_by_dest)
    has_inter = inter_total > 0
    weights[has_inter] = inter_by_dest[has_inter] / inter_total[has_inter, None]
    home = np.repeat(np.arange(N), J)
    weights[~has_inter, home[~has_inter]] = 1.0
    F = weights * z[:, None]
    return IOTable(
        year=2022,
        countries=countries,
        sectors=sectors,
        Z=Z,
        F=F,
        gross_output=go,
        approximate=True,
        source=source,
        meta={"audit": audit, "sellers_without_intermediate_sales": int((~has_inter & (z > 0)).sum())},
        **names,
    )


def _split_meta(report: SplitReport) -> dict[str, object]:
    worst = max(report.projected, key=lambda r: r[2]) if report.projected else None
    return {
        "projected_nodes": len(report.projected),
        "projected_mass_usd_mn": round(sum(r[2] for r in report.projected), 6),
        "largest_projection": f"{worst[0]} {worst[1]} {worst[2]:.3g} USD mn" if worst else "none",
        "fallback_nodes": [f"{c} {s}" for c, s in report.fallback],
        "services_nodes_estimated": int(report.approximate.sum()) if report.approximate is not None else 0,
    }


#: Regions split in the extended ICIO release, merged back into their country.
_SPLIT_REGIONS = {"MX1": "MEX", "MX2": "MEX", "CN1": "CHN", "CN2": "CHN"}
_NON_SECTOR_ROWS = ("TLS", "VA", "OUT")


def _split_label(label: str) -> tuple[str, str]:
    country, _, code = label.partition("_")
    return _SPLIT_REGIONS.get(country, country), code


def read_icio_csv(path: str | Path, year: int, *, source: str = "OECD ICIO CSV release") -> IOTable:
    """Read one year of the official OECD ICIO CSV release (wide layout) as an :class:`IOTable`.

    Layout: a header row of column labels (the first, row-label column is named ``V1`` or
    left empty); country-sector rows and columns labelled ``<country>_<sector>`` (e.g.
    ``MYS_C26``); final-demand columns ``<country>_<category>`` for the categories in
    :data:`FINAL_DEMAND_CODES`; an ``OUT`` (output) column; rows ``TLS`` (taxes less
    subsidies on products), ``VA`` and ``OUT`` at the bottom. The extended release's
    ``MX1/MX2`` and ``CN1/CN2`` regions are merged into ``MEX`` and ``CHN``; ``ROW`` (rest of
    the world) is kept as a region.

    Raises
    ------
    InputError
        The file does not exist.
    DataError
        The file is malformed or truncated (naming the line), a value is not a number,
        or a row's sales do not add up to its ``OUT`` value.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"ICIO file {str(path)!r} does not exist")
    try:
        raw = pd.read_csv(path, index_col=0, encoding="utf-8-sig", on_bad_lines="error", low_memory=False)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise _csv_error(str(path), exc) from exc
    labels = [str(c) for c in raw.columns]
    rows = [str(r) for r in raw.index]
    sector_cols = [c for c in labels if "_" in c and _split_label(c)[1] not in FINAL_DEMAND_CODES]
    final_cols = [c for c in labels if "_" in c and _split_label(c)[1] in FINAL_DEMAND_CODES]
    if not sector_cols or not final_cols or "OUT" not in labels:
        raise DataError(f"{path}: line 1: not the ICIO layout (need <country>_<sector>, <country>_<final demand> and OUT columns)")
    node_rows = [r for r in rows if r not in _NON_SECTOR_ROWS and "_" in r]
    if len(node_rows) != len(sector_cols):
        raise DataError(
            f"{path}: line {len(rows) + 1}: file ends after {len(node_rows)} country-sector rows "
            f"but has {len(sector_cols)} country-sector columns; truncated file?"
        )
    try:
        values = raw.loc[node_rows, sector_cols + final_cols + ["OUT"]].apply(pd.to_numeric)
    except (ValueError, TypeError) as exc:
        raise DataError(f"{path}: a cell is not a number: {exc}") from exc
    if values.isna().any().any():
        bad = values.isna().any(axis=1)
        line = rows.index(str(values.index[bad][0])) + 2
        raise DataError(f"{path}: line {line}: {int(bad.sum())} rows have empty cells; truncated file?")
    row_keys = [_split_label(r) for r in node_rows]
    countries = tuple(dict.fromkeys(k[0] for k in row_keys))
    sectors = tuple(dict.fromkeys(k[1] for k in row_keys))
    index = pd.MultiIndex.from_product([countries, sectors])
    Zfull = values[sector_cols]
    Zfull.index = pd.MultiIndex.from_tuples(row_keys)
    Zfull.columns = pd.MultiIndex.from_tuples([_split_label(c) for c in sector_cols])
    Z = Zfull.T.groupby(level=[0, 1], sort=False).sum().T.groupby(level=[0, 1], sort=False).sum()
    Z = Z.reindex(index=index, columns=index, fill_value=0.0)
    F = values[final_cols]
    F.index = pd.MultiIndex.from_tuples(row_keys)
    F.columns = [_split_label(c)[0] for c in final_cols]
    F = F.T.groupby(level=0, sort=False).sum().T.groupby(level=[0, 1], sort=False).sum()
    F = F.reindex(index=index, columns=list(countries), fill_value=0.0)
    out = values["OUT"]
    out.index = pd.MultiIndex.from_tuples(row_keys)
    out = out.groupby(level=[0, 1], sort=False).sum().reindex(index, fill_value=0.0).to_numpy()
    Zv, Fv = Z.to_numpy(dtype=float), F.to_numpy(dtype=float)
    gap = np.abs(Zv.sum(axis=1) + Fv.sum(axis=1) - out)
    bad = gap > 1e-6 * np.maximum(np.abs(out), 1.0) + 0.01
    if bad.any():
        k = int(np.argmax(bad))
        raise DataError(f"{path}: row {index[k][0]}_{index[k][1]}: intermediate plus final sales differ from OUT by {gap[k]:.3g}")
    return IOTable(
        year=int(year), countries=countries, sectors=sectors, Z=Zv, F=Fv, gross_output=out,
        approximate=False, source=source,
    )


def load_icio_csv(store, path: str | Path, year: int) -> dict[str, int]:
    """Read one ICIO CSV year (or a zip holding it) and replace that year in the store."""
    from geohedge.data.sources._common import file_sha256
    from geohedge.data.store import Provenance

    path = Path(path)
    table = _read_icio_any(path, year)
    src = f"OECD ICIO CSV release, year {year}"
    sha = file_sha256(path)
    prov = [Provenance(t, src, origin=str(path.resolve()), sha256=sha) for t in
            ("icio_flows", "icio_final", "icio_nodes", "icio_countries", "icio_sectors")]
    prov.append(Provenance("trade", src + ", bilateral exports by sector derived", origin=str(path.resolve()), sha256=sha,
                           note="derived from icio_flows and icio_final"))
    return store.load("icio", store_frames(table), prov, scope={"year": int(year)})


def fetch_release(url: str, *, known_hash: str | None = None, downloader: object | None = None, progressbar: bool = True) -> Path:
    """Download an OECD ICIO CSV zip (needs internet; copy the link from :data:`ICIO_PAGE`).

    Cached in ``<cache_dir>/icio``; checked against ``known_hash`` (``sha256:...``) if given.
    """
    from geohedge.data.paths import cache_dir
    from geohedge.data.sources._common import fetch_file

    return fetch_file(url, cache_dir() / "icio", known_hash=known_hash, downloader=downloader, progressbar=progressbar)


def _read_icio_any(path: Path, year: int) -> IOTable:
    import tempfile
    import zipfile

    if not zipfile.is_zipfile(path):
        return read_icio_csv(path, year)
    with zipfile.ZipFile(path) as zf, tempfile.TemporaryDirectory() as tmp:
        names = [n for n in zf.namelist() if n.endswith(".csv") and str(year) in Path(n).name]
        if not names:
            raise InputError(f"{path}: no CSV for {year} inside; found {zf.namelist()[:5]}")
        try:
            zf.extract(names[0], tmp)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise DataError(f"{path}: corrupt zip: {exc}") from exc
        return read_icio_csv(Path(tmp) / names[0], year, source=f"OECD ICIO CSV release ({Path(names[0]).name})")


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
    dest = pd.Categorical(np.asarray(table.destinations))
    approx = (np.asarray(table.approximate_nodes, bool)[frow] if table.approximate_nodes is not None
              else np.full(len(frow), table.approximate))
    final = pd.DataFrame(
        {
            "year": np.int16(table.year),
            "seller_country": c.take(node_c[frow]),
            "seller_sector": s.take(node_s[frow]),
            "buyer_country": dest.take(fcol),
            "value_usd_mn": table.F[frow, fcol],
            "approximate": approx,
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
        "icio_countries": pd.DataFrame({"year": np.int16(table.year), "code": list(table.countries), "name": [table.country_names.get(k, k) for k in table.countries], "position": range(N)}),
        "icio_sectors": pd.DataFrame({"year": np.int16(table.year), "code": list(table.sectors), "name": [table.sector_names.get(k, k) for k in table.sectors], "position": range(J)}),
        "trade": trade,
    }
