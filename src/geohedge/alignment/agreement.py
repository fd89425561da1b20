"""Agreement indices of UN General Assembly votes for every pair of countries and period.

Three named indices (:data:`INDICES`), all over the roll calls both countries voted on
(absent, or not yet a member: left out of that pair):

``half`` (geohedge's half-credit index)
    yes, abstain and no coded 1, 1/2 and 0; a pair's agreement on a roll call is
    ``1 - |v_i - v_j|``, so an abstention against a yes or a no is half agreement
    (Voeten 2000, "Clashes in the Assembly", *International Organization* 54(2)).
    ``S / n`` with ``S = Y Y' + A A' + O O' + 1/2 [(Y + O) A' + A (Y + O)']``, ``n = P P'``
    (notation in :mod:`geohedge.alignment._kernels`).
``identical`` (the published Bailey-Strezhnev-Voeten definition)
    the share of roll calls on which both cast the same vote (yes-yes, no-no,
    abstain-abstain): ``S = Y Y' + A A' + O O'``. This is how the ``USAgree``,
    ``RUSSAgree``, ... columns of the published ideal-point file are computed: recomputed
    from the roll calls per session it matches them to the third decimal wherever the
    two vote sets coincide (docs/alignment.md).
``state_dept`` (US State Department, "Voting Practices in the United Nations")
    the half-credit rule (same = 1, one abstaining = 1/2, opposite = 0, absences
    excluded) over plenary recorded votes per calendar year, counting only votes on
    whole resolutions when amendment and paragraph votes are flagged (the method of the
    reports since the 2017 edition); :func:`state_department_coincidence` also returns
    the counts the reports print (same, opposite, abstentions).

One matrix product per period covers all pairs.

Input frames (as :func:`geohedge.views.votes.query_votes` returns them):

- ``votes``: ``rcid, country, vote`` (``yes``/``abstain``/``no``; other values are ignored
  as non-votes);
- ``roll_calls``: ``rcid, session, year, important_vote``;
- ``issues``: ``rcid, issue_code``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd

from geohedge.alignment._kernels import agreement_sums
from geohedge.alignment.results import AgreementScores, Provenance
from geohedge.errors import InputError

__all__ = ["INDICES", "ISSUES", "AgreementIndex", "agreement_scores", "check_index", "final_votes", "select_roll_calls", "state_department_coincidence", "vote_matrix"]

#: The six ``unvotes`` issue codes.
ISSUES: dict[str, str] = {
    "co": "colonialism",
    "di": "arms control and disarmament",
    "ec": "economic development",
    "hr": "human rights",
    "me": "Palestinian conflict",
    "nu": "nuclear weapons and nuclear material",
}

_CODES = {"no": 1, "abstain": 2, "yes": 3}

AgreementIndex = Literal["half", "identical", "state_dept"]

#: The agreement indices, with the one-line definition every output quotes.
INDICES: dict[str, str] = {
    "half": "half-credit agreement: share of shared roll calls voted alike, an abstention against yes or no counting 1/2 (Voeten 2000)",
    "identical": "identical-vote share: share of shared roll calls on which both cast the same vote (yes, no or abstain), as in the published Bailey-Strezhnev-Voeten agreement scores",
    "state_dept": "US State Department coincidence: calendar year, plenary recorded votes, final votes only, same = 1, one abstaining = 1/2, opposite = 0, absences excluded",
}
_PARTIAL = {"half": 0.5, "identical": 0.0, "state_dept": 0.5}


def check_index(index: str) -> str:
    """Validate an agreement index name (``state-dept`` is accepted for ``state_dept``).

    Raises
    ------
    InputError
        Not one of :data:`INDICES`.
    """
    code = str(index).strip().lower().replace("-", "_")
    if code not in INDICES:
        raise InputError(f"unknown agreement index {index!r}; use one of {', '.join(k.replace('_', '-') for k in INDICES)}")
    return code


def final_votes(roll_calls: pd.DataFrame) -> pd.DataFrame:
    """Roll calls on whole resolutions: amendment and paragraph votes dropped where the
    source flags them (unflagged rows, e.g. UN Digital Library data, are kept)."""
    flagged = pd.Series(False, index=roll_calls.index)
    for col in ("amend", "para"):
        if col in roll_calls:
            flagged |= roll_calls[col].astype("boolean").fillna(False).astype(bool)
    return roll_calls[~flagged]


def check_issue(issue: str | None) -> str | None:
    """Validate an issue code (case-insensitive).

    Raises
    ------
    InputError
        Not one of the six codes.
    """
    if issue is None:
        return None
    code = issue.strip().lower()
    if code not in ISSUES:
        listed = ", ".join(f"{k} ({v})" for k, v in ISSUES.items())
        raise InputError(f"unknown issue code {issue!r}; use one of {listed}")
    return code


def select_roll_calls(
    roll_calls: pd.DataFrame,
    issues: pd.DataFrame | None = None,
    *,
    issue: str | None = None,
    important_only: bool = False,
) -> pd.DataFrame:
    """Roll calls restricted to an issue area and/or to important votes.

    Raises
    ------
    InputError
        Unknown issue code, or the restriction leaves no roll call (e.g. important votes
        in a dataset without the flag).
    """
    code = check_issue(issue)
    out = roll_calls
    if code is not None:
        if issues is None or issues.empty:
            raise InputError(f"issue {code!r} needs issue codes, which this votes dataset lacks; use the unvotes data (geohedge data import unga ../shared/data/unga)")
        out = out[out["rcid"].isin(issues.loc[issues["issue_code"] == code, "rcid"])]
    if important_only:
        flag = out["important_vote"].astype("boolean").fillna(False).astype(bool)
        out = out[flag]
    if out.empty:
        what = " and ".join(x for x in (f"issue {code!r}" if code else "", "important votes" if important_only else "") if x)
        raise InputError(f"no roll calls match {what} in the loaded UN votes")
    return out


def vote_matrix(votes: pd.DataFrame, rcids: np.ndarray, countries: Iterable[str] | None = None) -> tuple[list[str], np.ndarray]:
    """Vote codes ``V`` (N countries x K roll calls; 0 no vote, 1 no, 2 abstain, 3 yes).

    Returns the sorted country codes and ``V`` (int8) with columns in the order of
    ``rcids``.
    """
    col = pd.Index(rcids)
    if countries is not None:
        codes = sorted(set(countries))
        votes = votes[votes["country"].isin(codes)]  # a few countries: filter the 870,000 rows first
    v = votes[votes["rcid"].isin(col) & votes["vote"].isin(list(_CODES))]
    if countries is None:
        codes = sorted(v["country"].unique())
    row = pd.Index(codes)
    r = row.get_indexer(v["country"])
    c = col.get_indexer(v["rcid"])
    keep = r >= 0
    V = np.zeros((len(codes), len(col)), dtype=np.int8)
    V[r[keep], c[keep]] = v["vote"].map(_CODES).to_numpy(dtype=np.int8)[keep]
    return codes, V


def agreement_scores(
    votes: pd.DataFrame,
    roll_calls: pd.DataFrame,
    issues: pd.DataFrame | None = None,
    *,
    by: Literal["year", "session"] = "year",
    issue: str | None = None,
    important_only: bool = False,
    periods: Iterable[int] | None = None,
    source: str = "UN General Assembly votes",
    index: AgreementIndex = "half",
    final_only: bool = False,
    countries: Iterable[str] | None = None,
) -> AgreementScores:
    """Agreement index for every pair of countries and every year (or session).

    Parameters
    ----------
    votes, roll_calls, issues
        Frames described in the module docstring.
    by
        ``year`` (calendar year of each vote) or ``session``.
    issue
        Restrict to one of the six issue codes (``me nu di hr co ec``).
    important_only
        Restrict to the US State Department's important votes.
    periods
        Years (or sessions) to compute; default: all with votes.
    index
        ``half``, ``identical`` or ``state_dept`` (module docstring); ``state_dept``
        implies ``by="year"`` and ``final_only=True``.
    final_only
        Leave out amendment and paragraph votes where they are flagged.
    countries
        Compute only the pairs among these countries (ISO3; those that never voted in
        the selection are left out); default: every country that voted.

    Returns
    -------
    AgreementScores
        ``agreement`` (P, N, N) in [0, 1], NaN where a pair shared no vote;
        ``n_votes`` (P, N, N).

    Raises
    ------
    InputError
        Unknown ``by``, index or issue code, or a requested period without roll calls.
    """
    if by not in ("year", "session"):
        raise InputError(f"unknown period {by!r}; use 'year' or 'session'")
    index = check_index(index)  # type: ignore[assignment]
    if index == "state_dept":
        if by != "year":
            raise InputError("the State Department coincidence is by calendar year; use by='year'")
        final_only = True
    calls = select_roll_calls(roll_calls, issues, issue=issue, important_only=important_only)
    if final_only:
        calls = final_votes(calls)
    available = np.unique(calls[by].to_numpy(dtype=np.int64))
    if periods is None:
        chosen = available
    else:
        chosen = np.unique(np.asarray(list(periods), dtype=np.int64))
        missing = np.setdiff1d(chosen, available)
        if len(missing):
            what = f" on issue {issue!r}" if issue else ""
            what += " among important votes" if important_only else ""
            raise InputError(
                f"no UN General Assembly roll calls{what} in {by} {int(missing[0])}; {by}s with votes run "
                f"{int(available.min())}-{int(available.max())}" + _gaps(available)
            )
        calls = calls[calls[by].isin(chosen)]
    rcids = calls["rcid"].to_numpy()
    countries, V = vote_matrix(votes, rcids, countries)
    if len(countries):
        voted = (V > 0).any(axis=1)
        countries, V = [c for c, v in zip(countries, voted, strict=True) if v], V[voted]
    period_of = calls[by].to_numpy(dtype=np.int64)
    N, P = len(countries), len(chosen)
    agree = np.full((P, N, N), np.nan)
    n_votes = np.zeros((P, N, N), dtype=np.int64)
    for p, period in enumerate(chosen):
        S, n = agreement_sums(V[:, period_of == period], _PARTIAL[index])
        np.divide(S, n, out=agree[p], where=n > 0)
        n_votes[p] = n
    subset = ", ".join(x for x in (f"issue {check_issue(issue)} ({ISSUES[check_issue(issue)]})" if issue else "",
                                   "important votes" if important_only else "", "final votes only" if final_only else "") if x)
    prov = Provenance(source, _span(by, chosen), f"{index.replace('_', '-')} index, share 0-1", subset or "all roll calls")
    return AgreementScores(by, chosen, tuple(countries), agree, n_votes, check_issue(issue), important_only, prov, index)


def _span(by: str, periods: np.ndarray) -> str:
    lo, hi = int(periods.min()), int(periods.max())
    if by == "session":
        return f"sessions {lo}-{hi} (opened in September {1945 + lo}-{1945 + hi})"
    return f"calendar years {lo}-{hi}"


def state_department_coincidence(
    votes: pd.DataFrame,
    roll_calls: pd.DataFrame,
    with_country: str = "USA",
    *,
    years: Iterable[int] | None = None,
) -> pd.DataFrame:
    """Voting coincidence with ``with_country`` as the US State Department computes it.

    "Voting Practices in the United Nations" (the reports since the 2017 edition): per
    calendar year, over plenary recorded votes on whole resolutions (amendment and
    paragraph votes left out where the source flags them), a country scores 1 for the
    same vote as ``with_country``, 1/2 when one of the two abstained and the other voted
    yes or no, and 0 for the opposite vote; votes either country missed are left out.

    Returns
    -------
    pandas.DataFrame
        ``year, country, same, opposite, partial, n_votes, coincidence`` (share 0-1),
        one row per country and year in which both voted.

    Raises
    ------
    InputError
        ``with_country`` cast no vote, or a requested year has no roll call.
    """
    calls = final_votes(roll_calls)
    if years is not None:
        wanted = sorted({int(y) for y in years})
        have = set(calls["year"].astype(int))
        missing = [y for y in wanted if y not in have]
        if missing:
            raise InputError(f"no UN General Assembly roll calls in {missing[0]}; years with votes run {min(have)}-{max(have)}")
        calls = calls[calls["year"].isin(wanted)]
    codes, V = vote_matrix(votes, calls["rcid"].to_numpy())
    if with_country not in codes:
        raise InputError(f"{with_country} cast no vote in the selected UN General Assembly roll calls; pick a country that voted")
    ref = V[codes.index(with_country)]
    year_of = calls["year"].to_numpy(dtype=np.int64)
    frames = []
    for year in np.unique(year_of):
        cols = year_of == year
        v, r = V[:, cols], ref[None, cols]
        both = (v > 0) & (r > 0)
        same = (both & (v == r)).sum(axis=1)
        opposite = (both & (np.abs(v.astype(np.int16) - r) == 2)).sum(axis=1)  # yes (3) against no (1)
        n = both.sum(axis=1)
        keep = n > 0
        frames.append(pd.DataFrame({
            "year": int(year), "country": np.asarray(codes)[keep], "same": same[keep], "opposite": opposite[keep],
            "partial": (n - same - opposite)[keep], "n_votes": n[keep],
        }))
    out = pd.concat(frames, ignore_index=True)
    out["coincidence"] = (out["same"] + 0.5 * out["partial"]) / out["n_votes"]
    return out


def _gaps(available: np.ndarray) -> str:
    full = np.arange(available.min(), available.max() + 1)
    gaps = np.setdiff1d(full, available)
    return f" (none in {', '.join(str(int(g)) for g in gaps)})" if len(gaps) else ""
