"""Rows exported from elsewhere (datasets, scrapers' output, spreadsheets) as raw articles.

Such a row names its fields the way its tool does: ``doc_id`` or ``article_id``, ``body`` or
``maintext``, ``headline``, ``pubDate``, ``link``, in any case (``TITLE``, ``Body``).
:func:`raw_article_of_row` maps the usual names onto the raw-article contract and leaves every
other field (labels, topics, scores) out, so that ``newsflow replay --rows`` and the benchmarks
hand the core what a connector would have sent. A row with a summary but no full text sends the
summary, and one with a headline alone an empty text: the cleaning keeps both as briefs when they
hold enough words.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from pipeline.fields import first
from pipeline.times import PUBLISHED_FIELDS

ID_FIELDS = ("doc_id", "id", "article_id", "uid", "guid")
TEXT_FIELDS = ("text", "body", "content", "maintext", "article", "full_text", "body_text")
# a feed's or an index's short text: the body of a row only when no full text is filled
SUMMARY_FIELDS = ("description", "summary", "abstract", "snippet", "lede", "lead")
TITLE_FIELDS = ("title", "headline")
HTML_FIELDS = ("html", "raw_html")
URL_FIELDS = ("url", "link", "canonical_url")
LANGUAGE_FIELDS = ("language", "lang")
SOURCE_FIELDS = ("source", "source_domain", "domain", "site", "outlet", "publisher")


def row_text(row: dict) -> Any:
    """The row's body: its full text, else its summary (a feed's description, an index's abstract)."""
    text = first(row, TEXT_FIELDS)
    return text if text is not None else first(row, SUMMARY_FIELDS)


def _source(row: dict) -> str | None:
    value = first(row, SOURCE_FIELDS)
    if isinstance(value, dict):  # NewsAPI and others: {"id": ..., "name": ...}
        value = value.get("id") or value.get("name")
    return str(value) if value not in (None, "") else None


def raw_article_of_row(row: dict, fallback_id: str) -> dict:
    """The raw article a connector would send for ``row``: its page (or text), title, URL,
    language and publication time under whichever usual name it carries them.

    The id is the row's own, else ``fallback_id``. The source is the row's own, else its URL's
    host, else the row alone: rows of unknown sites must not teach the cleaning each other's
    repeated lines as one site's furniture. Values of the wrong type are passed on as they are, so
    that the schema rejects them with its reason."""
    given_id = first(row, ID_FIELDS)
    article_id = str(given_id) if given_id is not None else fallback_id
    url = first(row, URL_FIELDS)
    host = urlsplit(url).hostname if isinstance(url, str) else None
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
        raw["published"] = str(published)
    return raw
