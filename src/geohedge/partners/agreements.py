"""Trade agreements in force between a home country and its partners, from a dated table.

The shipped table (``geohedge/_data/trade_agreements.csv``, read by
:mod:`geohedge.views.partners`) has one row per agreement and party:

=============== ==============================================================================
column          meaning
=============== ==============================================================================
``agreement``   short code, e.g. ``MTFTA``; rows with the same code are one agreement
``name``        full name
``kind``        ``FTA``, ``EPA`` or ``CU`` (customs union)
``party``       ISO3 code, or ``EU27`` (the European Union, counted for today's members)
``in_force``    date the agreement took effect for that party (``YYYY-MM-DD``)
``precision``   ``day``, or ``year`` where the source gives only the year (the date is then
                31 December of that year: counted in force from the end of the year)
``source_url``  where the date comes from
``note``        what the source says
=============== ==============================================================================

Two countries have an agreement in force on a date when both are parties of the same
agreement and each party's date is on or before it.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

import pandas as pd

from geohedge import countries as _countries
from geohedge.errors import DataError, InputError

__all__ = ["AGREEMENT_COLUMNS", "agreements_between", "check_agreements"]

AGREEMENT_COLUMNS = ("agreement", "name", "kind", "party", "in_force", "precision", "source_url", "note")
_BLOCS = ("EU27",)


def check_agreements(table: pd.DataFrame, origin: str = "trade agreements table") -> pd.DataFrame:
    """Validate the agreements table; returns it with ``in_force`` parsed to dates.

    Raises
    ------
    DataError
        Missing columns, an unparseable date, an unknown party, a precision other than
        ``day``/``year``, or a row without a source (the count and the first bad rows).
    """
    miss = [c for c in AGREEMENT_COLUMNS if c not in table.columns]
    if miss:
        raise DataError(f"{origin}: missing columns {', '.join(miss)}; need {', '.join(AGREEMENT_COLUMNS)}")
    t = table.copy()
    dates = pd.to_datetime(t["in_force"], format="%Y-%m-%d", errors="coerce")
    bad: list[str] = []
    for k, row in t.iterrows():
        if pd.isna(dates[k]):
            bad.append(f"row {k + 2}: in_force {row['in_force']!r} is not YYYY-MM-DD")
        if row["precision"] not in ("day", "year"):
            bad.append(f"row {k + 2}: precision {row['precision']!r} must be day or year")
        if not str(row["source_url"]).startswith("http"):
            bad.append(f"row {k + 2}: {row['agreement']} has no source URL")
        if row["party"] not in _BLOCS:
            try:
                known = _countries.resolve(row["party"]) == row["party"]
            except InputError:
                known = False
            if not known:
                bad.append(f"row {k + 2}: party {row['party']!r} is not an ISO3 code or {', '.join(_BLOCS)}")
    if bad:
        raise DataError(f"{origin}: {len(bad)} bad rows, e.g. {'; '.join(bad[:3])}")
    t["in_force"] = dates.dt.date
    return t


def _members(party: str) -> tuple[str, ...]:
    return _countries.bloc_members(party) if party in _BLOCS else (party,)


def agreements_between(table: pd.DataFrame, home: str, partners: Sequence[str], on: _dt.date) -> pd.DataFrame:
    """Which partners have a trade agreement in force with ``home`` on ``on``.

    Parameters
    ----------
    table
        From :func:`check_agreements`.

    Returns
    -------
    DataFrame
        ``partner, agreement_in_force`` (bool), ``agreements`` (codes of the agreements in
        force, ``;``-separated, earliest first), ``agreement_since`` (date the earliest took
        effect for the pair, or ``None``), ``agreement_sources`` (their source URLs).
    """
    members = {p: _members(p) for p in set(table["party"])}
    long = table.assign(country=table["party"].map(members)).explode("country")
    long = long.sort_values("in_force", kind="stable").drop_duplicates(["agreement", "country"], keep="first")
    mine = long.loc[long["country"] == home, ["agreement", "in_force"]].rename(columns={"in_force": "home_since"})
    pairs = long[long["country"].isin(list(partners))].merge(mine, on="agreement")
    pairs["since"] = pairs[["in_force", "home_since"]].max(axis=1)
    pairs = pairs[pairs["since"] <= on].sort_values(["since", "agreement"], kind="stable")
    g = pairs.groupby("country", sort=False)
    out = pd.DataFrame({"agreements": g["agreement"].agg(";".join), "agreement_since": g["since"].first(),
                        "agreement_sources": g["source_url"].agg(lambda u: " ".join(dict.fromkeys(u)))}).reindex(list(partners))
    out.insert(0, "agreement_in_force", out["agreements"].notna())
    out["agreements"] = out["agreements"].fillna("")
    out["agreement_sources"] = out["agreement_sources"].fillna("")
    out["agreement_since"] = out["agreement_since"].astype(object).where(out["agreement_in_force"], None)
    return out.rename_axis("partner").reset_index()
