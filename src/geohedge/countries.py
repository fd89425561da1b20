"""Country identity: every country code or name resolves here, to ISO3.

ISO 3166-1 alpha-3 is the key everywhere in geohedge. This module resolves

- ISO3 (``"TUR"``), ISO2 (``"TR"``), ISO 3166 numeric (``792``, ``"792"``);
- the numeric codes UN Comtrade and CEPII BACI use where they differ from ISO
  (``842`` USA, ``699`` India, ``251`` France, ``490`` "Other Asia, nes" = Taiwan, ...);
- names in English and common variants (``"Türkiye"``, ``"Turkey"``, ``"Viet Nam"``),
  through ``country_converter``'s regular expressions;
- former states (``"USSR"``, ``"SU"``, ``"Yugoslavia"``, ``"DD"``) to ISO 3166-3 codes
  (``SUN``, ``YUG``, ``DDR``, ...), each with its successor recorded but never silently
  merged into it.

Groupings come from two places: ``country_converter``'s classifications (EU, EU27, OECD,
G7, G20, APEC, ...) and the dated membership tables shipped in ``_data/blocs.toml``
(ASEAN, BRICS, NATO, SCO, OIC, GCC, RCEP, CPTPP). Users add their own blocs in a TOML file
of the same format (see :func:`load_blocs`).

Nothing is loaded at import time; the lookup tables are built on first use and cached.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import functools
import logging
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd

from geohedge.errors import DataError, InputError

__all__ = [
    "Bloc",
    "Country",
    "Membership",
    "all_countries",
    "bloc",
    "bloc_members",
    "bloc_names",
    "country",
    "groups_of",
    "load_blocs",
    "parse_blocs",
    "resolve",
    "resolve_many",
]

#: UN Comtrade / CEPII BACI numeric codes that are not ISO 3166 numeric codes.
#: BACI documents them in its ``country_codes_V*.csv``; 490 "Other Asia, nes" is the
#: code under which Taiwan's trade is reported.
COMTRADE_NUMERIC: Mapping[int, str] = {
    58: "BEL",  # Belgium-Luxembourg (...1998): reported as Belgium
    251: "FRA",
    280: "DEU",  # Fed. Rep. of Germany (...1990)
    490: "TWN",  # Other Asia, nes
    579: "NOR",
    699: "IND",
    736: "SDN",  # Sudan (...2011)
    757: "CHE",
    810: "SUN",
    842: "USA",
    891: "SCG",
}

#: Former states (ISO 3166-3 alpha-3 codes where one exists). They stay distinct
#: entities; ``successor`` says which current state took over their seat or territory.
FORMER_STATES: tuple[tuple[str, str, str | None, tuple[str, ...], int | None], ...] = (
    # iso3, name, successor, aliases (codes and names, matched case-insensitively), numeric
    ("SUN", "Soviet Union", "RUS", ("SU", "USSR", "U.S.S.R.", "Soviet Union", "Union of Soviet Socialist Republics"), 810),
    ("YUG", "Yugoslavia", "SRB", ("YU", "Yugoslavia", "Socialist Federal Republic of Yugoslavia"), 890),
    ("DDR", "German Democratic Republic", "DEU", ("DD", "East Germany", "German Democratic Republic", "GDR"), 278),
    ("CSK", "Czechoslovakia", "CZE", ("CS", "Czechoslovakia", "Czechoslovak Socialist Republic"), 200),
    ("SCG", "Serbia and Montenegro", "SRB", ("Serbia and Montenegro",), 891),
    ("YMD", "Yemen People's Republic", "YEM", ("YD", "South Yemen", "Yemen People's Republic", "People's Democratic Republic of Yemen"), 720),
    ("YAR", "Yemen Arab Republic", "YEM", ("North Yemen", "Yemen Arab Republic"), 886),
    ("ZZB", "Zanzibar", "TZA", ("Zanzibar",), None),
    ("ANT", "Netherlands Antilles", None, ("AN", "Netherlands Antilles"), 530),
)

#: Names that are the same state under another name; they resolve to the current code.
EXTRA_ALIASES: Mapping[str, str] = {
    "federal republic of germany": "DEU",
    "west germany": "DEU",
    "fed. rep. of germany": "DEU",
    "other asia, nes": "TWN",
    "burma": "MMR",
    "zaire": "COD",
    "east timor": "TLS",
}

#: Groupings taken from country_converter's classification columns.
COCO_GROUPS: Mapping[str, str] = {
    "EU": "EU27",
    "EU27": "EU27",
    "EU28": "EU28",
    "OECD": "OECD",
    "G7": "G7",
    "G20": "G20",
    "APEC": "APEC",
    "BRIC": "BRIC",
    "BASIC": "BASIC",
    "CIS": "CIS",
    "EEA": "EEA",
    "EURO": "EURO",
    "SCHENGEN": "Schengen",
    "UN": "UNmember",
}


@dataclass(frozen=True)
class Country:
    """One country or territory."""

    iso3: str
    name: str
    iso2: str | None = None
    iso_numeric: int | None = None
    official_name: str | None = None
    former: bool = False
    successor: str | None = None


@dataclass(frozen=True)
class Membership:
    """A country's membership of a bloc, with its dates where known."""

    iso3: str
    joined: _dt.date | None = None
    left: _dt.date | None = None
    note: str | None = None

    def active(self, on: _dt.date | None) -> bool:
        """Member on date ``on``; with ``on=None``, a current member (no ``left`` date)."""
        if on is None:
            return self.left is None
        if self.joined is not None and on < self.joined:
            return False
        return self.left is None or on < self.left


@dataclass(frozen=True)
class Bloc:
    """A named group of countries with dated memberships and the source of the table."""

    code: str
    name: str
    source: str
    members: tuple[Membership, ...] = field(default_factory=tuple)

    def members_on(self, on: _dt.date | None = None) -> tuple[str, ...]:
        """ISO3 codes of the members on ``on`` (current members when ``None``), sorted."""
        return tuple(sorted({m.iso3 for m in self.members if m.active(on)}))


#: Longer strings are never matched against the name patterns (quadratic in the length).
_MAX_LOOKUP = 100


class _Index:
    """Lookup tables built once from country_converter and the shipped tables."""

    def __init__(self) -> None:
        import country_converter as coco

        # country_converter logs a warning for every miss; geohedge raises instead.
        logging.getLogger("country_converter").setLevel(logging.ERROR)
        self.coco = coco.CountryConverter()
        data = self.coco.data
        self.countries: dict[str, Country] = {}
        self.by_code: dict[str, str] = {}
        self.by_numeric: dict[int, str] = {}
        self.by_name: dict[str, str] = {}
        for row in data.itertuples(index=False):
            iso3 = str(row.ISO3)
            iso2_alts = [a.strip("^$") for a in str(row.ISO2).split("|")]
            numeric = int(row.ISOnumeric) if row.ISOnumeric == row.ISOnumeric else None
            self.countries[iso3] = Country(
                iso3=iso3,
                name=str(row.name_short),
                iso2=iso2_alts[0],
                iso_numeric=numeric,
                official_name=str(row.name_official),
            )
            self.by_code[iso3] = iso3
            for alt in iso2_alts:
                self.by_code.setdefault(alt.upper(), iso3)
            if numeric is not None:
                self.by_numeric[numeric] = iso3
            self.by_name[str(row.name_short).casefold()] = iso3
            self.by_name[str(row.name_official).casefold()] = iso3
        for iso3, name, successor, aliases, numeric in FORMER_STATES:
            self.countries[iso3] = Country(
                iso3=iso3, name=name, iso_numeric=numeric, former=True, successor=successor
            )
            self.by_code[iso3] = iso3
            for alias in aliases:
                if len(alias) == 2 and alias.isupper():
                    self.by_code[alias] = iso3
                else:
                    self.by_name[alias.casefold()] = iso3
            if numeric is not None:
                self.by_numeric.setdefault(numeric, iso3)
        for numeric, iso3 in COMTRADE_NUMERIC.items():
            self.by_numeric.setdefault(numeric, iso3)
        self.by_name.update(EXTRA_ALIASES)
        self.regexes = [
            (re.compile(str(rx), re.IGNORECASE), str(iso3))
            for rx, iso3 in zip(data.regex, data.ISO3, strict=True)
        ]

    def lookup(self, query: str | int) -> str | None:
        if isinstance(query, bool):
            return None
        if isinstance(query, int):
            return self.by_numeric.get(query)
        text = str(query).strip()
        if not text or len(text) > _MAX_LOOKUP:
            return None
        if text.isdigit():
            return self.by_numeric.get(int(text))
        code = self.by_code.get(text.upper()) if len(text) in (2, 3) else None
        if code is not None:
            return code
        folded = text.casefold()
        if folded in self.by_name:
            return self.by_name[folded]
        matches = {iso3 for rx, iso3 in self.regexes if rx.search(text)}
        if len(matches) == 1:
            return matches.pop()
        return None

    def suggestions(self, query: str, n: int = 3) -> list[str]:
        text = str(query).strip()
        names = {c.name: c.iso3 for c in self.countries.values()}
        names.update({k: v for k, v in self.by_name.items()})
        hits: list[str] = []
        if len(text) in (2, 3):
            hits += [self.by_code[c] for c in difflib.get_close_matches(text.upper(), self.by_code, n, 0.6)]
        lower_names = {k.casefold(): v for k, v in names.items()}
        hits += [lower_names[m] for m in difflib.get_close_matches(text.casefold(), lower_names, n, 0.6)]
        seen: list[str] = []
        for h in hits:
            if h not in seen:
                seen.append(h)
        return seen[:n]


@functools.lru_cache(maxsize=1)
def _index() -> _Index:
    return _Index()


def resolve(query: str | int) -> str:
    """Resolve a country code or name to its ISO3 code.

    Parameters
    ----------
    query
        ISO3, ISO2, ISO numeric or Comtrade/BACI numeric code (int or digit string),
        or a name such as ``"Türkiye"``.

    Returns
    -------
    str
        ISO 3166-1 alpha-3 code (ISO 3166-3 code for a former state).

    Raises
    ------
    InputError
        The query matches no country; the message lists close matches.
    """
    from geohedge._input import check_length

    check_length(str(query), "country")
    idx = _index()
    iso3 = idx.lookup(query)
    if iso3 is not None:
        return iso3
    hint = idx.suggestions(str(query))
    if hint:
        listed = ", ".join(f"{h} ({idx.countries[h].name})" for h in hint)
        raise InputError(f"unknown country {str(query)!r}; did you mean {listed}?")
    raise InputError(f"unknown country {str(query)!r}; use an ISO3 code such as MYS or a name such as 'Malaysia'")


def resolve_many(queries: Iterable[str | int]) -> dict[str | int, str | None]:
    """Resolve many codes at once; unknown ones map to ``None`` so callers can report them.

    Use this for whole columns of a data file, where the caller must list the codes it
    could not map rather than fail on the first; use :func:`resolve` for user input.
    """
    idx = _index()
    return {q: idx.lookup(q) for q in dict.fromkeys(queries)}


def country(query: str | int) -> Country:
    """The :class:`Country` record for a code or name (see :func:`resolve`)."""
    return _index().countries[resolve(query)]


def all_countries() -> tuple[Country, ...]:
    """Every country and former state geohedge knows, sorted by ISO3."""
    return tuple(sorted(_index().countries.values(), key=lambda c: c.iso3))


# --- blocs -----------------------------------------------------------------------------


def _date(value: object, where: str) -> _dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise DataError(f"{where}: date {value!r} is not YYYY-MM-DD") from exc


def _parse_blocs(doc: Mapping[str, object], origin: str) -> dict[str, Bloc]:
    blocs: dict[str, Bloc] = {}
    for code, spec in doc.items():
        if not isinstance(spec, dict) or "members" not in spec:
            raise DataError(f"{origin}: bloc {code!r} needs a 'members' list")
        members: list[Membership] = []
        for k, m in enumerate(spec["members"]):
            where = f"{origin}: bloc {code!r} member {k + 1}"
            if isinstance(m, str):
                m = {"iso3": m}
            if not isinstance(m, dict) or "iso3" not in m:
                raise DataError(f"{where}: expected a country code or a table with 'iso3'")
            try:
                iso3 = resolve(m["iso3"])
            except InputError as exc:
                raise DataError(f"{where}: {exc}") from exc
            members.append(
                Membership(iso3, _date(m.get("joined"), where), _date(m.get("left"), where), m.get("note"))
            )
        blocs[code.upper()] = Bloc(
            code=code.upper(),
            name=str(spec.get("name", code)),
            source=str(spec.get("source", origin)),
            members=tuple(members),
        )
    return blocs


_BLOC_CODE = re.compile(r"[A-Z][A-Z0-9_]{0,19}")


def load_blocs(path: str | Path) -> dict[str, Bloc]:
    """Read a blocs TOML file (same format as the shipped ``_data/blocs.toml``).

    Each top-level table is a bloc::

        [MYBLOC]
        name = "My bloc"
        source = "my own definition"
        members = ["MYS", "TUR", { iso3 = "IDN", joined = "2020-01-01" }]

    The blocs are added to the shipped ones (one of the same code replaces the shipped
    bloc); commands that take ``--blocs-file`` add them to their default bloc list.

    Raises
    ------
    InputError
        The file does not exist or defines no bloc; a bloc code is not 1-20 letters,
        digits or ``_`` starting with a letter, or is a country's code or name (it would
        shadow that country in bloc lists such as ``--blocs USA,MYBLOC``).
    DataError
        The file is not valid TOML, a date is malformed or a member is unknown.
    """
    from geohedge._input import check_depth, read_text_file

    p = Path(path)
    text = read_text_file(p, "blocs file")
    check_depth(text, str(p), toml=True)
    return parse_blocs(text, str(p))


def parse_blocs(text: str, origin: str = "blocs") -> dict[str, Bloc]:
    """Blocs from TOML text in the format of :func:`load_blocs` (``origin`` names it in errors).

    Raises
    ------
    InputError, DataError
        As :func:`load_blocs`.
    """
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{origin}: not valid TOML: {exc}") from exc
    if not doc:
        raise InputError(f"{origin} defines no bloc; add a table such as [MYBLOC] with members = [\"MYS\", \"TUR\"]")
    idx = _index()
    for code, spec in doc.items():
        key = code.strip().upper()
        if not _BLOC_CODE.fullmatch(key):
            raise InputError(f"{origin}: bloc code {code!r} must be 1-20 letters, digits or '_' starting with a letter, e.g. MYBLOC")
        shadowed = idx.lookup(code)
        if shadowed is not None:
            raise InputError(f"{origin}: bloc {code!r} has the name of a country ({shadowed}, {idx.countries[shadowed].name}); "
                             f"rename the bloc, e.g. {key}_BLOC, so that bloc lists stay unambiguous")
        if isinstance(spec, dict) and isinstance(spec.get("members"), list) and not spec["members"]:
            raise InputError(f"{origin}: bloc {code!r} has no members; list them as members = [\"MYS\", \"TUR\"]")
    return _parse_blocs(doc, origin)


@functools.lru_cache(maxsize=1)
def _shipped_blocs() -> dict[str, Bloc]:
    text = resources.files("geohedge").joinpath("_data/blocs.toml").read_text(encoding="utf-8")
    return _parse_blocs(tomllib.loads(text), "geohedge/_data/blocs.toml")


def _coco_bloc(code: str) -> Bloc:
    col = COCO_GROUPS[code]
    data = _index().coco.data
    members = []
    for iso3, value in zip(data.ISO3, data[col], strict=True):
        if pd.isna(value):
            continue
        joined = None
        # Some classifications carry the year of accession instead of a label.
        if str(value).replace(".0", "").isdigit():
            joined = _dt.date(int(float(value)), 1, 1)
        members.append(Membership(str(iso3), joined))
    return Bloc(code=code, name=code, source=f"country_converter classification '{col}'", members=tuple(members))


def bloc_names(extra: Mapping[str, Bloc] | None = None) -> tuple[str, ...]:
    """Codes of every known bloc: country_converter's, the shipped tables, and ``extra``."""
    names = set(COCO_GROUPS) | set(_shipped_blocs()) | set(extra or {})
    return tuple(sorted(names))


def bloc(code: str, extra: Mapping[str, Bloc] | None = None) -> Bloc:
    """The :class:`Bloc` named ``code`` (case-insensitive); ``extra`` blocs take precedence.

    Raises
    ------
    InputError
        No bloc of that name; the message lists the known ones.
    """
    from geohedge._input import check_length

    key = check_length(code, "bloc").strip().upper()
    if extra and key in extra:
        return extra[key]
    shipped = _shipped_blocs()
    if key in shipped:
        return shipped[key]
    if key in COCO_GROUPS:
        return _coco_bloc(key)
    close = difflib.get_close_matches(key, bloc_names(extra), 3, 0.7)
    hint = f"; did you mean {', '.join(close)}?" if close else f"; known blocs: {', '.join(bloc_names(extra))}"
    raise InputError(f"unknown bloc {code!r}{hint}")


def bloc_members(code: str, on: _dt.date | None = None, extra: Mapping[str, Bloc] | None = None) -> tuple[str, ...]:
    """ISO3 codes of a bloc's members on a date (current members when ``on`` is ``None``)."""
    return bloc(code, extra).members_on(on)


def groups_of(query: str | int, on: _dt.date | None = None, extra: Mapping[str, Bloc] | None = None) -> tuple[str, ...]:
    """Codes of the blocs a country belongs to on a date (currently, when ``None``)."""
    iso3 = resolve(query)
    return tuple(name for name in bloc_names(extra) if iso3 in bloc_members(name, on, extra))
