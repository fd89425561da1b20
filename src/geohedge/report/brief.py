"""Assemble the brief: one :class:`~geohedge.report.section.Section` per topic, then render.

Sections are looked up by key in :data:`SECTION_ORDER`; each is a module of
:mod:`geohedge.report.sections` with ``build(store, iso3, **options)``. A section module
that is absent, or a section whose data is missing, still appears in the brief with what
is missing and how to load it, so the brief always renders.
"""

from __future__ import annotations

import datetime as _dt
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from geohedge import __version__, countries
from geohedge.data.queries import query_status
from geohedge.data.store import Store
from geohedge.errors import GeohedgeError
from geohedge.report.section import Section

__all__ = ["SECTION_ORDER", "Brief", "build_brief"]

#: (key, title, module under geohedge.report.sections, how to get it when absent)
SECTION_ORDER: tuple[tuple[str, str, str, str], ...] = (
    ("exposure", "Exposure", "exposure", "run 'geohedge data build'"),
    ("stress", "Stress test", "stress", "run 'geohedge data build'"),
    ("alignment", "Alignment", "alignment", "run 'geohedge data import unga PATH'"),
    ("partners", "Partners", "partners", "run 'geohedge data build' and 'geohedge data import unga PATH'"),
    ("relations", "Relations", "relations", "run 'geohedge events ingest PATH'"),
)


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


def build_brief(
    store: Store,
    country: str,
    *,
    partners: Sequence[str] = ("TUR",),
    keys: Sequence[str] | None = None,
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

    Raises
    ------
    InputError
        Unknown country or partner.
    """
    iso3 = countries.resolve(country)
    partner_codes = tuple(countries.resolve(p) for p in partners if countries.resolve(p) != iso3)
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
    step("done", len(wanted), len(wanted))
    return Brief(
        iso3=iso3,
        name=countries.country(iso3).name,
        generated_at=_dt.datetime.now(_dt.UTC).replace(microsecond=0),
        sections=sections,
        provenance=query_status(store),
        options={"partners": partner_codes, **options},
    )
