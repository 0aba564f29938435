"""``newsflow ingest urls FILE | --sitemap URL``: fetch web pages and put them on news.raw as html.

Polite and bounded: every request, redirect hops included, goes through
:class:`~connectors.polite.PoliteFetcher` (robots.txt per host, read once and cached; per-host
spacing and concurrency; Retry-After) and the guarded :class:`~connectors.net.Fetcher` (SSRF guard,
timeouts, size and redirect limits); ``concurrency`` requests in all. Only text/html or
application/xhtml+xml answers become articles. A URL is marked done in the SQLite state only after
Kafka acknowledged its article, when the sink refused it for itself (dead-lettered, ``rejected``), or
when it failed for a reason that will not go away (robots Disallow while robots.txt keeps it, 4xx
but 408/429, content type),
stored as ``failed:<reason>`` so that a failure due to a setting is tried again once the setting
allows it (see :meth:`PagesConnector.still_done`); transient failures (5xx, 429, robots.txt
unreachable, timeouts) and ``blocked`` (the network policy's refusal) are tried again on the next round.
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
SITEMAP_ROOTS = ("urlset", "sitemapindex")
LIMITED_BY = {"too_large": "max_bytes", "too_many_redirects": "max_redirects"}   # failure -> Fetcher limit


@dataclasses.dataclass
class PagesSummary:
    urls: int = 0
    fetched: int = 0
    delivered: int = 0
    already_done: int = 0
    failed: Counter = dataclasses.field(default_factory=Counter)
    rejected: Counter = dataclasses.field(default_factory=Counter)   # fetched, refused by the sink
    sitemaps_read: int = 0                                              # page lists (urlsets) read, empty ones too
    sitemaps_failed: Counter = dataclasses.field(default_factory=Counter)   # by reason: not fetched or not read
    delivery_failed: bool = False
    seconds: float = 0.0

    @property
    def all_failed(self) -> bool:
        """A single pass that got nothing is a failure to report (exit 1)."""
        return self.every_url_failed or self.every_sitemap_failed

    @property
    def every_url_failed(self) -> bool:
        return self.urls > self.already_done and self.fetched == 0 and sum(self.failed.values()) > 0

    @property
    def every_sitemap_failed(self) -> bool:
        """Nothing listed because no sitemap could be read: a broken sitemap, unlike an empty one,
        must not pass for a quiet day (a cron job pointing at a 404 reported success)."""
        return self.urls == 0 and self.sitemaps_read == 0 and sum(self.sitemaps_failed.values()) > 0

    def describe(self) -> str:
        failures = self.failed + Counter({f"sitemap_{k}": v for k, v in self.sitemaps_failed.items()})
        failed = ", ".join(f"{k}={v}" for k, v in sorted(failures.items())) or "none"
        rejected = ", ".join(f"{k}={v}" for k, v in sorted(self.rejected.items())) or "none"
        return (f"urls: {self.urls} listed, {self.already_done} already done, {self.fetched} fetched,"
                f" {self.delivered} delivered, failed: {failed}, rejected: {rejected}; {self.seconds:.1f}s"
                + ("; DELIVERY FAILED" if self.delivery_failed else "")
                + ("; EVERY URL FAILED" if self.every_url_failed else "")
                + ("; EVERY SITEMAP FAILED" if self.every_sitemap_failed else ""))


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
    def list_urls(self, summary: PagesSummary | None = None) -> list[str]:
        """The URLs of this pass; sitemaps that could not be read are counted in ``summary``."""
        summary = summary if summary is not None else PagesSummary()
        urls = list(self.urls)
        if self.url_file:
            urls += read_url_file(self.url_file)
        for sitemap in self.sitemaps:
            urls += self._sitemap_urls(sitemap, 0, summary)
        return list(dict.fromkeys(urls))

    def _sitemap_urls(self, url: str, depth: int, summary: PagesSummary) -> list[str]:
        root = self._read_sitemap(url, summary)
        if root is None:
            return []
        locs = [el.text.strip() for el in root.iter(f"{SITEMAP_NS}loc") if el.text and el.text.strip()]
        if not locs:
            locs = [el.text.strip() for el in root.iter("loc") if el.text and el.text.strip()]
        if _local_name(root.tag) == "sitemapindex":
            if depth >= 2:
                return []
            urls: list[str] = []
            for child in locs:
                urls += self._sitemap_urls(child, depth + 1, summary)
                if len(urls) >= self.max_sitemap_urls:
                    break
            return urls[: self.max_sitemap_urls]
        summary.sitemaps_read += 1
        return locs[: self.max_sitemap_urls]

    def _read_sitemap(self, url: str, summary: PagesSummary):
        """The sitemap's root element, or None after counting why it could not be had."""
        import defusedxml.ElementTree as SafeET
        try:
            content = self.polite.get(url).content
            if content[:2] == b"\x1f\x8b":   # sitemap.xml.gz, served as a file rather than Content-Encoding
                content = gunzip_bounded(content, self.fetcher.max_bytes, what=url)
            root = SafeET.fromstring(content)
        except FetchError as exc:
            if exc.reason != "stopped":      # never asked: no failure, the next pass reads it
                self._sitemap_failed(summary, url, exc.reason, exc.detail)
            return None
        except Exception as exc:  # noqa: BLE001 - malformed or hostile XML
            self._sitemap_failed(summary, url, "xml", f"not usable XML: {exc}")
            return None
        if _local_name(root.tag) not in SITEMAP_ROOTS:   # an HTML page or a feed would list nothing, silently
            self._sitemap_failed(summary, url, "not_a_sitemap", f"its root element is <{_local_name(root.tag)}>,"
                                                              " not <urlset> or <sitemapindex>")
            return None
        return root

    def _sitemap_failed(self, summary: PagesSummary, url: str, reason: str, detail: str) -> None:
        log.warning("sitemap %s: %s: %s", url, reason, detail)
        metrics.ERRORS.labels(self.connector, f"sitemap_{reason}").inc()
        summary.sitemaps_failed[reason] += 1

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

    # -- what the state remembers ---------------------------------------------------------------
    def remembered_as(self, error: Exception) -> str | None:
        """The status a failed URL is stored with, or None when it is to be tried on the next round:
        transient failures, and ``blocked``, which follows --allow-network rather than the page (once
        remembered, the page stayed out after the network was allowed). A failure due to a limit keeps
        the limit (``failed:too_large:5242880``) so that raising it tries the page again."""
        if isinstance(error, Rejected):
            return f"failed:{error.reason}"      # dead-lettered: done
        if not is_permanent(error):
            return None
        limit = LIMITED_BY.get(error.reason)
        return f"failed:{error.reason}" + (f":{getattr(self.fetcher, limit)}" if limit else "")

    def still_done(self, status: str | None, url: str) -> bool:
        """Whether a stored status still means "nothing to do" under this run's settings. A bare
        ``failed`` is from a state file written before reasons were kept: it may be a ``blocked`` page,
        so it is tried once more (and stored again with its reason if it fails for good). A robots
        Disallow holds while the site's robots.txt (read once per host and cached) still disallows
        the page: a site that lifts it gets its page fetched."""
        if status is None or status == "failed":
            return False
        if not status.startswith("failed:"):
            return True                               # emitted, rejected
        reason, _, limit = status.removeprefix("failed:").partition(":")
        if reason == "blocked":
            return False
        if reason == "robots":                       # a Disallow now ignored (--ignore-robots) is fetched
            return self.respect_robots and not self.allowed(url)
        if reason in LIMITED_BY and limit.isdigit():
            return getattr(self.fetcher, LIMITED_BY[reason]) <= int(limit)
        return True

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
        urls = self.list_urls(summary)
        summary.urls = len(urls)
        statuses = self.state.statuses("pages", urls)
        todo = [url for url in urls if not self.still_done(statuses.get(url), url)]
        summary.already_done = len(urls) - len(todo)
        batch: list[RawArticle] = []
        remembered: dict[str, list[str]] = {}    # status -> failed URLs
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
            for status, failed_urls in remembered.items():
                self.state.mark_seen("pages", failed_urls, status=status)
            remembered.clear()

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
                            status = self.remembered_as(error)
                            if status is not None:
                                remembered.setdefault(status, []).append(url)
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


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
