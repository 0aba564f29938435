"""The page scraper (connectors/net.py, polite.py, pages.py) against sites that misbehave: headers
sent a byte at a time, compressed bodies that unpack to gigabytes, redirects to addresses that are
no URL, a robots.txt larger than the fetcher's limit, 6to4 addresses of private hosts. Every site
is a real HTTP server on 127.0.0.1 (the ``site`` fixture)."""
from __future__ import annotations

import gzip
import threading
import time
import tracemalloc
import zlib

import pytest

from connectors.net import Blocked, FetchError, Fetcher, NetworkPolicy
from connectors.pages import PagesConnector
from connectors.polite import PoliteFetcher
from connectors.sink import MemorySink

HTML = {"Content-Type": "text/html; charset=utf-8"}
LOCAL = ["127.0.0.1/32"]


def fetch(site, path, **kw):
    return Fetcher(NetworkPolicy(LOCAL), **kw).get(site.url(path))


def test_headers_sent_a_byte_at_a_time_are_cut_at_the_total_time_limit(site):
    """Before, --timeout was only checked between body chunks and httpx's own timeouts are per read:
    a server that sent its status line and headers a byte every 0.2 s held the request until it had
    sent them all (a minute here; days for one that sends 64 KB of headers a byte every 10 s)."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Pad: " + b"a" * 250 + b"\r\nContent-Length: 2\r\n\r\nok"
    sent, done = [], threading.Event()

    def dribble(handler):
        try:
            for byte in head:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                sent.append(byte)
                time.sleep(0.2)
        except OSError:   # the client hung up
            pass
        done.set()
        return 200, {}, None

    site.routes["/dribble"] = dribble
    with pytest.raises(FetchError) as info:
        fetch(site, "/dribble", timeout=1.0)
    assert info.value.reason == "timeout" and "within 1s" in info.value.detail
    assert done.wait(120)   # the server notices the hang-up at a next write
    assert len(sent) < len(head)


def test_a_compressed_body_is_unpacked_within_the_size_limit_not_whole_first(site):
    """Before, httpx unpacked each chunk whole and only then was the size checked: 2 KB of gzip in
    gzip ("Content-Encoding: gzip, gzip") holding 1 GB of zeros took 1 GB of memory."""
    inner = 128 * 1024 * 1024
    site.routes["/bomb"] = (200, {**HTML, "Content-Encoding": "gzip, gzip"},
                            gzip.compress(gzip.compress(b"\0" * inner, 9), 9))
    tracemalloc.start()
    try:
        with pytest.raises(FetchError) as info:
            fetch(site, "/bomb", max_bytes=1024 * 1024)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < inner // 8
    assert info.value.reason == "too_large" and "once unpacked" in info.value.detail


def test_bodies_in_every_content_coding_asked_for_are_unpacked(site):
    """x-gzip, which RFC 9110 has read as gzip, was stored still packed before: httpx does not know it."""
    page = "<p>Zürich: the lake froze over.</p>".encode() * 50
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    bodies = {"gzip": gzip.compress(page), "x-gzip": gzip.compress(page), "deflate": zlib.compress(page),
              "Deflate": raw.compress(page) + raw.flush(), "gzip, gzip": gzip.compress(gzip.compress(page)),
              "identity": page, "gzip-members": gzip.compress(page[:100]) + gzip.compress(page[100:]),
              "gzip-junk": gzip.compress(page) + b"\0\0junk"}
    for number, (coding, body) in enumerate(bodies.items()):
        sent_as = coding.removesuffix("-members").removesuffix("-junk")
        site.routes[f"/{number}"] = (200, {**HTML, "Content-Encoding": sent_as}, body)
        assert fetch(site, f"/{number}").content == page, coding
    site.routes["/br"] = (200, {**HTML, "Content-Encoding": "br"}, b"\x0b\x02\x80ok\x03")
    with pytest.raises(FetchError) as info:
        fetch(site, "/br")
    assert info.value.reason == "bad_encoding" and "'br' was not asked for" in info.value.detail


@pytest.mark.parametrize("location", ["javascript:alert(1)", "mailto:desk@news.example"])
def test_a_redirect_to_an_address_that_is_no_url_is_a_bad_url_not_a_connection_error(site, tmp_path, location):
    """Before, httpx's InvalidURL for the Location made it `connect`, a temporary failure: the page
    was fetched again on every round, for ever."""
    site.routes["/robots.txt"] = (404, {}, b"")
    site.routes["/moved"] = (302, {"Location": location}, b"")
    with pytest.raises(FetchError) as info:
        fetch(site, "/moved")
    assert info.value.reason == "bad_url" and site.url("/moved") in info.value.detail
    connector = PagesConnector(MemorySink(), Fetcher(NetworkPolicy(LOCAL)), urls=[site.url("/moved")],
                               state_path=tmp_path / "pages.sqlite", per_host_delay=0)
    try:
        assert dict(connector.run_once().failed) == {"bad_url": 1}
        assert connector.run_once().already_done == 1   # marked failed: not fetched again
    finally:
        connector.close()


def test_a_robots_txt_larger_than_the_limit_is_obeyed_up_to_it(site):
    """RFC 9309 2.5: a crawler parses at least the first 500 KiB. Before, a robots.txt over 512 KiB was
    `unreachable`: every page of the site failed as robots_unavailable, on every round, for good."""
    rules = b"User-agent: *\nDisallow: /private\n"
    site.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"},
                                  rules + b"".join(b"# comment line %06d\n" % i for i in range(40_000))
                                  + b"Disallow: /a\n")   # past the limit: not read
    site.routes["/a"] = (200, HTML, b"<p>open</p>")
    polite = PoliteFetcher(Fetcher(NetworkPolicy(LOCAL)), per_host_delay=0)
    assert polite.get(site.url("/a")).content == b"<p>open</p>"
    with pytest.raises(FetchError) as info:
        polite.get(site.url("/private/x"))
    assert info.value.reason == "robots"


def test_a_robots_txt_cut_at_the_limit_loses_its_partial_last_line(site):
    head = b"User-agent: *\nDisallow: /x\n" + b"#" * (512 * 1024 - 40) + b"\n"
    site.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, head + b"Allow: /x/open-to-all\n")
    site.routes["/x/open"] = (200, HTML, b"<p>x</p>")
    polite = PoliteFetcher(Fetcher(NetworkPolicy(LOCAL)), per_host_delay=0)
    with pytest.raises(FetchError) as info:   # "Allow: /x/open" alone, cut there, would allow it
        polite.get(site.url("/x/open"))
    assert info.value.reason == "robots"


@pytest.mark.parametrize("address, embedded", [("2002:7f00:1::1", "127.0.0.1"), ("2002:a00:1::", "10.0.0.1"),
                                               ("2002:a9fe:a9fe::1", "169.254.169.254")])
def test_a_6to4_address_of_a_host_the_guard_refuses_is_refused(address, embedded):
    """2002:a.b.c.d::/48 is carried to a.b.c.d; before, such an address passed as public."""
    with pytest.raises(Blocked) as info:
        NetworkPolicy().check_ip(address)
    assert f"6to4 of {embedded}" in info.value.detail
    NetworkPolicy().check_ip("2002:5db8:d70e::1")   # 93.184.215.14, public: allowed
