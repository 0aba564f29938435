"""Outbound HTTP for connectors: an SSRF guard and a bounded fetcher.

:class:`NetworkPolicy` resolves a host name itself and refuses loopback, private, link-local,
multicast, reserved, unspecified, shared (CGNAT) and cloud-metadata addresses unless a configured
``--allow-network`` CIDR covers them. :class:`Fetcher` then connects to the *vetted IP address*
(the Host header and TLS SNI keep the name), so a DNS answer cannot change between the check and
the connection, and follows redirects itself so every hop is checked the same way. Bodies are
streamed and cut at ``max_bytes``; one request has a total time limit, body included.
"""
from __future__ import annotations

import contextlib
import dataclasses
import email.utils
import ipaddress
import logging
import socket
import time
import zlib
from typing import Callable, ContextManager, Iterable, Sequence
from urllib.parse import urljoin, urlsplit

import httpx

from . import metrics

log = logging.getLogger(__name__)

DEFAULT_USER_AGENT = "NewsflowBot/0.1 (+https://newsflow.dev/bot)"
METADATA_ADDRESSES = frozenset({ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254"),
                                ipaddress.ip_address("100.100.100.200")})
REDIRECT_CODES = {301, 302, 303, 307, 308}

Resolver = Callable[[str, int], Sequence[str]]


class FetchError(Exception):
    """A request that did not give a usable response; ``reason`` is short and machine-readable."""

    def __init__(self, reason: str, detail: str, *, status: int | None = None, url: str | None = None,
                 retry_after: float | None = None):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.status = status
        self.url = url                    # the URL that answered (the last hop), when there was an answer
        self.retry_after = retry_after    # seconds the server asked to wait (Retry-After), if it said


class Blocked(FetchError):
    """The SSRF guard refused the destination."""


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date (RFC 9110 10.2.3); None if unreadable."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def gunzip_bounded(data: bytes, limit: int, what: str = "body") -> bytes:
    """Gunzip ``data`` (gzip members) but never past ``limit`` bytes of output: a small gzip bomb can
    inflate to gigabytes, so the output is cut and refused as too_large instead."""
    out = bytearray()
    while data:
        inflater = zlib.decompressobj(wbits=31)
        try:
            out += inflater.decompress(data, limit + 1 - len(out))
        except zlib.error as exc:
            raise FetchError("bad_encoding", f"{what}: not valid gzip: {exc}") from None
        if len(out) > limit or inflater.unconsumed_tail:
            raise FetchError("too_large", f"{what}: over {limit} bytes once gunzipped")
        if not inflater.eof:
            raise FetchError("bad_encoding", f"{what}: gzip data is cut short")
        data = inflater.unused_data
    return bytes(out)


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[str] = []
    for info in infos:
        address = info[4][0]
        if address not in seen:
            seen.append(address)
    return seen


def blocked_reason(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why ``ip`` is not a public destination, or None when it is."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return blocked_reason(ip.ipv4_mapped)
    if ip in METADATA_ADDRESSES:
        return "cloud-metadata"
    for attribute in ("is_loopback", "is_unspecified", "is_link_local", "is_multicast", "is_reserved",
                      "is_private"):
        if getattr(ip, attribute):
            return attribute[3:].replace("_", "-")
    if not ip.is_global:
        return "not-global"
    return None


class NetworkPolicy:
    """Decides which addresses outbound requests may reach."""

    def __init__(self, allow: Iterable[str] = (), resolver: Resolver | None = None):
        self.allow = [ipaddress.ip_network(cidr.strip(), strict=False) for cidr in allow if cidr and cidr.strip()]
        self.resolver = resolver or system_resolver

    def check_ip(self, address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        reason = blocked_reason(ip)
        if reason is None:
            return ip
        candidates = [ip] + ([ip.ipv4_mapped] if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped else [])
        for network in self.allow:
            for candidate in candidates:
                if candidate.version == network.version and candidate in network:
                    # metadata endpoints open only when allowed by exactly their own address
                    if reason == "cloud-metadata" and network.num_addresses != 1:
                        continue
                    return ip
        raise Blocked("blocked", f"{ip} is {reason}; allow it with --allow-network if this deployment needs it")

    def vet(self, host: str, port: int) -> str:
        """The first address of ``host`` that may be reached; Blocked if none may."""
        host = host.strip("[]")
        try:
            ipaddress.ip_address(host.split("%", 1)[0])
            addresses = [host]
        except ValueError:
            try:
                addresses = list(self.resolver(host, port))
            except (OSError, UnicodeError) as exc:
                raise FetchError("dns", f"cannot resolve {host!r}: {exc}") from None
        if not addresses:
            raise FetchError("dns", f"{host!r} resolves to no address")
        refusals = []
        for address in addresses:
            try:
                self.check_ip(address)
                return address
            except Blocked as exc:
                refusals.append(exc.detail)
        raise Blocked("blocked", f"{host} -> " + "; ".join(refusals))


@dataclasses.dataclass
class Response:
    url: str                    # the final URL, after redirects
    status: int
    headers: httpx.Headers
    content: bytes
    redirects: list[str]
    elapsed: float

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'")
        return None


class Fetcher:
    """GET with the SSRF guard, manual redirects, a total time limit and a body size limit."""

    def __init__(self, policy: NetworkPolicy | None = None, *, user_agent: str = DEFAULT_USER_AGENT,
                 timeout: float = 15.0, connect_timeout: float = 5.0, max_bytes: int = 5 * 1024 * 1024,
                 max_redirects: int = 5, connector: str = "http", verify: bool | str = True):
        self.policy = policy or NetworkPolicy()
        self.user_agent = user_agent
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.connector = connector
        self._client = httpx.Client(
            timeout=httpx.Timeout(min(timeout, 30.0), connect=min(connect_timeout, timeout)),
            follow_redirects=False, trust_env=False, verify=verify,
            limits=httpx.Limits(max_connections=20, max_keepalive_connections=0),
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
        )

    def close(self) -> None:
        self._client.close()

    def get(self, url: str, headers: dict[str, str] | None = None, *,
            accept_types: Sequence[str] | None = None, max_bytes: int | None = None,
            hop: Callable[[str], ContextManager] | None = None) -> Response:
        """Fetch ``url``; 2xx and 304 are returned, every other outcome raises FetchError.

        ``hop(url)``, when given, is entered around every request, redirect hops included (see
        connectors/polite.py: robots.txt and per-host spacing); the time spent entering it (waiting
        for a host's turn) does not count against the timeout, which is for the network."""
        started = time.monotonic()
        deadline = started + self.timeout
        limit = max_bytes or self.max_bytes
        redirects: list[str] = []
        current = url
        try:
            while True:
                entered = time.monotonic()
                with hop(current) if hop else contextlib.nullcontext():
                    deadline += time.monotonic() - entered
                    status, response_headers, content = self._one(current, headers or {}, deadline, limit)
                if status in REDIRECT_CODES and "location" in response_headers:
                    if len(redirects) >= self.max_redirects:
                        raise FetchError("too_many_redirects", f"more than {self.max_redirects} redirects from {url}")
                    location = response_headers["location"].strip()
                    try:
                        target = urljoin(current, location)
                    except ValueError as exc:  # "http://[oops/x": no address to follow
                        raise FetchError("bad_url", f"{current} redirects to {location!r}: {exc}") from None
                    redirects.append(target)
                    current = target
                    continue
                break
        except FetchError as exc:
            metrics.FETCHES.labels(self.connector, exc.reason).inc()
            raise
        response = Response(current, status, response_headers, content, redirects, time.monotonic() - started)
        if status == 304:
            metrics.FETCHES.labels(self.connector, "not_modified").inc()
            return response
        if not 200 <= status < 300:
            metrics.FETCHES.labels(self.connector, f"http_{status // 100}xx").inc()
            raise FetchError(f"http_{status}", f"{current} answered {status}", status=status, url=current,
                             retry_after=parse_retry_after(response_headers.get("retry-after")))
        if accept_types is not None and response.content_type not in accept_types:
            metrics.FETCHES.labels(self.connector, "content_type").inc()
            raise FetchError("content_type", f"{current} is {response.content_type or 'untyped'},"
                                             f" expected {', '.join(accept_types)}", status=status)
        metrics.FETCHES.labels(self.connector, "ok").inc()
        return response

    def _one(self, url: str, headers: dict[str, str], deadline: float, limit: int):
        try:
            parts = urlsplit(url)
        except ValueError as exc:
            raise FetchError("bad_url", f"{url!r}: {exc}") from None
        if parts.scheme not in ("http", "https"):
            raise FetchError("bad_url", f"{url!r}: only http and https are fetched")
        if not parts.hostname:
            raise FetchError("bad_url", f"{url!r} has no host")
        if parts.username or parts.password:
            raise FetchError("bad_url", f"{url!r}: credentials in URLs are not sent")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as exc:
            raise FetchError("bad_url", f"{url!r}: {exc}") from None
        host = parts.hostname
        address = self.policy.vet(host, port)
        try:
            request_url = httpx.URL(url)
            host_header = request_url.netloc.decode("ascii")
            request_url = request_url.copy_with(host=address)
        except (httpx.InvalidURL, ValueError, UnicodeError) as exc:
            raise FetchError("bad_url", f"{url!r}: {exc}") from None
        request_headers = {**headers, "Host": host_header}
        extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError("timeout", f"{url}: no time left")
        try:
            with self._client.stream("GET", request_url, headers=request_headers, extensions=extensions) as response:
                length = response.headers.get("content-length")
                if length and length.isdigit() and int(length) > limit and response.status_code < 300:
                    raise FetchError("too_large", f"{url}: Content-Length {length} is over {limit} bytes")
                chunks: list[bytes] = []
                size = 0
                if response.status_code < 300:
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > limit:
                            raise FetchError("too_large", f"{url}: body is over {limit} bytes")
                        chunks.append(chunk)
                        if time.monotonic() > deadline:
                            raise FetchError("timeout", f"{url}: body not complete within {self.timeout:.0f}s")
                metrics.FETCH_BYTES.labels(self.connector).inc(size)
                return response.status_code, response.headers, b"".join(chunks)
        except httpx.TimeoutException as exc:
            raise FetchError("timeout", f"{url}: {type(exc).__name__}") from None
        except httpx.DecodingError as exc:
            raise FetchError("bad_encoding", f"{url}: {exc}") from None
        except (httpx.TransportError, httpx.InvalidURL) as exc:
            raise FetchError("connect", f"{url}: {type(exc).__name__}: {exc}") from None
