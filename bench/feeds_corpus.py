"""Poll every feed of the shared feed corpus once through the RSS connector, from a local server.

    .venv/bin/python bench/feeds_corpus.py [--data ../shared/data/feeds] [--stdout | --bootstrap HOST:PORT]

The corpus (feedparser's own test suite: well-formed, ill-formed, hostile and oddly encoded feeds)
is served from 127.0.0.1 with the HTTP headers that ``manifest.jsonl`` lists for each file
(Content-Type with charset, Content-Location, Content-Language, ETag, Last-Modified, ...), plus the
files of ``tests/inline`` that the manifest does not list. Every feed is polled once with
``--allow-network 127.0.0.1/32`` under a per-feed time limit. Without --stdout/--bootstrap the raw
articles are only counted. Prints: feeds, ok, entries, new raw articles, feed-level failures and
rejected entries by reason, wall time, and what the manifest says feedparser did with the same files.

Then the QA table: every file's outcome (raw articles; a feed with no entries; entries all rejected,
by reason; a classified failure; and what must never happen: a crash, a hang, a silent empty result
for a document with entries, fewer entries than feedparser found with no failure said), and checks
of every raw article: markup or entities left in the title or text, mojibake, a link that is not an
absolute http(s) URL, a publication time not in UTC "Z" form, a language that is no language tag,
and an id that changes when the same file is polled again from a fresh state. ``--examples N``
lists N files for each problem. Exit 1 when a feed crashed or hung, or a silent empty result.
"""
from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import Future
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.args import non_negative_int, positive_float, require_path  # noqa: E402
from connectors.net import Fetcher, NetworkPolicy  # noqa: E402
from connectors.rss import Feed, PollResult, RssConnector, Summary  # noqa: E402
from connectors.sink import KafkaSink, StdoutSink, _BaseSink  # noqa: E402


class CountingSink(_BaseSink):
    """Counts dead letters by reason and keeps the raw articles of the feed in hand (``raws``, emptied
    by the caller per feed); with ``inner``, every record goes on to that sink too."""
    topic, deadletter_topic = "news.raw", "news.deadletter"

    def __init__(self, inner: _BaseSink | None = None):
        self.inner = inner
        self.count = 0
        self.raws: list = []
        self.deadletters: Counter = Counter()

    def send(self, raw):
        self.count += 1
        self.raws.append(raw)
        return self.inner.send(raw) if self.inner is not None else _done()

    def send_deadletter(self, record):
        self.deadletters[record["reason"]] += 1
        return self.inner.send_deadletter(record) if self.inner is not None else _done()

    def flush(self, timeout=None):
        return self.inner.flush(timeout) if self.inner is not None else None

    def close(self):
        return self.inner.close() if self.inner is not None else None


def _done() -> Future:
    future: Future = Future()
    future.set_result(None)
    return future


# -- what a raw article must not carry ---------------------------------------------------------
_TAG = re.compile(r"<(?:[a-zA-Z][\w:-]*(?:\s[^<>]*)?/?|/[a-zA-Z][\w:-]*\s*|!--.*?--)>", re.S)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_MOJIBAKE = re.compile("\ufffd|[\u00c2\u00c3][\u0080-\u00bf]|\u00e2\u20ac|[\u0080-\u009f]")
_UTC = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")


def record_problems(raw) -> list[str]:
    """What is wrong with one raw article, by check name (empty when nothing)."""
    problems = []
    for field in ("title", "text"):
        value = getattr(raw, field) or ""
        if _TAG.search(value):
            problems.append(f"{field}_markup")
        if _ENTITY.search(value):
            problems.append(f"{field}_entity")
        if _MOJIBAKE.search(value):
            problems.append(f"{field}_mojibake")
    if raw.url is not None and not re.match(r"https?://[^/?#\s]+", raw.url):
        problems.append("url_not_absolute")
    if raw.published is not None and not _UTC.fullmatch(raw.published):
        problems.append("published_not_utc")
    if raw.language is not None and not _LANGUAGE.fullmatch(raw.language):
        problems.append("language_not_a_tag")
    return problems


def outcome(result: PollResult, raws: int, expected: int | None) -> str:
    """One word for what the poll of one file came to; the ones in PROBLEMS must not happen."""
    if result.status not in ("ok", "not_modified"):
        return f"failed:{result.reason or result.status}"
    if expected and result.entries < expected:
        return "entries_lost"           # feedparser alone found more entries, and no failure was said
    if raws:
        return "records"
    if not result.entries:
        return "no_entries"
    if sum(result.rejected.values()) >= result.entries:
        return "all_rejected"
    return "silent_empty"


PROBLEMS = ("crash", "hung", "silent_empty", "entries_lost")


def serve(data: Path, headers_by_path: dict[str, dict[str, str]]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            rel = unquote(self.path.split("?", 1)[0]).lstrip("/")
            path = (data / rel).resolve()
            if data.resolve() not in path.parents or not path.is_file():
                self.send_error(404)
                return
            body = path.read_bytes()
            self.send_response(200)
            for name, value in (headers_by_path.get(rel) or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "feeds"))
    parser.add_argument("--stdout", action="store_true", help="print the raw articles as JSON lines")
    parser.add_argument("--bootstrap", help="produce to this Kafka broker instead of counting")
    parser.add_argument("--topic", default="news.raw")
    parser.add_argument("--limit", type=non_negative_int, default=0, help="poll only the first N files (0: all)")
    parser.add_argument("--feed-timeout", type=positive_float, default=20.0, help="time limit per feed (seconds)")
    parser.add_argument("--examples", type=non_negative_int, default=0,
                        help="list up to N files for each problem and failure (default 0)")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    require_path(parser, "--data", args.data, "manifest.jsonl")
    logging.basicConfig(level=logging.INFO if args.verbose else logging.ERROR, stream=sys.stderr)

    data = Path(args.data)
    try:
        manifest = [json.loads(line) for line in (data / "manifest.jsonl").read_text().splitlines() if line.strip()]
        listed = {m["path"] for m in manifest}
    except (OSError, ValueError, TypeError, KeyError) as exc:
        parser.error(f"--data: {data / 'manifest.jsonl'}: not JSON lines of files with a path ({exc!r})")
    extra = sorted(str(p.relative_to(data)) for p in (data / "tests" / "inline").glob("*") if p.is_file())
    paths = [m["path"] for m in manifest] + [p for p in extra if p not in listed]
    if not paths:
        parser.error(f"--data: no feeds in {data / 'manifest.jsonl'} nor in {data / 'tests' / 'inline'}")
    if args.limit:
        paths = paths[: args.limit]
    headers = {m["path"]: {k: v for k, v in (m.get("http_headers") or {}).items() if v is not None}
               for m in manifest}

    inner: _BaseSink | None = None
    if args.bootstrap:
        inner = KafkaSink(args.bootstrap, args.topic)
    elif args.stdout:
        inner = StdoutSink()
    sink = CountingSink(inner)
    again_sink = CountingSink()   # a second poll of each file from a fresh state: are the ids the same?
    server = serve(data, headers)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    feeds = [Feed(base + quote(path), name=path, interval=3600) for path in paths]
    expected = {m["path"]: (m.get("observed") or {}).get("entries") for m in manifest}
    outcomes: Counter = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    checks: Counter = Counter()
    records = 0
    with tempfile.TemporaryDirectory() as tmp:
        def make(state: str, into: _BaseSink) -> RssConnector:
            fetcher = Fetcher(NetworkPolicy(["127.0.0.1/32"]), timeout=min(15.0, args.feed_timeout),
                              max_bytes=5 * 1024 * 1024, connector="rss")
            return RssConnector(feeds, into, fetcher, state_path=Path(tmp) / state, delivery_timeout=60)

        connector, again = make("state.sqlite", sink), make("again.sqlite", again_sink)
        summary = Summary()
        slowest: list[tuple[float, str]] = []
        started = time.monotonic()
        for feed in feeds:
            name = feed.name or feed.url
            sink.raws, again_sink.raws = [], []
            t0 = time.monotonic()
            result, failure = timed_poll(connector, feed, args.feed_timeout)
            if result is None:
                outcomes[failure] += 1
                examples[failure].append(name)
                summary.add(PollResult(feed.url, status="error", reason=failure))
                continue
            slowest.append((time.monotonic() - t0, name))
            summary.add(result)
            kind = outcome(result, len(sink.raws), expected.get(name))
            outcomes[kind] += 1
            examples[kind].append(name)
            records += len(sink.raws)
            for raw in sink.raws:
                for problem in record_problems(raw):
                    checks[problem] += 1
                    examples[problem].append(f"{name}: {getattr(raw, problem.partition('_')[0], None)!r:.120}")
            second, failure = timed_poll(again, feed, args.feed_timeout)
            if second is None or [r.id for r in again_sink.raws] != [r.id for r in sink.raws]:
                checks["id_unstable"] += 1
                examples["id_unstable"].append(name)
        wall = time.monotonic() - started
        connector.close()
        again.close()
    sink.close()
    server.shutdown()

    observed = [m.get("observed") or {} for m in manifest if m["path"] in set(paths)]
    m_bozo = sum(1 for o in observed if o.get("bozo"))
    m_entries = sum(o.get("entries") or 0 for o in observed)
    m_errors = sum(1 for m in manifest if m["path"] in set(paths) and m.get("parse_error"))
    out = sys.stderr if args.stdout else sys.stdout
    print(f"feeds polled:          {summary.feeds}", file=out)
    print(f"feeds ok:              {summary.ok}", file=out)
    print(f"feeds failed:          {sum(summary.feed_errors.values())}  "
          + (", ".join(f"{k}={v}" for k, v in summary.feed_errors.most_common()) or "-"), file=out)
    print(f"feeds bozo (recovered): {summary.bozo}", file=out)
    print(f"entries in documents:  {summary.entries}", file=out)
    print(f"raw articles emitted:  {summary.new}", file=out)
    print(f"entries rejected:      {sum(summary.rejected.values())}  "
          + (", ".join(f"{k}={v}" for k, v in summary.rejected.most_common()) or "-"), file=out)
    print(f"wall time:             {wall:.1f}s  (slowest feed {max(slowest)[0]*1000:.0f} ms: {max(slowest)[1]})"
          if slowest else f"wall time: {wall:.1f}s", file=out)
    print(f"manifest (feedparser 6.0.14 on the same files, no HTTP): bozo={m_bozo}, entries={m_entries},"
          f" parse errors={m_errors}", file=out)
    print(f"dead letters by reason: {dict(sink.deadletters)}", file=out)
    print("\noutcome by file                    files", file=out)
    for kind, n in sorted(outcomes.items(), key=lambda kv: (kv[0] in PROBLEMS, -kv[1], kv[0])):
        print(f"  {kind:<32} {n:>5}" + ("   <- must not happen" if kind in PROBLEMS else ""), file=out)
    print(f"  {'total':<32} {sum(outcomes.values()):>5}", file=out)
    print(f"\nchecks of the {records} raw articles      records", file=out)
    for check in ("title_markup", "title_entity", "title_mojibake", "text_markup", "text_entity", "text_mojibake",
                  "url_not_absolute", "published_not_utc", "language_not_a_tag", "id_unstable"):
        print(f"  {check:<32} {checks[check]:>5}", file=out)
    if args.examples:
        for kind in [*PROBLEMS, *sorted(k for k in outcomes if k.startswith("failed:")), *sorted(checks)]:
            for example in examples.get(kind, [])[: args.examples]:
                print(f"  {kind}: {example}", file=out)
    return 1 if any(outcomes[kind] for kind in PROBLEMS) else 0


def timed_poll(connector: RssConnector, feed: Feed, limit: float) -> tuple[PollResult | None, str]:
    """The poll's result, or None and "hung" (over ``limit`` seconds) or "crash" (it raised)."""
    box: dict[str, object] = {}

    def run():
        try:
            box["result"] = connector.poll_feed(feed)
        except Exception as exc:  # noqa: BLE001 - a crash is an outcome to count, not to stop at
            box["error"] = exc
            logging.getLogger("bench.feeds_corpus").error("%s: poll crashed: %r", feed.name, exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(limit)
    if "result" in box:
        return box["result"], ""  # type: ignore[return-value]
    return None, "crash" if "error" in box else "hung"


if __name__ == "__main__":
    sys.exit(main())
