"""Flags shared by the service commands; each falls back to its NEWSFLOW_* variable."""
from __future__ import annotations

import argparse
import os
import sys

from typing import Any, Callable

from pipeline.settings import Settings, SettingsError


class FromEnv:
    """A flag's default that reads its variable only once the command line is parsed, and only when
    the flag is absent (``Parser`` in cli.main resolves it): a bad variable stops just the command
    that would use it, `--help` always shows, and a valid flag excuses its variable."""

    def __init__(self, read: Callable[[], Any], shown: Any) -> None:
        self.read, self.shown = read, shown

    def __str__(self) -> str:  # what --help prints for %(default)s
        return str(self.shown)


def resolve_env_defaults(args: argparse.Namespace) -> None:
    for name, value in vars(args).items():
        if isinstance(value, FromEnv):
            setattr(args, name, value.read())


def add_service_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("service settings (flags override NEWSFLOW_* variables)")
    group.add_argument("--bootstrap", dest="kafka_bootstrap", help="Kafka bootstrap servers (NEWSFLOW_KAFKA_BOOTSTRAP)")
    group.add_argument("--app-id", dest="app_id", help="Faust app id / consumer group (NEWSFLOW_APP_ID)")
    group.add_argument("--topic-prefix", dest="topic_prefix", help="prefix of every topic name (NEWSFLOW_TOPIC_PREFIX)")
    group.add_argument("--web-port", dest="web_port", type=int, help="port of /metrics /healthz /readyz (NEWSFLOW_WEB_PORT)")
    group.add_argument("--data-dir", dest="data_dir", help="worker table state folder (NEWSFLOW_DATA_DIR)")
    group.add_argument("--window-days", dest="window_days", type=float, help="clustering window (NEWSFLOW_WINDOW_DAYS)")
    group.add_argument("--log-level", dest="log_level", help="debug, info, warn, error (NEWSFLOW_LOG_LEVEL)")
    group.add_argument("--log-format", dest="log_format", choices=["json", "text"],
                       help="logs on stderr: one JSON object per line, or text (NEWSFLOW_LOG_FORMAT)")


FLAGS = {"kafka_bootstrap": "--bootstrap", "app_id": "--app-id", "topic_prefix": "--topic-prefix",
         "web_port": "--web-port", "data_dir": "--data-dir", "window_days": "--window-days",
         "log_level": "--log-level", "log_format": "--log-format"}


def settings_from(args: argparse.Namespace, **extra) -> Settings:
    overrides = {name: getattr(args, name, None) for name in FLAGS}
    overrides.update(extra)
    return settings_with_flags(**overrides)


def settings_with_flags(**flags) -> Settings:
    """The settings, with the values given as flags (None: not given) over the variables. A value
    the service cannot run with is named as it was given: `--web-port 0`, not NEWSFLOW_WEB_PORT,
    which the user may never have set."""
    try:
        return Settings.from_env(**flags)
    except SettingsError as exc:
        for name, value in flags.items():
            if value is not None and name in FLAGS:
                exc = as_flag(exc, name, value, FLAGS[name])
        raise exc from None


def as_flag(exc: SettingsError, name: str, value, flag: str) -> SettingsError:
    """``exc`` said of ``flag`` when it is about the setting ``name`` with the flag's ``value``."""
    said = f"NEWSFLOW_{name.upper()}={value!r}: "
    return SettingsError(f"{flag} {value}: {str(exc)[len(said):]}") if str(exc).startswith(said) else exc


def require_paths(command: str, paths: list[str], *, stdin: bool = True, files_only: bool = False) -> None:
    """Exit 2 naming the input paths that do not exist ('-' is stdin where the command reads it), or
    with ``files_only`` that are folders: a mistyped path is a usage error, reported before a broker
    is started or a message sent, not a rejected input nor an '[Errno 21] Is a directory' failure."""
    if not stdin and "-" in paths:
        print(f"newsflow {command}: '-' (stdin) is not read here; give {'a file' if files_only else 'files or folders'}"
              " (`newsflow replay -` reads JSON lines from stdin)", file=sys.stderr)
        raise SystemExit(2)
    missing = [path for path in paths if path != "-" and not os.path.exists(path)]
    if missing:
        print(f"newsflow {command}: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        raise SystemExit(2)
    folders = [path for path in paths if files_only and os.path.isdir(path)]
    if folders:
        print(f"newsflow {command}: a folder, not a file: {', '.join(folders)}", file=sys.stderr)
        raise SystemExit(2)
