"""Political actors named in text: countries, capitals, leaders, institutions, organisations.

An actor mention in a sentence resolves to an :class:`Actor`: a ``code`` (ISO3 through
:mod:`geohedge.countries` for states and their people, or an organisation code such as
``NATO``, ``ASEAN``, ``UN``, ``EU``) and a ``sector``.

What is recognised (all from editable tables shipped in ``geohedge/_data``):

===================== ===================================================== ==============
kind                  examples                                              sector
===================== ===================================================== ==============
country               "Malaysia", "Türkiye", "Turkey", "the US", "PRC"      from context
adjective / demonym   "Malaysian", "Turkish", "Filipinos"                   from context
capital / seat        "Ankara", "Kuala Lumpur", "Washington", "Kremlin"     government
person                "Anwar Ibrahim", "Erdogan", "Xi Jinping"              table (dated)
institution           "Pentagon", "PLA", "Hamas"                            table
organisation          "NATO", "ASEAN", "United Nations", "EU"               igo / ngo
===================== ===================================================== ==============

Country names and adjectives take their sector from the words that follow ("Turkish
army" is military, "Malaysian exporters" business, "Palestinian protesters" civilian);
a bare country name is its government. People carry validity dates: named outside their
term (e.g. a former prime minister) they resolve to their country with sector ``elite``.

Tables: ``_data/actor_countries.csv`` (iso3, extra names, adjectives, capitals) and
``_data/actors.csv`` (kind, name, aliases, code, sector, role, valid_from, valid_to).
Users extend them with :func:`load_actors` on a CSV file of the second layout.

Matching is case-sensitive (proper nouns; "US" is not "us") and takes the longest name
at each position, through one trie-shaped regular expression so that an 800-word article
is scanned in about a millisecond.
"""

from __future__ import annotations

import csv
import datetime as _dt
import functools
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from geohedge.errors import DataError, InputError

__all__ = [
    "SECTORS",
    "Actor",
    "ActorDictionary",
    "ActorEntry",
    "Mention",
    "PLACE_NAMES",
    "default_actors",
    "load_actors",
    "resolve_actor",
]

#: Sectors an actor can carry.
SECTORS = (
    "government", "military", "police", "judiciary", "legislature", "opposition", "rebel",
    "business", "civilian", "media", "elite", "igo", "ngo",
)

#: Words right after a country name or adjective that set the actor's sector.
_SECTOR_WORDS: Mapping[str, str] = {
    **dict.fromkeys(("army", "armies", "military", "troops", "soldiers", "forces", "navy", "naval",
                     "air force", "warships", "warplanes", "jets", "gunboats", "gunboat", "defence",
                     "defense", "commanders", "artillery", "tanks", "battalion", "marines", "coast guard",
                     "vessels", "ships", "submarines", "drones"), "military"),
    **dict.fromkeys(("police", "policemen", "security forces", "border guards", "border police"), "police"),
    **dict.fromkeys(("court", "courts", "judge", "judges", "prosecutors", "prosecutor", "high court",
                     "supreme court"), "judiciary"),
    **dict.fromkeys(("parliament", "lawmakers", "legislators", "senators", "congress", "mps",
                     "parliamentarians", "legislature"), "legislature"),
    **dict.fromkeys(("opposition", "dissidents", "party"), "opposition"),
    **dict.fromkeys(("rebels", "rebel", "militants", "militia", "militias", "insurgents", "guerrillas",
                     "guerrilla", "separatists", "gunmen", "fighters", "extremists"), "rebel"),
    **dict.fromkeys(("companies", "company", "firms", "firm", "businesses", "business", "exporters",
                     "importers", "investors", "banks", "bank", "industry", "manufacturers", "traders",
                     "corporations", "carmakers", "chipmakers", "producers"), "business"),
    **dict.fromkeys(("protesters", "protestors", "demonstrators", "students", "workers", "people",
                     "civilians", "refugees", "citizens", "villagers", "residents", "farmers",
                     "activists", "women", "children", "pilgrims", "migrants", "fishermen", "voters",
                     "crowds", "mob", "paper workers", "doctors", "teachers", "nationals"), "civilian"),
    **dict.fromkeys(("media", "newspaper", "newspapers", "journalists", "journalist", "press",
                     "television", "news agency", "state media", "reporters"), "media"),
    **dict.fromkeys(("aid groups", "aid group", "aid agencies", "charity", "charities", "relief agencies",
                     "humanitarian groups", "rights group", "rights groups", "human rights group"), "ngo"),
}
_SECTOR_RE = re.compile(
    r"(?:['’]s)?(?:\s+(?:[A-Za-z-]+\s+){0,2}?)?\s*(" + "|".join(sorted((re.escape(w) for w in _SECTOR_WORDS), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


#: Geographic names that contain a country's name or adjective; inside them the country is
#: a place, not an actor ("peace in the South China Sea" involves no Chinese actor).
PLACE_NAMES = (
    "South China Sea", "East China Sea", "West Philippine Sea", "Philippine Sea", "Sea of Japan", "Gulf of Thailand",
    "Gulf of Mexico", "Gulf of Oman", "Gulf of Guinea", "Persian Gulf", "Arabian Sea", "Arabian Peninsula",
    "Korean Peninsula", "Malay Peninsula", "Taiwan Strait", "Strait of Malacca", "Malacca Strait", "Singapore Strait",
    "Indian Ocean", "Bay of Bengal", "Turkish Straits", "Irish Sea", "Java Sea", "Celebes Sea", "Sulu Sea",
    "Gulf of Aden", "Gulf of Tonkin", "Sea of Okhotsk",
)
_PLACES = re.compile("|".join(re.escape(p) for p in sorted(PLACE_NAMES, key=len, reverse=True)))
_PLACE_HINT = re.compile(r"\b(?:Sea|Gulf|Peninsula|Strait|Straits|Ocean|Bay)\b")


@dataclass(frozen=True)
class Actor:
    """A resolved actor.

    Attributes
    ----------
    code
        ISO3 of the state (via :mod:`geohedge.countries`), or an organisation code
        (``NATO``, ``UN``, ``EU``, ...).
    name
        Canonical name (the state's short name, the person's or organisation's name).
    sector
        One of :data:`SECTORS`.
    kind
        ``country``, ``capital``, ``person``, ``institution`` or ``org``.
    """

    code: str
    name: str
    sector: str
    kind: str

    @property
    def iso3(self) -> str | None:
        """ISO3 when the actor belongs to a state, else ``None`` (organisations)."""
        return None if self.kind == "org" else self.code


@dataclass(frozen=True)
class Mention:
    """An actor named in a text: character span, the text matched and the actor."""

    start: int
    end: int
    text: str
    actor: Actor


@dataclass(frozen=True)
class ActorEntry:
    """One row of an actor table: a name and its aliases, what they resolve to, when."""

    kind: str
    name: str
    aliases: tuple[str, ...]
    code: str
    sector: str | None
    role: str | None = None
    valid_from: _dt.date | None = None
    valid_to: _dt.date | None = None

    def valid_on(self, day: _dt.date | None) -> bool:
        """Whether the entry holds on ``day`` (always, without a day)."""
        if day is None:
            return True
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_to is None or day < self.valid_to


def _trie_regex(words: Iterable[str]) -> str:
    """A regular expression matching any of ``words`` (longest first), shaped as a trie."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # Longer continuations are tried before stopping here (greedy '?' on the group).
        return f"(?:{body})?" if end else body

    return build(trie)


class ActorDictionary:
    """Compiled actor tables: find and resolve actor mentions in text.

    Parameters
    ----------
    entries
        The table rows (see :func:`default_actors` for the shipped ones).
    """

    def __init__(self, entries: Sequence[ActorEntry]):
        self.entries = tuple(entries)
        self._by_alias: dict[str, list[ActorEntry]] = {}
        for entry in self.entries:
            for alias in (entry.name, *entry.aliases):
                if alias:
                    self._by_alias.setdefault(alias, []).append(entry)
        pattern = _trie_regex(self._by_alias)
        self._regex = re.compile(r"(?<![\w.])(" + pattern + r")(?!\w|\.\w)")

    def __len__(self) -> int:
        return len(self.entries)

    def aliases(self) -> tuple[str, ...]:
        """Every name the dictionary matches."""
        return tuple(self._by_alias)

    def find(self, text: str, on: _dt.date | None = None) -> list[Mention]:
        """Actor mentions in ``text``, left to right, longest name at each position.

        Names inside geographic names that contain a country's name (:data:`PLACE_NAMES`:
        "South China Sea", "Gulf of Thailand", "Korean Peninsula") are places, not actors.

        Parameters
        ----------
        text
            A sentence or paragraph.
        on
            Date of the text, used for people's terms of office.
        """
        out: list[Mention] = []
        places = [(m.start(), m.end()) for m in _PLACES.finditer(text)] if _PLACE_HINT.search(text) else []
        for match in self._regex.finditer(text):
            alias = match.group(1)
            entries = self._by_alias.get(alias)
            if not entries or any(a <= match.start(1) < b for a, b in places):
                continue
            actor = self._pick(entries, on, text, match.end())
            out.append(Mention(match.start(1), match.end(1), alias, actor))
        return out

    def resolve(self, name: str, on: _dt.date | None = None) -> Actor:
        """The actor a name stands for (exact name or alias).

        Raises
        ------
        InputError
            The name is not in the tables.
        """
        entries = self._by_alias.get(name.strip())
        if not entries:
            raise InputError(
                f"unknown actor {name!r}; add it to an actors CSV (kind,name,aliases,code,sector,role,valid_from,valid_to) "
                "and pass it with --actors"
            )
        return self._pick(entries, on, "", 0)

    def _pick(self, entries: Sequence[ActorEntry], on: _dt.date | None, text: str, end: int) -> Actor:
        valid = [e for e in entries if e.valid_on(on)]
        entry = valid[-1] if valid else entries[-1]
        sector = entry.sector
        if not valid:
            # A person named outside their term: still of their country, no longer its government.
            sector = "elite"
        elif sector is None:
            found = _SECTOR_RE.match(text, end)
            sector = _SECTOR_WORDS[found.group(1).lower()] if found else "government"
        kind = "country" if entry.kind in ("name", "adjective") else entry.kind
        return Actor(code=entry.code, name=entry.name, sector=sector, kind=kind)


def _date(text: str, where: str) -> _dt.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return _dt.date.fromisoformat(text)
    except ValueError as exc:
        raise DataError(f"{where}: date {text!r} is not YYYY-MM-DD") from exc


def _rows(text: str) -> list[dict[str, str]]:
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def _parse_actor_rows(text: str, origin: str) -> list[ActorEntry]:
    from geohedge.countries import resolve_many

    rows = _rows(text)
    needed = {"kind", "name", "aliases", "code", "sector", "role", "valid_from", "valid_to"}
    if rows and not needed <= set(rows[0]):
        raise DataError(f"{origin}: actor table needs the columns {', '.join(sorted(needed))}")
    codes = resolve_many(r["code"] for r in rows if r["kind"] != "org")
    out: list[ActorEntry] = []
    for n, r in enumerate(rows, start=1):
        where = f"{origin}: row {n} ({r['name']!r})"
        kind = r["kind"].strip()
        if kind not in ("person", "institution", "org"):
            raise DataError(f"{where}: kind {kind!r} is not person, institution or org")
        sector = r["sector"].strip()
        if sector not in SECTORS:
            raise DataError(f"{where}: sector {sector!r} is not one of {', '.join(SECTORS)}")
        code = r["code"].strip()
        if kind != "org":
            iso3 = codes.get(code)
            # People of organisations (a NATO secretary general) carry the organisation code.
            if iso3 is None and code not in _org_codes(rows):
                raise DataError(f"{where}: code {code!r} is not a country geohedge.countries knows")
            code = iso3 or code
        out.append(ActorEntry(kind, r["name"].strip(), _split(r["aliases"]), code, sector, r["role"].strip() or None,
                              _date(r["valid_from"], where), _date(r["valid_to"], where)))
    return out


def _org_codes(rows: Sequence[Mapping[str, str]]) -> set[str]:
    return {r["code"].strip() for r in rows if r["kind"].strip() == "org"} | {"EU", "NATO", "UN"}


def _country_entries(text: str) -> list[ActorEntry]:
    from geohedge.countries import all_countries, country

    out: list[ActorEntry] = []
    seen: set[str] = set()
    for n, r in enumerate(_rows(text), start=1):
        iso3 = r["iso3"].strip()
        try:
            name = country(iso3).name
        except InputError as exc:
            raise DataError(f"actor_countries.csv: row {n}: {exc}") from exc
        seen.add(iso3)
        out.append(ActorEntry("name", name, _split(r["names"]), iso3, None))
        if _split(r["adjectives"]):
            out.append(ActorEntry("adjective", name, _split(r["adjectives"]), iso3, None))
        for capital in _split(r["capitals"]):
            out.append(ActorEntry("capital", capital, (), iso3, "government"))
    for c in all_countries():
        if c.iso3 not in seen and not c.former:
            out.append(ActorEntry("name", c.name, (), c.iso3, None))
    return out


@functools.lru_cache(maxsize=1)
def default_actors() -> ActorDictionary:
    """The shipped actor tables, compiled once (nothing is loaded at import)."""
    base = resources.files("geohedge") / "_data"
    countries = _country_entries((base / "actor_countries.csv").read_text(encoding="utf-8"))
    people = _parse_actor_rows((base / "actors.csv").read_text(encoding="utf-8"), "actors.csv")
    return ActorDictionary(countries + people)


def load_actors(path: str | Path, *, extend: bool = True) -> ActorDictionary:
    """Read a user's actor table (the layout of ``_data/actors.csv``).

    Parameters
    ----------
    path
        CSV file with columns ``kind, name, aliases, code, sector, role, valid_from,
        valid_to`` (``#`` lines are comments).
    extend
        Add the rows to the shipped tables (default) instead of replacing them.

    Raises
    ------
    InputError
        The file does not exist.
    DataError
        A row has an unknown kind, sector, country code or a malformed date.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"actor table {path} does not exist")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text") from exc
    rows = _parse_actor_rows(text, str(path))
    if not extend:
        return ActorDictionary(rows)
    return ActorDictionary([*default_actors().entries, *rows])


def resolve_actor(name: str, on: _dt.date | None = None, actors: ActorDictionary | None = None) -> Actor:
    """Resolve one actor name ("Anwar Ibrahim", "Ankara", "NATO") to an :class:`Actor`.

    Raises
    ------
    InputError
        The name is not in the tables.
    """
    return (actors or default_actors()).resolve(name, on)
