"""The cleaned article's publication time is in one ISO 8601 form, whatever form the raw article used;
a raw time that cannot be read is flagged and gives way to the page's own date."""
from __future__ import annotations

import time
from datetime import datetime, timezone

from pipeline.cleaning import clean
from schemas.models import RawArticle

from .conftest import article_html, fixture_html, LOREM

# a fixture page whose metadata dates it 2019-11-19 (thehill.com, South Dakota's meth campaign)
DATED_PAGE = "156770d676ce79905198e1c8407f81e5ecfb617d9aa44712718707eb7e3b8e38"


def _text_article(published):
    return RawArticle(id="t1", source="test", title="Council approves budget", text="\n".join(LOREM),
                      published=published)


def test_rss_and_site_forms_become_iso_utc():
    assert clean(_text_article("Mon, 18 Nov 2019 10:00:00 -0500")).published == "2019-11-18T15:00:00Z"
    assert clean(_text_article("Nov. 19, 2019 at 4:05 p.m. ET")).published == "2019-11-19T21:05:00Z"
    assert clean(_text_article("November 18, 2019")).published == "2019-11-18"
    art = clean(_text_article("2019-11-18T10:00:00Z"))
    assert art.published == "2019-11-18T10:00:00Z" and "published_unreadable" not in art.flags


def test_an_unreadable_time_is_flagged_not_guessed():
    art = clean(_text_article("posted 3 days ago"))
    assert art.published is None and "published_unreadable" in art.flags
    art = clean(_text_article(None))
    assert art.published is None and "published_unreadable" not in art.flags


def test_the_page_date_stands_in_for_an_unreadable_raw_time(inline_extractor):
    raw = RawArticle(id="p1", source="test", html=fixture_html(DATED_PAGE), published="Nov 2019")
    art = clean(raw, extractor=inline_extractor)
    assert art.published == "2019-11-19" and "published_unreadable" in art.flags
    # a page with no date of its own and an unreadable raw time: no time at all
    raw = RawArticle(id="p2", source="test", html=article_html(LOREM), published="last Tuesday")
    art = clean(raw, extractor=inline_extractor)
    assert art.published is None and "published_unreadable" in art.flags


def test_a_time_days_ahead_of_now_is_flagged_and_dropped(inline_extractor):
    art = clean(_text_article("2099-01-01T00:00:00Z"))
    assert art.published is None and "published_in_future" in art.flags
    # a slip of hours (a wrong zone, a clock ahead) is kept as it is
    soon = datetime.fromtimestamp(time.time() + 6 * 3600, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    art = clean(_text_article(soon))
    assert art.published == soon and "published_in_future" not in art.flags
    # the page's own date stands in, as for an unreadable time
    raw = RawArticle(id="p3", source="test", html=fixture_html(DATED_PAGE), published="2099-01-01")
    art = clean(raw, extractor=inline_extractor)
    assert art.published == "2019-11-19" and "published_in_future" in art.flags
    raw = RawArticle(id="t2", source="test", title="Council approves budget", text="\n".join(LOREM),
                     published="2019-11-18", fetched_at="2099-01-01T00:00:00Z")
    art = clean(raw)
    assert art.fetched_at is None and "fetched_at_in_future" in art.flags and art.published == "2019-11-18"
