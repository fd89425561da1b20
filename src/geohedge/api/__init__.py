"""The web API and dashboard: ``geohedge serve`` (FastAPI + uvicorn), see ``docs/api.md``.

:func:`create_app` builds the app; importing this package loads neither FastAPI nor data.
"""

from __future__ import annotations

__all__ = ["create_app"]


def __getattr__(name: str):
    if name == "create_app":
        from geohedge.api.app import create_app

        return create_app
    raise AttributeError(name)
