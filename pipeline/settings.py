"""One configuration object for the whole service, filled from NEWSFLOW_* variables and flags.

Every field maps to an environment variable ``NEWSFLOW_<FIELD>`` (upper case); command-line flags
override the environment. The README's configuration table lists them all.
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENV_PREFIX = "NEWSFLOW_"


@dataclass(frozen=True)
class Settings:
    kafka_bootstrap: str = field(default="127.0.0.1:9092", metadata={"help": "Kafka bootstrap servers (host:port[,host:port])."})
    app_id: str = field(default="newsflow", metadata={"help": "Faust application id: the consumer group and the prefix of its changelog topics."})
    topic_prefix: str = field(default="", metadata={"help": "Prefix for every topic name (e.g. 'staging.'), to share a cluster."})
    raw_partitions: int = field(default=4, metadata={"help": "Partitions of news.raw and news.articles: how far cleaning scales out."})
    cluster_partitions: int = field(default=1, metadata={"help": "Partitions of the internal news.cleaned topic, keyed by language: how far clustering scales out."})
    replication_factor: int = field(default=1, metadata={"help": "Replication factor of the topics the app creates."})
    events_retention_ms: int = field(default=-1, metadata={"help": "news.events is compacted; -1 keeps the latest record of every event for ever."})
    events_segment_ms: int = field(default=3600 * 1000, metadata={"help": "Segment roll time of news.events: how soon superseded versions become compactable."})
    raw_retention_ms: int = field(default=7 * 24 * 3600 * 1000, metadata={"help": "Retention of news.raw, news.cleaned, news.articles and news.deadletter."})
    web_port: int = field(default=6066, metadata={"help": "Port of the worker's /metrics, /healthz and /readyz."})
    web_host: str = field(default="127.0.0.1", metadata={"help": "Address the worker's web server binds to (0.0.0.0 in containers)."})
    data_dir: str = field(default=".newsflow/worker", metadata={"help": "Faust data folder of the worker (table state)."})
    store: str = field(default="memory://", metadata={"help": "Faust table store: memory:// (rebuilt from the changelog at start) or rocksdb:// (kept on disk in NEWSFLOW_DATA_DIR; needs the 'rocksdb' extra)."})
    window_days: float = field(default=7.0, metadata={"help": "Clustering time window: events idle longer than this are evicted from state."})
    window_max_articles: int = field(default=1_000_000, metadata={"help": "Upper bound of articles in the clustering window."})
    max_raw_bytes: int = field(default=8 * 1024 * 1024, metadata={"help": "news.raw messages larger than this are dead-lettered (too_large)."})
    max_html_bytes: int = field(default=5 * 1024 * 1024, metadata={"help": "HTML documents larger than this are dead-lettered (too_large)."})
    extract_timeout_s: float = field(default=10.0, metadata={"help": "Time limit for extracting one HTML document; over it the article is dead-lettered (timeout)."})
    extract_workers: int = field(default=1, metadata={"help": "Processes that run HTML extraction beside each worker."})
    session_timeout_s: float = field(default=6.0, metadata={"help": "Kafka consumer session timeout; a dead worker's partitions move after this long."})
    heartbeat_s: float = field(default=1.0, metadata={"help": "Kafka consumer heartbeat interval."})
    commit_interval_s: float = field(default=1.0, metadata={"help": "How often processed offsets are committed."})
    producer_linger_ms: float = field(default=5.0, metadata={"help": "How long the worker's producer waits to fill a batch; batching the several sends of each article is what keeps commits short."})
    fetch_max_wait_ms: int = field(default=100, metadata={"help": "Longest the worker's consumer waits on the broker for new records. Faust's 1500 ms delays each stage hop by up to that much (aiokafka holds partitions with buffered records out of the next fetch until the current one returns)."})
    stall_after_s: float = field(default=120.0, metadata={"help": "Messages waiting on an assigned partition with no consumer progress for this long make /healthz answer 503 (stalled), so an orchestrator restarts the worker; a table recovery that reads nothing from its changelogs for half this time is run again once, and reported the same way at the full time; 0 turns the checks off."})
    log_level: str = field(default="info", metadata={"help": "Log level: debug, info, warn, error."})
    log_format: str = field(default="json", metadata={"help": "Log format on stderr: json (one object per line) or text."})

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
        """Defaults, then NEWSFLOW_* variables, then explicit overrides (flags); None overrides are ignored."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            raw = env.get(ENV_PREFIX + f.name.upper())
            if raw is not None and raw != "":
                values[f.name] = _coerce(f, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes: Any) -> "Settings":
        return dataclasses.replace(self, **changes)

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir)


def _coerce(f: dataclasses.Field, raw: str) -> Any:
    kind = f.type if isinstance(f.type, type) else {"int": int, "float": float, "str": str, "bool": bool}.get(str(f.type), str)
    try:
        if kind is bool:
            return raw.strip().lower() in ("1", "true", "yes", "on")
        return kind(raw)
    except ValueError:
        raise ValueError(f"{ENV_PREFIX}{f.name.upper()}={raw!r} is not a valid {kind.__name__}") from None


def settings_table() -> list[tuple[str, str, str]]:
    """(variable, default, meaning) for every setting, for the README and `newsflow config`."""
    rows = []
    for f in dataclasses.fields(Settings):
        rows.append((ENV_PREFIX + f.name.upper(), repr(f.default), f.metadata.get("help", "")))
    return rows
