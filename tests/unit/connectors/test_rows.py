"""Rows exported from elsewhere become raw articles the schema accepts, under their own field names."""
from __future__ import annotations

import pytest

from connectors.rows import raw_article_of_row
from schemas.models import RawArticle, Rejected


def test_a_news_please_row_maps_its_names_and_drops_the_rest():
    row = {"article_id": 17, "headline": "Quake hits coast", "maintext": "A strong quake struck on Monday.",
           "link": "https://www.example.org/news/quake", "pubDate": "20191118T100000Z", "lang": "en",
           "story_id": "quake-1", "score": 0.9}
    raw = raw_article_of_row(row, "fallback")
    assert raw == {"schema_version": 1, "id": "17", "source": "www.example.org", "url": "https://www.example.org/news/quake",
                   "title": "Quake hits coast", "language": "en", "text": "A strong quake struck on Monday.",
                   "published": "20191118T100000Z"}
    article = RawArticle.from_dict(raw)
    assert article.id == "17" and article.text.startswith("A strong quake")


def test_a_page_is_sent_as_html_and_a_newsapi_source_by_its_id():
    raw = raw_article_of_row({"html": "<p>Page</p>", "text": "ignored", "source": {"id": "bbc-news", "name": "BBC"}},
                             "rows-3")
    assert raw["id"] == "rows-3" and raw["source"] == "bbc-news"
    assert raw["html"] == "<p>Page</p>" and "text" not in raw


def test_a_row_of_no_site_is_its_own_source_and_empty_fields_count_as_missing():
    raw = raw_article_of_row({"id": "", "doc_id": "1_10ecb", "text": "", "body": "The body.", "url": None}, "x")
    assert raw == {"schema_version": 1, "id": "1_10ecb", "source": "row:1_10ecb", "text": "The body."}


def test_a_value_of_the_wrong_type_reaches_the_schema_and_is_rejected_there():
    raw = raw_article_of_row({"id": "a", "title": ["not", "a", "string"], "text": "x"}, "x")
    with pytest.raises(Rejected) as err:
        RawArticle.from_dict(raw)
    assert err.value.reason == "schema" and "title" in err.value.detail
