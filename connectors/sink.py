"""Where connectors put what they fetched: Kafka (confirmed delivery), stdout (dry run), memory (tests).

Every sink has the same small surface:

* ``send(raw) -> future``          queue one RawArticle for ``news.raw`` (key = source, UTF-8)
* ``send_deadletter(record)``      queue one dead-letter record (a dict, schema deadletter.v1)
* ``flush(timeout)``               wait for every queued record's acknowledgement, raise
                                   :class:`DeliveryError` if any of them failed
* ``deliver(raws, deadline=...)``  send, confirm and resend what failed, with backoff, until every
                                   record is acknowledged or the deadline passes (then DeliveryError);
                                   returns the number acknowledged (a :class:`Delivered`)
* ``too_large(raw)``               why ``raw`` cannot go to the raw topic (its size as encoded), or None
* ``close(timeout)``

Callers only treat an entry as emitted (mark it seen, answer 202, count it) after ``deliver``
returned or ``flush`` returned without raising: delivery is at-least-once, nothing is skipped.
A resend after a timeout may duplicate a record that the broker did store; the downstream stages
deduplicate by article id, so that is harmless.

A record that can never be delivered fails alone, never its batch: ``deliver`` checks every raw
article as encoded against ``max_record_bytes`` (the worker's NEWSFLOW_MAX_RAW_BYTES, which the
raw topic's max.message.bytes is sized for) before sending it, and a record the producer or the
broker refuses for itself (MessageSizeTooLargeError: a topic with a smaller max.message.bytes, a
producer's max_request_size; InvalidRecordError) is not retried. Either way the record goes to the
dead-letter topic as a connector dead letter (``too_large`` with its encoded size and the limit, or
``invalid_record``), the rest of the batch is delivered, and ``Delivered.refused`` names it.
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

from schemas.models import MAX_RAW_BYTES_DEFAULT, RawArticle, Rejected

from . import metrics
from .common import connector_deadletter, too_large_record

log = logging.getLogger(__name__)

DEFAULT_BOOTSTRAP = "127.0.0.1:9092"
RAW_TOPIC = "news.raw"
DEADLETTER_TOPIC = "news.deadletter"


class DeliveryError(Exception):
    """Some records were not acknowledged by the broker."""

    def __init__(self, message: str, failed: Sequence[Any] = ()):
        super().__init__(message)
        self.failed = list(failed)


class Delivered(int):
    """What ``deliver`` returns: the number of raw articles acknowledged on the raw topic, with
    ``refused``, the (raw article, Rejected) pairs of those that were not sent, or were refused by
    the producer or the broker for themselves. Each of those went to the dead-letter topic instead
    (stage connector); the rest of the batch was delivered. It is an int, so callers that only count
    go on working."""

    refused: tuple[tuple[RawArticle, Rejected], ...]

    def __new__(cls, acknowledged: int, refused: Iterable[tuple[RawArticle, Rejected]] = ()):
        value = super().__new__(cls, acknowledged)
        value.refused = tuple(refused)
        return value


def _key(source: str | None) -> bytes | None:
    return source.encode("utf-8") if source else None


def _letter_key(letter: dict) -> bytes:
    """A dead letter's key is the article id, as the worker keys its own (empty when none was read)."""
    return (letter.get("id") or "").encode("utf-8", "surrogatepass")


# errors of one record that no resend can mend (kafka.errors, by name: kafka-python is imported late)
_RECORD_TOO_LARGE = frozenset({"MessageSizeTooLargeError", "RecordListTooLargeError"})
_RECORD_REFUSED = _RECORD_TOO_LARGE | {"InvalidRecordError"}


def refuses_record(error: BaseException | None) -> bool:
    """Whether ``error`` refuses one record for itself (too large, invalid), not the batch: resending
    it would fail the same way until the deadline, and fail every record sent with it."""
    return error is not None and type(error).__name__ in _RECORD_REFUSED


class _BaseSink(abc.ABC):
    """Where connectors put raw articles: Kafka, stdout (dry run) or memory (tests)."""

    topic: str
    deadletter_topic: str
    max_record_bytes: int = MAX_RAW_BYTES_DEFAULT   # the largest raw article, as encoded, the worker takes
    connector: str = "connector"                    # the label of the connector metrics

    @abc.abstractmethod
    def send(self, raw: RawArticle) -> Future:
        """Queue one raw article; the future completes when it is delivered."""

    @abc.abstractmethod
    def send_deadletter(self, record: dict[str, Any]) -> Future:
        """Queue one dead letter; the future completes when it is delivered."""

    def flush(self, timeout: float | None = None) -> None:
        return None

    def close(self, timeout: float = 10.0) -> None:
        """Deliver what is still queued, waiting ``timeout`` seconds at most; nothing to do by default."""
        return None

    def reconnect(self) -> None:
        """Start the connection to the broker afresh (after an outage); nothing to do by default."""
        return None

    def too_large(self, raw: RawArticle | bytes) -> Rejected | None:
        """Why ``raw`` (a raw article, or its encoded value) is larger than a raw-topic record may
        be (``max_record_bytes``, as the worker measures it: the JSON value), else None."""
        size = len(raw if isinstance(raw, (bytes, bytearray)) else raw.to_json())
        if size <= self.max_record_bytes:
            return None
        return too_large_record(size, self.max_record_bytes, self.topic)

    def deliver(self, raws: Iterable[RawArticle], *, deadline: float | None = None) -> Delivered:
        """Deliver ``raws``; a record too large as encoded, or refused by the producer or the broker
        for itself, is dead-lettered and left out (``Delivered.refused``) while the rest go on."""
        fitting: list[tuple[RawArticle, bytes]] = []
        refused: list[tuple[RawArticle, bytes, Rejected]] = []
        for raw in raws:
            value = raw.to_json()
            error = self.too_large(value)
            if error is None:
                fitting.append((raw, value))
            else:
                refused.append((raw, value, error))
        refused_by_broker = self._deliver_raws(fitting, deadline)
        refused.extend(refused_by_broker)
        if refused:
            self._deadletter_refused(refused, deadline)
        return Delivered(len(fitting) - len(refused_by_broker), [(raw, error) for raw, _, error in refused])

    def _deliver_raws(self, items: list[tuple[RawArticle, bytes]],
                      deadline: float | None) -> list[tuple[RawArticle, bytes, Rejected]]:
        """Deliver encoded raw articles; returns those refused for themselves (nothing by default)."""
        for raw, _ in items:
            self.send(raw)
        self.flush()
        return []

    def _deadletter_refused(self, refused: list[tuple[RawArticle, bytes, Rejected]], deadline: float | None) -> None:
        records = []
        for raw, value, error in refused:
            log.warning("%s: raw article %r of %s not sent: %s: %s", self.connector, raw.id, raw.source,
                        error.reason, error.detail)
            records.append(connector_deadletter(value, error.reason, error.detail, article_id=raw.id,
                                                source=raw.source, location=raw.url))
        self.deliver_deadletters(records, deadline=deadline)
        for error in (e for _, _, e in refused):
            metrics.DEADLETTERS.labels(self.connector, error.reason).inc()

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
                 topic: str = RAW_TOPIC, deadletter_topic: str = DEADLETTER_TOPIC, *,
                 max_record_bytes: int = MAX_RAW_BYTES_DEFAULT):
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.topic, self.deadletter_topic = topic, deadletter_topic
        self.max_record_bytes = max_record_bytes  # a dry run refuses what the real run would
        self._lock = threading.Lock()

    def send(self, raw: RawArticle):
        return self._write(raw.to_json())

    def _write(self, value: bytes) -> Future:
        line = value.decode("utf-8")
        with self._lock:
            self.out.write(line + "\n")
        return _done_future()

    def _deliver_raws(self, items, deadline):
        for _, value in items:
            self._write(value)
        self.flush()
        return []

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

    def __init__(self, topic: str = RAW_TOPIC, deadletter_topic: str = DEADLETTER_TOPIC, *,
                 max_record_bytes: int = MAX_RAW_BYTES_DEFAULT):
        self.topic, self.deadletter_topic = topic, deadletter_topic
        self.max_record_bytes = max_record_bytes
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

    def _deliver_raws(self, items, deadline):
        todo = [raw for raw, _ in items]
        while todo:
            futures = [(raw, self.send(raw)) for raw in todo]
            self._pending.clear()
            todo = [raw for raw, f in futures if f.exception() is not None]
            if todo and deadline is not None and time.monotonic() > deadline:
                raise DeliveryError(f"{len(todo)} records not delivered", todo)
        return []


class KafkaSink(_BaseSink):
    """kafka-python producer with acks=all and idempotence; every record's ack is checked.

    ``deliver`` is the call connectors use: it resends whatever failed (broker down, leader moved,
    request timed out) with exponential backoff, until everything is acknowledged or ``deadline``
    (a ``time.monotonic()`` value; None = keep trying) passes. A record refused for itself (too
    large for the producer's ``max_request_size`` or the topic's max.message.bytes) is not resent:
    it is dead-lettered, and the others are delivered (see the module's docstring).
    """

    def __init__(self, bootstrap: str = DEFAULT_BOOTSTRAP, topic: str = RAW_TOPIC,
                 deadletter_topic: str = DEADLETTER_TOPIC, *, client_id: str = "newsflow-connector",
                 delivery_timeout_ms: int = 30_000, request_timeout_ms: int = 10_000,
                 max_block_ms: int = 10_000, max_request_size: int = 16 * 1024 * 1024,
                 backoff_max: float = 10.0, producer_options: dict[str, Any] | None = None,
                 connector: str = "connector", max_record_bytes: int = MAX_RAW_BYTES_DEFAULT):
        self.bootstrap = bootstrap
        self.connector = connector  # the label of newsflow_connector_delivery_retries_total
        self.topic, self.deadletter_topic = topic, deadletter_topic
        self.max_record_bytes = max_record_bytes
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
        return self._send(self.deadletter_topic, _letter_key(record), orjson.dumps(record))

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
    def _deliver(self, items: list[tuple[str, bytes | None, bytes]],
                 deadline: float | None) -> list[tuple[int, BaseException]]:
        """Send ``items`` (topic, key, value) until each is acknowledged, or refused for itself:
        returns (index, error) of those refused (see :func:`refuses_record`), which are not resent.
        Any other failure is resent with backoff until ``deadline``, then DeliveryError."""
        todo = list(range(len(items)))
        refused: list[tuple[int, BaseException]] = []
        attempt = 0
        while todo:
            futures = []
            error: BaseException | None = None
            try:
                for index in todo:
                    try:
                        futures.append((index, self._send(*items[index], track=False)))
                    except Exception as exc:  # noqa: BLE001 - sorted below: this record, or all of them
                        if not refuses_record(exc):  # over max_request_size is raised here, by send()
                            raise
                        refused.append((index, exc))
                if futures:
                    self._flush_until(deadline)
            except Exception as exc:  # noqa: BLE001 - broker unreachable, metadata timeout, ...
                error = exc
            settled = {index for index, _ in futures} | {index for index, _ in refused}
            left = [index for index in todo if index not in settled]
            suspects = []
            for index, future in futures:
                if future.is_done and future.failed() and refuses_record(future.exception):
                    suspects.append(index)
                elif not future.is_done or future.failed():
                    left.append(index)
                    if error is None and future.is_done:
                        error = future.exception
            if suspects:
                # The broker refused a record (the topic's max.message.bytes). kafka-python then puts an
                # idempotent producer in a fatal state and fails every other record in flight with the
                # same error, so the producer is replaced and each suspect sent again alone: the one
                # refused again is the culprit, the others go through.
                self._reset_producer()
                if len(futures) == 1:
                    refused.append((suspects[0], futures[0][1].exception))
                else:
                    for index in suspects:
                        outcome, why = self._send_alone(items[index], deadline)
                        if outcome == "refused":
                            refused.append((index, why))
                        elif outcome == "retry":
                            left.append(index)
                            error = error or why
            if not left:
                break
            left.sort()
            attempt += 1
            delay = min(self.backoff_max, 0.25 * 2 ** min(attempt, 8))
            log.warning("%d of %d records not acknowledged (attempt %d: %r); retrying in %.1fs",
                        len(left), len(items), attempt, error, delay)
            metrics.DELIVERY_RETRIES.labels(self.connector).inc()
            if deadline is not None and time.monotonic() + delay > deadline:
                raise DeliveryError(f"{len(left)} of {len(items)} records not acknowledged before the"
                                    f" deadline (last error: {error!r})", [items[index] for index in left])
            if self._producer is not None and error is not None and _is_fatal_producer_error(error):
                self._reset_producer()
            time.sleep(delay)
            todo = left
        return sorted(refused, key=lambda pair: pair[0])

    def _flush_until(self, deadline: float | None) -> None:
        """The producer's flush, given up at ``deadline``: unbounded, it waits until the producer
        expires the records (delivery_timeout_ms, 30 s) while the broker is away, far past the
        caller's deadline (serve-ingest's ack timeout), and holds a stopping process that long.
        What is not acknowledged then is still in the producer, which may deliver it later."""
        if deadline is None:
            self.producer.flush()
        else:
            self.producer.flush(timeout=max(0.0, deadline - time.monotonic()))

    def _send_alone(self, item: tuple[str, bytes | None, bytes],
                    deadline: float | None = None) -> tuple[str, BaseException | None]:
        """Send one record and wait for it: ("ok", None), ("refused", error) when the producer or the
        broker refuses it for itself (the producer is then replaced), or ("retry", error)."""
        try:
            future = self._send(*item, track=False)
            self._flush_until(deadline)
        except Exception as exc:  # noqa: BLE001
            return ("refused" if refuses_record(exc) else "retry"), exc
        if not future.is_done:
            return "retry", None
        if future.failed():
            if refuses_record(future.exception):
                self._reset_producer()
                return "refused", future.exception
            return "retry", future.exception
        return "ok", None

    def _refusal(self, error: BaseException, size: int, topic: str) -> Rejected:
        """The dead letter's reason and detail for a record of ``size`` bytes refused by ``error``."""
        if type(error).__name__ not in _RECORD_TOO_LARGE:
            return Rejected("invalid_record", f"the broker refused the record ({size} bytes): {error!r}",
                            stage="connector")
        request_limit = self._options["max_request_size"]
        if "max_request_size" in str(error):  # refused by the producer itself, before sending
            return too_large_record(size, request_limit, topic, limit_name="the producer's max_request_size",
                                    error=error)
        return too_large_record(size, None, topic, limit_name=f"the max.message.bytes of topic {topic}",
                                error=error)

    def _deliver_raws(self, items, deadline):
        encoded = [(self.topic, _key(raw.source), value) for raw, value in items]
        return [(items[index][0], items[index][1], self._refusal(error, len(items[index][1]), self.topic))
                for index, error in self._deliver(encoded, deadline)]

    def deliver_deadletters(self, records: Iterable[dict[str, Any]], *, deadline: float | None = None) -> int:
        """Deliver dead letters; one refused for itself (too large for the dead-letter topic) is sent
        again without its payload, saying so, rather than being lost or failing the others."""
        records = list(records)
        items = [(self.deadletter_topic, _letter_key(r), orjson.dumps(r)) for r in records]
        refused = self._deliver(items, deadline)
        if not refused:
            return len(records)
        stripped = []
        for index, error in refused:
            record = records[index]
            log.error("dead letter %r (%s) refused by %s (%d bytes): %r; sending it without its payload",
                      record.get("id"), record.get("reason"), self.deadletter_topic, len(items[index][2]), error)
            stripped.append({**record, "payload": "", "payload_truncated": True,
                             "detail": (str(record.get("detail", "")) + f" (payload left out: the dead letter"
                                        f" was {len(items[index][2])} bytes and refused: {type(error).__name__})")[:2000]})
        lost = self._deliver([(self.deadletter_topic, _letter_key(r), orjson.dumps(r)) for r in stripped], deadline)
        for index, error in lost:
            log.error("dead letter %r refused even without its payload: %r", stripped[index].get("id"), error)
        return len(records) - len(lost)

    def close(self, timeout: float = 10.0) -> None:
        """Deliver what is still queued, waiting ``timeout`` seconds at most in all (the producer's
        close flushes first). Whatever is left then was reported as failed to whoever sent it."""
        producer, self._producer = self._producer, None
        if producer is None:
            return
        try:
            producer.close(timeout=timeout)
        except Exception as exc:  # noqa: BLE001 - kafka-python's close flushes first, and raises when that times out
            log.warning("%s: records not acknowledged within %g s dropped at close: %r", self.connector, timeout, exc)
            # ... before its own force-close: the sender, and the close kafka-python runs at exit, would
            # otherwise wait for the records to expire (delivery_timeout_ms) while the broker is away
            sender = getattr(producer, "_sender", None)  # kafka-python's own, not public: used if present
            if sender is not None:
                sender.force_close()
            try:
                producer.close(timeout=1)  # the records are failed now: nothing left to wait for
            except Exception as again:  # noqa: BLE001
                log.warning("%s: the producer did not close: %r", self.connector, again)


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
              deadletter_topic: str = DEADLETTER_TOPIC, max_record_bytes: int | None = None,
              **kwargs: Any) -> _BaseSink:
    """The sink a connector process uses. ``max_record_bytes`` is the largest raw article, as
    encoded, that it sends (default: NEWSFLOW_MAX_RAW_BYTES, the worker's limit, which the raw
    topic's max.message.bytes is sized for); the producer's max_request_size fits that topic limit."""
    from pipeline.settings import Settings

    # a given limit is all that is needed: the variables (a bad NEWSFLOW_LOG_LEVEL its flag excused ...)
    # are the caller's to read, with its flags over them
    settings = Settings.from_env() if max_record_bytes is None else Settings(max_raw_bytes=max_record_bytes)
    if stdout:
        return StdoutSink(topic=topic, deadletter_topic=deadletter_topic, max_record_bytes=settings.max_raw_bytes)
    kwargs.setdefault("max_request_size", max(16 * 1024 * 1024, settings.message_max_bytes))
    return KafkaSink(bootstrap, topic, deadletter_topic, max_record_bytes=settings.max_raw_bytes, **kwargs)
