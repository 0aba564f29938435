"""What `newsflow demo` prints comes from the real topics: it waits until the event records account
for every article the clustering stage published (the article goes out before its event)."""
from __future__ import annotations

import orjson
import pytest
from kafka import KafkaProducer

from cli.service import wait_events

pytestmark = pytest.mark.kafka


def _send(producer: KafkaProducer, topic: str, records: list[dict], key: str) -> None:
    for record in records:
        producer.send(topic, key=record[key].encode(), value=orjson.dumps(record))
    producer.flush()


def test_the_demo_waits_until_every_article_has_its_event(settings):
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap)
    try:
        articles = [{"id": "a1", "event_id": "evt_1"}, {"id": "a2", "event_id": "evt_1"},
                    {"id": "a2", "event_id": "evt_1"},  # a redelivery: counted once
                    {"id": "b1", "event_id": "evt_2"}]
        _send(producer, settings.articles_topic, articles, "id")
        # evt_1 has seen one of its two articles so far, evt_2 nothing
        _send(producer, settings.events_topic, [{"event_id": "evt_1", "version": 1, "article_count": 1}], "event_id")
        with pytest.raises(RuntimeError, match="2 of 2 events not published"):
            wait_events(settings, timeout=1.0)
        _send(producer, settings.events_topic, [{"event_id": "evt_1", "version": 2, "article_count": 2},
                                                {"event_id": "evt_2", "version": 1, "article_count": 1}], "event_id")
        events = wait_events(settings, timeout=30.0)
    finally:
        producer.close()
    assert {eid: e["version"] for eid, e in events.items()} == {"evt_1": 2, "evt_2": 1}


def test_a_worker_is_never_taken_for_another_one_on_its_port(worker, worker_factory, kafka_bootstrap,
                                                               tmp_path):
    """The second worker cannot bind the port the first one serves. Before, the first one's /readyz
    answered for it, and `newsflow demo` waited for articles that no worker would ever process."""
    from .conftest import make_settings

    other = make_settings(kafka_bootstrap, "other" + worker.settings.app_id[-8:], tmp_path,
                          web_port=worker.settings.web_port)
    second = worker_factory(other, name="second")
    with pytest.raises(RuntimeError, match="another worker|exited"):
        second.start(timeout=60)


def test_a_second_worker_of_the_same_app_on_the_same_port_is_refused(worker, worker_factory):
    """`newsflow up` twice on one host: the second worker could not bind the port, yet the first
    one's /readyz (same app id) answered for it, and `up` logged 'worker ready'."""
    second = worker_factory(worker.settings, name="same-app")
    with pytest.raises(RuntimeError, match="another worker|exited"):
        second.start(timeout=60)
    assert second.process.wait(timeout=60) == 1  # the worker itself refuses the taken port
    assert "is taken" in second.log_text()


def test_reading_a_topic_the_cluster_lacks_is_refused_after_a_short_grace(kafka_bootstrap, unique_prefix):
    """Before, `tail` of a mistyped topic asked the cluster again and again for 10 s."""
    import time

    from cli.kafka_read import read_all

    started = time.monotonic()
    with pytest.raises(RuntimeError, match=f"topic '{unique_prefix}.missing' does not exist"):
        next(read_all(kafka_bootstrap, f"{unique_prefix}.missing"))
    assert time.monotonic() - started < 6


def test_a_topic_created_just_before_it_is_read_is_found(kafka_bootstrap, unique_prefix):
    from kafka.admin import KafkaAdminClient, NewTopic

    from cli.kafka_read import read_all

    admin = KafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    try:
        admin.create_topics([NewTopic(f"{unique_prefix}.fresh", 2, 1)])
    finally:
        admin.close()
    assert list(read_all(kafka_bootstrap, f"{unique_prefix}.fresh")) == []
