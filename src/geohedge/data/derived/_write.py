"""Helpers for builders: deterministic Parquet/CSV writing and manifest entries."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from geohedge.data.derived.manifest import InputFile, ShippedFile
from geohedge.data.sources._common import file_sha256

__all__ = ["input_files", "shipped", "write_csv", "write_parquet"]


def write_parquet(frame: pd.DataFrame, path: Path) -> Path:
    """Write ``frame`` as zstd Parquet, deterministically (no index, fixed row groups)."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.replace_schema_metadata(None)
    pq.write_table(table, path, compression="zstd", compression_level=19, row_group_size=1 << 20,
                   use_dictionary=True, write_statistics=False)
    return path


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write ``frame`` as UTF-8 CSV with ``\\n`` line ends; floats in their shortest form that reads back exactly."""
    frame.to_csv(path, index=False, lineterminator="\n")  # shortest round-trip floats
    return path


def input_files(shared: Path, paths: list[str]) -> tuple[InputFile, ...]:
    """Input records (path relative to ``shared``, sha256) for the given relative paths."""
    return tuple(InputFile(p, file_sha256(shared / p)) for p in paths)


def shipped(path: Path, **meta: object) -> ShippedFile:
    """The manifest entry of a written file (its sha256 and size, plus ``meta``)."""
    return ShippedFile(file=path.name, sha256=file_sha256(path), bytes=path.stat().st_size, **meta)  # type: ignore[arg-type]
