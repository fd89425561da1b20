"""Text into sentences, and the language check, for the event coder (pure string work)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

__all__ = ["DATELINE", "LANGUAGE_SAMPLE", "Counted", "article_sentences", "is_english", "iter_sentences",
           "split_sentences", "without_dateline"]

_ABBREV = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sen|Rep|Gov|Prof|St|Jr|Sr|No|Inc|Co|Ltd|vs|U\.S|U\.N|U\.K|E\.U|Dec|Jan|Feb|Aug|Sept|Sep|Oct|Nov)\.$")
_SPACES = re.compile(r"\s+")
_BOUNDARY = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")


def iter_sentences(text: str) -> Iterator[str]:
    """Sentences of a text, lazily (line breaks, and ``. ! ?`` before a capital or a quote)."""
    for para in re.finditer(r"[^\r\n]+", text):
        line = _SPACES.sub(" ", para.group(0)).strip()
        if not line:
            continue
        start = 0
        for m in _BOUNDARY.finditer(line):
            piece = line[start:m.start() + 1]
            if _ABBREV.search(piece):
                continue
            yield line[start:m.end()].strip()
            start = m.end()
        if line[start:].strip():
            yield line[start:].strip()


#: "KUALA LUMPUR (April 3) -", "KUALA LUMPUR, April 3 (Reuters) -", "ISTANBUL, Jan 26, 2024 (AFP) -",
#: "WASHINGTON, Aug 1 —": a place in capitals, then a date, at the start of the text.
DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Z.'’\- ]{1,40}[A-Z.])(?:,\s*[A-Z][A-Za-z.\- ]{1,30})?\s*(?:,|\()\s*"
    r"(?P<date>(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+)?"
    r"(?P<day>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,?\s+\d{4})?"
    r"|\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?(?:\s+\d{4})?)"
)


_BARE_DATELINE = re.compile(r"^[A-Z][A-Z.'’\- ]{2,40}(?:,\s*[A-Z][A-Za-z.\- ]{1,30})?\s*(?:\([^)\n]{1,40}\))?\s*[-–—:]\s+(?=[A-Z])")
_DATELINE_END = re.compile(r"^[^\n]{0,120}?(?:\)\s*[-–—:]|[-–—:])\s+")


def without_dateline(text: str) -> str:
    """The text without its dateline ("KUALA LUMPUR (April 3) - "), which is not a sentence's subject."""
    head = text.lstrip()
    if DATELINE.match(head):
        end = _DATELINE_END.match(head)
        if end:
            return head[end.end():]
    bare = _BARE_DATELINE.match(head)  # "BEIJING (Reuters) – ", "ANKARA: "
    return head[bare.end():] if bare else text


def article_sentences(text: str) -> Iterator[str]:
    """Sentences of an article, its dateline left out (see :func:`without_dateline`)."""
    return iter_sentences(without_dateline(text))


def split_sentences(text: str) -> list[str]:
    """Split text into sentences (see :func:`iter_sentences`)."""
    return list(iter_sentences(text))


_STOPWORDS = frozenset(
    "the of and to in a is that for on with as by was at from it an be are this which have has not but "
    "or its were their they been will would said he she his her who more also after than after into its "
    "we our us can there about over new other".split()
)
#: Characters of a text read to judge its language (a news article is 5-50 kB).
LANGUAGE_SAMPLE = 100_000


def is_english(text: str) -> tuple[bool, float]:
    """Whether ``text`` reads as English: the share of its words (in the first
    :data:`LANGUAGE_SAMPLE` characters) that are common English function words. English
    news prose runs at 0.3–0.5; other languages in Latin script below 0.1. Texts under 20
    words are too short to judge this way and pass unless mostly in another script."""
    words = re.findall(r"[^\W\d_]+", text[:LANGUAGE_SAMPLE].lower())
    if not words:
        return False, 0.0
    share = sum(w in _STOPWORDS for w in words) / len(words)
    if len(words) < 20:
        latin = sum(bool(re.fullmatch(r"[a-zà-ÿ]+", w)) for w in words) / len(words)
        return latin >= 0.5, share
    return share >= 0.12, share


class Counted:
    """An iterable that counts what it yields (sentences, without keeping them)."""

    def __init__(self, items: Iterable[str]):
        self._items = items
        self.n = 0

    def __iter__(self) -> Iterator[str]:
        for item in self._items:
            self.n += 1
            yield item
