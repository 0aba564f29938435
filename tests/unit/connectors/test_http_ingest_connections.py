"""serve-ingest's connection cap: before it, nothing bounded how many connections the endpoint held,
and a client (or a flood) that opened thousands used up the process's file descriptors, after which
no accept succeeded and every client, the probes included, hung. Real sockets on 127.0.0.1, the app
served by the runner and listener serve() uses."""
from __future__ import annotations

import asyncio
import logging

import aiohttp
import orjson
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from connectors import connection_cap
from connectors.http_ingest import listen, make_app, make_runner
from connectors.sink import MemorySink
from tests.unit.connectors.test_http_ingest import ARTICLE, AUTH

REFUSED = "newsflow_ingest_connections_refused_total"
BOUND = 30.0  # how long a wait may last before the test fails: a bound, never a measure


def served(app, limit: int, steps):
    """``steps(port, runner, listener)`` against ``app`` served as serve() serves it, at most ``limit``."""
    async def go():
        runner = make_runner(app)
        await runner.setup()
        listener = None
        try:
            listener = await listen(runner, "127.0.0.1", 0, limit)
            return await steps(listener.port, runner, listener)
        finally:
            if listener is not None:
                listener.close()
            await runner.cleanup()
    return asyncio.run(go())


async def exchange(port: int, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """``request`` on a connection of its own; the answer's status, headers and body, read to its close."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    answer = await asyncio.wait_for(reader.read(), BOUND)
    writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode().split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines)
    return int(status_line.split(" ")[1]), headers, body


async def idle_connections(port: int, count: int) -> list[tuple[asyncio.StreamReader, asyncio.StreamWriter]]:
    """``count`` connections that never finish a request: some send nothing, some half their head."""
    connections = []
    for i in range(count):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        if i % 2:
            writer.write(b"POST /ingest HTTP/1.1\r\nHost: t\r\n")
        connections.append((reader, writer))
    return connections


async def closed_by_server(reader: asyncio.StreamReader) -> bytes:
    """What came before the server closed the connection; a reset (unread bytes on its side) is a close."""
    try:
        return await asyncio.wait_for(reader.read(), BOUND)
    except ConnectionResetError:
        return b""


async def until(condition, what: str) -> None:
    for _ in range(int(BOUND / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"never: {what}")


def requests_503() -> float:
    return REGISTRY.get_sample_value("newsflow_ingest_requests_total", {"code": "503"}) or 0.0


def refused() -> float:
    return REGISTRY.get_sample_value(REFUSED) or 0.0


def test_over_the_cap_a_request_is_a_503_to_retry_while_the_probe_and_the_scrape_are_answered(monkeypatch, caplog):
    monkeypatch.setattr(connection_cap, "WARN_EVERY", 3600.0)  # one warning for all, however slow the machine
    sink = MemorySink()
    post = (b"POST /ingest HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer s3cret\r\nContent-Type: application/json\r\n"
            b"Content-Length: " + str(len(ARTICLE)).encode() + b"\r\n\r\n" + ARTICLE)

    async def steps(port, runner, listener):
        # opened at once: asyncio may accept them all before any handler is registered, the 4th included
        idle = await idle_connections(port, 3)
        refused_post = await exchange(port, post)
        healthz = await exchange(port, b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        readyz = await exchange(port, b"GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n")
        scrape = await exchange(port, b"GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n")
        assert len(runner.server.connections) == 3  # the answered ones never reached the app
        idle[0][1].close()
        await until(lambda: len(runner.server.connections) < 3, "the closed connection let go")
        async with aiohttp.ClientSession() as client:
            response = await client.post(f"http://127.0.0.1:{port}/ingest", data=ARTICLE,
                                         headers={**AUTH, "Content-Type": "application/json"})
            accepted = response.status, await response.json()
        for _, writer in idle[1:]:
            writer.close()
        return refused_post, healthz, readyz, scrape, accepted

    refused_before, counted_before = refused(), requests_503()
    with caplog.at_level(logging.WARNING, logger="connectors.http_ingest"):
        refused_post, healthz, readyz, scrape, accepted = served(make_app(sink, token="s3cret"), 3, steps)

    status, headers, body = refused_post
    assert (status, headers["Retry-After"], headers["Connection"]) == (503, "1", "close"), refused_post
    assert headers["Content-Type"] == "application/json"
    assert orjson.loads(body)["error"] == "too_many_connections" and "(3)" in orjson.loads(body)["detail"]
    assert healthz[0] == 200 and healthz[2] == b"ok\n"
    assert readyz[0] == 503  # a crowded replica is not ready for more

    status, headers, body = scrape
    assert status == 200 and headers["Content-Type"].startswith("text/plain; version=")
    samples = {s.name: s.value for family in text_string_to_metric_families(body.decode()) for s in family.samples
               if s.name == REFUSED}
    assert samples[REFUSED] == refused_before + 4  # the post, the probes and the scrape itself
    assert requests_503() == counted_before + 1    # the probes and the scrape are not ingest requests

    assert accepted == (202, {"accepted": 1, "ids": ["1"]}) and [r.id for r in sink.raws] == ["1"]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "3 connections open" in warnings[0] and "--max-connections 3" in warnings[0]


def test_over_the_cap_a_connection_that_sends_no_request_is_closed(monkeypatch):
    monkeypatch.setattr(connection_cap, "OVER_CAP_IDLE", 0.2)

    async def steps(port, runner, listener):
        idle = await idle_connections(port, 1)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /ingest HT")  # and nothing more
        ended = await closed_by_server(reader)
        for _, idle_writer in idle:
            idle_writer.close()
        writer.close()
        return ended

    assert served(make_app(MemorySink(), token="s3cret"), 1, steps) == b""


def test_a_flood_over_the_cap_is_hung_up_on_beyond_the_connections_held_for_answers(monkeypatch):
    """The connections over the cap hold descriptors too: beyond a few, a new one is closed at once."""
    monkeypatch.setattr(connection_cap, "OVER_CAP_HELD_AT_MOST", 2)

    async def steps(port, runner, listener):
        held = await idle_connections(port, 3)  # one for the app, two over the cap, held for their request
        await until(lambda: len(listener.cap.over_cap) == 2, "two connections held over the cap")
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        ended = await closed_by_server(reader)
        for _, held_writer in held:
            held_writer.close()
        writer.close()
        return ended

    before = refused()
    assert served(make_app(MemorySink(), token="s3cret"), 1, steps) == b""
    assert refused() == before + 3


def test_closing_the_listener_and_the_runner_lets_every_connection_go():
    """serve() stops with connections open on both sides of the cap; each is closed, none left hanging."""
    async def go():
        runner = make_runner(make_app(MemorySink(), token="s3cret"))
        await runner.setup()
        listener = await listen(runner, "127.0.0.1", 0, 1)
        port = listener.port
        connections = await idle_connections(port, 2)
        await until(lambda: len(runner.server.connections) == 1 and len(listener.cap.over_cap) == 1,
                    "one connection on each side of the cap")
        listener.close()
        await runner.cleanup()
        ends = [await closed_by_server(reader) for reader, _ in connections]
        for _, writer in connections:
            writer.close()
        refused_after_close = None
        try:
            await asyncio.open_connection("127.0.0.1", port)
        except ConnectionRefusedError:
            refused_after_close = True
        return ends, refused_after_close

    assert asyncio.run(go()) == ([b"", b""], True)
