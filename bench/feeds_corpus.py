"""Poll every feed of the shared feed corpus once through the RSS connector, from a local server.

    .venv/bin/python bench/feeds_corpus.py [--data ../shared/data/feeds] [--stdout | --bootstrap HOST:PORT]

The corpus (feedparser's own test suite: well-formed, ill-formed, hostile and oddly encoded feeds)
is served from 127.0.0.1 with the HTTP headers that ``manifest.jsonl`` lists for each file
(Content-Type with charset, Content-Location, Content-Language, ETag, Last-Modified, ...), plus the
files of ``tests/inline`` that the manifest does not list. Every feed is polled once with
``--allow-network 127.0.0.1/32`` under a per-feed time limit. Without --stdout/--bootstrap the raw
articles are only counted. Prints: feeds, ok, entries, new raw articles, feed-level failures and
rejected entries by reason, wall time, and what the manifest says feedparser did with the same files.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import threading
import time
from collections import Counter
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
    topic, deadletter_topic = "news.raw", "news.deadletter"

    def __init__(self):
        self.raws = 0
        self.deadletters = Counter()

    def send(self, raw):
        self.raws += 1

    def send_deadletter(self, record):
        self.deadletters[record["reason"]] += 1


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
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    require_path(parser, "--data", args.data, "manifest.jsonl")
    logging.basicConfig(level=logging.INFO if args.verbose else logging.ERROR, stream=sys.stderr)

    data = Path(args.data)
    manifest = [json.loads(line) for line in (data / "manifest.jsonl").read_text().splitlines() if line.strip()]
    listed = {m["path"] for m in manifest}
    extra = sorted(str(p.relative_to(data)) for p in (data / "tests" / "inline").glob("*") if p.is_file())
    paths = [m["path"] for m in manifest] + [p for p in extra if p not in listed]
    if args.limit:
        paths = paths[: args.limit]
    headers = {m["path"]: {k: v for k, v in (m.get("http_headers") or {}).items() if v is not None}
               for m in manifest}

    if args.bootstrap:
        sink: _BaseSink = KafkaSink(args.bootstrap, args.topic)
    elif args.stdout:
        sink = StdoutSink()
    else:
        sink = CountingSink()
    server = serve(data, headers)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    feeds = [Feed(base + quote(path), name=path, interval=3600) for path in paths]
    with tempfile.TemporaryDirectory() as tmp:
        fetcher = Fetcher(NetworkPolicy(["127.0.0.1/32"]), timeout=min(15.0, args.feed_timeout),
                          max_bytes=5 * 1024 * 1024, connector="rss")
        connector = RssConnector(feeds, sink, fetcher, state_path=Path(tmp) / "state.sqlite", delivery_timeout=60)
        summary = Summary()
        hung: list[str] = []
        slowest: list[tuple[float, str]] = []
        started = time.monotonic()
        for feed in feeds:
            box: dict[str, PollResult] = {}
            t0 = time.monotonic()
            worker = threading.Thread(target=lambda f=feed: box.setdefault("r", connector.poll_feed(f)), daemon=True)
            worker.start()
            worker.join(args.feed_timeout)
            if "r" not in box:
                hung.append(feed.name or feed.url)
                summary.add(PollResult(feed.url, status="error", reason="time_limit"))
                continue
            slowest.append((time.monotonic() - t0, feed.name or ""))
            summary.add(box["r"])
        wall = time.monotonic() - started
        connector.close()
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
    print(f"hung (> {args.feed_timeout:.0f}s):         {len(hung)} {hung[:5]}", file=out)
    print(f"wall time:             {wall:.1f}s  (slowest feed {max(slowest)[0]*1000:.0f} ms: {max(slowest)[1]})"
          if slowest else f"wall time: {wall:.1f}s", file=out)
    print(f"manifest (feedparser 6.0.14 on the same files, no HTTP): bozo={m_bozo}, entries={m_entries},"
          f" parse errors={m_errors}", file=out)
    if isinstance(sink, CountingSink):
        print(f"dead letters by reason: {dict(sink.deadletters)}", file=out)
    return 0 if not hung else 1


if __name__ == "__main__":
    sys.exit(main())
