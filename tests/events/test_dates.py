"""Time expressions resolved against the article date; written-out dates in any common form."""

import datetime as dt

import pytest

from geohedge.data.sources.news import article_date, dateline_date, read_articles
from geohedge.events.dates import parse_date_text, parse_time, resolve

ARTICLE = dt.date(2025, 10, 26)  # a Sunday


@pytest.mark.parametrize(
    ("text", "day", "background"),
    [
        ("on Wednesday", dt.date(2025, 10, 22), False),
        ("on Sunday", ARTICLE, False),
        ("yesterday", dt.date(2025, 10, 25), False),
        ("today", ARTICLE, False),
        ("last month", dt.date(2025, 9, 1), False),
        ("this month", dt.date(2025, 10, 1), False),
        ("last week", dt.date(2025, 10, 19), False),
        ("in March", dt.date(2025, 3, 1), False),
        ("in December", dt.date(2024, 12, 1), False),  # a December after the article is last year's
        ("on April 3", dt.date(2025, 4, 3), False),
        ("on 2 April 2025", dt.date(2025, 4, 2), False),
        ("three days ago", dt.date(2025, 10, 23), False),
        ("in 2014", dt.date(2014, 1, 1), True),
        ("since 1964", dt.date(1964, 1, 1), True),
        ("in March 2023", dt.date(2023, 3, 1), True),  # more than a year before the article
        ("last year", dt.date(2024, 1, 1), True),
    ],
)
def test_relative_and_absolute_dates(text, day, background):
    ref = parse_time(text)
    assert ref is not None, text
    got, _precision, is_background = resolve(ref, ARTICLE)
    assert (got, is_background) == (day, background), text


def test_future_weekday_and_no_date():
    assert resolve(parse_time("on Wednesday"), ARTICLE, future=True)[0] == dt.date(2025, 10, 29)
    assert parse_time("in the capital") is None
    assert parse_time("may meet") is None  # the modal, not the month


@pytest.mark.parametrize(
    "text",
    ["2025-04-03", "2025/04/03", "3 April 2025", "April 3, 2025", "Apr 3 2025", "Thu, 03 Apr 2025 08:00:00 GMT",
     "03.04.2025", "Thursday, April 3, 2025"],
)
def test_date_header_formats(text):
    assert parse_date_text(text) == dt.date(2025, 4, 3)


@pytest.mark.parametrize(
    ("opening", "day"),
    [
        ("KUALA LUMPUR (April 3) - Malaysia praised Turkey.", dt.date(2025, 4, 3)),
        ("KUALA LUMPUR, April 3 (Reuters) - Malaysia praised Turkey.", dt.date(2025, 4, 3)),
        ("ISTANBUL, Aug 6 — Turkish President Recep Tayyip Erdogan had a video call.", dt.date(2025, 8, 6)),
        ("ISTANBUL, Jan 26, 2024 (BSS/AFP) - Turkey's government newspaper published a protocol.", dt.date(2024, 1, 26)),
        ("KUALA LUMPUR (Oct 15): Malaysia will continue to explore.", dt.date(2025, 10, 15)),
        ("WASHINGTON, Dec 1 — The US imposed tariffs.", dt.date(2024, 12, 1)),  # after the reference: last year
    ],
)
def test_datelines(opening, day):
    assert dateline_date(opening, reference=ARTICLE) == day


def test_no_dateline_in_ordinary_text():
    assert dateline_date("Malaysia praised Turkey on April 3 for its support.", reference=ARTICLE) is None


def test_date_chain_never_uses_the_file_time(tmp_path):
    """Date: header, then dateline, then --date, then the ingest day; the file's modification
    time never (a copied file is not a dated article)."""
    import os

    files = {
        "header.txt": "Title: Pact\nDate: 3 April 2025\n\nMalaysia praised Turkey.",
        "dateline.txt": "KUALA LUMPUR (April 3) - Malaysia praised Turkey.",
        "plain.txt": "Malaysia praised Turkey for its support.",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
        os.utime(tmp_path / name, (0, 0))  # 1970: must appear nowhere
    articles = {a.url.rsplit("/", 1)[-1]: a for a in read_articles(tmp_path)[0]}
    today = dt.date(2025, 10, 26)
    assert article_date(articles["header.txt"], None, today) == (dt.date(2025, 4, 3), "header")
    assert article_date(articles["dateline.txt"], None, today) == (dt.date(2025, 4, 3), "dateline")
    assert article_date(articles["plain.txt"], dt.date(2025, 5, 1), today) == (dt.date(2025, 5, 1), "given")
    assert article_date(articles["plain.txt"], None, today) == (today, "ingested")
    assert article_date(articles["header.txt"], dt.date(2025, 5, 1), today) == (dt.date(2025, 4, 3), "header")
