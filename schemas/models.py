"""Thin Python models over the JSON Schemas, with orjson (de)serialisation.

Models are plain dataclasses; every record that enters the pipeline is checked against its
schema before it becomes a model, and every record the pipeline emits can be checked the
same way in tests (``schema_errors``).
"""
from __future__ import annotations

import base64
import dataclasses
import hashlib
from datetime import datetime, timezone
from typing import Any

import orjson

from . import schema_errors
from .timestamps import normalise_timestamp

MAX_RAW_BYTES_DEFAULT = 8 * 1024 * 1024


class Rejected(Exception):
    """A record that cannot be processed, with a machine-readable reason and a readable detail."""

    def __init__(self, reason: str, detail: str, *, stage: str = "validate", article_id: str | None = None,
                 source: str | None = None):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.stage = stage
        self.article_id = article_id  # what the record claimed to be, when that much could be read
        self.source = source


def utcnow_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclasses.dataclass(slots=True)
class RawArticle:
    id: str
    source: str
    html: str | None = None
    text: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    fetched_at: str | None = None
    language: str | None = None
    meta: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"schema_version": 1}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if value is not None:
                out[field.name] = value
        return out

    def to_json(self) -> bytes:
        return orjson.dumps(self.to_dict())

    @classmethod
    def from_dict(cls, document: Any) -> "RawArticle":
        """Validate ``document`` against raw_article.v1 and build the model, or raise Rejected."""
        if not isinstance(document, dict):
            raise Rejected("schema", f"a raw article is a JSON object, got {type(document).__name__}")
        claimed = {k: v if isinstance(v, str) else None for k, v in
                   (("article_id", document.get("id")), ("source", document.get("source")))}
        if _deeper_than(document, MAX_NESTING):  # orjson writes at most 255 levels: refuse it here, not at send
            raise Rejected("schema", f"the article nests objects or arrays deeper than {MAX_NESTING} levels",
                           **claimed)
        has_html, has_text = "html" in document, "text" in document
        if has_html == has_text:
            raise Rejected("schema", "a raw article carries exactly one of 'html' or 'text'"
                           + (" (it has both)" if has_html else " (it has neither)"), **claimed)
        errors = schema_errors("raw_article", document)
        if errors:
            raise Rejected("schema", "; ".join(errors[:5]), **claimed)
        fields = {k: v for k, v in document.items() if k != "schema_version"}
        if fields.get("fetched_at") is not None:
            # the start of end-to-end latency and the clustering's time when published is missing:
            # one UTC form downstream, and a value no reader can take is refused here, naming the field
            fetched_at = normalise_timestamp(fields["fetched_at"])
            if fetched_at is None:
                raise Rejected("schema", f"fetched_at: {fields['fetched_at'][:80]!r} is not an RFC 3339 date and time, "
                                         "such as 2026-03-01T09:30:00Z", **claimed)
            fields["fetched_at"] = fetched_at
        return cls(**fields)

    @classmethod
    def from_json(cls, value: bytes | str | None, *, max_bytes: int = MAX_RAW_BYTES_DEFAULT) -> "RawArticle":
        """Decode one news.raw message value; every failure is a Rejected with a reason."""
        if value is None or len(value) == 0:
            raise Rejected("empty", "the message has no value", stage="decode")
        if len(value) > max_bytes:
            raise Rejected("too_large", f"{len(value)} bytes is over the {max_bytes}-byte limit", stage="decode")
        try:
            document = orjson.loads(value)
        except orjson.JSONDecodeError as exc:
            raise Rejected("invalid_json", f"not valid UTF-8 JSON: {exc}", stage="decode") from None
        return cls.from_dict(document)


MAX_NESTING = 64


def _deeper_than(document: Any, limit: int) -> bool:
    """Whether objects/arrays in ``document`` nest more than ``limit`` levels (iterative: no recursion)."""
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def payload_field(value: bytes | str | None) -> tuple[str, str]:
    """The original payload as a JSON-safe string and its encoding (utf-8 when it decodes, else base64)."""
    if value is None:
        return "", "utf-8"
    if isinstance(value, str):
        return value, "utf-8"
    try:
        return value.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return base64.b64encode(value).decode("ascii"), "base64"


def dead_letter(value: bytes | str | None, error: Rejected, *, article_id: str | None = None,
                source: str | None = None, topic: str | None = None, partition: int | None = None,
                offset: int | None = None, max_bytes: int | None = None) -> dict[str, Any]:
    """The news.deadletter record for a message that failed (schema deadletter.v1).

    With ``max_bytes``, a record that would be larger (a message near the size limit: base64 adds a
    third, JSON writes a control character in six bytes) keeps only the payload's first bytes, says
    so and gives the original's size and SHA-256: a dead letter the broker refuses would lose the
    message. The whole message stays at ``topic``/``partition``/``offset`` while its retention lasts."""
    record = _dead_letter(value, error, article_id, source, topic, partition, offset)
    if max_bytes is None or value is None or len(dumps(record)) <= max_bytes:
        return record
    original = value.encode("utf-8", "surrogatepass") if isinstance(value, str) else bytes(value)
    room = max(0, max_bytes - len(dumps({**record, "payload": ""})) - 256)
    if record["payload_encoding"] == "utf-8":  # a character cut in two at the end is left out
        payload = original[:room // 6].decode("utf-8", "ignore")
    else:
        payload = base64.b64encode(original[:room * 3 // 4]).decode("ascii")
    record.update(payload=payload, payload_truncated=True, payload_bytes=len(original),
                  payload_sha256=hashlib.sha256(original).hexdigest())
    return record


def _dead_letter(value, error, article_id, source, topic, partition, offset) -> dict[str, Any]:
    payload, encoding = payload_field(value)
    return {
        "schema_version": 1,
        "stage": error.stage,
        "reason": error.reason,
        "detail": error.detail[:2000],
        "id": article_id,
        "source": source,
        "payload": payload,
        "payload_encoding": encoding,
        "topic": topic,
        "partition": partition,
        "offset": offset,
        "failed_at": utcnow_iso(),
    }


def dumps(document: Any) -> bytes:
    return orjson.dumps(document)


def loads(value: bytes | str) -> Any:
    return orjson.loads(value)
