from __future__ import annotations

import asyncio
import time

import orjson
import pytest
from aiohttp.test_utils import TestClient, TestServer

from connectors.http_ingest import STATE, make_app
from connectors.net import Fetcher, NetworkPolicy
from connectors.pages import PagesConnector
from connectors.sink import DeliveryError, MemorySink

HTML = {"Content-Type": "text/html; charset=utf-8"}


def pages(site, tmp_path, sink, urls, **kw):
    fetcher = Fetcher(NetworkPolicy(["127.0.0.1/32"]), user_agent="NewsflowTest/1")
    return PagesConnector(sink, fetcher, urls=urls, state_path=tmp_path / "pages.sqlite", **kw)


def test_pages_robots_content_type_and_state(site, tmp_path):
    site.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n")
    site.routes["/a"] = (200, HTML, "<p>Article A é</p>".encode())
    site.routes["/private/b"] = (200, HTML, b"<p>secret</p>")
    site.routes["/c.pdf"] = (200, {"Content-Type": "application/pdf"}, b"%PDF")
    urls = [site.url(p) for p in ("/a", "/private/b", "/c.pdf")]
    sink = MemorySink()
    c = pages(site, tmp_path, sink, urls, per_host_delay=0)
    summary = c.run_once()
    assert summary.delivered == 1 and summary.failed == {"robots": 1, "content_type": 1}
    assert sink.raws[0].html == "<p>Article A é</p>" and sink.raws[0].source == "127.0.0.1"
    assert site.hits("/private/b") == 0
    again = c.run_once()
    assert again.delivered == 0 and again.already_done == 3      # permanent failures are not retried
    c.close()


def test_unreachable_robots_disallows_and_missing_robots_allows(site, tmp_path):
    site.routes["/robots.txt"] = (503, {}, b"")
    site.routes["/a"] = (200, HTML, b"<p>a</p>")
    sink = MemorySink()
    c = pages(site, tmp_path, sink, [site.url("/a")], per_host_delay=0)
    assert c.run_once().failed == {"robots_unavailable": 1} and site.hits("/a") == 0   # tried again later
    c.close()
    del site.routes["/robots.txt"]     # 404: everything allowed
    c = pages(site, tmp_path / "2", sink, [site.url("/a")], per_host_delay=0)
    assert c.run_once().delivered == 1
    c.close()


def test_a_page_the_address_guard_refuses_is_reported_as_blocked(site, tmp_path, caplog):
    """Before, its robots.txt counted as unreachable and the page as a robots refusal."""
    site.routes["/a"] = (200, HTML, b"<p>a</p>")
    c = PagesConnector(MemorySink(), Fetcher(NetworkPolicy()), urls=[site.url("/a")],
                       state_path=tmp_path / "pages.sqlite", per_host_delay=0)
    caplog.set_level("INFO", logger="connectors.pages")
    assert c.run_once().failed == {"blocked": 1}
    assert "is loopback; allow it with --allow-network" in caplog.text and "robots" not in caplog.text
    assert site.hits("/robots.txt") == site.hits("/a") == 0
    c.close()


def test_per_host_delay_spaces_requests(site, tmp_path):
    for i in range(3):
        site.routes[f"/p{i}"] = (200, HTML, b"<p>x</p>")
    c = pages(site, tmp_path, MemorySink(), [site.url(f"/p{i}") for i in range(3)], per_host_delay=0.3,
              concurrency=3, respect_robots=False)
    c.run_once()
    times = sorted(t for path, _, t in site.requests if path.startswith("/p"))
    assert len(times) == 3 and all(b - a >= 0.25 for a, b in zip(times, times[1:]))
    c.close()


def test_sitemap(site, tmp_path):
    site.routes["/sitemap.xml"] = (200, {"Content-Type": "application/xml"}, (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f'<url><loc>{site.url("/s1")}</loc></url><url><loc>{site.url("/s2")}</loc></url></urlset>').encode())
    site.routes["/s1"] = site.routes["/s2"] = (200, HTML, b"<p>s</p>")
    c = PagesConnector(MemorySink(), Fetcher(NetworkPolicy(["127.0.0.1/32"])), sitemaps=[site.url("/sitemap.xml")],
                       state_path=tmp_path / "p.sqlite", per_host_delay=0, respect_robots=False)
    assert c.list_urls() == [site.url("/s1"), site.url("/s2")]
    c.close()



def test_a_stdout_dry_run_does_not_write_the_state_file(site, tmp_path):
    """Before, `ingest urls --stdout` marked the pages it only printed as done in --state, so the next
    real run with that file skipped them (as `ingest rss --stdout` did before b7cf571)."""
    import io
    import sqlite3

    from connectors.sink import StdoutSink
    site.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n")
    site.routes["/a"] = (200, HTML, b"<p>Article A</p>")
    site.routes["/private/b"] = (200, HTML, b"<p>secret</p>")
    urls = [site.url("/a"), site.url("/private/b")]
    out, err = io.StringIO(), io.StringIO()
    c = pages(site, tmp_path, StdoutSink(out=out, err=err), urls, per_host_delay=0)
    summary = c.run_once()
    assert (summary.delivered, summary.failed) == (1, {"robots": 1})
    assert [orjson.loads(line)["id"] for line in out.getvalue().splitlines()] == [site.url("/a")]
    again = c.run_once()   # within the dry run, what it printed is done: a second round prints nothing
    assert (again.delivered, again.already_done) == (0, 2) and out.getvalue().count("\n") == 1
    c.close()
    with sqlite3.connect(tmp_path / "pages.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM seen").fetchone()[0] == 0   # nothing on disk
    # the next real run with the same state file fetches the page again and delivers it
    sink = MemorySink()
    c = pages(site, tmp_path, sink, urls, per_host_delay=0)
    summary = c.run_once()
    assert (summary.delivered, summary.already_done) == (1, 0) and [r.id for r in sink.raws] == [site.url("/a")]
    assert site.hits("/a") == 2
    c.close()

# -- HTTP ingest --------------------------------------------------------------------------------
AUTH = {"Authorization": "Bearer s3cret"}
JSON = {"Content-Type": "application/json"}
JSON_AUTH = {**AUTH, **JSON}
HTML_AUTH = {**AUTH, "Content-Type": "text/html"}


def run_with_client(app, steps):
    async def go():
        async with TestClient(TestServer(app)) as client:
            return await steps(client)
    return asyncio.run(go())


async def _req(client, method, path, **kw):
    response = await client.request(method, path, **kw)
    return response.status, await response.read()


def test_ingest_auth_validation_batch_and_ack():
    sink = MemorySink()
    app = make_app(sink, token="s3cret", max_body=10_000)

    async def steps(client):
        assert (await _req(client, "POST", "/ingest", data=b"{}"))[0] == 401
        assert (await _req(client, "POST", "/ingest", data=b"{}", headers={"Authorization": "Bearer wrong"}))[0] == 401
        status, body = await _req(client, "POST", "/ingest", headers=JSON_AUTH, data=orjson.dumps(
            [{"id": "1", "source": "s", "text": "t"}, {"id": "2", "source": "s"}]))
        answer = orjson.loads(body)
        assert status == 202 and answer["ids"] == ["1"]
        assert [(e["index"], e["reason"]) for e in answer["errors"]] == [(1, "schema")]
        status, body = await _req(client, "POST", "/ingest", headers=JSON_AUTH, data=orjson.dumps(
            [{"id": "2", "source": "s", "html": "<p/>"}]))
        assert status == 202 and orjson.loads(body)["ids"] == ["2"] and [r.id for r in sink.raws] == ["1", "2"]
        assert (await _req(client, "POST", "/ingest", headers=JSON_AUTH, data=b"x" * 20_000))[0] == 413
        status, _ = await _req(client, "POST", "/ingest/html?url=https://n.example/a&source=n", headers=HTML_AUTH,
                               data=b"<p>page</p>")
        assert status == 202 and sink.raws[-1].html == "<p>page</p>" and sink.raws[-1].id == "https://n.example/a"
        assert (await _req(client, "GET", "/healthz"))[0] == 200
        assert (await _req(client, "GET", "/readyz"))[0] == 200
        status, body = await _req(client, "GET", "/metrics")
        assert status == 200 and b"newsflow_ingest_requests_total" in body

    run_with_client(app, steps)


def test_ingest_answers_503_when_kafka_does_not_ack():
    class Down(MemorySink):
        def deliver(self, raws, *, deadline=None):
            time.sleep(0.2)
            raise DeliveryError("no ack", list(raws))

    outages = []
    app = make_app(Down(), token="s3cret", ack_timeout=1.0, on_unavailable=lambda: outages.append(1))

    async def steps(client):
        status, _ = await _req(client, "POST", "/ingest", headers=JSON_AUTH,
                               data=orjson.dumps({"id": "1", "source": "s", "text": "t"}))
        assert status == 503
        assert (await _req(client, "GET", "/readyz"))[0] == 503
        assert outages == [1]  # the server is told, to watch the broker until it answers

    run_with_client(app, steps)


def test_ingest_answers_503_until_connected_and_keeps_nothing_meanwhile():
    sink = MemorySink()
    app = make_app(sink, token="s3cret", connected=False)
    article = orjson.dumps({"id": "1", "source": "s", "text": "t"})

    async def steps(client):
        assert (await _req(client, "GET", "/healthz"))[0] == 200  # alive: not to be restarted
        status, body = await _req(client, "GET", "/readyz")
        assert status == 503 and b"waiting for Kafka" in body
        status, body = await _req(client, "POST", "/ingest", headers=JSON_AUTH, data=article)
        assert status == 503 and orjson.loads(body)["error"] == "unavailable"
        status, _ = await _req(client, "POST", "/ingest/html?url=https://n.example/a&source=n", headers=HTML_AUTH,
                               data=b"<p>page</p>")
        assert status == 503 and sink.raws == []
        assert (await _req(client, "POST", "/ingest", data=article))[0] == 401  # auth still comes first
        app[STATE]["connected"] = True
        assert (await _req(client, "GET", "/readyz"))[0] == 200
        assert (await _req(client, "POST", "/ingest", headers=JSON_AUTH, data=article))[0] == 202
        assert [r.id for r in sink.raws] == ["1"]

    run_with_client(app, steps)


def test_a_long_pass_logs_its_progress(site, tmp_path, caplog):
    site.routes["/robots.txt"] = (404, {}, b"")
    for i in range(4):
        site.routes[f"/p{i}"] = (200, HTML, f"<p>page {i}</p>".encode())
    c = pages(site, tmp_path, MemorySink(), [site.url(f"/p{i}") for i in range(4)], per_host_delay=0,
              progress_every=0.0)
    with caplog.at_level("INFO", logger="connectors.pages"):
        assert c.run_once().delivered == 4
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("pages: ")]
    assert lines[-1] == "pages: 4 of 4 fetched or failed, 0 delivered"
    c.close()


def test_ingest_accepts_the_bearer_scheme_in_any_case_but_the_token_only_exactly():
    sink = MemorySink()
    app = make_app(sink, token="s3cret")
    article = orjson.dumps({"id": "1", "source": "s", "text": "t"})

    async def steps(client):
        for scheme in ("Bearer", "bearer", "BEARER", "bEaReR"):
            status, _ = await _req(client, "POST", "/ingest", headers={**JSON, "Authorization": f"{scheme} s3cret"},
                                   data=article)
            assert status == 202, scheme
        for value in ("bearer S3CRET", "bearer s3cret2", "Basic s3cret", "bearers3cret", "s3cret", "bearer"):
            status, _ = await _req(client, "POST", "/ingest", headers={**JSON, "Authorization": value}, data=article)
            assert status == 401, value

    run_with_client(app, steps)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<b>x</b>",
                                 "file:///etc/passwd", "ftp://n.example/a", "//n.example/a", "http:no-host"])
def test_ingest_refuses_a_url_that_is_not_http_or_https(url):
    sink = MemorySink()
    app = make_app(sink, token="s3cret")

    async def steps(client):
        status, body = await _req(client, "POST", "/ingest", headers=JSON_AUTH, data=orjson.dumps(
            [{"id": "1", "source": "s", "text": "t", "url": "https://n.example/1"},
             {"id": "2", "source": "s", "text": "t", "url": url}]))
        assert status == 202
        [error] = orjson.loads(body)["errors"]
        assert (error["index"], error["reason"], error["field"], error["id"]) == (1, "bad_url", "url", "2")
        assert "url" in error["detail"]
        status, body = await _req(client, "POST", "/ingest/html", params={"url": url, "source": "n"}, headers=HTML_AUTH,
                                  data=b"<p>page</p>")
        assert status == 400
        [error] = orjson.loads(body)["errors"]
        assert (error["reason"], error["field"]) == ("bad_url", "url") and "url parameter" in error["detail"]
        assert [r.id for r in sink.raws] == ["1"]                  # the bad items are dead-lettered instead
        assert [d["reason"] for d in sink.deadletters] == ["bad_url", "bad_url"]
        status, _ = await _req(client, "POST", "/ingest/html", params={"url": "HTTPS://n.example/a", "source": "n"},
                               headers=HTML_AUTH, data=b"<p>page</p>")
        assert status == 202

    run_with_client(app, steps)
