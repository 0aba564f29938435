"""``newsflow serve-ingest``: an HTTP endpoint that puts posted articles on news.raw.

* ``POST /ingest``       one raw-article JSON object, or a JSON array of them (a batch)
* ``POST /ingest/html?url=...&source=...[&id=...&title=...]``  an HTML page as the body
* ``GET /metrics``, ``/healthz``, ``/readyz``

Requests need ``Authorization: Bearer <NEWSFLOW_INGEST_TOKEN>`` (401 otherwise). Bodies over
``max_body`` get 413. Every item is validated against raw_article.v1 on its own: an invalid one (or
one larger than a raw-topic record may be once encoded, ``too_large``) is dead-lettered with its
reason and named in the answer's ``errors``, and the valid ones are delivered all the same: 202 when
any was, 400 when none was. The answer comes only after Kafka acknowledged every record, dead letters
included (one the broker refused for itself is left out of ``ids``); when the broker cannot ack within
``ack_timeout`` the answer is 503 and the client should retry (ids make a retry harmless).

Bodies are read by their Content-Type: ``/ingest`` takes JSON (``application/json``, any ``+json``
type, or no Content-Type at all) in UTF-8, ``/ingest/html`` takes ``text/html`` or
``application/xhtml+xml`` (or none) in any charset ``connectors.charset`` reads; anything else is
refused with 415 before the body is read. A body may come compressed (``Content-Encoding: gzip`` or
``deflate``; its size unpacked is what ``max_body`` bounds); another coding is a 415, a body that does
not unpack a 400. Every error answer (but the plain-text 503 of /readyz) is a JSON object with ``error``.
A client that closes the connection before its body has all come is no fault of the server: it is
logged at info and answered 400, if anyone is still there to read it. A client has ``client_timeout``
seconds to send its headers (and an idle keep-alive connection is closed after as long) and as long
again for its body (408, and the connection closed): a slow or stalled client cannot hold a
connection, and its file descriptor, for ever.

``newsflow_ingest_requests_total{code}`` counts every answer once, by its status code, those that
aiohttp makes itself included (404 for an unknown path, 405 for a wrong method, and the 500 of a
handler that raised, which is logged with its traceback); the monitoring endpoints (/metrics,
/healthz, /readyz), which scrapes and probes call all the time, are not ingest requests and are
left out, so that the share of 503s stays the share of the clients' requests.

At most ``max_connections`` connections are handed to the app at once: a client, or a flood, that
opens thousands can no longer use up the process's file descriptors (after which no accept, and no
probe, succeeds). A connection over the cap is answered by the listener itself, from its request's
head, and closed: ``GET /healthz`` 200 and ``GET /metrics`` as usual (a crowded port is no reason to
restart the pod or lose a scrape), anything else 503 ``too_many_connections`` with ``Retry-After: 1``
(counted as any 503; /readyz too, uncounted: a crowded replica is not ready for more); one that
sends no request within a couple of seconds is closed.
``newsflow_ingest_connections_refused_total`` counts them, and a warning says so at most every 10 s.

The port opens at once, before Kafka is known to be there: /healthz answers, while /readyz and
every POST answer 503 until ``prepare`` (the topic check) has succeeded. It is retried with
backoff, so the endpoint waits out a broker that starts after it instead of exiting. After a
failed delivery the same check runs again, and /readyz turns 200 as soon as the broker answers.
"""
from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import signal
import threading
import time
import zlib
from http import HTTPStatus
from typing import Any, Awaitable, Callable

import orjson
from aiohttp import hdrs, web
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, generate_latest

from pipeline.cleaning.urls import canonical_url
from schemas.models import RawArticle, Rejected, utcnow_iso

from . import metrics
from .common import connector_deadletter, stable_id
from .charset import decode_html
from .connection_cap import Listener, listen_capped
from .sink import Delivered, DeliveryError, _BaseSink, wait_until_reachable

log = logging.getLogger(__name__)

REQUESTS = Counter("newsflow_ingest_requests", "HTTP ingest requests by status code", ["code"])
CONNECTIONS_REFUSED = Counter("newsflow_ingest_connections_refused",
                              "connections that came while max_connections were open, answered without the app")
STATE = web.AppKey("newsflow_ingest_state", dict)

JSON_TYPE = "application/json"
HTML_TYPES = ("text/html", "application/xhtml+xml")  # what ingest urls and rss --fetch-pages accept
_UTF8_LABELS = {"utf-8", "utf8", "us-ascii", "ascii"}  # JSON is read as UTF-8 (RFC 8259); ASCII is a part of it
# the content codings a body may come in, with their zlib window bits; aiohttp's own unpacking is off
# (make_app), as it answers a coding it lacks (br without Brotli) in plain text, before any handler
_CODINGS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


def _json(data: Any, status: int, headers: Any = None) -> web.Response:
    return web.Response(body=orjson.dumps(data), status=status, content_type="application/json", headers=headers)


def _media_type(request: web.Request) -> tuple[str | None, str | None]:
    """The request's media type and charset, lower-cased; (None, None) without a Content-Type."""
    if not request.headers.get(hdrs.CONTENT_TYPE, "").strip():
        return None, None  # aiohttp would call it application/octet-stream
    charset = request.charset
    return request.content_type.lower(), charset.strip().strip("\"'").lower() if charset else None


def _unauthorised() -> web.Response:
    """401 with the challenge RFC 9110 (15.5.2) requires of it, naming the scheme to use."""
    return _json({"error": "unauthorised", "detail": "send the ingest token as Authorization: Bearer <token>"}, 401,
                 headers={hdrs.WWW_AUTHENTICATE: 'Bearer realm="newsflow-ingest"'})


def _refuse_media_type(given: str, detail: str, expected: str) -> web.Response:
    return _json({"error": "unsupported_media_type", "detail": detail, "content_type": given[:200],
                  "expected": expected}, 415)


def _json_type_refused(request: web.Request) -> web.Response | None:
    """/ingest: JSON (application/json or a +json type) in UTF-8, or no Content-Type at all. A form
    (curl -d sends application/x-www-form-urlencoded), a page, text or bytes are refused with 415."""
    media, charset = _media_type(request)
    given = request.headers.get(hdrs.CONTENT_TYPE, "")
    if media is None:
        return None
    if media != JSON_TYPE and not media.endswith("+json"):
        return _refuse_media_type(given, f"{request.path} takes {JSON_TYPE} (or a +json type), not {media}",
                                  JSON_TYPE)
    if charset is not None and charset not in _UTF8_LABELS:
        return _refuse_media_type(given, f"{request.path} reads JSON as UTF-8 only (RFC 8259), not charset={charset};"
                                         " send the body in UTF-8", f"{JSON_TYPE}; charset=utf-8")
    return None


def _html_type_refused(request: web.Request) -> web.Response | None:
    """/ingest/html: an HTML page (the types the urls connector takes), or no Content-Type. Its
    charset is a hint for connectors.charset, as a web server's is for the urls connector."""
    media, _ = _media_type(request)
    if media is None or media in HTML_TYPES:
        return None
    return _refuse_media_type(request.headers.get(hdrs.CONTENT_TYPE, ""),
                              f"{request.path} takes {' or '.join(HTML_TYPES)}, not {media}", HTML_TYPES[0])


def _unpacker(coding: str, head: bytes):
    """zlib's decoder for a body in ``coding``; a deflate body that lacks the zlib header (the raw
    stream, which some clients send) is read too, as aiohttp read it."""
    raw_deflate = coding == "deflate" and head[:1] and head[0] & 0x0F != 8
    return zlib.decompressobj(-zlib.MAX_WBITS if raw_deflate else _CODINGS[coding])


def _text_field(item: Any, name: str) -> str | None:
    """An invalid item's ``name`` field when it is text (a dead letter's id or source), else None."""
    value = item.get(name) if isinstance(item, dict) else None
    return value if isinstance(value, str) and value else None


def _payload(item: Any) -> bytes | None:
    """An invalid item as JSON for its dead letter; None for one nested deeper than orjson writes."""
    try:
        return orjson.dumps(item)
    except orjson.JSONEncodeError:
        return None


def _error_name(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "error"


def _counting_middleware(not_counted: set) -> Callable:
    """Counts every answer once by its status code, also those aiohttp makes (404, 405) and the 500
    of a handler that raised, which is answered in JSON as the other errors are, and logged with its
    traceback. Requests routed to a handler in ``not_counted`` (the monitoring endpoints) are not
    counted. The label is the status code alone: a path never becomes a label value."""
    @web.middleware
    async def count_requests(request: web.Request, handler) -> web.StreamResponse:
        counted = request.match_info.handler not in not_counted
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            if exc.status < 400:
                if counted:
                    REQUESTS.labels(str(exc.status)).inc()
                raise
            response = _http_error(request, exc)
        except Exception:  # noqa: BLE001 - one failing request must not take the service's answer form with it
            log.exception("serve-ingest: %s %s failed: answered 500", request.method, request.path[:200],
                          extra={"method": request.method, "path": request.path[:200], "status": 500})
            response = _json({"error": "internal", "detail": "an unexpected error on the server; it is logged"}, 500)
        if counted:
            REQUESTS.labels(str(response.status)).inc()
        return response

    return count_requests


def _http_error(request: web.Request, exc: web.HTTPException) -> web.Response:
    """An aiohttp HTTP error (no route, a wrong method ...) as a JSON answer; its headers (Allow) kept."""
    headers = {k: v for k, v in exc.headers.items() if k.lower() not in ("content-type", "content-length")}
    if isinstance(exc, web.HTTPMethodNotAllowed):
        allowed = ", ".join(sorted(exc.allowed_methods))
        detail = f"{request.method} is not allowed on {request.path[:200]}; use {allowed}"
    elif isinstance(exc, web.HTTPNotFound):
        detail = f"no such path: {request.path[:200]}"
    else:
        detail = exc.text or exc.reason
    return _json({"error": _error_name(exc.status), "detail": detail}, exc.status, headers=headers)


def _not_utf8(body: bytes) -> str | None:
    """Where ``body`` stops being UTF-8, or None when it is UTF-8: orjson names the character where
    its reading failed, which for bytes that are no UTF-8 is not where they are."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"the body is not UTF-8 ({exc.reason} at byte {exc.start}); JSON is read as UTF-8 (RFC 8259)"
    return None


def make_app(sink: _BaseSink, *, token: str | None, max_body: int = 8 * 1024 * 1024, max_items: int = 1000,
             ack_timeout: float = 10.0, connected: bool = True, client_timeout: float = 60.0,
             on_unavailable: Callable[[], None] | None = None) -> web.Application:
    """``connected=False``: answer 503 until ``app[STATE]["connected"]`` is set. ``on_unavailable``
    is called when a delivery failed and /readyz turned 503: ``serve`` then watches the broker and
    sets ``ready`` again when it answers, since a load balancer sends no request to an endpoint that
    is not ready, and a successful delivery could never clear it (see ``serve``). ``client_timeout``
    bounds the time a body may take to come (and, through :func:`make_runner`, the headers)."""
    state = {"ready": True, "connected": connected, "client_timeout": client_timeout}
    expected = token.encode() if token else None

    def authorised(request: web.Request) -> bool:
        if expected is None:
            return True
        # the scheme is case-insensitive (RFC 7235: "bearer" is "Bearer"); the token is compared exactly, as
        # the bytes sent: aiohttp decodes a header as UTF-8 with surrogateescape, which gives a byte that
        # is no UTF-8 back as itself (a plain encode() raised on it: a 500 instead of a 401)
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(
            given.lstrip(" ").encode("utf-8", "surrogateescape"), expected)

    async def read_body(request: web.Request) -> bytes | web.Response:
        """The body, unpacked when it comes gzipped or deflated, or the answer that refuses it."""
        too_large = _json({"error": "too_large", "detail": f"the body is over {max_body} bytes"}, 413)
        coding = request.headers.get(hdrs.CONTENT_ENCODING, "").strip().lower()
        if coding not in _CODINGS and coding not in ("", "identity"):
            return _json({"error": "unsupported_content_encoding", "content_encoding": coding[:200],
                          "detail": f"a body in Content-Encoding {coding[:200]!r} cannot be read; send it in gzip,"
                                    " deflate or uncompressed"}, 415,
                         headers={"Accept-Encoding": "gzip, deflate"})  # RFC 7694
        if request.content_length is not None and request.content_length > max_body:
            return too_large
        unpack = None
        chunks, size = [], 0
        try:
            async with asyncio.timeout(client_timeout):  # a body sent a byte at a time, or never, ends here
                async for chunk in request.content.iter_chunked(64 * 1024):
                    if coding in _CODINGS:
                        unpack = unpack or _unpacker(coding, chunk)
                        # never more than the limit is unpacked: a small body that unpacks to gigabytes stays small
                        chunk = unpack.decompress(chunk, max_body + 1 - size)
                    size += len(chunk)
                    if size > max_body:
                        return too_large
                    chunks.append(chunk)
            if unpack is not None and not unpack.eof:
                raise zlib.error("it ends before its end of stream")
        except TimeoutError:
            log.info("serve-ingest: %s %s: the body did not all come within %g s (%d bytes came); answered 408",
                     request.method, request.path[:200], client_timeout, size)
            answer = _json({"error": "request_timeout", "detail": f"the body did not all come within"
                                                                   f" {client_timeout:g} s"}, 408)
            answer.force_close()  # what is still on its way is not waited for
            return answer
        except zlib.error as exc:
            return _json({"error": "bad_content_encoding",
                          "detail": f"the body is not valid {coding} data ({exc}); send it as Content-Encoding says"},
                         400)
        except (ConnectionError, web.RequestPayloadError) as exc:
            # the client left mid-body, or broke the chunked framing: its doing, not a failure of the service
            log.info("serve-ingest: %s %s: the body did not all come (%s: %s); answered 400", request.method,
                     request.path[:200], type(exc).__name__, exc)
            return _json({"error": "incomplete_body", "detail": f"the body did not all come: {exc}"}, 400)
        return b"".join(chunks)

    def unavailable(count: int, why: str, detail: str) -> web.Response:
        """A failed delivery: 503, and not ready until ``on_unavailable``'s broker watch sees Kafka again
        (for ever with no watch, as with --stdout: a closed stdout does not come back)."""
        state["ready"] = False
        metrics.ERRORS.labels("http", "delivery").inc()
        log.warning("ingest: %d records not delivered: %s", count, why)
        if on_unavailable is not None:
            on_unavailable()
        return _json({"error": "unavailable", "detail": detail}, 503)

    def send(raws: list[RawArticle], letters: list[dict], deadline: float) -> Delivered:
        """In a worker thread: the articles, then the dead letters of the invalid items."""
        delivered = sink.deliver(raws, deadline=deadline) if raws else Delivered(0)
        if letters:
            sink.deliver_deadletters(letters, deadline=deadline)
            for letter in letters:
                metrics.DEADLETTERS.labels("http", letter["reason"]).inc()
        return delivered

    async def deliver(raws: list[RawArticle], errors: list[dict] = (), letters: list[dict] = ()) -> web.Response:
        """Deliver ``raws`` and the dead letters of the invalid items; 202 when any article was
        delivered, 400 naming the ``errors`` when none was valid, 503 when Kafka did not ack."""
        if not state["connected"]:
            return _json({"error": "unavailable", "detail": "not connected to Kafka yet; retry"}, 503)
        deadline = time.monotonic() + ack_timeout
        try:
            delivered = await asyncio.wait_for(asyncio.to_thread(send, raws, list(letters), deadline),
                                               ack_timeout + 1.0)
        except (DeliveryError, asyncio.TimeoutError) as exc:
            # the producer keeps what it was not acknowledged for a while, and a broker back soon gets it
            return unavailable(len(raws) + len(letters), str(exc) or f"no acknowledgement in {ack_timeout:g} s",
                               f"Kafka did not acknowledge the articles within {ack_timeout:g} s; retry (they may"
                               " still be delivered later: their ids make a resend harmless)")
        except OSError as exc:  # the sink's own output is gone: stdout closed (`serve-ingest --stdout | head`)
            return unavailable(len(raws) + len(letters), repr(exc),
                               f"the sink cannot take articles ({exc}); nothing was delivered")
        state["ready"] = True
        if not raws:
            return _json({"error": "invalid", "errors": errors}, 400)
        # what the broker refused for itself (a topic with a smaller max.message.bytes) was dead-lettered:
        # it is not on the raw topic, so it is neither accepted nor listed, but named as refused
        refused = {raw.id: why for raw, why in getattr(delivered, "refused", ())}
        ids = [r.id for r in raws if r.id not in refused]
        metrics.NEW_ENTRIES.labels("http").inc(len(ids))
        metrics.LAST_SUCCESS.labels("http").set_to_current_time()
        answer: dict[str, Any] = {"accepted": len(ids), "ids": ids}
        if errors:
            answer["errors"] = errors
        if refused:
            answer["refused"] = [{"id": i, "reason": why.reason, "detail": why.detail} for i, why in refused.items()]
        return _json(answer, 202)

    async def ingest(request: web.Request) -> web.Response:
        if not authorised(request):
            return _unauthorised()
        refused = _json_type_refused(request)
        if refused is not None:
            return refused
        body = await read_body(request)
        if isinstance(body, web.Response):
            return body
        try:
            document = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            return _json({"error": "invalid_json", "detail": _not_utf8(body) or str(exc)}, 400)
        items = document if isinstance(document, list) else [document]
        if not items:
            return _json({"error": "empty", "detail": "an empty batch"}, 400)
        if len(items) > max_items:
            return _json({"error": "too_many_items", "detail": f"at most {max_items} items per request"}, 413)
        raws, errors, letters = [], [], []
        for index, item in enumerate(items):
            error = None
            try:
                raw = RawArticle.from_dict({"fetched_at": utcnow_iso(), **item} if isinstance(item, dict) else item)
            except Rejected as exc:
                error = {"reason": exc.reason, "detail": exc.detail}
            else:
                if raw.url and canonical_url(raw.url) is None:
                    error = {"reason": "bad_url", "field": "url",
                             "detail": f"url: {raw.url[:200]!r} is not an absolute http or https URL"}
                elif (too_large := sink.too_large(raw)) is not None:
                    error = {"reason": too_large.reason, "detail": too_large.detail}
            if error is None:
                raws.append(raw)
                continue
            item_id, source = (_text_field(item, "id"), _text_field(item, "source"))
            errors.append({"index": index, **error, "id": item_id})
            letters.append(connector_deadletter(_payload(item), error["reason"], error["detail"], article_id=item_id,
                                                source=source, location=f"{request.path}[{index}]"))
        return await deliver(raws, errors, letters)

    async def ingest_html(request: web.Request) -> web.Response:
        if not authorised(request):
            return _unauthorised()
        refused = _html_type_refused(request)
        if refused is not None:
            return refused
        body = await read_body(request)
        if isinstance(body, web.Response):
            return body
        url, source = request.query.get("url"), request.query.get("source")
        page_id = request.query.get("id") or (stable_id(url) if url else None)

        def refuse(reason: str, detail: str, **more: str) -> Awaitable[web.Response]:
            """The page is dead-lettered with its reason, and the answer is a 400 naming it."""
            letter = connector_deadletter(body, reason, detail, article_id=page_id, source=source,
                                          location=f"{request.path}?url={(url or '')[:200]}")
            return deliver([], [{"index": 0, "reason": reason, **more, "detail": detail, "id": page_id}], [letter])

        if not url or not source:
            return await refuse("missing", "the url and source parameters are required")
        if canonical_url(url) is None:
            return await refuse("bad_url", f"the url parameter {url[:200]!r} is not an absolute http or https URL",
                                field="url")
        if not body.strip():
            return await refuse("empty", "no HTML body")
        document = {"id": page_id, "source": source, "html": decode_html(body, request.charset), "url": url,
                    "fetched_at": utcnow_iso(), "meta": {"connector": "http"}}
        if request.query.get("title"):
            document["title"] = request.query["title"]
        try:
            raw = RawArticle.from_dict(document)
        except Rejected as exc:
            return await refuse(exc.reason, exc.detail)
        if (too_large := sink.too_large(raw)) is not None:  # a body of control characters is 6 times larger as JSON
            return await refuse(too_large.reason, too_large.detail)
        return await deliver([raw])

    async def metrics_view(request: web.Request) -> web.Response:
        return web.Response(body=generate_latest(REGISTRY), headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def healthz(request: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    async def readyz(request: web.Request) -> web.Response:
        if not state["connected"]:
            return web.Response(text="not ready: waiting for Kafka\n", status=503)
        return web.Response(text="ready\n" if state["ready"] else "not ready\n", status=200 if state["ready"] else 503)

    app = web.Application(client_max_size=max_body + 1024, handler_args={"auto_decompress": False},  # read_body unpacks
                          middlewares=[_counting_middleware({metrics_view, healthz, readyz})])
    app[STATE] = state
    app.router.add_post("/ingest", ingest)
    app.router.add_post("/ingest/html", ingest_html)
    app.router.add_get("/metrics", metrics_view)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    return app


def make_runner(app: web.Application) -> web.AppRunner:
    """The app's runner: a connection gets ``client_timeout`` seconds to send its request's headers,
    as long to be idle between requests (aiohttp's own keep-alive default is an hour, so a client
    that sent a byte at a time, or half a request line, held its connection that long)."""
    return web.AppRunner(app, access_log=None, keepalive_timeout=app[STATE]["client_timeout"])


def _http_answer(status: int, body: bytes, content_type: str, *, head_only: bool = False,
                 headers: dict[str, str] | None = None) -> bytes:
    """A whole HTTP/1.1 answer that closes its connection, for the listener to write without aiohttp."""
    lines = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}", f"Content-Type: {content_type}",
             f"Content-Length: {len(body)}", "Connection: close",
             *(f"{name}: {value}" for name, value in (headers or {}).items())]
    return "\r\n".join(lines).encode() + b"\r\n\r\n" + (b"" if head_only else body)


def _over_cap_answer(request_head: bytes, limit: int) -> bytes:
    """The answer over the cap: the probe and the scrape as the app gives them, any other request a
    503 the client retries, counted as the app's 503s are (the monitoring endpoints' are not)."""
    method, _, rest = request_head.split(b"\r\n", 1)[0].partition(b" ")
    path = rest.partition(b" ")[0].partition(b"?")[0]
    head_only = method == b"HEAD"
    if method in (b"GET", b"HEAD") and path == b"/healthz":
        return _http_answer(200, b"ok\n", "text/plain; charset=utf-8", head_only=head_only)
    if method in (b"GET", b"HEAD") and path == b"/metrics":
        return _http_answer(200, generate_latest(REGISTRY), CONTENT_TYPE_LATEST, head_only=head_only)
    if path != b"/readyz":
        REQUESTS.labels("503").inc()
    body = orjson.dumps({"error": "too_many_connections",
                         "detail": f"the server has the most connections it takes ({limit}) open; retry in a second"})
    return _http_answer(503, body, JSON_TYPE, headers={"Retry-After": "1"})


async def listen(runner: web.AppRunner, host: str, port: int, max_connections: int) -> Listener:
    """Listen on ``host``:``port`` for ``runner``'s app (set up), at most ``max_connections`` at once;
    the connections over the cap are answered by ``_over_cap_answer`` (see connectors.connection_cap)."""
    def warn(open_connections: int) -> None:
        log.warning("serve-ingest: %d connections open, the most it takes (--max-connections %d): new ones are"
                    " answered 503 until some close", open_connections, max_connections)

    return await listen_capped(runner.server, host, port, max_connections, _over_cap_answer,
                               CONNECTIONS_REFUSED.inc, warn)


def serve(sink: _BaseSink, *, host: str = "127.0.0.1", port: int = 8088, token: str | None = None,
          max_body: int = 8 * 1024 * 1024, max_items: int = 1000, ack_timeout: float = 10.0,
          prepare: Callable[[], Any] | None = None, fatal: tuple[type[BaseException], ...] = (),
          retry_max: float = 10.0, client_timeout: float = 60.0, max_connections: int = 512) -> None:
    """Serve until SIGTERM or SIGINT, at most ``max_connections`` at once (see ``listen``). ``prepare``
    (the topic check, which needs the broker) runs in a daemon thread at start and again after a
    failed delivery, retried with backoff up to ``retry_max`` seconds apart until it returns; until
    then /readyz answers 503 (and, at start, every POST). An exception of a ``fatal`` type (a
    configuration error, such as a topic that does not exist) stops the server and is raised here."""
    watcher = _BrokerWatch(prepare, fatal, retry_max, on_back=sink.reconnect)
    app = make_app(sink, token=token, max_body=max_body, max_items=max_items, ack_timeout=ack_timeout,
                   connected=prepare is None, client_timeout=client_timeout,
                   on_unavailable=watcher.start if prepare is not None else None)
    asyncio.run(_serve(app, host, port, token is not None, watcher, max_connections))


class _BrokerWatch:
    """Runs the broker check in a thread, one at a time, and reports back to the server's loop."""

    def __init__(self, check: Callable[[], Any] | None, fatal: tuple[type[BaseException], ...], retry_max: float,
                 on_back: Callable[[], None] = lambda: None):
        self.check, self.fatal, self.retry_max, self.on_back = check, fatal, retry_max, on_back
        self.halt = threading.Event()  # set when the server stops: the thread gives up
        self.running = False
        self.loop: asyncio.AbstractEventLoop | None = None
        self.state: dict = {}
        self.failed: asyncio.Future | None = None

    def bind(self, loop: asyncio.AbstractEventLoop, state: dict) -> None:
        self.loop, self.state, self.failed = loop, state, loop.create_future()

    def start(self) -> None:
        """From the loop: watch the broker until it answers (nothing if a watch is running)."""
        if self.check is None or self.running:
            return
        self.running = True
        threading.Thread(target=self._watch, name="serve-ingest-broker-watch", daemon=True).start()

    def _watch(self) -> None:
        try:
            if wait_until_reachable(self.check, self.halt, name="serve-ingest", fatal=self.fatal,
                                    retry_max=self.retry_max):
                if self.state.get("connected"):  # back after an outage, not the first contact
                    self.on_back()
                _call_in(self.loop, self._reached)
        except self.fatal as exc:
            _call_in(self.loop, self._give_up, exc)

    def _reached(self) -> None:
        self.running = False
        self.state["connected"] = self.state["ready"] = True

    def _give_up(self, exc: BaseException) -> None:
        if not self.failed.done():
            self.failed.set_exception(exc)


async def _serve(app: web.Application, host: str, port: int, auth: bool, watcher: _BrokerWatch,
                 max_connections: int) -> None:
    runner = make_runner(app)
    await runner.setup()
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    watcher.bind(loop, app[STATE])
    listener = None
    try:
        listener = await listen(runner, host, port, max_connections)
        log.info("serve-ingest on http://%s:%d (auth %s, at most %d connections)", host, listener.port,
                 "on" if auth else "OFF", max_connections)
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        if not app[STATE]["connected"]:
            log.info("serve-ingest: waiting for Kafka before accepting articles (/readyz answers 503 until then)")
            watcher.start()
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({stopping, watcher.failed}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if watcher.failed.done():
            watcher.failed.result()  # raises the fatal error
    finally:
        watcher.halt.set()
        if listener is not None:
            listener.close()  # no new connection while the app's are closed
        await runner.cleanup()


def _call_in(loop: asyncio.AbstractEventLoop, fn, *args) -> None:
    with contextlib.suppress(RuntimeError):  # the server stopped meanwhile and its loop is closed
        loop.call_soon_threadsafe(fn, *args)
