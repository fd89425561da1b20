"""UN General Assembly roll-call votes: the ``unvotes`` files and the UN Digital Library CSV.

Canonical rows:

- ``un_votes``: ``rcid, country`` (ISO3, or ISO 3166-3 code of a former state; null when
  unmappable), ``country_code`` and ``country_name`` as the source gave them, ``vote``
  (``yes``, ``no``, ``abstain``; ``absent`` for the Digital Library's non-voting rows,
  which the ``unvotes`` files leave out).
- ``un_roll_calls``: ``rcid, session, date, important_vote, unres, amend, para, short,
  descr``.
- ``un_roll_call_issues``: ``rcid, issue_code`` (``me nu di hr co ec``), ``issue``.

Country rule: a source code resolves through :mod:`geohedge.countries`; former states
keep their own ISO 3166-3 code (USSR ``SUN``, Yugoslavia ``YUG``, GDR ``DDR``,
Czechoslovakia ``CSK``, Yemen Arab Republic ``YAR``, Yemen People's Republic ``YMD``,
Zanzibar ``ZZB``) and are never merged into their successors at load time; the Federal
Republic of Germany is Germany (``DEU``). Codes that resolve to nothing are kept with a
null ``country`` and reported, never dropped silently.

Datasets: ``unvotes`` (Voeten's data as packaged by the ``unvotes`` R package, rcid) and
``undl`` (UN Digital Library, rcid = ``undl_id``). They are separate id spaces.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geohedge.countries import resolve_many
from geohedge.data.sources._common import file_sha256, read_csv_strict
from geohedge.data.store import Provenance, Store
from geohedge.errors import DataError, InputError

__all__ = ["UNDL_RECORD", "UngaData", "UngaLoad", "fetch_undl", "load_unga", "read_undl_csv", "read_unvotes"]

#: UN Digital Library record of "United Nations General Assembly Voting Data"; each update
#: publishes a new CSV (e.g. ``2026_02_06_ga_voting.csv``) under it, so :func:`fetch_undl`
#: takes the file link itself.
UNDL_RECORD = "https://digitallibrary.un.org/record/4060887"

UNVOTES_FILES = ("un_votes", "un_roll_calls", "un_roll_call_issues")
UNDL_REQUIRED = ("undl_id", "ms_code", "ms_name", "ms_vote", "date")
UNDL_VOTES = {"Y": "yes", "N": "no", "A": "abstain", "X": "absent", "NV": "absent", "": "absent"}


def fetch_undl(url: str, *, known_hash: str | None = None, downloader: object | None = None, progressbar: bool = True) -> Path:
    """Download a UN Digital Library voting CSV (needs internet; link from :data:`UNDL_RECORD`)."""
    from geohedge.data.paths import cache_dir
    from geohedge.data.sources._common import fetch_file

    return fetch_file(url, cache_dir() / "unga", known_hash=known_hash, downloader=downloader, progressbar=progressbar)


@dataclass
class UngaData:
    """Canonical frames of one UN votes source, and the codes it could not map."""

    dataset: str
    votes: pd.DataFrame
    roll_calls: pd.DataFrame
    issues: pd.DataFrame
    unmapped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class UngaLoad:
    """What :func:`load_unga` loaded."""

    dataset: str
    votes: int
    roll_calls: int
    year_min: int
    year_max: int
    unmapped: list[str]


def _map_countries(codes: pd.Series, names: pd.Series) -> tuple[pd.Series, list[str]]:
    by_code = resolve_many(c for c in codes.dropna().unique())
    by_name = resolve_many(n for n in names.dropna().unique())
    iso3 = codes.map(by_code)
    from_name = names.map(by_name)
    iso3 = iso3.where(iso3.notna(), from_name)
    bad = pd.DataFrame({"code": codes, "name": names})[iso3.isna()].drop_duplicates()
    unmapped = [f"{c if c == c else '-'} ({n})" for c, n in zip(bad["code"], bad["name"], strict=True)]
    return iso3, sorted(unmapped)


def _read_table(folder: Path, stem: str) -> pd.DataFrame:
    path = folder / f"{stem}.parquet"
    if path.exists():
        try:
            return pd.read_parquet(path)
        except (OSError, ValueError) as exc:
            raise DataError(f"{path}: unreadable Parquet file: {exc}") from exc
    path = folder / f"{stem}.csv"
    if path.exists():
        frame = read_csv_strict(path)
        # the unvotes CSV export writes missing values as NA
        return _typed(frame.replace({"NA": None}))
    raise InputError(f"{folder}: no {stem}.parquet or {stem}.csv (the unvotes files)")


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Numeric columns of a text-read unvotes CSV back to numbers."""
    for col in ("rcid", "session", "importantvote", "amend", "para"):
        if col in frame:
            try:
                frame[col] = pd.to_numeric(frame[col]).astype("Int64")
            except (ValueError, TypeError) as exc:
                raise DataError(f"column {col!r} must hold integers: {exc}") from exc
    return frame


def _require(frame: pd.DataFrame, columns: tuple[str, ...], path: Path | str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"{path}: missing columns {missing}; found {list(frame.columns)}")
    blank = frame[list(columns)].isna().any(axis=1)
    if blank.any():
        lines = [int(i) + 2 for i in frame.index[blank][:3]]
        raise DataError(f"{path}: line {lines[0]}: {int(blank.sum())} rows lack one of {list(columns)} (first at lines {lines}); truncated file?")


def read_unvotes(folder: str | Path) -> UngaData:
    """Read the ``unvotes`` files (``un_votes``, ``un_roll_calls``, ``un_roll_call_issues``,
    as Parquet or CSV) from a folder.

    Raises
    ------
    InputError
        The folder or a file is missing.
    DataError
        A file is unreadable, lacks a column, or has an unknown vote value.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder with the unvotes files")
    votes = _read_table(folder, "un_votes")
    calls = _read_table(folder, "un_roll_calls")
    issues = _read_table(folder, "un_roll_call_issues")
    _require(votes, ("rcid", "vote"), folder / "un_votes")
    _require(calls, ("rcid", "session", "date"), folder / "un_roll_calls")
    _require(issues, ("rcid", "short_name"), folder / "un_roll_call_issues")
    bad = ~votes["vote"].isin(["yes", "no", "abstain"])
    if bad.any():
        raise DataError(f"{folder / 'un_votes'}: {int(bad.sum())} votes are not yes/no/abstain, first: {votes['vote'][bad].unique()[:3].tolist()}")
    iso3, unmapped = _map_countries(votes["country_code"], votes["country"])
    out_votes = pd.DataFrame(
        {"rcid": votes["rcid"].astype("int64"), "country": iso3, "country_code": votes["country_code"],
         "country_name": votes["country"], "vote": votes["vote"].astype(str)}
    )
    out_calls = pd.DataFrame(
        {
            "rcid": calls["rcid"].astype("int64"),
            "session": calls["session"].astype("int32"),
            "date": pd.to_datetime(calls["date"]).dt.date,
            "important_vote": calls.get("importantvote", pd.Series(pd.NA, index=calls.index)).astype("boolean"),
            "unres": calls.get("unres"),
            "amend": calls.get("amend", pd.Series(pd.NA, index=calls.index)).astype("boolean"),
            "para": calls.get("para", pd.Series(pd.NA, index=calls.index)).astype("boolean"),
            "short": calls.get("short"),
            "descr": calls.get("descr"),
        }
    )
    out_issues = pd.DataFrame(
        {"rcid": issues["rcid"].astype("int64"), "issue_code": issues["short_name"].astype(str), "issue": issues["issue"].astype(str)}
    )
    return UngaData("unvotes", out_votes, out_calls, out_issues, unmapped)


def read_undl_csv(path: str | Path) -> UngaData:
    """Read the UN Digital Library voting CSV (one row per member state per resolution).

    Required columns: ``undl_id, ms_code, ms_name, ms_vote, date``; ``session``,
    ``resolution``, ``title`` and ``agenda_title`` are used when present. ``ms_vote`` is
    ``Y``/``N``/``A``, or ``X``/``NV``/empty for not voting.

    Raises
    ------
    DataError
        The file is malformed or truncated (the message names the line), or has an
        unknown vote code.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"UN Digital Library CSV {str(path)!r} does not exist")
    raw = read_csv_strict(path)
    _require(raw, ("undl_id", "ms_code", "ms_name", "date"), path)
    if "ms_vote" not in raw.columns:
        raise DataError(f"{path}: missing column 'ms_vote'")
    vote = raw["ms_vote"].fillna("").str.strip().str.upper()
    bad = ~vote.isin(list(UNDL_VOTES))
    if bad.any():
        first = int(raw.index[bad][0]) + 2
        raise DataError(f"{path}: line {first}: unknown vote code {raw['ms_vote'][bad].iloc[0]!r}; expected Y, N, A or X/NV")
    try:
        rcid = raw["undl_id"].astype("int64")
        date = pd.to_datetime(raw["date"], format="mixed")
    except (ValueError, TypeError) as exc:
        raise DataError(f"{path}: undl_id must be an integer and date a date: {exc}") from exc
    iso3, unmapped = _map_countries(raw["ms_code"], raw["ms_name"])
    votes = pd.DataFrame({"rcid": rcid, "country": iso3, "country_code": raw["ms_code"], "country_name": raw["ms_name"], "vote": vote.map(UNDL_VOTES)})
    first = raw.assign(rcid=rcid, date=date.dt.date).drop_duplicates("rcid")
    session = pd.to_numeric(first["session"], errors="coerce") if "session" in first else pd.Series(pd.NA, index=first.index)
    calls = pd.DataFrame(
        {
            "rcid": first["rcid"],
            "session": session.astype("Int32"),
            "date": first["date"],
            "important_vote": pd.Series(pd.NA, index=first.index, dtype="boolean"),
            "unres": first.get("resolution"),
            "amend": pd.Series(pd.NA, index=first.index, dtype="boolean"),
            "para": pd.Series(pd.NA, index=first.index, dtype="boolean"),
            "short": first.get("title"),
            "descr": first.get("agenda_title"),
        }
    )
    issues = pd.DataFrame({"rcid": pd.Series(dtype="int64"), "issue_code": pd.Series(dtype=str), "issue": pd.Series(dtype=str)})
    return UngaData("undl", votes, calls.reset_index(drop=True), issues, unmapped)


def load_unga(store: Store, path: str | Path) -> UngaLoad:
    """Read UN votes from a folder of ``unvotes`` files or a Digital Library CSV and load
    them into the store (replacing that dataset)."""
    path = Path(path)
    data = read_unvotes(path) if path.is_dir() else read_undl_csv(path)
    if data.dataset == "unvotes":
        source = "Voeten, UN General Assembly voting data, via the unvotes R package"
    else:
        source = "UN Digital Library, General Assembly voting data"
    note = ("codes without ISO3: " + ", ".join(data.unmapped)) if data.unmapped else None
    files = sorted(f for f in path.iterdir() if f.stem in UNVOTES_FILES) if path.is_dir() else [path]
    sha = file_sha256(*files)
    store.load(
        data.dataset,
        {"un_votes": data.votes, "un_roll_calls": data.roll_calls, "un_roll_call_issues": data.issues},
        [
            Provenance("un_votes", source, origin=str(path.resolve()), sha256=sha, note=note),
            Provenance("un_roll_calls", source, origin=str(path.resolve()), sha256=sha),
            Provenance("un_roll_call_issues", source, origin=str(path.resolve()), sha256=sha),
        ],
    )
    years = pd.to_datetime(data.roll_calls["date"]).dt.year
    return UngaLoad(data.dataset, len(data.votes), len(data.roll_calls), int(years.min()), int(years.max()), data.unmapped)
