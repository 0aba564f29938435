"""`ingest urls` (PagesConnector) over real HTTP from 127.0.0.1: a stop ends a pass after the requests in
hand, an unreachable robots.txt or a 429 is retried later, redirects are held to robots.txt, gzipped
sitemaps are read, and a record the sink refuses counts as rejected."""
from __future__ import annotations

import gzip
import logging
import sqlite3
import threading
import time

from connectors.net import Fetcher, NetworkPolicy
from connectors.pages import PagesConnector
from connectors.sink import MemorySink

HTML = {"Content-Type": "text/html; charset=utf-8"}
TEXT = {"Content-Type": "text/plain"}


def pages(tmp_path, sink, urls=(), **kw):
    fetcher = Fetcher(NetworkPolicy(["127.0.0.1/32"]), user_agent="NewsflowTest/1")
    kw.setdefault("per_host_delay", 0)
    return PagesConnector(sink, fetcher, urls=list(urls), state_path=tmp_path / "pages.sqlite", **kw)


def states(tmp_path) -> dict[str, str]:
    with sqlite3.connect(tmp_path / "pages.sqlite") as db:
        return dict(db.execute("SELECT item_id, status FROM seen WHERE scope = 'pages'"))


def test_a_stop_ends_the_pass_after_the_requests_in_hand_and_delivers_them(site, tmp_path):
    """Before, every listed URL was still fetched after the stop (20 pages at the host's pace), and
    the pages fetched after it were thrown away."""
    site.routes["/robots.txt"] = (200, TEXT, b"User-agent: *\nCrawl-delay: 0.5\n")
    urls = [site.url(f"/p{i}") for i in range(20)]
    for i in range(20):
        site.routes[f"/p{i}"] = (200, HTML, f"<p>page {i}</p>".encode())
    sink = MemorySink()
    c = pages(tmp_path, sink, urls, concurrency=4)
    threading.Timer(1.2, c.stop_event.set).start()
    started = time.monotonic()
    summary = c.run_once()
    assert time.monotonic() - started < 6
    requested = [site.url(p) for p, _, _ in site.requests if p.startswith("/p")]
    assert 1 <= len(requested) <= 6
    assert sorted(r.id for r in sink.raws) == sorted(requested) and summary.delivered == len(requested)
    assert set(states(tmp_path)) == set(requested)       # the rest is left to the next start
    c.close()


def test_progress_counts_pages_as_they_finish_not_in_list_order(site, tmp_path, caplog):
    """Before, results came back in list order: with a slow first page the line said "0 of 6" when 5 were done."""
    released = threading.Event()
    finished: list[float] = []

    def slow(handler):
        released.wait(5)
        finished.append(time.monotonic())
        return 200, HTML, b"<p>slow</p>"

    class Release(logging.Handler):
        def emit(self, record):
            if record.getMessage().startswith("pages: 5 of 6"):
                self.at = time.monotonic()
                released.set()

    site.routes["/robots.txt"] = (404, TEXT, b"")
    site.routes["/slow"] = slow
    for i in range(5):
        site.routes[f"/f{i}"] = (200, HTML, b"<p>fast</p>")
    release = Release()
    logging.getLogger("connectors.pages").addHandler(release)
    caplog.set_level("INFO", logger="connectors.pages")
    try:
        c = pages(tmp_path, MemorySink(), [site.url("/slow")] + [site.url(f"/f{i}") for i in range(5)],
                  concurrency=2, per_host_concurrency=2, progress_every=0.0)
        assert c.run_once().delivered == 6
    finally:
        logging.getLogger("connectors.pages").removeHandler(release)
    assert getattr(release, "at", float("inf")) < finished[0]
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("pages: ")]
    assert lines[-1].startswith("pages: 6 of 6 fetched or failed")
    c.close()


def test_an_unreachable_robots_txt_is_retried_later_and_fetched_once(site, tmp_path):
    """Before, its pages were stored as failed for good, and every worker fetched robots.txt itself."""
    site.routes["/robots.txt"] = (503, TEXT, b"busy")
    urls = [site.url(f"/p{i}") for i in range(4)]
    for i in range(4):
        site.routes[f"/p{i}"] = (200, HTML, b"<p>x</p>")
    sink = MemorySink()
    c = pages(tmp_path, sink, urls, concurrency=4, per_host_concurrency=4)
    summary = c.run_once()
    assert summary.failed == {"robots_unavailable": 4} and site.hits("/robots.txt") == 1
    assert states(tmp_path) == {} and sum(site.hits(f"/p{i}") for i in range(4)) == 0
    site.routes["/robots.txt"] = (200, TEXT, b"User-agent: *\nAllow: /\n")
    c.polite.robots_ttl = 0.0            # the hour the unreachable robots.txt is cached for is over
    again = c.run_once()
    assert again.delivered == 4 and again.already_done == 0 and sorted(r.id for r in sink.raws) == sorted(urls)
    c.close()


def test_a_redirect_to_a_disallowed_page_is_a_robots_failure(site, tmp_path):
    """Before, the redirect was followed without a robots.txt check."""
    site.routes["/robots.txt"] = (200, TEXT, b"User-agent: *\nDisallow: /private/\n")
    site.routes["/go"] = (301, {"Location": "/private/x"}, b"")
    site.routes["/private/x"] = (200, HTML, b"<p>secret</p>")
    sink = MemorySink()
    c = pages(tmp_path, sink, [site.url("/go")])
    assert c.run_once().failed == {"robots": 1}
    assert site.hits("/private/x") == 0 and sink.raws == [] and states(tmp_path) == {site.url("/go"): "failed:robots"}
    c.close()


def test_429_is_retried_later_after_its_retry_after(site, tmp_path):
    """Before, a 429 was a permanent 4xx: the page was stored as failed and never fetched again."""
    site.routes["/robots.txt"] = (404, TEXT, b"")
    site.routes["/a"] = (429, {**TEXT, "Retry-After": "1"}, b"slow down")
    sink = MemorySink()
    c = pages(tmp_path, sink, [site.url("/a")])
    assert c.run_once().failed == {"http_429": 1} and states(tmp_path) == {}
    site.routes["/a"] = (200, HTML, b"<p>a</p>")
    assert c.run_once().delivered == 1 and [r.id for r in sink.raws] == [site.url("/a")]
    times = [t for p, _, t in site.requests if p == "/a"]
    assert times[1] - times[0] >= 0.9         # the host was not asked again before its Retry-After
    c.close()


def test_a_gzipped_sitemap_is_read(site, tmp_path, caplog):
    """Before, sitemap.xml.gz (application/x-gzip, no Content-Encoding) was "not usable XML"."""
    body = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f'<url><loc>{site.url("/s1")}</loc></url></urlset>').encode()
    site.routes["/robots.txt"] = (404, TEXT, b"")
    site.routes["/sitemap.xml.gz"] = (200, {"Content-Type": "application/x-gzip"}, gzip.compress(body))
    site.routes["/bomb.xml.gz"] = (200, {"Content-Type": "application/x-gzip"}, gzip.compress(b" " * 3_000_000))
    c = pages(tmp_path, MemorySink(), sitemaps=[site.url("/sitemap.xml.gz"), site.url("/bomb.xml.gz")])
    c.fetcher.max_bytes = 1_000_000            # the bomb inflates past the body limit: refused, not read
    with caplog.at_level("WARNING", logger="connectors.pages"):
        assert c.list_urls() == [site.url("/s1")]
    assert "too_large" in caplog.text and "over 1000000 bytes once gunzipped" in caplog.text
    c.close()


def test_a_page_the_sink_refuses_counts_as_rejected_not_delivered(site, tmp_path):
    site.routes["/robots.txt"] = (404, TEXT, b"")
    site.routes["/small"] = (200, HTML, b"<p>small</p>")
    site.routes["/big"] = (200, HTML, b"<p>" + b"x" * 5000 + b"</p>")
    sink = MemorySink(max_record_bytes=2000)
    c = pages(tmp_path, sink, [site.url("/small"), site.url("/big")])
    summary = c.run_once()
    assert (summary.fetched, summary.delivered, dict(summary.rejected)) == (2, 1, {"too_large": 1})
    assert "1 delivered" in summary.describe() and "rejected: too_large=1" in summary.describe()
    assert states(tmp_path) == {site.url("/small"): "emitted", site.url("/big"): "rejected"}
    assert [d["reason"] for d in sink.deadletters] == ["too_large"]
    c.close()


def test_a_url_list_that_starts_with_a_utf8_bom_fetches_its_first_url(site, tmp_path):
    """The mark was read as part of the first URL, which then failed as "not an http(s) URL"."""
    site.routes["/robots.txt"] = (404, TEXT, b"")
    site.routes["/one"] = (200, HTML, b"<p>one</p>")
    listing = tmp_path / "urls.txt"
    listing.write_bytes(b"\xef\xbb\xbf" + f"{site.url('/one')}\n# a comment\n".encode())
    sink = MemorySink()
    c = pages(tmp_path, sink, url_file=str(listing))
    summary = c.run_once()
    assert (summary.urls, summary.delivered, dict(summary.failed)) == (1, 1, {})
    assert sink.raws[0].url == site.url("/one")
    c.close()
