"""Load benchmark: the whole service (real broker, worker process) under a sustained stream.

Phases, all in one run so the ratios are comparable on a noisy machine:
1. latency: text articles at a fixed rate (default 100/s) for --duration seconds; end-to-end latency
   is fetched_at (set at produce time) to the article's record arriving on news.articles, next to
   the raw topic's consumer lag and the worker's memory;
2. throughput: a backlog of text articles, drained by one worker process: articles per second and
   per CPU-second of the worker, against the offline core (``OfflinePipeline``, the same code
   without Kafka or Faust) over the same messages in this process, after the worker has finished:
   the ratio says what the service adds to the core and, unlike articles per second, changes
   little from one box (or one day of a shared box) to the next;
3. HTML: the extraction benchmark's pages through the worker, against plain ``trafilatura.extract``
   over the same pages in this process: pages per second and the ratio, and pages per CPU-second
   (the worker's main and extraction processes against this process's CPU time for the baseline):
   the per-core ratio, which other jobs on a shared machine disturb far less.

    python bench/load.py [--duration 180] [--rate 100] [--backlog 60000] [--html-rounds 3]
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import signal
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import orjson
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.args import load_or_refuse, non_negative_int, positive_float, positive_int, require_path  # noqa: E402
from bench.synthetic import load_bases, stream  # noqa: E402
from cli.service import spawn_worker, stop_worker, wait_ready  # noqa: E402
from deploy.kafka.broker import LocalKafka, free_port  # noqa: E402
from pipeline.settings import Settings, SettingsError  # noqa: E402
from pipeline.topics import ensure_topics  # noqa: E402

SHARED = REPO.parent / "shared" / "data"


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def parse_iso(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


class ArticleWatcher(threading.Thread):
    """Consumes news.articles and news.deadletter: per raw id, when it was done and its latency."""

    def __init__(self, settings: Settings):
        super().__init__(daemon=True)
        self.settings = settings
        self.arrivals: dict[str, float] = {}
        self.latency: dict[str, float] = {}
        self.stop_flag = threading.Event()

    def run(self) -> None:
        consumer = KafkaConsumer(self.settings.articles_topic, self.settings.deadletter_topic,
                                 bootstrap_servers=self.settings.kafka_bootstrap,
                                 auto_offset_reset="earliest", enable_auto_commit=False, group_id=None)
        self.dead: dict[str, str] = {}
        while not self.stop_flag.is_set():
            for records in consumer.poll(timeout_ms=200).values():
                arrived = time.time()
                for record in records:
                    doc = orjson.loads(record.value)
                    if record.topic == self.settings.deadletter_topic:
                        self.dead[doc.get("id") or f"#{record.offset}"] = doc.get("reason", "")
                    if not doc.get("id") or doc["id"] in self.arrivals:
                        continue
                    self.arrivals[doc["id"]] = arrived
                    if record.topic == self.settings.articles_topic and doc.get("fetched_at"):
                        self.latency[doc["id"]] = arrived - parse_iso(doc["fetched_at"])
        consumer.close()

    def count(self, prefix: str) -> int:
        return sum(1 for key in list(self.arrivals) if key.startswith(prefix))


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (the extraction pool), in MB."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its live children (the extraction pool), in seconds:
    work per CPU-second does not depend on what else runs on a shared machine."""
    pids = [pid]
    try:
        pids += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    ticks = 0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return ticks / os.sysconf("SC_CLK_TCK")


def raw_lag(admin: KafkaAdminClient, consumer: KafkaConsumer, settings: Settings) -> int:
    offsets = admin.list_group_offsets(settings.app_id).get(settings.app_id, {})
    tps = [tp for tp in offsets if tp.topic == settings.raw_topic]
    if not tps:
        return 0
    end = consumer.end_offsets(tps)
    return sum(max(0, end[tp] - offsets[tp].offset) for tp in tps)


def wait_for(watcher: ArticleWatcher, prefix: str, total: int, seconds: float, what: str, each=None) -> None:
    """Until the worker has handled ``total`` messages of ids starting with ``prefix`` (or ``seconds`` have
    passed), a progress line on stderr every 2 s, the last one included."""
    deadline = time.monotonic() + seconds
    while True:
        done = watcher.count(prefix)
        if each is not None:
            each()
        print(f"  {done} / {total} {what}", file=sys.stderr, flush=True)
        if done >= total or time.monotonic() >= deadline:
            return
        time.sleep(2)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def produce_at_rate(producer: KafkaProducer, topic: str, messages, rate: float, duration: float,
                    sample) -> int:
    started = time.monotonic()
    sent = 0
    next_sample = started
    for key, doc in messages:
        target = started + sent / rate
        delay = target - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        if time.monotonic() - started >= duration:
            break
        doc["fetched_at"] = now_iso()
        producer.send(topic, key=key, value=orjson.dumps(doc))
        sent += 1
        if time.monotonic() >= next_sample:
            sample()
            next_sample += 5.0
    producer.flush()
    return sent


def text_messages(bases, count: int, prefix: str, seed: int):
    for key, value in stream(bases, count, seed=seed):
        doc = orjson.loads(value)
        doc["id"] = prefix + doc["id"]
        yield key, doc


def offline_core_rate(settings: Settings, bases, phase1_sent: int, backlog: int) -> float:
    """Articles per CPU-second of this process's offline core over phase 2's messages, after phase
    1's have filled its window as they filled the worker's (same settings, same order)."""
    from pipeline.core import OfflinePipeline

    pipeline = OfflinePipeline(settings)
    for _key, doc in itertools.islice(text_messages(bases, 10**9, "p1-", 1), phase1_sent):
        doc["fetched_at"] = now_iso()
        pipeline.process(orjson.dumps(doc))
    values = []
    for _key, doc in text_messages(bases, backlog, "p2-", 2):
        doc["fetched_at"] = now_iso()
        values.append(orjson.dumps(doc))
    print(f"phase 2 baseline: the offline core over the same {len(values)} articles", file=sys.stderr)
    started = time.process_time()
    for i, value in enumerate(values, 1):
        pipeline.process(value)
        if i % 5000 == 0:
            print(f"  {i} / {len(values)}", file=sys.stderr)
    return len(values) / max(1e-9, time.process_time() - started)


def html_pages(data_dir: Path) -> list[tuple[str, str, str]]:
    truth = json.loads((data_dir / "ground-truth.json").read_text())
    folder = data_dir / "html" if (data_dir / "html").is_dir() else data_dir  # html/, or beside ground-truth.json
    pages = []
    for path in sorted(folder.glob("*.html.gz")):
        page_id = path.name.split(".")[0]
        html = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        pages.append((page_id, truth.get(page_id, {}).get("url"), html))
    return pages


def _terminated(signum, _frame) -> None:
    """SIGTERM (e.g. from ``timeout``) ends the run as an exception would, so that the finally block
    stops the worker process and the broker instead of leaving them running; a second one is ignored
    while they stop."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _terminated)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=positive_float, default=180.0, help="seconds of the fixed-rate phase")
    parser.add_argument("--rate", type=positive_float, default=100.0, help="articles per second in the fixed-rate phase")
    parser.add_argument("--backlog", type=positive_int, default=60_000, help="text articles in the throughput phase")
    parser.add_argument("--html-rounds", type=non_negative_int, default=3,
                        help="passes over the extraction pages (0: skip the HTML phase)")
    parser.add_argument("--ecb", type=Path, default=SHARED / "ecbplus-dev" / "ecbplus_dev.jsonl")
    parser.add_argument("--extraction", type=Path, default=SHARED / "extraction")
    args = parser.parse_args(argv)
    require_path(parser, "--ecb", args.ecb)
    if args.html_rounds > 0:
        require_path(parser, "--extraction", args.extraction, "ground-truth.json")
    bases = load_or_refuse(parser, "--ecb", load_bases, args.ecb, f"no articles in {args.ecb}")
    pages = []
    if args.html_rounds > 0:
        pages = load_or_refuse(parser, "--extraction", html_pages, args.extraction,
                               f"no pages (*.html.gz) in {args.extraction}/html or beside its ground-truth.json")
    own_broker = worker = watcher = admin = lag_consumer = producer = None
    bootstrap = os.environ.get("NEWSFLOW_KAFKA_BOOTSTRAP")
    tmp = tempfile.TemporaryDirectory(prefix="newsflow-load-")
    unique = uuid.uuid4().hex[:8]
    try:  # the NEWSFLOW_* variables the worker will read, checked before a broker is started
        settings = Settings.from_env(kafka_bootstrap=bootstrap or "127.0.0.1:9092", topic_prefix=f"load{unique}.",
                                     app_id=f"load-{unique}", data_dir=str(Path(tmp.name) / "worker"),
                                     web_port=free_port(), log_level="warn", window_days=3650.0)
    except SettingsError as exc:
        tmp.cleanup()
        parser.error(str(exc))
    results: dict = {}
    try:  # everything from the broker's start on: whatever fails, the finally block stops what was started
        if not bootstrap:
            own_broker = LocalKafka(Path(tmp.name) / "kafka", heap="1g")
            bootstrap = own_broker.start()
            settings = settings.with_(kafka_bootstrap=bootstrap)
        ensure_topics(settings)
        worker = spawn_worker(settings)
        watcher = ArticleWatcher(settings)
        watcher.start()
        admin = KafkaAdminClient(bootstrap_servers=bootstrap)
        lag_consumer = KafkaConsumer(bootstrap_servers=bootstrap)
        producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5, enable_idempotence=True,
                                 max_request_size=settings.message_max_bytes)
        ready = wait_ready(settings, worker)
        results["worker_ready_s"] = round(ready, 2)
        print(f"worker ready in {ready:.1f} s; phase 1: {args.rate:.0f} articles/s for {args.duration:.0f} s",
              file=sys.stderr)

        # -- phase 1: fixed rate, latency, lag, memory --------------------------------------------
        lags, memory = [], []

        def sample() -> None:
            lags.append(raw_lag(admin, lag_consumer, settings))
            memory.append(rss_mb(worker.pid))
            done = watcher.count("p1-")
            print(f"  {done} processed, raw lag {lags[-1]}, worker RSS {memory[-1]:.0f} MB", file=sys.stderr)

        sent = produce_at_rate(producer, settings.raw_topic, text_messages(bases, 10**9, "p1-", 1), args.rate,
                               args.duration, sample)
        wait_for(watcher, "p1-", sent, 120, "articles of phase 1 processed")
        latencies = [v for k, v in watcher.latency.items() if k.startswith("p1-")]
        results["phase1"] = {
            "rate": args.rate, "seconds": args.duration, "sent": sent, "processed": watcher.count("p1-"),
            "latency_p50_s": round(statistics.median(latencies), 3) if latencies else None,
            "latency_p99_s": round(percentile(latencies, 0.99), 3),
            "latency_max_s": round(max(latencies), 3) if latencies else None,
            "raw_lag_max": max(lags) if lags else 0, "worker_rss_mb_max": round(max(memory), 1) if memory else None,
        }
        print(json.dumps({"phase1": results["phase1"]}), file=sys.stderr)

        # -- phase 2: backlog drained as fast as one worker can -----------------------------------
        print(f"phase 2: backlog of {args.backlog} text articles", file=sys.stderr)
        cpu_before = cpu_seconds(worker.pid)
        for key, doc in text_messages(bases, args.backlog, "p2-", 2):
            doc["fetched_at"] = now_iso()
            producer.send(settings.raw_topic, key=key, value=orjson.dumps(doc))
        producer.flush()
        peak = 0.0

        def sample_peak() -> None:
            nonlocal peak
            peak = max(peak, rss_mb(worker.pid))

        wait_for(watcher, "p2-", args.backlog, max(600, args.backlog / 50), "articles of the backlog processed",
                 sample_peak)
        worker_cpu = cpu_seconds(worker.pid) - cpu_before
        arrivals = sorted(v for k, v in watcher.arrivals.items() if k.startswith("p2-"))
        span = arrivals[-1] - arrivals[0] if len(arrivals) > 1 else float("nan")
        results["phase2"] = {"articles": len(arrivals), "seconds": round(span, 1),
                             "articles_per_s": round((len(arrivals) - 1) / span, 1) if span == span and span > 0 else None,
                             "worker_cpu_s": round(worker_cpu, 1),
                             "articles_per_cpu_s": round(len(arrivals) / worker_cpu, 1) if worker_cpu else None,
                             "worker_rss_mb_max": round(peak, 1)}
        core_per_cpu = offline_core_rate(settings, bases, sent, args.backlog)
        results["phase2"].update({"offline_core_articles_per_cpu_s": round(core_per_cpu, 1),
                                  "ratio_per_core": round(results["phase2"]["articles_per_cpu_s"] / core_per_cpu, 3)
                                  if results["phase2"]["articles_per_cpu_s"] else None})
        print(json.dumps({"phase2": results["phase2"]}), file=sys.stderr)

        # -- phase 3: HTML through the worker vs plain trafilatura ---------------------------------
        if args.html_rounds > 0:
            import trafilatura

            print(f"phase 3 baseline: plain trafilatura.extract over {len(pages)} pages x {args.html_rounds}",
                  file=sys.stderr, flush=True)
            started, started_cpu = time.perf_counter(), time.process_time()
            for _ in range(args.html_rounds):
                for _, url, html in pages:
                    trafilatura.extract(html, url=url)
            plain = args.html_rounds * len(pages) / (time.perf_counter() - started)
            plain_per_cpu = args.html_rounds * len(pages) / max(1e-9, time.process_time() - started_cpu)
            cpu_before = cpu_seconds(worker.pid)
            print(f"phase 3: {len(pages)} pages x {args.html_rounds} through the worker", file=sys.stderr)
            count = 0
            for round_no in range(args.html_rounds):
                for page_id, url, html in pages:
                    doc = {"id": f"p3-{round_no}-{page_id}", "source": f"site{hash(page_id) % 50}", "html": html,
                           "url": url, "fetched_at": now_iso()}
                    producer.send(settings.raw_topic, key=doc["source"].encode(), value=orjson.dumps(doc))
                    count += 1
            producer.flush()
            first_sent = time.time()
            wait_for(watcher, "p3-", count, 900, "pages handled by the worker")
            arrivals = sorted(v for k, v in watcher.arrivals.items() if k.startswith("p3-") and k not in watcher.dead)
            span = (max(v for k, v in watcher.arrivals.items() if k.startswith("p3-")) - first_sent) if arrivals else float("nan")
            worker_rate = len(arrivals) / span if span and span == span else float("nan")
            worker_cpu = cpu_seconds(worker.pid) - cpu_before
            handled = count  # every page costs extraction, whether it became an article or a dead letter
            worker_per_cpu = handled / worker_cpu if worker_cpu > 0 else float("nan")
            results["phase3"] = {"pages": count, "articles": len(arrivals),
                                 "dead_letters": sum(1 for k in watcher.dead if k.startswith("p3-")), "worker_pages_per_s": round(worker_rate, 2),
                                 "plain_trafilatura_pages_per_s": round(plain, 2),
                                 "ratio": round(worker_rate / plain, 3) if plain else None,
                                 "worker_pages_per_cpu_s": round(worker_per_cpu, 2),
                                 "plain_trafilatura_pages_per_cpu_s": round(plain_per_cpu, 2),
                                 "ratio_per_core": round(worker_per_cpu / plain_per_cpu, 3) if plain_per_cpu else None}
            print(json.dumps({"phase3": results["phase3"]}), file=sys.stderr)
        else:
            print("phase 3: skipped (--html-rounds 0)", file=sys.stderr)
    finally:
        if watcher is not None:
            watcher.stop_flag.set()
        if worker is not None:
            stop_worker(worker)
        for client in (producer, admin, lag_consumer):
            if client is not None:
                client.close()
        if own_broker is not None:
            own_broker.stop()
        tmp.cleanup()
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
