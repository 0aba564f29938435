"""Publication times in the forms feeds and sites print are read into one ISO 8601 form; a value that
does not name a whole date is refused, never completed from a default."""
from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.times import normalise_published, parse_published


@pytest.mark.parametrize("value, expected", [
    ("2019-11-18", "2019-11-18"),
    ("2019-11-18T10:00:00Z", "2019-11-18T10:00:00Z"),
    ("2019-11-18T10:00:00.123+05:00", "2019-11-18T05:00:00Z"),
    ("2019-11-18 10:00", "2019-11-18T10:00:00Z"),
    ("Mon, 18 Nov 2019 10:00:00 GMT", "2019-11-18T10:00:00Z"),  # RFC 2822, as RSS has it
    ("Mon, 18 Nov 2019 10:00:00 -0500", "2019-11-18T15:00:00Z"),
    ("November 18, 2019", "2019-11-18"),
    ("Nov. 19, 2019 at 4:05 p.m. ET", "2019-11-19T21:05:00Z"),
    ("Tuesday, November 19, 2019 - 3:45 PM EST", "2019-11-19T20:45:00Z"),
    ("Published 18 Nov 2019, 09:12 GMT", "2019-11-18T09:12:00Z"),
    ("2019-11-18 10:00:00 PST", "2019-11-18T18:00:00Z"),
    ("18/11/2019", "2019-11-18"),  # a first number above 12 can only be the day
    ("19.11.2019", "2019-11-19"),
    ("1574071200", "2019-11-18T10:00:00Z"),  # epoch seconds
    ("1574071200000", "2019-11-18T10:00:00Z"),  # epoch milliseconds
    (1574071200, "2019-11-18T10:00:00Z"),
    (1574071200000, "2019-11-18T10:00:00Z"),  # milliseconds as a number, as JavaScript and Kafka give them
    (1574071200.5, "2019-11-18T10:00:00Z"),
    ("20191118", "2019-11-18"),  # ISO 8601's basic form, as GDELT and archives write it
    ("20191118T100000Z", "2019-11-18T10:00:00Z"),
    ("20191118100000", "2019-11-18T10:00:00Z"),
    # forms the email module's RFC 2822 parser half-reads (it dropped "PM" and the zone, and read BST as
    # no zone at all): 16 hours or one hour wrong, without a flag
    ("June 12, 2024 3:00 PM EDT", "2024-06-12T19:00:00Z"),
    ("June 12, 2024 3:00 PM", "2024-06-12T15:00:00Z"),
    ("12 June 2024 15:00 BST", "2024-06-12T14:00:00Z"),
    ("Wed, 12 Jun 2024 15:00:00 CEST", "2024-06-12T13:00:00Z"),
    ("Wed, 12 Jun 2024", "2024-06-12"),
    # zones of half and quarter hours, as Indian and Nepali sites print them (IST raised a TypeError)
    ("2019-11-19 11:30 PM IST", "2019-11-19T18:00:00Z"),
    ("Tue, 19 Nov 2019 23:30:00 IST", "2019-11-19T18:00:00Z"),
    ("Nov 19, 2019, 11:30 PM IST", "2019-11-19T18:00:00Z"),
    ("19 Nov 2019 10:00 NPT", "2019-11-19T04:15:00Z"),
    ("19.11.2019 23:30 MEZ", "2019-11-19T22:30:00Z"),
    ("Nov 19, 2019 9:00 AM HKT", "2019-11-19T01:00:00Z"),
    # an IANA zone's name, with its own summer time (read as UTC before)
    ("2019-11-19 23:30 America/New_York", "2019-11-20T04:30:00Z"),
    ("2019-07-19 23:30 America/New_York", "2019-07-20T03:30:00Z"),
    ("19 Nov 2019 23:30 (Europe/Berlin)", "2019-11-19T22:30:00Z"),
])
def test_readable_times_come_out_in_one_iso_form(value, expected):
    assert normalise_published(value) == expected


@pytest.mark.parametrize("value", [
    None, "", "garbage", "5", "2019", "Nov 2019", "March 5", "posted 3 days ago", "issue 2019 page 5",
    "2019-13-45", "20191345", "20191118T250000", "0001-01-01", "Mon, 18 Nov 2519 10:00:00 GMT", True, "x" * 500,
    # offsets of a day or more, and times past the calendar's ends once in UTC (they raised)
    "2024-01-01T00:00:00+25:00", "2024-01-01T00:00:00+24:00", "2024-01-01 00:00 +2500",
    "9999-12-31T23:00:00-02:00", "0001-01-01T00:00:00+01:00",
])
def test_values_that_name_no_whole_date_are_refused(value):
    assert normalise_published(value) is None
    assert parse_published(value) is None


def test_the_result_is_aware_utc_and_says_whether_a_time_was_named():
    dt, has_time = parse_published("Nov. 19, 2019 at 4:05 p.m. ET")
    assert has_time and dt == datetime(2019, 11, 19, 21, 5, tzinfo=timezone.utc)
    dt, has_time = parse_published("November 18, 2019")
    assert not has_time and dt == datetime(2019, 11, 18, tzinfo=timezone.utc)


@settings(max_examples=3000, deadline=None)
@given(st.one_of(st.text(max_size=120), st.from_regex(r"[0-9A-Za-z ,.:/+\-]{1,60}", fullmatch=True),
                 st.integers(), st.floats(allow_nan=True)))
def test_no_value_raises(value):
    got = normalise_published(value)
    assert got is None or parse_published(got) is not None  # what comes out reads back in


def test_a_fetched_at_centuries_ahead_is_in_the_future_and_the_cleaning_drops_it():
    """QA: fetched_at "2999-01-01T00:00:00Z" passed the cleaning unflagged, because the reader of
    publication times refuses years past 2100, and in_future took "unreadable" for "not ahead"."""
    from pipeline.cleaning import clean
    from pipeline.times import in_future
    from schemas.models import RawArticle

    now = time.time()
    assert in_future("2999-01-01T00:00:00Z", now) and in_future("9999-12-31T23:59:59Z", now)
    assert not in_future("2026-03-01T10:30:00Z", datetime(2026, 3, 1, tzinfo=timezone.utc).timestamp())
    assert not in_future("yesterday", now) and not in_future(None, now)
    raw = RawArticle.from_dict({"id": "f-2", "source": "wire", "fetched_at": "2999-01-01T00:00:00Z",
                                "title": "Bridge closed by flooding",
                                "text": "Flooding closed the main bridge in Porto Alegre on Tuesday, officials said. "
                                        "Rescue teams evacuated 300 residents from riverside districts overnight."})
    article = clean(raw)
    assert article.fetched_at is None and "fetched_at_in_future" in article.flags


def test_a_publication_time_in_any_zone_reaches_the_article_record():
    """QA: a "published" of "2019-11-19 11:30 PM IST" stopped `newsflow replay` with a TypeError."""
    import orjson

    from pipeline.core import OfflinePipeline

    row = OfflinePipeline().process(orjson.dumps({
        "id": "a1", "source": "s", "title": "Mayor opens bridge", "published": "2019-11-19 11:30 PM IST",
        "text": "The mayor opened the new river bridge on Tuesday. Crowds lined both banks to watch."}))
    assert "error" not in row and row["published"] == "2019-11-19T18:00:00Z"
