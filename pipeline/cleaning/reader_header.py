"""The header that reader services put above a page's Markdown.

Services that turn a page into Markdown for language models (Jina's Reader, r.jina.ai, and the tools
that copy its form) open their output with a few "Key: value" lines, the page's title, address and
publication time, then "Markdown Content:" and the page. Read as text, those lines would be the
article's first lines (its headline would be "Title: ..."); read as a header, they give the cleaning
the title, URL and date the page carried.
"""
from __future__ import annotations

import re

HEADER_LINES = 12  # the header is among the first lines of the text
# "Title: ...", "URL Source: ...", "Published Time: ...", "Warning: ...": one field a line
_FIELD = re.compile(r"([A-Z][A-Za-z]{0,20}(?: [A-Z][A-Za-z]{0,20}){0,2}):[ \t]*(.*)")
_CONTENT = re.compile(r"(?:Markdown|Text|HTML) Content:[ \t]*")
_KEYS = {"Title": "title", "URL Source": "url", "Published Time": "date"}


def reader_header(text: str) -> tuple[dict[str, str], str] | None:
    """``({"title", "url", "date"}: what the header gives, the text below it)``, or None when the text
    does not open with such a header (a "Title:" and a "URL Source:" line, then "... Content:")."""
    if not text.startswith("Title:"):
        return None
    fields: dict[str, str] = {}
    offset = 0
    for _ in range(HEADER_LINES):
        end = text.find("\n", offset)
        line = (text[offset:] if end < 0 else text[offset:end]).strip()
        offset = len(text) if end < 0 else end + 1
        if not line:
            continue
        content = _CONTENT.match(line)
        if content is not None:
            if "title" not in fields or "url" not in fields:
                return None
            return fields, line[content.end():] + "\n" + text[offset:]
        field = _FIELD.fullmatch(line)
        if field is None:
            return None
        key = _KEYS.get(field.group(1))
        if key and field.group(2):
            fields[key] = field.group(2).strip()
    return None
