"""The JSON Schemas are valid and the Python models keep to them."""
import base64
import hashlib

import orjson
import pytest

from schemas import SCHEMA_NAMES, load_schema, schema_errors, validator
from schemas.models import RawArticle, Rejected, dead_letter, dumps


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_schema_is_valid_draft_2020_12(name):
    schema = load_schema(name)
    assert schema["$schema"].endswith("2020-12/schema")
    validator(name)  # check_schema raises on an invalid schema


def test_raw_article_round_trip_keeps_every_field():
    raw = RawArticle(id="a1", source="wire", text="Body", url="https://x.test/a", title="T",
                     published="2025-03-20T10:00:00Z", fetched_at="2025-03-20T10:01:00Z", meta={"k": 1})
    again = RawArticle.from_json(raw.to_json())
    assert again == raw
    assert schema_errors("raw_article", orjson.loads(raw.to_json())) == []


@pytest.mark.parametrize("value, reason", [
    (b"", "empty"),
    (None, "empty"),
    (b"{not json", "invalid_json"),
    (b"\xff\xfe\x00garbage", "invalid_json"),
    (b"[1, 2]", "schema"),
    (b'{"id": "a", "source": "s"}', "schema"),
    (b'{"id": "a", "source": "s", "text": "x", "html": "<p>x</p>"}', "schema"),
    (b'{"id": "", "source": "s", "text": "x"}', "schema"),
    (b'{"id": "a", "source": "s", "text": 5}', "schema"),
    (b'{"id": "a", "source": "s", "text": "x", "surprise": 1}', "schema"),
])
def test_bad_raw_messages_are_rejected_with_a_reason(value, reason):
    with pytest.raises(Rejected) as info:
        RawArticle.from_json(value)
    assert info.value.reason == reason
    assert info.value.detail


def test_oversized_message_is_rejected_before_parsing():
    with pytest.raises(Rejected) as info:
        RawArticle.from_json(b'{"id": "a", "source": "s", "text": "' + b"x" * 2000 + b'"}', max_bytes=1000)
    assert info.value.reason == "too_large"


def test_dead_letter_keeps_the_payload_and_validates():
    letter = dead_letter(b"\xff\x00binary", Rejected("invalid_json", "nope", stage="decode"), topic="news.raw",
                         partition=2, offset=7)
    assert schema_errors("deadletter", letter) == []
    assert letter["payload_encoding"] == "base64"
    text_letter = dead_letter(b'{"id": 1}', Rejected("schema", "id: not a string"))
    assert text_letter["payload"] == '{"id": 1}' and text_letter["payload_encoding"] == "utf-8"


def test_rejection_keeps_the_id_the_record_claimed():
    with pytest.raises(Rejected) as info:
        RawArticle.from_json(b'{"id": "a-17", "source": "wire", "text": 5}')
    assert (info.value.article_id, info.value.source) == ("a-17", "wire")


@pytest.mark.parametrize("payload, encoding", [
    (b"\x01" * (3 * 1024 * 1024), "utf-8"),  # valid UTF-8 that JSON writes six times larger
    (b"\xff" * (3 * 1024 * 1024), "base64"),  # not UTF-8: base64 adds a third
])
def test_a_dead_letter_too_big_for_the_topic_keeps_the_start_and_names_the_whole(payload, encoding):
    limit = 1024 * 1024
    letter = dead_letter(payload, Rejected("too_large", "over the limit", stage="decode"), topic="news.raw",
                         partition=0, offset=41, max_bytes=limit)
    assert schema_errors("deadletter", letter) == []
    assert len(dumps(letter)) <= limit
    assert letter["payload_truncated"] is True and letter["payload_encoding"] == encoding
    assert letter["payload_bytes"] == len(payload)
    assert letter["payload_sha256"] == hashlib.sha256(payload).hexdigest()
    kept = letter["payload"].encode() if encoding == "utf-8" else base64.b64decode(letter["payload"])
    assert kept and payload.startswith(kept)
    assert (letter["topic"], letter["partition"], letter["offset"]) == ("news.raw", 0, 41)


def test_a_dead_letter_that_fits_is_whole_and_unmarked():
    payload = "Ünïcode text, well under the limit. ".encode() * 100
    letter = dead_letter(payload, Rejected("not_article", "too little text"), max_bytes=1024 * 1024)
    assert letter["payload"].encode() == payload and "payload_truncated" not in letter
