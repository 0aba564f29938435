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
    if not meta.title:
        meta.title = extract_title(tree)
    if not meta.sitename:
        meta.sitename = extract_sitename(tree)
    try:
        date = find_date(tree, url=url or meta.url, extensive_search=False, original_date=True)
    except Exception:
        date = None
    out = {name: getattr(meta, name, None) for name in _META_FIELDS}
    out["date"] = date
    out["html_lang"] = tree.get("lang") or None
    return out


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

