"""KafkaSink keeps to its caller's deadline while the broker is away: a delivery ends at it, and a
close within its timeout, instead of when the producer expires the records (delivery_timeout_ms, 30 s),
which held a stopping serve-ingest ~26 s after SIGTERM. The producer stands in for kafka-python's
with a broker that went away, as kafka-python 3 behaves then (see ``BrokerAway``)."""
from __future__ import annotations

import logging
import threading
import time

import orjson
import pytest
from kafka.errors import KafkaTimeoutError
from kafka.future import Future

from connectors.sink import DeliveryError, KafkaSink
from schemas.models import RawArticle

EXPIRY = 8.0  # the producer's own delivery timeout (30 s by default)


class BrokerAway:
    """A KafkaProducer after its broker went away: a send is queued, never acknowledged, and fails when
    it expires; ``flush`` waits for that, or raises KafkaTimeoutError at its timeout if that comes
    first; ``close`` flushes first, and so raises too, unless its sender was forced to fail the records."""

    def __init__(self) -> None:
        self.pending: list[Future] = []
        self.expires = time.monotonic() + EXPIRY
        self.failed = threading.Event()
        self._sender = self  # kafka-python's I/O thread, which force_close stops
        self.closed = False

    def send(self, topic, key=None, value=None) -> Future:
        future = Future()
        self.pending.append(future)
        return future

    def flush(self, timeout=None) -> None:
        until_expiry = max(0.0, self.expires - time.monotonic())
        if timeout is not None and timeout < until_expiry:
            if not self.failed.wait(timeout):
                raise KafkaTimeoutError("Timeout waiting for future")
        elif not self.failed.wait(until_expiry):
            self.force_close()  # the records expired: failed, and so done

    def force_close(self) -> None:
        for future in self.pending:
            if not future.is_done:
                future.failure(KafkaTimeoutError("Expiring 1 record(s)"))
        self.failed.set()

    def close(self, timeout=None) -> None:
        self.flush(timeout)
        self.closed = True


def article() -> RawArticle:
    return RawArticle.from_dict({"id": "a1", "source": "s", "text": "t", "fetched_at": "2026-01-01T00:00:00Z"})


def test_a_delivery_ends_at_its_deadline_while_the_broker_is_away():
    """Before, the producer's flush had no timeout: DeliveryError came only when the records expired."""
    sink = KafkaSink("127.0.0.1:1", connector="http")
    sink._producer = BrokerAway()
    started = time.monotonic()
    with pytest.raises(DeliveryError, match="before the deadline"):
        sink.deliver([article()], deadline=started + 1.0)
    assert time.monotonic() - started < 2.5


def test_close_ends_within_its_timeout_while_the_broker_is_away(caplog):
    """Before, close flushed for 10 s, then closed for 10 s more (kafka-python's close flushes first),
    and raised KafkaTimeoutError after 20 s."""
    sink = KafkaSink("127.0.0.1:1", connector="http")
    producer = sink._producer = BrokerAway()
    with pytest.raises(DeliveryError):
        sink.deliver([article()], deadline=time.monotonic() + 0.2)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="connectors.sink"):
        sink.close(timeout=1.0)
    assert time.monotonic() - started < 2.5
    assert producer.closed and all(future.failed() for future in producer.pending)
    assert "records not acknowledged within 1 s dropped at close" in caplog.text


def test_serve_ingest_answers_503_at_its_ack_timeout_saying_the_articles_may_still_come(caplog):
    """Before, the answer came from the handler's own timeout while the delivery thread went on
    flushing, and said only 'Kafka did not acknowledge in time; retry'."""
    from connectors.http_ingest import make_app
    from tests.unit.connectors.test_http_ingest import ARTICLE, post, run

    sink = KafkaSink("127.0.0.1:1", connector="http")
    sink._producer = BrokerAway()

    async def steps(client):
        return await post(client, "/ingest", ARTICLE, "application/json", headers={})

    with caplog.at_level(logging.WARNING, logger="connectors.http_ingest"):
        status, body, _ = run(make_app(sink, token=None, ack_timeout=1.0), steps)
    assert status == 503
    detail = orjson.loads(body)["detail"]
    assert detail.startswith("Kafka did not acknowledge the articles within 1 s; retry")
    assert "may still be delivered later: their ids make a resend harmless" in detail
    # the delivery itself gave up at the deadline: its DeliveryError is what was answered
    assert "ingest: 1 records not delivered: 1 of 1 records not acknowledged before the deadline" in caplog.text
