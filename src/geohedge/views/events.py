"""Store reads for events and articles (tables ``events`` and ``articles``).

Functions return DataFrames in the store's canonical columns (see
:mod:`geohedge.data.store`); an empty frame, never an error, when nothing matches.
"""

from __future__ import annotations

import datetime as _dt

import pandas as pd

from geohedge.errors import InputError

__all__ = ["COUNTED", "EVENT_FIELDS", "parse_dyad", "query_articles", "query_dyads", "query_events"]

EVENT_FIELDS = (
    "date", "source_code", "source_sector", "event_type", "target_code", "target_sector", "intensity",
    "confidence", "source_name", "target_name", "trigger", "sentence", "url", "dataset", "event_id", "cameo_code", "doc_id",
    "mode", "background", "repeats", "date_source",
)
#: SQL condition of the events a relations index counts (see :mod:`geohedge.events.relations`).
COUNTED = ("coalesce(e.background, FALSE) = FALSE AND coalesce(e.mode, '') NOT IN "
           "('negated', 'denied', 'expected')")


def parse_dyad(text: str) -> tuple[str, str]:
    """``"MYS-TUR"`` or ``"Malaysia-Türkiye"`` -> ``("MYS", "TUR")`` (organisation codes kept).

    Raises
    ------
    InputError
        Not two parts joined by ``-`` (or ``,``), or an unknown country.
    """
    from geohedge.countries import resolve

    sep = "," if "," in text else "-"
    pieces = text.split(sep)
    if len(pieces) < 2 or not all(p.strip() for p in pieces):
        raise InputError(f"dyad {text!r} is not two actors joined by '-', e.g. MYS-TUR")
    if len(pieces) == 2:
        return _code(pieces[0].strip(), resolve), _code(pieces[1].strip(), resolve)
    for i in range(1, len(pieces)):
        try:
            return _code(sep.join(pieces[:i]).strip(), resolve), _code(sep.join(pieces[i:]).strip(), resolve)
        except InputError:
            continue
    raise InputError(f"dyad {text!r}: cannot split it into two known countries; use ISO3 codes, e.g. MYS-TUR")


def _code(part: str, resolve) -> str:
    from geohedge.events.actors import default_actors

    orgs = {e.code for e in default_actors().entries if e.kind == "org"}
    if part.upper() in orgs:
        return part.upper()
    return resolve(part)


def query_events(
    store,
    *,
    dyad: tuple[str, str] | None = None,
    actor: str | None = None,
    since: _dt.date | None = None,
    until: _dt.date | None = None,
    event_type: str | None = None,
    dataset: str | None = None,
    directed: bool = False,
    limit: int | None = None,
) -> pd.DataFrame:
    """Events from the store, newest first.

    Parameters
    ----------
    dyad
        ``(a, b)``: events between them (both directions unless ``directed``).
    actor
        Events where this code is source or target.
    since, until
        Date bounds (``since`` inclusive, ``until`` exclusive).
    event_type
        One PLOVER type (``cooperate``, ``coerce``, ...).
    dataset
        ``news`` or ``gdelt``.

    Returns
    -------
    DataFrame
        Columns :data:`EVENT_FIELDS`: the events' own, and the article's ``date_source``
        (``published``, ``header``, ``dateline``, ``given``, ``ingested``; empty for GDELT).

    Raises
    ------
    InputError
        Unknown event type.
    """
    from geohedge.events.results import PLOVER_TYPES

    if not store.has_table("events"):
        return pd.DataFrame(columns=list(EVENT_FIELDS))
    where, params = ["e.source_code IS NOT NULL"], []
    if dyad is not None:
        a, b = dyad
        if directed:
            where.append("e.source_code = ? AND e.target_code = ?")
            params += [a, b]
        else:
            where.append("((e.source_code = ? AND e.target_code = ?) OR (e.source_code = ? AND e.target_code = ?))")
            params += [a, b, b, a]
    if actor is not None:
        where.append("(e.source_code = ? OR e.target_code = ?)")
        params += [actor, actor]
    if since is not None:
        where.append("e.date >= ?")
        params.append(since)
    if until is not None:
        where.append("e.date < ?")
        params.append(until)
    if event_type is not None:
        kind = event_type.strip().lower()
        if kind not in PLOVER_TYPES:
            raise InputError(f"unknown event type {event_type!r}; use one of {', '.join(PLOVER_TYPES)}")
        where.append("e.event_type = ?")
        params.append(kind)
    if dataset is not None:
        where.append("e.dataset = ?")
        params.append(dataset)
    fields = ", ".join(f"a.{f}" if f == "date_source" else f"e.{f}" for f in EVENT_FIELDS)
    sql = (f"SELECT {fields} FROM events e LEFT JOIN articles a ON a.dataset = e.dataset AND a.doc_id = e.doc_id "
           f"WHERE {' AND '.join(where)} ORDER BY e.date DESC NULLS LAST, e.dataset, e.event_id")
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return store.query(sql, params)


def query_articles(store) -> pd.DataFrame:
    """Ingested articles: ``doc_id, url, title, published, date_source, language, n_words,
    n_sentences, n_events, ingested_at``, newest first."""
    if not store.has_table("articles"):
        return pd.DataFrame(columns=["doc_id", "url", "title", "published"])
    return store.query("SELECT * EXCLUDE (dataset) FROM articles ORDER BY published DESC NULLS LAST, url")


def query_dyads(store, iso3: str, *, since: _dt.date | None = None) -> pd.DataFrame:
    """Partners of ``iso3`` in the events: ``partner, n_events, n_cooperation, n_conflict,
    net_intensity, mean_intensity, last_date``, most events first; counted as the relations
    index counts (:data:`COUNTED`: no background events, none negated, denied or only expected)."""
    if not store.has_table("events"):
        return pd.DataFrame(columns=["partner", "n_events"])
    params: list[object] = [iso3, iso3, iso3]
    extra = ""
    if since is not None:
        extra = " AND date >= ?"
        params.append(since)
    return store.query(
        f"""
        SELECT CASE WHEN source_code = ? THEN target_code ELSE source_code END AS partner,
               count(*) AS n_events, count(*) FILTER (WHERE intensity > 0) AS n_cooperation,
               count(*) FILTER (WHERE intensity < 0) AS n_conflict, sum(intensity) AS net_intensity,
               avg(intensity) AS mean_intensity, max(date) AS last_date
        FROM events e
        WHERE (source_code = ? OR target_code = ?) AND source_code IS NOT NULL AND target_code IS NOT NULL
              AND source_code <> target_code AND {COUNTED}{extra}
        GROUP BY partner ORDER BY n_events DESC, partner
        """,
        params,
    )
