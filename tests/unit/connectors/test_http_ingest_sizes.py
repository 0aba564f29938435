"""serve-ingest: an item whose raw article is over the raw topic's limit once encoded is an item
error (too_large), as any invalid item is, instead of a 202 that counted and listed an article the
sink then dead-lettered: it is dead-lettered with its reason and the other items are delivered.
Real HTTP to the app on 127.0.0.1 (aiohttp's test server)."""
from __future__ import annotations

import orjson

from connectors.http_ingest import make_app
from connectors.sink import MemorySink
from tests.unit.connectors.test_http_ingest import AUTH, post, run

LIMIT = 20_000


def test_an_item_too_large_once_encoded_is_an_item_error_dead_lettered_and_the_others_go_through():
    sink = MemorySink(max_record_bytes=LIMIT)
    batch = [{"id": "a", "source": "s", "text": "first"},
             {"id": "big", "source": "s", "text": "\u0001" * 5_000},   # 5 KB of text, 30 KB as JSON
             {"id": "c", "source": "s", "text": "last"}]

    async def steps(client):
        return await post(client, "/ingest", orjson.dumps(batch), "application/json")
    status, body, _ = run(make_app(sink, token="s3cret"), steps)
    answer = orjson.loads(body)
    assert status == 202 and (answer["accepted"], answer["ids"]) == (2, ["a", "c"]), answer
    [error] = answer["errors"]
    assert (error["index"], error["reason"], error["id"]) == (1, "too_large", "big")
    assert str(LIMIT) in error["detail"]
    assert [r.id for r in sink.raws] == ["a", "c"]
    assert [(d["id"], d["reason"]) for d in sink.deadletters] == [("big", "too_large")]


def test_a_page_too_large_once_encoded_is_a_400_and_a_fitting_one_is_accepted():
    sink = MemorySink(max_record_bytes=LIMIT)

    async def steps(client):
        big = await post(client, "/ingest/html?url=https://news.example/big&source=s&id=big",
                         b"<p>" + b"\x01" * 5_000 + b"</p>", "text/html; charset=utf-8")
        small = await post(client, "/ingest/html?url=https://news.example/ok&source=s&id=ok",
                           b"<p>Fire in a warehouse.</p>", "text/html; charset=utf-8")
        return big, small
    (status, body, _), (ok_status, ok_body, _) = run(make_app(sink, token="s3cret"), steps)
    [error] = orjson.loads(body)["errors"]
    assert status == 400 and (error["reason"], error["id"]) == ("too_large", "big")
    assert ok_status == 202 and orjson.loads(ok_body) == {"accepted": 1, "ids": ["ok"]}
    assert [r.id for r in sink.raws] == ["ok"]
    assert [(d["id"], d["reason"]) for d in sink.deadletters] == [("big", "too_large")]


def test_items_at_the_limit_pass():
    sink = MemorySink(max_record_bytes=LIMIT)
    item = {"id": "x", "source": "s", "text": "word " * 3_000, "fetched_at": "2026-01-01T00:00:00Z"}

    async def steps(client):
        return await post(client, "/ingest", orjson.dumps(item), "application/json", headers=AUTH)
    status, body, _ = run(make_app(sink, token="s3cret"), steps)
    assert status == 202 and orjson.loads(body)["ids"] == ["x"]
