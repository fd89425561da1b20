"""Published UN General Assembly ideal points and agreement scores (Bailey, Strezhnev &
Voeten), and the loader of the UN data geohedge ships.

Source: ``IdealpointestimatesAll_Jun2024.csv`` (Harvard Dataverse hdl:1902.1/12379, June
2024 release; sessions 1-78, 1946 to mid-2024), as the original CSV or as geohedge's
shipped ``unga_idealpoints.parquet`` (same columns and values). Canonical rows:

- ``un_ideal_points``: ``country`` (ISO3; former states keep their ISO 3166-3 code),
  ``session``, ``year`` (1945 + session: the year the session opens in September),
  ``ccode`` (Correlates of War), ``country_name``, ``n_votes`` (roll calls the country
  took part in), ``ideal_point`` (posterior mean, all votes; higher = closer to the
  US-led order), ``q0, q5, q10, q50, q90, q95, q100`` (posterior quantiles).
- ``un_agreement``: ``session, country, partner, agreement``: the share of votes on which
  ``country`` and ``partner`` (USA, RUS - the USSR before 1992 -, BRA, CHN - from 1971 -,
  IND, ISR) cast the same vote that session; rows where the pair did not both vote are
  left out. Recomputed from the roll calls this is geohedge's ``identical`` index
  (:mod:`geohedge.alignment.agreement`), not its half-credit index.

The file codes both Yemens ``YAR``; COW 680 (Yemen People's Republic) is read as ``YMD``,
as in geohedge's votes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from geohedge.countries import resolve_many
from geohedge.data.store import Store
from geohedge.errors import DataError, InputError

__all__ = ["PARTNERS", "PublishedAlignment", "SHIPPED_FILES", "load_shipped_unga", "read_idealpoints"]

#: Agreement columns of the file and the partner each one measures.
PARTNERS: dict[str, str] = {"USAgree": "USA", "RUSSAgree": "RUS", "BrazilAgree": "BRA", "ChinaAgree": "CHN",
                            "IndiaAgree": "IND", "IsraelAgree": "ISR"}
_QUANTILES = {"QO%All": "q0", "Q5%All": "q5", "Q10%All": "q10", "Q50%All": "q50", "Q90%All": "q90", "Q95%All": "q95",
              "Q100%All": "q100"}
_REQUIRED = ("ccode", "session", "NVotesAll", "IdealPointAll", "iso3c", "Countryname", *_QUANTILES, *PARTNERS)
#: COW codes whose ``iso3c`` in the file is not their own.
_COW_FIX = {680: "YMD"}
#: The shipped files :func:`load_shipped_unga` loads (see :mod:`geohedge.data.derived.unga`).
SHIPPED_FILES = ("un_votes.parquet", "un_roll_calls.parquet", "un_roll_call_issues.parquet", "unga_idealpoints.parquet")
SOURCE = "Bailey, Strezhnev & Voeten, UN General Assembly ideal points and agreement scores (published)"


@dataclass(frozen=True, eq=False)
class PublishedAlignment:
    """Canonical frames of the published estimates (module docstring) and what could not be mapped."""

    ideal_points: pd.DataFrame
    agreement: pd.DataFrame
    unmapped: tuple[str, ...] = ()


def _read_raw(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise InputError(f"published ideal-point file {str(path)!r} does not exist")
    try:
        if path.suffix == ".parquet":
            return pd.read_parquet(path)
        return pd.read_csv(path, na_values=["NA", ""], keep_default_na=False)
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: unreadable ideal-point file: {exc}".splitlines()[0]) from exc


def read_idealpoints(path: str | Path) -> PublishedAlignment:
    """Read the published ideal points and agreement scores (CSV or shipped Parquet).

    Raises
    ------
    InputError
        The file does not exist.
    DataError
        A column is missing, a value is out of range, or a country appears twice in a
        session (the message names the first bad rows).
    """
    path = Path(path)
    raw = _read_raw(path)
    missing = [c for c in _REQUIRED if c not in raw.columns]
    if missing:
        raise DataError(f"{path}: missing columns {missing}; is it IdealpointestimatesAll_*.csv?")
    try:
        ccode = raw["ccode"].astype("int64")
        session = raw["session"].astype("int64")
        n_votes = raw["NVotesAll"].astype("int64")
        ideal = raw["IdealPointAll"].astype(float)
        agree = raw[list(PARTNERS)].astype(float)
    except (ValueError, TypeError) as exc:
        raise DataError(f"{path}: ccode, session and NVotesAll must be integers, IdealPointAll and the agreement columns numbers: {exc}") from exc
    bad = (session < 1) | ~np.isfinite(ideal) | (n_votes < 0) | ((agree < 0) | (agree > 1)).any(axis=1)
    if bad.any():
        rows = [int(i) + 2 for i in raw.index[bad][:3]]
        raise DataError(f"{path}: {int(bad.sum())} rows with a session below 1, a non-finite ideal point or an agreement outside 0-1 (first at lines {rows})")
    code = raw["iso3c"].astype(str).where(~ccode.isin(list(_COW_FIX)), ccode.map(_COW_FIX))
    resolved = resolve_many(code.unique())
    country = code.map(resolved)
    unmapped = tuple(sorted(f"{c} (COW {int(cc)})" for c, cc in set(zip(code[country.isna()], ccode[country.isna()], strict=True))))
    keep = country.notna()
    ideal_points = pd.DataFrame({
        "country": country, "session": session.astype("int32"), "year": (1945 + session).astype("int16"),
        "ccode": ccode.astype("int32"), "country_name": raw["Countryname"].astype(str), "n_votes": n_votes.astype("int32"),
        "ideal_point": ideal, **{new: raw[old].astype(float) for old, new in _QUANTILES.items()},
    })[keep].reset_index(drop=True)
    dup = ideal_points.duplicated(["country", "session"], keep=False)
    if dup.any():
        first = ideal_points[dup].iloc[0]
        raise DataError(f"{path}: {int(dup.sum())} rows repeat a country in a session, first {first['country']} in session {int(first['session'])}")
    long = agree[keep.to_numpy()].reset_index(drop=True).rename(columns=PARTNERS)
    long.insert(0, "session", ideal_points["session"])
    long.insert(1, "country", ideal_points["country"])
    agreement = long.melt(["session", "country"], var_name="partner", value_name="agreement").dropna(subset=["agreement"])
    agreement = agreement.sort_values(["session", "country", "partner"], ignore_index=True)
    return PublishedAlignment(ideal_points, agreement, unmapped)


def load_shipped_unga(store: Store, folder: Path | None = None) -> dict[str, dict[str, int]]:
    """Load the UN roll-call votes and the published estimates geohedge ships.

    Each shipped file is checked against the manifest's sha256 first; the votes land as
    dataset ``unvotes`` (what ``geohedge data import unga ../shared/data/unga`` loads, so a
    later import replaces them) and the published estimates as dataset ``bsv``. Run it
    inside :meth:`Store.batch` to make it part of one atomic build.

    Returns
    -------
    dict
        Rows per table, by dataset.

    Raises
    ------
    DataError
        A shipped file is missing, altered or malformed; nothing is written.
    """
    from geohedge.data.bundle import shipped_provenance
    from geohedge.data.derived import read_manifest, shipped_dir, verify_shipped
    from geohedge.data.sources.unga import read_unvotes

    folder = folder or shipped_dir()
    manifest = read_manifest(folder)
    entries = {name: manifest.get(name) for name in SHIPPED_FILES}
    for entry in entries.values():
        verify_shipped(entry, folder)
    votes = read_unvotes(folder)
    published = read_idealpoints(folder / "unga_idealpoints.parquet")
    vote_prov = [shipped_provenance(entries[f"{table}.parquet"], table) for table in ("un_votes", "un_roll_calls", "un_roll_call_issues")]
    if votes.unmapped:
        vote_prov[0] = replace(vote_prov[0], note=f"{vote_prov[0].note}; codes without ISO3: {', '.join(votes.unmapped)}")
    ideal_entry = entries["unga_idealpoints.parquet"]
    return {
        "unvotes": store.load("unvotes", {"un_votes": votes.votes, "un_roll_calls": votes.roll_calls, "un_roll_call_issues": votes.issues}, vote_prov),
        "bsv": store.load("bsv", {"un_ideal_points": published.ideal_points, "un_agreement": published.agreement},
                          [shipped_provenance(ideal_entry, "un_ideal_points"), shipped_provenance(ideal_entry, "un_agreement")]),
    }
