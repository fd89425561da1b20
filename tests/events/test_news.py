import datetime as dt

import pytest

from geohedge.views.events import query_articles, query_events
from geohedge.data.sources.news import (
    MAX_BYTES,
    ingest_news,
    parse_feed,
    parse_html,
    read_articles,
)
from geohedge.data.store import Store
from geohedge.errors import DataError, InputError

ARTICLE = (
    "Malaysia and Turkey sign defence pact\n\n"
    "Malaysia signed a defence cooperation agreement with Turkey on Tuesday, officials said. "
    "The United States imposed tariffs on Malaysian exports last month, and Kuala Lumpur has "
    "since looked to other partners. Turkish officials praised Malaysia as a reliable partner.\n"
)

HTML = """<!doctype html><html><head><title>Site | Pact</title>
<meta property="og:title" content="Malaysia and Turkey sign defence pact">
<meta property="article:published_time" content="2025-05-06T08:00:00Z">
<script>var x = "Russia attacked Malaysia";</script></head>
<body><nav><a href="/">Home</a> China threatened Japan</nav>
<article><h1>Malaysia and Turkey sign defence pact</h1>
<p>Malaysia signed a defence cooperation agreement with Turkey on Tuesday, officials said.</p>
<p>The United States imposed tariffs on Malaysian exports last month, and the government in Kuala Lumpur has since looked to other partners.</p>
</article><footer>Subscribe now. Iran condemned everyone.</footer></body></html>"""

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Wire</title>
<item><title>Malaysia, Turkey sign pact</title><link>https://example.org/a</link>
<pubDate>Tue, 06 May 2025 08:00:00 GMT</pubDate>
<description>&lt;p&gt;Malaysia signed a defence cooperation agreement with Turkey, officials said.&lt;/p&gt;</description></item>
<item><title>US tariffs</title><link>https://example.org/b</link><pubDate>Wed, 07 May 2025 08:00:00 GMT</pubDate>
<description>The United States imposed tariffs on Malaysian exports.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>
<entry><title>China warns Philippines</title><link href="https://example.org/c"/>
<published>2025-07-01T00:00:00Z</published><summary>China warned the Philippines over the shoal.</summary></entry>
</feed>"""


def _counts(store):
    return store.run("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events)")[0]


def test_text_article_ingested_once(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(ARTICLE)
    with Store() as store:
        first = ingest_news(store, f, date=dt.date(2025, 5, 6))
        assert first.added == 1 and first.events >= 2
        copy = tmp_path / "copy.txt"
        copy.write_text(ARTICLE.replace("\n\n", "\n   \n"))  # same text, other white space
        again = ingest_news(store, tmp_path)
        assert again.added == 0 and again.duplicates == 1
        assert _counts(store) == (1, first.events)
        art = query_articles(store).iloc[0]
        assert art["title"] == "Malaysia and Turkey sign defence pact"
        assert str(art["published"])[:10] == "2025-05-06" and art["date_source"] == "given"
        ev = query_events(store, dyad=("MYS", "TUR"))
        assert (ev["intensity"] > 0).all() and len(ev) >= 1
        assert set(query_events(store, event_type="coerce")["source_code"]) == {"USA"}


def test_html_main_text_title_and_date():
    title, published, text = parse_html(HTML)
    assert title == "Malaysia and Turkey sign defence pact"
    assert published == dt.date(2025, 5, 6)
    assert "defence cooperation agreement" in text
    for noise in ("Russia attacked", "China threatened", "Subscribe", "Iran condemned"):
        assert noise not in text


def test_feeds_rss_and_atom():
    rss = parse_feed(RSS, "wire.rss")
    assert [a.url for a in rss] == ["https://example.org/a", "https://example.org/b"]
    assert rss[0].published == dt.date(2025, 5, 6) and "<p>" not in rss[0].text
    atom = parse_feed(ATOM, "wire.atom")
    assert atom[0].title == "China warns Philippines" and atom[0].published == dt.date(2025, 7, 1)


def test_url_through_injected_transport():
    pages = {"https://example.org/feed.xml": RSS.encode(), "https://example.org/page.html": HTML.encode()}
    calls = []

    def transport(url, limit):
        calls.append((url, limit))
        return pages[url]

    with Store() as store:
        result = ingest_news(store, "https://example.org/feed.xml", feed=True, transport=transport)
        assert result.added == 2
        page = ingest_news(store, "https://example.org/page.html", transport=transport)
        assert page.added == 1
    assert calls[0] == ("https://example.org/feed.xml", MAX_BYTES + 1)

    def failing(url, limit):
        raise OSError("connection refused")

    with Store() as store, pytest.raises(DataError, match="download of https://example.org/x failed: connection refused"):
        ingest_news(store, "https://example.org/x", transport=failing)


BAD = {
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, "binary file"),
    "empty.txt": (b"", "empty file"),
    "blank.txt": (b"   \n\n ", "empty file"),
    "latin1.txt": ("Malaysia signed a pact with Türkiye".encode("latin-1"), "not UTF-8"),
    "broken.rss": (b"<?xml version='1.0'?><rss><channel><item><title>x</title></channel></rss>", "malformed feed"),
    "other.xml": (b"<?xml version='1.0'?><html-ish><p>x</p></html-ish>", "malformed feed"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_files_refused_without_writes(tmp_path, name):
    content, message = BAD[name]
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    bad = tmp_path / name
    bad.write_bytes(content)
    with Store() as store:
        before = _counts(store)
        with pytest.raises(DataError, match=message):
            ingest_news(store, tmp_path)  # the good file is not written either
        assert _counts(store) == before
        skipped = ingest_news(store, tmp_path, skip_bad=True)
        assert skipped.added == 1 and any(message in n for n in skipped.notes)


def test_file_above_cap_is_refused(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("w") as fh:
        block = "Malaysia signed a defence agreement with Turkey. " * 1000
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(block)
    with Store() as store:
        with pytest.raises(DataError, match="above the 10,485,760-byte limit"):
            ingest_news(store, big)
        assert _counts(store) == (0, 0)


def test_non_english_skipped_with_note(tmp_path):
    (tmp_path / "ms.txt").write_text(
        "Malaysia dan Turki menandatangani perjanjian kerjasama pertahanan di Ankara pada hari Selasa, kata "
        "kementerian luar negeri dalam satu kenyataan yang dikeluarkan semalam. Kedua-dua negara bersetuju "
        "untuk meningkatkan perdagangan dua hala dan kerjasama industri pertahanan.")
    (tmp_path / "en.txt").write_text(ARTICLE)
    with Store() as store:
        result = ingest_news(store, tmp_path)
        assert result.added == 1 and len(result.skipped) == 1 and "not English" in result.skipped[0]
        assert _counts(store)[0] == 1


def test_missing_path(tmp_path):
    with Store() as store, pytest.raises(InputError, match="does not exist"):
        ingest_news(store, tmp_path / "nope.txt")
    with pytest.raises(InputError, match="no .txt"):
        read_articles(tmp_path)


from hypothesis import given, settings
from hypothesis import strategies as st

from geohedge.data.sources.news import _articles_from


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["x.txt", "x.html", "x.rss"]), st.booleans())
def test_parsers_fail_only_with_data_error(text, name, feed):
    """Any text, read as text, HTML or feed, gives articles or a DataError, nothing else."""
    for candidate in (text, "<html><body>" + text, "<?xml version='1.0'?><rss><channel><item><description>" + text):
        try:
            articles = _articles_from(candidate, name, feed=feed)
        except DataError:
            continue
        for a in articles:
            assert isinstance(a.text, str) and len(a.doc_id) == 64


def test_failure_during_write_leaves_store_unchanged(tmp_path, monkeypatch):
    import geohedge.data.sources.news as news

    (tmp_path / "a.txt").write_text(ARTICLE)
    with Store() as store:
        ingest_news(store, tmp_path / "a.txt")
        before = _counts(store)
        (tmp_path / "b.txt").write_text(ARTICLE.replace("Tuesday", "Wednesday"))

        def boom(*args, **kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr(news, "_provenance", boom)
        with pytest.raises(RuntimeError, match="disk full"):
            ingest_news(store, tmp_path)
        assert _counts(store) == before


def test_repeated_sentence_file_is_one_event_row(tmp_path):
    """A 10 MB file repeating one sentence: one stored event with its repeat count (issue 13)."""
    sentence = "Malaysia strengthened ties with Turkey on Tuesday. "
    n = (MAX_BYTES - 1000) // len(sentence)
    (tmp_path / "rep.txt").write_text(sentence * n)
    with Store() as store:
        result = ingest_news(store, tmp_path / "rep.txt", date=dt.date(2025, 6, 4))
        rows = store.run("SELECT event_type, source_code, target_code, repeats, date FROM events")
        assert result.events == 1
        assert rows == [("cooperate", "MYS", "TUR", n, dt.date(2025, 6, 3))]
        art = query_articles(store).iloc[0]
        assert art["n_events"] == n and art["n_sentences"] == n


def test_events_say_where_their_date_came_from(tmp_path):
    (tmp_path / "a.txt").write_text("KUALA LUMPUR (May 6) - Malaysia praised Turkey for its support.\n")
    (tmp_path / "b.txt").write_text("Turkey thanked Malaysia for its support.\n")
    with Store() as store:
        ingest_news(store, tmp_path, date=dt.date(2025, 5, 20))
        ev = query_events(store)
        got = {(r.source_code, str(r.date)[:10], r.date_source) for r in ev.itertuples()}
        assert got == {("MYS", "2025-05-06", "dateline"), ("TUR", "2025-05-20", "given")}
