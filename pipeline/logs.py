"""Structured logging: one JSON object per line on stderr (or plain text for humans)."""
from __future__ import annotations

import logging
import logging.config
import threading
import time
from datetime import datetime, timezone

import orjson

_RESERVED = set(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        entry.update(_extras(record))
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


def _extras(record: logging.LogRecord) -> dict:
    """The fields a call passed in ``extra=``: what makes a line structured."""
    return {key: value for key, value in record.__dict__.items() if key not in _RESERVED and not key.startswith("_")}


class TextFormatter(logging.Formatter):
    """One line per record for humans, with the ``extra`` fields as key=value after the message
    (without them a dead letter logged as a bare "dead letter", with no id, stage or reason)."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:
        fields = " ".join(f"{key}={_text_value(value)}" for key, value in _extras(record).items())
        line = super().formatMessage(record)
        return f"{line} {fields}" if fields else line


def _text_value(value) -> str:
    if isinstance(value, str) and value and not any(c.isspace() or c in "\"=" for c in value):
        return value
    return orjson.dumps(value, default=str).decode()


class RepeatLimit(logging.Filter):
    """At most one record per ``interval`` seconds of each message a client library repeats.

    While the broker is away, aiokafka logs "Unable connect to node" and "Unable to update
    metadata" at error on every retry: about 8,000 lines a second, 39 MB in a 55-second outage.
    The worker's own "broker unreachable" warning already reports the outage; of each such
    message one line in ``interval`` is kept, with ``repeats``: how many were left out before it."""

    def __init__(self, interval: float = 10.0, prefixes: tuple[str, ...] = ("aiokafka", "kafka"),
                 clock=time.monotonic):
        super().__init__()
        self.interval, self.prefixes, self.clock = interval, prefixes, clock
        self._last: dict[tuple[str, object], tuple[float, int]] = {}
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith(self.prefixes):
            return True
        key, now = (record.name, record.msg), self.clock()
        with self._lock:
            shown, left_out = self._last.get(key, (None, 0))
            if shown is not None and now - shown < self.interval:
                self._last[key] = (shown, left_out + 1)
                return False
            self._last[key] = (now, 0)
        if left_out:
            record.repeats = left_out
        return True


class KnownTransients(logging.Filter):
    """Client-library errors that are routine on a healthy run, kept out of the error level.

    * kafka-python 3 logs "Metadata refresh: failed Cancelled" at error each time a consumer is
      closed while its background metadata refresh is in flight (``newsflow demo`` and ``tail``
      open and close one per read): nothing failed, so it is dropped unless the level is debug.
    * kafka-python 3.0.12 logs "Error receiving network data closing socket" with a traceback when a
      client is closed while its I/O thread reads: the socket is gone (None) under the read, an
      AttributeError. Only that form is dropped (unless debug); a real receive error still shows.
    * aiokafka logs GroupCoordinatorNotAvailableError at error while a fresh broker is still
      loading its offsets topic; the client retries, so it is shown as a warning (a coordinator
      that never comes keeps repeating it).
    * kafka-python 3 logs each refused or lost connection, and a bootstrap that timed out, at error
      ("Connection failed: ... ECONNREFUSED", "Bootstrap failed: ..."), three error lines before the
      one in which Newsflow says what failed ("Kafka at 127.0.0.1:1 is not reachable"): they are
      the client's attempts, shown as warnings.
    """

    def __init__(self, debug: bool = False):
        super().__init__()
        self.debug = debug

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.ERROR:
            return True
        if record.name == "kafka.cluster" and record.getMessage() == "Metadata refresh: failed Cancelled":
            return self.debug
        if record.name.startswith("kafka.net") and _closed_under_read(record):
            return self.debug
        if (record.name.startswith("aiokafka") and "GroupCoordinatorNotAvailableError" in record.getMessage()
                or record.name.startswith("kafka.net") and _connection_attempt(record)):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


_ATTEMPT_FAILED = ("Connection failed:", "Bootstrap failed:")


def _connection_attempt(record: logging.LogRecord) -> bool:
    """kafka-python's report of one connection or bootstrap attempt that failed (it retries)."""
    message = record.getMessage()
    return message.startswith(_ATTEMPT_FAILED) or ": Connection lost: KafkaConnectionError" in message


def _closed_under_read(record: logging.LogRecord) -> bool:
    """kafka-python's receive error whose cause is a socket closed (set to None) by another thread."""
    error = record.exc_info[1] if record.exc_info else None
    return "Error receiving network data" in str(record.msg) and isinstance(error, AttributeError) \
        and "'NoneType' object has no attribute" in str(error)


def dict_config(level: str = "info", fmt: str = "json") -> dict:
    """A logging.config dict: every logger (ours, faust, mode, aiokafka, kafka) to one stderr handler.

    Faust's and the Kafka clients' chatter stays at warning unless the level is debug. Faust's
    producer buffer logs a warning each time the agents wait for changelog sends to drain, which
    is its normal back-pressure under load (hundreds a minute in ``bench/load.py``), so that
    logger is kept to errors; consumer lag and the stall watch report a worker that falls behind.
    """
    name = level_name(level)
    quiet = name if name == "DEBUG" else "WARNING"
    loggers = {noisy: {"level": quiet} for noisy in ("faust", "mode", "aiokafka", "kafka")}
    loggers["faust.transport.producer"] = {"level": name if name == "DEBUG" else "ERROR"}
    formatter = {"()": JsonFormatter if fmt == "json" else TextFormatter}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"newsflow": formatter},
        "filters": {"transients": {"()": KnownTransients, "debug": name == "DEBUG"},
                    "repeats": {"()": RepeatLimit, "interval": 0.0 if name == "DEBUG" else 10.0}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "newsflow", "stream": "ext://sys.stderr",
                                "filters": ["transients", "repeats"]}},
        "root": {"level": name, "handlers": ["stderr"]},
        "loggers": loggers,
    }


def level_name(level: str) -> str:
    """'warn' and 'WARNING' alike -> the logging module's name."""
    name = level.strip().upper()
    return {"WARN": "WARNING", "CRIT": "CRITICAL"}.get(name, name)


def setup(level: str = "info", fmt: str = "json") -> None:
    logging.config.dictConfig(dict_config(level, fmt))
