"""serve-ingest against careless and hostile clients: batches with some bad items, bodies that are
no UTF-8, clients that send a byte at a time or stall, many connections at once. Real HTTP to the
app on 127.0.0.1 (aiohttp's test server, or the app served by the runner serve() uses)."""
from __future__ import annotations

import asyncio
import contextlib
import json
import logging

import aiohttp
import orjson
from aiohttp import web

from connectors.http_ingest import make_app, make_runner
from connectors.sink import MemorySink
from tests.unit.connectors.test_http_ingest import AUTH, counts, grown, post, run

GOOD = [{"id": "g1", "source": "s", "text": "A ferry ran aground on Monday."},
        {"id": "g2", "source": "s", "html": "<p>Rescuers reached the ferry.</p>"}]


def deep(levels: int) -> dict:
    value: object = "x"
    for _ in range(levels):
        value = {"a": value}
    return value  # type: ignore[return-value]


BAD = [  # (item, reason)
    (42, "schema"),
    (None, "schema"),
    ({"id": "b-none", "source": "s"}, "schema"),                                  # neither text nor html
    ({"id": "b-both", "source": "s", "text": "t", "html": "<p>t</p>"}, "schema"),
    ({"id": "b-when", "source": "s", "text": "t", "fetched_at": "yesterday"}, "schema"),
    ({"id": "b-url", "source": "s", "text": "t", "url": "javascript:alert(1)"}, "bad_url"),
    ({"id": "b-big", "source": "s", "text": "\u0001" * 5_000}, "too_large"),     # 30 KB once encoded
    ({"id": "b-deep", "source": "s", "text": "t", "meta": deep(300)}, "schema"),  # deeper than orjson writes
]


def served(app, steps):
    """``steps(port)`` against ``app`` served by the runner serve() uses."""
    async def go():
        runner = make_runner(app)
        await runner.setup()
        try:
            await web.TCPSite(runner, "127.0.0.1", 0).start()
            return await steps(runner.addresses[0][1])
        finally:
            await runner.cleanup()
    return asyncio.run(go())


async def closed_by_server(reader: asyncio.StreamReader, bound: float = 30.0) -> bytes:
    """What the server sent before it closed the connection (the wait is bounded, not measured)."""
    return await asyncio.wait_for(reader.read(), bound)


# -- 1: a batch with some bad items ---------------------------------------------------------------------
def test_each_bad_item_of_a_batch_gets_its_error_and_a_dead_letter_and_the_good_ones_go_through():
    """Before, one bad item made the whole batch a 400: the good items were not delivered and the
    bad ones left no dead letter, so nothing of what the client sent was kept."""
    sink = MemorySink(max_record_bytes=20_000)
    batch = [GOOD[0], *(item for item, _ in BAD), GOOD[1]]

    async def steps(client):  # json, not orjson, writes the 300 levels
        return await post(client, "/ingest", json.dumps(batch).encode(), "application/json")
    status, body, _ = run(make_app(sink, token="s3cret"), steps)
    answer = orjson.loads(body)
    assert status == 202 and (answer["accepted"], answer["ids"]) == (2, ["g1", "g2"]), answer
    assert [(e["index"], e["reason"]) for e in answer["errors"]] == [(i + 1, r) for i, (_, r) in enumerate(BAD)]
    assert [e["id"] for e in answer["errors"]] == [None, None, "b-none", "b-both", "b-when", "b-url", "b-big", "b-deep"]
    assert all(e["detail"] for e in answer["errors"])
    assert "fetched_at" in answer["errors"][4]["detail"] and "javascript:alert(1)" in answer["errors"][5]["detail"]
    assert [r.id for r in sink.raws] == ["g1", "g2"]
    # one dead letter per bad item, with its reason, where it was in the request, and the item itself
    letters = sink.deadletters
    assert [(d["reason"], d["stage"]) for d in letters] == [(r, "connector") for _, r in BAD]
    assert [d["id"] for d in letters] == [None, None, "b-none", "b-both", "b-when", "b-url", "b-big", "b-deep"]
    assert all(d["detail"].startswith(f"/ingest[{i + 1}]: ") for i, d in enumerate(letters))
    assert [orjson.loads(d["payload"]) for d in letters[:6]] == [item for item, _ in BAD[:6]]
    assert len(letters[6]["payload"]) > 5_000 and letters[7]["payload"] == ""  # too deep to write again


def test_a_batch_of_bad_items_only_is_a_400_and_every_item_is_dead_lettered():
    sink = MemorySink()
    batch = [{"id": "x", "source": "s"}, "not an object"]

    async def steps(client):
        before = await counts(client)
        status, body, _ = await post(client, "/ingest", orjson.dumps(batch), "application/json")
        return status, orjson.loads(body), grown(before, await counts(client))
    status, answer, grew = run(make_app(sink, token="s3cret"), steps)
    assert status == 400 and answer["error"] == "invalid" and grew == {"400": 1}
    assert [(e["index"], e["reason"], e["id"]) for e in answer["errors"]] == [(0, "schema", "x"), (1, "schema", None)]
    assert sink.raws == [] and [(d["id"], d["reason"]) for d in sink.deadletters] == [("x", "schema"), (None, "schema")]


def test_a_dead_letter_kafka_does_not_take_is_a_503_so_the_client_resends():
    """Nothing is lost: the answer waits for the dead letters as for the articles."""
    sink = MemorySink()
    sink.fail_next = 1

    async def steps(client):
        status, body, _ = await post(client, "/ingest", orjson.dumps([{"id": "x", "source": "s"}]), "application/json")
        return status, orjson.loads(body), (await client.get("/readyz")).status
    status, answer, ready = run(make_app(sink, token="s3cret", ack_timeout=2), steps)
    assert (status, answer["error"], ready) == (503, "unavailable", 503)


def test_a_page_refused_by_ingest_html_is_dead_lettered_with_its_reason():
    sink = MemorySink()
    page = "<p>Пожар на складе.</p>".encode()

    async def steps(client):
        answers = []
        for query in ("url=ftp://n.example/a&source=n&id=p1", "source=n&id=p2",
                      "url=https://n.example/c&source=n&id=p3"):
            status, body, _ = await post(client, f"/ingest/html?{query}", page if "p3" not in query else b"  ",
                                         "text/html; charset=utf-8")
            answers.append((status, [e["reason"] for e in orjson.loads(body)["errors"]]))
        return answers
    answers = run(make_app(sink, token="s3cret"), steps)
    assert answers == [(400, ["bad_url"]), (400, ["missing"]), (400, ["empty"])]
    assert [(d["id"], d["reason"]) for d in sink.deadletters] == [("p1", "bad_url"), ("p2", "missing"), ("p3", "empty")]
    assert sink.deadletters[0]["payload"] == page.decode() and sink.raws == []


# -- 2: auth ---------------------------------------------------------------------------------------------
def test_a_401_says_which_scheme_to_use():
    """RFC 9110 15.5.2: a 401 must carry WWW-Authenticate; before, it had none, and no detail."""
    async def steps(client):
        answers = []
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic czNjcmV0"}):
            answers.append(await post(client, "/ingest", b"{}", "application/json", headers=headers))
            answers.append(await post(client, "/ingest/html?url=https://n.example/a&source=n", b"<p>x</p>",
                                      "text/html", headers=headers))
        return answers
    for status, body, headers in run(make_app(MemorySink(), token="s3cret"), steps):
        assert status == 401 and headers["WWW-Authenticate"] == 'Bearer realm="newsflow-ingest"'
        assert orjson.loads(body) == {"error": "unauthorised",
                                      "detail": "send the ingest token as Authorization: Bearer <token>"}


# -- 3: a body that is no UTF-8 -------------------------------------------------------------------------
def test_a_body_that_is_not_utf8_is_a_400_naming_the_byte():
    """Before, a Latin-1 body was `str is not valid UTF-8: surrogates not allowed: line 1 column 1
    (char 0)`: the place named was the start of the body, not the byte that is no UTF-8."""
    sink = MemorySink()
    body = '{"id": "1", "source": "s", "text": "café"}'.encode("latin-1")

    async def steps(client):
        return await post(client, "/ingest", body, "application/json")
    status, answer, _ = run(make_app(sink, token="s3cret"), steps)
    answer = orjson.loads(answer)
    assert status == 400 and answer["error"] == "invalid_json"
    assert answer["detail"].startswith(f"the body is not UTF-8 (invalid continuation byte at byte {body.index(0xe9)})")
    assert sink.raws == []


# -- 4: slow and stalled clients ------------------------------------------------------------------------
HEAD = (b"POST /ingest HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer s3cret\r\nContent-Type: application/json\r\n"
        b"Content-Length: 1000\r\n\r\n")


def test_a_body_sent_a_byte_at_a_time_or_never_is_cut_with_a_408(caplog):
    """Before, a client that sent its headers and then its body a byte a second (or nothing at all)
    held the connection and its handler for ever."""
    sink = MemorySink()

    async def steps(port):
        drip_reader, drip = await asyncio.open_connection("127.0.0.1", port)
        stall_reader, stall = await asyncio.open_connection("127.0.0.1", port)
        drip.write(HEAD)
        stall.write(HEAD + b'{"id"')

        async def dripping():
            with contextlib.suppress(OSError):   # until the server hangs up
                for byte in b'{"id": "1", "source": "s", "text": "' + b"x" * 900:
                    drip.write(bytes([byte]))
                    await drip.drain()
                    await asyncio.sleep(0.2)
        task = asyncio.ensure_future(dripping())
        try:
            return await closed_by_server(drip_reader), await closed_by_server(stall_reader)
        finally:
            task.cancel()
            drip.close()
            stall.close()

    with caplog.at_level(logging.INFO):
        answers = served(make_app(sink, token="s3cret", client_timeout=1.0), steps)
    for answer in answers:
        assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
        assert b'"error":"request_timeout"' in answer and b"within 1 s" in answer
    assert sink.raws == [] and not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_headers_sent_a_byte_at_a_time_or_half_a_request_line_do_not_hold_the_connection():
    """Before, aiohttp's keep-alive default (an hour) was the only bound on a connection that never
    finished its request line or headers: a few hundred such connections used up the process's file
    descriptors and /healthz stopped answering."""
    async def steps(port):
        half_reader, half = await asyncio.open_connection("127.0.0.1", port)
        half.write(b"POST /ingest HT")
        drip_reader, drip = await asyncio.open_connection("127.0.0.1", port)

        async def dripping():
            with contextlib.suppress(OSError):   # until the server hangs up
                for byte in b"POST /ingest HTTP/1.1\r\nHost: t\r\nX-Pad: " + b"a" * 500:
                    drip.write(bytes([byte]))
                    await drip.drain()
                    await asyncio.sleep(0.2)
        task = asyncio.ensure_future(dripping())
        try:
            return await closed_by_server(half_reader), await closed_by_server(drip_reader)
        finally:
            task.cancel()
            half.close()
            drip.close()

    assert served(make_app(MemorySink(), token="s3cret", client_timeout=1.0), steps) == (b"", b"")


def test_many_stalled_connections_at_once_are_all_let_go_and_good_clients_are_served_meanwhile():
    sink = MemorySink()

    async def steps(port):
        stalled = []
        for i in range(100):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"POST /ingest HTTP/1.1\r\nHost: t\r\n" if i % 2 else HEAD)
            stalled.append((reader, writer))
        async with aiohttp.ClientSession(base_url=f"http://127.0.0.1:{port}") as client:
            async def one(i):
                response = await client.post("/ingest", data=orjson.dumps({"id": f"c{i}", "source": "s", "text": "t"}),
                                             headers={**AUTH, "Content-Type": "application/json"})
                return response.status
            statuses = await asyncio.gather(*(one(i) for i in range(50)))
            healthz = (await client.get("/healthz")).status
        ends = await asyncio.gather(*(closed_by_server(reader) for reader, _ in stalled))
        for _, writer in stalled:
            writer.close()
        return statuses, healthz, ends

    statuses, healthz, ends = served(make_app(sink, token="s3cret", client_timeout=2.0), steps)
    assert statuses == [202] * 50 and healthz == 200
    assert sorted(r.id for r in sink.raws) == sorted(f"c{i}" for i in range(50))
    assert [end[:13] for end in ends] == [b"HTTP/1.1 408 ", b""] * 50
