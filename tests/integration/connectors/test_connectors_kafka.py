"""Connectors against the session's real Kafka broker (stop/restart included)."""
from __future__ import annotations

import io
import threading
import time

import orjson
import pytest
from kafka import KafkaConsumer
from kafka.admin import KafkaAdminClient, NewTopic
from prometheus_client import REGISTRY

from connectors.files import ingest_files
from connectors.net import Fetcher, NetworkPolicy
from connectors.rss import Feed, RssConnector
from connectors.sink import KafkaSink
from tests.unit.connectors.conftest import Site

pytestmark = pytest.mark.kafka


def make_topics(bootstrap, *names):
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        admin.create_topics([NewTopic(name, 2, 1) for name in names])
    finally:
        admin.close()


def read_topic(bootstrap, topic, expect, timeout=60.0):
    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                             enable_auto_commit=False, consumer_timeout_ms=2000)
    records, deadline = [], time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and len(records) < expect:
            for message in consumer:
                records.append((message.key, orjson.loads(message.value)))
    finally:
        consumer.close()
    return records


def test_files_are_delivered_with_source_keys_and_dead_letters(kafka_bootstrap, unique_prefix, tmp_path):
    raw, dead = f"{unique_prefix}.raw", f"{unique_prefix}.deadletter"
    make_topics(kafka_bootstrap, raw, dead)
    (tmp_path / "outlet").mkdir()
    for i in range(3):
        (tmp_path / "outlet" / f"a{i}.txt").write_text(f"text {i}")
    (tmp_path / "bad.jsonl").write_text('{"id": "x"}\n')
    sink = KafkaSink(kafka_bootstrap, raw, dead)
    result = ingest_files([tmp_path], sink, err=io.StringIO())
    sink.close()
    assert result.delivered == 3 and not result.failed
    records = read_topic(kafka_bootstrap, raw, 3)
    assert sorted(r["id"] for _, r in records) == ["a0", "a1", "a2"]
    assert {key for key, _ in records} == {b"outlet"}
    dead_records = read_topic(kafka_bootstrap, dead, 1)
    assert [(r["reason"], r["stage"]) for _, r in dead_records] == [("schema", "connector")]
    # keyed by the article id, as the worker keys its dead letters and the README says (was the source)
    assert [(key, r["id"]) for key, r in dead_records] == [(b"x", "x")]


def test_rss_survives_a_broker_stop_mid_poll_and_skips_nothing(kafka_broker, kafka_bootstrap, unique_prefix, tmp_path):
    if kafka_broker is None:
        pytest.skip("needs the session's own broker (NEWSFLOW_KAFKA_BOOTSTRAP is external)")
    raw, dead = f"{unique_prefix}.raw", f"{unique_prefix}.deadletter"
    make_topics(kafka_bootstrap, raw, dead)
    site = Site()
    n_feeds, per_feed = 6, 5
    for f in range(n_feeds):
        items = "".join(f"<item><guid>urn:f{f}:e{e}</guid><description>entry {f}/{e}</description></item>"
                        for e in range(per_feed))
        site.routes[f"/f{f}.xml"] = (200, {"Content-Type": "application/rss+xml"},
                                     f'<rss version="2.0"><channel><title>F{f}</title>{items}</channel></rss>'.encode())
    feeds = [Feed(site.url(f"/f{f}.xml"), name=f"feed{f}") for f in range(n_feeds)]
    sink = KafkaSink(kafka_bootstrap, raw, dead, delivery_timeout_ms=5000, request_timeout_ms=2000,
                     max_block_ms=2000, backoff_max=2.0, connector="rss")
    retries_before = REGISTRY.get_sample_value("newsflow_connector_delivery_retries_total", {"connector": "rss"}) or 0
    connector = RssConnector(feeds, sink, Fetcher(NetworkPolicy(["127.0.0.1/32"])),
                             state_path=tmp_path / "rss.sqlite", delivery_timeout=120)
    # the first two feeds go through with the broker up
    assert [connector.poll_feed(feed).new for feed in feeds[:2]] == [per_feed] * 2
    # then the broker stops while the rest are polled; it comes back a few seconds later
    kafka_broker.stop()
    restarter = threading.Timer(6.0, kafka_broker.start)
    restarter.start()
    try:
        results = [connector.poll_feed(feed) for feed in feeds[2:]]
    finally:
        restarter.join()
    assert all(r.status == "ok" for r in results), [(r.status, r.detail) for r in results]
    # the resends while the broker was away are counted, for the dashboard and the alert
    assert REGISTRY.get_sample_value("newsflow_connector_delivery_retries_total", {"connector": "rss"}) > retries_before
    # a second round emits nothing new (state marked only after the acks)
    assert sum(connector.poll_feed(feed).new for feed in feeds) == 0
    connector.close()
    sink.close()
    site.close()
    records = read_topic(kafka_bootstrap, raw, n_feeds * per_feed, timeout=90)
    ids = [r["id"] for _, r in records]
    expected = {f"urn:f{f}:e{e}" for f in range(n_feeds) for e in range(per_feed)}
    assert set(ids) == expected          # nothing skipped (duplicates would be allowed: at-least-once)
