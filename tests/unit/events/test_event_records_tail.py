"""``newsflow tail news.events --latest`` shows each event's current record: the highest version, as
docs/events.md tells consumers to keep, not whichever version came last."""
from __future__ import annotations

import argparse

import orjson

from cli import tail_cmd


def _run(monkeypatch, capsys, messages):
    def read_all(bootstrap, topic, follow=False, on_caught_up=None):
        yield from messages
        if on_caught_up:
            on_caught_up()

    monkeypatch.setattr(tail_cmd, "read_all", read_all)
    args = argparse.Namespace(topic="news.events", bootstrap=None, pretty=False, follow=False, latest=True)
    assert tail_cmd.cmd_tail(args) == 0
    return [orjson.loads(line) for line in capsys.readouterr().out.splitlines()]


def _event(event_id: str, version: int) -> bytes:
    return orjson.dumps({"event_id": event_id, "version": version})


def test_latest_keeps_the_highest_version_of_an_event(monkeypatch, capsys):
    out = _run(monkeypatch, capsys, [(b"evt_a", _event("evt_a", 1)), (b"evt_a", _event("evt_a", 3)),
                                     (b"evt_b", _event("evt_b", 1)), (b"evt_a", _event("evt_a", 2))])
    assert {r["event_id"]: r["version"] for r in out} == {"evt_a": 3, "evt_b": 1}


def test_latest_still_takes_the_last_record_of_other_topics_and_tombstones(monkeypatch, capsys):
    out = _run(monkeypatch, capsys, [(b"k", b'{"x": 1}'), (b"k", b"not json"), (b"evt_a", _event("evt_a", 2)),
                                     (b"evt_a", None)])
    assert out == [{"key": "k", "value": "not json"}]
