"""Reading whole topics with kafka-python (for demo, tail and tests): from the beginning to the end offsets."""
from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Callable, Iterator

from kafka import KafkaConsumer, TopicPartition
from kafka.errors import KafkaTimeoutError

BOOTSTRAP_TIMEOUT_S = 30  # kafka-python 3's bootstrap_timeout_ms, kept for a broker that is there but slow


def _consumer(bootstrap: str) -> KafkaConsumer:
    require_listening(bootstrap)
    try:
        return KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None,
                             auto_offset_reset="earliest", consumer_timeout_ms=1000,
                             bootstrap_timeout_ms=BOOTSTRAP_TIMEOUT_S * 1000)
    except KafkaTimeoutError:
        raise RuntimeError(f"Kafka at {bootstrap} is not reachable: no answer within {BOOTSTRAP_TIMEOUT_S} s") from None


def require_listening(bootstrap: str, timeout: float = 3.0) -> None:
    """Fail at once when nothing accepts a connection at any bootstrap address: the consumer retries
    its bootstrap for 30 s before it gives up, so `tail` with no broker running hung that long."""
    for address in bootstrap.split(","):
        host, _, port = address.strip().rpartition(":")
        with contextlib.suppress(OSError), socket.create_connection((host.strip("[]"), int(port)), timeout=timeout):
            return
    raise RuntimeError(f"Kafka at {bootstrap} is not reachable: nothing accepts connections there")


def partitions(consumer: KafkaConsumer, topic: str, timeout: float = 1.5) -> list[TopicPartition]:
    """Each look asks the cluster for its topics (a blocking metadata request), so an empty answer
    is the broker's own: a short grace covers a topic created a moment ago (before, 10 s of asking
    made `tail` of a mistyped topic hang that long)."""
    deadline = time.monotonic() + timeout
    while True:
        found = consumer.partitions_for_topic(topic)
        if found:
            return [TopicPartition(topic, p) for p in sorted(found)]
        if time.monotonic() > deadline:
            raise RuntimeError(f"topic {topic!r} does not exist")
        time.sleep(0.2)


def read_all(bootstrap: str, topic: str, *, follow: bool = False,
             on_caught_up: Callable[[], None] | None = None) -> Iterator[tuple[bytes | None, bytes | None]]:
    """(key, value) of every record now in ``topic``; with ``follow``, keep waiting for new ones.
    ``on_caught_up`` is called once, when the records that were there at the start have all come."""
    consumer = _consumer(bootstrap)
    try:
        tps = partitions(consumer, topic)
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        end = consumer.end_offsets(tps)
        caught_up = False
        while True:
            batch = consumer.poll(timeout_ms=500)
            for records in batch.values():
                for record in records:
                    yield record.key, record.value
            if not caught_up and all(consumer.position(tp) >= end[tp] for tp in tps):
                caught_up = True
                if on_caught_up is not None:
                    on_caught_up()
                if not follow:
                    return
    finally:
        consumer.close()
