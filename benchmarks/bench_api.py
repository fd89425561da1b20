"""API load test, scenario isolation and peak memory, on loopback only, bounded in time.

Run from the checkout with a built store (``geohedge data build`` and the UN votes;
``GEOHEDGE_HOME`` is respected)::

    python benchmarks/bench_api.py [--clients 10] [--seconds 30] [--skip-brief]

Each part starts ``uvicorn`` with the geohedge app in a second process on 127.0.0.1:

1. **uncached mix**: the response caches off (``Limits(cache_size=0)``; the per-store model
   results - calibrated baseline, UN vote agreement scores, partner rankings - stay cached
   and are warmed first), ``--clients`` clients for ``--seconds`` cycling over the
   dashboard's requests for 8 countries (exposure by partner and bloc for trade and value
   added, the exposure trend, the country, its partners, its alignment, status, a bloc).
   Target p95 <= 500 ms.
2. **cached mix**: the same with the response caches on, after every query once. Target
   p95 <= 50 ms.
3. **cheap endpoint while ten slow scenarios run**: ten clients post a slow scenario
   (tariffs of 60 pp between the G20 and China with a uniform trade elasticity of 25,
   about 560 solver iterations) at the same time, while one client polls
   ``/api/blocs/ASEAN`` and another runs the built-in ``mys-tur-agreement``. Targets:
   the cheap endpoint p95 <= 100 ms; the built-in run not stuck behind the slow ones.
4. **peak memory**: the peak resident memory of the ``serve`` process over parts 1-3
   (and the proportional memory of it and its scenario processes together, sampled every
   0.2 s), and of
   ``geohedge brief MYS`` on a first run (empty model caches) and a second.

The peer in each part is the same work done the way it was before issue 13 (numbers in
``docs/api.md``). Nothing is asserted; tests never depend on these timings.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

COUNTRIES = ("MYS", "TUR", "IDN", "VNM", "THA", "KOR", "MEX", "BRA")
MIX = [p for c in COUNTRIES for p in (
    f"/api/exposure/{c}?channel=trade&by=partner", f"/api/exposure/{c}?channel=trade&by=bloc",
    f"/api/exposure/{c}?channel=value-added&by=partner", f"/api/exposure/{c}?channel=value-added&by=bloc",
    f"/api/exposure/{c}?by=year", f"/api/countries/{c}", f"/api/partners/{c}", f"/api/alignment/{c}",
)] + ["/api/status", "/api/blocs/ASEAN"]

SLOW_SCENARIO = """name = "g20-china-tariffs-bench"
[elasticities]
kind = "uniform"
value = 25
[[shocks]]
type = "tariff"
importers = ["G20"]
exporters = ["CHN"]
value = 60
both_ways = true
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(cache: bool) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    code = (
        "import uvicorn\n"
        "from geohedge.api.app import create_app\n"
        "from geohedge.api._state import Limits\n"
        "if __name__ == '__main__':\n"
        f"    uvicorn.run(create_app(limits=Limits(cache_size={256 if cache else 0})), host='127.0.0.1', port={port}, log_level='warning')\n"
    )
    script = Path(tempfile.mkdtemp()) / "serve_bench.py"
    script.write_text(code)
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(url + "/api/status", timeout=30).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not answer within 120 s")


def _rss_kb(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process in kB, (0, 0) when gone."""
    try:
        fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    except OSError:
        return 0, 0
    return int(fields.get("VmRSS", "0 kB").split()[0]), int(fields.get("VmHWM", "0 kB").split()[0])


def _pss_kb(pid: int) -> int:
    """Proportional set size in kB: shared pages split between the processes sharing them."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


class Memory:
    """Samples the server's peak resident memory, and the proportional memory (PSS) of it and
    its scenario processes together, every 0.2 s."""

    def __init__(self, pid: int):
        self.pid, self.main_peak, self.tree_peak, self._stop = pid, 0, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            rss, hwm = _rss_kb(self.pid)
            self.main_peak = max(self.main_peak, hwm)
            self.tree_peak = max(self.tree_peak, _pss_kb(self.pid) + sum(_pss_kb(c) for c in _descendants(self.pid)))
            self._stop.wait(0.2)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def _line(label: str, lat: list[float], errors: int, wall: float) -> float:
    ms = [x * 1000 for x in lat]
    p95 = pct(ms, 95)
    print(f"  {label}: {len(ms)} requests in {wall:.1f} s = {len(ms) / wall:,.1f} req/s; ms p50 {pct(ms, 50):.0f}, "
          f"p95 {p95:.0f}, p99 {pct(ms, 99):.0f}, max {max(ms):.0f}; errors {errors}")
    return p95


async def mix_load(url: str, clients: int, seconds: float) -> tuple[dict[str, list[float]], int, float]:
    by_kind: dict[str, list[float]] = {}
    errors = 0
    stop_at = time.monotonic() + seconds

    async def client(k: int) -> None:
        nonlocal errors
        async with httpx.AsyncClient(base_url=url, timeout=120, limits=httpx.Limits(max_connections=1)) as c:
            i = 0
            while time.monotonic() < stop_at:
                path = MIX[(k * 7 + i) % len(MIX)]
                i += 1
                t = time.perf_counter()
                try:
                    ok = (await c.get(path)).status_code == 200
                except httpx.HTTPError:
                    ok = False
                by_kind.setdefault(path.split("/")[2] + ("?" + path.split("?")[1] if "?" in path else ""), []).append(time.perf_counter() - t)
                errors += not ok

    t0 = time.perf_counter()
    await asyncio.gather(*(client(k) for k in range(clients)))
    return by_kind, errors, time.perf_counter() - t0


def run_mix(cache: bool, clients: int, seconds: float) -> tuple[float, Memory]:
    proc, url = start_server(cache)
    mem = Memory(proc.pid)
    try:
        t = time.perf_counter()
        with httpx.Client(base_url=url, timeout=300) as c:
            for path in MIX:  # warm-up: every query once (model caches; response caches when on)
                c.get(path).raise_for_status()
        print(f"  warm-up ({len(MIX)} queries): {time.perf_counter() - t:.1f} s")
        by_kind, errors, wall = asyncio.run(mix_load(url, clients, seconds))
        every = [x for v in by_kind.values() for x in v]
        p95 = _line(f"{clients} clients, {seconds:g} s, cache {'on' if cache else 'off'}", every, errors, wall)
        worst = sorted(((pct([x * 1000 for x in v], 95), k, len(v)) for k, v in by_kind.items()), reverse=True)[:4]
        print("    slowest kinds by p95: " + "; ".join(f"{k} {p:.0f} ms (n={n})" for p, k, n in worst))
        return p95, mem
    finally:
        mem.stop()
        stop(proc)


def run_isolation(seconds: float) -> Memory:
    proc, url = start_server(True)
    mem = Memory(proc.pid)
    try:
        with httpx.Client(base_url=url, timeout=300) as c:  # warm: baseline, fork server, the cheap endpoint
            c.post("/api/scenarios/mys-tur-agreement/run").raise_for_status()
            c.get("/api/blocs/ASEAN").raise_for_status()

        async def go():
            slow_done: list[tuple[float, int]] = []
            cheap: list[float] = []
            builtin: list[float] = []
            t0 = time.perf_counter()

            async def slow(k: int) -> None:
                async with httpx.AsyncClient(base_url=url, timeout=120) as c:
                    r = await c.post("/api/scenarios/run", content=SLOW_SCENARIO, headers={"Content-Type": "application/toml"})
                    slow_done.append((time.perf_counter() - t0, r.status_code))

            async def poll() -> None:
                async with httpx.AsyncClient(base_url=url, timeout=60) as c:
                    while len(slow_done) < 10:
                        t = time.perf_counter()
                        await c.get("/api/blocs/ASEAN")
                        cheap.append(time.perf_counter() - t)
                        await asyncio.sleep(0.05)

            async def short() -> None:
                await asyncio.sleep(1.0)  # once the slow runs are going
                async with httpx.AsyncClient(base_url=url, timeout=120) as c:
                    for _ in range(3):
                        t = time.perf_counter()
                        r = await c.post("/api/scenarios/mys-tur-agreement/run?focus=MYS")
                        builtin.append(time.perf_counter() - t)
                        assert r.status_code == 200, r.text

            await asyncio.gather(*(slow(k) for k in range(10)), poll(), short())
            return slow_done, cheap, builtin

        slow_done, cheap, builtin = asyncio.run(asyncio.wait_for(go(), timeout=seconds * 4))
        codes = sorted({c for _, c in slow_done})
        print(f"  ten slow scenarios: finished at {', '.join(f'{t:.1f}' for t, _ in sorted(slow_done))} s; status {codes}")
        _line("cheap endpoint /api/blocs/ASEAN polled meanwhile", cheap, 0, sum(cheap) or 1)
        print(f"  built-in mys-tur-agreement sent alongside: {', '.join(f'{x:.2f}' for x in builtin)} s")
        return mem
    finally:
        mem.stop()
        stop(proc)


def cli_peer(runs: int) -> float:
    """The peer of part 1: the same query through the CLI, a process per request."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "geohedge", "exposure", "MYS", "--format", "json"], capture_output=True, timeout=300, check=False)
        times.append(time.perf_counter() - t)
        if done.returncode != 0:
            raise SystemExit(done.stderr.decode()[-1000:])
    return statistics.median(times) * 1000


def fifo_peer() -> float:
    """The peer of part 3: the old design ran scenarios one at a time in one worker, so a
    built-in run sent after ten slow ones waited for all ten; one slow solve, timed here in
    this process, times ten is that wait."""
    from geohedge.data.store import Store
    from geohedge.shocks.model import solve
    from geohedge.shocks.scenario import parse_scenario
    from geohedge.views.baseline import query_baseline

    with Store(read_only=True) as store:
        base = query_baseline(store)
    t = time.perf_counter()
    solve(base, parse_scenario(SLOW_SCENARIO))
    return time.perf_counter() - t


def brief_memory() -> None:
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "GEOHEDGE_CACHE": cache}
        for k in range(2):
            t = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-m", "geohedge", "brief", "MYS", "--out", tmp], env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            _, status, usage = os.wait4(proc.pid, 0)
            took = time.perf_counter() - t
            if status != 0:
                raise SystemExit(proc.stderr.read().decode()[-1000:])
            print(f"  brief MYS run {k + 1} ({'empty model caches' if k == 0 else 'caches filled'}): {took:.1f} s, "
                  f"peak RSS {usage.ru_maxrss / 1024:,.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=10)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--skip-brief", action="store_true")
    args = ap.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"geohedge API benchmark on {os.cpu_count()} cores (load average {load:.1f} at start); "
          f"store in {os.environ.get('GEOHEDGE_HOME', 'the user data folder')}")
    print("1. uncached mix (response caches off, model results warm)")
    p95_raw, m1 = run_mix(False, args.clients, args.seconds)
    print(f"  p95 {p95_raw:.0f} ms: {'meets' if p95_raw <= 500 else 'MISSES'} the 500 ms target")
    peer = cli_peer(3)
    print(f"  peer: 'geohedge exposure MYS --format json', a process per request: median {peer:.0f} ms "
          f"({peer / p95_raw:.1f}x the API's p95 under {args.clients}-way load)")
    print("2. cached mix")
    p95_cached, m2 = run_mix(True, args.clients, args.seconds)
    print(f"  p95 {p95_cached:.0f} ms: {'meets' if p95_cached <= 50 else 'MISSES'} the 50 ms target")
    print("3. cheap endpoint and a built-in run while ten slow scenarios run")
    m3 = run_isolation(args.seconds)
    one = fifo_peer()
    print(f"  peer: one worker, first come first served (the design before): one slow solve takes {one:.1f} s here, "
          f"so the built-in run would have waited about {10 * one:.0f} s")
    print("4. peak memory")
    for label, m in (("uncached mix", m1), ("cached mix", m2), ("scenarios", m3)):
        print(f"  serve during the {label}: process peak {m.main_peak / 1024:,.0f} MB; "
              f"with its scenario processes (PSS, shared pages counted once) {m.tree_peak / 1024:,.0f} MB")
    if not args.skip_brief:
        brief_memory()


if __name__ == "__main__":
    main()
