"""CAMEO event codes (GDELT) to PLOVER event types.

The table ``_data/cameo_plover.csv`` is derived from ``CAMEO2PLOVER-2021.txt`` of the
PLOVER project (P. Schrodt, PLOVER manual draft 0.8, 2021; © Open Event Data Alliance,
CC BY-SA 4.0, shared here under the same licence). A code missing from the table falls
back to its three-digit base code, then to its two-digit root (03 agree, 04 consult,
05 support, 06 cooperate, 07 aid, 08 concede (081-083) or retreat (084-087), 09 and 11
accuse, 10 request, 12 reject, 13 threaten, 14 protest, 15 mobilize, 16 sanction,
17 coerce, 18-20 assault). Roots 01 (public statement) and 02 (appeal) have no PLOVER type.
"""

from __future__ import annotations

import functools
import io
from importlib import resources

import pandas as pd

__all__ = ["ROOTS", "cameo_table", "cameo_to_plover"]

#: Two-digit CAMEO roots and their PLOVER type (root 08 splits; its bare root is concede).
ROOTS = {
    "03": "agree", "04": "consult", "05": "support", "06": "cooperate", "07": "aid", "08": "concede",
    "09": "accuse", "10": "request", "11": "accuse", "12": "reject", "13": "threaten", "14": "protest",
    "15": "mobilize", "16": "sanction", "17": "coerce", "18": "assault", "19": "assault", "20": "assault",
}


@functools.lru_cache(maxsize=1)
def cameo_table() -> pd.DataFrame:
    """Columns ``cameo`` (code as text, e.g. ``"0231"``), ``plover``, ``mode``, ``context``,
    ``description``; one row per CAMEO code of 3 or 4 digits, plus the two-digit roots."""
    text = (resources.files("geohedge") / "_data" / "cameo_plover.csv").read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    table = pd.read_csv(io.StringIO(body), dtype=str, keep_default_na=False)
    roots = pd.DataFrame({"cameo": list(ROOTS), "plover": list(ROOTS.values()), "mode": "", "context": "",
                          "description": "CAMEO root"})
    return pd.concat([table, roots], ignore_index=True)


@functools.lru_cache(maxsize=4096)
def cameo_to_plover(code: str) -> str | None:
    """PLOVER type of a CAMEO code (``"0231"``, ``"163"``, ``"19"``); ``None`` for roots 01, 02
    and codes that are not CAMEO."""
    code = str(code).strip()
    lookup = dict(zip(cameo_table()["cameo"], cameo_table()["plover"], strict=True))
    for candidate in (code, code[:3], code[:2]):
        if candidate in lookup:
            return lookup[candidate]
    return None
