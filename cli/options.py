"""Flags shared by the service commands; each falls back to its NEWSFLOW_* variable."""
from __future__ import annotations

import argparse
import os
import sys

from pipeline.settings import Settings


def add_service_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("service settings (flags override NEWSFLOW_* variables)")
    group.add_argument("--bootstrap", dest="kafka_bootstrap", help="Kafka bootstrap servers (NEWSFLOW_KAFKA_BOOTSTRAP)")
    group.add_argument("--app-id", dest="app_id", help="Faust app id / consumer group (NEWSFLOW_APP_ID)")
    group.add_argument("--topic-prefix", dest="topic_prefix", help="prefix of every topic name (NEWSFLOW_TOPIC_PREFIX)")
    group.add_argument("--web-port", dest="web_port", type=int, help="port of /metrics /healthz /readyz (NEWSFLOW_WEB_PORT)")
    group.add_argument("--data-dir", dest="data_dir", help="worker table state folder (NEWSFLOW_DATA_DIR)")
    group.add_argument("--window-days", dest="window_days", type=float, help="clustering window (NEWSFLOW_WINDOW_DAYS)")
    group.add_argument("--log-level", dest="log_level", help="debug, info, warn, error (NEWSFLOW_LOG_LEVEL)")
    group.add_argument("--log-format", dest="log_format", choices=["json", "text"], help="NEWSFLOW_LOG_FORMAT")


def settings_from(args: argparse.Namespace, **extra) -> Settings:
    names = ("kafka_bootstrap", "app_id", "topic_prefix", "web_port", "data_dir", "window_days", "log_level", "log_format")
    overrides = {name: getattr(args, name, None) for name in names}
    overrides.update(extra)
    return Settings.from_env(**overrides)


def require_paths(command: str, paths: list[str]) -> None:
    """Exit 2 naming the input paths that do not exist ('-' is stdin): a mistyped path is a usage
    error, reported before a broker is started or a message sent, not a rejected input."""
    missing = [path for path in paths if path != "-" and not os.path.exists(path)]
    if missing:
        print(f"newsflow {command}: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        raise SystemExit(2)
