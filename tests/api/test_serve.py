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


def test_a_write_never_waits_for_readers_and_readers_keep_their_data(tmp_path):
    """Writes go to a copy that replaces the file: a reader in the middle of a request keeps
    reading the old data, the write does not wait for it, and the next request reads the new."""
    from geohedge.api._state import StoreHandle
    from geohedge.data.store import Store

    path = tmp_path / "geohedge.duckdb"
    with Store(path) as store:
        store.run("CREATE TABLE t (x INTEGER)")
        store.run("INSERT INTO t VALUES (1)")
    handle = StoreHandle(path)
    handle.refresh()
    first = handle.generation
    with handle.read() as old:
        assert old.run("SELECT x FROM t") == [(1,)]
        with handle.write() as store:  # would deadlock if it waited for the reader above
            store.run("UPDATE t SET x = 2")
        assert old.run("SELECT x FROM t") == [(1,)]  # still the file it opened
    assert handle.generation == first + 1
    with handle.read() as new:
        assert new.run("SELECT x FROM t") == [(2,)]
        assert new.read_only
    handle.close()
