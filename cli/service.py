"""``newsflow up``, ``worker`` and ``demo``: the service with or without its embedded broker."""
from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson

from pipeline import logs
from pipeline.settings import Settings, url_host
from pipeline.topics import ensure_topics, remove_run_topics

from .ingest import SECONDS
from .options import add_service_flags, require_paths, settings_from

log = logging.getLogger("newsflow.cli")
_stop_signal: list[int] = []  # the SIGTERM or SIGINT that asked `up` or `demo` to stop
_deferring = 0


def _exit_on_signal(signum, frame):  # noqa: ARG001
    """SIGTERM and Ctrl-C unwind `newsflow up` and `demo`, so the worker (and the demo's broker)
    are stopped on the way out.

    kafka-python 3 runs its network loop in the calling thread and catches BaseException there: an
    exit raised inside a client call is lost, and can leave the client waiting for ever (seen in
    KafkaProducer's bootstrap). Inside `signals_deferred()` the signal is therefore only recorded,
    and acted on when the block ends."""
    _stop_signal.append(signum)
    if not _deferring:
        raise SystemExit(128 + signum)


def stop_on_signals() -> None:
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGINT, _exit_on_signal)


def exit_if_terminated() -> None:
    if _stop_signal:
        raise SystemExit(128 + _stop_signal[0])


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """A Kafka client call, or the start of the worker process, that SIGTERM or Ctrl-C must not
    cut in two (see `_exit_on_signal`)."""
    global _deferring
    _deferring += 1
    try:
        yield
    finally:
        _deferring -= 1
    exit_if_terminated()


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("worker", help="run the Faust worker against NEWSFLOW_KAFKA_BOOTSTRAP until SIGTERM")
    add_service_flags(p)
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("up", help="the service on the embedded local broker (or NEWSFLOW_KAFKA_BOOTSTRAP); ingests PATH if given")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to ingest once the worker is ready")
    add_service_flags(p)
    p.set_defaults(func=cmd_up)

    p = sub.add_parser("demo", help="like up, but waits until PATH is processed, prints every event record and stops")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to ingest (as `ingest files` reads them)")
    p.add_argument("--timeout", type=SECONDS, default=300.0, help="give up after this many seconds (default 300)")
    add_service_flags(p)
    p.set_defaults(func=cmd_demo)


def cmd_worker(args: argparse.Namespace) -> int:
    from pipeline.worker import run_worker

    return run_worker(settings_from(args))


# -- the embedded broker and a worker process ------------------------------------------------------

def wants_local_broker(bootstrap: str | None) -> bool:
    """up and demo run on the local broker unless NEWSFLOW_KAFKA_BOOTSTRAP or --bootstrap names another."""
    default = Settings.__dataclass_fields__["kafka_bootstrap"].default
    return not os.environ.get("NEWSFLOW_KAFKA_BOOTSTRAP") and bootstrap in (None, default)


def service_settings(args: argparse.Namespace) -> Settings:
    """The settings of up and demo. On the local broker a session timeout is checked against that
    broker's own limit (1 s, where Kafka's default is 6 s): before, NEWSFLOW_SESSION_TIMEOUT_S=3 was
    refused for a broker that allows it, unless NEWSFLOW_BROKER_MIN_SESSION_TIMEOUT_S said so too."""
    if not wants_local_broker(args.kafka_bootstrap):
        return settings_from(args)
    from deploy.kafka.broker import min_session_timeout_s

    return settings_from(args, broker_min_session_timeout_s=min_session_timeout_s())


@contextlib.contextmanager
def embedded_broker(settings: Settings, *, persistent: bool) -> Iterator[Settings]:
    """Yield settings pointing at a broker: NEWSFLOW_KAFKA_BOOTSTRAP's if set, else a local one."""
    if not wants_local_broker(settings.kafka_bootstrap):
        yield settings
        return
    from deploy.kafka.broker import LocalKafka, start_persistent

    if persistent:
        broker = start_persistent()
        found = {"bootstrap": broker.bootstrap, "data": str(broker.data_dir)}
        if broker.bootstrap != Settings().kafka_bootstrap:  # port 9092 was taken when it was made
            found["hint"] = f"other newsflow commands reach it with NEWSFLOW_KAFKA_BOOTSTRAP={broker.bootstrap}"
        try:  # the first line within: a stop that comes as it is written still says what follows
            log.info("local broker", extra=found)
            yield settings.with_(kafka_bootstrap=broker.bootstrap)
        finally:  # kept for the next `up` and the other commands: say so, or it looks left behind
            log.info("the local broker keeps running; `newsflow broker stop` stops it",
                     extra={"bootstrap": broker.bootstrap})
        return
    with tempfile.TemporaryDirectory(prefix="newsflow-kafka-") as folder:
        broker = LocalKafka(Path(folder))
        started = time.monotonic()
        broker.start()
        log.info("local broker started", extra={"bootstrap": broker.bootstrap,
                                                "seconds": round(time.monotonic() - started, 2)})
        try:
            yield settings.with_(kafka_bootstrap=broker.bootstrap)
        finally:
            broker.stop()


def settings_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    for name, value in vars(settings).items():
        env[f"NEWSFLOW_{name.upper()}"] = str(value)
    return env


def spawn_worker(settings: Settings) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "cli.main", "worker"], env=settings_env(settings),
                            stdin=subprocess.DEVNULL, stdout=sys.stderr, stderr=sys.stderr)


# a worker that binds every address is asked on loopback
_LOOPBACK_FOR = {"0.0.0.0": "127.0.0.1", "::": "::1"}


def readyz_url(settings: Settings) -> str:
    """Where this host reaches the worker's /readyz: at the address it binds (NEWSFLOW_WEB_HOST), not
    always 127.0.0.1, which a worker bound to ::1 or to one interface never answered on."""
    host = _LOOPBACK_FOR.get(settings.web_host, settings.web_host)
    return f"http://{url_host(host)}:{settings.web_port}/readyz"


def wait_ready(settings: Settings, worker: subprocess.Popen, timeout: float = 120.0) -> float:
    """Seconds until the worker's /readyz answered 200 (raises if it died or never did)."""
    started = time.monotonic()
    url = readyz_url(settings)
    while time.monotonic() - started < timeout:
        if worker.poll() is not None:
            raise RuntimeError(f"the worker exited with code {worker.returncode} before it was ready")
        with contextlib.suppress(OSError, ValueError):
            with urllib.request.urlopen(url, timeout=2) as response:
                answer = orjson.loads(response.read()) if response.status == 200 else {}
                if answer and answer.get("pid") != worker.pid:
                    raise RuntimeError(f"port {settings.web_port} is served by another worker (app "
                                       f"{answer.get('app_id')!r}, pid {answer.get('pid')}): stop it or "
                                       "give this one its own --web-port or NEWSFLOW_WEB_PORT")
                if answer:
                    return time.monotonic() - started
        time.sleep(0.2)
    raise RuntimeError(f"the worker was not ready after {timeout:.0f} s")


def stop_worker(worker: subprocess.Popen, timeout: float = 60.0) -> int:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    return worker.returncode


def ingest_paths(settings: Settings, paths: list[str]) -> set[str]:
    """The ids delivered to news.raw (a record sent twice is one id: the worker makes one outcome of it)."""
    from connectors.files import ingest_files
    from connectors.sink import make_sink

    with make_sink(stdout=False, bootstrap=settings.kafka_bootstrap, topic=settings.raw_topic,
                   deadletter_topic=settings.deadletter_topic, max_record_bytes=settings.max_raw_bytes,
                   connector="files") as sink:
        result = ingest_files(paths, sink)
    if result.failed:
        raise RuntimeError("delivery to Kafka could not be confirmed")
    log.info("ingested", extra={"files": result.files, "delivered": result.delivered,
                                "rejected": dict(result.rejected)})
    return result.delivered_ids


def with_free_port(settings: Settings, args: argparse.Namespace) -> Settings:
    """A free web port unless one was asked for (--web-port or NEWSFLOW_WEB_PORT): the default 6066
    may belong to a worker already running here."""
    if getattr(args, "web_port", None) or os.environ.get("NEWSFLOW_WEB_PORT"):
        return settings
    from deploy.kafka.broker import free_port

    return settings.with_(web_port=free_port())


# -- commands ---------------------------------------------------------------------------------------

def cmd_up(args: argparse.Namespace) -> int:
    require_paths("up", args.paths, stdin=False)
    settings = service_settings(args)
    logs.setup(settings.log_level, settings.log_format)
    stop_on_signals()
    try:
        with embedded_broker(settings, persistent=True) as settings:
            with signals_deferred():
                ensure_topics(settings)
            worker = None
            try:
                with signals_deferred():  # a stop asked for meanwhile is acted on here, within the try
                    worker = spawn_worker(settings)
                seconds = wait_ready(settings, worker)
                log.info("worker ready", extra={"seconds": round(seconds, 2), "web_port": settings.web_port})
                if args.paths:
                    with signals_deferred():
                        ingest_paths(settings, args.paths)
                while worker.poll() is None:
                    time.sleep(0.2)
            finally:
                if worker is not None:
                    log.info("worker stopped", extra={"code": stop_worker(worker)})
    except SystemExit:
        if _stop_signal:  # the stop asked for: a clean exit (the local broker keeps running)
            return 0
        raise
    return worker.returncode or 1


def cmd_demo(args: argparse.Namespace) -> int:
    require_paths("demo", args.paths, stdin=False)
    settings = service_settings(args)
    logs.setup(settings.log_level, settings.log_format)
    # by default SIGTERM (a CI timeout, `timeout`, systemd) kills Python at once and leaves the worker
    # and the broker running
    stop_on_signals()
    with tempfile.TemporaryDirectory(prefix="newsflow-demo-") as state:
        unique = uuid.uuid4().hex[:8]
        settings = with_free_port(settings.with_(data_dir=str(Path(state) / "worker"),
                                                 app_id=f"{settings.app_id}-demo-{unique}"), args)
        with embedded_broker(settings, persistent=False) as settings:
            shared = bool(os.environ.get("NEWSFLOW_KAFKA_BOOTSTRAP"))
            if shared:  # topics of our own, deleted at the end
                settings = settings.with_(topic_prefix=f"{settings.topic_prefix}demo-{unique}.")
            with signals_deferred():
                ensure_topics(settings)
            worker = None
            try:
                with signals_deferred():  # a stop asked for meanwhile is acted on here, within the try
                    worker = spawn_worker(settings)
                seconds = wait_ready(settings, worker)
                log.info("worker ready", extra={"seconds": round(seconds, 2)})
                with signals_deferred():
                    delivered = ingest_paths(settings, args.paths)
                deadline = time.monotonic() + args.timeout
                wait_processed(settings, delivered, args.timeout)
                events = wait_events(settings, max(1.0, deadline - time.monotonic()))
                with signals_deferred():
                    letters = worker_dead_letters(settings)
            finally:
                if worker is not None:
                    log.info("worker stopped", extra={"code": stop_worker(worker)})
                if shared:
                    with signals_deferred():
                        remove_run_topics(settings)
    exit_if_terminated()
    for event in sorted(events.values(), key=lambda e: (e["first_seen"], e["event_id"])):
        sys.stdout.write(orjson.dumps(event).decode() + "\n")
    sys.stdout.flush()
    return report_dead_letters(letters)


def worker_dead_letters(settings: Settings) -> list[dict]:
    """The dead letters the worker wrote (the connector's own are reported by the ingest already)."""
    from .kafka_read import read_all

    letters = (orjson.loads(value) for _, value in read_all(settings.kafka_bootstrap, settings.deadletter_topic) if value)
    return [letter for letter in letters if letter.get("stage") != "connector"]


def report_dead_letters(letters: list[dict]) -> int:
    """Say which inputs the worker dead-lettered and why; 1 when any failed inside the worker
    (reason internal: not the input's fault, so the events printed are not the input's whole story)."""
    for letter in letters:
        log.warning("dead letter", extra={"id": letter.get("id"), "stage": letter.get("stage"),
                                          "reason": letter.get("reason"), "detail": letter.get("detail")})
    failed = [letter for letter in letters if letter.get("reason") == "internal"]
    if failed:
        log.error("the worker failed on some articles (reason internal): see the dead letters above",
                  extra={"articles": len(failed)})
        return 1
    return 0


def wait_processed(settings: Settings, expected: set[str], timeout: float) -> None:
    """Block until every delivered id is an article or a worker dead letter. Ids, not a count: two
    messages under one id end as one outcome, and the count of distinct ids never reached theirs."""
    deadline = time.monotonic() + timeout
    missing = expected
    report = first_then_every(5.0)
    while time.monotonic() < deadline:
        with signals_deferred():
            missing = expected - processed_ids(settings)
        if not missing:
            return
        if report():  # a large input takes minutes: say how far the worker has got
            log.info("processing", extra={"processed": len(expected) - len(missing), "articles": len(expected)})
        time.sleep(0.3)
    raise RuntimeError(f"only {len(expected) - len(missing)} of {len(expected)} articles processed after {timeout:.0f} s")


def first_then_every(seconds: float) -> Callable[[], bool]:
    """True at the first call, then at most once per ``seconds``: when a long wait says how far it got."""
    due = 0.0

    def check() -> bool:
        nonlocal due
        if time.monotonic() < due:
            return False
        due = time.monotonic() + seconds
        return True
    return check


def processed_ids(settings: Settings) -> set[str]:
    """Distinct raw ids that ended as an article or as a dead letter of the worker (redeliveries count once)."""
    from .kafka_read import read_all

    seen: set[str] = set()
    for _, value in read_all(settings.kafka_bootstrap, settings.articles_topic):
        if value is not None:
            seen.add(orjson.loads(value)["id"])
    for index, (_, value) in enumerate(read_all(settings.kafka_bootstrap, settings.deadletter_topic)):
        letter = orjson.loads(value) if value else {}
        if letter.get("stage") != "connector":
            seen.add(letter.get("id") or f"#deadletter-{letter.get('partition')}-{letter.get('offset')}-{index}")
    return seen


def wait_events(settings: Settings, timeout: float) -> dict[str, dict]:
    """The latest event records once they account for every article on the articles topic.

    The clustering stage sends an article's record before its event's, so the last articles can be
    on their topic while their events are still on the way; reading the events right away printed
    too few, or none, on a busy machine."""
    deadline = time.monotonic() + timeout
    while True:
        with signals_deferred():
            members = event_members(settings)
            events = latest_events(settings)
        missing = [eid for eid, ids in members.items()
                   if eid not in events or events[eid]["article_count"] < len(ids)]
        if not missing:
            return events
        if time.monotonic() > deadline:
            raise RuntimeError(f"{len(missing)} of {len(members)} events not published after {timeout:.0f} s")
        time.sleep(0.3)


def event_members(settings: Settings) -> dict[str, set[str]]:
    """Article ids by event id, as the articles topic has them."""
    from .kafka_read import read_all

    members: dict[str, set[str]] = {}
    for _, value in read_all(settings.kafka_bootstrap, settings.articles_topic):
        if value is not None:
            record = orjson.loads(value)
            members.setdefault(record["event_id"], set()).add(record["id"])
    return members


def latest_events(settings: Settings) -> dict[str, dict]:
    from .kafka_read import read_all

    events: dict[str, dict] = {}
    for key, value in read_all(settings.kafka_bootstrap, settings.events_topic):
        if value is None:
            events.pop(key.decode(), None)
            continue
        record = orjson.loads(value)
        current = events.get(record["event_id"])
        if current is None or record["version"] >= current["version"]:
            events[record["event_id"]] = record
    return events
