"""serve-ingest (connectors/http_ingest.py) as its clients and its Prometheus scrape see it: every
answer counted once by its status code, and bodies read only under the Content-Type they are for."""
from __future__ import annotations

import asyncio
import logging

import orjson
import pytest
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client.parser import text_string_to_metric_families

from connectors.http_ingest import make_app
from connectors.sink import MemorySink
from pipeline.logs import JsonFormatter

AUTH = {"Authorization": "Bearer s3cret"}
ARTICLE = orjson.dumps({"id": "1", "source": "s", "text": "t"})
PAGE = "<html><body><p>Пожар в Москве: горел склад.</p></body></html>"


def run(app, steps):
    async def go():
        async with TestClient(TestServer(app)) as client:
            return await steps(client)
    return asyncio.run(go())


async def post(client, path, body, content_type=None, headers=AUTH, **kw):
    """``content_type=None``: no Content-Type header at all (aiohttp would add application/octet-stream)."""
    headers = dict(headers)
    if content_type is not None:
        headers["Content-Type"] = content_type
    response = await client.post(path, data=body, headers=headers,
                                 skip_auto_headers=["Content-Type"] if content_type is None else (), **kw)
    return response.status, await response.read(), response.headers


async def counts(client) -> dict[str, float]:
    """newsflow_ingest_requests_total by its labels, as /metrics shows it."""
    response = await client.get("/metrics")
    assert response.status == 200
    found = {}
    for family in text_string_to_metric_families((await response.text())):
        if family.name == "newsflow_ingest_requests":
            for sample in family.samples:
                if sample.name == "newsflow_ingest_requests_total":
                    assert set(sample.labels) == {"code"}, sample.labels  # the label set is the code alone
                    found[sample.labels["code"]] = sample.value
    return found


def grown(before: dict, after: dict) -> dict[str, float]:
    return {code: after[code] - before.get(code, 0) for code in after if after[code] != before.get(code, 0)}


# -- 1: every answer is counted once, aiohttp's own included ----------------------------------------
def test_every_answer_is_counted_once_by_its_code_404_and_405_included():
    """Before, only the handlers' own JSON answers were counted: 404 (unknown path) and 405 (wrong
    method), which aiohttp answers itself, never reached newsflow_ingest_requests_total."""
    sink = MemorySink()
    app = make_app(sink, token="s3cret")

    async def steps(client):
        before = await counts(client)
        for path in ("/nowhere", "/ingest/nowhere", "/a/b/c?x=1", "/favicon.ico"):
            response = await client.get(path)
            body = await response.json()
            assert response.status == 404 and body["error"] == "not_found" and body["detail"].startswith("no such path")
        response = await client.post("/ingest/other", data=ARTICLE, headers=AUTH)
        assert response.status == 404
        for method, path in (("GET", "/ingest"), ("PUT", "/ingest"), ("GET", "/ingest/html"), ("POST", "/healthz")):
            response = await client.request(method, path, headers=AUTH)
            body = await response.json()
            assert response.status == 405, (method, path)
            assert body["error"] == "method_not_allowed" and response.headers["Allow"]
        assert (await post(client, "/ingest", ARTICLE, "application/json"))[0] == 202
        assert (await post(client, "/ingest", ARTICLE, "application/json", headers={}))[0] == 401
        assert (await post(client, "/ingest", b"{", "application/json"))[0] == 400
        for path in ("/healthz", "/readyz", "/metrics"):  # probes and scrapes are not ingest requests
            assert (await client.get(path)).status == 200
        after = await counts(client)
        # five paths gave five 404s and no new label: the code is the only label
        assert grown(before, after) == {"404": 5, "405": 4, "202": 1, "401": 1, "400": 1}
        assert [r.id for r in sink.raws] == ["1"]

    run(app, steps)


def test_a_handler_that_raises_answers_500_in_json_is_logged_with_its_traceback_and_counted(caplog):
    """Before, aiohttp answered a bare text/plain 500 that the metric never counted."""
    class Broken(MemorySink):
        def deliver(self, raws, *, deadline=None):
            raise RuntimeError("the sink has a bug")

    app = make_app(Broken(), token="s3cret")

    async def steps(client):
        before = await counts(client)
        with caplog.at_level(logging.ERROR, logger="connectors.http_ingest"):
            status, body, headers = await post(client, "/ingest", ARTICLE, "application/json")
        assert status == 500 and headers["Content-Type"].startswith("application/json")
        assert orjson.loads(body)["error"] == "internal" and b"the sink has a bug" not in body  # no internals leak
        assert grown(before, await counts(client)) == {"500": 1}
        # the service still answers
        assert (await client.get("/healthz")).status == 200

    run(app, steps)
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    entry = orjson.loads(JsonFormatter().format(record))     # as NEWSFLOW_LOG_FORMAT=json writes it
    assert entry["level"] == "error" and entry["status"] == 500 and entry["path"] == "/ingest"
    assert "Traceback" in entry["exc"] and "RuntimeError: the sink has a bug" in entry["exc"]


# -- 2: the Content-Type each endpoint takes ----------------------------------------------------------
@pytest.mark.parametrize("content_type", [None, "application/json", "application/json; charset=utf-8",
                                          "Application/JSON; charset=\"UTF-8\"", "application/json;charset=us-ascii",
                                          "application/ld+json", "application/vnd.newsflow+json; charset=utf-8"])
def test_ingest_takes_json_in_utf8_or_no_content_type(content_type):
    sink = MemorySink()

    async def steps(client):
        status, body, _ = await post(client, "/ingest", ARTICLE, content_type)
        assert status == 202, body
    run(make_app(sink, token="s3cret"), steps)
    assert [r.id for r in sink.raws] == ["1"]


@pytest.mark.parametrize("content_type", ["text/html", "text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=xyz", "application/octet-stream",
                                          "application/xml", "text/json"])
def test_ingest_refuses_a_body_that_is_not_json_with_415_naming_the_type_it_takes(content_type):
    """Before, any Content-Type was read as JSON: a form post (curl -d) or a page were taken."""
    sink = MemorySink()

    async def steps(client):
        before = await counts(client)
        status, body, headers = await post(client, "/ingest", ARTICLE, content_type)
        assert status == 415 and headers["Content-Type"].startswith("application/json")
        answer = orjson.loads(body)
        assert answer["error"] == "unsupported_media_type" and answer["expected"] == "application/json"
        assert "application/json" in answer["detail"] and content_type.split(";")[0] in answer["detail"]
        assert (await post(client, "/ingest", ARTICLE, content_type, headers={}))[0] == 401  # auth comes first
        assert grown(before, await counts(client)) == {"415": 1, "401": 1}
    run(make_app(sink, token="s3cret"), steps)
    assert sink.raws == []


def test_ingest_refuses_json_in_a_charset_other_than_utf8_clearly():
    """JSON is read as UTF-8 (RFC 8259); before, a UTF-16 body was a confusing 400 invalid_json."""
    sink = MemorySink()

    async def steps(client):
        for charset in ("utf-16", "UTF-16LE", "iso-8859-1", "windows-1251"):
            status, body, _ = await post(client, "/ingest", ARTICLE.decode().encode("utf-16" if "16" in charset else charset),
                                         f"application/json; charset={charset}")
            answer = orjson.loads(body)
            assert status == 415 and answer["error"] == "unsupported_media_type", charset
            assert f"charset={charset.lower()}" in answer["detail"] and "UTF-8" in answer["detail"]
            assert answer["expected"] == "application/json; charset=utf-8"
    run(make_app(sink, token="s3cret"), steps)
    assert sink.raws == []


@pytest.mark.parametrize("content_type", [None, "text/html", "text/html; charset=utf-8", "TEXT/HTML; Charset=UTF-8",
                                          "application/xhtml+xml"])
def test_ingest_html_takes_an_html_page_or_no_content_type(content_type):
    sink = MemorySink()

    async def steps(client):
        status, body, _ = await post(client, "/ingest/html?url=https://n.example/a&source=n", PAGE.encode(), content_type)
        assert status == 202, body
    run(make_app(sink, token="s3cret"), steps)
    assert [r.html for r in sink.raws] == [PAGE]


def test_ingest_html_honours_the_charset_of_its_content_type():
    sink = MemorySink()

    async def steps(client):
        status, body, _ = await post(client, "/ingest/html?url=https://n.example/ru&source=n", PAGE.encode("cp1251"),
                                     "text/html; charset=windows-1251")
        assert status == 202, body
    run(make_app(sink, token="s3cret"), steps)
    assert sink.raws[0].html == PAGE


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=xyz", "application/octet-stream"])
def test_ingest_html_refuses_a_body_that_is_not_a_page_with_415(content_type):
    """Before, a JSON document or a form posted to /ingest/html was stored as the article's HTML."""
    sink = MemorySink()

    async def steps(client):
        status, body, _ = await post(client, "/ingest/html?url=https://n.example/a&source=n", PAGE.encode(), content_type)
        answer = orjson.loads(body)
        assert status == 415 and answer["error"] == "unsupported_media_type" and answer["expected"] == "text/html"
        assert "text/html" in answer["detail"] and "application/xhtml+xml" in answer["detail"]
        assert (await post(client, "/ingest/html?url=https://n.example/a&source=n", PAGE.encode(), content_type,
                           headers={}))[0] == 401
    run(make_app(sink, token="s3cret"), steps)
    assert sink.raws == []
