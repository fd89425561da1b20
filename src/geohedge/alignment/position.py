"""A country's position between the great powers over time, from agreement and ideal points.

For a focus country ``c`` and powers ``p_1, ..., p_m`` (default USA, China, Russia) in
period ``t``:

============================= ==========================================================
measure                       definition
============================= ==========================================================
``agree_<p>``                 agreement index of ``c`` with ``p`` (share, 0-1)
``equidistance``              ``1 - (max_p agree - min_p agree)``: 1 when ``c`` agrees
                              equally with every power, 0 when it always sides with one
                              against another (the "between the blocs" measure)
``lean``                      ``agree_<p_1> - mean_{k>1} agree_<p_k>``: positive leans to
                              the first power (the USA by default), negative to the others
``equidistance_volatility``   standard deviation of ``equidistance`` over the last
                              ``window`` periods (rolling, at least 2 periods)
``dist_<p>``                  ``|theta_c - theta_p|``, ideal points (SD units)
``relative``                  ``(theta_c - m) / (theta_<p_1> - m)``, ``m`` the mean ideal
                              point of the other powers: 0 with them, 1 with ``p_1``
``ideal_equidistance``        ``1 - |2 relative - 1|`` clipped to [0, 1]: 1 at the midpoint
============================= ==========================================================

Ideal-point measures are per session; they are joined to agreement by the session (or by
the year the session opened, ``session + 1945``, when agreement is by year).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from geohedge.alignment.results import (
    AgreementScores,
    IdealPoints,
    Position,
    Positions,
    Provenance,
)
from geohedge.errors import InputError

__all__ = ["POWERS", "position", "positions"]

#: Default great powers; the first is the reference pole for ``lean`` and ``relative``.
POWERS: tuple[str, ...] = ("USA", "CHN", "RUS")


def _check(agreement: AgreementScores, codes: Sequence[str], what: str) -> None:
    for code in codes:
        if code not in agreement.countries:
            raise InputError(
                f"{code} cast no vote in the selected UN General Assembly roll calls ({agreement.provenance.periods}, "
                f"{agreement.provenance.subset}); {what} must be a country that voted"
            )


def position(
    agreement: AgreementScores,
    country: str,
    *,
    ideal: IdealPoints | None = None,
    powers: Sequence[str] = POWERS,
    window: int = 5,
    since: int | None = None,
    min_votes: int = 10,
) -> Position:
    """The focus country's agreement with and distance to each power, per period.

    Parameters
    ----------
    agreement
        From :func:`geohedge.alignment.agreement_scores`.
    country
        ISO3 code of the focus country.
    ideal
        Optional ideal points, adding ``dist_<p>``, ``relative`` and ``ideal_equidistance``.
    powers
        Two or more ISO3 codes; the first is the reference pole.
    window
        Periods in the rolling volatility (>= 2).
    since
        First period to report.
    min_votes
        Periods where the focus country cast fewer votes are left out (e.g. the few
        January votes that close a session in the next calendar year).

    Returns
    -------
    Position

    Raises
    ------
    InputError
        Fewer than two powers, a window below 2, or a country that never voted.
    """
    powers = tuple(dict.fromkeys(powers))
    if len(powers) < 2:
        raise InputError(f"need at least two powers to place a country between them, got {list(powers)}")
    if window < 2:
        raise InputError(f"volatility window must be at least 2 periods, got {window}")
    _check(agreement, [country], "the focus country")
    _check(agreement, powers, "each power")
    by = agreement.by
    c = agreement.countries.index(country)
    voted = agreement.n_votes[:, c, c] >= max(min_votes, 1)
    if not voted.any():
        raise InputError(f"{country} cast fewer than {min_votes} votes in every {by} of the selection; lower min_votes")
    frame = pd.DataFrame({by: agreement.periods[voted].astype(int)})
    agrees = []
    for p in powers:
        k = agreement.countries.index(p)
        frame[f"agree_{p}"] = agreement.agreement[voted, c, k]
        frame[f"n_votes_{p}"] = agreement.n_votes[voted, c, k]
        agrees.append(frame[f"agree_{p}"].to_numpy())
    A = np.column_stack(agrees)
    with np.errstate(all="ignore"):
        frame["equidistance"] = 1.0 - (np.nanmax(A, axis=1) - np.nanmin(A, axis=1)) if A.size else np.nan
        frame["lean"] = A[:, 0] - np.nanmean(A[:, 1:], axis=1)
    frame["equidistance_volatility"] = frame["equidistance"].rolling(window, min_periods=2).std()
    if ideal is not None:
        frame = _with_ideal(frame, ideal, country, powers, by)
    if since is not None:
        frame = frame[frame[by] >= since]
        if frame.empty:
            raise InputError(f"{country} has no votes since {since}")
    return Position(country, powers, by, window, frame.reset_index(drop=True), agreement.provenance)


def _with_ideal(frame: pd.DataFrame, ideal: IdealPoints, country: str, powers: tuple[str, ...], by: str) -> pd.DataFrame:
    key = "session" if by == "session" else "year"
    wide = ideal.frame.pivot_table(index=key, columns="country", values="ideal_point", aggfunc="mean")
    cols = [country, *powers]
    wide = wide.reindex(columns=cols)
    out = pd.DataFrame({by: wide.index.astype(int), "ideal_point": wide[country].to_numpy()})
    for p in powers:
        out[f"dist_{p}"] = np.abs(wide[country].to_numpy() - wide[p].to_numpy())
    others = wide[list(powers[1:])].mean(axis=1).to_numpy()
    with np.errstate(all="ignore"):
        rel = (wide[country].to_numpy() - others) / (wide[powers[0]].to_numpy() - others)
    out["relative"] = rel
    out["ideal_equidistance"] = np.clip(1.0 - np.abs(2.0 * rel - 1.0), 0.0, 1.0)
    return frame.merge(out, on=by, how="left")


def positions(
    agreement: AgreementScores,
    countries: Sequence[str],
    *,
    ideal: IdealPoints | None = None,
    powers: Sequence[str] = POWERS,
    window: int = 5,
    since: int | None = None,
    min_votes: int = 10,
) -> Positions:
    """:func:`position` for several countries (e.g. candidate partners), in the given order.

    Raises
    ------
    InputError
        As :func:`position`, naming the first country that never voted.
    """
    return Positions(tuple(position(agreement, c, ideal=ideal, powers=powers, window=window, since=since, min_votes=min_votes) for c in dict.fromkeys(countries)))


def provenance_of(pos: Position | Positions) -> Provenance:
    return pos.provenance if isinstance(pos, Position) else pos.items[0].provenance
