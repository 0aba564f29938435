"""Rows exported from elsewhere (datasets, scrapers' output, spreadsheets, NewsAPI) as raw articles.

Such a row names its fields the way its tool does: ``doc_id`` or ``article_id``, ``body`` or
``maintext``, ``headline``, ``pubDate``, ``publishedAt``, ``link``, in any case and in camelCase or
snake_case (``TITLE``, ``Body``, ``published_at``). :func:`raw_article_of_row` maps the usual names
onto the raw-article contract and leaves every other field (labels, topics, scores) out, so that
``newsflow replay --rows``, ``newsflow ingest files --rows`` and the benchmarks hand the core what a
connector would have sent. A row with a summary but no full text sends the summary, and one with a
headline alone an empty text: the cleaning keeps both as briefs when they hold enough words.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pipeline.fields import first
from pipeline.times import PUBLISHED_FIELDS
from schemas.models import Rejected

ID_FIELDS = ("doc_id", "id", "article_id", "uid", "guid")
TEXT_FIELDS = ("text", "body", "content", "maintext", "article", "full_text", "body_text")
# a feed's or an index's short text: the body of a row only when no full text is filled
SUMMARY_FIELDS = ("description", "summary", "abstract", "snippet", "lede", "lead")
TITLE_FIELDS = ("title", "headline")
HTML_FIELDS = ("html", "raw_html")
URL_FIELDS = ("url", "link", "canonical_url")
LANGUAGE_FIELDS = ("language", "lang")
SOURCE_FIELDS = ("source", "source_domain", "domain", "site", "outlet", "publisher")
# a row fills at least one of these; an object that fills none is no row (a wrapper, an API's error)
ROW_FIELDS = ID_FIELDS + TEXT_FIELDS + SUMMARY_FIELDS + TITLE_FIELDS + HTML_FIELDS + URL_FIELDS
# NewsAPI cuts `content` at 200 characters and says how much is left: "... [+2300 chars]"
TRUNCATION_MARK = re.compile(r"\s*\[\+\d+ char(?:acter)?s\]\s*$")


ARTICLE_FIELDS = TEXT_FIELDS + SUMMARY_FIELDS + HTML_FIELDS
NESTING_READ = 3  # levels of nested objects whose fields are read as the row's


def flat_row(row: dict, depth: int = NESTING_READ) -> dict:
    """The row with the fields of the nested objects that hold its article (a text, a summary or a
    page) read as its own, where it has none of that name: scrapers and APIs nest them
    (``{"id", "article": {"title", "body", "date"}}``, Elasticsearch's ``_source``, the Guardian's
    ``fields``). Other objects (NewsAPI's source ``{"id", "name"}``, an author's or an image's
    ``{"name", "url"}``) are not the article's: their ids and URLs must not become the row's."""
    row = {key: _typed_value(value) for key, value in row.items()}
    nested = [key for key, value in row.items() if depth > 0 and _holds_article(value, depth)]
    if not nested:
        return row
    flat = {key: value for key, value in row.items() if key not in nested}
    for key in nested:
        for name, inner in flat_row(row[key], depth - 1).items():
            if first(flat, (name,)) is None:
                flat[name] = inner
    return flat


def _holds_article(value: Any, depth: int) -> bool:
    if not isinstance(value, dict) or depth <= 0:
        return False
    return (first(value, ARTICLE_FIELDS) is not None
            or any(_holds_article(inner, depth - 1) for inner in value.values()))


def _typed_value(value: Any) -> Any:
    """The value of MongoDB's extended JSON, as mongoexport writes it (``{"$oid": "5f1..."}``,
    ``{"$date": "2013-05-03T08:00:00Z"}``, ``{"$date": {"$numberLong": "1367568000000"}}``): an
    object of one "$" key stands for its value; any other value is itself."""
    while isinstance(value, dict) and len(value) == 1 and str(next(iter(value))).startswith("$"):
        value = next(iter(value.values()))
    return value


def value_text(value: Any) -> str:
    """An id or a publication time as the raw article carries it, a string: a whole number as its
    digits, also when it came as a float, as a pandas column with gaps writes it (17.0, epoch
    milliseconds 1367568000000.0), so that the id is the one other files give and the time stays readable."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _paragraphs(value: Any) -> Any:
    """A text given as a list of paragraphs (as many scrapers keep it) as one text; else the value."""
    if isinstance(value, list) and value and all(isinstance(part, str) for part in value):
        return "\n\n".join(part.strip() for part in value if part.strip())
    return value


def row_text(row: dict) -> Any:
    """The row's body: its full text, else its summary (a feed's description, an index's abstract).
    A text that ends in a truncation mark ("[+2300 chars]") is cut: a longer summary wins over it,
    and the mark is never kept. A text given as a list of paragraphs is joined, a blank line apart."""
    text, summary = _paragraphs(first(row, TEXT_FIELDS)), _paragraphs(first(row, SUMMARY_FIELDS))
    if isinstance(text, str) and TRUNCATION_MARK.search(text):
        text = TRUNCATION_MARK.sub("", text)
        if isinstance(summary, str) and len(summary) > len(text):
            return summary
    return text if text not in (None, "") else summary


def row_fallback_id(file: str | Path, line: int | None = None, index: int | None = None) -> str:
    """The id of a row that has none, the same in ``replay --rows`` and ``ingest files --rows`` so
    that their outputs join: the file's name (without ``.gz``, so compressing changes no id) and
    where the row is in it, ``news.jsonl:3`` (line 3), ``newsapi.json[0]`` (first row of a list) or
    ``pages.jsonl:3[0]`` (first row of the list that line 3 holds)."""
    name = Path(file).name
    name = name[:-3] if name.lower().endswith(".gz") else name
    if line is not None:
        name = f"{name}:{line}"
    return f"{name}[{index}]" if index is not None else name


class NoRows(ValueError):
    """A JSON document that holds no row, with what it holds instead."""


def rows_of_document(document: Any) -> list:
    """The rows a JSON document holds: a list of rows; an object that is a row; an API's wrapper
    object whose single list of objects holds them (NewsAPI's ``{"status", "totalResults",
    "articles": [...]}``, or ``data``, ``items``, ``results``...); an object of rows keyed by id
    (the key is the id of a row that has none). Raises NoRows, saying what it holds, otherwise."""
    if isinstance(document, list):
        if not document:
            raise NoRows("an empty list")
        if not any(isinstance(row, dict) for row in document):
            raise NoRows(f"a list of {len(document)} values, none of them an object")
        return document
    if not isinstance(document, dict):
        raise NoRows(f"a JSON {type(document).__name__}, not an object or a list of objects")
    if first(document, ROW_FIELDS) is not None:
        return [document]
    lists = [(key, value) for key, value in document.items()
             if isinstance(value, list) and all(isinstance(row, dict) for row in value)]
    if len(lists) == 1:
        key, rows = lists[0]
        if not rows:
            raise NoRows(f"its {key!r} list is empty")
        return rows
    if document and all(isinstance(row, dict) for row in document.values()):
        return [row if first(row, ID_FIELDS) is not None else {"id": key, **row} for key, row in document.items()]
    raise NoRows(f"an object with none of a row's fields ({', '.join(ROW_FIELDS[:8])}, ...) and no one list of rows"
                 + (f" (its fields: {', '.join(list(document)[:8])})" if document else ""))


def _source(row: dict) -> str | None:
    value = first(row, SOURCE_FIELDS)
    if isinstance(value, dict):  # NewsAPI and others: {"id": "bbc-news", "name": "BBC News"}
        value = value.get("name") or value.get("id")
    return str(value) if value not in (None, "") else None


def raw_article_of_row(row: dict, fallback_id: str) -> dict:
    """The raw article a connector would send for ``row``: its page (or text), title, URL,
    language and publication time under whichever usual name it carries them.

    The id is the row's own, else ``fallback_id``. The source is the row's own, else its URL's
    host, else the row alone: rows of unknown sites must not teach the cleaning each other's
    repeated lines as one site's furniture. Values of the wrong type are passed on as they are, so
    that the schema rejects them with its reason; a URL that does not parse ("http://[oops/a") is
    Rejected here, reason schema. Fields of nested objects are read as the row's (``flat_row``)."""
    row = flat_row(row)
    given_id = first(row, ID_FIELDS)
    article_id = value_text(given_id) if given_id is not None else fallback_id
    url = first(row, URL_FIELDS)
    try:
        host = urlsplit(url).hostname if isinstance(url, str) else None
    except ValueError as exc:
        raise Rejected("schema", f"url: {url[:200]!r} is not a URL ({exc})", stage="connector",
                       article_id=article_id, source=_source(row)) from None
    raw: dict[str, Any] = {"schema_version": 1, "id": article_id,
                           "source": _source(row) or host or "row:" + article_id}
    if url is not None:
        raw["url"] = url
    title = first(row, TITLE_FIELDS)
    if title is not None:
        raw["title"] = title
    language = first(row, LANGUAGE_FIELDS)
    if language is not None:
        raw["language"] = str(language)
    html = first(row, HTML_FIELDS)
    if html is not None:  # a scraped page: the core extracts its text (and date) itself
        raw["html"] = html
    else:
        raw["text"] = row_text(row) or ""
    published = first(row, PUBLISHED_FIELDS)
    if published is not None:
        raw["published"] = value_text(published)
    return raw
