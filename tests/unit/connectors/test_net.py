from __future__ import annotations

import time

import pytest

from connectors.net import Blocked, FetchError, Fetcher, NetworkPolicy, system_resolver

HTML = {"Content-Type": "text/html; charset=utf-8"}


def fetcher(allow=(), resolver=None, **kw):
    return Fetcher(NetworkPolicy(allow, resolver=resolver), **kw)


@pytest.mark.parametrize("address, reason", [
    ("127.0.0.1", "loopback"), ("10.1.2.3", "private"), ("192.168.0.1", "private"), ("172.16.5.4", "private"),
    ("169.254.1.1", "link-local"), ("169.254.169.254", "cloud-metadata"), ("fd00:ec2::254", "cloud-metadata"),
    ("224.0.0.1", "multicast"), ("0.0.0.0", "unspecified"), ("::", "unspecified"), ("::1", "loopback"),
    ("240.0.0.1", "reserved"), ("100.64.0.1", "not-global"), ("::ffff:127.0.0.1", "loopback"),
    ("fe80::1", "link-local"),
])
def test_policy_refuses_non_public_addresses(address, reason):
    with pytest.raises(Blocked) as info:
        NetworkPolicy().check_ip(address)
    assert reason in info.value.detail


def test_policy_allows_public_and_allowed_networks():
    NetworkPolicy().check_ip("93.184.215.14")
    NetworkPolicy().check_ip("2606:4700::1111")
    NetworkPolicy(["127.0.0.1/32"]).check_ip("127.0.0.1")
    with pytest.raises(Blocked):
        NetworkPolicy(["127.0.0.1/32"]).check_ip("127.0.0.2")
    # metadata stays closed under a broad allowance, opens only when named exactly
    with pytest.raises(Blocked):
        NetworkPolicy(["169.254.0.0/16"]).check_ip("169.254.169.254")
    NetworkPolicy(["169.254.169.254/32"]).check_ip("169.254.169.254")


def test_direct_loopback_request_is_blocked_without_allowance(site):
    site.routes["/"] = (200, HTML, b"secret")
    with pytest.raises(Blocked):
        fetcher().get(site.url("/"))
    assert site.hits("/") == 0
    assert fetcher(["127.0.0.1/32"]).get(site.url("/")).content == b"secret"


def test_localhost_name_is_resolved_and_blocked(site):
    site.routes["/"] = (200, HTML, b"secret")
    with pytest.raises(Blocked):
        fetcher().get(site.url("/", host="localhost"))
    assert site.hits("/") == 0


def test_name_resolving_to_loopback_via_resolver_hook(site):
    site.routes["/"] = (200, HTML, b"secret")

    def resolver(host, port):
        return ["127.0.0.1"] if host == "rebind.example" else system_resolver(host, port)

    with pytest.raises(Blocked):
        fetcher(resolver=resolver).get(site.url("/", host="rebind.example"))
    assert site.hits("/") == 0
    # allowed: the request goes to the vetted address and keeps the name in the Host header
    response = fetcher(["127.0.0.1/32"], resolver=resolver).get(site.url("/", host="rebind.example"))
    assert response.content == b"secret"
    assert site.requests[-1][1]["Host"] == f"rebind.example:{site.port}"


def test_connects_to_the_vetted_address_only(site):
    """A resolver answering a blocked address first and an allowed one second: the allowed one is used."""
    site.routes["/"] = (200, HTML, b"ok")
    calls = []

    def resolver(host, port):
        calls.append(host)
        return ["169.254.169.254", "127.0.0.1"]

    response = fetcher(["127.0.0.1/32"], resolver=resolver).get(site.url("/", host="mixed.example"))
    assert response.content == b"ok" and calls == ["mixed.example"]


def test_redirect_to_a_blocked_address_is_refused(site):
    site.routes["/jump"] = (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b"")
    site.routes["/jump-local"] = (302, {"Location": f"http://localhost:{site.port}/inner"}, b"")
    site.routes["/inner"] = (200, HTML, b"inner")

    def resolver(host, port):
        return ["127.0.0.1"] if host == "outer.example" else system_resolver(host, port)

    # the first hop is allowed (the test network), the second goes to metadata: refused
    with pytest.raises(Blocked) as info:
        fetcher(["127.0.0.1/32"], resolver=resolver).get(site.url("/jump", host="outer.example"))
    assert "cloud-metadata" in info.value.detail
    # a "public" first hop (simulated) redirecting to localhost: the second hop is resolved and refused
    class PublicOuter(NetworkPolicy):
        def vet(self, host, port):
            return "127.0.0.1" if host == "outer.example" else super().vet(host, port)

    with pytest.raises(Blocked) as info:
        Fetcher(PublicOuter()).get(site.url("/jump-local", host="outer.example"))
    assert "loopback" in info.value.detail
    assert site.hits("/jump-local") == 1 and site.hits("/inner") == 0
    # and a redirect to a name that the resolver hook maps to a private address
    site.routes["/jump-name"] = (302, {"Location": f"http://intranet.example:{site.port}/inner"}, b"")
    policy = PublicOuter(resolver=lambda host, port: ["10.0.0.7"])
    with pytest.raises(Blocked) as info:
        Fetcher(policy).get(site.url("/jump-name", host="outer.example"))
    assert "10.0.0.7 is private" in info.value.detail
    # with the allowance, the redirect is followed and reported
    response = fetcher(["127.0.0.1/32"]).get(site.url("/jump-local"))
    assert response.content == b"inner" and response.redirects == [f"http://localhost:{site.port}/inner"]


def test_redirect_limit(site):
    site.routes["/loop"] = (302, {"Location": "/loop"}, b"")
    with pytest.raises(FetchError) as info:
        fetcher(["127.0.0.1/32"], max_redirects=3).get(site.url("/loop"))
    assert info.value.reason == "too_many_redirects"
    assert site.hits("/loop") == 4


def test_a_redirect_to_no_url_is_a_bad_url(site):
    # urljoin raised ValueError ("Invalid IPv6 URL") out of the fetcher, past every FetchError handler
    site.routes["/moved"] = (302, {"Location": "http://[oops/x"}, b"")
    with pytest.raises(FetchError) as info:
        fetcher(["127.0.0.1/32"]).get(site.url("/moved"))
    assert info.value.reason == "bad_url" and "http://[oops/x" in info.value.detail


def test_body_size_limit_with_and_without_content_length(site):
    site.routes["/big"] = (200, HTML, b"x" * 5000)

    def chunked(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        for _ in range(100):
            handler.wfile.write(b"3e8\r\n" + b"y" * 1000 + b"\r\n")
        handler.wfile.write(b"0\r\n\r\n")
        return 200, {}, None

    site.routes["/stream"] = chunked
    f = fetcher(["127.0.0.1/32"], max_bytes=4096)
    for path in ("/big", "/stream"):
        with pytest.raises(FetchError) as info:
            f.get(site.url(path))
        assert info.value.reason == "too_large"
    assert len(fetcher(["127.0.0.1/32"], max_bytes=200_000).get(site.url("/stream")).content) == 100_000


def test_slow_body_hits_the_total_time_limit(site):
    def drip(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        try:
            for _ in range(40):
                handler.wfile.write(b"1\r\nx\r\n")
                handler.wfile.flush()
                time.sleep(0.1)
            handler.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass
        return 200, {}, None

    site.routes["/drip"] = drip
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetcher(["127.0.0.1/32"], timeout=1.0).get(site.url("/drip"))
    assert info.value.reason == "timeout"
    assert time.monotonic() - started < 2.5


def test_content_type_check_and_http_errors(site):
    site.routes["/pdf"] = (200, {"Content-Type": "application/pdf"}, b"%PDF")
    site.routes["/gone"] = (410, HTML, b"gone")
    f = fetcher(["127.0.0.1/32"])
    with pytest.raises(FetchError) as info:
        f.get(site.url("/pdf"), accept_types=("text/html", "application/xhtml+xml"))
    assert info.value.reason == "content_type"
    with pytest.raises(FetchError) as info:
        f.get(site.url("/gone"))
    assert info.value.reason == "http_410" and info.value.status == 410


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x", "http://user:pw@example.com/",
                                 "http:///nohost"])
def test_bad_urls(url):
    with pytest.raises(FetchError) as info:
        fetcher().get(url)
    assert info.value.reason == "bad_url"


def test_user_agent_is_sent(site):
    site.routes["/"] = (200, HTML, b"ok")
    fetcher(["127.0.0.1/32"], user_agent="TestBot/9").get(site.url("/"))
    assert site.requests[-1][1]["User-Agent"] == "TestBot/9"
