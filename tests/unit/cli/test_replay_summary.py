"""`newsflow replay`'s rows and its summary line, run in-process."""
import argparse

import orjson

from cli.replay_cmd import cmd_replay

TEXT = ("The central bank raised interest rates by half a point on Tuesday, citing inflation that has stayed "
        "above its target for a year. Officials said further increases could follow in the coming months.")
OTHER = ("A football match in the rain ended in a draw after extra time, and both sides missed penalties "
         "in front of a crowd of twenty thousand.")


def replay(path, capsys, tmp_path):
    events = tmp_path / "events.jsonl"
    args = argparse.Namespace(inputs=[str(path)], events=str(events), rows=False, window_days=None, no_progress=True)
    assert cmd_replay(args) == 0
    out, err = capsys.readouterr()
    return ([orjson.loads(line) for line in out.splitlines()], err.splitlines()[-1],
            [orjson.loads(line) for line in events.read_bytes().splitlines()])


def test_a_redelivered_article_is_counted_as_a_redelivery_not_as_another_article(tmp_path, capsys):
    """Before, the same id and text twice printed '3 inputs, 2 articles (new=2) in 1 events, ...'
    while the event counted 1 article, and the second row did not say it was a redelivery."""
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps({"id": "a", "source": "s", "text": t}) for t in (TEXT, TEXT, OTHER)))
    rows, summary, events = replay(path, capsys, tmp_path)
    assert [row.get("redelivered") for row in rows] == [False, True, None]
    assert rows[1]["event_id"] == rows[0]["event_id"]
    assert rows[2]["error"]["reason"] == "duplicate_id"
    assert [e["article_count"] for e in events] == [1]
    assert summary == "replay: 3 inputs, 1 articles (new=1) in 1 events, 1 redelivered, 1 rejected (duplicate_id=1)"


def test_a_summary_without_redeliveries_does_not_mention_them(tmp_path, capsys):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps({"id": i, "source": "s", "text": t}) for i, t in (("a", TEXT), ("b", OTHER))))
    rows, summary, events = replay(path, capsys, tmp_path)
    assert [row["redelivered"] for row in rows] == [False, False]
    assert summary == "replay: 2 inputs, 2 articles (new=2) in 2 events, 0 rejected (none)"
