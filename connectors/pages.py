"""``newsflow ingest urls FILE | --sitemap URL``: fetch web pages and put them on news.raw as html.

Polite and bounded: robots.txt is read per host (protego; a missing robots.txt allows all, an
unreachable one disallows all, as RFC 9309 says), requests to one host are spaced by
``per_host_delay`` (or the robots.txt Crawl-delay when longer) with at most
``per_host_concurrency`` in flight, ``concurrency`` in all. Every request goes through the guarded
:class:`~connectors.net.Fetcher` (SSRF guard, timeouts, size and redirect limits), and only
text/html or application/xhtml+xml answers become articles. A URL is marked done in the SQLite
state only after Kafka acknowledged its article, or when it failed for a reason that will not go
away (robots, 4xx, content type); transient failures are tried again on the next round.
"""
from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from protego import Protego

from schemas.models import RawArticle, Rejected, utcnow_iso

from . import metrics
from .common import connector_deadletter, stable_id
from .charset import decode_html
from .net import Blocked, FetchError, Fetcher
from .sink import DeliveryError, StdoutSink, _BaseSink
from .state import State

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
PERMANENT = {"robots", "content_type", "bad_url", "blocked", "too_large", "too_many_redirects"}
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@dataclasses.dataclass
class PagesSummary:
    urls: int = 0
    fetched: int = 0
    delivered: int = 0
    already_done: int = 0
    failed: Counter = dataclasses.field(default_factory=Counter)
    delivery_failed: bool = False
    seconds: float = 0.0

    def describe(self) -> str:
        failed = ", ".join(f"{k}={v}" for k, v in sorted(self.failed.items())) or "none"
        return (f"urls: {self.urls} listed, {self.already_done} already done, {self.fetched} fetched,"
                f" {self.delivered} delivered, failed: {failed}; {self.seconds:.1f}s"
                + ("; DELIVERY FAILED" if self.delivery_failed else ""))


def read_url_file(path: str | Path) -> list[str]:
    urls = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            urls.append(line.split()[0])
    return list(dict.fromkeys(urls))


class HostGate:
    """Per-host spacing and concurrency."""

    def __init__(self, delay: float, concurrency: int):
        self.delay = delay
        self.concurrency = max(1, concurrency)
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}
        self._sems: dict[str, threading.Semaphore] = {}
        self._delays: dict[str, float] = {}

    def set_delay(self, host: str, delay: float) -> None:
        with self._lock:
            self._delays[host] = max(self.delay, delay)

    def __call__(self, host: str):
        gate = self

        class _Slot:
            def __enter__(self_inner):
                with gate._lock:
                    sem = gate._sems.setdefault(host, threading.Semaphore(gate.concurrency))
                sem.acquire()
                while True:
                    with gate._lock:
                        now = time.monotonic()
                        ready_at = gate._next.get(host, 0.0)
                        if now >= ready_at:
                            gate._next[host] = now + gate._delays.get(host, gate.delay)
                            break
                    time.sleep(min(ready_at - now, 1.0))
                self_inner.sem = sem
                return self_inner

            def __exit__(self_inner, *exc):
                self_inner.sem.release()

        return _Slot()


class PagesConnector:
    connector = "pages"

    def __init__(self, sink: _BaseSink, fetcher: Fetcher, *, url_file: str | None = None,
                 sitemaps: list[str] | None = None, urls: list[str] | None = None, source: str | None = None,
                 state_path: str | Path = ":memory:", per_host_delay: float = 1.0, per_host_concurrency: int = 1,
                 concurrency: int = 4, delivery_timeout: float = 300.0, interval: float = 900.0,
                 respect_robots: bool = True, robots_ttl: float = 3600.0, max_sitemap_urls: int = 50_000,
                 progress_every: float = 30.0):
        self.sink = sink
        self.fetcher = fetcher
        self.url_file = url_file
        self.sitemaps = list(sitemaps or [])
        self.urls = list(urls or [])
        self.source = source
        self.state = State(state_path, keep_per_scope=1_000_000)
        self._held_state: State | None = None
        if isinstance(sink, StdoutSink):
            # a dry run (--stdout) produces nothing, so it marks no page done either (the next real run
            # would skip what was only printed); the file stays locked, as for a real run (as in rss)
            self._held_state, self.state = self.state, State(":memory:", keep_per_scope=1_000_000)
        self.gate = HostGate(per_host_delay, per_host_concurrency)
        self.concurrency = max(1, concurrency)
        self.delivery_timeout = delivery_timeout
        self.interval = interval
        self.respect_robots = respect_robots
        self.robots_ttl = robots_ttl
        self.max_sitemap_urls = max_sitemap_urls
        self.progress_every = progress_every
        self._robots: dict[str, tuple[float, Protego | None]] = {}
        self._robots_lock = threading.Lock()
        self.stop_event = threading.Event()
        self._delivery_ok = True

    def ready(self) -> bool:
        return self._delivery_ok

    def close(self) -> None:
        self.stop_event.set()
        self.state.close()
        if self._held_state is not None:
            self._held_state.close()
        self.fetcher.close()

    # -- inputs --------------------------------------------------------------------------------
    def list_urls(self) -> list[str]:
        urls = list(self.urls)
        if self.url_file:
            urls += read_url_file(self.url_file)
        for sitemap in self.sitemaps:
            urls += self._sitemap_urls(sitemap, depth=0)
        return list(dict.fromkeys(urls))

    def _sitemap_urls(self, url: str, depth: int) -> list[str]:
        import defusedxml.ElementTree as SafeET
        try:
            response = self.fetcher.get(url)
            root = SafeET.fromstring(response.content)
        except FetchError as exc:
            log.warning("sitemap %s: %s", url, exc)
            metrics.ERRORS.labels(self.connector, f"sitemap_{exc.reason}").inc()
            return []
        except Exception as exc:  # noqa: BLE001 - malformed or hostile XML
            log.warning("sitemap %s is not usable XML: %s", url, exc)
            metrics.ERRORS.labels(self.connector, "sitemap_xml").inc()
            return []
        tag = root.tag.replace(SITEMAP_NS, "")
        locs = [el.text.strip() for el in root.iter(f"{SITEMAP_NS}loc") if el.text and el.text.strip()]
        if not locs:
            locs = [el.text.strip() for el in root.iter("loc") if el.text and el.text.strip()]
        if tag == "sitemapindex":
            if depth >= 2:
                return []
            urls: list[str] = []
            for child in locs:
                urls += self._sitemap_urls(child, depth + 1)
                if len(urls) >= self.max_sitemap_urls:
                    break
            return urls[: self.max_sitemap_urls]
        return locs[: self.max_sitemap_urls]

    # -- robots --------------------------------------------------------------------------------
    def _robots_for(self, url: str) -> Protego | None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            cached = self._robots.get(origin)
            if cached and time.monotonic() - cached[0] < self.robots_ttl:
                return cached[1]
        robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
        parser: Protego | None
        try:
            with self.gate(parts.netloc):
                response = self.fetcher.get(robots_url, max_bytes=512 * 1024)
            parser = Protego.parse(response.content.decode("utf-8", "replace"))
        except Blocked:
            raise  # the guard refuses the host: the page is 'blocked' (as in ingest rss), not a robots refusal
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                parser = Protego.parse("")               # no robots.txt: everything allowed
            else:
                parser = None                            # unreachable: nothing allowed for now
                log.warning("robots.txt of %s unreachable (%s): not fetching from it", origin, exc.reason)
        if parser is not None:
            delay = parser.crawl_delay(self.fetcher.user_agent)
            if delay:
                self.gate.set_delay(parts.netloc, min(float(delay), 60.0))
        with self._robots_lock:
            self._robots[origin] = (time.monotonic(), parser)
        return parser

    def allowed(self, url: str) -> bool:
        if not self.respect_robots:
            return True
        parser = self._robots_for(url)
        return parser is not None and parser.can_fetch(url, self.fetcher.user_agent)

    # -- one page ------------------------------------------------------------------------------
    def fetch_article(self, url: str) -> RawArticle:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError("bad_url", f"{url!r} is not an http(s) URL")
        if not self.allowed(url):
            raise FetchError("robots", f"robots.txt of {parts.netloc} disallows {url}"
                             if self.respect_robots else url)
        with self.gate(parts.netloc):
            response = self.fetcher.get(url, accept_types=HTML_TYPES)
        document = {
            "id": stable_id(url), "source": (self.source or parts.hostname or "web")[:256],
            "html": decode_html(response.content, response.charset), "url": response.url[:4096],
            "fetched_at": utcnow_iso(),
            "meta": {"connector": "pages", "requested_url": url, "status": response.status,
                     "content_type": response.content_type},
        }
        return RawArticle.from_dict(document)

    def _work(self, url: str):
        try:
            return url, self.fetch_article(url), None
        except FetchError as exc:
            return url, None, exc
        except Rejected as exc:
            return url, None, exc
        except Exception as exc:  # noqa: BLE001 - one bad page must not stop the others
            log.exception("unexpected failure on %s", url)
            return url, None, FetchError("unexpected", f"{type(exc).__name__}: {exc}")

    def run_once(self) -> PagesSummary:
        summary = PagesSummary()
        started = time.monotonic()
        urls = self.list_urls()
        summary.urls = len(urls)
        unseen = self.state.unseen("pages", urls)
        todo = [url for url in urls if url in unseen]
        summary.already_done = len(urls) - len(todo)
        batch: list[RawArticle] = []
        permanent: list[str] = []
        deadletters: list[dict] = []

        def flush() -> None:
            if batch:
                self.sink.deliver(batch, deadline=time.monotonic() + self.delivery_timeout)
                metrics.NEW_ENTRIES.labels(self.connector).inc(len(batch))
                summary.delivered += len(batch)
                self.state.mark_seen("pages", [r.meta["requested_url"] for r in batch])
                batch.clear()
            if deadletters:
                self.sink.deliver_deadletters(deadletters, deadline=time.monotonic() + self.delivery_timeout)
                deadletters.clear()
            if permanent:
                self.state.mark_seen("pages", permanent, status="failed")
                permanent.clear()

        reported = time.monotonic()
        try:
            with ThreadPoolExecutor(self.concurrency, thread_name_prefix="pages") as pool:
                for done, (url, raw, error) in enumerate(pool.map(self._work, todo), 1):
                    if time.monotonic() - reported >= self.progress_every:  # a long pass says how far it is
                        reported = time.monotonic()
                        log.info("pages: %d of %d fetched or failed, %d delivered", done - 1, len(todo),
                                 summary.delivered)
                    if raw is not None:
                        summary.fetched += 1
                        batch.append(raw)
                    else:
                        reason = getattr(error, "reason", "error")
                        summary.failed[reason] += 1
                        metrics.ERRORS.labels(self.connector, reason).inc()
                        log.info("%s: %s", url, error)
                        if reason in PERMANENT or reason.startswith("http_4") or isinstance(error, Rejected):
                            permanent.append(url)
                        if isinstance(error, Rejected):
                            deadletters.append(connector_deadletter(None, error.reason, error.detail,
                                                                    article_id=stable_id(url), location=url))
                    if len(batch) >= 100:
                        flush()
                    if self.stop_event.is_set():
                        break
            flush()
            self._delivery_ok = True
            metrics.LAST_SUCCESS.labels(self.connector).set_to_current_time()
        except DeliveryError as exc:
            self._delivery_ok = False
            summary.delivery_failed = True
            metrics.ERRORS.labels(self.connector, "delivery").inc()
            log.error("delivery failed: %s", exc)
        summary.seconds = time.monotonic() - started
        return summary

    def run_forever(self) -> None:
        while not self.stop_event.is_set():
            summary = self.run_once()
            log.info(summary.describe())
            self.stop_event.wait(self.interval)
