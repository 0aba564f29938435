"""Workers and producers on the session's real Kafka broker."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pytest
from kafka import KafkaProducer

from cli.kafka_read import read_all
from cli.service import settings_env, wait_ready
from deploy.kafka.broker import free_port
from pipeline.settings import Settings
from pipeline.topics import ensure_topics


@dataclass
class WorkerProcess:
    settings: Settings
    log_path: Path
    process: subprocess.Popen | None = None
    ready_seconds: float | None = None
    starts: list[float] = field(default_factory=list)
    module: str = "cli.main"  # what `python -m` runs: the CLI, or a test's fault-injecting wrapper of it

    def start(self, timeout: float = 120.0) -> float:
        log = open(self.log_path, "ab")
        argv = [sys.executable, "-m", self.module] + (["worker"] if self.module == "cli.main" else [])
        self.process = subprocess.Popen(argv, env=settings_env(self.settings),
                                        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        self.ready_seconds = wait_ready(self.settings, self.process, timeout)
        self.starts.append(self.ready_seconds)
        return self.ready_seconds

    def stop(self, timeout: float = 60.0) -> int | None:
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def make_settings(bootstrap: str, prefix: str, tmp_path: Path, **overrides) -> Settings:
    base = dict(kafka_bootstrap=bootstrap, topic_prefix=f"{prefix}.", app_id=f"newsflow-{prefix}",
                data_dir=str(tmp_path / f"worker-{prefix}"), web_port=free_port(), log_level="info",
                raw_partitions=4, session_timeout_s=6.0)
    base.update(overrides)
    return Settings(**base)


@pytest.fixture
def settings(kafka_bootstrap, unique_prefix, tmp_path) -> Settings:
    s = make_settings(kafka_bootstrap, unique_prefix, tmp_path)
    ensure_topics(s)
    return s


@pytest.fixture
def worker_factory(tmp_path):
    workers: list[WorkerProcess] = []

    def make(settings: Settings, name: str = "worker", module: str = "cli.main") -> WorkerProcess:
        w = WorkerProcess(settings, tmp_path / f"{name}-{len(workers)}.log", module=module)
        workers.append(w)
        return w

    yield make
    for w in workers:
        w.stop(timeout=30)


@pytest.fixture
def worker(settings, worker_factory) -> WorkerProcess:
    w = worker_factory(settings)
    w.start()
    return w


def produce(settings: Settings, values: list[tuple[bytes | None, bytes]], topic: str | None = None) -> None:
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all", enable_idempotence=True,
                             max_request_size=settings.message_max_bytes)
    try:
        for key, value in values:
            producer.send(topic or settings.raw_topic, key=key, value=value)
        producer.flush(60)
    finally:
        producer.close()


def raw_value(article_id: str, text: str, source: str = "wire", **extra) -> tuple[bytes, bytes]:
    return source.encode(), orjson.dumps({"id": article_id, "source": source, "text": text, **extra})


def wait_for(predicate, timeout: float = 90.0, interval: float = 0.5, what: str = "condition",
             workers: tuple["WorkerProcess", ...] = ()):
    """Poll ``predicate`` until it is truthy; on timeout, fail with the tail of each worker's log."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    logs = "".join(f"\n--- {w.log_path.name} (alive: {w.alive()}) ---\n{w.log_text()[-4000:]}" for w in workers)
    raise AssertionError(f"timed out waiting for {what} (last value: {last!r}){logs}")


def topic_records(settings: Settings, topic: str) -> list[dict]:
    return [orjson.loads(v) for _, v in read_all(settings.kafka_bootstrap, topic) if v is not None]


def latest_by_event(settings: Settings) -> dict[str, dict]:
    events: dict[str, dict] = {}
    for record in topic_records(settings, settings.events_topic):
        if record["event_id"] not in events or record["version"] >= events[record["event_id"]]["version"]:
            events[record["event_id"]] = record
    return events


def seed_values(seeds_dir: Path) -> list[tuple[bytes, bytes]]:
    out = []
    for path in sorted(seeds_dir.glob("*.txt")):
        out.append(raw_value(path.stem, path.read_text(encoding="utf-8"), source="seeds"))
    return out


def processed_ids(settings: Settings) -> set[str]:
    ids = {r["id"] for r in topic_records(settings, settings.articles_topic)}
    ids |= {r.get("id") or f"#{r['offset']}" for r in topic_records(settings, settings.deadletter_topic)}
    return ids


os.environ.setdefault("PYTHONUNBUFFERED", "1")
