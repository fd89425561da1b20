"""Assemble the brief: one :class:`~geohedge.report.section.Section` per topic, then render.

Sections are looked up by key in :data:`SECTION_ORDER`; each is a module of
:mod:`geohedge.report.sections` with ``build(store, iso3, **options)``. A section module
that is absent, or a section whose data is missing, still appears in the brief with what
is missing and how to load it, so the brief always renders. A section that fails with an
unexpected error (a bug) becomes a missing section naming the error, recorded in
:attr:`Brief.errors`; the brief still renders and the tests fail on it.

Page one (:func:`page_one`) answers the five questions of the product, one line per
section (:class:`~geohedge.report.section.PageLine`), and joins the sections' clauses
into a short "what this means" paragraph that uses only what those lines show.
"""

from __future__ import annotations

import datetime as _dt
import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from geohedge import __version__, countries
from geohedge.data.queries import query_status
from geohedge.data.store import Store
from geohedge.errors import GeohedgeError, InputError
from geohedge.report.section import PageLine, Section, describe_error

__all__ = ["QUESTIONS", "SECTION_ORDER", "Brief", "PageOne", "build_brief", "page_one"]

#: (key, title, module under geohedge.report.sections, how to get it when absent)
SECTION_ORDER: tuple[tuple[str, str, str, str], ...] = (
    ("exposure", "Exposure", "exposure", "run 'geohedge data build'"),
    ("stress", "Stress test", "stress", "run 'geohedge data build'"),
    ("alignment", "Alignment", "alignment", "run 'geohedge data import unga PATH'"),
    ("partners", "Partners", "partners", "run 'geohedge data build' and 'geohedge data import unga PATH'"),
    ("relations", "Relations", "relations", "run 'geohedge events ingest PATH'"),
)

#: The five questions of the brief, by section key (page one numbers them in this order).
QUESTIONS: Mapping[str, str] = {
    "exposure": "How exposed are we, and to whom?",
    "stress": "What would a shock cost us?",
    "alignment": "Where do we stand between the great powers?",
    "partners": "Which partners would reduce our exposure?",
    "relations": "How are our relations trending?",
}


@dataclass(frozen=True, eq=False)
class Brief:
    """A country brief: sections plus what it was built from."""

    iso3: str
    name: str
    generated_at: _dt.datetime
    sections: list[Section]
    provenance: pd.DataFrame
    options: dict[str, object] = field(default_factory=dict)
    version: str = __version__

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    @property
    def errors(self) -> list[str]:
        """Every unexpected error (a bug) met while building, ``"section: piece: Type: message"``."""
        return [f"{s.key}: {e}" for s in self.sections for e in s.errors]


def build_brief(
    store: Store,
    country: str,
    *,
    partners: Sequence[str] = ("TUR",),
    keys: Sequence[str] | None = None,
    extra_blocs: Mapping[str, countries.Bloc] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    **options: object,
) -> Brief:
    """Build every section of the brief for a country.

    Parameters
    ----------
    country
        Any code or name :func:`geohedge.countries.resolve` accepts.
    partners
        Candidate partners shown in every section whatever their rank.
    keys
        Only these sections (default: all of :data:`SECTION_ORDER`).
    extra_blocs
        Blocs of the user's own (:func:`geohedge.countries.load_blocs`): added to the default
        blocs of every table by bloc.

    Raises
    ------
    InputError
        Unknown country, partner or section key.
    """
    from geohedge.exposure.trade import DEFAULT_BLOCS

    iso3 = countries.resolve(country)
    partner_codes = tuple(dict.fromkeys(c for c in (countries.resolve(p) for p in partners) if c != iso3))
    known = [s[0] for s in SECTION_ORDER]
    if keys is not None:
        bad = [k for k in keys if k not in known]
        if bad:
            raise InputError(f"unknown brief section {bad[0]!r}; use one of {', '.join(known)}")
    if extra_blocs:
        options.setdefault("blocs", tuple(dict.fromkeys([*DEFAULT_BLOCS, *extra_blocs])))
        options["extra"] = extra_blocs
    step = progress or (lambda *_: None)
    wanted = [s for s in SECTION_ORDER if keys is None or s[0] in keys]
    sections = []
    for k, (key, title, module, how) in enumerate(wanted):
        step(f"section {title}", k, len(wanted))
        try:
            mod = importlib.import_module(f"geohedge.report.sections.{module}")
        except ModuleNotFoundError:
            sections.append(Section(key=key, title=title, missing=f"not available: {how}"))
            continue
        try:
            sections.append(mod.build(store, iso3, partners=partner_codes, **options))
        except GeohedgeError as exc:
            sections.append(Section(key=key, title=title, missing=f"{exc}"))
        except Exception as exc:  # noqa: BLE001 - one section's bug must not take the brief down
            err = describe_error("section", exc)
            sections.append(Section(key=key, title=title, missing=f"this section failed ({err}); this is a bug in geohedge, please report it",
                                    errors=[err]))
    step("done", len(wanted), len(wanted))
    shown = {k: v for k, v in options.items() if k in ("blocs",)}
    return Brief(
        iso3=iso3,
        name=countries.country(iso3).name,
        generated_at=_dt.datetime.now(_dt.UTC).replace(microsecond=0),
        sections=sections,
        provenance=query_status(store),
        options={"partners": partner_codes, **shown, **({"custom_blocs": tuple(extra_blocs)} if extra_blocs else {})},
    )


@dataclass(frozen=True)
class PageOne:
    """Page one: the five numbered answers and the "what this means" paragraph."""

    lines: tuple[tuple[int, str, Section, PageLine], ...]
    meaning: str

    def figures(self) -> list[str]:
        """Every number printed on page one (its text), in order."""
        return [f.text for _, _, _, line in self.lines for f in line.figures]


#: Country names read with "the" in a sentence ("the United States", "the Philippines").
_WITH_THE = ("United ", "Netherlands", "Philippines", "Czech Republic", "Dominican Republic", "Central African Republic",
             "Bahamas", "Gambia", "Maldives", "Comoros", "Solomon Islands", "Marshall Islands")


def _takes_the(name: str) -> bool:
    return name.startswith(_WITH_THE)


def page_one(brief: Brief) -> PageOne:
    """The five answers, numbered as in :data:`QUESTIONS`, and the paragraph that reads them.

    A section without a page line (its data missing) contributes a line saying what is
    missing and how to load it, and nothing to the paragraph. Each section's ``meaning`` is
    a whole sentence without numbers (the numbers are on its line), so the paragraph
    repeats no figure.
    """
    lines = []
    clauses = []
    for k, s in enumerate(brief.sections, start=1):
        line = s.page_one
        if line is None:
            why = s.missing or "no summary for this section"
            line = PageLine(QUESTIONS.get(s.key, s.title), "Not available", missing=why)
        lines.append((k, s.title, s, line))
        if line.meaning and not line.missing:
            clauses.append(line.meaning)
    sentences = [c if c.endswith(".") else c + "." for c in clauses]
    if sentences:  # the first sentence names the country
        first = sentences[0]
        name = f"The {brief.name}" if _takes_the(brief.name) else brief.name
        owner = f"{name}'" if name.endswith("s") else f"{name}'s"
        for pronoun, noun in (("Its ", f"{owner} "), ("It ", f"{name} ")):
            if first.startswith(pronoun):
                sentences[0] = noun + first[len(pronoun):]
                break
        else:
            sentences.insert(0, f"For {brief.name}:")
    meaning = " ".join(sentences)
    return PageOne(tuple(lines), meaning)
