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
    whole = None
    if payload is not None and len(payload) > MAX_DEADLETTER_PAYLOAD:
        whole = payload.encode("utf-8", "surrogatepass") if isinstance(payload, str) else payload
        payload = cut_payload(payload, MAX_DEADLETTER_PAYLOAD)
        detail += f" (payload cut at {MAX_DEADLETTER_PAYLOAD} bytes)"
    if location:
        detail = f"{location}: {detail}"
    record = dead_letter(payload, Rejected(reason, detail, stage="connector"),
                         article_id=(article_id[:512] if article_id else None),
                         source=(source[:256] if source else None))
    if whole is not None:  # as the worker's cut dead letters say it: the whole payload's size and hash
        record.update(payload_truncated=True, payload_bytes=len(whole), payload_sha256=hashlib.sha256(whole).hexdigest())
    return record


def cut_payload(payload: bytes | str, size: int) -> bytes | str:
    """The first ``size`` bytes (or characters) of ``payload``; UTF-8 text is cut before a character
    split in two, so that the dead letter keeps it as text rather than as base64."""
    cut = payload[:size]
    if isinstance(cut, str):
        return cut
    for end in range(len(cut), max(0, len(cut) - 4), -1):
        try:
            cut[:end].decode("utf-8")
        except UnicodeDecodeError:
            continue
        return cut[:end]
    return cut


def too_large_record(size: int, limit: int | None, topic: str, *, limit_name: str = "NEWSFLOW_MAX_RAW_BYTES",
                     error: BaseException | None = None) -> Rejected:
    """A connector's ``too_large`` for a raw article that is ``size`` bytes as encoded (JSON) and
    over ``limit`` (None when only the broker knows it): what the worker would refuse, or the broker
    would not take. JSON writes a control character in 6 bytes, so a text well under the file or
    body limit can be over this one."""
    detail = f"the raw article is {size} bytes encoded as JSON, " + (
        f"over the {limit}-byte limit of a {topic} record ({limit_name})" if limit is not None
        else f"and the broker refused it as larger than {limit_name}")
    if error is not None:
        detail += f": {error}" if str(error).startswith("[Error") else f": {type(error).__name__}: {error}"
    return Rejected("too_large", detail[:1500], stage="connector")


def stable_id(value: str, *, prefix: str = "") -> str:
    """``value`` itself when short and printable, else a sha256-based id (stable across runs)."""
    value = value.strip()
    if value and len(value) + len(prefix) <= MAX_ID_CHARS and value.isprintable():
        return prefix + value
    return prefix + "sha256:" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


_DROPPED = ("script", "style", "head", "template")  # with their content, and comments
# a tag opens with a name, "/", "!" or "?": any other "<" is text ("children <5", "fell to < 4%")
_TAG = re.compile(r"<[A-Za-z/!?][^>]*>")
_BLOCK = re.compile(r"</?(p|div|br|li|ul|ol|h[1-6]|tr|table|blockquote|section|article|pre)\b[^>]*>", re.I)
_SPACES = re.compile(r"[ \t\r\f\v]+")
_LINES = re.compile(r"\n\s*\n+")


def html_to_text(fragment: str) -> str:
    """Plain text of a short HTML fragment (feed summaries): tags out, entities decoded, blocks as lines."""
    if "<" not in fragment and "&" not in fragment:
        return fragment.strip()
    if "<![CDATA[" in fragment:
        # a CDATA section inside the HTML (a feed that wraps its already wrapped content once more):
        # its markers go, its content stays; left in, "<![CDATA[" opened a tag that the first ">"
        # of the content closed, or none did and the tag stripping took the whole text
        fragment = fragment.replace("<![CDATA[", "").replace("]]>", "")
    text = drop_hidden(fragment, _DROPPED)
    text = _sub_tags(_BLOCK, "\n", text)
    text = _sub_tags(_TAG, "", text)
    text = html_lib.unescape(text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _LINES.sub("\n\n", text).strip()


def _sub_tags(pattern: re.Pattern, replacement: str, text: str) -> str:
    """``pattern.sub`` of tags, up to the last ">" only: a "<" that no ">" follows opens no tag, and the
    regex scanned from each such "<" to the end of the text again (quadratic: a feed summary of
    200,000 "&lt;a" took a minute; the 5 MiB a feed may have, hours)."""
    end = text.rfind(">") + 1
    return pattern.sub(replacement, text[:end]) + text[end:]
