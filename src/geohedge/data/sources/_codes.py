"""Shared helpers for source modules: country-code mapping with reporting, CSV errors."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from geohedge.countries import resolve_many
from geohedge.errors import DataError

__all__ = ["map_codes", "csv_error"]


def map_codes(codes: Iterable[str | int], fallback: Mapping[str | int, str] | None = None) -> tuple[dict, list]:
    """Map source country codes to ISO3.

    Returns the mapping and the codes :mod:`geohedge.countries` could not resolve, so
    loaders report them instead of dropping rows silently. Those codes map to
    ``fallback[code]`` (the source's own label, kept for aggregates such as "Europe EFTA,
    nes") when given, else to ``None``.
    """
    resolved = resolve_many(codes)
    unmapped = [code for code, iso3 in resolved.items() if iso3 is None]
    out = {code: iso3 if iso3 is not None else (fallback or {}).get(code) for code, iso3 in resolved.items()}
    return out, unmapped


_LINE = re.compile(r"\b[Ll]ine:? ?(\d+)")


def csv_error(path: str, exc: Exception) -> DataError:
    """A :class:`DataError` naming the file and, where the parser said, the line."""
    text = str(exc)
    match = _LINE.search(text)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    detail = [ln for ln in lines if not re.search(r"CSV Error on Line|Original Line|Possible", ln)]
    first = (detail or lines or [type(exc).__name__])[0]
    where = f"{path}: line {match.group(1)}" if match else path
    return DataError(f"{where}: malformed CSV: {first}")
