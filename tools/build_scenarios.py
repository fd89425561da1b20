"""Write the generated built-in scenarios (the US tariff schedules of 2025 and the
deepen-ties example) into src/geohedge/_data/scenarios/ from the data shipped in geohedge.

    python tools/build_scenarios.py           # write the files
    python tools/build_scenarios.py --check   # exit 1 if a file differs from what the generator makes

The texts come from geohedge.shocks.library.builtin_texts(); the sources are cited in each file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geohedge.shocks.library import builtin_texts

TARGET = Path(__file__).resolve().parents[1] / "src" / "geohedge" / "_data" / "scenarios"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="compare instead of writing")
    args = ap.parse_args()
    differ = []
    for name, text in builtin_texts().items():
        path = TARGET / name
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                differ.append(name)
        else:
            tmp = path.with_suffix(".tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
            print(f"wrote {path.relative_to(TARGET.parents[3])}")
    if differ:
        print(f"out of date: {', '.join(differ)}; run python tools/build_scenarios.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
