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

__all__ = [
    "UNDL_RECORD",
    "UngaData",
    "UngaLoad",
    "fetch_undl",
    "load_unga",
    "read_undl_csv",
    "read_unvotes",
    "validate_undl",
    "validate_unvotes",
]

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
    year_min: int | None
    year_max: int | None
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


def _read_table(folder: Path, stem: str) -> tuple[pd.DataFrame, Path]:
    path = folder / f"{stem}.parquet"
    if path.exists():
        try:
            return pd.read_parquet(path), path
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise DataError(f"{path}: unreadable Parquet file: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from exc
    path = folder / f"{stem}.csv"
    if path.exists():
        # the unvotes CSV export writes missing values as NA
        return read_csv_strict(path).replace({"NA": None}), path
    raise InputError(f"{folder}: no {stem}.parquet or {stem}.csv (the unvotes files)")


def read_unvotes(folder: str | Path) -> UngaData:
    """Read the ``unvotes`` files (``un_votes``, ``un_roll_calls``, ``un_roll_call_issues``,
    as Parquet or CSV) from a folder, checked by :func:`validate_unvotes`.

    Raises
    ------
    InputError
        The folder or a file is missing.
    DataError
        A file is unreadable or fails a check (the message names the file and row).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder with the unvotes files")
    (votes, vpath), (calls, cpath), (issues, ipath) = (_read_table(folder, stem) for stem in UNVOTES_FILES)
    checked = validate_unvotes(votes, calls, issues, (vpath, cpath, ipath))
    iso3, unmapped = _map_countries(votes["country_code"], votes["country"])
    out_votes = pd.DataFrame(
        {"rcid": checked.vote_rcid, "country": iso3, "country_code": votes["country_code"],
         "country_name": votes["country"], "vote": votes["vote"].astype(str)}
    )
    out_calls = pd.DataFrame(
        {
            "rcid": checked.call_rcid,
            "session": checked.session.astype("int32"),
            "date": checked.date.dt.date,
            "important_vote": _flag(calls, "importantvote", cpath),
            "unres": calls.get("unres"),
            "amend": _flag(calls, "amend", cpath),
            "para": _flag(calls, "para", cpath),
            "short": calls.get("short"),
            "descr": calls.get("descr"),
        }
    )
    out_issues = pd.DataFrame(
        {"rcid": checked.issue_rcid, "issue_code": issues["short_name"].astype(str), "issue": issues["issue"].astype(str)}
    )
    return UngaData("unvotes", out_votes, out_calls, out_issues, unmapped)


def read_undl_csv(path: str | Path) -> UngaData:
    """Read the UN Digital Library voting CSV (one row per member state per resolution),
    checked by :func:`validate_undl`.

    Required columns: ``undl_id, ms_code, ms_name, ms_vote, date``; ``session``,
    ``resolution``, ``title`` and ``agenda_title`` are used when present. ``ms_vote`` is
    ``Y``/``N``/``A``, or ``X``/``NV``/empty for not voting.

    Raises
    ------
    InputError
        The file does not exist.
    DataError
        The file is malformed or truncated, or fails a check (the message names the line).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"UN Digital Library CSV {str(path)!r} does not exist")
    raw = read_csv_strict(path)
    checked = validate_undl(raw, path)
    iso3, unmapped = _map_countries(raw["ms_code"], raw["ms_name"])
    votes = pd.DataFrame({"rcid": checked.vote_rcid, "country": iso3, "country_code": raw["ms_code"], "country_name": raw["ms_name"],
                          "vote": checked.vote.map(UNDL_VOTES)})
    first = raw.assign(rcid=checked.vote_rcid, date=checked.date.dt.date, session=checked.session).drop_duplicates("rcid")
    calls = pd.DataFrame(
        {
            "rcid": first["rcid"],
            "session": first["session"].astype("Int32"),
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


# --- validation: the whole input is checked before anything is loaded -----------------

#: Roll-call ids are positive integers well inside int64 (the unvotes ids reach 9,000s,
#: UN Digital Library record ids the millions).
MAX_ID = 2**53
#: UN General Assembly sessions: the first in 1946; a session number above 200 is a typo.
MAX_SESSION = 200
FIRST_VOTE = pd.Timestamp("1946-01-01")
ISSUE_CODES = ("me", "nu", "di", "hr", "co", "ec")


@dataclass(frozen=True)
class _Checked:
    """Typed columns produced by a validation (the frames themselves are not changed)."""

    vote_rcid: pd.Series
    call_rcid: pd.Series
    issue_rcid: pd.Series
    session: pd.Series
    date: pd.Series
    vote: pd.Series


def _where(path: Path | str, k: int) -> str:
    """``file: line N`` for a CSV (header is line 1), ``file: row N`` for Parquet."""
    return f"{path}: line {k + 2}" if str(path).endswith(".csv") else f"{path}: row {k + 1}"


def _integers(values: pd.Series, column: str, path: Path | str, lo: int, hi: int, *, allow_missing: bool = False) -> pd.Series:
    """``values`` as Int64, every one an integer in ``lo..hi`` (or missing when allowed)."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        missing = values.isna()
        num = values.astype("Float64") if not pd.api.types.is_integer_dtype(values) else values
    else:
        text = values.astype("string").str.strip()
        missing = text.isna() | (text == "")
        num = pd.to_numeric(text.where(~missing), errors="coerce")
    bad = (~missing & (num.isna() | (num != num.round()) | (num < lo) | (num > hi))) | (missing & (not allow_missing))
    if bad.any():
        k = int(bad.to_numpy().argmax())
        raise DataError(f"{_where(path, k)}: {column} {values.iloc[k]!r} is not an integer from {lo:,} to {hi:,} "
                        f"({int(bad.sum()):,} rows like it)")
    return num.astype("Int64")


def _dates(values: pd.Series, column: str, path: Path | str) -> pd.Series:
    """``values`` as timestamps from 1946 to today; :class:`DataError` naming the first bad row."""
    parsed = pd.to_datetime(values, errors="coerce", format="mixed") if len(values) else pd.to_datetime(values)
    bad = parsed.isna() | (parsed < FIRST_VOTE) | (parsed > pd.Timestamp.now() + pd.Timedelta(days=1))
    if bad.any():
        k = int(bad.to_numpy().argmax())
        raise DataError(f"{_where(path, k)}: {column} {values.iloc[k]!r} is not a date from 1946 to today "
                        f"({int(bad.sum()):,} rows like it)")
    return parsed


def _unique(frame: pd.DataFrame, columns: list[str], path: Path | str, what: str) -> None:
    dup = frame.duplicated(columns)
    if dup.any():
        k = int(dup.to_numpy().argmax())
        key = ", ".join(f"{c}={v!r}" if isinstance(v, str) else f"{c}={v}" for c, v in ((c, frame[c].iloc[k]) for c in columns))
        raise DataError(f"{_where(path, k)}: a second {what} for {key} ({int(dup.sum()):,} duplicated rows)")


def _require(frame: pd.DataFrame, columns: tuple[str, ...], path: Path | str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"{path}: missing columns {missing}; found {list(frame.columns)}")
    blank = frame[list(columns)].isna().any(axis=1)
    if blank.any():
        k = int(blank.to_numpy().argmax())
        raise DataError(f"{_where(path, k)}: {int(blank.sum())} rows lack one of {list(columns)}; truncated file?")


def _flag(calls: pd.DataFrame, column: str, path: Path) -> pd.Series:
    if column not in calls:
        return pd.Series(pd.NA, index=calls.index, dtype="boolean")
    return _integers(calls[column], column, path, 0, 1, allow_missing=True).astype("boolean")


def validate_unvotes(votes: pd.DataFrame, calls: pd.DataFrame, issues: pd.DataFrame, paths: tuple[Path, Path, Path]) -> _Checked:
    """Check the three unvotes tables as a whole before any of them is loaded.

    Columns by name (``un_votes``: ``rcid, country_code`` (empty for some former states),
    ``country, vote``;
    ``un_roll_calls``: ``rcid, session, date``; ``un_roll_call_issues``: ``rcid,
    short_name, issue``); ids positive integers below 2**53; sessions 1-200; dates from
    1946 to today; votes ``yes``/``no``/``abstain``; issue codes ``me nu di hr co ec``; one
    vote per country and roll call, one row per roll call; every vote's and issue's roll
    call present in ``un_roll_calls``.

    Raises
    ------
    DataError
        The first failed check, naming the file and line (CSV) or row (Parquet).
    """
    vpath, cpath, ipath = paths
    _require(votes, ("rcid", "vote"), vpath)
    _require(votes, ("country",), vpath)  # former states have no country_code, but always a name
    if "country_code" not in votes:
        raise DataError(f"{vpath}: missing columns ['country_code']; found {list(votes.columns)}")
    _require(calls, ("rcid", "session", "date"), cpath)
    _require(issues, ("rcid", "short_name", "issue"), ipath)
    vote_rcid = _integers(votes["rcid"], "rcid", vpath, 1, MAX_ID)
    call_rcid = _integers(calls["rcid"], "rcid", cpath, 1, MAX_ID)
    issue_rcid = _integers(issues["rcid"], "rcid", ipath, 1, MAX_ID)
    session = _integers(calls["session"], "session", cpath, 1, MAX_SESSION)
    date = _dates(calls["date"], "date", cpath)
    bad = ~votes["vote"].isin(["yes", "no", "abstain"])
    if bad.any():
        k = int(bad.to_numpy().argmax())
        raise DataError(f"{_where(vpath, k)}: vote {votes['vote'].iloc[k]!r} is not yes, no or abstain ({int(bad.sum()):,} rows like it)")
    bad = ~issues["short_name"].isin(ISSUE_CODES)
    if bad.any():
        k = int(bad.to_numpy().argmax())
        raise DataError(f"{_where(ipath, k)}: issue code {issues['short_name'].iloc[k]!r} is not one of {' '.join(ISSUE_CODES)}")
    _unique(pd.DataFrame({"rcid": call_rcid}), ["rcid"], cpath, "roll call")
    _unique(pd.DataFrame({"rcid": vote_rcid, "country_code": votes["country_code"], "country": votes["country"]}),
            ["rcid", "country_code", "country"], vpath, "vote")
    _unique(pd.DataFrame({"rcid": issue_rcid, "short_name": issues["short_name"]}), ["rcid", "short_name"], ipath, "issue")
    for rcid, path, what in ((vote_rcid, vpath, "votes"), (issue_rcid, ipath, "issues")):
        orphan = ~rcid.isin(call_rcid)
        if orphan.any():
            k = int(orphan.to_numpy().argmax())
            raise DataError(f"{_where(path, k)}: rcid {rcid.iloc[k]} is not in {cpath.name} ({int(orphan.sum()):,} {what} "
                            "without their roll call); the files must come from one release")
    return _Checked(vote_rcid, call_rcid, issue_rcid, session, date, votes["vote"])


def validate_undl(raw: pd.DataFrame, path: Path) -> _Checked:
    """Check a UN Digital Library voting CSV as a whole before anything is loaded.

    Columns by name (``undl_id, ms_code, ms_name, ms_vote, date``); ``undl_id`` a positive
    integer below 2**53; dates from 1946 to today; ``session`` 1-200 where given; vote codes
    ``Y N A`` or ``X``/``NV``/empty; one vote per member state and resolution.

    Raises
    ------
    DataError
        The first failed check, naming the line.
    """
    _require(raw, ("undl_id", "ms_code", "ms_name", "date"), path)
    if "ms_vote" not in raw.columns:
        raise DataError(f"{path}: missing column 'ms_vote'")
    vote = raw["ms_vote"].fillna("").str.strip().str.upper()
    bad = ~vote.isin(list(UNDL_VOTES))
    if bad.any():
        first = int(bad.to_numpy().argmax()) + 2
        raise DataError(f"{path}: line {first}: unknown vote code {raw['ms_vote'][bad].iloc[0]!r}; expected Y, N, A or X/NV")
    rcid = _integers(raw["undl_id"], "undl_id", path, 1, MAX_ID)
    date = _dates(raw["date"], "date", path)
    session = (_integers(raw["session"], "session", path, 1, MAX_SESSION, allow_missing=True) if "session" in raw
               else pd.Series(pd.NA, index=raw.index, dtype="Int64"))
    _unique(pd.DataFrame({"undl_id": rcid, "ms_code": raw["ms_code"]}), ["undl_id", "ms_code"], path, "vote")
    return _Checked(rcid, rcid, pd.Series(dtype="Int64"), session, date, vote)


def load_unga(store: Store, path: str | Path, *, replace: bool = False) -> UngaLoad:
    """Read UN votes from a folder of ``unvotes`` files or a Digital Library CSV and load
    them into the store (replacing that dataset).

    Raises
    ------
    InputError, DataError
        A missing or malformed input (nothing is loaded); an input without votes, or one
        that would leave fewer than half the votes there are, unless ``replace``.
    """
    path = Path(path)
    data = read_unvotes(path) if path.is_dir() else read_undl_csv(path)
    if data.votes.empty and not replace:
        raise DataError(f"{path} holds no votes; nothing was imported (import again with --replace to empty the {data.dataset!r} dataset)")
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
        replace=replace,
    )
    years = pd.to_datetime(data.roll_calls["date"]).dt.year
    return UngaLoad(data.dataset, len(data.votes), len(data.roll_calls), None if years.empty else int(years.min()),
                    None if years.empty else int(years.max()), data.unmapped)
