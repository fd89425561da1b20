"""Agreement and ideal points over time from the roll calls and, after them, the published series.

The roll-call votes end with session 74 (January 2020); the published Bailey, Strezhnev &
Voeten file runs to session 78 (votes to mid-2024). It gives every country's agreement
with six partners (USA, RUS, BRA, CHN, IND, ISR) as the share of identical votes per
session, and an ideal point per country and session. Only a series with the same
definition can be continued with it:

- the ``identical`` index by session: computed from the roll calls for the sessions they
  cover and taken from the published file for every later session (``source`` says
  which). Where both exist the two agree to the third decimal when the vote sets
  coincide (docs/alignment.md), so the seam is not a break in definition;
- the ``half`` and ``state_dept`` indices exist only where roll calls exist.

Ideal points: geohedge's own estimates (:func:`geohedge.alignment.ideal_points`, fitted
on the roll calls) are on their own standardised scale; :func:`spliced_ideal_points` maps
them onto the published scale by the least-squares line over the country-sessions both
cover and continues with the published estimates after the roll calls.

Input frames (as :func:`geohedge.views.votes.query_published` returns them):

- ``published``: ``session, country, partner, agreement``;
- ``published_votes`` and the published ideal points: ``country, session, year,
  n_votes, ideal_point``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from geohedge.alignment.results import AgreementScores, AgreementSeries, IdealPoints, Provenance
from geohedge.errors import InputError

__all__ = ["PUBLISHED_LABEL", "agreement_series", "session_years", "spliced_ideal_points"]

PUBLISHED_LABEL = "published Bailey-Strezhnev-Voeten agreement scores"


def session_years(first: int, last: int) -> str:
    """``"sessions 75-78 (opened 2020-2023)"``: session s opens in September of 1945 + s
    and runs to the next September."""
    if first == last:
        return f"session {first} (opened September {1945 + first})"
    return f"sessions {first}-{last} (opened {1945 + first}-{1945 + last})"


def _roll_call_rows(agreement: AgreementScores, country: str, partners: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    c = agreement.countries.index(country)
    rows = []
    for p in partners:
        if p not in agreement.countries:
            continue
        k = agreement.countries.index(p)
        n = agreement.n_votes[:, c, k]
        keep = n > 0
        rows.append(pd.DataFrame({agreement.by: agreement.periods[keep].astype(int), "partner": p,
                                  "agreement": agreement.agreement[keep, c, k], "n_votes": n[keep].astype(float)}))
    frame = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=[agreement.by, "partner", "agreement", "n_votes"])
    own = pd.DataFrame({agreement.by: agreement.periods.astype(int), "n_votes": agreement.n_votes[:, c, c].astype(float)})
    return frame.assign(source="roll calls"), own[own["n_votes"] > 0].assign(source="roll calls")


def _published_rows(published: pd.DataFrame, votes: pd.DataFrame, country: str, partners: Sequence[str], after: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    pub = published[published["session"] > after]
    direct = pub[(pub["country"] == country) & pub["partner"].isin(partners)]
    # the file gives each country's agreement with the six partners; agreement is symmetric
    mirror = pub[(pub["partner"] == country) & pub["country"].isin(partners)].rename(columns={"country": "partner", "partner": "country"})
    both = pd.concat([direct, mirror], ignore_index=True).drop_duplicates(["session", "partner"])
    frame = pd.DataFrame({"session": both["session"].astype(int), "partner": both["partner"], "agreement": both["agreement"].astype(float),
                          "n_votes": np.nan, "source": "published"})
    own = votes[(votes["country"] == country) & (votes["session"] > after)]
    own = pd.DataFrame({"session": own["session"].astype(int), "n_votes": own["n_votes"].astype(float), "source": "published"})
    return frame, own


def agreement_series(
    agreement: AgreementScores,
    country: str,
    partners: Sequence[str],
    *,
    published: pd.DataFrame | None = None,
    published_votes: pd.DataFrame | None = None,
) -> AgreementSeries:
    """A country's agreement with ``partners`` per period, continued with the published scores.

    Parameters
    ----------
    agreement
        Roll-call agreement (:func:`geohedge.alignment.agreement_scores`).
    country, partners
        ISO3 codes.
    published, published_votes
        The published agreement scores and each country's published vote count (module
        docstring). Used only when ``agreement`` is the ``identical`` index by session,
        for the sessions after the last one with roll calls.

    Raises
    ------
    InputError
        The focus country never voted in the roll calls or the published sessions.
    """
    partners = tuple(p for p in dict.fromkeys(partners) if p != country)
    by = agreement.by
    if country in agreement.countries:
        frame, own = _roll_call_rows(agreement, country, partners)
    else:
        frame = pd.DataFrame(columns=[by, "partner", "agreement", "n_votes", "source"])
        own = pd.DataFrame(columns=[by, "n_votes", "source"])
    last = int(agreement.periods.max())
    first = int(agreement.periods.min())
    spans = [f"roll calls ({agreement.provenance.source})" + (f", {session_years(first, last)}" if by == "session" else "")]
    extend = published is not None and published_votes is not None and by == "session" and agreement.index == "identical"
    if extend:
        pub, pub_own = _published_rows(published, published_votes, country, partners, last)
        if len(pub):
            frame = pd.concat([frame, pub], ignore_index=True)
            own = pd.concat([own, pub_own], ignore_index=True)
            last = int(pub["session"].max())
            spans.append(f"{PUBLISHED_LABEL}, {session_years(int(pub['session'].min()), last)}, the last one partial (votes to mid-2024)")
    if frame.empty:
        raise InputError(f"{country} cast no vote in the selected UN General Assembly roll calls ({agreement.provenance.periods}, "
                         f"{agreement.provenance.subset}); the focus country must be a country that voted")
    for f in (frame, own):
        f[by] = f[by].astype(int)
        if by == "session":
            f.insert(1, "year", f["session"] + 1945)
    frame = frame.sort_values([by, "partner"], ignore_index=True)
    own = own.sort_values(by, ignore_index=True)
    periods = session_years(first, last) if by == "session" else agreement.provenance.periods
    prov = Provenance("; ".join(spans), periods, agreement.provenance.unit, agreement.provenance.subset)
    return AgreementSeries(country, partners, agreement.index, by, frame, own, prov)


def spliced_ideal_points(own: IdealPoints | None, published: pd.DataFrame) -> pd.DataFrame:
    """Ideal points per country and session: geohedge's own estimates where roll calls exist,
    put on the published scale, and the published estimates after them.

    The map ``a + b x`` is the least-squares line of the published on geohedge's points
    over every country-session both have. Without ``own`` the published estimates are
    returned for every session.

    Returns
    -------
    pandas.DataFrame
        ``country, session, year, ideal_point, ideal_source`` (``geohedge`` or ``published``).
    """
    pub = published[["country", "session", "year", "ideal_point"]].assign(ideal_source="published")
    if own is None:
        return pub.reset_index(drop=True)
    mine = own.frame[["country", "session", "ideal_point"]]
    both = mine.merge(pub, on=["country", "session"], suffixes=("", "_pub"))
    if len(both) < 3:
        raise InputError("geohedge's ideal points and the published ones share fewer than 3 country-sessions; cannot put them on one scale")
    b, a = np.polyfit(both["ideal_point"], both["ideal_point_pub"], 1)
    last = int(mine["session"].max())
    mapped = mine.assign(ideal_point=a + b * mine["ideal_point"], year=mine["session"] + 1945, ideal_source="geohedge")
    return pd.concat([mapped[pub.columns], pub[pub["session"] > last]], ignore_index=True)
