"""Small helpers every connector shares: dead-letter records, stable ids, HTML to text."""
from __future__ import annotations

import hashlib
import html as html_lib
import re
from typing import Any

from pipeline.markup import drop_hidden
from schemas.models import Rejected, dead_letter

MAX_DEADLETTER_PAYLOAD = 256 * 1024
MAX_ID_CHARS = 200


def connector_deadletter(payload: bytes | str | None, reason: str, detail: str, *,
                         article_id: str | None = None, source: str | None = None,
                         location: str | None = None) -> dict[str, Any]:
    """A news.deadletter record for something a connector could not turn into a raw article.

    The payload is cut at MAX_DEADLETTER_PAYLOAD bytes so one huge broken file cannot make a
    dead letter the broker refuses; the detail says where the record came from.
    """
    if payload is not None and len(payload) > MAX_DEADLETTER_PAYLOAD:
        payload = payload[:MAX_DEADLETTER_PAYLOAD]
        detail += f" (payload cut at {MAX_DEADLETTER_PAYLOAD} bytes)"
    if location:
        detail = f"{location}: {detail}"
    record = dead_letter(payload, Rejected(reason, detail, stage="connector"),
                         article_id=(article_id[:512] if article_id else None),
                         source=(source[:256] if source else None))
    return record


def stable_id(value: str, *, prefix: str = "") -> str:
    """``value`` itself when short and printable, else a sha256-based id (stable across runs)."""
    value = value.strip()
    if value and len(value) + len(prefix) <= MAX_ID_CHARS and value.isprintable():
        return prefix + value
    return prefix + "sha256:" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


_DROPPED = ("script", "style", "head", "template")  # with their content, and comments
_TAG = re.compile(r"<[^>]*>")
_BLOCK = re.compile(r"</?(p|div|br|li|ul|ol|h[1-6]|tr|table|blockquote|section|article|pre)\b[^>]*>", re.I)
_SPACES = re.compile(r"[ \t\r\f\v]+")
_LINES = re.compile(r"\n\s*\n+")


def html_to_text(fragment: str) -> str:
    """Plain text of a short HTML fragment (feed summaries): tags out, entities decoded, blocks as lines."""
    if "<" not in fragment and "&" not in fragment:
        return fragment.strip()
    text = drop_hidden(fragment, _DROPPED)
    text = _BLOCK.sub("\n", text)
    text = _TAG.sub("", text)
    text = html_lib.unescape(text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _LINES.sub("\n\n", text).strip()
