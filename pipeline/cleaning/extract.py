"""HTML extraction with trafilatura, in worker processes with a per-document time limit.

trafilatura is pure Python over lxml: a pathological page can keep it busy for a long time and a
thread cannot be interrupted, so every document goes to a small pool of worker processes. The
caller waits on the worker's pipe with a deadline; a worker that misses it is killed and replaced
(the pool never shrinks), and the document is rejected with reason "timeout". A worker that dies
(segfault in libxml2, out of memory) is replaced the same way and the document is rejected with
"extraction_failed".
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import queue
import re
import signal
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from typing import Any
from urllib.parse import urljoin, urlsplit

from schemas.models import Rejected

from .config import CleaningConfig

LOG = logging.getLogger(__name__)

_META_FIELDS = ("title", "author", "sitename", "url", "description")
_MARKUP = re.compile(r"<[A-Za-z][\w:-]*[\s/>]")  # an opening tag


def _light_metadata(tree, url: str | None) -> dict[str, Any]:
    """Title, author, site name, canonical URL and date from <meta>, OpenGraph and JSON-LD.

    This is the cheap part of trafilatura's metadata extraction (about 1.5 ms a page against
    7-9 ms for ``extract_metadata``, which also scans the page for author names, categories,
    tags and licences); the date comes from htmldate without its extensive search.
    """
    from htmldate import find_date
    from trafilatura.metadata import examine_meta, extract_meta_json, extract_sitename, extract_title

    meta = examine_meta(tree)
    try:
        meta = extract_meta_json(tree, meta)
    except Exception:  # trafilatura's JSON-LD reader has had bugs on odd pages; meta tags still count
        pass
    if not meta.sitename:
        meta.sitename = extract_sitename(tree)
    if meta.title and _names_site(meta.title, meta.sitename, url):
        meta.title = None  # an og:title that is the site's name on every page is no headline
    if not meta.title:
        title = extract_title(tree)
        if title and (_names_site(title, meta.sitename, url) or _site_headings(tree, url, title)):
            # trafilatura takes a page's only <h1>, or a heading whose class says "title", or the first
            # part of "Site | Headline": on many sites that is the logo in the masthead ("<a href="/">
            # <h1>Site</h1></a>", class "site-title") or the site's name; the headline is then the
            # next candidate that is not the site's own, and none is better than the site's name
            title = _page_title(tree, url, meta.sitename)
        meta.title = title
    try:
        date = find_date(tree, url=url or meta.url, extensive_search=False, original_date=True)
    except Exception:
        date = None
    out = {name: getattr(meta, name, None) for name in _META_FIELDS}
    out["heading"] = _page_heading(tree, url)
    out["date"] = date
    out["html_lang"] = tree.get("lang") or None
    return out


# A heading that names the site rather than the page: a class or id of the heading or of what holds
# it says logo, brand, masthead, site title or name ("site-title", "logo", "navbar-brand", "blog-name").
# Each class is read by its last BEM part: "site-header__article-title" is an article's title.
_SITE_CLASS = re.compile(r"(?i)(?:^|[_-])(?:logo\w*|brand\w*|masthead|navbar"
                         r"|site[-_]?(?:title|name|header|branding|logo|id)|blog[-_]?(?:name|logo))(?:$|[_-])")
_HOME_PATHS = frozenset({"", "/", "/index.html", "/index.htm", "/index.php", "/home", "/default.aspx"})
_SITE_ANCESTORS = 4  # how far up a heading's class and home link are looked for
_SITE_NAME_WORDS = 8  # a heading classed as the site's is its name or tagline: longer is a headline
_SITE_NAME_CHARS = 60


def _words_key(text: str | None) -> str:
    return "".join(re.findall(r"\w+", (text or "").casefold()))


def _names_site(title: str, sitename: str | None, url: str | None) -> bool:
    """Whether ``title`` is only the site's name or host ("Entermedia", "example.com")."""
    key = _words_key(title)
    if not key:
        return False
    names = {_words_key(sitename)} if sitename else set()
    try:
        host = (urlsplit(url).hostname or "") if url and "//" in url else ""
    except ValueError:  # an address that cannot be read names no host
        host = ""
    if host:
        labels = host.lower().removeprefix("www.").split(".")
        names.update({_words_key(host), _words_key(".".join(labels)), labels[0] if len(labels) > 1 else ""})
    names.discard("")
    return key in names


def _is_home_link(element, url: str | None) -> bool:
    href = (element.get("href") or "").strip()
    if element.tag != "a" or not href or href.startswith(("#", "javascript:", "mailto:")):
        return False
    try:
        parts = urlsplit(urljoin(url, href) if url else href)
    except ValueError:
        return False
    return parts.path.rstrip("/") in {p.rstrip("/") for p in _HOME_PATHS} and not parts.query


def site_heading(heading, url: str | None) -> bool:
    """Whether ``heading`` (an <h1>-<h3> element) is the site's masthead, not a page's headline: it
    links to the site's home page (itself, a link inside it holding all its text, or a link around
    it), or it stands in the page's banner, or it or what holds it is classed as a logo, brand,
    masthead or site title and it is as short as a name or tagline. Looked for up to a few levels up,
    and never above an <article> or <main>, where a headline may sit in a header of its own."""
    key = _words_key(heading.text_content())
    for link in heading.iter("a"):
        if _is_home_link(link, url) and _words_key(link.text_content()) == key:
            return True
    text = " ".join(heading.text_content().split())
    short = len(text.split()) <= _SITE_NAME_WORDS and len(text) <= _SITE_NAME_CHARS
    element = heading
    for _ in range(_SITE_ANCESTORS + 1):
        if element is None or element.tag in ("article", "main", "body", "html"):
            return False
        if _is_home_link(element, url) or element.get("role") == "banner":
            return True
        if short and _site_class(element):
            return True
        element = element.getparent()
    return False


def _site_class(element) -> bool:
    names = f"{element.get('class') or ''} {element.get('id') or ''}".split()
    return any(_SITE_CLASS.search(name.rsplit("__", 1)[-1]) for name in names)


def _heading_text(element) -> str:
    from trafilatura.metadata import block_text  # keeps word boundaries at block tags, as trafilatura does
    return block_text(element)


def _site_headings(tree, url: str | None, title: str) -> bool:
    """Whether ``title`` is the text of headings that are all the site's masthead (:func:`site_heading`);
    one that repeats the article's own heading in a sticky site header is not."""
    key = _words_key(title)
    same = [h for h in tree.iter("h1", "h2", "h3") if _words_key(h.text_content()) == key]
    return bool(same) and all(site_heading(h, url) for h in same)


def _page_heading(tree, url: str | None) -> str | None:
    """The page's first <h1> that is not the site's masthead: its headline as the page shows it, which
    may differ from the title its metadata gives (an edition's own headline, a shorter social one)."""
    for heading in tree.iter("h1"):
        text = _heading_text(heading)
        if 2 < len(text) < 300 and not site_heading(heading, url):
            return text
    return None


def _page_title(tree, url: str | None, sitename: str | None = None) -> str | None:
    """The page's headline when trafilatura's first choice was the site's masthead or name: the one
    <h1> that is not the site's, a heading classed as a headline or title that is not the site's, the
    part of the <title> that is not the site's name, the first <h1> that is not the site's, then the
    first such <h2>; None when all there is names the site."""
    from trafilatura.metadata import TITLE_XPATHS, examine_title_element

    def own_text(text: str | None) -> str | None:
        return text if text and 2 < len(text) < 200 and not _names_site(text, sitename, url) else None

    def usable(element) -> str | None:
        text = own_text(_heading_text(element))
        return text if text and not site_heading(element, url) else None

    own = [text for text in map(usable, tree.iter("h1")) if text]
    if len(own) == 1:
        return own[0]
    for expression in TITLE_XPATHS:
        for element in expression(tree):
            text = usable(element)
            if text:
                return text
    whole, first, second = examine_title_element(tree)
    for part in (first, second):
        if own_text(part) and "." not in part:
            return part
    if own:
        return own[0]
    return next(filter(None, map(usable, tree.iter("h2"))), None) or own_text(whole)


def _drop_inline_cards(tree) -> int:
    """Remove the cards a site sets inside a paragraph's sentence: a person's pop-up with links to
    other stories ("Kristi Noem<span>Kristi Lynn Noem / South Dakota governor doubles down on ... /
    South Dakota drops pipeline protest laws ... / MORE</span> (R) is defending"), an inline "related"
    box. Such a card is an element inside a <p> whose text is links, at least two of them headlines
    of three words or more, eight words in all; the innermost such element goes, its tail stays,
    so the name the card hangs on stays in the sentence. Returns how many went."""
    dropped = 0
    for element in reversed(tree.xpath("//p//*[self::span or self::small or self::aside or self::section"
                                       " or self::ul or self::ol or self::figure]")):
        if element.getparent() is None:
            continue
        links = [len(link.text_content().split()) for link in element.iter("a")]
        if sum(1 for n in links if n >= 3) < 2:
            continue
        words = len(element.text_content().split())
        if words >= 8 and sum(links) >= 0.8 * words:
            element.drop_tree()
            dropped += 1
    return dropped


TEASER_SUMMARY_WORDS = 8  # a teaser card's summary: a paragraph of this many words inside a link ...
TEASER_CARD_LEVELS = 2  # ... beside another link to the same story, this many levels up at most


def _drop_teaser_cards(tree) -> int:
    """Remove teaser cards: a story's summary written inside a link ("<a href=X><p>Night mode is an
    automatic setting ...</p></a>") next to a link to the same story, its headline or picture ("<a
    class=product-title href=X>Night Mode (iPhone 11)</a>"), in the same box. A sidebar of such
    cards can outweigh a short article's lead for the extractor, and its summary then opens the
    article (macrumors.com's "Guides"). The summary's link and the card's other links to the story
    go. Returns how many cards went."""
    dropped = 0
    for link in list(tree.iter("a")):
        href = (link.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:")) or link.getparent() is None:
            continue
        if not any(len(block.text_content().split()) >= TEASER_SUMMARY_WORDS for block in link.iter("p", "div")):
            continue
        box, others = link.getparent(), []
        for _ in range(TEASER_CARD_LEVELS):
            if box is None:
                break
            others = [other for other in box.iter("a") if other is not link and (other.get("href") or "").strip() == href]
            if others:
                break
            box = box.getparent()
        if not others:
            continue
        for element in (link, *others):
            if element.getparent() is not None:
                element.drop_tree()
        dropped += 1
    return dropped


def extract_html(html: str | bytes, url: str | None, options: dict[str, Any]) -> dict[str, Any]:
    """Body text and metadata of one page (runs in a worker process, or inline)."""
    import trafilatura
    from trafilatura.utils import decode_file, load_html

    tree = load_html(html)
    if tree is None:
        # load_html refuses a fragment of one element ("<p>...</p>", "<div>...</div>") as dubious:
        # a page's markup around it lets the same text through
        text = decode_file(html) if isinstance(html, bytes) else html
        if _MARKUP.search(text):
            tree = load_html(f"<html><body>{text}</body></html>")
    if tree is None:
        return {"error": "the document could not be parsed as HTML (no markup, or not a page)"}
    result = _light_metadata(tree, url)
    result["inline_cards"] = _drop_inline_cards(tree) + _drop_teaser_cards(tree)
    common = {"url": url, "include_comments": options["include_comments"],
              "include_tables": options["include_tables"], "with_metadata": False}
    precision = options["favor_precision"]
    result["passes"] = []

    def run(name: str, **kwargs: Any) -> str:
        result["passes"].append(name)
        doc = trafilatura.bare_extraction(tree, **common, **kwargs)
        return ((doc.text if doc is not None else "") or "").strip()

    # 1. trafilatura's fast mode (no readability/jusText comparison). On pages where it finds a
    #    body of some length, the full mode returns the very same text at about twice the cost.
    # 2. a short result: the full mode, which can fall back on readability and jusText.
    # 3. still short in precision mode: trafilatura's defaults, which drop less.
    if options["fast_first"]:
        text = run("fast", favor_precision=precision, fast=True)
        if len(text) < options["full_pass_below_chars"]:
            full = run("full", favor_precision=precision)
            if len(full) > len(text):
                text = full
    else:
        text = run("full", favor_precision=precision)
    result["fallback"] = False
    if precision and len(text) < options["fallback_min_chars"]:
        text2 = run("recall")
        if len(text2) >= max(1, len(text)) * options["fallback_gain"]:
            text, result["fallback"] = text2, True
    result["text"] = text
    return result


def extraction_options(config: CleaningConfig) -> dict[str, Any]:
    return {"favor_precision": config.favor_precision, "include_comments": config.include_comments,
            "include_tables": config.include_tables, "fallback_min_chars": config.fallback_min_chars,
            "fast_first": config.fast_first, "full_pass_below_chars": config.full_pass_below_chars,
            "fallback_gain": config.fallback_gain}


def _limit_memory(megabytes: int) -> None:
    """Cap the worker's address space, so a page that makes lxml balloon fails alone (MemoryError)."""
    if megabytes <= 0:
        return
    try:
        import resource

        limit = megabytes * 1024 * 1024
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):  # not POSIX, or not allowed: run without the cap
        pass


def _worker_main(inbox: Connection, outbox: Connection, memory_mb: int = 0) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when a worker ends
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    import gc

    import trafilatura  # noqa: F401  (import before saying ready, so the first deadline is fair)

    gc.freeze()  # the imported modules are permanent: keep them out of every later collection
    _limit_memory(memory_mb)
    outbox.send(("ready", os.getpid()))
    while True:
        try:
            message = inbox.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        html, url, options = message
        try:
            reply = ("ok", extract_html(html, url, options))
        except RecursionError:
            reply = ("error", "the page is nested too deeply")
        except MemoryError:
            reply = ("error", "out of memory")
        except Exception as exc:  # anything trafilatura/lxml raise is this document's problem
            reply = ("error", f"{type(exc).__name__}: {exc}"[:500])
        try:
            outbox.send(reply)
        except (OSError, ValueError):
            return


class _Worker:
    """One extractor process: ``python -m pipeline.cleaning._worker RFD WFD``, talking over two pipes.

    A fresh interpreter (not fork) so a threaded parent such as a Faust worker is never forked,
    and not multiprocessing's spawn either, which re-imports the parent's ``__main__``.
    """

    def __init__(self, startup_timeout_s: float, memory_mb: int = 0):
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        env = dict(os.environ)
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "pipeline.cleaning._worker", str(to_child_r), str(from_child_w),
                 str(memory_mb)],
                pass_fds=(to_child_r, from_child_w), stdin=subprocess.DEVNULL, env=env, close_fds=True)
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        self._send = Connection(to_child_w, readable=False)
        self._recv = Connection(from_child_r, writable=False)
        self.ready = False
        self.startup_timeout_s = startup_timeout_s

    def send(self, obj) -> None:
        self._send.send(obj)

    def poll(self, timeout: float) -> bool:
        return self._recv.poll(timeout)

    def recv(self):
        return self._recv.recv()

    def wait_ready(self) -> None:
        if self.ready:
            return
        if not self._recv.poll(self.startup_timeout_s):
            raise RuntimeError("extractor worker did not start")
        self._recv.recv()
        self.ready = True

    def _close_pipes(self) -> None:
        for conn in (self._send, self._recv):
            try:
                conn.close()
            except OSError:
                pass

    def kill(self) -> None:
        try:
            self.proc.kill()
            self.proc.wait(5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self._close_pipes()

    def stop(self) -> None:
        try:
            self._send.send(None)
            self.proc.wait(2)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            pass
        if self.proc.poll() is None:
            self.kill()
        else:
            self._close_pipes()


class HtmlExtractor:
    """A small pool of trafilatura worker processes with a per-document time limit.

    ``extract(html, url)`` is synchronous and thread-safe (each call borrows one idle worker);
    ``aextract`` runs it on a thread so the event loop keeps going. ``workers=0`` extracts in the
    calling thread, without a time limit (offline tools, overhead measurements).
    """

    def __init__(self, config: CleaningConfig | None = None, *, workers: int | None = None,
                 startup_timeout_s: float = 120.0):
        self.config = config or CleaningConfig()
        self.options = extraction_options(self.config)
        self.workers = self.config.extractor_workers if workers is None else workers
        self.timeouts = 0
        self.restarts = 0
        self._closed = False
        self._startup_timeout_s = startup_timeout_s
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        for _ in range(self.workers):
            self._add_worker()
        self._threads = concurrent.futures.ThreadPoolExecutor(
            max_workers=max(1, self.workers), thread_name_prefix="newsflow-extract")

    def _add_worker(self) -> None:
        worker = _Worker(self._startup_timeout_s, self.config.worker_memory_mb)
        with self._lock:
            self._all.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.kill()
        self.restarts += 1
        if not self._closed:
            self._add_worker()

    def extract(self, html: str | bytes, url: str | None = None) -> dict[str, Any]:
        """Extraction result dict (text, title, author, date, sitename, url, html_lang, fallback).

        Raises Rejected("timeout") or Rejected("extraction_failed").
        """
        if self._closed:
            raise RuntimeError("HtmlExtractor is closed")
        if self.workers == 0:
            try:
                return extract_html(html, url, self.options)
            except RecursionError:
                raise Rejected("extraction_failed", "the page is nested too deeply", stage="clean") from None
            except Exception as exc:
                raise Rejected("extraction_failed", f"{type(exc).__name__}: {exc}"[:500], stage="clean") from None
        worker = self._idle.get()
        healthy = False
        try:
            worker.wait_ready()
            worker.send((html, url, self.options))
            if not worker.poll(self.config.extract_timeout_s):
                self.timeouts += 1
                raise Rejected("timeout", f"extraction took longer than {self.config.extract_timeout_s:g} s",
                               stage="clean")
            status, payload = worker.recv()
            healthy = True
        except (EOFError, OSError, RuntimeError) as exc:
            raise Rejected("extraction_failed", f"the extractor process died ({type(exc).__name__})",
                           stage="clean") from None
        finally:
            if healthy:
                self._idle.put(worker)
            else:
                self._replace(worker)
        if status != "ok":
            raise Rejected("extraction_failed", str(payload), stage="clean")
        if payload.get("error"):
            raise Rejected("extraction_failed", payload["error"], stage="clean")
        return payload

    async def aextract(self, html: str | bytes, url: str | None = None) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, self.extract, html, url)

    def close(self, *, wait: bool = True) -> None:
        """Stop the worker processes (after the documents in flight when ``wait``)."""
        if self._closed:
            return
        self._closed = True
        self._threads.shutdown(wait=wait)
        with self._lock:
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.stop()

    def __enter__(self) -> "HtmlExtractor":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:  # best effort; call close()
        try:
            self.close(wait=False)
        except Exception:
            pass

