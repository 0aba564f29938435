"""JSON Feed (https://jsonfeed.org, versions 1 and 1.1) read into the shape feedparser gives an
RSS or Atom document, so that ``ingest rss`` turns its items into raw articles the same way.

feedparser 6.0 reads XML only: a JSON Feed used to end as not_a_feed with an XML parser's
complaint ("not well-formed (invalid token)"). A JSON document that is no JSON Feed (an API's
error object, a list) is still not_a_feed, now saying so.
"""
from __future__ import annotations

import codecs
from datetime import datetime, timezone
from typing import Any

import orjson

from schemas.models import Rejected
from schemas.timestamps import parse_timestamp

JSON_TYPES = ("application/feed+json", "application/json")


def looks_like_json(content: bytes, content_type: str | None) -> bool:
    """A JSON body: one that starts with "{" (no XML document does; servers often call a JSON Feed
    text/plain, or nothing), or one served as JSON that does not start as XML does, with "<"."""
    head = content[:256]
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8):]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = head.decode("utf-16", errors="ignore").encode("ascii", errors="ignore")
    head = head.lstrip()
    if head.startswith((b"{", b"<")):
        return head.startswith(b"{")
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    return kind in JSON_TYPES or kind.endswith("+json")


def _text(value: Any) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _when(value: Any):
    moment = parse_timestamp(value) if isinstance(value, str) else None
    if moment is None and isinstance(value, str):
        # a date alone ("2026-03-01") is midnight UTC, as feedparser reads a W3C-DTF date
        try:
            moment = datetime.strptime(value.strip(), "%Y-%m-%d").replace(tzinfo=timezone.utc)
        except ValueError:
            return None
    return moment.timetuple() if moment is not None else None


def _entry(item: dict, feed_language: str | None) -> dict[str, Any]:
    language = _text(item.get("language")) or feed_language
    entry: dict[str, Any] = {}
    if (item_id := _text(item.get("id"))) is not None:
        entry["id"] = item_id
    link = _text(item.get("url")) or _text(item.get("external_url"))
    if link:
        entry["link"] = link
        entry["links"] = [{"rel": "alternate", "href": link}]
    if (title := _text(item.get("title"))) is not None:
        entry["title"] = title
        entry["title_detail"] = {"type": "text/plain", "value": title, "language": language}
    content = []
    if (html := _text(item.get("content_html"))) is not None:
        content.append({"type": "text/html", "value": html, "language": language})
    if (plain := _text(item.get("content_text"))) is not None:
        content.append({"type": "text/plain", "value": plain, "language": language})
    if content:
        entry["content"] = content
    if (summary := _text(item.get("summary"))) is not None:
        entry["summary"] = summary
        entry["summary_detail"] = {"type": "text/plain", "value": summary, "language": language}
    for key, field in (("published", "date_published"), ("updated", "date_modified")):
        if (raw := _text(item.get(field))) is not None:
            entry[key] = raw
            entry[key + "_parsed"] = _when(raw)
    if language:
        entry["language"] = language
    return entry


def parse_json_feed(content: bytes) -> dict[str, Any]:
    """The feed as feedparser would give it (``version``, ``feed``, ``entries``, ``bozo``), or
    Rejected('not_a_feed') naming what the body is instead."""
    text = content
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if content.startswith(bom):
            text = content.decode(codec, errors="replace").lstrip("\ufeff").encode("utf-8")
            break
    try:
        document = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise Rejected("not_a_feed", f"served as JSON but not valid JSON: {exc}"[:500], stage="connector") from None
    version = document.get("version") if isinstance(document, dict) else None
    if not (isinstance(version, str) and "jsonfeed.org/version/" in version):
        what = (f"an object with keys {', '.join(sorted(map(str, document))[:8])}" if isinstance(document, dict)
                else f"a JSON {type(document).__name__}")
        raise Rejected("not_a_feed", f"a JSON document but no JSON Feed (no jsonfeed.org version): {what}"[:500],
                       stage="connector")
    items = document.get("items")
    if not isinstance(items, list):
        raise Rejected("not_a_feed", "a JSON Feed without an 'items' list", stage="connector")
    language = _text(document.get("language"))
    feed = {"title": _text(document.get("title")), "link": _text(document.get("home_page_url")),
            "language": language}
    return {"version": "json" + version.rstrip("/").rpartition("/")[2].replace(".", ""),
            "feed": {k: v for k, v in feed.items() if v is not None},
            # an item that is no object is an entry without an id: counted and rejected as no_id
            "entries": [_entry(item, language) if isinstance(item, dict) else {} for item in items],
            "bozo": False}
