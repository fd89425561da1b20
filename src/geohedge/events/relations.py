"""The monthly dyadic cooperation–conflict index: how a pair of countries is getting on.

For a pair (a, b) and month m, over the events E(m) between them (either direction, or
only a → b when ``directed``), with intensity g_e on the Goldstein scale:

============================ ========================================================
column                       definition
============================ ========================================================
n_events                     |E(m)|
n_cooperation, n_conflict    events with g_e > 0, with g_e < 0
cooperation_intensity        sum of g_e over g_e > 0
conflict_intensity           sum of g_e over g_e < 0 (<= 0)
net_intensity                sum of g_e
mean_intensity               net_intensity / n_events (-10..+10)
balance                      (n_cooperation - n_conflict) / n_events (-1..+1)
n_a_to_b, n_b_to_a           events by direction
============================ ========================================================

Counts and sums in the style of Goldstein (1992), "A Conflict-Cooperation Scale for WEIS
Events Data", J. Conflict Resolution 36(2): monthly net cooperation is the sum of the
event weights. Months without events have no row (not zero: no news is not neutral news).

Counted are the events that happened as stated: **background** events (placed in an
earlier year by their sentence) and events whose ``mode`` is negated, denied or only
expected (:data:`~geohedge.events.results.UNREALISED_MODES`) are left out. Identical
events of one article (``repeats`` > 1) count once: repeating a sentence is not news.
"""

from __future__ import annotations

import pandas as pd

from geohedge.errors import InputError
from geohedge.events.results import UNREALISED_MODES, RelationsIndex

__all__ = ["INDEX_COLUMNS", "relations_index"]

INDEX_COLUMNS = (
    "month", "n_events", "n_cooperation", "n_conflict", "cooperation_intensity", "conflict_intensity",
    "net_intensity", "mean_intensity", "balance", "n_a_to_b", "n_b_to_a",
)
_NEEDED = ("date", "source_code", "target_code", "intensity")


def relations_index(events: pd.DataFrame, a: str, b: str, *, directed: bool = False, source: str | None = None) -> RelationsIndex:
    """Monthly cooperation–conflict index of the pair ``a``, ``b``.

    Parameters
    ----------
    events
        Events with at least ``date`` (date or timestamp), ``source_code``,
        ``target_code`` (ISO3 or organisation codes) and ``intensity`` (-10..+10); other
        columns (``event_type``, ``sentence``, ``url`` ...) are kept in the result's
        ``events``.
    a, b
        The pair (codes as in the events).
    directed
        Count only events from ``a`` to ``b``.
    source
        Where the events came from, for captions.

    Returns
    -------
    RelationsIndex

    Raises
    ------
    InputError
        ``a`` equals ``b``, or ``events`` lacks a needed column.
    """
    if a == b:
        raise InputError(f"relations need two different actors, got {a!r} twice")
    missing = [c for c in _NEEDED if c not in events.columns]
    if missing:
        raise InputError(f"events lack the columns {', '.join(missing)}; need {', '.join(_NEEDED)}")
    ab = (events["source_code"] == a) & (events["target_code"] == b)
    ba = (events["source_code"] == b) & (events["target_code"] == a)
    chosen = events[ab if directed else (ab | ba)].copy()
    chosen = chosen[chosen["date"].notna()]
    if "background" in chosen:
        chosen = chosen[~chosen["background"].fillna(False).astype(bool)]
    if "mode" in chosen:
        chosen = chosen[~chosen["mode"].fillna("").isin(UNREALISED_MODES)]
    chosen["month"] = pd.to_datetime(chosen["date"]).dt.to_period("M").dt.to_timestamp()
    chosen["a_to_b"] = (chosen["source_code"] == a)
    g = chosen["intensity"].astype(float)
    chosen["_coop"] = g.clip(lower=0.0)
    chosen["_conf"] = g.clip(upper=0.0)
    grouped = chosen.groupby("month", sort=True)
    frame = pd.DataFrame({
        "n_events": grouped.size(),
        "n_cooperation": grouped["intensity"].apply(lambda s: int((s > 0).sum())),
        "n_conflict": grouped["intensity"].apply(lambda s: int((s < 0).sum())),
        "cooperation_intensity": grouped["_coop"].sum(),
        "conflict_intensity": grouped["_conf"].sum(),
        "net_intensity": grouped["intensity"].sum(),
        "n_a_to_b": grouped["a_to_b"].sum(),
    }).reset_index() if len(chosen) else pd.DataFrame(columns=["month", "n_events", "n_cooperation", "n_conflict",
                                                                "cooperation_intensity", "conflict_intensity",
                                                                "net_intensity", "n_a_to_b"])
    frame["n_events"] = frame["n_events"].astype("int64")
    frame["n_a_to_b"] = frame["n_a_to_b"].astype("int64")
    frame["n_b_to_a"] = frame["n_events"] - frame["n_a_to_b"]
    frame["mean_intensity"] = frame["net_intensity"].astype(float) / frame["n_events"].where(frame["n_events"] > 0)
    frame["balance"] = (frame["n_cooperation"] - frame["n_conflict"]).astype(float) / frame["n_events"].where(frame["n_events"] > 0)
    frame = frame[list(INDEX_COLUMNS)].reset_index(drop=True)
    kept = chosen.drop(columns=["a_to_b", "_coop", "_conf"]).sort_values(["month", "date"], kind="stable").reset_index(drop=True)
    kwargs = {"source": source} if source else {}
    return RelationsIndex(a=a, b=b, frame=frame, events=kept, directed=directed, **kwargs)
