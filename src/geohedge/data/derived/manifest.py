"""The manifest of shipped derived files: what each file is, where it came from, its hash.

``manifest.json`` (in ``geohedge/_data/derived/``)::

    {"files": [{"file": "icio_cubes_trade.parquet", "dataset": "icio_cubes",
                "sha256": "...", "bytes": 6866185,
                "source": "OECD Inter-Country Input-Output Database, Extended 2023 edition",
                "release": "...", "taken_from": "github.com/ahmadlp/tariffwar@9863698..., mat/",
                "inputs": [{"path": "icio-cubes/ICIO2011.mat", "sha256": "..."}, ...],
                "licence": "CC BY 4.0", "attribution": "OECD (2023), ...",
                "builder": "geohedge.data.derived.icio_cubes", "note": "..."}, ...]}

``inputs[].path`` is relative to ``../shared/data``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path

from geohedge.data.sources._common import file_sha256
from geohedge.errors import DataError

__all__ = ["MANIFEST_NAME", "InputFile", "Manifest", "ShippedFile", "read_manifest", "shipped_dir", "verify_shipped", "write_manifest"]

MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class InputFile:
    """One source file a shipped file was derived from (path relative to ``shared/data``)."""

    path: str
    sha256: str


@dataclass(frozen=True)
class ShippedFile:
    """One shipped derived file and its provenance."""

    file: str
    dataset: str
    sha256: str
    bytes: int
    source: str
    release: str
    taken_from: str
    licence: str
    attribution: str
    builder: str
    inputs: tuple[InputFile, ...] = field(default=())
    note: str = ""

    def provenance_note(self) -> str:
        """One line for the store's provenance note: taken from, licence, attribution."""
        parts = [f"shipped file {self.file}", f"taken from {self.taken_from}",
                 f"licence: {self.licence}", f"cite: {self.attribution}"]
        if self.note:
            parts.append(self.note)
        if self.inputs:
            parts.append("inputs (sha256): " + ", ".join(f"{i.path} {i.sha256}" for i in self.inputs))
        return "; ".join(parts)


@dataclass(frozen=True)
class Manifest:
    """All shipped files, by file name."""

    files: tuple[ShippedFile, ...]

    def get(self, name: str) -> ShippedFile:
        for f in self.files:
            if f.file == name:
                return f
        raise DataError(f"the shipped data manifest lists no file {name!r}; reinstall geohedge")

    def of_dataset(self, dataset: str) -> tuple[ShippedFile, ...]:
        return tuple(f for f in self.files if f.dataset == dataset)


def shipped_dir() -> Path:
    """The folder of the shipped derived files inside the installed package."""
    return Path(str(resources.files("geohedge").joinpath("_data", "derived")))


def _entry(raw: dict) -> ShippedFile:
    inputs = tuple(InputFile(**i) for i in raw.get("inputs", ()))
    return ShippedFile(**{**raw, "inputs": inputs})


def read_manifest(folder: Path | None = None) -> Manifest:
    """Read ``manifest.json`` (default: the installed package's).

    Raises
    ------
    DataError
        The manifest is missing or malformed.
    """
    path = (folder or shipped_dir()) / MANIFEST_NAME
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Manifest(tuple(_entry(f) for f in raw["files"]))
    except FileNotFoundError:
        raise DataError(f"shipped data manifest {path} is missing; reinstall geohedge") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise DataError(f"shipped data manifest {path} is malformed ({exc}); reinstall geohedge") from None


def write_manifest(files: list[ShippedFile], folder: Path) -> Path:
    """Write ``manifest.json`` for ``files`` (sorted by name, stable formatting)."""
    path = folder / MANIFEST_NAME
    body = {"files": [asdict(f) for f in sorted(files, key=lambda f: f.file)]}
    path.write_text(json.dumps(body, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def verify_shipped(entry: ShippedFile, folder: Path | None = None) -> Path:
    """The path of a shipped file after checking its sha256 against the manifest.

    Raises
    ------
    DataError
        The file is missing or its sha256 differs from the recorded one.
    """
    path = (folder or shipped_dir()) / entry.file
    if not path.is_file():
        raise DataError(f"shipped data file {entry.file} is missing from {path.parent}; reinstall geohedge")
    got = file_sha256(path)
    if got != entry.sha256:
        raise DataError(
            f"shipped data file {entry.file}: sha256 {got[:16]}... does not match the manifest's "
            f"{entry.sha256[:16]}...; the file was altered - reinstall geohedge"
        )
    return path
