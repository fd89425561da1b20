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
    allow_host: Annotated[list[str] | None, typer.Option("--allow-host", help="Another host name the server answers to (repeatable), e.g. its DNS name.")] = None,
    allow_origin: Annotated[list[str] | None, typer.Option("--allow-origin", help="Another site whose pages may POST to the API (repeatable), e.g. https://intranet.example.")] = None,
    blocs_file: BlocsFileOpt = None,
) -> None:
    """Serve the JSON API (/api, schema at /openapi.json, docs at /docs) and the dashboard (/).

    The server answers only to its own host names (localhost, 127.0.0.1, ::1, --host and
    --allow-host) and takes POSTs only from its own pages or --allow-origin sites.
    """
    if not 0 < port < 65536:
        raise InputError(f"--port {port} is not a TCP port; use 1-65535, e.g. 8000")
    import uvicorn

    from geohedge.api._state import Limits
    from geohedge.api.app import create_app
    from geohedge.data.paths import store_path

    extra = load_extra_blocs(blocs_file)
    _check_bind(host, port)
    origins = tuple(_origin(o) for o in allow_origin or ())
    hosts = hosts_for(host, tuple(allow_host or ()))
    if host not in ("127.0.0.1", "localhost", "::1"):
        console.print(f"[yellow]note[/] binding to {host}: the API has no authentication; anyone who can reach this address can use it")
    if hosts is None:
        console.print(f"[yellow]note[/] {host} is every address of this machine, so any Host name is accepted; "
                      "name the server's host names with --allow-host to refuse the others")
    console.print(f"geohedge dashboard at http://{'[' + host + ']' if ':' in host else host}:{port}/ (store {store_path()}); Ctrl-C stops")
    uvicorn.run(create_app(extra_blocs=extra, limits=Limits(allowed_hosts=hosts, allowed_origins=origins)), host=host, port=port, log_level="warning")


_WILDCARDS = ("0.0.0.0", "::", "")


def hosts_for(host: str, extra: tuple[str, ...]) -> tuple[str, ...] | None:
    """Host names a server bound to ``host`` answers to (``None``: any, for a wildcard bind without ``extra``)."""
    from geohedge.api._state import Limits

    if host in _WILDCARDS and not extra:
        return None
    base = Limits().allowed_hosts or ()
    return tuple(dict.fromkeys([*base, *([host] if host not in _WILDCARDS else []), *extra]))


def _origin(text: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        raise InputError(f"--allow-origin {text[:80]!r} is not an origin; give scheme and host, e.g. https://intranet.example:8443")
    return f"{parts.scheme}://{parts.netloc}"


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
