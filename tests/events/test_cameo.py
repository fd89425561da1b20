import re

import pytest

from geohedge.events.cameo import ROOTS, cameo_to_plover
from geohedge.events.classify import LEGACY_TYPES
from geohedge.events.results import PLOVER_TYPES


@pytest.mark.shared_data
def test_shipped_table_matches_the_plover_file(shared_data):
    """Parse the PLOVER project's own CAMEO2PLOVER file here, independently, and compare."""
    seen = {}
    for line in (shared_data / "plover" / "CAMEO2PLOVER-2021.txt").read_text().splitlines():
        m = re.match(r"^(\d{3,4}):\s*([A-Z]+)", line)
        if m and m[1] not in seen:
            seen[m[1]] = m[2].lower()
    assert len(seen) > 200
    for code, plover in seen.items():
        assert cameo_to_plover(code) == LEGACY_TYPES.get(plover.upper(), plover), code


def test_roots_and_fallbacks():
    assert set(ROOTS.values()) <= set(PLOVER_TYPES)
    assert cameo_to_plover("010") is None and cameo_to_plover("0231") is None
    assert cameo_to_plover("1999") == "assault"  # unknown 4-digit code falls back to its root
    assert cameo_to_plover("xx") is None
