"""``newsflow tail TOPIC``: print a topic's records (one JSON line each, or indented with --pretty)."""
from __future__ import annotations

import argparse
import signal
import sys

import orjson

from pipeline import logs
from pipeline.settings import Settings

from .kafka_read import read_all
from .options import settings_with_flags


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("tail", help="print the records of a topic (news.events, news.articles, news.deadletter, ...)")
    p.add_argument("topic", metavar="TOPIC", help="topic name: the service's own (news.raw, news.cleaned, news.articles, news.events,"
                                 " news.deadletter) get NEWSFLOW_TOPIC_PREFIX in front; any other name is read as given")
    p.add_argument("--bootstrap", default=None, help="Kafka bootstrap servers (NEWSFLOW_KAFKA_BOOTSTRAP)")
    p.add_argument("--pretty", action="store_true", help="indented JSON")
    p.add_argument("--follow", "-f", action="store_true", help="keep printing new records until Ctrl-C")
    p.add_argument("--latest", action="store_true",
                   help="the last record of each key, such as each event's current version on news.events"
                        " (with --follow: then each new record as it comes)")
    p.set_defaults(func=cmd_tail)


def cmd_tail(args: argparse.Namespace) -> int:
    """With --follow it runs until stopped: SIGTERM or Ctrl-C is then the expected end (exit 0)."""
    settings = settings_with_flags(kafka_bootstrap=args.bootstrap)
    logs.setup(settings.log_level, settings.log_format)  # a failure is said in NEWSFLOW_LOG_FORMAT, as elsewhere
    topic = prefixed(settings, args.topic)
    if not args.follow:
        return _print_records(settings, topic, args)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # as Ctrl-C: unwinds, closing the consumer
    try:
        return _print_records(settings, topic, args)
    except KeyboardInterrupt:
        return 0


def _print_records(settings: Settings, topic: str, args: argparse.Namespace) -> int:
    option = orjson.OPT_INDENT_2 if args.pretty else 0
    latest: dict[bytes | None, bytes | None] = {}
    live = not args.latest  # --latest: gather the records already there, print the last of each key

    def caught_up() -> None:
        nonlocal live
        for key, value in latest.items():
            if value is not None:
                emit(key, value, option)
        latest.clear()
        live = True  # from here on (--follow), every new record as it comes

    for key, value in read_all(settings.kafka_bootstrap, topic, follow=args.follow, on_caught_up=caught_up):
        if live:
            emit(key, value, option)
        elif not _older_version(value, latest.get(key)):
            latest[key] = value
    return 0


def _version(value: bytes | None) -> int | None:
    """The ``version`` of an event record (any JSON object that has an integer one), else None."""
    if not value or not value.lstrip().startswith(b"{"):
        return None
    try:
        version = orjson.loads(value).get("version")
    except orjson.JSONDecodeError:
        return None
    return version if type(version) is int else None


def _older_version(value: bytes | None, held: bytes | None) -> bool:
    """Whether ``value`` is a lower version of the record ``held`` for its key. Delivery is at least
    once, so an event's older version can come after a newer one (a republication after a restart);
    consumers keep the highest version, and so does --latest. A tombstone always counts."""
    new, old = _version(value), _version(held)
    return new is not None and old is not None and new < old


def prefixed(settings: Settings, name: str) -> str:
    """The service's own topics take the prefix; other names are whole names. Testing whether a name
    already starts with the prefix read news.events as prefixed when the prefix was 'new'."""
    from pipeline.topics import topic_specs

    own = zip((spec.name for spec in topic_specs(settings.with_(topic_prefix=""))), (spec.name for spec in topic_specs(settings)))
    return dict(own).get(name, name)


def emit(key: bytes | None, value: bytes | None, option: int) -> None:
    if value is None:
        line = orjson.dumps({"key": key.decode("utf-8", "replace") if key else None, "tombstone": True}, option=option)
    else:
        try:
            line = orjson.dumps(orjson.loads(value), option=option)
        except orjson.JSONDecodeError:
            line = orjson.dumps({"key": key.decode("utf-8", "replace") if key else None,
                                 "value": value.decode("utf-8", "replace")}, option=option)
    sys.stdout.write(line.decode() + "\n")
    sys.stdout.flush()
