"""``newsflow``: the command line of the service (up, worker, demo, replay, tail, ingest, broker)."""
from __future__ import annotations

import argparse
import sys

from . import broker_cmd, replay_cmd, service, tail_cmd


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
