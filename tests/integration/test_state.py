"""State on the real broker: restart after SIGKILL, two workers, redelivery, compacted rebuild."""
from __future__ import annotations

import time
from pathlib import Path

import orjson
import pytest
from kafka import KafkaAdminClient, KafkaProducer
from kafka.admin import ConfigResource, ConfigResourceType

from pipeline.core import ClusterStage, OfflinePipeline
from pipeline.topics import ensure_topics

from .conftest import latest_by_event, make_settings, processed_ids, produce, topic_records, wait_for

pytestmark = pytest.mark.kafka
SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "ecbplus" / "sample.jsonl"


def sample_values() -> list[tuple[bytes, bytes]]:
    out = []
    for line in SAMPLE.read_bytes().splitlines():
        doc = orjson.loads(line)
        out.append((doc["source"].encode(), line))
    return out


def offline_assignments(values) -> dict[str, tuple[str, str]]:
    pipeline = OfflinePipeline()
    rows = [pipeline.process(value) for _, value in values]
    return {row["id"]: (row["event_id"], row["relation"]) for row in rows}


def replay_cleaned(settings) -> dict[str, tuple[str, str]]:
    """The clustering core run offline over news.cleaned in the order the worker read it."""
    stage = ClusterStage(settings, {}, {}, restore=False)
    out = {}
    for article in topic_records(settings, settings.cleaned_topic):
        result = stage.process(article)
        out.setdefault(article["id"], (result.article["event_id"], result.article["relation"]))
    return out


def stream_assignments(settings) -> dict[str, tuple[str, str]]:
    out = {}
    for record in topic_records(settings, settings.articles_topic):
        out.setdefault(record["id"], (record["event_id"], record["relation"]))
    return out


def groups(assignments: dict[str, tuple[str, str]]) -> set[frozenset[str]]:
    by_event: dict[str, set[str]] = {}
    for article_id, (event_id, _) in assignments.items():
        by_event.setdefault(event_id, set()).add(article_id)
    return {frozenset(members) for members in by_event.values()}


def test_killed_worker_restarts_with_the_same_state(kafka_bootstrap, unique_prefix, tmp_path, worker_factory):
    # One raw partition: the arrival order is the produce order, so the run must equal offline replay.
    settings = make_settings(kafka_bootstrap, unique_prefix, tmp_path, raw_partitions=1)
    ensure_topics(settings)
    values = sample_values()
    half = len(values) // 2
    worker = worker_factory(settings)
    worker.start()
    produce(settings, values[:half])
    wait_for(lambda: len(processed_ids(settings)) >= half, what="first half processed")
    worker.kill()  # SIGKILL: no commit, no goodbye
    produce(settings, values[half:])
    # Restart once the broker has expired the dead member (as an orchestrator's restart would be):
    # joining while the dead member still holds its partitions is a different test.
    time.sleep(settings.session_timeout_s + 2)
    restarted = worker_factory(settings, "restarted")
    restarted.start()
    wait_for(lambda: len(processed_ids(settings)) >= len(values), what="all processed after restart",
             workers=(restarted,))
    assert stream_assignments(settings) == offline_assignments(values)
    events = latest_by_event(settings)
    assert sum(e["article_count"] for e in events.values()) == len(values)


def test_two_workers_share_the_work_and_agree_with_one(kafka_bootstrap, unique_prefix, tmp_path, worker_factory):
    settings = make_settings(kafka_bootstrap, unique_prefix, tmp_path, raw_partitions=4)
    ensure_topics(settings)
    first = worker_factory(settings, "w1")
    second = worker_factory(settings.with_(web_port=_port(),
                                           data_dir=str(tmp_path / "w2")), "w2")
    first.start()
    second.start()
    values = sample_values()
    produce(settings, values)
    wait_for(lambda: len(processed_ids(settings)) >= len(values), what="all processed by two workers")
    # Both workers took part: each owned news.raw partitions (the clean stage scales out) ...
    assert '"worker ready"' in first.log_text() and '"worker ready"' in second.log_text()
    # ... and the one that owned news.cleaned decided exactly what one process decides over the
    # same sequence of cleaned articles (with four raw partitions that sequence is an interleaving).
    assert stream_assignments(settings) == replay_cleaned(settings)
    assert sum(e["article_count"] for e in latest_by_event(settings).values()) == len(values)
    second.stop()  # one leaves: its partitions move to the other, nothing is lost
    more = [(k, orjson.dumps({**orjson.loads(v), "id": "again-" + orjson.loads(v)["id"]})) for k, v in values[:10]]
    produce(settings, more)
    wait_for(lambda: len(processed_ids(settings)) >= len(values) + 10, what="processing after a worker left",
             workers=(first, second))
    assert first.alive()
    # The one left took over the clustering state too: the copies are recognised as copies.
    relations = {r["id"]: r["relation"] for r in topic_records(settings, settings.articles_topic)}
    assert {relations["again-" + orjson.loads(v)["id"]] for _, v in values[:10]} == {"exact"}


def test_a_recovery_that_reads_nothing_is_run_again(kafka_bootstrap, unique_prefix, tmp_path, worker_factory):
    # Half of the stall time without a changelog record read: the worker asks Faust to recover again.
    settings = make_settings(kafka_bootstrap, unique_prefix, tmp_path, raw_partitions=1, stall_after_s=20.0)
    ensure_topics(settings)
    values = sample_values()[:12]
    worker = worker_factory(settings)
    worker.start()
    produce(settings, values)
    wait_for(lambda: len(processed_ids(settings)) >= len(values), what="first articles processed")
    worker.stop()
    # The restarted worker's first recovery leaves the changelogs paused: without the watch it never ends.
    stalled = worker_factory(settings, "stalled", module="tests.integration.stalled_recovery_worker")
    stalled.start()
    log = stalled.log_text()
    assert "fault injected" in log and "table recovery stalled: running it again" in log
    # The state came back from the changelog: copies of the first articles are recognised as such.
    copies = [(k, orjson.dumps({**orjson.loads(v), "id": "copy-" + orjson.loads(v)["id"]})) for k, v in values[:4]]
    produce(settings, copies)
    wait_for(lambda: len(processed_ids(settings)) >= len(values) + 4, what="copies processed", workers=(stalled,))
    relations = {r["id"]: r["relation"] for r in topic_records(settings, settings.articles_topic)}
    assert [relations["copy-" + orjson.loads(v)["id"]] for _, v in values[:4]] == ["exact"] * 4
    assert stalled.alive()


def _port() -> int:
    from deploy.kafka.broker import free_port

    return free_port()


def test_redelivered_article_changes_nothing(settings, worker):
    values = sample_values()[:6]
    produce(settings, values)
    wait_for(lambda: len(processed_ids(settings)) >= 6, what="six processed")
    before = wait_for(lambda: latest_by_event(settings), what="events")
    count_before = len(topic_records(settings, settings.events_topic))
    produce(settings, values[:3])  # the same messages again, as after a crash before commit
    wait_for(lambda: len(topic_records(settings, settings.articles_topic)) >= 9, what="redeliveries handled")
    after = latest_by_event(settings)
    assert {k: (v["version"], v["article_count"]) for k, v in after.items()} == \
        {k: (v["version"], v["article_count"]) for k, v in before.items()}
    for event in after.values():
        ids = [a["id"] for a in event["articles"]]
        assert len(ids) == len(set(ids))
    # the redelivery re-published the current records (same versions), it did not make new ones
    republished = topic_records(settings, settings.events_topic)[count_before:]
    assert all(r["version"] == before[r["event_id"]]["version"] for r in republished)


def test_compacted_events_topic_rebuilds_the_current_state(kafka_bootstrap, unique_prefix, tmp_path, worker_factory):
    settings = make_settings(kafka_bootstrap, unique_prefix, tmp_path, events_segment_ms=500)
    ensure_topics(settings)
    admin = KafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    try:
        described = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, settings.events_topic)])
        text = repr(described)
        assert "cleanup.policy" in text and "compact" in text
    finally:
        admin.close()
    worker = worker_factory(settings)
    worker.start()
    values = sample_values()
    produce(settings, values[:30])
    wait_for(lambda: len(processed_ids(settings)) >= 30, what="first batch")
    time.sleep(1.0)
    produce(settings, values[30:])
    wait_for(lambda: len(processed_ids(settings)) >= len(values), what="all processed")
    state = latest_by_event(settings)
    published = len(topic_records(settings, settings.events_topic))
    assert published > len(state)  # events were updated, so superseded versions exist
    # A fresh consumer reading from the beginning gets the current state of every event.
    assert latest_by_event(settings) == state
    # One more article after the segment time has passed rolls the segment; the cleaner then drops
    # superseded versions, and reading from the beginning still gives every event's current state.
    time.sleep(1.0)
    produce(settings, [(b"late", orjson.dumps({"id": "late-1", "source": "late", "text":
                        "A magnitude 5.1 earthquake shook the Azores archipelago early on Sunday, the "
                        "regional civil protection service said, with no damage reported on Faial."}))])
    wait_for(lambda: len(processed_ids(settings)) >= len(values) + 1, what="the late article")
    # A segment rolls only when a record arrives after segment.ms, and only closed segments are cleaned:
    # the late article's event lands in one partition, which may hold no superseded version (the test
    # failed so under load). A tombstone of a key no event has rolls every partition; readers skip it.
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap)
    for partition in range(settings.raw_partitions):
        producer.send(settings.events_topic, key=b"test-segment-roll", value=None, partition=partition)
    producer.flush()
    producer.close()
    wait_for(lambda: len(topic_records(settings, settings.events_topic)) < published, timeout=90,
             what="the log cleaner to compact news.events")
    rebuilt = latest_by_event(settings)
    late = [e for e in rebuilt.values() if any(a["id"] == "late-1" for a in e["articles"])]
    assert len(late) == 1
    rebuilt.pop(late[0]["event_id"])
    assert rebuilt == state
