"""Rows exported from elsewhere become raw articles the schema accepts, under their own field names."""
from __future__ import annotations

import pytest

from connectors.rows import TITLE_FIELDS, first, raw_article_of_row
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


def test_a_page_is_sent_as_html_and_a_newsapi_source_by_its_name():
    raw = raw_article_of_row({"html": "<p>Page</p>", "text": "ignored", "source": {"id": "bbc-news", "name": "BBC"}},
                             "rows-3")
    assert raw["id"] == "rows-3" and raw["source"] == "BBC"
    assert raw_article_of_row({"text": "x", "source": {"id": "reuters", "name": None}}, "r")["source"] == "reuters"
    assert raw["html"] == "<p>Page</p>" and "text" not in raw


def test_a_row_of_no_site_is_its_own_source_and_empty_fields_count_as_missing():
    raw = raw_article_of_row({"id": "", "doc_id": "1_10ecb", "text": "", "body": "The body.", "url": None}, "x")
    assert raw == {"schema_version": 1, "id": "1_10ecb", "source": "row:1_10ecb", "text": "The body."}


def test_a_value_of_the_wrong_type_reaches_the_schema_and_is_rejected_there():
    raw = raw_article_of_row({"id": "a", "title": ["not", "a", "string"], "text": "x"}, "x")
    with pytest.raises(Rejected) as err:
        RawArticle.from_dict(raw)
    assert err.value.reason == "schema" and "title" in err.value.detail


def test_upper_case_field_names_are_read_as_their_lower_case_names():
    # a UCI News Aggregator row: STORY is its gold event, not a text, and stays out
    row = {"ID": 1, "TITLE": "Fed official says weak data caused by weather, should not slow taper",
           "URL": "http://www.latimes.com/business/money/la-fi-mo-federal-reserve-plosser-stimulus-economy-20140310",
           "PUBLISHER": "Los Angeles Times", "CATEGORY": "b", "STORY": "ddUyU0VZz0BRneMioxUPQVP6sIxvM",
           "HOSTNAME": "www.latimes.com", "TIMESTAMP": 1394470370698}
    raw = raw_article_of_row(row, "fallback")
    assert raw == {"schema_version": 1, "id": "1", "source": "Los Angeles Times", "url": row["URL"],
                   "title": row["TITLE"], "text": "", "published": "1394470370698"}
    assert RawArticle.from_dict(raw).text == ""


def test_a_name_as_written_wins_over_the_same_name_in_another_case():
    assert first({"Title": "Other case", "title": "As written"}, TITLE_FIELDS) == "As written"
    assert first({"TITLE": "", "Headline": "Filled"}, TITLE_FIELDS) == "Filled"
    assert first({"title": None}, TITLE_FIELDS) is None


def test_a_summary_is_the_text_only_when_no_full_text_is_filled():
    row = {"id": "r1", "title": "Quake hits coast", "description": "A strong quake struck the coast on Monday."}
    assert raw_article_of_row(row, "x")["text"] == "A strong quake struck the coast on Monday."
    row = dict(row, Body="The full report: a strong quake struck the coast on Monday, officials said.")
    assert raw_article_of_row(row, "x")["text"].startswith("The full report")
    assert raw_article_of_row(dict(row, body="", Abstract="An abstract."), "x")["text"].startswith("The full report")

