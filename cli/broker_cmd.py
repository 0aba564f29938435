"""``newsflow broker start|stop|status``: the persistent local Kafka broker of this folder."""
from __future__ import annotations

import argparse
import sys

from deploy.kafka.broker import KAFKA_VERSION, LocalKafka, port_open, start_persistent, state_dir
from pipeline.settings import Settings


NOT_RUNNING = 3  # `status` of a broker that is not running, stopped or never started (as LSB init scripts)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("broker", help="start, stop or show the local Apache Kafka broker (state under NEWSFLOW_HOME)")
    p.add_argument("action", choices=["start", "stop", "status"],
                   help="start: run it in the background, on 127.0.0.1:9092 when that port is free (a broker "
                        "already running here is kept); stop; status: exit 3 when it is not running")
    p.set_defaults(func=cmd_broker)


def cmd_broker(args: argparse.Namespace) -> int:
    record = state_dir() / "broker.json"
    if args.action == "start":
        broker = start_persistent()
        print(f"kafka {KAFKA_VERSION} running on {broker.bootstrap} (pid {broker.pid}, data {broker.data_dir})")
        if broker.bootstrap != Settings().kafka_bootstrap:
            # only then: a variable exported for the default address would outlive the broker, and
            # `newsflow up` would no longer start one of its own, taking it for a broker named
            print(f"export NEWSFLOW_KAFKA_BOOTSTRAP={broker.bootstrap}")
        return 0
    broker = LocalKafka.load(record)
    if broker is None:
        print("no local broker has been started here", file=sys.stderr)
        return NOT_RUNNING if args.action == "status" else 0
    if args.action == "stop":
        if not broker.running():
            print(f"kafka on {broker.bootstrap} was not running")
            return 0
        broker.stop()
        print(f"kafka on {broker.bootstrap} stopped")
        return 0
    alive = broker.running() and port_open(broker.port)
    print(f"kafka {KAFKA_VERSION} on {broker.bootstrap}: {'running (pid %s)' % broker.pid if alive else 'stopped'}")
    return 0 if alive else NOT_RUNNING
