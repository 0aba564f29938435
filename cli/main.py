"""``newsflow``: the command line of the service (up, worker, demo, replay, tail, ingest, broker)."""
from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback

from kafka.errors import KafkaError

from pipeline.settings import SettingsError

from . import broker_cmd, replay_cmd, service, tail_cmd
from .options import resolve_env_defaults


class Parser(argparse.ArgumentParser):
    """Reads the variables behind the absent flags once a command line is parsed (options.FromEnv);
    the innermost command does, so a bad one is reported with the command that reads it."""

    def parse_known_args(self, args=None, namespace=None):
        parsed, rest = super().parse_known_args(args, namespace)
        try:
            resolve_env_defaults(parsed)
        except SettingsError as exc:
            raise SettingsError(f"{self.prog}: {exc}") from None
        return parsed, rest


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="newsflow",
        description="Streaming news ingestion: clean articles, fold copies and rewrites into events, publish event records.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    service.register(sub)
    replay_cmd.register(sub)
    tail_cmd.register(sub)
    broker_cmd.register(sub)
    try:
        from . import ingest
    except ImportError as exc:  # the connectors package failed to import: say so, keep the rest usable
        print(f"newsflow: ingest commands unavailable: {exc}", file=sys.stderr)
    else:
        ingest.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SettingsError as exc:  # a variable behind an absent flag, already named with its command
        print(exc, file=sys.stderr)
        return 2
    command = " ".join(filter(None, (args.command, getattr(args, "ingest_command", None))))  # "ingest urls"
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except SettingsError as exc:  # a usage error, like a bad flag
        print(f"newsflow {command}: {exc}", file=sys.stderr)
        return 2
    except (OSError, RuntimeError, KafkaError) as exc:
        return operational_failure(command, exc)


def operational_failure(command: str, exc: BaseException) -> int:
    """A missing file, an unreachable broker, a worker that never got ready: one line that says so
    (a JSON log line once logging is set up), not a traceback, which debug level still shows."""
    log = logging.getLogger("newsflow.cli")
    logging_set_up = bool(logging.getLogger().handlers)
    # commands such as tail and broker never set logging up: there the variable itself decides
    debug = (log.isEnabledFor(logging.DEBUG) if logging_set_up
             else os.environ.get("NEWSFLOW_LOG_LEVEL", "").strip().lower() == "debug")
    message = f"newsflow {command}: {exc}" + ("" if debug else " (NEWSFLOW_LOG_LEVEL=debug shows the traceback)")
    if logging_set_up:
        log.error(message, exc_info=exc if debug else None)
    else:
        print(message, file=sys.stderr)
        if debug:
            traceback.print_exception(exc, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
