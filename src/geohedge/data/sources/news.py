"""News articles into the store: plain text, HTML pages, RSS/Atom feeds, folders, URLs.

Each article becomes one row of ``articles`` and its coded events rows of ``events``
(dataset ``news``), see :mod:`geohedge.data.store`:

- ``doc_id`` is the sha256 of the article's main text with white space collapsed, so the
  same article ingested again (from the same file, a copy, or the HTML of the same text)
  adds nothing;
- ``url`` is the URL or the file path; ``title``; ``published`` with ``date_source``,
  the first of: ``published`` (the page's metadata or the feed item's date), ``header``
  (a ``Date:`` line at the top of a text file, in any common format: ``2025-04-03``,
  ``3 April 2025``, ``April 3, 2025``, ``Thu, 03 Apr 2025 08:00:00 GMT``, ``03.04.2025``),
  ``dateline`` (the text opens "KUALA LUMPUR (April 3) -", "ISTANBUL, Aug 6 —"; a dateline
  without a year takes the year of ``--date`` or of the ingest, or the year before when
  that would be later), ``given`` (``--date``), ``ingested`` (the day of the ingest). A
  file's modification time is never used: a copied file is not a dated article;
- events are coded by :func:`geohedge.events.code_text` for the article's date, through
  :func:`geohedge.events.code_texts` in ``n_process`` worker processes; identical events
  of one article are stored once, with ``repeats`` counting them (a file that repeats one
  sentence 370,000 times is one event with ``repeats = 370000``).

Inputs, and what is refused (:class:`~geohedge.errors.DataError`, nothing written):

- plain text (``.txt``, ``.md``, anything that is not HTML or a feed), UTF-8. Optional
  header lines ``Title:``, ``Date:``, ``URL:`` at the top; otherwise a short first line is
  the title;
- HTML (``.html``, ``.htm`` or text starting with ``<!doctype html``/``<html``): the main
  text is the paragraphs of ``<article>`` (else ``<main>``, else the whole body) without
  scripts, styles, navigation, headers, footers, asides and forms; the title from
  ``og:title`` or ``<title>``; the date from ``article:published_time``, ``<time datetime>``
  or a ``date`` meta tag;
- RSS 2.0 and Atom feeds (``--feed``, or ``.rss``/``.atom``/``.xml`` files): one article per
  item (title, link, ``pubDate``/``published``/``updated``, description or content);
- a folder: every such file in it and its sub-folders, in name order; hidden files skipped;
- a URL (``http://``, ``https://``), fetched through an injectable ``transport`` so tests
  need no network.

Refused: a file above :data:`MAX_BYTES` (10 MiB: a news article is 5–50 kB; larger
files are dumps, not articles), an empty file, a binary file (NUL bytes or not UTF-8),
a malformed feed. Not coded but not an error: text that does not read as English
(skipped with a note). One bad file stops the whole ingest before anything is written,
unless ``skip_bad`` turns the refusals into notes.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import email.utils
import functools
import hashlib
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

from geohedge.errors import DataError, InputError
from geohedge.events.text import DATELINE as _DATELINE

__all__ = [
    "MAX_BYTES",
    "Article",
    "article_date",
    "dateline_date",
    "CodedNews",
    "NewsLoad",
    "Transport",
    "code_news",
    "fetch_url",
    "ingest_news",
    "load_news",
    "parse_feed",
    "parse_html",
    "read_articles",
]

#: Largest file or download accepted as one article or feed (10 MiB).
MAX_BYTES = 10 * 1024 * 1024

#: A transport takes a URL and returns its bytes (at most ``limit``; more means refused).
Transport = Callable[[str, int], bytes]

_TEXT_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ".xhtml", ".rss", ".atom", ".xml"}
_FEED_SUFFIXES = {".rss", ".atom", ".xml"}


@dataclass(frozen=True)
class Article:
    """One article, read but not yet coded."""

    url: str
    title: str | None
    published: _dt.date | None
    date_source: str
    text: str

    @property
    def doc_id(self) -> str:
        """sha256 of the text with white space collapsed (the de-duplication key)."""
        return _words(self.text)[0]

    @property
    def n_words(self) -> int:
        return _words(self.text)[1]


@functools.lru_cache(maxsize=8)
def _words(text: str, chunk: int = 1 << 20) -> tuple[str, int]:
    """sha256 of ``" ".join(text.split())`` and the number of words, read in chunks of
    about ``chunk`` characters so that a 10 MB file never becomes a list of 2 million words."""
    digest = hashlib.sha256()
    n = 0
    pos = 0
    first = True
    while pos < len(text):
        end = min(len(text), pos + chunk)
        while end < len(text) and not text[end].isspace():
            end += 1  # never cut a word
        words = text[pos:end].split()
        if words:
            digest.update(((" " if not first else "") + " ".join(words)).encode("utf-8"))
            first = False
            n += len(words)
        pos = end
    return digest.hexdigest(), n


@dataclass(frozen=True)
class NewsLoad:
    """What :func:`ingest_news` did."""

    read: int
    added: int
    duplicates: int
    events: int
    skipped: tuple[str, ...] = field(default_factory=tuple)
    notes: tuple[str, ...] = field(default_factory=tuple)


# --- reading ------------------------------------------------------------------------------


def _check_bytes(raw: bytes, where: str) -> str:
    if len(raw) > MAX_BYTES:
        raise DataError(f"{where}: {len(raw):,} bytes is above the {MAX_BYTES:,}-byte limit for one article or feed; split it or pass a smaller file")
    if not raw.strip():
        raise DataError(f"{where}: empty file; nothing to ingest")
    if b"\x00" in raw[:65536]:
        raise DataError(f"{where}: binary file (NUL bytes), not text, HTML or a feed")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"{where}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from exc
    if not text.strip():
        raise DataError(f"{where}: empty file; nothing to ingest")
    return text


def _read_file(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise DataError(f"{path}: {size:,} bytes is above the {MAX_BYTES:,}-byte limit for one article or feed; split it or pass a smaller file")
    return _check_bytes(path.read_bytes(), str(path))


def _parse_date(text: str | None) -> _dt.date | None:
    from geohedge.events.dates import parse_date_text

    if not text:
        return None
    text = text.strip()
    day = parse_date_text(text)
    if day is not None:
        return day
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.date() if parsed else None


def dateline_date(text: str, reference: _dt.date) -> _dt.date | None:
    """The date of a dateline opening ``text`` ("KUALA LUMPUR (April 3) - ..."); a month and
    day take the year of ``reference``, or the year before when that would be later."""
    from geohedge.events.dates import parse_date_text

    for line in text[:600].splitlines()[:3]:
        m = _DATELINE.match(line)
        if m:
            return parse_date_text(m["day"], reference=reference)
    return None


def _looks_html(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or "<html" in head or "<body" in head


def _looks_feed(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith("<?xml") or "<rss" in head or "<feed" in head


class _MainText(HTMLParser):
    """Collect paragraph text, title and date from an HTML page (stdlib parser)."""

    _SKIP = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "svg", "button", "figure"}
    _BLOCK = {"p", "h1", "h2", "h3", "h4", "li", "blockquote", "div", "td", "br", "section", "pre"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.where: list[str] = []
        self.parts: dict[str, list[str]] = {"article": [], "main": [], "body": []}
        self.title = ""
        self.og_title = ""
        self.date = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag in self._SKIP:
            self.skip += 1
        elif tag in ("article", "main", "body"):
            self.where.append(tag)
        elif tag == "title":
            self._in_title = True
        elif tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key == "og:title":
                self.og_title = a.get("content", "")
            elif key in ("article:published_time", "datepublished", "date", "pubdate", "dc.date", "publish-date") and not self.date:
                self.date = a.get("content", "")
        elif tag == "time" and not self.date:
            self.date = a.get("datetime", "")
        if tag in self._BLOCK:
            self._add("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in ("article", "main", "body") and tag in self.where:
            self.where.reverse()
            self.where.remove(tag)
            self.where.reverse()
        elif tag == "title":
            self._in_title = False
        if tag in self._BLOCK:
            self._add("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
            return
        if not self.skip:
            self._add(data)

    def _add(self, data: str) -> None:
        for scope in set(self.where) | {"body"}:
            self.parts[scope].append(data)

    def text(self) -> str:
        for scope in ("article", "main", "body"):
            joined = "".join(self.parts[scope])
            lines = [" ".join(ln.split()) for ln in joined.split("\n")]
            kept = [ln for ln in lines if ln]
            if sum(len(ln.split()) for ln in kept) >= 20 or scope == "body":
                return "\n".join(kept)
        return ""


def parse_html(page: str) -> tuple[str | None, _dt.date | None, str]:
    """Title, publication date and main text of an HTML page."""
    parser = _MainText()
    parser.feed(page)
    parser.close()
    title = " ".join((parser.og_title or parser.title).split()) or None
    return title, _parse_date(parser.date), parser.text()


def _strip_tags(fragment: str) -> str:
    if "<" in fragment and ">" in fragment:
        return parse_html("<html><body>" + fragment + "</body></html>")[2]
    return html.unescape(fragment).strip()


def parse_feed(text: str, where: str) -> list[Article]:
    """Articles from an RSS 2.0 or Atom feed.

    Raises
    ------
    DataError
        Not well-formed XML, or neither RSS nor Atom.
    """
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as exc:
        raise DataError(f"{where}: malformed feed: {exc}") from exc
    tag = root.tag.rsplit("}", 1)[-1].lower()
    out: list[Article] = []
    if tag in ("rss", "rdf"):
        items = root.iter("item") if tag == "rss" else [e for e in root if e.tag.rsplit("}", 1)[-1] == "item"]
        for item in items:
            get = {c.tag.rsplit("}", 1)[-1].lower(): (c.text or "") for c in item}
            body = get.get("encoded") or get.get("description") or ""
            published = _parse_date(get.get("pubdate") or get.get("date"))
            out.append(_feed_article(get.get("link") or where, get.get("title"), published, body))
    elif tag == "feed":
        for entry in (e for e in root if e.tag.rsplit("}", 1)[-1] == "entry"):
            get: dict[str, str] = {}
            link = ""
            for c in entry:
                name = c.tag.rsplit("}", 1)[-1].lower()
                if name == "link" and (c.get("rel") in (None, "alternate")) and not link:
                    link = c.get("href", "")
                else:
                    get.setdefault(name, "".join(c.itertext()))
            body = get.get("content") or get.get("summary") or ""
            published = _parse_date(get.get("published") or get.get("updated"))
            out.append(_feed_article(link or where, get.get("title"), published, body))
    else:
        raise DataError(f"{where}: malformed feed: root element <{tag}> is neither RSS <rss> nor Atom <feed>")
    return [a for a in out if a.text.strip()]


def _feed_article(url: str, title: str | None, published: _dt.date | None, body: str) -> Article:
    text = _strip_tags(body)
    title = " ".join((title or "").split()) or None
    if title and not text.startswith(title):
        text = f"{title}\n{text}"
    return Article(url.strip(), title, published, "published" if published else "undated", text)


_HEADER = re.compile(r"(Title|Date|URL|Url|Source):[ \t]*(\S[^\r\n]*)\r?\n?")


def _text_article(text: str, url: str) -> Article:
    header: dict[str, str] = {}
    pos = 0
    while True:  # header lines at the top, read without splitting the whole text
        m = _HEADER.match(text, pos)
        if m is None:
            break
        header[m[1].lower()] = m[2].strip()
        pos = m.end()
    body = text[pos:].strip()
    title = header.get("title")
    if title is None:
        first = next((ln.strip() for ln in body[:2000].splitlines() if ln.strip()), "")
        title = first if first and len(first) <= 200 and not first.endswith(".") else None
    published = _parse_date(header.get("date"))
    return Article(header.get("url") or header.get("source") or url, title, published,
                   "header" if published else "undated", body)


def _articles_from(text: str, url: str, *, feed: bool) -> list[Article]:
    if feed or _looks_feed(text) and not _looks_html(text):
        return parse_feed(text, url)
    if _looks_html(text) or url.lower().endswith((".html", ".htm", ".xhtml")):
        title, published, body = parse_html(text)
        if not body.strip():
            raise DataError(f"{url}: HTML page without any text")
        return [Article(url, title, published, "published" if published else "undated",
                        body if not title or body.startswith(title) else f"{title}\n{body}")]
    return [_text_article(text, url)]


def fetch_url(url: str, transport: Transport | None = None) -> bytes:
    """The bytes at ``url`` (at most :data:`MAX_BYTES`), through ``transport`` when given.

    Raises
    ------
    DataError
        The download failed or is larger than :data:`MAX_BYTES`.
    """
    if transport is None:
        transport = _urllib_transport
    try:
        raw = transport(url, MAX_BYTES + 1)
    except DataError:
        raise
    except Exception as exc:  # network errors of any transport: one line, no traceback
        raise DataError(f"download of {url} failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from exc
    if len(raw) > MAX_BYTES:
        raise DataError(f"{url}: more than {MAX_BYTES:,} bytes, above the limit for one article or feed")
    return raw


def _urllib_transport(url: str, limit: int) -> bytes:
    from geohedge.data.sources._common import read_url

    return read_url(url, limit)  # 60 s for the whole download, not per read


def read_articles(
    source: str | Path,
    *,
    feed: bool = False,
    transport: Transport | None = None,
    skip_bad: bool = False,
) -> tuple[list[Article], list[str]]:
    """Read every article in a file, folder, feed or URL; nothing is coded or written.

    Returns
    -------
    articles, notes
        The articles, and one note per refused file when ``skip_bad``.

    Raises
    ------
    InputError
        The path does not exist, or a folder holds no readable file.
    DataError
        A refused file (see the module docstring), unless ``skip_bad``.
    """
    text_source = str(source)
    if text_source.startswith(("http://", "https://")):
        text = _check_bytes(fetch_url(text_source, transport), text_source)
        return _articles_from(text, text_source, feed=feed), []
    path = Path(source)
    if not path.exists():
        raise InputError(f"{path} does not exist; pass a file, a folder or an http(s) URL")
    files = [path] if path.is_file() else sorted(
        p for p in path.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
        and (p.suffix.lower() in _TEXT_SUFFIXES or not p.suffix)
    )
    if not files:
        raise InputError(f"{path}: no .txt, .md, .html, .rss, .atom or .xml files in this folder")
    articles: list[Article] = []
    notes: list[str] = []
    for f in files:
        try:
            text = _read_file(f)
            articles += _articles_from(text, str(f), feed=feed or f.suffix.lower() in _FEED_SUFFIXES and _looks_feed(text))
        except DataError as exc:
            if not skip_bad:
                raise
            notes.append(f"skipped {exc}")
    return articles, notes


# --- coding and loading -----------------------------------------------------------------


def article_date(art: Article, given: _dt.date | None, today: _dt.date) -> tuple[_dt.date, str]:
    """The date an article is coded for and where it came from (see the module docstring):
    ``published``/``header`` from the reader, then ``dateline``, ``given``, ``ingested``."""
    if art.published is not None and art.date_source in ("published", "header"):
        return art.published, art.date_source
    line = dateline_date(art.text, given or today)
    if line is not None:
        return line, "dateline"
    if given is not None:
        return given, "given"
    return today, "ingested"


def _code(articles: Sequence[Article], date: _dt.date | None, n_process: int,
          progress: Callable[[str, int, int], None] | None) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    from geohedge.events import code_texts

    now = _dt.datetime.now(_dt.UTC).replace(tzinfo=None, microsecond=0)
    unique: list[tuple[Article, str, _dt.date, str]] = []
    seen: set[str] = set()
    for art in articles:
        doc_id = art.doc_id
        if doc_id in seen:
            continue
        seen.add(doc_id)
        day, date_source = article_date(art, date, now.date())
        unique.append((art, doc_id, day, date_source))
    coded_all = code_texts([(art.text, day) for art, _, day, _ in unique], n_process=n_process,
                           progress=(lambda n, total: progress("coding", n, total)) if progress else None)
    article_rows: list[dict[str, object]] = []
    event_frames: list[pd.DataFrame] = []
    skipped: list[str] = []
    for (art, doc_id, day, date_source), coded in zip(unique, coded_all, strict=True):
        if coded.skipped:
            skipped.append(f"{art.url}: {coded.skipped}; skipped")
            continue
        frame = coded.to_frame()
        frame.insert(0, "doc_id", doc_id)
        frame["event_id"] = [f"{doc_id[:16]}-s{s:06d}-{i:03d}" for i, s in enumerate(frame["sentence_index"])]
        frame = frame.drop(columns=["sentence_index"])
        frame["url"] = art.url
        frame["cameo_code"] = None
        event_frames.append(frame)
        article_rows.append({
            "doc_id": doc_id, "url": art.url, "title": art.title, "published": day, "date_source": date_source,
            "language": coded.language, "n_words": art.n_words, "n_sentences": coded.n_sentences,
            "n_events": int(frame["repeats"].sum()) if len(frame) else 0, "ingested_at": now,
        })
    articles_frame = pd.DataFrame(article_rows, columns=["doc_id", "url", "title", "published", "date_source", "language",
                                                         "n_words", "n_sentences", "n_events", "ingested_at"])
    events_frame = pd.concat(event_frames, ignore_index=True) if event_frames else pd.DataFrame(columns=["doc_id", "event_id"])
    return articles_frame, events_frame, skipped


@dataclass(frozen=True, eq=False)
class CodedNews:
    """Articles read and coded, not yet stored (:func:`code_news`)."""

    source: str
    read: int
    articles: pd.DataFrame
    events: pd.DataFrame
    skipped: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def code_news(
    source: str | Path,
    *,
    feed: bool = False,
    date: _dt.date | None = None,
    transport: Transport | None = None,
    skip_bad: bool = False,
    n_process: int = 1,
    progress: Callable[[str, int, int], None] | None = None,
    origin: str | None = None,
) -> CodedNews:
    """Read and code articles without touching the store (so a slow download or a long
    coding run holds no lock); :func:`load_news` writes the result.

    Parameters
    ----------
    source
        File, folder, feed or http(s) URL (see the module docstring).
    feed
        Treat the input as an RSS/Atom feed.
    date
        Date for articles whose page, header and dateline state none.
    transport
        ``transport(url, limit) -> bytes`` for URLs; default urllib.
    skip_bad
        Skip refused files with a note instead of stopping.
    n_process
        Worker processes for coding (:func:`geohedge.events.code_texts`).
    origin
        Recorded as the articles' ``url`` and the provenance origin instead of ``source``
        (for text handed over in memory, e.g. posted to the web API through a scratch file).

    Raises
    ------
    InputError, DataError
        Bad input, or the English pipeline is missing or fails its hash check.
    """
    articles, notes = read_articles(source, feed=feed, transport=transport, skip_bad=skip_bad)
    if origin is not None:
        articles = [dataclasses.replace(a, url=origin) for a in articles]
    if not articles:
        raise DataError(f"{source}: no articles found" + (f" ({'; '.join(notes)})" if notes else ""))
    art_frame, ev_frame, skipped = _code(articles, date, n_process, progress)
    return CodedNews(origin or str(source), len(articles), art_frame, ev_frame, tuple(skipped), tuple(notes))


def load_news(store, coded: CodedNews) -> NewsLoad:
    """Add coded articles to the store (dataset ``news``) in one transaction; articles
    already there (same ``doc_id``) add nothing."""
    from geohedge.data.store import registered

    with store.batch():
        known = {r[0] for r in store.run("SELECT doc_id FROM articles WHERE dataset = 'news'")}
        new_articles = coded.articles[~coded.articles["doc_id"].isin(known)].assign(dataset="news")
        new_events = coded.events[~coded.events["doc_id"].isin(known)].assign(dataset="news")
        if len(new_articles):
            with registered(store.con, "_incoming", new_articles):
                store.run("INSERT INTO articles BY NAME SELECT * FROM _incoming")
        if len(new_events):
            with registered(store.con, "_incoming", new_events):
                store.run("INSERT INTO events BY NAME SELECT * FROM _incoming")
        _provenance(store, coded.source)
    return NewsLoad(read=coded.read, added=len(new_articles), duplicates=len(coded.articles) - len(new_articles),
                    events=len(new_events), skipped=coded.skipped, notes=coded.notes)


def ingest_news(store, source: str | Path, **options) -> NewsLoad:
    """Read, code (:func:`code_news`, whose keyword ``options`` it takes: ``feed``, ``date``,
    ``transport``, ``skip_bad``, ``n_process``, ``progress``) and load (:func:`load_news`)
    articles into an open, writable store, in one transaction. ``NewsLoad.events`` counts
    stored rows: identical events of one article are one row with a repeat count.

    Raises
    ------
    InputError, DataError
        Bad input; nothing was written.
    """
    return load_news(store, code_news(source, **options))


def _provenance(store, origin: str) -> None:
    now = _dt.datetime.now(_dt.UTC).replace(tzinfo=None, microsecond=0)
    store.run("DELETE FROM provenance WHERE dataset = 'news' AND scope = ''")
    for table in ("articles", "events"):
        rows = store.run(f"SELECT count(*) FROM {table} WHERE dataset = 'news'")[0][0]
        store.run(
            "INSERT INTO provenance VALUES ('news', '', ?, ?, ?, ?, NULL, ?, FALSE, ?, ?)",
            [table, "news articles coded by geohedge (dependency rules on spaCy en_core_web_sm 3.8.0, PLOVER types)", _version(), origin, rows,
             "events coded per sentence; last ingest from origin", now],
        )


def _version() -> str:
    from geohedge import __version__

    return f"geohedge {__version__}"
