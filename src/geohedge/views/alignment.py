"""Store-backed alignment: a country between the great powers, as the CLI, the brief and the API show it.

:func:`alignment_view` reads the UN votes and the published Bailey-Strezhnev-Voeten
estimates from the store and assembles, for a focus country and its candidate partners:

- agreement with each power per period in one named index (:data:`geohedge.alignment.INDICES`).
  The default, ``identical`` (share of identical votes, by session), is computed from the
  roll calls for sessions 1-74 (1946-2019) and continued with the published scores for
  sessions 75-78 (2020 to mid-2024); ``half`` (geohedge's half-credit index, calendar
  years) and ``state_dept`` (the US State Department's coincidence) exist only where
  roll calls exist. Every row says its ``source``;
- equidistance ("between the blocs"), lean and volatility on that series;
- ideal points: the published estimates (fast), or with ``ideal=True`` geohedge's own
  fit on the roll calls, put on the published scale, continued with the published ones;
- ``comparison``: agreement with the first power by both definitions where both exist
  (half-credit by calendar year and by session, identical votes by session, the
  published score), so the reader sees where the published figure and geohedge's
  half-credit figure differ and why.

:func:`pair_agreement` gives one pair's agreement per period with its source, 1946-2024.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geohedge.alignment import (
    INDICES,
    POWERS,
    AgreementScores,
    Position,
    Positions,
    agreement_scores,
    agreement_series,
    check_index,
    check_issue,
    ideal_points,
    position,
    session_years,
    spliced_ideal_points,
)
from geohedge.data.store import Store
from geohedge.errors import InputError
from geohedge.views.votes import VoteData, query_published, query_votes

__all__ = ["AlignmentView", "alignment_view", "index_comparison", "pair_agreement"]

#: Periods in which the focus country cast fewer votes are left out (e.g. January 2020).
MIN_VOTES = 10


@dataclass(frozen=True, eq=False)
class AlignmentView:
    """What :func:`alignment_view` assembles (module docstring).

    Attributes
    ----------
    positions
        The focus country first, then the candidate partners.
    frame
        All of them stacked: ``country``, the period columns, ``source``, ``agree_<P>``
        per power, ``equidistance, lean, equidistance_volatility``, ``agree_<focus>``
        for the partners, the ideal-point columns.
    comparison
        ``country, year, session, half_year, half_session, identical, published``:
        agreement with the first power by each definition, years with roll calls.
    caption, notes
        The index's definition, sources and true years; what the reader must know.
    ideal_points
        ``country, session, year, ideal_point, ideal_source`` for the focus country, the
        partners and the powers (``None`` without ideal points).
    """

    country: str
    powers: tuple[str, ...]
    index: str
    positions: Positions
    frame: pd.DataFrame
    comparison: pd.DataFrame
    caption: str
    notes: tuple[str, ...]
    votes_source: str
    unmapped: tuple[str, ...] = ()
    ideal_points: pd.DataFrame | None = None

    @property
    def focus(self) -> Position:
        return self.positions.items[0]

    @property
    def by(self) -> str:
        return self.focus.by


def _bridge_on(vd: VoteData) -> str:
    """UN Digital Library rows bridge on the resolution title (their ``descr`` is the agenda item)."""
    return "short" if vd.dataset == "undl" else "descr"


def _scores(vd: VoteData, codes: Sequence[str], index: str, by: str, issue: str | None, important_only: bool) -> AgreementScores:
    return agreement_scores(vd.votes, vd.roll_calls, vd.issues, by=by, index=index, issue=issue, important_only=important_only,  # type: ignore[arg-type]
                            source=vd.source, countries=codes)


def index_comparison(vd: VoteData, published: pd.DataFrame | None, countries: Sequence[str], partner: str) -> pd.DataFrame:
    """Agreement of each country with ``partner`` by every definition, years with roll calls.

    Returns
    -------
    pandas.DataFrame
        ``country, year, session, half_year`` (half-credit, calendar year),
        ``half_session`` and ``identical`` (the session that opened that year), ``published``
        (the published score for that session, NaN where not published).
    """
    codes = list(dict.fromkeys([*countries, partner]))
    half_y = _scores(vd, codes, "half", "year", None, False)
    half_s = _scores(vd, codes, "half", "session", None, False)
    ident = _scores(vd, codes, "identical", "session", None, False)
    rows = []
    for c in countries:
        if c == partner or c not in ident.countries or partner not in ident.countries:
            continue
        s = ident.pair(c, partner).rename(columns={"agreement": "identical"}).drop(columns="n_votes")
        s = s.merge(half_s.pair(c, partner).rename(columns={"agreement": "half_session"}).drop(columns="n_votes"), on="session", how="outer")
        s["year"] = s["session"] + 1945
        y = half_y.pair(c, partner).rename(columns={"agreement": "half_year"})
        s = s.merge(y[["year", "half_year"]], on="year", how="left")
        if published is not None:
            p = published[(published["country"] == c) & (published["partner"] == partner)][["session", "agreement"]]
            s = s.merge(p.rename(columns={"agreement": "published"}), on="session", how="left")
        else:
            s["published"] = np.nan
        rows.append(s.assign(country=c))
    cols = ["country", "year", "session", "half_year", "half_session", "identical", "published"]
    return pd.concat(rows, ignore_index=True)[cols] if rows else pd.DataFrame(columns=cols)


def _explain(comparison: pd.DataFrame, country: str, partner: str) -> str | None:
    both = comparison[(comparison["country"] == country)].dropna(subset=["half_year", "published"])
    if both.empty:
        return None
    r = both.iloc[-1]
    return (f"{country}-{partner} in {int(r['year'])}: geohedge's half-credit index {r['half_year']:.3f} for the calendar year "
            f"({r['half_session']:.3f} for session {int(r['session'])}); identical votes only {r['identical']:.3f}; published "
            f"{r['published']:.3f}. The published score counts an abstention against a yes or a no as disagreement (the "
            f"half-credit index as 1/2) and is by session (September to September), not calendar year.")


def alignment_view(
    store: Store,
    country: str,
    *,
    partners: Sequence[str] = (),
    powers: Sequence[str] = POWERS,
    index: str = "identical",
    since: int | None = None,
    window: int = 5,
    issue: str | None = None,
    important_only: bool = False,
    ideal: bool = False,
    dataset: str | None = None,
    compare: Sequence[str] = (),
    progress: Callable[[str, int, int], None] | None = None,
) -> AlignmentView:
    """A country's alignment between the great powers (module docstring).

    ``compare`` adds countries to :attr:`AlignmentView.comparison` (the focus country and
    the partners are always in it).

    Raises
    ------
    DataError
        No UN votes in the store.
    InputError
        Unknown index or issue, a country or power that never voted, or nothing since
        ``since`` (the message names the last year held).
    """
    index = check_index(index)
    issue = check_issue(issue)
    asked = tuple(dict.fromkeys(powers))
    powers = tuple(p for p in asked if p != country)  # a power is placed between the others
    if len(powers) < 2:
        raise InputError(f"need at least two powers other than {country} to place it between them, got {list(asked)}")
    partners = tuple(p for p in dict.fromkeys(partners) if p != country and p not in powers)
    vd = query_votes(store, dataset=dataset)
    restricted = issue is not None or important_only
    pub = None if restricted or index != "identical" else query_published(store)
    by = "session" if index == "identical" else "year"
    codes = [country, *partners, *powers]
    ag = _scores(vd, codes, index, by, issue, important_only)
    series = {}
    silent = []  # partners without a vote in the roll calls (Hong Kong, Taiwan since 1971): left out, with a note
    for c in (country, *partners):
        others = [*powers, country] if c != country else list(powers)
        try:
            series[c] = agreement_series(ag, c, others, published=None if pub is None else pub.agreement,
                                         published_votes=None if pub is None else pub.ideal_points)
        except InputError:
            if c == country:
                raise
            silent.append(c)
    partners = tuple(p for p in partners if p not in silent)
    own = None
    if ideal:
        own = ideal_points(vd.votes, vd.roll_calls, vd.issues, issue=issue, important_only=important_only, source=vd.source,
                           bridge_on=_bridge_on(vd), progress=progress)
    points = spliced_ideal_points(own, pub.ideal_points) if pub is not None else (own.frame.assign(ideal_source="geohedge") if own is not None else None)
    items = []
    for k, c in enumerate((country, *partners)):
        try:
            items.append(position(series[c], c, ideal=points, powers=powers, window=window, since=since, min_votes=MIN_VOTES))
        except InputError as exc:
            if k == 0 and since is not None and index != "identical" and pub is None and "since" in str(exc):
                raise InputError(f"{exc}; the {index.replace('_', '-')} index needs the roll calls, which end in January 2020 "
                                 "(the default index, identical, continues to 2023 with the published scores)") from None
            if k == 0:
                raise
    pos = Positions(tuple(items))
    frame = pos.to_frame()
    if partners:
        with_focus = pd.concat([series[c].pair(country).assign(country=c) for c in partners if c in series and country in series[c].partners],
                               ignore_index=True)
        keys = ["session", "year"] if by == "session" else ["year"]
        frame = frame.merge(with_focus[["country", *keys, "agreement"]].rename(columns={"agreement": f"agree_{country}"}),
                            on=["country", *keys], how="left")
    lead = ["country", *(["session"] if by == "session" else []), "year", "source"]
    frame = frame[lead + [c for c in frame.columns if c not in lead]]
    comparison = pd.DataFrame()
    if not restricted:
        known = pub if pub is not None else query_published(store)
        compared = list(dict.fromkeys([country, *partners, *compare]))
        comparison = index_comparison(vd, None if known is None else known.agreement, compared, powers[0])
    notes = _notes(pos, vd, pub, index, restricted, partners, country, powers, comparison, own is not None)
    if silent:
        notes.insert(0, f"{', '.join(silent)} cast no vote in these UN General Assembly roll calls (not a UN member), so "
                        f"{'it is' if len(silent) == 1 else 'they are'} left out of the partners compared.")
    if powers != asked:
        notes.insert(0, f"{country} is itself one of the powers asked for; it is placed between {', '.join(powers)}.")
    caption = f"{INDICES[index]}; sources: {pos.items[0].provenance.label()}"
    mine = None if points is None else points[points["country"].isin(codes)].reset_index(drop=True)
    return AlignmentView(country, powers, index, pos, frame, comparison, caption, tuple(notes), vd.source, vd.unmapped, mine)


def _notes(pos: Positions, vd: VoteData, pub, index: str, restricted: bool, partners, country: str, powers, comparison, own: bool) -> list[str]:
    focus = pos.items[0].frame
    notes = [f"Agreement index: {INDICES[index]}."]
    rc = focus[focus["source"] == "roll calls"]
    pb = focus[focus["source"] == "published"]
    if len(rc):
        span = session_years(int(rc["session"].min()), int(rc["session"].max())) if "session" in rc else f"{int(rc['year'].min())}-{int(rc['year'].max())}"
        notes.append(f"From the roll calls ({vd.source}): {span}.")
    if len(pb):
        notes.append(f"From the published Bailey-Strezhnev-Voeten agreement scores (June 2024 release): {session_years(int(pb['session'].min()), int(pb['session'].max()))}; "
                     "session s opens in September of 1945 + s, the last one is partial (votes to mid-2024).")
    elif index == "identical" and pub is None and not restricted:
        notes.append("The published agreement scores are not in the store, so the series ends with the roll calls; run 'geohedge data build'.")
    if index != "identical":
        notes.append("This index needs the individual votes, which end in January 2020; the published scores for 2020-2024 are "
                     "identical-vote shares by session (use the default index, identical, for the years after 2019).")
    if restricted:
        notes.append("Issue or important-vote restrictions use the roll calls only (the published scores cover all votes).")
    if partners and len(pb):
        notes.append(f"Agreement of the partners with {country} after the roll calls is not published (the published file gives "
                     "agreement with the USA, Russia, Brazil, China, India and Israel only).")
    if "ideal_source" in focus:
        srcs = sorted(set(focus["ideal_source"].dropna()))
        if srcs == ["published"]:
            notes.append("Ideal points: the published Bailey-Strezhnev-Voeten estimates (posterior means, all votes).")
        elif own:
            notes.append("Ideal points: geohedge's dynamic ordered-logit estimates from the roll calls (docs/alignment.md), put on the "
                         "published scale by the least-squares line over the country-sessions both cover, then the published estimates.")
    expl = _explain(comparison, country, powers[0]) if len(comparison) else None
    if expl:
        notes.append(expl)
    if vd.unmapped:
        notes.append(f"Source country codes without an ISO3 code, left out: {'; '.join(vd.unmapped)}.")
    return notes


def pair_agreement(store: Store, a: str, b: str, *, index: str = "identical", dataset: str | None = None) -> pd.DataFrame:
    """Agreement of country ``a`` with ``b`` per period, with where each value comes from.

    With the default ``identical`` index: sessions 1-74 (1946-2019) from the roll calls and
    sessions 75-78 (2020 to mid-2024) from the published scores when ``b`` (or ``a``) is one
    of the USA, Russia, Brazil, China, India and Israel; ``half`` and ``state_dept`` are by
    calendar year from the roll calls only.

    Returns
    -------
    pandas.DataFrame
        ``year`` (calendar year, or the year the session opened), ``session`` (NaN for
        calendar-year indices), ``agreement`` (share 0-1), ``n_votes`` (shared roll calls;
        NaN for published values), ``source`` (``roll calls`` or ``published``),
        ``index``. Periods in which ``a`` cast, or the pair shared, fewer than 10 votes
        (the two roll calls of January 2020, the last votes of a new member) are left out.

    Raises
    ------
    InputError
        Unknown index, or ``a`` never voted.
    """
    index = check_index(index)
    vd = query_votes(store, dataset=dataset)
    by = "session" if index == "identical" else "year"
    pub = query_published(store) if index == "identical" else None
    ag = _scores(vd, [a, b], index, by, None, False)
    s = agreement_series(ag, a, [b], published=None if pub is None else pub.agreement,
                         published_votes=None if pub is None else pub.ideal_points)
    out = s.pair(b)
    own = s.own_votes.set_index(by)["n_votes"].reindex(out[by]).to_numpy()
    out = out[(own >= MIN_VOTES) & ~(out["n_votes"] < MIN_VOTES).to_numpy()].reset_index(drop=True)
    if "session" not in out:
        out.insert(1, "session", np.nan)
    return out[["year", "session", "agreement", "n_votes", "source"]].assign(index=index)
