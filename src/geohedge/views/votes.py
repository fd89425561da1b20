"""Store reads for UN General Assembly votes, ready for :mod:`geohedge.alignment`.

The canonical tables (``un_votes``, ``un_roll_calls``, ``un_roll_call_issues``; see
:mod:`geohedge.data.store`) are read for one dataset (``unvotes`` by default, else the
UN Digital Library ``undl``) into a :class:`VoteData` of three frames:

- ``votes``: ``rcid, country`` (ISO3, or the ISO 3166-3 code of a former state),
  ``vote`` (``yes``, ``abstain``, ``no``; the Digital Library's ``absent`` rows are left
  out, as absences are missing data for agreement and ideal points alike);
- ``roll_calls``: ``rcid, session`` (where the source gives none: from the date, session
  s opening in September of 1945 + s), ``date, year`` (calendar year of the vote),
  ``important_vote`` (US State Department "important votes"; null where the source has
  no flag), ``amend, para, unres, short, descr``;
- ``issues``: ``rcid, issue_code`` (``me nu di hr co ec``).

Country codes
-------------
The source's codes (ISO2 and a few historical codes or names) are mapped to ISO3 through
:mod:`geohedge.countries` when the votes are loaded (:mod:`geohedge.data.sources.unga`).
Votes whose code maps to nothing keep a null ``country`` in the store; they are never
dropped silently here: :attr:`VoteData.unmapped` lists each such code with its number of
votes, and the analytics and the CLI report it.

Predecessor states (``successors=``):

``"separate"`` (default)
    Former states keep their own code (USSR ``SUN``, Yugoslavia ``YUG``, Czechoslovakia
    ``CSK``, GDR ``DDR``, Yemen Arab Republic ``YAR``, Yemen People's Republic ``YMD``,
    Zanzibar ``ZZB``), exactly as stored. Note that Voeten's data already code the Soviet
    Union's seat as Russia (``RU``) throughout, so ``RUS`` runs from 1946.
``"continuity"``
    A former state is merged into its recorded successor (``countries.country(code)
    .successor``) only when the two never voted on the same roll call, i.e. when the
    successor continued the former state's seat (Czechoslovakia -> Czechia, Yugoslavia
    -> Serbia, Yemen Arab Republic -> Yemen). Candidates are taken in order of their
    number of votes; one that overlaps the successor (GDR and Germany, Yemen People's
    Republic and the already merged Yemen Arab Republic) stays separate.
    :attr:`VoteData.merged` records what was merged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from geohedge.data.sources.unga_idealpoints import PublishedAlignment
from geohedge.data.store import Store
from geohedge.errors import DataError, InputError

__all__ = ["VoteData", "query_published", "query_votes", "vote_datasets"]


_SOURCES = {
    "unvotes": "Voeten, UN General Assembly voting data (unvotes)",
    "undl": "UN Digital Library, General Assembly voting data",
}


@dataclass(frozen=True, eq=False)
class VoteData:
    """UN General Assembly votes of one dataset, with ISO3 country codes.

    Attributes
    ----------
    dataset
        ``unvotes`` or ``undl``.
    source
        Human-readable source for captions.
    votes, roll_calls, issues
        Frames as described in the module docstring.
    unmapped
        Source codes without an ISO3 code, as ``"code (name): n votes"``; their votes are
        not in ``votes``.
    merged
        Former states merged into successors (``successors="continuity"``), as
        ``"YUG->SRB"``.
    """

    dataset: str
    source: str
    votes: pd.DataFrame
    roll_calls: pd.DataFrame
    issues: pd.DataFrame
    unmapped: tuple[str, ...] = ()
    merged: tuple[str, ...] = field(default_factory=tuple)

    @property
    def year_range(self) -> tuple[int, int]:
        years = self.roll_calls["year"]
        return int(years.min()), int(years.max())


def vote_datasets(store: Store) -> list[str]:
    """Datasets with UN votes in the store (``unvotes`` first)."""
    if not store.has_table("un_votes"):
        return []
    found = [r[0] for r in store.run("SELECT DISTINCT dataset FROM un_roll_calls")]
    return sorted(found, key=lambda d: (d != "unvotes", d))


def query_votes(
    store: Store,
    *,
    dataset: str | None = None,
    successors: Literal["separate", "continuity"] = "separate",
) -> VoteData:
    """Read one dataset of UN General Assembly votes from the store.

    Parameters
    ----------
    store
        An open store.
    dataset
        ``unvotes`` or ``undl``; default: ``unvotes`` when loaded, else ``undl``.
    successors
        Predecessor-state rule, ``separate`` or ``continuity`` (module docstring).

    Raises
    ------
    DataError
        No UN votes are loaded (the message names the command that loads them).
    InputError
        Unknown dataset or successor rule.
    """
    if successors not in ("separate", "continuity"):
        raise InputError(f"unknown successor rule {successors!r}; use 'separate' or 'continuity'")
    loaded = vote_datasets(store)
    if not loaded:
        raise DataError("no UN General Assembly votes in the store; run 'geohedge data build' (the bundle ships them) "
                        "or 'geohedge data import unga PATH'")
    if dataset is None:
        dataset = loaded[0]
    elif dataset not in loaded:
        raise InputError(f"UN votes dataset {dataset!r} is not loaded; loaded: {', '.join(loaded)}")
    raw = store.query(
        "SELECT rcid, country, country_code, country_name, vote FROM un_votes WHERE dataset = ? AND vote <> 'absent'",
        [dataset],
    )
    bad = raw[raw["country"].isna()]
    unmapped = tuple(
        f"{code if isinstance(code, str) else '-'} ({name}): {n} votes"
        for (code, name), n in bad.groupby(["country_code", "country_name"], dropna=False).size().items()
    )
    votes = raw.loc[raw["country"].notna(), ["rcid", "country", "vote"]].reset_index(drop=True)
    calls = store.query(
        "SELECT rcid, session, date, important_vote, amend, para, unres, short, descr FROM un_roll_calls WHERE dataset = ? ORDER BY date, rcid",
        [dataset],
    )
    dates = pd.to_datetime(calls["date"])
    calls.insert(3, "year", dates.dt.year.astype("int32"))
    if calls["session"].isna().any():
        # a file without session numbers (some UN Digital Library exports): session s opens
        # in September of 1945 + s
        opened = dates.dt.year - 1945 - (dates.dt.month < 9).astype(int)
        calls["session"] = calls["session"].fillna(opened)
    calls["session"] = calls["session"].astype("int32")
    issues = store.query("SELECT rcid, issue_code FROM un_roll_call_issues WHERE dataset = ?", [dataset])
    merged: tuple[str, ...] = ()
    if successors == "continuity":
        votes, merged = _merge_successors(votes)
    return VoteData(dataset, _SOURCES.get(dataset, dataset), votes, calls, issues, unmapped, merged)


def query_published(store: Store, dataset: str = "bsv") -> PublishedAlignment | None:
    """The published ideal points and agreement scores in the store, or ``None`` when they
    are not loaded (a store built before they shipped: run ``geohedge data build``).

    Frames as :mod:`geohedge.data.sources.unga_idealpoints` describes them (without the
    ``dataset`` column).
    """
    if not store.has_table("un_ideal_points") or not store.run("SELECT count(*) FROM un_ideal_points WHERE dataset = ?", [dataset])[0][0]:
        return None
    ideal = store.query("SELECT * EXCLUDE (dataset) FROM un_ideal_points WHERE dataset = ? ORDER BY session, country", [dataset])
    agree = store.query("SELECT session, country, partner, agreement FROM un_agreement WHERE dataset = ? ORDER BY session, country, partner", [dataset])
    return PublishedAlignment(ideal, agree)


def _merge_successors(votes: pd.DataFrame) -> tuple[pd.DataFrame, tuple[str, ...]]:
    from geohedge import countries

    present = votes["country"].unique()
    formers = []
    for code in present:
        c = countries.country(code)
        if c.former and c.successor:
            formers.append((code, c.successor))
    counts = votes["country"].value_counts()
    formers.sort(key=lambda fs: -int(counts.get(fs[0], 0)))
    rcids = {code: set(votes.loc[votes["country"] == code, "rcid"]) for code in present}
    merged = []
    for former, successor in formers:
        if rcids[former] & rcids.get(successor, set()):
            continue
        votes.loc[votes["country"] == former, "country"] = successor
        rcids[successor] = rcids.get(successor, set()) | rcids.pop(former)
        merged.append(f"{former}->{successor}")
    return votes, tuple(merged)
