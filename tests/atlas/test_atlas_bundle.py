"""The atlas on the real ICIO 2022 table: the small atlas of CI, what it stores, resuming,
serial = distributed, the CLI's errors and tables, the API and the brief."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import pandas as pd
import pytest

from geohedge.data.store import Store
from geohedge.shocks.atlas import AtlasConfig
from geohedge.views.atlas import plan_atlas, query_atlas, query_placement, run_atlas

from tests.api.conftest import LOCAL

from .conftest import DRAWS, FAMILIES, TARGETS, copy_home

pytestmark = [pytest.mark.bundle, pytest.mark.slow]

RESULTS = ["key", "target", "family", "imposer", "status", "message", "scenario", "welfare_point", "welfare_median",
           "welfare_p05", "welfare_p95", "exports_base_usd_mn", "exports_change_usd_mn_median", "exports_change_usd_mn_p05",
           "exports_change_usd_mn_p95", "exports_change_median", "diversion_1_partner", "diversion_1_usd_mn",
           "diversion_2_partner", "diversion_2_usd_mn", "diversion_3_partner", "diversion_3_usd_mn", "draws", "draws_failed",
           "iterations_median", "iterations_max", "step_residual_max", "equilibrium_residual", "solves"]


def stored(home) -> pd.DataFrame:
    with Store(home / "geohedge.duckdb", read_only=True) as s:
        return s.query("SELECT * FROM atlas ORDER BY key")


def test_small_atlas(atlas_home):
    home, plan, result = atlas_home
    assert len(plan.pieces) == len(TARGETS) * len(FAMILIES) and not plan.skipped
    assert (result.computed, result.reused, result.failed, result.solves) == (10, 0, 0, 10 * (DRAWS + 1))
    rows = stored(home)
    assert len(rows) == 10 and rows["key"].is_unique and (rows["status"] == "ok").all()
    assert (rows["draws"] == DRAWS).all()
    assert (rows["welfare_p05"] <= rows["welfare_median"]).all() and (rows["welfare_median"] <= rows["welfare_p95"]).all()
    # a US tariff lowers every target's real income and exports, and nothing is diverted to the USA
    assert (rows["welfare_median"] < 0).all() and (rows["exports_change_usd_mn_median"] < 0).all()
    assert not rows[["diversion_1_partner", "diversion_2_partner", "diversion_3_partner"]].isin(["USA"]).any().any()
    # the April 2025 family takes each target's rate from the built-in scenario of the 2 April 2025
    # tariffs: MYS at 24 pp, alone, as the built-in one-country scenario
    mys = rows[(rows["target"] == "MYS") & (rows["family"] == "us-reciprocal-2025-04")].iloc[0]
    assert json.loads(mys["scenario"])["shocks"][0]["value"] == pytest.approx(24.0)
    from geohedge.shocks.model import solve
    from geohedge.shocks.scenario import builtin_scenario

    point = solve(plan.baseline, builtin_scenario("us-tariff-mys-24")).to_frame().set_index("country").loc["MYS", "welfare_change"]
    assert mys["welfare_point"] == pytest.approx(point, abs=1e-9)
    # provenance of the run: data version, families with their rates, seed, draws
    with Store(home / "geohedge.duckdb", read_only=True) as s:
        prov = s.query("SELECT * FROM provenance WHERE dataset = 'atlas'")
    assert len(prov) == 1 and prov["rows"].iloc[0] == 10 and prov["sha256"].iloc[0] == plan.run
    note = json.loads(prov["note"].iloc[0])
    assert note["config"]["seed"] == 7 and note["config"]["draws"] == DRAWS and note["data_version"] == plan.data_version
    sched = next(f for f in note["families"] if f["name"] == "us-reciprocal-2025-04")
    assert sched["rates"]["VNM"] == pytest.approx(46.0) and sched["rates"]["CHN"] == pytest.approx(54.0)


def test_view_ranks_and_placement(atlas_home):
    home, plan, _ = atlas_home
    with Store(home / "geohedge.duckdb", read_only=True) as s:
        view = query_atlas(s)
        place = query_placement(s, "MYS")
        assert query_placement(s, "USA") is None
    assert view.run == plan.run and view.families == FAMILIES
    for fam in FAMILIES:
        part = view.frame[view.frame["family"] == fam].sort_values("rank")
        assert list(part["rank"]) == [1, 2, 3, 4, 5] and part["welfare_median"].is_monotonic_increasing
    assert list(place["family"]) == list(FAMILIES) and (place["of"] == 5).all()
    assert view.heat().shape == (5, 2)


def test_running_again_reuses_every_piece(atlas_home):
    home, plan, _ = atlas_home
    before = stored(home)
    again = run_atlas(plan, serial=True)
    assert (again.reused, again.computed) == (10, 0)
    pd.testing.assert_frame_equal(stored(home), before)


def test_serial_and_distributed_store_identical_results(atlas_home, tmp_path):
    home, plan, _ = atlas_home
    part = dataclasses.replace(plan, pieces=plan.pieces[:4], store_path=tmp_path / "geohedge.duckdb")
    r = run_atlas(part, workers=2)
    assert r.mode == "local" and r.workers == 2 and r.computed == 4
    serial = stored(home)
    serial = serial[serial["key"].isin([p.key for p in part.pieces])].reset_index(drop=True)[RESULTS]
    dist = stored(tmp_path)[RESULTS]
    pd.testing.assert_frame_equal(dist, serial, check_exact=True)


def test_kill_and_resume(bundle_home, tmp_path):
    """SIGKILL the client of a LocalCluster run mid-way; the rerun solves only what is missing."""
    import os
    import signal
    import time

    home = copy_home(bundle_home, tmp_path / "home")
    db = home / "geohedge.duckdb"
    with Store(db, read_only=True) as s:
        trade = s.run("SELECT count(*) FROM trade")[0][0]
    targets = "MYS,VNM,MEX,DEU,KOR,JPN,IND,BRA"
    env = {**os.environ, "GEOHEDGE_HOME": str(home)}
    env.pop("GEOHEDGE_CACHE", None)
    proc = subprocess.Popen([sys.executable, "-m", "geohedge", "atlas", "--targets", targets, "--shocks", "usa-tariff-25",
                             "--draws", "3", "--workers", "1", "--solves-per-task", "1"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    done = 0
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
            try:
                with Store(db, read_only=True) as s:
                    done = s.run("SELECT count(*) FROM atlas")[0][0]
            except Exception:  # the run holds the store while it writes a piece
                continue
            if done >= 2:
                break
        assert proc.poll() is None, f"the run ended before it could be killed: {proc.stderr.read().decode()[-500:]}"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
        time.sleep(2)
        try:  # the local cluster's workers go with their parent; clear any that did not
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    with Store(db, read_only=True) as s:  # the store opens and every other table is intact
        assert s.run("SELECT count(*) FROM trade")[0][0] == trade
        first = s.query("SELECT key, computed_at FROM atlas ORDER BY key")
    assert 2 <= len(first) < 8 and first["key"].is_unique
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GEOHEDGE_HOME", str(home))
        with Store(db, read_only=True) as s:
            plan = plan_atlas(s, targets.split(","), ["usa-tariff-25"], AtlasConfig(draws=3))
        r = run_atlas(plan, serial=True)
    assert (r.reused, r.computed) == (len(first), 8 - len(first))
    after = stored(home)
    assert len(after) == 8 and after["key"].is_unique and (after["status"] == "ok").all()
    kept = after.set_index("key").loc[first["key"], "computed_at"]
    assert list(kept) == list(first["computed_at"])  # finished pieces were not redone


def cli(home, *args, timeout=300):
    import os

    env = {**os.environ, "GEOHEDGE_HOME": str(home)}
    env.pop("GEOHEDGE_CACHE", None)
    done = subprocess.run([sys.executable, "-m", "geohedge", *args], env=env, capture_output=True, text=True, timeout=timeout)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--targets", "MYS,Narnia"], "error: unknown country 'Narnia'"),
    (["--targets", "KEN"], "error: target KEN (Kenya) is not a separate region of the ICIO 2022 table"),
    (["--shocks", "usa-tariff-25,usa-blockade"], "error: unknown shock family 'usa-blockade'"),
    (["--draws", "0"], "error: --draws must be a whole number of at least 1"),
    (["--scheduler", "localhost"], "error: --scheduler 'localhost' is not a scheduler address"),
    (["--scheduler", "tcp://127.0.0.1:9"], "error: cannot reach the Dask scheduler at tcp://127.0.0.1:9 within 5 s"),
    (["--scheduler", "tcp://10.255.255.1:8786"], "error: cannot reach the Dask scheduler at tcp://10.255.255.1:8786 within 5 s"),
])
def test_bad_input_is_one_line_before_any_work(atlas_home, args, message):
    home, _, _ = atlas_home
    before = stored(home)
    code, out, err = cli(home, "atlas", "--targets", "MYS", *args, timeout=120)
    assert code == 2, err
    assert err.strip().splitlines()[-1].startswith(message), err
    assert "Traceback" not in err and len([ln for ln in err.splitlines() if ln.startswith("error:")]) == 1
    pd.testing.assert_frame_equal(stored(home), before)


def test_show_ranks_and_exports(atlas_home, tmp_path):
    home, plan, _ = atlas_home
    code, out, err = cli(home, "atlas", "show", "--shocks", "us-reciprocal-2025-04", "--top", "3")
    assert code == 0, err
    assert "us-reciprocal-2025-04" in out and "most exposed first" in out and "Vietnam" in out
    code, out, err = cli(home, "atlas", "show", "--format", "parquet", "--out", str(tmp_path / "atlas.parquet"))
    assert code == 0, err
    frame = pd.read_parquet(tmp_path / "atlas.parquet")
    assert len(frame) == 10 and {"rank", "of", "welfare_median", "diversion_1_partner"} <= set(frame.columns)
    code, out, err = cli(home, "atlas", "show", "--shocks", "chn-embargo")
    assert code == 2 and err.startswith("error: shock family 'chn-embargo' is not in atlas run")
    code, out, err = cli(home, "atlas", "--draws", "3", "show")
    assert code == 2 and err.startswith("error: --draws belongs to 'geohedge atlas' itself")


def test_api_serves_the_atlas(atlas_home):
    from fastapi.testclient import TestClient

    from geohedge.api import create_app

    home, plan, _ = atlas_home
    with TestClient(create_app(home / "geohedge.duckdb"), base_url=LOCAL) as c:
        r = c.get("/api/atlas")
        assert r.status_code == 200
        body = r.json()
        assert body["run"] == plan.run and [f["name"] for f in body["families"]] == list(FAMILIES)
        assert len(body["rows"]) == 10 and body["draws"] == DRAWS
        r = c.get("/api/atlas", params={"family": "usa-tariff-25", "top": 2})
        assert [row["rank"] for row in r.json()["rows"]] == [1, 2]
        r = c.get("/api/atlas", params={"family": "nope"})
        assert r.status_code == 400 and r.json()["error"].startswith("shock family 'nope' is not in atlas run")
        r = c.get("/api/atlas/Malaysia")
        assert r.status_code == 200 and {row["family"] for row in r.json()["rows"]} == set(FAMILIES)
        assert c.get("/api/atlas/KEN").status_code == 400


def test_api_without_an_atlas(bundle_home):
    from fastapi.testclient import TestClient

    from geohedge.api import create_app

    with TestClient(create_app(bundle_home / "geohedge.duckdb"), base_url=LOCAL) as c:
        r = c.get("/api/atlas")
    assert r.status_code == 400 and r.json()["error"].startswith("no atlas in the store; run 'geohedge atlas' first")


def test_brief_places_the_country_in_the_atlas(atlas_home, monkeypatch):
    from geohedge.report.sections import stress

    home, _, _ = atlas_home
    monkeypatch.setenv("GEOHEDGE_HOME", str(home))
    with Store(home / "geohedge.duckdb", read_only=True) as s:
        sec = stress.build(s, "VNM")
    block = next(t for t in sec.tables if "vulnerability atlas" in t.caption)
    assert list(block.frame["family"]) == list(FAMILIES) and (block.frame["of"] == 5).all()
    assert any(h.label.startswith("Atlas: rank against") for h in sec.headlines)
    assert any("VNM ranks" in t for t in sec.text)


def test_an_existing_scheduler_by_address(atlas_home, tmp_path):
    from dask.distributed import LocalCluster

    home, plan, _ = atlas_home
    part = dataclasses.replace(plan, pieces=plan.pieces[-2:], store_path=tmp_path / "geohedge.duckdb")
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0") as cluster:
        r = run_atlas(part, scheduler=cluster.scheduler_address)
    assert (r.mode, r.workers, r.computed) == ("remote", 1, 2)
    serial = stored(home)
    serial = serial[serial["key"].isin([p.key for p in part.pieces])].reset_index(drop=True)[RESULTS]
    pd.testing.assert_frame_equal(stored(tmp_path)[RESULTS], serial, check_exact=True)
