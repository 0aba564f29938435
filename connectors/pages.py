"""``newsflow ingest urls FILE | --sitemap URL``: fetch web pages and put them on news.raw as html.

Polite and bounded: every request, redirect hops included, goes through
:class:`~connectors.polite.PoliteFetcher` (robots.txt per host, read once and cached; per-host
spacing and concurrency; Retry-After) and the guarded :class:`~connectors.net.Fetcher` (SSRF guard,
timeouts, size and redirect limits); ``concurrency`` requests in all. Only text/html or
application/xhtml+xml answers become articles. A URL is marked done in the SQLite state only after
Kafka acknowledged its article, when the sink refused it for itself (dead-lettered, ``rejected``), or
when it failed for a reason that will not go away (robots Disallow, 4xx but 408/429, content type);
transient failures (5xx, 429, robots.txt unreachable, timeouts) are tried again on the next round.
A stop (``stop_event``) lets the requests in hand finish, delivers them and leaves the rest unstarted.
"""
from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from urllib.parse import urlsplit

from schemas.models import RawArticle, Rejected, utcnow_iso

from . import metrics
from .common import connector_deadletter, stable_id
from .charset import decode_html
from .net import FetchError, Fetcher, gunzip_bounded
from .polite import HostGate, PoliteFetcher, is_permanent  # noqa: F401 - HostGate: its old home
from .sink import DeliveryError, StdoutSink, _BaseSink
from .state import State

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@dataclasses.dataclass
class PagesSummary:
    urls: int = 0
    fetched: int = 0
    delivered: int = 0
    already_done: int = 0
    failed: Counter = dataclasses.field(default_factory=Counter)
    rejected: Counter = dataclasses.field(default_factory=Counter)   # fetched, refused by the sink
    delivery_failed: bool = False
    seconds: float = 0.0

    @property
    def all_failed(self) -> bool:
        """Every URL to fetch failed: a single pass that got nothing is a failure to report (exit 1)."""
        return self.urls > self.already_done and self.fetched == 0 and sum(self.failed.values()) > 0

    def describe(self) -> str:
        failed = ", ".join(f"{k}={v}" for k, v in sorted(self.failed.items())) or "none"
        rejected = ", ".join(f"{k}={v}" for k, v in sorted(self.rejected.items())) or "none"
        return (f"urls: {self.urls} listed, {self.already_done} already done, {self.fetched} fetched,"
                f" {self.delivered} delivered, failed: {failed}, rejected: {rejected}; {self.seconds:.1f}s"
                + ("; DELIVERY FAILED" if self.delivery_failed else "")
                + ("; EVERY URL FAILED" if self.all_failed else ""))


def read_url_file(path: str | Path) -> list[str]:
    urls = []
    for line in Path(path).read_text(encoding="utf-8-sig").splitlines():  # a leading BOM is no part of a URL
        line = line.strip()
        if line and not line.startswith("#"):
            urls.append(line.split()[0])
    return list(dict.fromkeys(urls))


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
        self.stop_event = threading.Event()
        self.polite = PoliteFetcher(fetcher, per_host_delay=per_host_delay,
                                    per_host_concurrency=per_host_concurrency, respect_robots=respect_robots,
                                    robots_ttl=robots_ttl, stop_event=self.stop_event)
        self.gate = self.polite.gate
        self.concurrency = max(1, concurrency)
        self.delivery_timeout = delivery_timeout
        self.interval = interval
        self.respect_robots = respect_robots
        self.max_sitemap_urls = max_sitemap_urls
        self.progress_every = progress_every
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
            content = self.polite.get(url).content
            if content[:2] == b"\x1f\x8b":   # sitemap.xml.gz, served as a file rather than Content-Encoding
                content = gunzip_bounded(content, self.fetcher.max_bytes, what=url)
            root = SafeET.fromstring(content)
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

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets ``url`` be fetched now (False too while it cannot be read)."""
        try:
            self.polite.check_robots(url)
            return True
        except FetchError:
            return False

    # -- one page ------------------------------------------------------------------------------
    def fetch_article(self, url: str) -> RawArticle:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError("bad_url", f"{url!r} is not an http(s) URL")
        response = self.polite.get(url, accept_types=HTML_TYPES)
        document = {
            "id": stable_id(url), "source": (self.source or parts.hostname or "web")[:256],
            "html": decode_html(response.content, response.charset), "url": response.url[:4096],
            "fetched_at": utcnow_iso(),
            "meta": {"connector": "pages", "requested_url": url, "status": response.status,
                     "content_type": response.content_type},
        }
        return RawArticle.from_dict(document)

    def _work(self, url: str):
        if self.stop_event.is_set():
            return url, None, FetchError("stopped", "stopping: not started")
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
                delivered = self.sink.deliver(batch, deadline=time.monotonic() + self.delivery_timeout)
                refused = {id(raw): error for raw, error in getattr(delivered, "refused", ())}
                metrics.NEW_ENTRIES.labels(self.connector).inc(len(batch) - len(refused))
                summary.delivered += len(batch) - len(refused)
                for error in refused.values():   # the sink dead-lettered these: done, as rejected
                    summary.rejected[error.reason] += 1
                self.state.mark_seen("pages", [r.meta["requested_url"] for r in batch if id(r) not in refused])
                self.state.mark_seen("pages", [r.meta["requested_url"] for r in batch if id(r) in refused],
                                     status="rejected")
                batch.clear()
            if deadletters:
                self.sink.deliver_deadletters(deadletters, deadline=time.monotonic() + self.delivery_timeout)
                deadletters.clear()
            if permanent:
                self.state.mark_seen("pages", permanent, status="failed")
                permanent.clear()

        reported = time.monotonic()
        try:
            # Pages are taken as workers free up and reported as they finish; on a stop the ones not
            # started are cancelled (or give up waiting for their host), those in hand are delivered.
            with ThreadPoolExecutor(self.concurrency, thread_name_prefix="pages") as pool:
                futures = [pool.submit(self._work, url) for url in todo]
                try:
                    done = 0
                    for future in as_completed(futures):
                        if self.stop_event.is_set():
                            for pending in futures:
                                pending.cancel()
                        if future.cancelled():
                            continue
                        url, raw, error = future.result()
                        if error is not None and getattr(error, "reason", "") == "stopped":
                            continue                 # never requested: the next start reads it
                        done += 1
                        if raw is not None:
                            summary.fetched += 1
                            batch.append(raw)
                        else:
                            reason = getattr(error, "reason", "error")
                            summary.failed[reason] += 1
                            metrics.ERRORS.labels(self.connector, reason).inc()
                            log.info("%s: %s", url, error)
                            if isinstance(error, Rejected) or is_permanent(error):
                                permanent.append(url)
                            if isinstance(error, Rejected):
                                deadletters.append(connector_deadletter(None, error.reason, error.detail,
                                                                        article_id=stable_id(url), location=url))
                        if len(batch) >= 100:
                            flush()
                        if time.monotonic() - reported >= self.progress_every:  # a long pass says how far it is
                            reported = time.monotonic()
                            log.info("pages: %d of %d fetched or failed, %d delivered", done, len(todo),
                                     summary.delivered)
                finally:
                    for pending in futures:   # a failed delivery leaves nothing to fetch for nothing
                        pending.cancel()
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
