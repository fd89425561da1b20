"""API load test and brief timing, on loopback only, bounded in count and time.

Run from the checkout with a built store (``geohedge data build``; ``GEOHEDGE_HOME`` is
respected)::

    python benchmarks/bench_api.py [--clients 20] [--requests 50] [--seconds 60] [--skip-pdf]

What it does, each part in a second process on 127.0.0.1:

1. starts ``uvicorn`` with the geohedge app (default limits: response cache on) on a free
   port; warms it up (every query once); then ``--clients`` concurrent clients (asyncio +
   httpx, one connection each) send ``--requests`` exposure requests each, cycling over
   8 countries x 2 channels x 2 views; prints throughput and latency percentiles
   (target: p95 <= 100 ms, no errors);
2. the same load against a server with the cache off (every request recomputes);
3. the peer: the same query through the CLI, ``geohedge exposure MYS --format json``, as
   one subprocess per request, sequentially; prints the ratio to the API's p50;
4. ``geohedge brief MYS --pdf`` end to end, twice (the first run may fill the model
   caches), target <= 30 s.

Nothing is asserted; tests never depend on these timings. Every step has a time cap.
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
import time
from pathlib import Path

import httpx

COUNTRIES = ("MYS", "TUR", "IDN", "VNM", "THA", "KOR", "MEX", "BRA")
VIEWS = [(c, ch, by) for c in COUNTRIES for ch in ("trade", "value-added") for by in ("partner", "bloc")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(cache: bool) -> tuple[subprocess.Popen, str]:
    """uvicorn with the app in a child process; returns it and its base URL once it answers."""
    port = _free_port()
    code = (
        "import uvicorn\n"
        "from geohedge.api.app import create_app\n"
        "from geohedge.api._state import Limits\n"
        f"uvicorn.run(create_app(limits=Limits(cache_size={256 if cache else 0})), host='127.0.0.1', port={port}, log_level='warning')\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(url + "/api/status", timeout=5).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not answer within 60 s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _path(view: tuple[str, str, str]) -> str:
    c, ch, by = view
    return f"/api/exposure/{c}?channel={ch}&by={by}"


async def load(url: str, clients: int, requests: int, seconds: float) -> tuple[list[float], int, int, float]:
    """``clients`` concurrent clients, ``requests`` each; returns latencies (s), errors, done, wall time."""
    latencies: list[float] = []
    errors = 0
    stop_at = time.monotonic() + seconds

    async def client(k: int) -> None:
        nonlocal errors
        async with httpx.AsyncClient(base_url=url, timeout=30, limits=httpx.Limits(max_connections=1)) as c:
            for i in range(requests):
                if time.monotonic() > stop_at:
                    return
                t = time.perf_counter()
                try:
                    r = await c.get(_path(VIEWS[(k * 7 + i) % len(VIEWS)]))
                    ok = r.status_code == 200 and r.json()["rows"]
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - t)
                errors += not ok

    t0 = time.perf_counter()
    await asyncio.gather(*(client(k) for k in range(clients)))
    return latencies, errors, len(latencies), time.perf_counter() - t0


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def report(label: str, lat: list[float], errors: int, done: int, wall: float) -> float:
    ms = [x * 1000 for x in lat]
    p50, p95, p99 = pct(ms, 50), pct(ms, 95), pct(ms, 99)
    print(f"{label}: {done} requests in {wall:.2f} s = {done / wall:,.0f} req/s; latency ms p50 {p50:.1f}, p95 {p95:.1f}, "
          f"p99 {p99:.1f}, max {max(ms):.1f}; errors {errors}")
    return p50


def run_load(cache: bool, clients: int, requests: int, seconds: float) -> tuple[float, float]:
    proc, url = start_server(cache)
    try:
        t = time.perf_counter()
        with httpx.Client(base_url=url, timeout=120) as c:
            for v in VIEWS:  # warm-up: every query once (value-chain model, caches)
                c.get(_path(v)).raise_for_status()
        print(f"  warm-up ({len(VIEWS)} queries, {'cache on' if cache else 'cache off'}): {time.perf_counter() - t:.1f} s")
        lat, errors, done, wall = asyncio.run(load(url, clients, requests, seconds))
        p50 = report(f"  {clients} clients x {requests} requests, cache {'on' if cache else 'off'}", lat, errors, done, wall)
        return p50, pct([x * 1000 for x in lat], 95)
    finally:
        stop(proc)


def cli_peer(runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "geohedge", "exposure", "MYS", "--format", "json"], capture_output=True, timeout=120, check=False)
        times.append(time.perf_counter() - t)
        if done.returncode != 0:
            raise SystemExit(done.stderr.decode()[-1000:])
    med = statistics.median(times) * 1000
    print(f"  peer: 'geohedge exposure MYS --format json', one subprocess per request, {runs} runs: median {med:.0f} ms")
    return med


def brief_pdf(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(runs):
            t = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "geohedge", "brief", "MYS", "--pdf", "--out", tmp], capture_output=True, timeout=300, check=False)
            took = time.perf_counter() - t
            if done.returncode != 0:
                raise SystemExit(done.stderr.decode()[-1000:])
            size = (Path(tmp) / "geohedge-brief-MYS.pdf").stat().st_size / 1024
            print(f"  run {k + 1}: {took:.1f} s (target <= 30 s), PDF {size:,.0f} KB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=50, help="requests per client")
    ap.add_argument("--seconds", type=float, default=60.0, help="time cap of each load run")
    ap.add_argument("--peer-runs", type=int, default=5)
    ap.add_argument("--skip-pdf", action="store_true")
    args = ap.parse_args()
    print(f"geohedge API benchmark on {os.cpu_count()} cores; store in {os.environ.get('GEOHEDGE_HOME', 'the user data folder')}")
    print("1. exposure endpoint, response cache on (the default)")
    p50_cached, p95_cached = run_load(True, args.clients, args.requests, args.seconds)
    print("2. exposure endpoint, response cache off (every request recomputed)")
    p50_raw, _ = run_load(False, args.clients, max(1, args.requests // 5), args.seconds)
    print("3. peer: the CLI as a subprocess per request")
    peer = cli_peer(args.peer_runs)
    print(f"  ratio peer / API p50: {peer / p50_cached:,.0f}x (cache on), {peer / p50_raw:,.1f}x (cache off, under {args.clients}-way load)")
    print(f"  p95 {p95_cached:.1f} ms with the cache on: {'meets' if p95_cached <= 100 else 'MISSES'} the 100 ms target")
    if not args.skip_pdf:
        print("4. geohedge brief MYS --pdf, end to end")
        brief_pdf(2)


if __name__ == "__main__":
    main()
