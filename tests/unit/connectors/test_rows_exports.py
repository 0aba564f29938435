"""Rows as NewsAPI and other tools export them: camelCase names, truncated content, wrapper
objects, sources as objects; undecodable lines and CSV files, read by `ingest files --rows`."""
from __future__ import annotations

import io
import json

import pytest

from connectors.files import ingest_files
from connectors.rows import first, raw_article_of_row
from connectors.sink import MemorySink


def test_camel_case_names_are_read_as_their_snake_case_names():
    """Before, NewsAPI's `publishedAt` was no publication time: `published` stayed null, unflagged."""
    row = {"publishedAt": "2024-05-07T09:30:00Z", "sourceDomain": "example.org", "fullText": "The full text.",
           "canonicalUrl": "https://example.org/a"}
    raw = raw_article_of_row(row, "x")
    assert (raw["published"], raw["source"], raw["text"], raw["url"]) == (
        "2024-05-07T09:30:00Z", "example.org", "The full text.", "https://example.org/a")
    assert first({"PUBLISHED_AT": "2024", "publishedAt": "2025"}, ("published_at",)) == "2024"


def test_a_truncated_newsapi_content_gives_way_to_a_longer_description_and_loses_its_mark():
    """Before, "... [+2300 chars]" was the body, mark included, ahead of a longer description."""
    description = "The city council approved next year's budget late on Tuesday after a vote that ran past midnight."
    row = {"content": "The city council approved the budget… [+2300 chars]", "description": description}
    assert raw_article_of_row(row, "x")["text"] == description
    row = {"content": "The city council approved the budget late on Tuesday… [+2300 chars]", "description": "Short."}
    assert raw_article_of_row(row, "x")["text"] == "The city council approved the budget late on Tuesday…"


NEWSAPI = {"status": "ok", "totalResults": 2, "articles": [
    {"source": {"id": "bbc-news", "name": "BBC News"}, "title": "Council approves budget",
     "url": "https://www.bbc.co.uk/news/a1", "publishedAt": "2024-05-07T09:30:00Z", "content": "The council voted."},
    {"source": {"id": None, "name": "Reuters"}, "title": "Storm warning", "url": "https://www.reuters.com/b2",
     "publishedAt": "2024-05-07T10:00:00Z", "description": "A storm is coming."}]}


def test_the_rows_of_a_json_document_wrapped_or_keyed_or_none():
    from connectors.rows import NoRows, rows_of_document

    assert rows_of_document(NEWSAPI) == NEWSAPI["articles"]
    assert rows_of_document({"data": [{"text": "a"}], "count": 1}) == [{"text": "a"}]
    assert rows_of_document({"id": "r1", "text": "one row", "tags": [{"k": 1}]}) == [{"id": "r1", "text": "one row",
                                                                                      "tags": [{"k": 1}]}]
    assert rows_of_document({"k1": {"text": "a"}, "k2": {"id": "own", "text": "b"}}) == [
        {"id": "k1", "text": "a"}, {"id": "own", "text": "b"}]
    for document, said in [({"status": "ok", "totalResults": 0, "articles": []}, "'articles' list is empty"),
                           ({"status": "error", "message": "apiKeyInvalid"}, "none of a row's fields"),
                           ([], "an empty list"), ([1, 2], "none of them an object")]:
        with pytest.raises(NoRows, match=said):
            rows_of_document(document)


def test_rows_of_a_newsapi_export_are_its_articles_with_their_time_and_source(tmp_path):
    """Before, `ingest files --rows` sent NewsAPI's whole {"status", "articles"} object as one
    empty article, and `publishedAt` was no publication time."""
    (tmp_path / "newsapi.json").write_text(json.dumps(NEWSAPI))
    (tmp_path / "none.json").write_text(json.dumps({"status": "ok", "totalResults": 0, "articles": []}))
    err, sink = io.StringIO(), MemorySink()
    result = ingest_files([tmp_path], sink, err=err, rows=True)
    assert [(r.id, r.source, r.published, r.text) for r in sink.raws] == [
        ("newsapi.json[0]", "BBC News", "2024-05-07T09:30:00Z", "The council voted."),
        ("newsapi.json[1]", "Reuters", "2024-05-07T10:00:00Z", "A storm is coming.")]
    assert result.rejected == {"empty": 1}
    assert "none.json: empty: the JSON file holds no rows: its 'articles' list is empty" in err.getvalue()


def test_a_jsonl_line_that_is_no_utf8_is_rejected_as_encoding(tmp_path):
    """Before, it was `invalid_json` with "str is not valid UTF-8: surrogates not allowed"."""
    (tmp_path / "in.jsonl").write_bytes(b'{"id": "a", "source": "s", "text": "ok"}\n{"id": "b", "text": "caf\xe9"}\n')
    err, sink = io.StringIO(), MemorySink()
    result = ingest_files([tmp_path], sink, err=err)
    assert [r.id for r in sink.raws] == ["a"] and result.rejected == {"encoding": 1}
    assert "in.jsonl:2: encoding: not UTF-8 text (invalid continuation byte at byte 24 of line 2)" in err.getvalue()


def test_rows_of_a_csv_are_ingested_with_the_ids_replay_gives_them(tmp_path):
    """--rows reads the CSV/TSV files `replay --rows` reads; a row without id is named by its line."""
    (tmp_path / "t.csv").write_text('title,body\nQuake,"A quake struck\non Monday."\nFlood,Rivers rose.\n')
    sink = MemorySink()
    ingest_files([tmp_path / "t.csv"], sink, err=io.StringIO(), rows=True)
    assert [(r.id, r.title) for r in sink.raws] == [("t.csv:2", "Quake"), ("t.csv:4", "Flood")]
