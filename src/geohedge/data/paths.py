"""Where geohedge keeps its store and caches.

``GEOHEDGE_HOME`` overrides everything (tests always set it); otherwise the platform's
user data directory (``platformdirs``). Nothing here creates a folder: writers do that
when they first write.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

__all__ = ["cache_dir", "home", "store_path"]


def home() -> Path:
    """The geohedge home folder: ``$GEOHEDGE_HOME`` or the platform user-data folder."""
    env = os.environ.get("GEOHEDGE_HOME")
    if env:
        return Path(env).expanduser()
    return platformdirs.user_data_path("geohedge", appauthor=False)


def store_path() -> Path:
    """Path of the DuckDB store file."""
    return home() / "geohedge.duckdb"


def cache_dir() -> Path:
    """Download cache (wheels, official releases): ``$GEOHEDGE_CACHE`` or ``<home>/cache``."""
    env = os.environ.get("GEOHEDGE_CACHE")
    if env:
        return Path(env).expanduser()
    return home() / "cache"
