"""A record the producer or the broker refuses for itself (too large) fails alone, on a real broker:
it becomes a connector dead letter (too_large) and the rest of its batch is delivered, at once,
instead of the whole batch being retried until the delivery deadline and then failed."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time

import orjson
import pytest
from kafka.admin import KafkaAdminClient, NewTopic

from cli.kafka_read import read_all
from connectors.files import ingest_files
from connectors.sink import KafkaSink
from schemas.models import MAX_RAW_BYTES_DEFAULT, RawArticle
from tests.conftest import REPO, SEEDS

pytestmark = pytest.mark.kafka


def _topics(bootstrap, raw, dead, raw_max_message_bytes=None):
    config = {"max.message.bytes": str(raw_max_message_bytes)} if raw_max_message_bytes else {}
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        admin.create_topics([NewTopic(raw, 1, 1, topic_configs=config),
                             NewTopic(dead, 1, 1, topic_configs={"max.message.bytes": str(4 * 1024 * 1024)})])
    finally:
        admin.close()


def _values(bootstrap, topic):
    return [orjson.loads(value) for _, value in read_all(bootstrap, topic)]


def _batch(big_text_bytes):
    return [RawArticle(id="a", source="s", text="first"),
            RawArticle(id="big", source="s", text="x" * big_text_bytes),
            RawArticle(id="c", source="s", text="last")]


def test_a_record_the_broker_refuses_as_too_large_fails_alone(kafka_bootstrap, unique_prefix):
    raw, dead = f"{unique_prefix}.raw", f"{unique_prefix}.deadletter"
    _topics(kafka_bootstrap, raw, dead, raw_max_message_bytes=100_000)  # a topic smaller than the sink's limit
    sink = KafkaSink(kafka_bootstrap, raw, dead, connector="test")
    started = time.monotonic()
    try:
        delivered = sink.deliver(_batch(300_000), deadline=time.monotonic() + 30)
    finally:
        sink.close()
    assert time.monotonic() - started < 20  # refused at once, not retried until the deadline
    assert delivered == 2
    assert [(r.id, why.reason) for r, why in delivered.refused] == [("big", "too_large")]
    assert sorted(r["id"] for r in _values(kafka_bootstrap, raw)) == ["a", "c"]
    [letter] = _values(kafka_bootstrap, dead)
    assert (letter["reason"], letter["stage"], letter["id"]) == ("too_large", "connector", "big")
    size = len(_batch(300_000)[1].to_json())
    assert str(size) in letter["detail"] and "MessageSizeTooLarge" in letter["detail"], letter["detail"]


def test_a_record_over_the_producers_request_size_fails_alone(kafka_bootstrap, unique_prefix):
    raw, dead = f"{unique_prefix}.raw", f"{unique_prefix}.deadletter"
    _topics(kafka_bootstrap, raw, dead)
    sink = KafkaSink(kafka_bootstrap, raw, dead, max_request_size=200_000, connector="test")
    try:
        delivered = sink.deliver(_batch(500_000), deadline=time.monotonic() + 30)
    finally:
        sink.close()
    assert delivered == 2 and [r.id for r, _ in delivered.refused] == ["big"]
    assert sorted(r["id"] for r in _values(kafka_bootstrap, raw)) == ["a", "c"]
    [letter] = _values(kafka_bootstrap, dead)
    assert letter["reason"] == "too_large" and "200000" in letter["detail"], letter["detail"]


def test_ingest_files_delivers_the_seeds_beside_a_file_too_large_once_encoded(kafka_bootstrap, unique_prefix, tmp_path):
    """The QA case: a 3 MiB file of control characters (18 MB as JSON) beside the five seeds."""
    raw, dead = f"{unique_prefix}.raw", f"{unique_prefix}.deadletter"
    _topics(kafka_bootstrap, raw, dead)
    (tmp_path / "ctl").mkdir()
    (tmp_path / "ctl" / "ctl.txt").write_bytes(b"\x01" * (3 * 1024 * 1024))
    sink = KafkaSink(kafka_bootstrap, raw, dead, connector="files")
    try:
        result = ingest_files([tmp_path / "ctl", SEEDS], sink, err=io.StringIO(), delivery_timeout=30)
    finally:
        sink.close()
    seeds = sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert not result.failed and result.delivered == 5 and dict(result.rejected) == {"too_large": 1}
    assert sorted(r["id"] for r in _values(kafka_bootstrap, raw)) == seeds
    [letter] = _values(kafka_bootstrap, dead)
    assert (letter["reason"], letter["id"]) == ("too_large", "ctl")
    assert str(MAX_RAW_BYTES_DEFAULT) in letter["detail"]


def test_cli_ingest_files_exits_0(kafka_bootstrap, unique_prefix, tmp_path):
    (tmp_path / "ctl").mkdir()
    (tmp_path / "ctl" / "ctl.txt").write_bytes(b"\x01" * (3 * 1024 * 1024))
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    env = dict(os.environ, NEWSFLOW_KAFKA_BOOTSTRAP=kafka_bootstrap, NEWSFLOW_TOPIC_PREFIX=f"{unique_prefix}.",
               NEWSFLOW_DELIVERY_TIMEOUT="25")
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "cli.main", "ingest", "files", str(tmp_path / "ctl"), str(seeds),
                          "--no-progress"], env=env, cwd=REPO, capture_output=True, timeout=240)
    err = run.stderr.decode(errors="replace")
    assert run.returncode == 0, err[-3000:]
    assert time.monotonic() - started < 60
    assert "5 raw articles delivered" in err and "1 rejected (too_large=1)" in err, err[-3000:]
    assert sorted(r["id"] for r in _values(kafka_bootstrap, f"{unique_prefix}.news.raw")) == sorted(
        p.stem for p in seeds.glob("*.txt"))
    [letter] = _values(kafka_bootstrap, f"{unique_prefix}.news.deadletter")
    assert (letter["reason"], letter["stage"], letter["id"]) == ("too_large", "connector", "ctl")
