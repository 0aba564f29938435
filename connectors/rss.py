"""``newsflow ingest rss``: poll RSS/Atom feeds and put new entries on news.raw.

Per feed: a conditional GET (ETag / Last-Modified; 304 means nothing new) through the guarded
:class:`~connectors.net.Fetcher`, then :func:`parse_document`: a JSON Feed is read by
:mod:`connectors.jsonfeed`; XML gets the prolog check of :mod:`connectors.xmlsafety`, a guessed
encoding when nothing declares one and it is not UTF-8, then feedparser. Entries not seen before
become raw articles (text from the entry's content or summary with the HTML stripped, or the
fetched page as html with ``--fetch-pages``; the language of that text, else of the title, else
the feed's; a relative link resolved against the feed's URL).
Only after Kafka acknowledged them are the entry ids marked seen and the feed's validators stored,
so a crash or a broker outage re-emits instead of skipping. Polls follow each feed's interval
with jitter; errors back off exponentially.
"""
from __future__ import annotations

import codecs
import dataclasses
import hashlib
import logging
import math
import random
import re
import threading
import time
import unicodedata
from collections import Counter
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import urljoin, urlsplit

import feedparser

from pipeline.times import MAX_YEAR, MIN_YEAR, normalise_published
from schemas.models import RawArticle, Rejected, utcnow_iso

from . import metrics
from .common import connector_deadletter, html_to_text, stable_id
from .charset import decode_html, guess_encoding
from .jsonfeed import looks_like_json, parse_json_feed
from .net import FetchError, Fetcher
from .polite import PoliteFetcher
from .sink import DeliveryError, StdoutSink, _BaseSink
from .state import State
from .xmlsafety import check_xml

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
PASSED_HEADERS = ("content-type", "content-location", "content-language", "last-modified", "etag")


@dataclasses.dataclass
class Feed:
    url: str
    name: str | None = None
    interval: float = 900.0


class FeedListError(ValueError):
    """The feed list cannot be read: the message names the file and what is wrong."""


def load_feeds(path: str | Path, *, default_interval: float = 900.0) -> list[Feed]:
    """Feeds from an OPML file (outlines with xmlUrl), a YAML file (a ``feeds:`` list of URLs or of
    {url, name, interval}), or plain text with one URL per line (``#`` starts a comment, on its own
    line or after the URL and a space). ``default_interval`` (``--interval``) is held to the same
    floor as a feed's own interval, MIN_INTERVAL seconds."""
    if not _is_interval(default_interval):
        raise FeedListError(f"{path}: its feeds would be polled every {default_interval!r} s (--interval or"
                            f" NEWSFLOW_FEED_INTERVAL), under the floor of {MIN_INTERVAL:g} s between two polls")
    data = Path(path).read_bytes().removeprefix(codecs.BOM_UTF8)  # a BOM is no part of the first URL
    try:
        if Path(path).suffix.lower() in (".opml", ".xml") or data.lstrip().startswith(b"<"):
            feeds = _opml_feeds(data, default_interval)
        elif (urls := _url_lines(data)) is not None:
            feeds = [Feed(url, None, default_interval) for url in urls]
        else:
            feeds = _yaml_feeds(data, default_interval)
    except FeedListError as exc:
        raise FeedListError(f"{path}: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - malformed XML/YAML, a number that is not one
        raise FeedListError(f"{path}: not a readable feed list ({type(exc).__name__}: {exc})") from None
    if not feeds:
        raise FeedListError(f"{path}: no feeds in it")
    for feed in feeds:
        if urlsplit(feed.url).scheme not in ("http", "https"):
            raise FeedListError(f"{path}: {feed.url!r} is not an http(s) URL")
    unique = {feed.url: feed for feed in feeds}
    return list(unique.values())


def _opml_feeds(data: bytes, default_interval: float) -> list[Feed]:
    import defusedxml.ElementTree as SafeET
    feeds = []
    for outline in SafeET.fromstring(data).iter("outline"):
        attrs = {k.lower(): v for k, v in outline.attrib.items()}
        if attrs.get("xmlurl"):
            url, interval = attrs["xmlurl"].strip(), attrs.get("interval")
            feeds.append(Feed(url, attrs.get("title") or attrs.get("text"),
                              _interval(url, interval) if interval else default_interval))
    return feeds


# the shortest time between two polls of one feed: below it (0.001, NaN, -60, "often") the feed is
# asked for as fast as the loop turns; feeds change in minutes and most ask for 15 minutes or more
MIN_INTERVAL = 1.0


def _is_interval(seconds: Any) -> bool:
    return (isinstance(seconds, (int, float)) and not isinstance(seconds, bool) and math.isfinite(seconds)
            and seconds >= MIN_INTERVAL)


def _interval(url: str, value: Any) -> float:
    """A feed's own interval, held to the rule of ``--interval``: a finite number of seconds of at
    least MIN_INTERVAL."""
    try:
        seconds = float(value) if not isinstance(value, bool) else math.nan
    except (TypeError, ValueError):
        seconds = math.nan
    if not _is_interval(seconds):
        raise FeedListError(f"feed {url}: interval {value!r} is not a number of seconds of at least {MIN_INTERVAL:g}")
    return seconds


_COMMENT = re.compile(r"(^|\s)#.*$")


def _url_lines(data: bytes) -> list[str] | None:
    """The URLs of a plain list, one per line; None when the text is something else (YAML). A ``#``
    after a space starts a comment (``URL  # desk``); one inside the URL is its fragment."""
    lines = [_COMMENT.sub("", line).strip() for line in data.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line]
    if lines and all("://" in line and not any(c.isspace() for c in line) and not line.startswith("-")
                     for line in lines):
        return lines
    return None


def _not_a_url_line(data: bytes) -> str:
    """What is wrong with a plain list of feeds that _url_lines refused: its first line that is no URL."""
    for n, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
        line = _COMMENT.sub("", line).strip()
        if line and ("://" not in line or any(c.isspace() for c in line)):
            return f"line {n}: {line[:200]!r} is no feed URL (a plain list holds one URL, with its scheme, per line)"
    return "a plain list holds one URL per line"


def _yaml_feeds(data: bytes, default_interval: float) -> list[Feed]:
    import yaml
    document = yaml.safe_load(data) or {}
    if isinstance(document, str):  # lines of text, not YAML: a plain list with a line that is no URL
        raise FeedListError(_not_a_url_line(data))
    items = document.get("feeds", []) if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise FeedListError("'feeds' must be a list (of URLs or of {url, name, interval})")
    feeds = []
    for item in items:
        if isinstance(item, str):
            item = {"url": item}
        if not isinstance(item, dict) or not item.get("url"):
            raise FeedListError(f"every feed needs a url, got {item!r}")
        url, interval = str(item["url"]).strip(), item.get("interval")
        feeds.append(Feed(url, item.get("name"), default_interval if interval is None else _interval(url, interval)))
    return feeds


@dataclasses.dataclass
class PollResult:
    url: str
    status: str = "ok"                    # ok | not_modified | error | rejected | delivery_failed
    entries: int = 0                      # entries in the document
    new: int = 0                          # raw articles acknowledged
    rejected: Counter = dataclasses.field(default_factory=Counter)
    reason: str | None = None
    detail: str | None = None
    bozo: bool = False


@dataclasses.dataclass
class Summary:
    feeds: int = 0
    ok: int = 0
    not_modified: int = 0
    entries: int = 0
    new: int = 0
    bozo: int = 0
    feed_errors: Counter = dataclasses.field(default_factory=Counter)
    rejected: Counter = dataclasses.field(default_factory=Counter)
    delivery_failed: bool = False
    seconds: float = 0.0

    def add(self, result: PollResult) -> None:
        self.feeds += 1
        self.entries += result.entries
        self.new += result.new
        self.bozo += result.bozo
        self.rejected.update(result.rejected)
        if result.status == "ok":
            self.ok += 1
        elif result.status == "not_modified":
            self.not_modified += 1
        else:
            self.feed_errors[result.reason or result.status] += 1
        if result.status == "delivery_failed":
            self.delivery_failed = True

    @property
    def all_failed(self) -> bool:
        """No feed answered: a single pass that read nothing is a failure to report (exit 1)."""
        return self.feeds > 0 and self.ok + self.not_modified == 0

    def describe(self) -> str:
        errors = ", ".join(f"{k}={v}" for k, v in sorted(self.feed_errors.items())) or "none"
        rejected = ", ".join(f"{k}={v}" for k, v in sorted(self.rejected.items())) or "none"
        return (f"rss: {self.feeds} feeds polled, {self.ok} ok, {self.not_modified} not modified,"
                f" {sum(self.feed_errors.values())} failed ({errors}); {self.entries} entries,"
                f" {self.new} new delivered, entries rejected: {rejected}; {self.bozo} bozo;"
                f" {self.seconds:.1f}s" + ("; DELIVERY FAILED" if self.delivery_failed else "")
                + ("; EVERY FEED FAILED" if self.all_failed else ""))


def _iso(parsed_time) -> str | None:
    if not parsed_time:
        return None
    try:
        return datetime(*parsed_time[:6], tzinfo=timezone.utc).isoformat().replace("+00:00", "Z")
    except (TypeError, ValueError):
        return None


def _published(entry: dict) -> str | None:
    """The entry's publication time (else its update time) in UTC, its text read as the cleaning
    reads times (pipeline.times): feedparser reads a zone it does not know (CEST, BST, AEST) as UTC
    and rolls a day that does not exist (2026-02-30) on into the next month. feedparser's reading
    is taken only for a text the cleaning cannot read, when its year is plausible (it read epoch
    seconds as the year 1679 and passed the year 1 through) and the text names no impossible ISO
    date. A date alone is midnight UTC, as feedparser gives it."""
    for key in ("published", "updated"):
        raw = entry.get(key).strip() if isinstance(entry.get(key), str) else ""
        if raw and (found := normalise_published(raw)):
            return found if "T" in found else found + "T00:00:00Z"
        parsed = entry.get(key + "_parsed")
        if parsed and MIN_YEAR <= parsed[0] <= MAX_YEAR and not _impossible_iso_date(raw) and (found := _iso(parsed)):
            return found
    return None


_ISO_DATE = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})")


def _impossible_iso_date(text: str) -> bool:
    """Whether ``text`` opens with an ISO date that is no day of the calendar (2026-02-30, 2026-13-01)."""
    found = _ISO_DATE.match(text)
    if found is None:
        return False
    try:
        date(*map(int, found.groups()))
    except ValueError:
        return True
    return False


_MARKUP_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml", "text/xml")


def _text_of(detail: dict | None, value: str | None) -> str:
    """Plain text of a title, summary or content: markup (HTML, XHTML, XML) stripped, plain text
    kept, and nothing from any other type (Atom's base64 application/octet-stream, an image/png):
    a binary is no text, whether feedparser decoded its bytes or left them in base64."""
    if not value:
        return ""
    kind = ((detail or {}).get("type") or "text/html").split(";", 1)[0].strip().lower()
    if kind in _MARKUP_TYPES or kind.endswith(("/xml", "+xml")):
        return html_to_text(value)
    if kind.startswith("text/"):
        return value.strip()
    return ""


def entry_id(entry: dict, feed_url: str, *, base: str | None = None, home: str | None = None) -> str | None:
    """The entry's id, from the entry alone: its guid (a bare, non-URI guid prefixed with the feed's
    host), else its link (a relative one resolved against ``base``, the feed's final URL, else
    ``feed_url``), else a hash of its title, dates and summary. A guid or link that names no article
    (the site's root, the feed's ``home`` page, the feed itself: what some CMSs give every item) is
    passed over; as the id it made every later item a repeat of the first one seen."""
    guid = entry.get("id") or entry.get("guid")
    guid = guid.strip() if isinstance(guid, str) else ""
    link = _entry_link(entry, base or feed_url) or ""
    if guid and not _names_no_article(guid, feed_url, home):
        if ":" not in guid:      # a bare number or slug is only unique inside its own feed
            guid = f"{urlsplit(feed_url).netloc}:{guid}"
        return stable_id(guid)
    if link and not _names_no_article(link, feed_url, home):
        return stable_id(link)
    basis = "|".join(_content(entry))
    if not basis.strip("|"):
        # only a content element (an Atom entry without id, link or title): its text is the basis (the
        # other entries keep the ids they had before content counted)
        basis = "|".join(str(c.get("value") or "") for c in entry.get("content") or [] if isinstance(c, dict))
    if basis.strip("|"):
        return _hashed_id(feed_url, basis)
    return stable_id(guid or link) if guid or link else None


def entry_ids(entries: list[dict], feed_url: str, *, base: str | None = None,
              home: str | None = None) -> list[str | None]:
    """:func:`entry_id` of each entry, except where different entries of the document share one:
    a guid shared by entries with different links (one number for every item) gives way to their
    links, and entries still sharing an id but not their title, summary or dates (the updates of a
    live page under its one link) are each known by a hash of that id and their own content.
    Otherwise all but the first would be dropped as repeats, every poll. An entry repeated whole
    keeps the one id, and the repeat is counted as a duplicate."""
    base = base or feed_url
    ids = [entry_id(entry, feed_url, base=base, home=home) for entry in entries]
    links = [_entry_link(entry, base) if _own_link(entry) else None for entry in entries]
    ids = _told_apart(ids, links, lambda i: stable_id(links[i]) if links[i] else ids[i])
    contents = [_content(entry) for entry in entries]
    return _told_apart(ids, contents, lambda i: _hashed_id(feed_url, "|".join((ids[i], *contents[i]))))


def _told_apart(ids: list[str | None], keys: list, new_id) -> list[str | None]:
    """``ids``, where entries that share one differ in their ``keys``: ``new_id(index)`` for each."""
    keys_of: dict[str, set] = {}
    for item_id, key in zip(ids, keys):
        if item_id is not None:
            keys_of.setdefault(item_id, set()).add(key)
    return [new_id(i) if item_id is not None and len(keys_of[item_id]) > 1 else item_id
            for i, item_id in enumerate(ids)]


def _content(entry: dict) -> tuple[str, ...]:
    return tuple(str(entry.get(k) or "") for k in ("title", "published", "updated", "summary"))


def _hashed_id(feed_url: str, basis: str) -> str:
    return "sha256:" + hashlib.sha256((feed_url + "|" + basis).encode("utf-8", "surrogatepass")).hexdigest()


def _names_no_article(address: str, feed_url: str, home: str | None) -> bool:
    """Whether a guid or link is a site's root, the feed's home page or the feed itself."""
    try:
        parts = urlsplit(address)
    except ValueError:  # "http://[oops": no address at all, but it still tells entries apart
        return False
    if parts.scheme in ("http", "https") and parts.path in ("", "/") and not (parts.query or parts.fragment):
        return True
    return _address_key(address) in {_address_key(url) for url in (feed_url, home) if isinstance(url, str)}


def _address_key(url: str) -> str:
    """``url`` compared without its scheme, case or trailing slash."""
    return url.split("://", 1)[-1].rstrip("/").lower()


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _entry_link(entry: dict, base: str | None) -> str | None:
    """The entry's link as written, its own link resolved against ``base`` when relative: feedparser
    resolves against xml:base and Content-Location, but a link in a feed served without a
    Content-Type, or in a JSON Feed, is still relative to the feed's URL. A "link" feedparser copied
    from a guid ("1234", isPermaLink left out) is not resolved: it is no address."""
    link = entry.get("link").strip() if isinstance(entry.get("link"), str) else ""
    if link and base and not _SCHEME.match(link) and _own_link(entry):
        try:
            link = urljoin(base, link)
        except ValueError:  # "//[oops/a": left as written, and no web address
            pass
    return link or None


def _web_address(link: str) -> bool:
    try:
        return urlsplit(link).scheme in ("http", "https")
    except ValueError:  # "http://[oops/a" (Invalid IPv6 URL)
        return False


def _own_link(entry: dict) -> str | None:
    """The entry's link from a link element; None when feedparser copied it from a guid or id (then
    the entry has no ``links``; ``guidislink`` does not tell, it stays true beside a <link>)."""
    link = entry.get("link")
    if not isinstance(link, str) or not link.strip() or not entry.get("links"):
        return None
    return link.strip()


def parse_document(content: bytes, headers: Mapping[str, str], url: str) -> dict[str, Any]:
    """A fetched feed body as feedparser's result (``version``, ``feed``, ``entries``, ``bozo``):
    RSS 0.9x/1.0/2.0, Atom 0.3/1.0, CDF, or a JSON Feed. ``headers`` are the response's, ``url`` the
    final URL (the base of relative links). Raises Rejected: xml_entities / xml_external_entity /
    xml_dtd (a dangerous prolog), parse_crash, not_a_feed (no feed, and no feed root either)."""
    lowered = {k.lower(): v for k, v in headers.items()}
    if looks_like_json(content, lowered.get("content-type")):
        return parse_json_feed(content)
    check_xml(content)
    passed = {k: lowered[k] for k in PASSED_HEADERS if k in lowered}
    if "content-type" in passed:
        # the final URL is the base for relative links; without a Content-Type header feedparser
        # would call any headers at all "bozo", so then it sees none (as when parsing a file)
        passed.setdefault("content-location", url)
    try:
        # no sanitizing and no resolving of links inside the HTML: the connector sends text, and
        # html_to_text drops script, style and head with their content itself; feedparser's regex
        # sanitizer left the body of a script it could not match ("function executeMe() {") for the
        # tag stripping to keep as text, and the two passes took three quarters of the parse time
        parsed = feedparser.parse(_undeclared_to_utf8(content, passed.get("content-type")), response_headers=passed,
                                  sanitize_html=False, resolve_relative_uris=False)
    except Exception as exc:  # noqa: BLE001 - a parser crash on hostile input is a rejected feed
        raise Rejected("parse_crash", f"{type(exc).__name__}: {exc}", stage="connector") from None
    root = _root(content)
    if not parsed.get("entries") and not parsed.get("version") and (root or "").lower() != "channel":
        # no items and no RSS/Atom/RDF root: an API's error document, a sitemap, an empty body
        # (well-formed, so not bozo) is a failed poll, not a quiet feed. An empty feed has a
        # version, but CDF (a <CHANNEL> root) gets none from feedparser
        raise Rejected("not_a_feed", _not_a_feed(parsed, content, root), stage="connector")
    return parsed


_XML_ENCODING = re.compile(rb"\s*<\?xml[^>]*\bencoding\s*=", re.I)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


def _undeclared_to_utf8(content: bytes, content_type: str | None) -> bytes:
    """``content`` re-encoded as UTF-8 when nothing names its encoding (no byte-order mark, no HTTP
    charset, no encoding in the XML declaration) and it is not UTF-8 already: a guess from the bytes
    (charset-normalizer, as for pages) instead of feedparser's windows-1252 fallback, which made
    EUC-KR, GB2312, Shift_JIS, KOI8-R ... feeds mojibake. Anything declared is left to feedparser."""
    if not content or content.startswith(_BOMS) or "charset=" in (content_type or "").lower().replace(" ", ""):
        return content
    head = content[:1024]
    if b"\x00" in head or _XML_ENCODING.match(head):   # UTF-16/32 without a mark: feedparser reads those
        return content
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        guess = guess_encoding(content)
    else:
        return content  # UTF-8 already
    if not guess or guess in ("utf-8", "ascii"):
        return content
    text = content.decode(guess, errors="replace")
    if _mostly_latin(text):
        # Latin text in some 8-bit code page: the guess between windows-1252 and its neighbours is a
        # coin toss on a short feed (French "très" came out as cp1250 "trčs"), and feedparser's own
        # fallback, windows-1252, is right for most of it
        return content
    return text.encode("utf-8")


def _mostly_latin(text: str) -> bool:
    """Whether most letters outside ASCII are Latin ones (é, ß, č), not Cyrillic, Greek, Hebrew, CJK ..."""
    letters = [c for c in text if ord(c) > 127 and c.isalpha()]
    latin = sum(1 for c in letters if unicodedata.name(c, "").startswith("LATIN"))
    return bool(letters) and latin * 2 >= len(letters)


class RssConnector:
    connector = "rss"

    def __init__(self, feeds: list[Feed], sink: _BaseSink, fetcher: Fetcher, *, state_path: str | Path,
                 fetch_pages: bool = False, delivery_timeout: float = 300.0, jitter: float = 0.1,
                 max_backoff: float = 6 * 3600.0, min_error_delay: float = 30.0, page_delay: float = 1.0):
        self.feeds = feeds
        self.sink = sink
        self.fetcher = fetcher
        self.state = State(state_path)
        self._held_state: State | None = None
        if isinstance(sink, StdoutSink):
            # a dry run (--stdout) produces nothing, so it stores no validators or seen ids either (the
            # next real run would find the feeds "not modified"); the file stays locked, as for a real run
            self._held_state, self.state = self.state, State(":memory:")
        self.fetch_pages = fetch_pages
        self.delivery_timeout = delivery_timeout
        self.jitter = jitter
        self.max_backoff = max_backoff
        self.min_error_delay = min_error_delay
        self.stop_event = threading.Event()
        # linked pages are fetched as ingest urls fetches them: robots.txt on every hop, per-host
        # spacing, Retry-After honoured (the feeds themselves are asked for at their own interval)
        self.pages = PoliteFetcher(fetcher, per_host_delay=page_delay, stop_event=self.stop_event)
        self._delivery_ok = True

    def ready(self) -> bool:
        return self._delivery_ok

    def close(self) -> None:
        self.stop_event.set()
        self.state.close()
        if self._held_state is not None:
            self._held_state.close()
        self.fetcher.close()

    # -- scheduling ----------------------------------------------------------------------------
    def _jittered(self, seconds: float) -> float:
        return max(0.0, seconds * (1 + random.uniform(-self.jitter, self.jitter)))

    def _schedule_ok(self, feed: Feed, **fields) -> None:
        # held to the floor load_feeds enforces, for a Feed built in code and under a --jitter of 1 too
        delay = max(MIN_INTERVAL, self._jittered(feed.interval))
        self.state.update_feed(feed.url, failures=0, next_poll=time.time() + delay, **fields)

    def _schedule_error(self, feed: Feed, status: str) -> float:
        failures = self.state.feed(feed.url)["failures"] + 1
        base = max(self.min_error_delay, min(feed.interval, 300.0))
        delay = self._jittered(min(self.max_backoff, base * 2 ** (failures - 1)))
        self.state.update_feed(feed.url, failures=failures, next_poll=time.time() + delay, last_status=status)
        return delay

    # -- one feed ------------------------------------------------------------------------------
    def _fail(self, feed: Feed, result: PollResult, reason: str, detail: str, *, payload: bytes | None = None,
              deadletter: bool = False) -> PollResult:
        result.status = "delivery_failed" if reason == "delivery" else ("rejected" if deadletter else "error")
        result.reason, result.detail = reason, detail
        metrics.ERRORS.labels(self.connector, reason).inc()
        delay = self._schedule_error(feed, reason)
        log.warning("feed %s: %s: %s (next try in %.0fs)", feed.url, reason, detail, delay)
        if deadletter:
            record = connector_deadletter(payload, reason, detail, source=feed.name, location=feed.url)
            try:
                self.sink.deliver_deadletters([record], deadline=time.monotonic() + self.delivery_timeout)
                metrics.DEADLETTERS.labels(self.connector, reason).inc()
            except DeliveryError as exc:
                log.error("feed %s: dead letter not delivered: %s", feed.url, exc)
        return result

    def poll_feed(self, feed: Feed) -> PollResult:
        try:
            return self._poll_feed(feed)
        except Exception as exc:  # noqa: BLE001 - a bug met on one feed must not stop the polls of the others
            log.exception("feed %s: poll failed unexpectedly", feed.url)
            return self._fail(feed, PollResult(feed.url), "unexpected", f"{type(exc).__name__}: {exc}"[:500])

    def _poll_feed(self, feed: Feed) -> PollResult:
        result = PollResult(feed.url)
        saved = self.state.feed(feed.url)
        headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9,"
                             " */*;q=0.5"}
        if saved["etag"]:
            headers["If-None-Match"] = saved["etag"]
        if saved["last_modified"]:
            headers["If-Modified-Since"] = saved["last_modified"]
        try:
            response = self.fetcher.get(feed.url, headers)
        except FetchError as exc:
            return self._fail(feed, result, exc.reason, exc.detail)
        # A server that sends no validators answers 200 with the same bytes: after a whole poll of
        # them (not one a stop cut short, which clears the digest), nothing in them is new, and
        # parsing a large feed costs about a second per megabyte
        digest = hashlib.sha256(response.content).hexdigest() if response.status == 200 else None
        if response.status == 304 or (digest is not None and digest == saved["body_sha256"]):
            result.status = "not_modified"
            self._schedule_ok(feed, last_status="not_modified")
            metrics.LAST_SUCCESS.labels(self.connector).set_to_current_time()
            return result
        try:
            parsed = parse_document(response.content, response.headers, response.url)
        except Rejected as exc:
            return self._fail(feed, result, exc.reason, exc.detail, payload=response.content, deadletter=True)
        result.bozo = bool(parsed.get("bozo"))
        entries = parsed.get("entries") or []
        result.entries = len(entries)
        if result.bozo:
            exc = parsed.get("bozo_exception")
            log.info("feed %s is not well-formed (%s: %s); using what the lenient parser recovered",
                     feed.url, type(exc).__name__, exc)
            metrics.ERRORS.labels(self.connector, "bozo").inc()

        source = (feed.name or html_to_text(parsed.get("feed", {}).get("title") or "")
                  or urlsplit(feed.url).netloc or "rss")[:256]
        feed_language = parsed.get("feed", {}).get("language")
        by_id: dict[str, tuple[int, dict]] = {}
        ids = entry_ids(entries, feed.url, base=response.url, home=parsed.get("feed", {}).get("link"))
        for index, (entry, item_id) in enumerate(zip(entries, ids)):
            if item_id is None:
                result.rejected["no_id"] += 1
            elif item_id in by_id:
                result.rejected["duplicate"] += 1   # the same entry twice in one document: sent once
            else:
                by_id[item_id] = (index, entry)
        new_ids = self.state.unseen(feed.url, by_id)
        raws: list[RawArticle] = []
        deadletters: list[dict[str, Any]] = []
        stopped = False
        for item_id, (index, entry) in by_id.items():
            if item_id not in new_ids:
                continue
            if self.fetch_pages and self.stop_event.is_set():
                # each entry costs a page fetch: stop between them; without pages, the feed in hand
                # costs nothing more to deliver whole
                stopped = True
                break
            try:
                raws.append(self._entry_article(entry, item_id, source, feed, feed_language, response.url))
                continue
            except FetchError:  # "stopped": a SIGTERM while waiting for the page's host
                stopped = True
                break
            except Rejected as exc:
                why = exc
            except Exception as exc:  # noqa: BLE001 - a bug met on one entry costs that entry, not the feed
                log.exception("feed %s: entry %s failed unexpectedly; dead-lettered", feed.url, item_id)
                why = Rejected("unexpected", f"{type(exc).__name__}: {exc}"[:500], stage="connector")
            result.rejected[why.reason] += 1
            deadletters.append(connector_deadletter(
                _entry_payload(entry), why.reason, why.detail, article_id=item_id, source=source,
                location=f"{feed.url}#entry{index}"))
        refused: set[str] = set()
        try:
            if raws:
                delivered = self.sink.deliver(raws, deadline=time.monotonic() + self.delivery_timeout)
                # too large, or refused by the broker: the sink dead-lettered it; rejected, not new
                for raw, why in getattr(delivered, "refused", ()):
                    refused.add(raw.id)
                    result.rejected[why.reason] += 1
            if deadletters:
                self.sink.deliver_deadletters(deadletters, deadline=time.monotonic() + self.delivery_timeout)
        except DeliveryError as exc:
            self._delivery_ok = False
            return self._fail(feed, result, "delivery", str(exc))
        self._delivery_ok = True
        self.state.mark_seen(feed.url, [r.id for r in raws if r.id not in refused])
        self.state.mark_seen(feed.url, [d["id"] for d in deadletters if d.get("id")] + sorted(refused),
                             status="rejected")
        result.new = len(raws) - len(refused)
        metrics.NEW_ENTRIES.labels(self.connector).inc(result.new)
        for reason, n in Counter(d["reason"] for d in deadletters).items():
            metrics.DEADLETTERS.labels(self.connector, reason).inc(n)
        if result.rejected["no_id"]:  # skipped, not dead-lettered: an error of the feed's, as bozo is
            metrics.ERRORS.labels(self.connector, "no_id").inc(result.rejected["no_id"])
        metrics.LAST_SUCCESS.labels(self.connector).set_to_current_time()
        if stopped:
            # the rest is read at the next start: due at once, and under the old validators, so
            # that an unchanged feed is not answered 304 with entries still unread
            log.info("feed %s: stopped after %d of %d new entries", feed.url, len(raws) + len(deadletters),
                     len(new_ids))
            self.state.update_feed(feed.url, next_poll=0.0, last_status="stopped", body_sha256=None)
            return result
        self._schedule_ok(feed, etag=response.headers.get("etag"), last_modified=response.headers.get("last-modified"),
                          last_status="ok", body_sha256=digest)
        return result

    def _entry_article(self, entry: dict, item_id: str, source: str, feed: Feed,
                       feed_language: str | None, base: str | None = None) -> RawArticle:
        link = _entry_link(entry, base)
        if link and not _web_address(link):   # "javascript:", a bare guid, "http://[oops/a"
            link = None
        text, used = "", None
        for content in entry.get("content") or []:
            text, used = _text_of(content, content.get("value")), content
            if text:
                break
        if not text:
            text, used = _text_of(entry.get("summary_detail"), entry.get("summary")), entry.get("summary_detail")
        title = _text_of(entry.get("title_detail"), entry.get("title")) or None
        # the language of the text sent (xml:lang on the content or summary, inherited from the entry
        # or the feed element, or the Content-Language header), then of the title, then the feed's
        language = next((d.get("language") for d in (used if text else None, entry.get("title_detail"))
                         if isinstance(d, dict) and isinstance(d.get("language"), str) and d["language"].strip()),
                        None) or entry.get("language") or feed_language
        document: dict[str, Any] = {
            "id": item_id, "source": source, "url": link[:4096] if link else None,
            "title": title[:4096] if title else None,
            "published": _published(entry),
            "fetched_at": utcnow_iso(),
            "language": ((language if isinstance(language, str) else "").strip()[:16] or None),
            "meta": {"connector": "rss", "feed": feed.url, "guid": entry.get("id")},
        }
        if self.fetch_pages and link:
            try:
                page = self.pages.get(link, accept_types=HTML_TYPES)
                document["html"] = decode_html(page.content, page.charset)
                document["meta"]["page_url"] = page.url
                if text:
                    document["meta"]["summary"] = text[:2000]
            except FetchError as exc:
                if exc.reason == "stopped":
                    raise
                log.info("entry %s: page not fetched (%s); using the feed text", item_id, exc)
                document["meta"]["page_error"] = exc.reason
        if "html" not in document:
            if not text and not title:
                raise Rejected("no_content", "the entry has neither title, content nor summary", stage="connector")
            document["text"] = text  # "" under a title: a headline-only item, which the cleaning judges
        document = {k: v for k, v in document.items() if v is not None}
        try:
            return RawArticle.from_dict(document)
        except Rejected as exc:
            raise Rejected(exc.reason, exc.detail, stage="connector") from None

    # -- loops ---------------------------------------------------------------------------------
    def poll_all(self) -> Summary:
        summary = Summary()
        started = time.monotonic()
        for feed in self.feeds:
            if self.stop_event.is_set():
                break
            summary.add(self.poll_feed(feed))
        summary.seconds = time.monotonic() - started
        return summary

    def run_forever(self) -> None:
        log.info("polling %d feeds", len(self.feeds))
        while not self.stop_event.is_set():
            now = time.time()
            due = [feed for feed in self.feeds if self.state.feed(feed.url)["next_poll"] <= now]
            for feed in due:
                if self.stop_event.is_set():
                    return
                self.poll_feed(feed)
            upcoming = min((self.state.feed(f.url)["next_poll"] for f in self.feeds), default=now + 60)
            self.stop_event.wait(max(0.2, min(5.0, upcoming - time.time())))


def _root(content: bytes) -> str | None:
    """The name of the document's first element (ASCII-compatible encodings), without its prefix."""
    found = re.search(rb"<([A-Za-z_][\w.:-]*)", content[:4096])
    return found[1].decode("ascii", "replace").rpartition(":")[2] if found else None


def _not_a_feed(parsed: dict, content: bytes, root: str | None) -> str:
    """The not_a_feed detail: the parser's complaint, else what the document is instead."""
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        return f"{type(exc).__name__}: {exc}"[:500]
    if not content.strip():
        return "no RSS, Atom or RDF feed: the body is empty"
    return "no RSS, Atom or RDF feed" + (f": the document is <{root}>" if root else "")


def _entry_payload(entry: dict) -> bytes:
    import orjson
    try:
        return orjson.dumps(entry, default=str)
    except TypeError:
        return repr(entry).encode("utf-8", "replace")
