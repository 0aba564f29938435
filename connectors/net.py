"""Outbound HTTP for connectors: an SSRF guard and a bounded fetcher.

:class:`NetworkPolicy` resolves a host name itself and refuses loopback, private, link-local,
multicast, reserved, unspecified, shared (CGNAT) and cloud-metadata addresses unless a configured
``--allow-network`` CIDR covers them. :class:`Fetcher` then connects to the *vetted IP address*
(the Host header and TLS SNI keep the name), so a DNS answer cannot change between the check and
the connection, and follows redirects itself so every hop is checked the same way. Bodies are
streamed and cut at ``max_bytes``, unpacked (gzip, deflate) by bounded decoders, so a small
compressed body cannot grow past the limit in memory; one request has a total time limit, headers
and body included, enforced by closing its socket when it is up.
"""
from __future__ import annotations

import contextlib
import dataclasses
import email.utils
import ipaddress
import logging
import socket
import threading
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
    if isinstance(ip, ipaddress.IPv6Address) and ip.sixtofour is not None:  # 2002:a.b.c.d::/48 is carried to a.b.c.d
        reason = blocked_reason(ip.sixtofour)
        if reason is not None:
            return f"6to4 of {ip.sixtofour}, {reason}"
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


class _Unpacker:
    """Undoes a response's Content-Encoding (gzip, deflate, stacked: "gzip, gzip") a chunk at a time,
    no layer giving more than ``limit`` + 1 bytes in all (the caller then refuses or cuts the body):
    httpx unpacked each chunk whole before the size check, so 2 KB of gzip in gzip took 1 GB."""

    def __init__(self, codings: Sequence[str], limit: int, url: str):
        self.codings = [c for c in reversed(codings) if c != "identity"]  # the last applied is undone first
        self.layers: list = [None] * len(self.codings)
        self.out = [0] * len(self.codings)
        self.limit, self.url = limit, url

    def feed(self, data: bytes) -> bytes:
        for index, coding in enumerate(self.codings):
            data = self._layer(index, coding, data)
        return data

    def _layer(self, index: int, coding: str, data: bytes) -> bytes:
        out = b""
        while data and self.out[index] <= self.limit:
            layer = self.layers[index]
            if layer is not None and layer.eof:  # after the stream's end: another gzip member, or junk that is let be
                if coding == "deflate" or data[:2] != b"\x1f\x8b":
                    break
                layer = None
            if layer is None:
                raw = coding == "deflate" and data[0] & 0x0F != 8  # deflate without its zlib header, as some send it
                layer = self.layers[index] = zlib.decompressobj(-zlib.MAX_WBITS if raw else
                                                                zlib.MAX_WBITS | (16 if coding != "deflate" else 0))
            try:
                piece = layer.decompress(data, self.limit + 1 - self.out[index])
            except zlib.error as exc:
                raise FetchError("bad_encoding", f"{self.url}: not valid {coding} data: {exc}") from None
            self.out[index] += len(piece)
            out += piece
            data = layer.unused_data if layer.eof else b""
        return out


def _codings(headers: httpx.Headers, url: str) -> list[str]:
    codings = [c.strip().lower() for c in headers.get("content-encoding", "").split(",") if c.strip()]
    for coding in codings:
        if coding not in ("gzip", "x-gzip", "deflate", "identity"):
            raise FetchError("bad_encoding", f"{url}: Content-Encoding {coding!r} was not asked for (gzip, deflate)")
    return codings


class _Watchdog:
    """Shuts the request's socket down at its deadline. httpx's timeouts are per read, so a server
    that sent its status line and headers a byte every few seconds held the request for hours; the
    total limit was only checked between body chunks."""

    def __init__(self, seconds: float):
        self.streams: list = []
        self.fired = False
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def trace(self, event: str, info: dict) -> None:
        """httpcore's trace hook: keeps the connection's stream (TCP, then TLS) once it is made."""
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            self.streams.append(info["return_value"])
            if self.fired:  # connected after the deadline
                self._fire()

    def _fire(self) -> None:
        self.fired = True
        for stream in self.streams:
            with contextlib.suppress(OSError, AttributeError):
                stream.get_extra_info("socket").shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> "_Watchdog":
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()


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
            hop: Callable[[str], ContextManager] | None = None, cut: bool = False) -> Response:
        """Fetch ``url``; 2xx and 304 are returned, every other outcome raises FetchError. A body over
        the limit is too_large, or with ``cut`` its first ``max_bytes`` (robots.txt: RFC 9309 2.5).

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
                    status, response_headers, content = self._one(current, headers or {}, deadline, limit, cut)
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

    def _one(self, url: str, headers: dict[str, str], deadline: float, limit: int, cut: bool = False):
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
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError("timeout", f"{url}: no time left")
        with _Watchdog(remaining) as watchdog:
            extensions = {"trace": watchdog.trace, **({"sni_hostname": host} if parts.scheme == "https" else {})}
            try:
                return self._read(url, request_url, request_headers, extensions, limit, cut)
            except httpx.TimeoutException as exc:
                raise FetchError("timeout", f"{url}: {type(exc).__name__}") from None
            except httpx.InvalidURL as exc:  # a redirect's Location that is no URL ("javascript:alert(1)")
                raise FetchError("bad_url", f"{url} redirects to an address that is no http(s) URL: {exc}") from None
            except httpx.TransportError as exc:
                if watchdog.fired:
                    raise FetchError("timeout", f"{url}: no complete answer within {self.timeout:g}s") from None
                raise FetchError("connect", f"{url}: {type(exc).__name__}: {exc}") from None

    def _read(self, url: str, request_url: httpx.URL, headers: dict[str, str], extensions: dict, limit: int,
              cut: bool):
        """Status, headers and body (unpacked, at most ``limit`` bytes) of one request."""
        with self._client.stream("GET", request_url, headers=headers, extensions=extensions) as response:
            if response.status_code >= 300:
                return response.status_code, response.headers, b""
            length = response.headers.get("content-length")
            if length and length.isdigit() and int(length) > limit and not cut:
                raise FetchError("too_large", f"{url}: Content-Length {length} is over {limit} bytes")
            unpack = _Unpacker(_codings(response.headers, url), limit, url)
            body = bytearray()
            for chunk in response.iter_raw():
                body += unpack.feed(chunk)
                if len(body) > limit:
                    if not cut:
                        raise FetchError("too_large", f"{url}: body is over {limit} bytes"
                                                      + (" once unpacked" if unpack.codings else ""))
                    del body[limit:]
                    break
            metrics.FETCH_BYTES.labels(self.connector).inc(len(body))
            return response.status_code, response.headers, bytes(body)
