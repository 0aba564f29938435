"""One configuration object for the whole service, filled from NEWSFLOW_* variables and flags.

Every field maps to an environment variable ``NEWSFLOW_<FIELD>`` (upper case); command-line flags
override the environment. The README's configuration table lists them all.
"""
from __future__ import annotations

import dataclasses
import math
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

ENV_PREFIX = "NEWSFLOW_"


class SettingsError(ValueError):
    """A setting with a value the service cannot run with: a usage error, reported before anything starts."""


_AT_LEAST_ONE = ("raw_partitions", "cluster_partitions", "replication_factor", "window_max_articles",
                 "max_raw_bytes", "max_html_bytes")
_NOT_NEGATIVE = ("extract_workers", "producer_linger_ms", "fetch_max_wait_ms", "stall_after_s")
_POSITIVE = ("window_days", "extract_timeout_s", "session_timeout_s", "heartbeat_s", "commit_interval_s",
             "events_segment_ms", "broker_min_session_timeout_s", "broker_max_session_timeout_s")
_RETENTION = ("events_retention_ms", "raw_retention_ms")  # -1 keeps records for ever
_INT32 = 2**31 - 1
# What the Kafka protocol carries these in: a larger value went out as a traceback (struct.error)
# when the topics were created, or kept the consumer's fetcher crashing (max_raw_bytes sizes
# max.message.bytes and every fetch). Times in seconds go out in milliseconds; the session timeout
# also doubled, as the request timeout.
_AT_MOST = {"raw_partitions": _INT32, "cluster_partitions": _INT32, "replication_factor": 2**15 - 1,
            "fetch_max_wait_ms": _INT32, "max_raw_bytes": 2**30,
            "session_timeout_s": _INT32 // 2000, "heartbeat_s": _INT32 // 1000, "commit_interval_s": _INT32 // 1000}
# Kafka topic names: these characters only, 249 at most; the longest names made from each setting
_TOPIC_CHARS = re.compile(r"[A-Za-z0-9._-]*")
_TOPIC_NAME_MAX = 249
_LONGEST_SUFFIX = {"app_id": "-cluster-state-changelog", "topic_prefix": "news.deadletter"}
# Kafka's broker defaults for a consumer's session timeout, group.min.session.timeout.ms and
# group.max.session.timeout.ms, in seconds: a broker refuses a group join outside its limits, and the
# worker then waits for ever, never ready, after one InvalidSessionTimeout log line
KAFKA_SESSION_TIMEOUT_LIMITS_S = (6.0, 1800.0)
_LOG_LEVELS = ("DEBUG", "INFO", "WARN", "WARNING", "ERROR", "CRITICAL")
_STORES = ("memory://", "rocksdb://")


@dataclass(frozen=True)
class Settings:
    kafka_bootstrap: str = field(default="127.0.0.1:9092", metadata={"help": "Kafka bootstrap servers (host:port[,host:port])."})
    app_id: str = field(default="newsflow", metadata={"help": "Faust application id: the consumer group and the prefix of its changelog topics."})
    topic_prefix: str = field(default="", metadata={"help": "Prefix for every topic name (e.g. 'staging.'), to share a cluster."})
    raw_partitions: int = field(default=4, metadata={"help": "Partitions of news.raw, news.articles and news.events: how far cleaning scales out."})
    cluster_partitions: int = field(default=1, metadata={"help": "Partitions of the internal news.cleaned topic, keyed by language: how far clustering scales out."})
    replication_factor: int = field(default=1, metadata={"help": "Replication factor of the topics the app creates."})
    events_retention_ms: int = field(default=-1, metadata={"help": "news.events is compacted; -1 keeps the latest record of every event for ever."})
    events_segment_ms: int = field(default=3600 * 1000, metadata={"help": "Segment roll time of news.events: how soon superseded versions become compactable."})
    raw_retention_ms: int = field(default=7 * 24 * 3600 * 1000, metadata={"help": "Retention of news.raw, news.cleaned, news.articles and news.deadletter."})
    web_port: int = field(default=6066, metadata={"help": "Port of the worker's /metrics, /healthz and /readyz."})
    web_host: str = field(default="127.0.0.1", metadata={"help": "Address the worker's web server binds to (0.0.0.0 in containers)."})
    data_dir: str = field(default=".newsflow/worker", metadata={"help": "Faust data folder of the worker (table state)."})
    store: str = field(default="memory://", metadata={"help": "Faust table store: memory:// (rebuilt from the changelog at start) or rocksdb:// (kept on disk in NEWSFLOW_DATA_DIR; needs the 'rocksdb' extra)."})
    window_days: float = field(default=7.0, metadata={"help": "Clustering time window: an article whose event time lies this far behind the newest one seen is evicted from state, and an event goes with its last article."})
    window_max_articles: int = field(default=1_000_000, metadata={"help": "Upper bound of articles in the clustering window."})
    max_raw_bytes: int = field(default=8 * 1024 * 1024, metadata={"help": "news.raw messages larger than this are dead-lettered (too_large)."})
    max_html_bytes: int = field(default=5 * 1024 * 1024, metadata={"help": "HTML documents larger than this are dead-lettered (too_large)."})
    extract_timeout_s: float = field(default=10.0, metadata={"help": "Time limit for extracting one HTML document; over it the article is dead-lettered (timeout)."})
    extract_workers: int = field(default=1, metadata={"help": "Processes that run HTML extraction beside each worker."})
    session_timeout_s: float = field(default=6.0, metadata={"help": "Kafka consumer session timeout; a dead worker's partitions move after this long, and a worker "
                                                                     "the broker has not answered for this long is not ready (/readyz 503)."})
    heartbeat_s: float = field(default=1.0, metadata={"help": "Kafka consumer heartbeat interval; must be lower than the session timeout."})
    broker_min_session_timeout_s: float = field(default=KAFKA_SESSION_TIMEOUT_LIMITS_S[0], metadata={"help": "The broker's group.min.session.timeout.ms, in seconds: a session timeout below it is refused at start. Set it when the broker's differs from Kafka's default (the local broker of `newsflow up` and compose allows 1 s)."})
    broker_max_session_timeout_s: float = field(default=KAFKA_SESSION_TIMEOUT_LIMITS_S[1], metadata={"help": "The broker's group.max.session.timeout.ms, in seconds: a session timeout above it is refused at start. Set it when the broker's differs from Kafka's default."})
    commit_interval_s: float = field(default=1.0, metadata={"help": "How often processed offsets are committed."})
    producer_linger_ms: float = field(default=5.0, metadata={"help": "How long the worker's producer waits to fill a batch; batching the several sends of each article is what keeps commits short."})
    fetch_max_wait_ms: int = field(default=100, metadata={"help": "Longest the worker's consumer waits on the broker for new records. Faust's 1500 ms delays each stage hop by up to that much (aiokafka holds partitions with buffered records out of the next fetch until the current one returns)."})
    stall_after_s: float = field(default=120.0, metadata={"help": "Messages waiting on an assigned partition with no consumer progress for this long make /healthz answer 503 (stalled), so an orchestrator restarts the worker; a table recovery that reads nothing from its changelogs for half this time is run again once, and reported the same way at the full time, as is a producer flush (which every commit waits for) that has not ended in this time while the broker answers; 0 turns the checks off."})
    log_level: str = field(default="info", metadata={"help": "Log level: debug, info, warn, error."})
    log_format: str = field(default="json", metadata={"help": "Log format on stderr: json (one object per line) or text."})

    def __post_init__(self) -> None:
        def bad(name: str, why: str) -> SettingsError:
            return SettingsError(f"{ENV_PREFIX}{name.upper()}={getattr(self, name)!r}: {why}")

        self._refuse_non_finite(bad)
        for name in _AT_LEAST_ONE:
            if getattr(self, name) < 1:
                raise bad(name, "must be at least 1")
        for name in _NOT_NEGATIVE:
            if getattr(self, name) < 0:
                raise bad(name, "must not be negative")
        for name in _POSITIVE:
            if not getattr(self, name) > 0:
                raise bad(name, "must be more than 0")
        for name in _RETENTION:
            if getattr(self, name) != -1 and getattr(self, name) < 1:
                raise bad(name, "must be -1 (for ever) or a number of milliseconds")
        self._refuse_what_kafka_cannot_take(bad)
        self._refuse_a_heartbeat_that_outlasts_the_session()
        if not 1 <= self.web_port <= 65535:
            raise bad("web_port", "must be a port number, 1 to 65535")
        if not self.app_id.strip():
            raise bad("app_id", "must not be empty")
        hosts = [h.strip() for h in self.kafka_bootstrap.split(",")]
        if not all(h.rpartition(":")[0] and _is_port_number(h.rpartition(":")[2]) for h in hosts):
            raise bad("kafka_bootstrap", "must be host:port[,host:port...]")
        if not all(1 <= int(h.rpartition(":")[2]) <= 65535 for h in hosts):
            raise bad("kafka_bootstrap", "each port must be a port number, 1 to 65535")
        if not self.store.startswith(_STORES):
            raise bad("store", "must be memory:// or rocksdb://")
        if self.log_level.strip().upper() not in _LOG_LEVELS:
            raise bad("log_level", "must be debug, info, warn or error")
        if self.log_format not in ("json", "text"):
            raise bad("log_format", "must be json or text")

    def _refuse_non_finite(self, bad: Callable[[str, str], SettingsError]) -> None:
        """nan passes every range check (it turned the stall watches off); inf crashed the start."""
        for f in dataclasses.fields(self):
            if f.type in (float, "float") and not math.isfinite(getattr(self, f.name)):
                raise bad(f.name, "must be a finite number")

    def _refuse_what_kafka_cannot_take(self, bad: Callable[[str, str], SettingsError]) -> None:
        """Numbers larger than the protocol carries, and topic names the broker refuses, are found
        here rather than by the broker or the client, mid-start, in a traceback."""
        for name, most in _AT_MOST.items():
            if getattr(self, name) > most:
                raise bad(name, f"must be at most {most}")
        for name, suffix in _LONGEST_SUFFIX.items():
            if not _TOPIC_CHARS.fullmatch(getattr(self, name)):
                raise bad(name, "may hold only ASCII letters, digits, '.', '_' and '-': it names Kafka topics")
            if len(getattr(self, name) + suffix) > _TOPIC_NAME_MAX:
                raise bad(name, f"must be at most {_TOPIC_NAME_MAX - len(suffix)} characters: it names Kafka topics")

    def _refuse_a_heartbeat_that_outlasts_the_session(self) -> None:
        """Kafka needs heartbeats more often than the session times out: otherwise the group coordinator
        drops the member between two of them, or the client refuses the configuration."""
        if self.heartbeat_s >= self.session_timeout_s:
            raise SettingsError(
                f"{ENV_PREFIX}HEARTBEAT_S={self.heartbeat_s!r} must be lower than {ENV_PREFIX}SESSION_TIMEOUT_S="
                f"{self.session_timeout_s!r}: Kafka requires the heartbeat interval to be below the session"
                " timeout (a third of it or less is usual)")

    def refuse_what_the_broker_refuses(self) -> None:
        """A session timeout outside the broker's limits is refused at the group join, and the worker
        then never becomes ready, with one obscure log line to say why. Checked at start, against
        Kafka's defaults unless the broker's own are given (NEWSFLOW_BROKER_*_SESSION_TIMEOUT_S);
        settings built in code for a broker the caller configured are not held to them."""
        low, high = self.broker_min_session_timeout_s, self.broker_max_session_timeout_s
        if low > high:
            raise SettingsError(f"{ENV_PREFIX}BROKER_MIN_SESSION_TIMEOUT_S={low!r} must not be above"
                                f" {ENV_PREFIX}BROKER_MAX_SESSION_TIMEOUT_S={high!r}")
        if not low <= self.session_timeout_s <= high:
            defaults = (low, high) == KAFKA_SESSION_TIMEOUT_LIMITS_S
            raise SettingsError(
                f"{ENV_PREFIX}SESSION_TIMEOUT_S={self.session_timeout_s!r}: must be between {low:g} and {high:g} s,"
                + (" Kafka's default broker limits (group.min.session.timeout.ms, group.max.session.timeout.ms);"
                   " the broker would refuse the worker's group join and the worker would never be ready. A broker"
                   " configured with other limits may allow it: then give them as"
                   f" {ENV_PREFIX}BROKER_MIN_SESSION_TIMEOUT_S and {ENV_PREFIX}BROKER_MAX_SESSION_TIMEOUT_S"
                   if defaults else
                   f" the broker's limits given in {ENV_PREFIX}BROKER_MIN_SESSION_TIMEOUT_S and"
                   f" {ENV_PREFIX}BROKER_MAX_SESSION_TIMEOUT_S: the broker would refuse the worker's group join"))

    # -- topic names ------------------------------------------------------------------------------
    @property
    def raw_topic(self) -> str:
        return f"{self.topic_prefix}news.raw"

    @property
    def cleaned_topic(self) -> str:
        return f"{self.topic_prefix}news.cleaned"

    @property
    def articles_topic(self) -> str:
        return f"{self.topic_prefix}news.articles"

    @property
    def events_topic(self) -> str:
        return f"{self.topic_prefix}news.events"

    @property
    def deadletter_topic(self) -> str:
        return f"{self.topic_prefix}news.deadletter"

    @property
    def message_max_bytes(self) -> int:
        """Largest record the topics accept: a raw article at the limit, or its dead letter (base64) and headroom."""
        return self.max_raw_bytes * 4 // 3 + 1024 * 1024

    @property
    def window_seconds(self) -> float:
        return self.window_days * 86400.0

    # -- construction -------------------------------------------------------------------------------
    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> "Settings":
        """Defaults, then NEWSFLOW_* variables, then explicit overrides (flags); None overrides are
        ignored. A variable whose flag is given is not read: the flag excuses a bad value in it."""
        env = os.environ if environ is None else environ
        given = {k: v for k, v in overrides.items() if v is not None}
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            if f.name in given:
                continue
            raw = env.get(ENV_PREFIX + f.name.upper())
            if raw is not None and raw != "":
                values[f.name] = _coerce(f, raw)
        values.update(given)
        settings = cls(**values)
        settings.refuse_what_the_broker_refuses()
        return settings

    def with_(self, **changes: Any) -> "Settings":
        return dataclasses.replace(self, **changes)

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir)


def from_env_or_exit(command: str) -> Settings:
    """The settings of a one-shot job run outside the CLI (compose's topic set-up), or exit 2 with
    the CLI's one-line usage error instead of a traceback."""
    try:
        return Settings.from_env()
    except SettingsError as exc:
        print(f"newsflow {command}: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def url_host(host: str) -> str:
    """A host as a URL writes it: an IPv6 address in brackets (Faust's URL of NEWSFLOW_WEB_HOST=::1
    was http://::1:6066, and the worker ended in a traceback before it started)."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _is_port_number(text: str) -> bool:
    """Digits 0-9 only: str.isdigit() also takes other scripts' digits, which int() reads but a socket address does not."""
    return text.isascii() and text.isdigit()


def _coerce(f: dataclasses.Field, raw: str) -> Any:
    kind = f.type if isinstance(f.type, type) else {"int": int, "float": float, "str": str, "bool": bool}.get(str(f.type), str)
    try:
        if kind is bool:
            return raw.strip().lower() in ("1", "true", "yes", "on")
        return kind(raw)
    except ValueError:
        raise SettingsError(f"{ENV_PREFIX}{f.name.upper()}={raw!r} is not a valid {kind.__name__}") from None


def settings_table() -> list[tuple[str, str, str]]:
    """(variable, default, meaning) for every setting, for the README and `newsflow config`."""
    rows = []
    for f in dataclasses.fields(Settings):
        rows.append((ENV_PREFIX + f.name.upper(), repr(f.default), f.metadata.get("help", "")))
    return rows
