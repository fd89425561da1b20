"""``geohedge serve``: the web API and dashboard on localhost (FastAPI + uvicorn)."""

from __future__ import annotations

from typing import Annotated

import typer

from geohedge.cli._common import BlocsFileOpt, console, load_extra_blocs
from geohedge.errors import InputError


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the root app."""
    app.command("serve")(serve_cmd)


def serve_cmd(
    host: Annotated[str, typer.Option(help="Address to bind; the default serves this machine only.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    blocs_file: BlocsFileOpt = None,
) -> None:
    """Serve the JSON API (/api, schema at /openapi.json, docs at /docs) and the dashboard (/)."""
    if not 0 < port < 65536:
        raise InputError(f"--port {port} is not a TCP port; use 1-65535, e.g. 8000")
    import uvicorn

    from geohedge.api.app import create_app
    from geohedge.data.paths import store_path

    extra = load_extra_blocs(blocs_file)
    _check_bind(host, port)
    if host not in ("127.0.0.1", "localhost", "::1"):
        console.print(f"[yellow]note[/] binding to {host}: the API has no authentication; anyone who can reach this address can use it")
    console.print(f"geohedge dashboard at http://{'[' + host + ']' if ':' in host else host}:{port}/ (store {store_path()}); Ctrl-C stops")
    uvicorn.run(create_app(extra_blocs=extra), host=host, port=port, log_level="warning")


def _check_bind(host: str, port: int) -> None:
    """Fail in one line before starting when the address cannot be bound (uvicorn would log
    and exit with code 1 instead).

    Raises
    ------
    InputError
        Unknown host, or the port is in use or not allowed.
    """
    import socket

    try:
        family, kind, proto, _, addr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise InputError(f"--host {host!r} is not an address of this machine ({exc.strerror}); use 127.0.0.1") from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(addr)
        except OSError as exc:
            raise InputError(f"cannot serve on {host}:{port} ({exc.strerror or exc}); choose another --port") from None
