"""A disk cache for arrays derived from one ICIO year of the store.

Derived arrays (the value-chain model, the calibrated shock baseline) take seconds to
compute and are small, so they are saved as ``.npz`` under ``<cache>/<kind>/``, named by a
key built from the store file, the ICIO year and the provenance of that year's load
(source, sha256, load time): re-importing the table changes the key. Writes are atomic
(temporary file, then rename) and replace the older files of that kind and year; a file
that cannot be read is deleted and rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import numpy as np

from geohedge.data.paths import cache_dir
from geohedge.data.store import Store

__all__ = ["cache_path", "read_arrays", "write_arrays"]


def cache_path(store: Store, kind: str, year: int, version: str = "1") -> Path:
    """``<cache>/<kind>/<kind>-<year>-<key>.npz`` for this store's ICIO ``year``."""
    prov = store.run(
        "SELECT string_agg(table_name || '|' || coalesce(sha256, '') || '|' || CAST(loaded_at AS VARCHAR), ';' ORDER BY table_name) "
        "FROM provenance WHERE table_name IN ('icio_flows', 'icio_final', 'icio_nodes') AND scope = ?",
        [f"year={year}"],
    )[0][0]
    key = hashlib.sha256(f"{version}|{Path(store.path).resolve()}|{year}|{prov}".encode()).hexdigest()[:24]
    return cache_dir() / kind / f"{kind}-{year}-{key}.npz"


def read_arrays(path: Path) -> dict[str, np.ndarray] | None:
    """The arrays saved at ``path``, or ``None`` when absent or unreadable (then deleted)."""
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            return {k: z[k] for k in z.files}
    except (OSError, ValueError, KeyError, EOFError):
        path.unlink(missing_ok=True)
        return None


def write_arrays(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Save ``arrays`` at ``path`` atomically, removing older files of the same kind and year."""
    path.parent.mkdir(parents=True, exist_ok=True)
    stem = path.name.rsplit("-", 1)[0]
    for old in path.parent.glob(f"{stem}-*.npz"):
        old.unlink(missing_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
    os.close(fd)
    try:
        with open(tmp, "wb") as fh:
            np.savez(fh, **arrays)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
