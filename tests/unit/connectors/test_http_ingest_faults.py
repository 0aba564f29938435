"""serve-ingest under requests that go wrong on the client's side, or on its sink's: each is a clear
JSON answer with its own status, never a 500 with a traceback in the log. Real HTTP to the app on
127.0.0.1 (aiohttp's test server, or the app served as serve() serves it); raw sockets where a client
must send what aiohttp's would not."""
from __future__ import annotations

import asyncio
import contextlib
import gzip
import logging
import os
import zlib

import aiohttp
import orjson
from aiohttp import web

from connectors.http_ingest import make_app
from connectors.sink import MemorySink, StdoutSink
from tests.unit.connectors.test_http_ingest import ARTICLE, AUTH, counts, grown, post, run


def served(app, steps):
    """``steps(client, port)`` against ``app`` served as serve() serves it: aiohttp's test server
    cancels a handler whose client left, serve()'s runner lets it run on, to its end."""
    async def go():
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, "127.0.0.1", 0).start()
            port = runner.addresses[0][1]
            async with aiohttp.ClientSession(base_url=f"http://127.0.0.1:{port}") as client:
                return await steps(client, port)
        finally:
            await runner.cleanup()
    return asyncio.run(go())


async def raw_exchange(port: int, request: bytes, *, close_after_sending: bool = False) -> bytes:
    """Send ``request`` as it is on a socket of its own; the answer's bytes (none when closed at once)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    await writer.drain()
    if close_after_sending:
        writer.close()
        await writer.wait_closed()
        return b""
    answer = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    return answer


async def until_counted(client, before: dict) -> dict:
    """What newsflow_ingest_requests_total grew by, once it grew (the handler ran to its end)."""
    for _ in range(100):
        if grew := grown(before, await counts(client)):
            return grew
        await asyncio.sleep(0.05)
    raise AssertionError("no answer was counted")


def errors_logged(caplog) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]


# -- 1: a client that leaves mid-body, a body that does not unpack -------------------------------------
def test_a_client_that_leaves_mid_body_is_no_server_error(caplog):
    """Before, Content-Length 1000 with 9 bytes sent, then the connection closed, was a 500 counted
    and an ERROR log with its traceback (ConnectionResetError: Connection lost)."""
    sink = MemorySink()

    async def steps(client, port):
        before = await counts(client)
        await raw_exchange(port, b"POST /ingest HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer s3cret\r\n"
                                 b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"id\": \"1",
                           close_after_sending=True)
        return await until_counted(client, before)

    with caplog.at_level(logging.INFO):
        assert served(make_app(sink, token="s3cret"), steps) == {"400": 1}
    assert errors_logged(caplog) == [] and sink.raws == []
    assert any("the body did not all come" in r.getMessage() for r in caplog.records if r.levelno == logging.INFO)


def test_a_body_that_is_not_what_its_content_encoding_says_is_a_400_saying_so(caplog):
    """Before, `Content-Encoding: gzip` on a body that is no gzip was a 500 and an ERROR traceback
    (RequestPayloadError: Can not decode content-encoding: gzip)."""
    sink = MemorySink()
    cut_short = gzip.compress(ARTICLE)[:-12]

    async def steps(client):
        before = await counts(client)
        for body, coding in ((b"notgzip", "gzip"), (cut_short, "gzip"), (b"notdeflate", "deflate")):
            status, answer, headers = await post(client, "/ingest", body, "application/json",
                                                 headers={**AUTH, "Content-Encoding": coding})
            answer = orjson.loads(answer)
            assert status == 400 and headers["Content-Type"].startswith("application/json"), answer
            assert answer["error"] == "bad_content_encoding" and f"not valid {coding} data" in answer["detail"]
        assert grown(before, await counts(client)) == {"400": 3}

    with caplog.at_level(logging.INFO):
        run(make_app(sink, token="s3cret"), steps)
    assert errors_logged(caplog) == [] and sink.raws == []


def test_a_compressed_body_is_read_unpacked_and_bounded_by_max_body_unpacked():
    """gzip and deflate (with its zlib header or without, as clients send it) are unpacked, and
    what --max-body bounds is the body unpacked: a small body that unpacks to a lot is a 413."""
    sink = MemorySink()
    raw_deflate = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    bodies = {"gzip": gzip.compress(ARTICLE), "deflate": zlib.compress(ARTICLE),
              "Deflate": raw_deflate.compress(ARTICLE) + raw_deflate.flush(), "identity": ARTICLE}
    bomb = gzip.compress(b"[" + b" " * 200_000 + b"]")

    async def steps(client):
        for coding, body in bodies.items():
            status, answer, _ = await post(client, "/ingest", body, "application/json",
                                           headers={**AUTH, "Content-Encoding": coding})
            assert status == 202, (coding, answer)
        status, answer, _ = await post(client, "/ingest", bomb, "application/json",
                                       headers={**AUTH, "Content-Encoding": "gzip"})
        assert len(bomb) < 1_000 and status == 413 and orjson.loads(answer)["error"] == "too_large"

    run(make_app(sink, token="s3cret", max_body=100_000), steps)
    assert [raw.id for raw in sink.raws] == ["1"] * 4


# -- 2: a content coding the service cannot read ------------------------------------------------------
def test_a_content_encoding_it_cannot_read_is_a_415_in_json_and_counted(caplog):
    """Before, `Content-Encoding: br` (no Brotli installed) was aiohttp's own text/plain 400, logged
    at error, and never counted, though every error answer is to be JSON."""
    sink = MemorySink()

    async def steps(client):
        before = await counts(client)
        for coding in ("br", "zstd", "compress"):
            status, answer, headers = await post(client, "/ingest", ARTICLE, "application/json",
                                                 headers={**AUTH, "Content-Encoding": coding})
            assert status == 415 and headers["Content-Type"].startswith("application/json"), answer
            answer = orjson.loads(answer)
            assert answer["error"] == "unsupported_content_encoding" and answer["content_encoding"] == coding
            assert "gzip" in answer["detail"] and headers["Accept-Encoding"] == "gzip, deflate"
        assert grown(before, await counts(client)) == {"415": 3}

    with caplog.at_level(logging.INFO):
        run(make_app(sink, token="s3cret"), steps)
    assert errors_logged(caplog) == [] and sink.raws == []


# -- 3: a token with a byte that is no UTF-8 ----------------------------------------------------------
def test_a_token_with_a_byte_that_is_no_utf8_is_a_401_and_a_utf8_token_still_matches(caplog):
    """Before, `Authorization: Bearer s3cr\\xffet` raised UnicodeEncodeError: a 500 and a traceback."""
    def request(token: bytes) -> bytes:
        return (b"POST /ingest HTTP/1.1\r\nHost: t\r\nConnection: close\r\nAuthorization: Bearer " + token
                + b"\r\nContent-Type: application/json\r\nContent-Length: " + str(len(ARTICLE)).encode()
                + b"\r\n\r\n" + ARTICLE)

    sink = MemorySink()

    async def steps(client, port):
        refused = await raw_exchange(port, request(b"s\xc3\xa9cr\xffet"))
        accepted = await raw_exchange(port, request("sécret".encode()))
        return refused, accepted

    with caplog.at_level(logging.INFO):
        refused, accepted = served(make_app(sink, token="sécret"), steps)
    assert refused.startswith(b"HTTP/1.1 401 ") and b'{"error":"unauthorised"' in refused
    assert accepted.startswith(b"HTTP/1.1 202 ")
    assert errors_logged(caplog) == [] and [raw.id for raw in sink.raws] == ["1"]


# -- 4: a sink whose output is gone ---------------------------------------------------------------------
def test_a_closed_stdout_makes_the_endpoint_unavailable_not_a_500(caplog):
    """Before, `serve-ingest --stdout | head -1` answered every POST after the first 500 with a
    BrokenPipeError traceback, and /readyz still said ready."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # as `head -1` does once it has its line
    out = os.fdopen(write_end, "w")
    app = make_app(StdoutSink(out=out), token=None)

    async def steps(client):
        before = await counts(client)
        for _ in range(2):
            status, answer, _ = await post(client, "/ingest", ARTICLE, "application/json", headers={})
            answer = orjson.loads(answer)
            assert status == 503 and answer["error"] == "unavailable", answer
            assert "Broken pipe" in answer["detail"] and "nothing was delivered" in answer["detail"]
        readyz = await client.get("/readyz")
        assert readyz.status == 503 and await readyz.text() == "not ready\n"
        assert grown(before, await counts(client)) == {"503": 2}

    try:
        with caplog.at_level(logging.INFO):
            run(app, steps)
    finally:
        with contextlib.suppress(BrokenPipeError):  # what is still buffered has nowhere to go
            out.close()
    assert errors_logged(caplog) == []
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING][0].startswith(
        "ingest: 1 records not delivered: BrokenPipeError")
