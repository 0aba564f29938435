"""Polite page fetching, shared by ``ingest urls`` and ``ingest rss --fetch-pages``.

:class:`PoliteFetcher` wraps the guarded :class:`~connectors.net.Fetcher` so that every request,
every redirect hop included, is (1) allowed by its host's robots.txt (protego; read once per host and
cached, a missing one allows all, an unreachable one disallows all for the cache time, RFC 9309),
and (2) spaced per host (``per_host_delay``, or the robots.txt Crawl-delay when longer; at most
``per_host_concurrency`` in flight per host), and (3) a host that answered 429 or 503 with
Retry-After is not asked again before that time (capped at ``max_retry_after``). A redirect to a
page robots.txt disallows fails as ``robots``, like the page itself would.

Failure reasons it adds: ``robots`` (a real Disallow: permanent), ``robots_unavailable`` (robots.txt
could not be read: try again later), ``retry_after`` (the host asked for more than a minute's rest:
try again later) and ``stopped`` (``stop_event`` was set while waiting for a host's turn). Nothing was
requested in those cases but the robots.txt. :func:`is_permanent` says which failures are worth retrying.
"""
from __future__ import annotations

import contextlib
import logging
import threading
import time
from typing import Iterator, Sequence
from urllib.parse import urlsplit, urlunsplit

from protego import Protego
from w3lib.encoding import read_bom

from .net import Blocked, FetchError, Fetcher, Response

log = logging.getLogger(__name__)

# not ``blocked``: the network policy's refusal follows --allow-network, not the page
PERMANENT = frozenset({"robots", "content_type", "bad_url", "too_large", "too_many_redirects"})
TEMPORARY_STATUS = frozenset({408, 429})   # 4xx answers that mean "not now", not "never"
ROBOTS_MAX_BYTES = 512 * 1024


def is_permanent(error: FetchError) -> bool:
    """Whether a page failure will not go away by asking again (robots Disallow, 4xx but 408/429, ...)."""
    if error.reason in PERMANENT:
        return True
    return error.status is not None and 400 <= error.status < 500 and error.status not in TEMPORARY_STATUS


class HostGate:
    """Per-host spacing and concurrency; waits end early (FetchError 'stopped') once ``stop_event`` is set,
    and a host held (Retry-After) for longer than ``max_wait`` fails at once (FetchError 'retry_after',
    temporary) instead of holding a worker that other hosts' pages could use."""

    def __init__(self, delay: float, concurrency: int, stop_event: threading.Event | None = None,
                 max_wait: float = 60.0):
        self.delay = delay
        self.max_wait = max_wait
        self.concurrency = max(1, concurrency)
        self.stop_event = stop_event or threading.Event()
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}
        self._sems: dict[str, threading.Semaphore] = {}
        self._delays: dict[str, float] = {}

    def set_delay(self, host: str, delay: float) -> None:
        with self._lock:
            self._delays[host] = max(self.delay, delay)

    def hold(self, host: str, seconds: float) -> None:
        """No request to ``host`` before ``seconds`` from now (a Retry-After)."""
        with self._lock:
            self._next[host] = max(self._next.get(host, 0.0), time.monotonic() + seconds)

    def _wait(self, seconds: float) -> None:
        if self.stop_event.wait(seconds):
            raise FetchError("stopped", "stopping: request not started")

    @contextlib.contextmanager
    def __call__(self, host: str) -> Iterator[None]:
        with self._lock:
            sem = self._sems.setdefault(host, threading.Semaphore(self.concurrency))
        while not sem.acquire(timeout=0.2):
            self._wait(0)
        try:
            while True:
                with self._lock:
                    now = time.monotonic()
                    ready_at = self._next.get(host, 0.0)
                    delay = self._delays.get(host, self.delay)
                    if now >= ready_at:
                        self._next[host] = now + delay
                        break
                if ready_at - now > max(delay, self.max_wait):   # a long Retry-After: not worth a worker
                    raise FetchError("retry_after", f"{host} asked not to be asked again for"
                                                    f" {ready_at - now:.0f}s; tried again later")
                self._wait(min(ready_at - now, 1.0))
            yield
        finally:
            sem.release()


def robots_text(content: bytes) -> str:
    """robots.txt as text: UTF-8 (RFC 9309), a byte-order mark followed and left out. Kept, a UTF-8
    mark (Windows editors write one) made the first line "\ufeffUser-agent: *", a group no crawler
    belongs to, and every rule under it was ignored. A file cut at ROBOTS_MAX_BYTES loses its last,
    partial line ("Allow: /pri" would allow more than the file does)."""
    if len(content) >= ROBOTS_MAX_BYTES:
        content = content[:content.rfind(b"\n") + 1]
    bom_encoding, bom = read_bom(content)
    if bom_encoding and bom:
        return content[len(bom):].decode(bom_encoding, "replace")
    return content.decode("utf-8", "replace")


class PoliteFetcher:
    """``get`` as :meth:`Fetcher.get`, with robots.txt on every hop, per-host spacing and Retry-After."""

    def __init__(self, fetcher: Fetcher, *, per_host_delay: float = 1.0, per_host_concurrency: int = 1,
                 respect_robots: bool = True, robots_ttl: float = 3600.0, max_retry_after: float = 3600.0,
                 max_crawl_delay: float = 60.0, stop_event: threading.Event | None = None):
        self.fetcher = fetcher
        self.stop_event = stop_event or threading.Event()
        self.gate = HostGate(per_host_delay, per_host_concurrency, self.stop_event)
        self.respect_robots = respect_robots
        self.robots_ttl = robots_ttl
        self.max_retry_after = max_retry_after
        self.max_crawl_delay = max_crawl_delay
        self._robots: dict[str, tuple[float, Protego | None]] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    @property
    def user_agent(self) -> str:
        return self.fetcher.user_agent

    def close(self) -> None:
        self.fetcher.close()

    def get(self, url: str, headers: dict[str, str] | None = None, *,
            accept_types: Sequence[str] | None = None, max_bytes: int | None = None) -> Response:
        return self._get(url, headers, accept_types=accept_types, max_bytes=max_bytes, hop=self._page_hop)

    # -- internals -----------------------------------------------------------------------------
    def _get(self, url: str, headers=None, **kw) -> Response:
        try:
            return self.fetcher.get(url, headers, **kw)
        except FetchError as exc:
            if exc.retry_after is not None and exc.url and exc.status in (429, 503):
                wait = min(exc.retry_after, self.max_retry_after)
                log.info("%s asked to wait %.0fs (Retry-After): not asking it again before", exc.url, wait)
                self.gate.hold(urlsplit(exc.url).netloc.lower(), wait)
            raise

    @contextlib.contextmanager
    def _page_hop(self, url: str) -> Iterator[None]:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.hostname:   # else the fetcher refuses it (bad_url)
            self.check_robots(url)
        with self.gate(parts.netloc.lower()):
            yield

    def _robots_hop(self, url: str):
        return self.gate(urlsplit(url).netloc.lower())

    def check_robots(self, url: str) -> None:
        """FetchError 'robots' if robots.txt disallows ``url``, 'robots_unavailable' if it cannot be read."""
        if not self.respect_robots:
            return
        parser = self.robots_for(url)
        if parser is None:
            raise FetchError("robots_unavailable", f"robots.txt of {urlsplit(url).netloc} could not be read;"
                                                   f" {url} is tried again later")
        if not parser.can_fetch(url, self.user_agent):
            raise FetchError("robots", f"robots.txt of {urlsplit(url).netloc} disallows {url}", url=url)

    def robots_for(self, url: str) -> Protego | None:
        """The parsed robots.txt of ``url``'s origin, fetched once per origin for ``robots_ttl`` (one
        fetch even when several workers ask at once); None while it is unreachable."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc.lower()}"
        with self._lock:
            origin_lock = self._robots_locks.setdefault(origin, threading.Lock())
        with origin_lock:
            cached = self._robots.get(origin)
            if cached and time.monotonic() - cached[0] < self.robots_ttl:
                return cached[1]
            parser = self._load_robots(origin)
            self._robots[origin] = (time.monotonic(), parser)
            return parser

    def _load_robots(self, origin: str) -> Protego | None:
        parts = urlsplit(origin)
        try:
            # a larger file is read up to the limit, as RFC 9309 2.5 has it (at least 500 KiB): refused
            # whole, it disallowed the whole site, for good, as "unavailable"
            response = self._get(urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", "")),
                                 max_bytes=ROBOTS_MAX_BYTES, hop=self._robots_hop, cut=True)
        except Blocked:
            raise  # the guard refuses the host: the page is 'blocked', not a robots refusal
        except FetchError as exc:
            if exc.reason == "stopped":
                raise
            if exc.status is not None and 400 <= exc.status < 500 and exc.status not in TEMPORARY_STATUS:
                return Protego.parse("")        # no robots.txt: everything allowed
            log.warning("robots.txt of %s unreachable (%s): nothing fetched from it for %.0fs", origin,
                        exc.reason, self.robots_ttl)
            return None
        parser = Protego.parse(robots_text(response.content))
        delay = parser.crawl_delay(self.user_agent)
        if delay:
            self.gate.set_delay(parts.netloc, min(float(delay), self.max_crawl_delay))
        return parser
