"""`newsflow tail`: every record, the latest per key, and following new ones as they come."""
from __future__ import annotations

import os
import subprocess
import sys
import threading

import orjson
import pytest
from kafka import KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic

from ..integration.conftest import wait_for

pytestmark = pytest.mark.kafka


def event(event_id: str, version: int) -> tuple[bytes, bytes]:
    return event_id.encode(), orjson.dumps({"event_id": event_id, "version": version})


@pytest.fixture
def topic(kafka_bootstrap, unique_prefix):
    name = f"{unique_prefix}.events"
    admin = KafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    try:
        admin.create_topics([NewTopic(name, 2, 1)])
    finally:
        admin.close()
    return name


def produce(bootstrap: str, topic: str, records) -> None:
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    try:
        for key, value in records:
            producer.send(topic, key=key, value=value)
        producer.flush(30)
    finally:
        producer.close()


def lines(output: bytes) -> list[dict]:
    return [orjson.loads(line) for line in output.splitlines()]


def test_all_records_latest_per_key_and_undecodable_values(newsflow, kafka_bootstrap, topic):
    produce(kafka_bootstrap, topic, [event("evt_a", 1), event("evt_b", 1), event("evt_a", 2), event("evt_a", 3),
                                     (b"evt_gone", orjson.dumps({"event_id": "evt_gone", "version": 1})),
                                     (b"evt_gone", None), (b"evt_raw", b"not json \xff")])
    everything = newsflow("tail", topic, timeout=120)
    assert everything.returncode == 0, everything.stderr.decode()[-2000:]
    records = lines(everything.stdout)
    assert len(records) == 7
    assert {"key": "evt_gone", "tombstone": True} in records
    assert {"key": "evt_raw", "value": "not json \ufffd"} in records

    latest = newsflow("tail", topic, "--latest", timeout=120)
    assert latest.returncode == 0
    versions = {r.get("event_id", r.get("key")): r.get("version") for r in lines(latest.stdout)}
    # one line per key, its last record; a key whose last record is a tombstone is gone
    assert versions == {"evt_a": 3, "evt_b": 1, "evt_raw": None}

    pretty = newsflow("tail", topic, "--latest", "--pretty", timeout=120)
    assert b'\n  "event_id": "evt_a",\n' in pretty.stdout


def test_latest_with_follow_prints_the_current_state_then_each_new_version(kafka_bootstrap, topic, tmp_path):
    produce(kafka_bootstrap, topic, [event("evt_a", 1), event("evt_a", 2), event("evt_b", 1)])
    env = dict(os.environ, NEWSFLOW_KAFKA_BOOTSTRAP=kafka_bootstrap, NEWSFLOW_HOME=str(tmp_path / "home"))
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "tail", topic, "--latest", "--follow"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    seen: list[dict] = []
    reader = threading.Thread(target=lambda: seen.extend(orjson.loads(line) for line in proc.stdout), daemon=True)
    reader.start()
    try:
        wait_for(lambda: len(seen) >= 2, timeout=60, what="the latest version of both events")
        assert sorted((r["event_id"], r["version"]) for r in seen) == [("evt_a", 2), ("evt_b", 1)]
        produce(kafka_bootstrap, topic, [event("evt_a", 3), event("evt_c", 1)])
        wait_for(lambda: len(seen) >= 4, timeout=60, what="the two new versions, as they come")
        assert sorted((r["event_id"], r["version"]) for r in seen[2:]) == [("evt_a", 3), ("evt_c", 1)]
    finally:
        proc.kill()
        proc.wait(timeout=30)


@pytest.mark.parametrize("stop", ["SIGINT", "SIGTERM"])
def test_follow_stopped_by_ctrl_c_or_sigterm_is_a_clean_end(kafka_bootstrap, topic, tmp_path, stop):
    """--follow runs until stopped, so its stop is no failure: before, Ctrl-C exited 130 and SIGTERM 143."""
    import signal

    produce(kafka_bootstrap, topic, [event("evt_a", 1)])
    env = dict(os.environ, NEWSFLOW_KAFKA_BOOTSTRAP=kafka_bootstrap, NEWSFLOW_HOME=str(tmp_path / "home"))
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "tail", topic, "--follow"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert orjson.loads(proc.stdout.readline()) == {"event_id": "evt_a", "version": 1}
        proc.send_signal(getattr(signal, stop))
        err = proc.communicate(timeout=60)[1].decode()
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == 0 and "Traceback" not in err, err[-2000:]
