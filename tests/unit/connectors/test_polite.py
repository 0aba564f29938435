"""connectors/polite.py over real HTTP from 127.0.0.1: robots.txt on every redirect hop, one robots.txt
fetch per host, per-host spacing of hops, Retry-After."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from connectors.net import FetchError, Fetcher, NetworkPolicy, parse_retry_after
from connectors.polite import PoliteFetcher, is_permanent

from .conftest import Site

HTML = {"Content-Type": "text/html"}
TEXT = {"Content-Type": "text/plain"}


def polite(**kw) -> PoliteFetcher:
    return PoliteFetcher(Fetcher(NetworkPolicy(["127.0.0.1/32"]), user_agent="NewsflowTest/1"), **kw)


def test_a_redirect_to_a_page_its_host_disallows_is_a_robots_failure(site):
    """Before, only the URL asked for was checked: a redirect to another host reached a disallowed page."""
    other = Site()
    try:
        other.routes["/robots.txt"] = (200, TEXT, b"User-agent: *\nDisallow: /private/\n")
        other.routes["/private/x"] = (200, HTML, b"<p>secret</p>")
        site.routes["/go"] = (302, {"Location": other.url("/private/x")}, b"")
        fetcher = polite(per_host_delay=0)
        with pytest.raises(FetchError) as caught:
            fetcher.get(site.url("/go"))
        assert caught.value.reason == "robots" and is_permanent(caught.value)
        assert other.hits("/robots.txt") == 1 and other.hits("/private/x") == 0
        fetcher.close()
    finally:
        other.close()


def test_redirect_hops_are_spaced_per_host(site):
    """Before, a chain of redirects on one host arrived in the same instant."""
    for i in range(3):
        site.routes[f"/hop{i}"] = (301, {"Location": f"/hop{i + 1}"}, b"")
    site.routes["/hop3"] = (200, HTML, b"<p>end</p>")
    fetcher = polite(per_host_delay=0.3, respect_robots=False)
    assert fetcher.get(site.url("/hop0")).url == site.url("/hop3")
    times = [t for path, _, t in site.requests if path.startswith("/hop")]
    assert len(times) == 4 and all(b - a >= 0.25 for a, b in zip(times, times[1:]))
    fetcher.close()


def test_robots_txt_is_fetched_once_per_host_by_concurrent_workers(site):
    site.routes["/robots.txt"] = (200, TEXT, b"User-agent: *\nAllow: /\n")
    for i in range(4):
        site.routes[f"/p{i}"] = (200, HTML, b"<p>x</p>")
    fetcher = polite(per_host_delay=0, per_host_concurrency=4)
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda i: fetcher.get(site.url(f"/p{i}")), range(4)))
    assert site.hits("/robots.txt") == 1 and sum(site.hits(f"/p{i}") for i in range(4)) == 4
    fetcher.close()


def test_unreachable_robots_is_temporary_a_disallow_permanent(site):
    site.routes["/robots.txt"] = (503, TEXT, b"busy")
    site.routes["/a"] = (200, HTML, b"<p>a</p>")
    fetcher = polite(per_host_delay=0)
    with pytest.raises(FetchError) as caught:
        fetcher.get(site.url("/a"))
    assert caught.value.reason == "robots_unavailable" and not is_permanent(caught.value)
    assert site.hits("/a") == 0
    fetcher.close()


def test_retry_after_holds_the_host_and_429_is_temporary(site):
    site.routes["/robots.txt"] = (404, TEXT, b"")
    site.routes["/busy"] = (429, {**TEXT, "Retry-After": "1"}, b"slow down")
    site.routes["/b"] = (200, HTML, b"<p>b</p>")
    fetcher = polite(per_host_delay=0)
    with pytest.raises(FetchError) as caught:
        fetcher.get(site.url("/busy"))
    assert caught.value.status == 429 and not is_permanent(caught.value)
    fetcher.get(site.url("/b"))
    [busy] = [t for path, _, t in site.requests if path == "/busy"]
    [b] = [t for path, _, t in site.requests if path == "/b"]
    assert b - busy >= 0.9
    fetcher.close()


def test_a_stop_ends_a_wait_for_the_host_without_a_request(site):
    site.routes["/robots.txt"] = (404, TEXT, b"")
    site.routes["/busy"] = (503, {**TEXT, "Retry-After": "30"}, b"")
    stop = threading.Event()
    fetcher = polite(per_host_delay=0, stop_event=stop)
    with pytest.raises(FetchError):
        fetcher.get(site.url("/busy"))
    threading.Timer(0.5, stop.set).start()
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetcher.get(site.url("/busy"))
    assert caught.value.reason == "stopped" and time.monotonic() - started < 10 and site.hits("/busy") == 1
    fetcher.close()


def test_a_long_retry_after_fails_the_hosts_next_pages_at_once_as_temporary(site):
    site.routes["/robots.txt"] = (404, TEXT, b"")
    site.routes["/busy"] = (429, {**TEXT, "Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"}, b"")
    site.routes["/b"] = (200, HTML, b"<p>b</p>")
    fetcher = polite(per_host_delay=0)
    with pytest.raises(FetchError):
        fetcher.get(site.url("/busy"))
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetcher.get(site.url("/b"))
    assert caught.value.reason == "retry_after" and not is_permanent(caught.value)
    assert time.monotonic() - started < 5 and site.hits("/b") == 0
    fetcher.close()


def test_parse_retry_after():
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480 - 30) == 30.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


@pytest.mark.parametrize("encoded", [
    lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),      # Windows editors save robots.txt so
    lambda text: text.encode("utf-16"),                       # with its byte-order mark
])
def test_a_robots_txt_with_a_byte_order_mark_is_obeyed(site, encoded):
    """The mark was read as part of the first line, "\\ufeffUser-agent: *": no crawler's group, so
    its Disallow lines were ignored and the private pages fetched."""
    site.routes["/robots.txt"] = (200, TEXT, encoded("User-agent: *\r\nDisallow: /private/\r\n"))
    site.routes["/private/x"] = (200, HTML, b"<p>secret</p>")
    site.routes["/public"] = (200, HTML, b"<p>news</p>")
    fetcher = polite(per_host_delay=0)
    with pytest.raises(FetchError) as caught:
        fetcher.get(site.url("/private/x"))
    assert caught.value.reason == "robots" and site.hits("/private/x") == 0
    assert fetcher.get(site.url("/public")).status == 200
    fetcher.close()
