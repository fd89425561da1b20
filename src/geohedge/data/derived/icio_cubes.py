"""Builder: OECD ICIO bilateral cubes 2011-2022 (``../shared/data/icio-cubes/ICIO<year>.mat``).

Writes three files:

``icio_cubes_trade.parquet``
    ``year, exporter, importer, sector, value_usd_mn`` (float32): sales of ``sector`` of
    ``exporter`` to ``importer``, intermediate use plus the six final-demand categories,
    USD million; 81 regions (``ROW`` included), 28 sectors (the 27 goods sectors of the
    ICIO 2025 release and ``SERV``, the services aggregate), domestic cells included, zero
    cells left out.
``icio_cubes_tariffs.parquet``
    ``year, importer, exporter, sector, rate`` (float32, a fraction): applied tariffs of
    Teti's Global Tariff Database, 2011-2021 (the cubes' 2022 file repeats 2021 exactly,
    which the builder checks, so it is not shipped again), zero rates left out.
``icio_cubes_elasticities.csv``
    ``set, paper, sector, epsilon, sigma``: the eight published trade-elasticity sets.

The MATLAB v7.3 files are HDF5; h5py returns MATLAB's column-major arrays reversed, so
``Xjik_3D`` reads as ``[sector, importer, exporter]``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from geohedge.data.derived._write import input_files, shipped, write_csv, write_parquet
from geohedge.data.derived.manifest import ShippedFile

__all__ = ["SERVICES", "YEARS", "build", "read_cube"]

YEARS = tuple(range(2011, 2023))
TARIFF_YEARS = tuple(range(2011, 2022))
#: Code of the cubes' services aggregate (``Services (aggregate)`` in the source).
SERVICES = "SERV"

#: Papers of the eight elasticity sets (the cubes' own ``source`` labels in brackets).
PAPERS = {
    "CP": "Caliendo & Parro (2015), Review of Economic Studies 82(1) [caliendo_parro_2015]",
    "BSY": "Bagwell, Staiger & Yurukoglu (2021), Econometrica 89(4) [bagwell_staiger_yurukoglu_2021]",
    "GYY": "Giri, Yi & Yilmazkuday (2021), Journal of International Economics 130 [giri_yi_yilmazkuday_2021]",
    "Shap": "Shapiro (2016), American Economic Journal: Economic Policy 8(4) [shapiro_2016]",
    "FGO": "Fontagné, Guimbard & Orefice (2022), Journal of International Economics 137 [fontagne_2022]",
    "LL": "Lashkaripour & Lugovskyy (2023), American Economic Review 113(10) [lashkaripour_lugovskyy_2023]",
    "U4": "uniform trade elasticity of 4 [uniform_4]",
    "IS": "in-sample estimates of the cubes' source repository [in_sample]",
}

SOURCE = "OECD Inter-Country Input-Output Database, Extended 2023 edition (bilateral sales by sector incl. final demand)"
TAKEN_FROM = "github.com/ahmadlp/tariffwar@98636984981426dd17be3a9e532973a2995ce601, mat/ICIO<year>.mat (built by +tariffwar/+data/build_cubes_icio.m)"
ATTRIBUTION = ("OECD (2023), Inter-Country Input-Output Database, 2023 edition (CC BY 4.0); "
               "Teti, F. (2024), '30+ Years of Trade Policy: Evidence from 160 Countries', ECARES WP 2024-04 (Global Tariff Database)")


def _text(f, ref) -> str:
    return "".join(map(chr, f[ref][:].ravel()))


def read_cube(path: Path) -> dict:
    """One year's cube: ``countries`` (81), ``sectors`` (28, services as ``SERV``),
    ``X`` and ``t`` as ``[sector, importer, exporter]``, ``sigma`` {set: (epsilon, sigma, source)}."""
    import h5py  # build-time only

    with h5py.File(path, "r") as f:
        d = f["data"]
        countries = [_text(f, r) for r in d["countries"][:].ravel()]
        sectors = [_text(f, r) for r in d["sectors"][:].ravel()]
        sectors = [SERVICES if s.lower().startswith("services") else s for s in sectors]
        sigma = {k: (d["sigma"][k]["epsilon_S"][:].ravel(), d["sigma"][k]["sigma_S"][:].ravel(),
                     "".join(map(chr, d["sigma"][k]["source"][:].ravel()))) for k in d["sigma"]}
        return {"year": int(d["year"][()].ravel()[0]), "countries": countries, "sectors": sectors,
                "X": d["Xjik_3D"][:], "t": d["tjik_3D"][:], "sigma": sigma}


def _long(arr: np.ndarray, year: int, countries, sectors, value: str) -> pd.DataFrame:
    s, n, i = np.nonzero(arr)
    c = np.asarray(countries)
    return pd.DataFrame({
        "year": np.int16(year),
        "exporter": c[i], "importer": c[n], "sector": np.asarray(sectors)[s],
        value: arr[s, n, i].astype(np.float32),
    })


def build(shared: Path, out: Path) -> list[ShippedFile]:
    """Derive the three cube files from ``shared/icio-cubes`` into ``out``."""
    trade, tariffs, sigma, ref = [], [], None, None
    rates = {}
    for year in YEARS:
        cube = read_cube(shared / "icio-cubes" / f"ICIO{year}.mat")
        if cube["year"] != year:
            raise ValueError(f"ICIO{year}.mat holds year {cube['year']}")
        if ref is None:
            ref = (cube["countries"], cube["sectors"])
            sigma = cube["sigma"]
        elif (cube["countries"], cube["sectors"]) != ref:
            raise ValueError(f"ICIO{year}.mat: countries or sectors differ from {YEARS[0]}")
        if (cube["X"] < 0).any() or not np.isfinite(cube["X"]).all():
            raise ValueError(f"ICIO{year}.mat: negative or non-finite sales")
        trade.append(_long(cube["X"], year, *ref, "value_usd_mn"))
        rates[year] = cube["t"]
        if year in TARIFF_YEARS:
            tariffs.append(_long(cube["t"], year, *ref, "rate"))
    if not np.array_equal(rates[2022], rates[2021]):
        raise ValueError("the cubes' 2022 tariffs differ from 2021; ship 2022 too")
    countries, sectors = ref
    inputs = input_files(shared, [f"icio-cubes/ICIO{y}.mat" for y in YEARS])
    meta = dict(release="OECD ICIO Extended 2023 edition, years 2011-2022", taken_from=TAKEN_FROM,
                licence="CC BY 4.0 (OECD); tariffs: Teti (2024) Global Tariff Database, attribution required",
                attribution=ATTRIBUTION, builder=__name__, inputs=inputs)
    files = []
    t = pd.concat(trade, ignore_index=True).sort_values(["year", "exporter", "importer", "sector"], ignore_index=True)
    files.append(shipped(write_parquet(t, out / "icio_cubes_trade.parquet"), dataset="icio_cubes", source=SOURCE,
                         note=f"{len(countries)} regions incl. ROW, {len(sectors)} sectors ({SERVICES} = services aggregate), USD million, float32", **meta))
    r = pd.concat(tariffs, ignore_index=True).sort_values(["year", "importer", "exporter", "sector"], ignore_index=True)
    files.append(shipped(write_parquet(r, out / "icio_cubes_tariffs.parquet"), dataset="icio_cubes",
                         source="Applied bilateral tariffs, Teti's Global Tariff Database, as aggregated in the ICIO cubes",
                         note="2011-2021; the cubes' 2022 file repeats 2021 (checked)", **meta))
    rows = []
    for key in sorted(sigma):
        eps, sig, label = sigma[key]
        for s, e, g in zip(sectors, eps, sig, strict=True):
            rows.append({"set": key, "paper": PAPERS.get(key, label), "sector": s, "epsilon": float(e), "sigma": float(g)})
    files.append(shipped(write_csv(pd.DataFrame(rows), out / "icio_cubes_elasticities.csv"), dataset="icio_cubes",
                         source="Eight published sets of sector trade elasticities, as compiled in the ICIO cubes",
                         note="epsilon = trade elasticity (theta of Caliendo-Parro), sigma = epsilon + 1", **meta))
    return files
