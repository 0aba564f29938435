"""Read news.events from the beginning and print the latest version of every event.

    python examples/consume_events.py [--bootstrap HOST:PORT] [--topic news.events] [--follow]

The topic is NEWSFLOW_TOPIC_PREFIX + "news.events" unless --topic names another, as the worker names it.

news.events is compacted and keyed by event_id: each message is the full current record of one
event, so a consumer keeps the record with the highest ``version`` per key (a redelivered or
re-published older version must not replace a newer one). A message with a null value is a
tombstone: the event was retired and is forgotten. Without --follow the script stops once it has
read to the end of every partition and prints the table; with --follow it prints each change.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

from kafka import KafkaConsumer


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bootstrap", default=os.environ.get("NEWSFLOW_KAFKA_BOOTSTRAP", "127.0.0.1:9092"))
    ap.add_argument("--topic", default=os.environ.get("NEWSFLOW_TOPIC_PREFIX", "") + "news.events")
    ap.add_argument("--follow", action="store_true", help="keep running and print every change")
    args = ap.parse_args()

    consumer = KafkaConsumer(
        bootstrap_servers=args.bootstrap,
        group_id=None,                 # no committed offsets: always read the whole topic
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=1000 if not args.follow else float("inf"),
    )
    consumer.subscribe([args.topic])
    events: dict[str, dict] = {}
    try:
        for msg in consumer:  # keys and values as bytes: decoded here, as every kafka-python version allows
            if msg.key is None:
                continue
            key = msg.key.decode("utf-8")
            if msg.value is None:  # tombstone
                if events.pop(key, None) is not None and args.follow:
                    print(f"- {key} retired", flush=True)
                continue
            record = json.loads(msg.value)
            current = events.get(key)
            if current is not None and current.get("version", 0) >= record.get("version", 0):
                continue  # an older or repeated version
            events[key] = record
            if args.follow:
                print(f"* {key} v{record['version']} ({record['article_count']} articles): {record['title']}", flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        consumer.close()
    if not args.follow:
        for key, record in sorted(events.items(), key=lambda kv: kv[1].get("last_updated", "")):
            when = (record.get("when") or {}).get("value", "?")
            people = ", ".join(e["name"] for e in record["entities"]["people"][:4])
            print(f"{key} v{record['version']} [{when}] {', '.join(record['where'][:2])} | {record['title']}")
            print(f"    {record['article_count']} articles from {len(record['sources'])} sources; people: {people}")
        print(f"{len(events)} events", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
