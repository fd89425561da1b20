"""Rebuild the shipped derived files from ``../shared/data``.

    python -m geohedge.data.derived --shared ../shared/data [--out DIR] [--only NAME ...]

Without ``--out`` the files and ``manifest.json`` are written into the package's
``_data/derived/`` folder (the checkout's, in an editable install).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from geohedge.data.derived.manifest import read_manifest, shipped_dir, write_manifest

#: Builder modules (each has ``build(shared: Path, out: Path) -> list[ShippedFile]``).
BUILDERS = ("icio_cubes", "baci_pairs")


def build_all(shared: Path, out: Path, only: list[str] | None = None) -> list:
    """Run the builders into ``out`` and (re)write its manifest; returns the entries."""
    out.mkdir(parents=True, exist_ok=True)
    names = only or list(BUILDERS)
    unknown = sorted(set(names) - set(BUILDERS))
    if unknown:
        raise SystemExit(f"unknown builder(s) {unknown}; known: {', '.join(BUILDERS)}")
    built = []
    for name in names:
        module = importlib.import_module(f"geohedge.data.derived.{name}")
        built += module.build(shared, out)
    kept = []
    if only and (out / "manifest.json").exists():
        new = {e.file for e in built}
        kept = [e for e in read_manifest(out).files if e.file not in new]
    write_manifest(kept + built, out)
    return built


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m geohedge.data.derived", description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path("../shared/data"), help="the shared data folder")
    ap.add_argument("--out", type=Path, default=None, help="output folder (default: the package's _data/derived)")
    ap.add_argument("--only", nargs="*", default=None, help=f"builders to run ({', '.join(BUILDERS)})")
    args = ap.parse_args(argv)
    if not args.shared.is_dir():
        print(f"error: shared data folder {args.shared} not found", file=sys.stderr)
        return 2
    for e in build_all(args.shared, args.out or shipped_dir(), args.only):
        print(f"{e.file}: {e.bytes / 1e6:.2f} MB sha256 {e.sha256[:12]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
