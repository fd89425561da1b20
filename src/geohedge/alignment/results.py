"""Result objects of the alignment package: frozen, with ``to_frame()``, a summary and provenance."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geohedge.errors import InputError

__all__ = ["AgreementScores", "AgreementSeries", "IdealPoints", "Position", "Positions", "Provenance"]


@dataclass(frozen=True)
class Provenance:
    """Where the numbers come from: source, period covered, unit, and the vote subset."""

    source: str
    periods: str
    unit: str
    subset: str = "all roll calls"

    def label(self) -> str:
        return f"{self.source}, {self.periods}, {self.unit}, {self.subset}"


@dataclass(frozen=True, eq=False)
class AgreementScores:
    """Agreement index for every pair of countries and every period.

    Attributes
    ----------
    by
        ``year`` (calendar year of the vote) or ``session`` (General Assembly session).
    periods
        (P,) the years or sessions, ascending.
    countries
        (N,) ISO3 codes, sorted.
    agreement
        (P, N, N) share in [0, 1] over shared roll calls, by ``index`` (half-credit:
        yes/no = 0, either abstaining = 1/2, identical = 1); NaN where the pair shared
        no vote.
    n_votes
        (P, N, N) roll calls both countries voted on (diagonal: the country's votes).
    issue, important_only
        The restriction applied.
    index
        ``half``, ``identical`` or ``state_dept`` (:data:`geohedge.alignment.INDICES`).
    """

    by: str
    periods: np.ndarray
    countries: tuple[str, ...]
    agreement: np.ndarray
    n_votes: np.ndarray
    issue: str | None
    important_only: bool
    provenance: Provenance
    index: str = "half"

    def _p(self, period: int) -> int:
        hits = np.flatnonzero(self.periods == period)
        if not len(hits):
            raise InputError(
                f"no roll calls in {self.by} {period} for this selection; {self.by}s with votes run "
                f"{int(self.periods.min())}-{int(self.periods.max())}"
            )
        return int(hits[0])

    def _c(self, iso3: str) -> int:
        try:
            return self.countries.index(iso3)
        except ValueError:
            raise InputError(f"{iso3} cast no vote in the selected UN General Assembly roll calls") from None

    def matrix(self, period: int) -> pd.DataFrame:
        """The N x N agreement matrix of one period (countries that voted in it)."""
        p = self._p(period)
        voted = np.diagonal(self.n_votes[p]) > 0
        codes = [c for c, v in zip(self.countries, voted, strict=True) if v]
        return pd.DataFrame(self.agreement[p][np.ix_(voted, voted)], index=codes, columns=codes)

    def pair(self, a: str, b: str) -> pd.DataFrame:
        """One dyad over time: ``period, agreement, n_votes`` (periods where both voted)."""
        ia, ib = self._c(a), self._c(b)
        out = pd.DataFrame({self.by: self.periods, "agreement": self.agreement[:, ia, ib], "n_votes": self.n_votes[:, ia, ib]})
        return out[out["n_votes"] > 0].reset_index(drop=True)

    def to_frame(self) -> pd.DataFrame:
        """Long frame, one row per unordered pair and period with shared votes:
        ``<by>, country_a, country_b, agreement, n_votes`` (country_a < country_b)."""
        N = len(self.countries)
        ia, ib = np.triu_indices(N, k=1)
        codes = np.asarray(self.countries)
        frames = []
        for p, period in enumerate(self.periods):
            n = self.n_votes[p, ia, ib]
            keep = n > 0
            frames.append(pd.DataFrame({
                self.by: int(period), "country_a": codes[ia[keep]], "country_b": codes[ib[keep]],
                "agreement": self.agreement[p, ia[keep], ib[keep]], "n_votes": n[keep],
            }))
        return pd.concat(frames, ignore_index=True)

    def summary(self) -> str:
        return (
            f"agreement for {len(self.countries)} countries over {len(self.periods)} {self.by}s "
            f"({int(self.periods.min())}-{int(self.periods.max())}) [{self.provenance.label()}]"
        )


@dataclass(frozen=True, eq=False)
class AgreementSeries:
    """One country's agreement with its partners over time, from the roll calls and, for
    the sessions after them, the published agreement scores (see
    :func:`geohedge.alignment.agreement_series`).

    Attributes
    ----------
    country
        ISO3 code of the focus country.
    partners
        ISO3 codes of the partners.
    index, by
        The agreement index (``half``, ``identical``, ``state_dept``) and the period
        (``session`` or ``year``).
    frame
        ``session`` (session-based series only), ``year`` (calendar year of the votes,
        or the year the session opened in September), ``partner``, ``agreement``
        (share 0-1), ``n_votes`` (roll calls both voted on; NaN for published rows,
        which do not give it), ``source`` (``roll calls`` or ``published``).
    own_votes
        ``session``/``year``, ``n_votes`` (votes the focus country cast), ``source``.
    """

    country: str
    partners: tuple[str, ...]
    index: str
    by: str
    frame: pd.DataFrame
    own_votes: pd.DataFrame
    provenance: Provenance

    def pair(self, partner: str) -> pd.DataFrame:
        """The focus country's agreement with one partner, one row per period."""
        if partner not in self.partners:
            raise InputError(f"{partner} is not among the partners of this series ({', '.join(self.partners)})")
        return self.frame[self.frame["partner"] == partner].drop(columns="partner").reset_index(drop=True)

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def summary(self) -> str:
        f = self.frame
        spans = "; ".join(f"{src} {int(g['year'].min())}-{int(g['year'].max())}" for src, g in f.groupby("source", sort=False))
        return f"{self.country} agreement with {', '.join(self.partners)} ({self.index} index): {spans} [{self.provenance.label()}]"


@dataclass(frozen=True, eq=False)
class IdealPoints:
    """One-dimensional ideal points per country and session (see
    :func:`geohedge.alignment.ideal_points`).

    Attributes
    ----------
    frame
        ``country, session, year`` (calendar year the session opened),
        ``ideal_point`` (standardised: mean 0, SD 1 over all country-sessions; USA > 0),
        ``se`` (standard error on the same scale), ``n_votes``.
    items
        ``item, rcids, beta, cut_no_abstain, cut_abstain_yes, n_votes, bridged``:
        parameters on the same scale as ``ideal_point``.
    iterations, log_posterior
        Solver record.
    uncertainty
        ``laplace`` or ``bootstrap``.
    """

    frame: pd.DataFrame
    items: pd.DataFrame
    iterations: int
    log_posterior: float
    uncertainty: str
    settings: dict[str, object]
    provenance: Provenance

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def session(self, session: int) -> pd.DataFrame:
        """Ideal points of one session, sorted from most negative to most positive."""
        out = self.frame[self.frame["session"] == session]
        if out.empty:
            raise InputError(f"no ideal points for session {session}; sessions run {int(self.frame['session'].min())}-{int(self.frame['session'].max())}")
        return out.sort_values("ideal_point", ignore_index=True)

    def country(self, iso3: str) -> pd.DataFrame:
        out = self.frame[self.frame["country"] == iso3]
        if out.empty:
            raise InputError(f"{iso3} cast no vote in the UN General Assembly roll calls used for the ideal points")
        return out.reset_index(drop=True)

    def summary(self) -> str:
        last = int(self.frame["session"].max())
        s = self.session(last)
        lo, hi = s.iloc[0], s.iloc[-1]
        return (
            f"ideal points for {self.frame['country'].nunique()} countries in {self.frame['session'].nunique()} sessions; "
            f"session {last}: from {lo['country']} ({lo['ideal_point']:+.2f}) to {hi['country']} ({hi['ideal_point']:+.2f}) "
            f"[{self.provenance.label()}]"
        )


@dataclass(frozen=True, eq=False)
class Position:
    """A focus country's position between the great powers over time.

    ``frame`` columns: ``session`` (session-based positions), ``year``, ``source`` (``roll
    calls`` or ``published``), ``agree_<P>`` (agreement share with each
    power P), ``n_votes_<P>``, ``equidistance`` (1 - spread of the agreements across the
    powers, in [0, 1]; 1 = equally close to all), ``lean`` (agreement with the first
    power minus the mean agreement with the others, in [-1, 1]), ``equidistance_volatility``
    (rolling standard deviation over ``window`` periods), and when ideal points are
    given: ``ideal_point``, ``dist_<P>`` (absolute ideal-point distance), ``relative``
    (0 at the mean of the other powers, 1 at the first power) and
    ``ideal_equidistance`` (1 - |2 relative - 1|, clipped to [0, 1]), and
    ``ideal_source`` (which estimates the ideal points are).
    ``index`` names the agreement index (:data:`geohedge.alignment.INDICES`).
    """

    country: str
    powers: tuple[str, ...]
    by: str
    window: int
    frame: pd.DataFrame
    provenance: Provenance
    index: str = "half"

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def latest(self) -> pd.Series:
        return self.frame.iloc[-1]

    def summary(self) -> str:
        r = self.latest()
        parts = ", ".join(f"{p} {r[f'agree_{p}']:.2f}" for p in self.powers if pd.notna(r.get(f"agree_{p}")))
        when = f"session {int(r['session'])} ({int(r['year'])}-{int(r['year']) + 1})" if self.by == "session" else f"year {int(r['year'])}"
        return (
            f"{self.country} {when}: agreement {parts}; equidistance {r['equidistance']:.2f}, "
            f"lean to {self.powers[0]} {r['lean']:+.2f} [{self.provenance.label()}]"
        )


@dataclass(frozen=True, eq=False)
class Positions:
    """:class:`Position` of several countries; ``to_frame`` stacks them with a ``country`` column."""

    items: tuple[Position, ...]

    def to_frame(self) -> pd.DataFrame:
        return pd.concat([p.frame.assign(country=p.country) for p in self.items], ignore_index=True)

    def latest(self) -> pd.DataFrame:
        """One row per country: its latest period, sorted by equidistance (most balanced first)."""
        rows = [p.frame.iloc[-1].to_dict() | {"country": p.country} for p in self.items if len(p.frame)]
        out = pd.DataFrame(rows)
        by = self.items[0].by
        out[by] = out[by].astype(int)
        cols = ["country"] + [c for c in out.columns if c != "country"]
        return out[cols].sort_values("equidistance", ascending=False, ignore_index=True)

    def summary(self) -> str:
        return "\n".join(p.summary() for p in self.items if len(p.frame))
