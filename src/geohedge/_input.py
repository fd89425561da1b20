"""Guards for text a user hands in, applied before it is parsed or resolved.

Parsers of nested formats (``json``, ``tomllib``) recurse once per level and fail with a
``RecursionError`` a few hundred levels down; country name matching is quadratic in the
length of the query. So every file, request body or name a user gives is checked here
first, in linear time, with a one-line :class:`~geohedge.errors.InputError`:

- :func:`read_text_file`: exists, at most ``max_bytes``, not binary (no NUL byte), UTF-8;
- :func:`check_depth`: arrays and tables (``[ ]``, ``{ }``) nested at most ``limit`` deep,
  counted outside strings and comments (JSON or TOML);
- :func:`check_length`: a name or code of at most :data:`MAX_NAME_CHARS` characters;
- :func:`loads_toml`: both checks, then :func:`tomllib.loads`.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from geohedge.errors import InputError

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "MAX_NAME_CHARS", "check_depth", "check_length", "loads_toml", "read_text_file"]

#: Longest country or bloc name accepted (the longest official country name has 56).
MAX_NAME_CHARS = 100
#: Deepest nesting of arrays and tables in a scenario, weights or blocs file or body.
MAX_DEPTH = 32
#: Largest option file (scenario, weights, blocs) read.
MAX_FILE_BYTES = 4 * 1024 * 1024


def check_length(text: str, what: str, limit: int = MAX_NAME_CHARS) -> str:
    """``text`` unchanged if it has at most ``limit`` characters.

    Raises
    ------
    InputError
        Longer; the message gives the length and the limit.
    """
    if len(text) > limit:
        raise InputError(f"{what} of {len(text):,} characters ({text[:24]!r}...) is longer than the {limit} allowed; "
                         "give a code such as MYS or a name such as 'Malaysia'")
    return text


def read_text_file(path: str | Path, what: str, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The UTF-8 text of a small file the user named.

    Raises
    ------
    InputError
        Missing, a folder, unreadable, larger than ``max_bytes``, binary or not UTF-8.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{what} {str(p)!r} does not exist" + (" (it is a folder)" if p.is_dir() else ""))
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise InputError(f"{what} {p} has {size:,} bytes, more than the {max_bytes:,} allowed")
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {what} {p}: {exc.strerror or exc}") from None
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise InputError(f"{what} {p} is a binary file (NUL byte at offset {nul}); give a UTF-8 text file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{what} {p} is not UTF-8 text (byte {exc.start}); save it as UTF-8") from None


def check_depth(text: str, what: str, limit: int = MAX_DEPTH, *, toml: bool = False) -> None:
    """Refuse text whose arrays and tables nest deeper than ``limit``.

    Brackets inside strings (``"..."`` with backslash escapes; for TOML also ``'...'``,
    the triple-quoted forms and ``#`` comments) do not count. Linear in the length.

    Raises
    ------
    InputError
        Naming the line where the limit is passed.
    """
    depth = 0
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "[{":
            depth += 1
            if depth > limit:
                line = text.count("\n", 0, i) + 1
                raise InputError(f"{what}: line {line}: arrays and tables nested more than {limit} deep; flatten it")
        elif ch in "]}":
            depth = max(depth - 1, 0)
        elif ch == '"' or (toml and ch == "'"):
            i = _skip_string(text, i, toml)
            continue
        elif toml and ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        i += 1


def _skip_string(text: str, i: int, toml: bool) -> int:
    """Index just past the string starting at ``text[i]`` (or the end of the text)."""
    quote = text[i]
    if toml and text.startswith(quote * 3, i):
        end = text.find(quote * 3, i + 3)
        while quote == '"' and end > 0 and _escaped(text, end):
            end = text.find(quote * 3, end + 1)
        return len(text) if end < 0 else end + 3
    j = i + 1
    while j < len(text):
        c = text[j]
        if c == "\\" and quote == '"':
            j += 2
            continue
        if c == quote or (toml and c == "\n"):
            return j + 1
        j += 1
    return j


def _escaped(text: str, k: int) -> bool:
    backslashes = 0
    while k - 1 - backslashes >= 0 and text[k - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def loads_toml(text: str, what: str, limit: int = MAX_DEPTH) -> dict[str, Any]:
    """Parse TOML after :func:`check_depth`.

    Raises
    ------
    InputError
        Nested too deep, or not valid TOML.
    """
    check_depth(text, what, limit, toml=True)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{what}: not valid TOML ({exc})") from None
