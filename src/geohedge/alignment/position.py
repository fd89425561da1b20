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

The input is roll-call agreement (:class:`~geohedge.alignment.AgreementScores`) or a
series continued with the published scores (:class:`~geohedge.alignment.AgreementSeries`);
each row says where it comes from (``source``).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from geohedge.alignment.results import (
    AgreementScores,
    AgreementSeries,
    IdealPoints,
    Position,
    Positions,
    Provenance,
)
from geohedge.alignment.series import agreement_series, session_years
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


def _series(agreement: AgreementScores | AgreementSeries, country: str, powers: tuple[str, ...]) -> AgreementSeries:
    if isinstance(agreement, AgreementSeries):
        if agreement.country != country:
            raise InputError(f"this agreement series is {agreement.country}'s, not {country}'s; build one with agreement_series(..., {country!r}, ...)")
        missing = [p for p in powers if p not in set(agreement.frame["partner"])]
        if missing:
            raise InputError(f"{missing[0]} has no agreement with {country} in this series ({agreement.provenance.periods}); each power must be a country that voted")
        return agreement
    _check(agreement, [country], "the focus country")
    _check(agreement, powers, "each power")
    return agreement_series(agreement, country, powers)


def position(
    agreement: AgreementScores | AgreementSeries,
    country: str,
    *,
    ideal: IdealPoints | pd.DataFrame | None = None,
    powers: Sequence[str] = POWERS,
    window: int = 5,
    since: int | None = None,
    min_votes: int = 10,
) -> Position:
    """The focus country's agreement with and distance to each power, per period.

    Parameters
    ----------
    agreement
        Roll-call agreement (:func:`geohedge.alignment.agreement_scores`), or the focus
        country's series continued with the published scores
        (:func:`geohedge.alignment.agreement_series`).
    country
        ISO3 code of the focus country.
    ideal
        Optional ideal points: :class:`IdealPoints`, or a frame ``country, session,
        ideal_point`` (and ``ideal_source``) such as
        :func:`geohedge.alignment.spliced_ideal_points` returns; adds ``dist_<p>``,
        ``relative`` and ``ideal_equidistance``.
    powers
        Two or more ISO3 codes; the first is the reference pole.
    window
        Periods in the rolling volatility (>= 2).
    since
        First year to report (calendar year, or the year a session opened).
    min_votes
        Periods where the focus country cast fewer votes are left out (e.g. the few
        January votes that close a session in the next calendar year).

    Returns
    -------
    Position

    Raises
    ------
    InputError
        Fewer than two powers, a window below 2, a country that never voted, or no
        period since ``since`` (the message names the last year held).
    """
    powers = tuple(dict.fromkeys(powers))
    if len(powers) < 2:
        raise InputError(f"need at least two powers to place a country between them, got {list(powers)}")
    if window < 2:
        raise InputError(f"volatility window must be at least 2 periods, got {window}")
    series = _series(agreement, country, powers)
    by = series.by
    keys = ["session", "year"] if by == "session" else ["year"]
    own = series.own_votes
    own = own[own["n_votes"] >= max(min_votes, 1)]
    if own.empty:
        raise InputError(f"{country} cast fewer than {min_votes} votes in every {by} of the selection; lower min_votes")
    frame = own[keys + ["source"]].reset_index(drop=True)
    agrees = []
    for p in powers:
        pair = series.frame[series.frame["partner"] == p].set_index(by)
        frame[f"agree_{p}"] = pair["agreement"].reindex(frame[by]).to_numpy()
        frame[f"n_votes_{p}"] = pair["n_votes"].reindex(frame[by]).to_numpy()
        agrees.append(frame[f"agree_{p}"].to_numpy())
    A = np.column_stack(agrees)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # periods where no other power voted (China before 1971)
        frame["equidistance"] = 1.0 - (np.nanmax(A, axis=1) - np.nanmin(A, axis=1)) if A.size else np.nan
        frame["lean"] = A[:, 0] - np.nanmean(A[:, 1:], axis=1)
    frame["equidistance_volatility"] = frame["equidistance"].rolling(window, min_periods=2).std()
    if ideal is not None:
        frame = _with_ideal(frame, ideal, country, powers, by)
    if since is not None:
        last = frame.iloc[-1]
        frame = frame[frame["year"] >= since]
        if frame.empty:
            held = f"session {int(last['session'])}, which opened in September {int(last['year'])}" if by == "session" else "calendar year"
            raise InputError(f"no UN General Assembly agreement for {country} since {since}; the last year held is "
                             f"{int(last['year'])} ({held}; {last['source']})")
    frame = frame.reset_index(drop=True)
    if by == "session":
        span = f"shown: {session_years(int(frame['session'].min()), int(frame['session'].max()))}"
    else:
        span = f"shown: calendar years {int(frame['year'].min())}-{int(frame['year'].max())}"
    prov = Provenance(series.provenance.source, span, series.provenance.unit, series.provenance.subset)
    return Position(country, powers, by, window, frame, prov, series.index)


def _ideal_frame(ideal: IdealPoints | pd.DataFrame) -> pd.DataFrame:
    if isinstance(ideal, IdealPoints):
        return ideal.frame.assign(ideal_source="geohedge")
    out = ideal.copy()
    if "year" not in out:
        out["year"] = out["session"] + 1945
    if "ideal_source" not in out:
        out["ideal_source"] = "given"
    return out


def _with_ideal(frame: pd.DataFrame, ideal: IdealPoints | pd.DataFrame, country: str, powers: tuple[str, ...], by: str) -> pd.DataFrame:
    points = _ideal_frame(ideal)
    key = "session" if by == "session" else "year"
    wide = points.pivot_table(index=key, columns="country", values="ideal_point", aggfunc="mean")
    cols = [country, *powers]
    wide = wide.reindex(columns=cols)
    out = pd.DataFrame({key: wide.index.astype(int), "ideal_point": wide[country].to_numpy()})
    for p in powers:
        out[f"dist_{p}"] = np.abs(wide[country].to_numpy() - wide[p].to_numpy())
    others = wide[list(powers[1:])].mean(axis=1).to_numpy()
    with np.errstate(all="ignore"):
        rel = (wide[country].to_numpy() - others) / (wide[powers[0]].to_numpy() - others)
    out["relative"] = rel
    out["ideal_equidistance"] = np.clip(1.0 - np.abs(2.0 * rel - 1.0), 0.0, 1.0)
    src = points[points["country"] == country].drop_duplicates(key).set_index(key)["ideal_source"]
    out["ideal_source"] = src.reindex(out[key]).to_numpy()
    return frame.merge(out, on=key, how="left")


def positions(
    agreement: AgreementScores | dict[str, AgreementSeries],
    countries: Sequence[str],
    *,
    ideal: IdealPoints | pd.DataFrame | None = None,
    powers: Sequence[str] = POWERS,
    window: int = 5,
    since: int | None = None,
    min_votes: int = 10,
) -> Positions:
    """:func:`position` for several countries (e.g. candidate partners), in the given order.

    ``agreement`` is roll-call agreement, or one :class:`AgreementSeries` per country.

    Raises
    ------
    InputError
        As :func:`position`, naming the first country that never voted.
    """
    def source(c: str) -> AgreementScores | AgreementSeries:
        if isinstance(agreement, dict):
            if c not in agreement:
                raise InputError(f"no agreement series for {c}")
            return agreement[c]
        return agreement

    return Positions(tuple(position(source(c), c, ideal=ideal, powers=powers, window=window, since=since, min_votes=min_votes)
                           for c in dict.fromkeys(countries)))


def provenance_of(pos: Position | Positions) -> Provenance:
    return pos.provenance if isinstance(pos, Position) else pos.items[0].provenance
