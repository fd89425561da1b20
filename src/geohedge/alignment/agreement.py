"""Agreement index of UN General Assembly votes for every pair of countries and period.

``S / n`` with ``S = Y Y' + A A' + O O' + 1/2 [(Y + O) A' + A (Y + O)']`` and ``n = P P'``
(notation in :mod:`geohedge.alignment._kernels`): yes, abstain and no are coded 1, 1/2
and 0, and a pair's agreement on a roll call is ``1 - |v_i - v_j|``, so abstaining
against a yes or a no counts as half agreement (Voeten 2000, "Clashes in the Assembly",
*International Organization* 54(2); the ``agree`` variable of Bailey, Strezhnev & Voeten
2017). Roll calls a country did not vote on (absent, not yet a member) are left out of
that country's pairs. One matrix product per period covers all pairs.

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

__all__ = ["ISSUES", "agreement_scores", "select_roll_calls", "vote_matrix"]

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
    v = votes[votes["rcid"].isin(col) & votes["vote"].isin(list(_CODES))]
    codes = sorted(v["country"].unique()) if countries is None else sorted(set(countries))
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

    Returns
    -------
    AgreementScores
        ``agreement`` (P, N, N) in [0, 1], NaN where a pair shared no vote;
        ``n_votes`` (P, N, N).

    Raises
    ------
    InputError
        Unknown ``by`` or issue code, or a requested period without roll calls.
    """
    if by not in ("year", "session"):
        raise InputError(f"unknown period {by!r}; use 'year' or 'session'")
    calls = select_roll_calls(roll_calls, issues, issue=issue, important_only=important_only)
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
    countries, V = vote_matrix(votes, rcids)
    period_of = calls[by].to_numpy(dtype=np.int64)
    N, P = len(countries), len(chosen)
    agree = np.full((P, N, N), np.nan)
    n_votes = np.zeros((P, N, N), dtype=np.int64)
    for p, period in enumerate(chosen):
        S, n = agreement_sums(V[:, period_of == period])
        np.divide(S, n, out=agree[p], where=n > 0)
        n_votes[p] = n
    subset = ", ".join(x for x in (f"issue {check_issue(issue)} ({ISSUES[check_issue(issue)]})" if issue else "", "important votes" if important_only else "") if x)
    prov = Provenance(source, f"{by}s {int(chosen.min())}-{int(chosen.max())}", "agreement share (0-1)", subset or "all roll calls")
    return AgreementScores(by, chosen, tuple(countries), agree, n_votes, check_issue(issue), important_only, prov)


def _gaps(available: np.ndarray) -> str:
    full = np.arange(available.min(), available.max() + 1)
    gaps = np.setdiff1d(full, available)
    return f" (none in {', '.join(str(int(g)) for g in gaps)})" if len(gaps) else ""
