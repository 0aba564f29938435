"""Rows whose fields sit in nested objects, or whose text is a list of paragraphs, as scrapers and
APIs export them: read as `replay --rows`, `ingest files --rows` and the benchmarks read any row."""
from __future__ import annotations

from connectors.rows import raw_article_of_row


def test_fields_of_nested_objects_are_read_as_the_rows_own():
    """Before, `{"id", "article": {"title", "body", "date"}}` was rejected (schema: text is not a
    string), the whole text copied into the detail."""
    row = {"id": "n1", "gold": "e1",
           "article": {"title": "Lohan enters rehab", "body": "She did.", "date": "2013-05-03"}}
    raw = raw_article_of_row(row, "rows.jsonl:1")
    assert (raw["id"], raw["title"], raw["text"], raw["published"]) == ("n1", "Lohan enters rehab", "She did.",
                                                                       "2013-05-03")
    deeper = {"hit": {"_id": "h1", "_source": {"content": "Rain is due."}}}
    assert raw_article_of_row(deeper, "x")["text"] == "Rain is due."


def test_objects_that_hold_no_article_lend_the_row_nothing():
    row = {"title": "Storm nears", "text": "Rain.",
           "author": {"id": 12, "name": "Jane", "url": "https://x.example/jane"},
           "image": {"url": "https://cdn.example/a.jpg", "title": "A cloud"}}
    raw = raw_article_of_row(row, "rows.jsonl:4")
    assert (raw["id"], raw.get("url"), raw["source"]) == ("rows.jsonl:4", None, "row:rows.jsonl:4")


def test_an_elasticsearch_hit_and_a_guardian_result_are_rows():
    hit = {"_index": "news", "_id": "es-7", "_source": {"headline": "Storm nears", "content": "Rain is due.",
                                                         "source": "example.org"}}
    raw = raw_article_of_row(hit, "x")
    assert (raw["id"], raw["title"], raw["text"], raw["source"]) == ("es-7", "Storm nears", "Rain is due.",
                                                                    "example.org")
    guardian = {"id": "world/2024/x", "webTitle": "Storm nears", "fields": {"bodyText": "Rain is due."}}
    assert raw_article_of_row(guardian, "x")["text"] == "Rain is due."


def test_the_rows_own_fields_win_and_a_newsapi_source_stays_the_source():
    row = {"title": "Own title", "extra": {"title": "Nested title", "text": "Body."},
           "source": {"id": "bbc-news", "name": "BBC News"}}
    raw = raw_article_of_row(row, "newsapi.json[0]")
    assert (raw["id"], raw["title"], raw["source"], raw["text"]) == ("newsapi.json[0]", "Own title", "BBC News",
                                                                      "Body.")


def test_a_text_given_as_paragraphs_is_one_text():
    """Before, `"text": ["...", "..."]` was rejected: not of type 'string'."""
    raw = raw_article_of_row({"id": "p", "paragraphs": ["x"], "text": ["First paragraph. ", "", "Second one."]}, "x")
    assert raw["text"] == "First paragraph.\n\nSecond one."


def test_mongoexport_values_and_whole_floats_read_as_their_values():
    """Before, a mongoexport row lost its id and date (`{"$oid"}`, `{"$date"}`), and a pandas column
    with gaps turned id 17 into "17.0" and epoch milliseconds into an unreadable "1367568000000.0"."""
    from pipeline.times import parse_published

    row = {"_id": {"$oid": "5f1c"}, "text": "Body.", "published": {"$date": {"$numberLong": "1367568000000"}}}
    raw = raw_article_of_row(row, "x")
    assert (raw["id"], raw["published"]) == ("5f1c", "1367568000000")
    raw = raw_article_of_row({"id": 17.0, "text": "Body.", "timestamp": 1367568000000.0}, "x")
    assert raw["id"] == "17" and parse_published(raw["published"])[0].isoformat() == "2013-05-03T08:00:00+00:00"
