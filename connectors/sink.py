"""Where connectors put what they fetched: Kafka (confirmed delivery), stdout (dry run), memory (tests).

Every sink has the same small surface:

* ``send(raw) -> future``          queue one RawArticle for ``news.raw`` (key = source, UTF-8)
* ``send_deadletter(record)``      queue one dead-letter record (a dict, schema deadletter.v1)
* ``flush(timeout)``               wait for every queued record's acknowledgement, raise
                                   :class:`DeliveryError` if any of them failed
* ``deliver(raws, deadline=...)``  send, confirm and resend what failed, with backoff, until every
                                   record is acknowledged or the deadline passes (then DeliveryError)
* ``close()``

Callers only treat an entry as emitted (mark it seen, answer 202, count it) after ``deliver``
returned or ``flush`` returned without raising: delivery is at-least-once, nothing is skipped.
A resend after a timeout may duplicate a record that the broker did store; the downstream stages
deduplicate by article id, so that is harmless.
"""
from __future__ import annotations

import abc
import logging
import sys
import threading
import time
from concurrent.futures import Future
from typing import Any, Callable, Iterable, Sequence, TextIO

import orjson

from schemas.models import RawArticle

from . import metrics

log = logging.getLogger(__name__)

DEFAULT_BOOTSTRAP = "127.0.0.1:9092"
RAW_TOPIC = "news.raw"
DEADLETTER_TOPIC = "news.deadletter"


class DeliveryError(Exception):
    """Some records were not acknowledged by the broker."""

    def __init__(self, message: str, failed: Sequence[Any] = ()):
        super().__init__(message)
        self.failed = list(failed)


def _key(source: str | None) -> bytes | None:
    return source.encode("utf-8") if source else None


class _BaseSink(abc.ABC):
    """Where connectors put raw articles: Kafka, stdout (dry run) or memory (tests)."""

    topic: str
    deadletter_topic: str

    @abc.abstractmethod
    def send(self, raw: RawArticle) -> Future:
        """Queue one raw article; the future completes when it is delivered."""

    @abc.abstractmethod
    def send_deadletter(self, record: dict[str, Any]) -> Future:
        """Queue one dead letter; the future completes when it is delivered."""

    def flush(self, timeout: float | None = None) -> None:
        return None

    def close(self) -> None:
        return None

    def reconnect(self) -> None:
        """Start the connection to the broker afresh (after an outage); nothing to do by default."""
        return None

    def deliver(self, raws: Iterable[RawArticle], *, deadline: float | None = None) -> int:
        raws = list(raws)
        for raw in raws:
            self.send(raw)
        self.flush()
        return len(raws)

    def deliver_deadletters(self, records: Iterable[dict[str, Any]], *, deadline: float | None = None) -> int:
        records = list(records)
        for record in records:
            self.send_deadletter(record)
        self.flush()
        return len(records)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _done_future(value: Any = None) -> Future:
    future: Future = Future()
    future.set_result(value)
    return future


class StdoutSink(_BaseSink):
    """Dry run: one JSON line per raw article on stdout; dead letters go to stderr."""

    def __init__(self, out: TextIO | None = None, err: TextIO | None = None,
                 topic: str = RAW_TOPIC, deadletter_topic: str = DEADLETTER_TOPIC):
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.topic, self.deadletter_topic = topic, deadletter_topic
        self._lock = threading.Lock()

    def send(self, raw: RawArticle):
        line = raw.to_json().decode("utf-8")
        with self._lock:
            self.out.write(line + "\n")
        return _done_future()

    def send_deadletter(self, record: dict[str, Any]):
        line = orjson.dumps(record).decode("utf-8")
        with self._lock:
            self.err.write("deadletter " + line + "\n")
        return _done_future()

    def flush(self, timeout: float | None = None) -> None:
        with self._lock:
            self.out.flush()
            self.err.flush()


class MemorySink(_BaseSink):
    """Keeps what it is given (tests, embedding). ``fail_next`` makes the next N sends fail."""

    def __init__(self, topic: str = RAW_TOPIC, deadletter_topic: str = DEADLETTER_TOPIC):
        self.topic, self.deadletter_topic = topic, deadletter_topic
        self.raws: list[RawArticle] = []
        self.deadletters: list[dict[str, Any]] = []
        self.fail_next = 0
        self._pending: list[Future] = []
        self._lock = threading.Lock()

    def _future(self, store: list, item: Any) -> Future:
        future: Future = Future()
        with self._lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                future.set_exception(DeliveryError("injected failure"))
            else:
                store.append(item)
                future.set_result(None)
            self._pending.append(future)
        return future

    def send(self, raw: RawArticle):
        return self._future(self.raws, raw)

    def send_deadletter(self, record: dict[str, Any]):
        return self._future(self.deadletters, record)

    def flush(self, timeout: float | None = None) -> None:
        with self._lock:
            pending, self._pending = self._pending, []
        failed = [f for f in pending if f.exception() is not None]
        if failed:
            raise DeliveryError(f"{len(failed)} of {len(pending)} records failed", failed)

    def deliver(self, raws: Iterable[RawArticle], *, deadline: float | None = None) -> int:
        todo = list(raws)
        n = len(todo)
        while todo:
            futures = [(raw, self.send(raw)) for raw in todo]
            self._pending.clear()
            todo = [raw for raw, f in futures if f.exception() is not None]
            if todo and deadline is not None and time.monotonic() > deadline:
                raise DeliveryError(f"{len(todo)} records not delivered", todo)
        return n


class KafkaSink(_BaseSink):
    """kafka-python producer with acks=all and idempotence; every record's ack is checked.

    ``deliver`` is the call connectors use: it resends whatever failed (broker down, leader moved,
    request timed out) with exponential backoff, until everything is acknowledged or ``deadline``
    (a ``time.monotonic()`` value; None = keep trying) passes.
    """

    def __init__(self, bootstrap: str = DEFAULT_BOOTSTRAP, topic: str = RAW_TOPIC,
                 deadletter_topic: str = DEADLETTER_TOPIC, *, client_id: str = "newsflow-connector",
                 delivery_timeout_ms: int = 30_000, request_timeout_ms: int = 10_000,
                 max_block_ms: int = 10_000, max_request_size: int = 16 * 1024 * 1024,
                 backoff_max: float = 10.0, producer_options: dict[str, Any] | None = None,
                 connector: str = "connector"):
        self.bootstrap = bootstrap
        self.connector = connector  # the label of newsflow_connector_delivery_retries_total
        self.topic, self.deadletter_topic = topic, deadletter_topic
        self.backoff_max = backoff_max
        self._options = dict(
            bootstrap_servers=[s.strip() for s in bootstrap.split(",") if s.strip()],
            client_id=client_id,
            acks="all",
            enable_idempotence=True,
            retries=2**31 - 1,                  # bounded by delivery_timeout_ms
            delivery_timeout_ms=delivery_timeout_ms,
            request_timeout_ms=request_timeout_ms,
            max_block_ms=max_block_ms,
            max_in_flight_requests_per_connection=5,   # <= 5 keeps ordering with idempotence
            retry_backoff_ms=200,
            reconnect_backoff_ms=200,
            reconnect_backoff_max_ms=5_000,
            linger_ms=5,
            max_request_size=max_request_size,
            compression_type=None,
        )
        self._options.update(producer_options or {})
        self._producer = None
        self._pending: list[Any] = []
        self._lock = threading.Lock()

    # -- producer ------------------------------------------------------------------------------
    @property
    def producer(self):
        if self._producer is None:
            from kafka import KafkaProducer
            self._producer = KafkaProducer(**self._options)
        return self._producer

    def reconnect(self) -> None:
        """A new producer on the next send: the old one may still be waiting out its reconnect
        backoff (up to 5 s) after the broker came back, and would fail a short ack deadline."""
        self._reset_producer()

    def _reset_producer(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            try:
                producer.close(timeout=1)
            except Exception:  # noqa: BLE001 - closing a broken producer must not raise
                log.debug("closing the old producer failed", exc_info=True)

    # -- single sends --------------------------------------------------------------------------
    def _send(self, topic: str, key: bytes | None, value: bytes, track: bool = True):
        future = self.producer.send(topic, key=key, value=value)
        if track:
            with self._lock:
                self._pending.append(future)
        return future

    def send(self, raw: RawArticle):
        return self._send(self.topic, _key(raw.source), raw.to_json())

    def send_deadletter(self, record: dict[str, Any]):
        return self._send(self.deadletter_topic, _key(record.get("source")), orjson.dumps(record))

    def flush(self, timeout: float | None = None) -> None:
        """Wait for every queued record's ack; raise DeliveryError listing the failed futures."""
        with self._lock:
            pending, self._pending = self._pending, []
        if not pending:
            return
        try:
            self.producer.flush(timeout=timeout)
        except Exception as exc:  # noqa: BLE001 - a flush timeout: the futures tell which failed
            log.warning("flush did not complete: %s", exc)
        failed = []
        for future in pending:
            if not future.is_done:
                failed.append(future)
            elif future.failed():
                failed.append(future)
        if failed:
            first = next((f.exception for f in failed if f.is_done), None)
            raise DeliveryError(f"{len(failed)} of {len(pending)} records not acknowledged"
                                f" (first error: {first!r})", failed)

    # -- confirmed, retried batches ------------------------------------------------------------
    def _deliver(self, items: list[tuple[str, bytes | None, bytes]], deadline: float | None) -> int:
        todo = list(items)
        attempt = 0
        while todo:
            futures = []
            error: BaseException | None = None
            try:
                for item in todo:
                    futures.append((item, self._send(*item, track=False)))
                self.producer.flush()
            except Exception as exc:  # noqa: BLE001 - broker unreachable, metadata timeout, ...
                error = exc
            left = [item for item in todo[len(futures):]]
            for item, future in futures:
                if not future.is_done or future.failed():
                    left.append(item)
                    if error is None and future.is_done:
                        error = future.exception
            if not left:
                return len(items)
            attempt += 1
            delay = min(self.backoff_max, 0.25 * 2 ** min(attempt, 8))
            log.warning("%d of %d records not acknowledged (attempt %d: %r); retrying in %.1fs",
                        len(left), len(items), attempt, error, delay)
            metrics.DELIVERY_RETRIES.labels(self.connector).inc()
            if deadline is not None and time.monotonic() + delay > deadline:
                raise DeliveryError(f"{len(left)} of {len(items)} records not acknowledged before the"
                                    f" deadline (last error: {error!r})", left)
            if self._producer is not None and error is not None and _is_fatal_producer_error(error):
                self._reset_producer()
            time.sleep(delay)
            todo = left
        return len(items)

    def deliver(self, raws: Iterable[RawArticle], *, deadline: float | None = None) -> int:
        items = [(self.topic, _key(r.source), r.to_json()) for r in raws]
        return self._deliver(items, deadline)

    def deliver_deadletters(self, records: Iterable[dict[str, Any]], *, deadline: float | None = None) -> int:
        items = [(self.deadletter_topic, _key(r.get("source")), orjson.dumps(r)) for r in records]
        return self._deliver(items, deadline)

    def close(self) -> None:
        if self._producer is not None:
            try:
                self._producer.flush(timeout=10)
            finally:
                self._producer.close(timeout=10)
                self._producer = None


def wait_until_reachable(check: Callable[[], Any], stop: threading.Event, *, name: str,
                         fatal: tuple[type[BaseException], ...] = (), retry_max: float = 10.0) -> bool:
    """Call ``check`` (the topic check, which needs the broker) until it succeeds: True, or False if
    ``stop`` was set first. A long-running connector started before its broker waits for it this way
    (not ready meanwhile) instead of exiting; an error of a ``fatal`` type (a configuration error)
    is raised, any other is logged and retried 1, 2, 4 ... at most ``retry_max`` seconds apart."""
    delay = 1.0
    while not stop.is_set():
        try:
            check()
        except fatal:
            raise
        except Exception as exc:  # noqa: BLE001 - the broker is not there yet: not ready, try again
            log.warning("%s: Kafka not ready (%s); /readyz answers 503, retrying in %.0fs", name, exc, delay)
            stop.wait(delay)
            delay = min(retry_max, delay * 2)
            continue
        log.info("%s: Kafka ready", name)
        return True
    return False


def _is_fatal_producer_error(error: BaseException) -> bool:
    """Errors after which a fresh producer is the safer way on (it re-bootstraps, new producer id)."""
    name = type(error).__name__
    return name in {"NoBrokersAvailable", "OutOfOrderSequenceNumberError", "UnknownProducerIdError",
                    "InvalidProducerEpochError", "KafkaConnectionError"}


def make_sink(*, stdout: bool, bootstrap: str, topic: str = RAW_TOPIC,
              deadletter_topic: str = DEADLETTER_TOPIC, **kwargs: Any) -> _BaseSink:
    if stdout:
        return StdoutSink(topic=topic, deadletter_topic=deadletter_topic)
    return KafkaSink(bootstrap, topic, deadletter_topic, **kwargs)
