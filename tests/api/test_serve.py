"""``geohedge serve``: defaults to localhost:8000, refuses bad ports in one line, and the
cache behind the API computes each key once under concurrency."""

from __future__ import annotations

import threading
import time

import pytest
import typer
from typer.testing import CliRunner

from geohedge.errors import GeohedgeError


def _run(args: list[str]):
    from geohedge.cli.serve import register

    app = typer.Typer()
    register(app)

    @app.command("noop", hidden=True)
    def _noop() -> None:  # a second command keeps 'serve' a subcommand
        pass

    def main() -> None:  # as geohedge.cli.main: one line, exit code 2
        try:
            app(args, standalone_mode=False)
        except GeohedgeError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise SystemExit(2) from None

    return CliRunner().invoke(typer.Typer(callback=main, invoke_without_command=True), [])


def test_serve_binds_localhost_8000_by_default(monkeypatch):
    import uvicorn

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw, app=app))
    r = _run(["serve"])
    assert r.exit_code == 0, r.output
    assert (seen["host"], seen["port"]) == ("127.0.0.1", 8000)
    assert "openapi" in str(seen["app"].openapi_url)


def test_serve_refuses_a_bad_port(monkeypatch):
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: pytest.fail("must not start"))
    r = _run(["serve", "--port", "70000"])
    assert r.exit_code == 2
    assert r.output.strip().splitlines() == ["error: --port 70000 is not a TCP port; use 1-65535, e.g. 8000"]


def test_serve_refuses_a_port_in_use(monkeypatch):
    import socket

    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: pytest.fail("must not start"))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = _run(["serve", "--port", str(port)])
    assert r.exit_code == 2
    line = r.output.strip()
    assert line.startswith(f"error: cannot serve on 127.0.0.1:{port} (") and line.endswith("choose another --port")


def test_lru_computes_each_key_once_under_concurrency():
    from geohedge.api._state import LRU

    cache, calls = LRU(4), []

    def slow():
        calls.append(1)
        time.sleep(0.05)
        return "value"

    threads = [threading.Thread(target=lambda: cache.get("k", slow)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    for k in range(10):
        cache.get(k, lambda k=k: k)
    assert cache.get("k", lambda: "recomputed") == "recomputed"  # evicted (size 4)


def test_lru_does_not_cache_errors():
    from geohedge.api._state import LRU

    cache = LRU(4)

    def boom():
        raise ValueError("x")

    with pytest.raises(ValueError):
        cache.get("k", boom)
    assert cache.get("k", lambda: 1) == 1


def test_a_write_waits_for_readers_and_readers_wait_for_the_write(tmp_path):
    from geohedge.api._state import StoreHandle
    from geohedge.data.store import Store

    path = tmp_path / "geohedge.duckdb"
    Store(path).close()
    handle = StoreHandle(path)
    order: list[str] = []
    reading = threading.Event()
    release = threading.Event()

    def reader():
        with handle.read() as store:
            store.run("SELECT 1")
            order.append("read")
            reading.set()
            release.wait(5)
        order.append("read done")

    def writer():
        with handle.write() as store:
            order.append("write")
            store.run("CREATE TABLE IF NOT EXISTS t (x INTEGER)")

    r = threading.Thread(target=reader)
    r.start()
    reading.wait(5)
    w = threading.Thread(target=writer)
    w.start()
    w.join(0.2)
    assert w.is_alive()  # blocked behind the reader
    release.set()
    r.join(5)
    w.join(5)
    assert order == ["read", "read done", "write"]
    assert handle.generation == 1
    with handle.read() as store:  # reopened read-only after the write
        assert store.has_table("t")
        assert store.read_only
    handle.close()
