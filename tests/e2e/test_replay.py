"""`newsflow replay`: the same core offline, one JSON line per input, errors as rows."""
import csv
import gzip
import signal

import orjson
import pytest

from ..conftest import SEEDS


def seed_lines() -> list[bytes]:
    lines = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines.append(orjson.dumps({"id": path.stem, "source": "seeds", "text": path.read_text()}))
    return lines


def test_replay_groups_seeds_flags_copies_and_reports_bad_lines(newsflow, tmp_path):
    seeds = seed_lines()
    copy = orjson.loads(seeds[1])
    copy.update(id="copy-of-001", source="mirror")
    lines = seeds + [orjson.dumps(copy), b"{broken", orjson.dumps({"id": "x", "source": "s"})]
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    events_path = tmp_path / "events.jsonl"
    result = newsflow("replay", str(path), "--events", str(events_path))
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    rows = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == len(lines)
    by_id = {row["id"]: row for row in rows if row.get("id")}
    first = {k.split("_")[0]: v for k, v in by_id.items() if "_" in k}
    assert first["001"]["event_id"] == first["002"]["event_id"] == first["003"]["event_id"]
    assert len({first["000"]["event_id"], first["001"]["event_id"], first["004"]["event_id"]}) == 3
    assert first["000"]["relation"] == "new"
    assert {first["002"]["relation"], first["003"]["relation"]} <= {"story", "near"}
    assert by_id["copy-of-001"]["relation"] == "exact"
    assert by_id["copy-of-001"]["duplicate_of"].startswith("001_")
    assert by_id["copy-of-001"]["similarity"] == 1.0 and first["000"]["similarity"] is None
    assert first["001"]["language"] == "en" and isinstance(first["001"]["flags"], list)
    assert "No time to read" not in first["001"]["text"] and "Next Article" not in first["001"]["text"]
    errors = [row for row in rows if "error" in row]
    assert [e["error"]["reason"] for e in errors] == ["invalid_json", "schema"]
    assert [e["id"] for e in errors] == [None, "x"]  # a rejected record that has an id is named by it
    events = [orjson.loads(line) for line in events_path.read_bytes().splitlines()]
    assert len(events) == 3 and sum(e["article_count"] for e in events) == 6
    last = result.stderr.decode().splitlines()[-1]  # the summary
    assert last.startswith("replay: 8 inputs, 6 articles (exact=1, new=3, ")
    assert last.endswith(") in 3 events, 2 rejected (invalid_json=1, schema=1)")


def test_replay_of_a_folder_names_the_files_it_skipped(newsflow, tmp_path):
    folder = tmp_path / "desk"
    folder.mkdir()
    for path in sorted(SEEDS.glob("*.txt"))[:2]:
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "notes.md").write_text("# what to read next")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4")
    result = newsflow("replay", str(folder))
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert len(result.stdout.splitlines()) == 2
    last = result.stderr.decode().splitlines()[-1]
    assert last.startswith("replay: 2 inputs, 2 articles (")
    assert last.endswith(f"; 2 files of other kinds skipped ({folder / 'notes.md'}, {folder / 'scan.pdf'})")


def test_replay_reports_publication_times_in_one_form(newsflow, tmp_path):
    text = orjson.loads(seed_lines()[1])["text"]
    lines = [orjson.dumps({"id": "rss", "source": "s", "text": text, "published": "Tue, 21 Mar 2023 08:00:00 +0300"}),
             orjson.dumps({"id": "vague", "source": "s", "text": text + " (mirror)", "published": "last spring"})]
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    result = newsflow("replay", str(path))
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    rows = {row["id"]: row for row in map(orjson.loads, result.stdout.splitlines())}
    assert rows["rss"]["published"] == "2023-03-21T05:00:00Z"
    assert rows["vague"]["published"] is None and "published_unreadable" in rows["vague"]["flags"]


def test_replay_is_deterministic(newsflow, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(seed_lines()) + b"\n")
    first = newsflow("replay", str(path))
    second = newsflow("replay", str(path))
    assert first.returncode == 0 and first.stdout == second.stdout


def test_replay_of_a_missing_input_says_so(newsflow, tmp_path):
    result = newsflow("replay", str(tmp_path / "nowhere.jsonl"))
    assert result.returncode == 2
    assert b"no such file or folder" in result.stderr and b"Traceback" not in result.stderr


def test_an_unwritable_events_file_is_one_clear_error(newsflow, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(seed_lines()) + b"\n")
    result = newsflow("replay", str(path), "--events", str(tmp_path / "no-such-folder" / "events.jsonl"))
    assert result.returncode == 1
    err = result.stderr.decode()
    assert "newsflow replay:" in err and "No such file or directory" in err and "Traceback" not in err
    assert result.stdout == b""  # found before the replay, not after it


def test_replay_rows_reads_a_datasets_own_field_names(newsflow, tmp_path):
    """A labelled dataset's rows (other field names, labels beside them) replay as articles; a
    broken line is rejected on its own; a CSV of rows reads the same way."""
    texts = {path.stem[:3]: path.read_text() for path in sorted(SEEDS.glob("*.txt"))}
    rows = [orjson.dumps({"article_id": key, "maintext": text, "story_id": "s" + key, "topic": 1})
            for key, text in texts.items()]
    jsonl = tmp_path / "labelled.jsonl"
    jsonl.write_bytes(b"\n".join(rows[:3] + [b"{broken"] + rows[3:]) + b"\n")
    result = newsflow("replay", "--rows", "--no-progress", str(jsonl))
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    out = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"] for row in out] == ["000", "001", "002", None, "003", "004"]
    assert out[3]["error"]["reason"] == "invalid_json"
    event = {row["id"]: row["event_id"] for row in out if row["id"]}
    assert event["001"] == event["002"] == event["003"]
    assert len({event["000"], event["001"], event["004"]}) == 3
    assert "No time to read" not in out[1]["text"]

    table = tmp_path / "labelled.csv"
    with table.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, ["doc_id", "body", "cluster_id"])
        writer.writeheader()
        writer.writerows({"doc_id": key, "body": text, "cluster_id": "c" + key} for key, text in texts.items())
    again = newsflow("replay", "--rows", "--no-progress", str(table))
    assert again.returncode == 0, again.stderr.decode()[-2000:]
    by_csv = {row["id"]: row["event_id"] for row in map(orjson.loads, again.stdout.splitlines())}
    assert by_csv == event

    not_rows = tmp_path / "list.json"
    not_rows.write_text("[1, 2]")
    refused = newsflow("replay", "--rows", "--no-progress", str(not_rows), str(jsonl))
    assert refused.returncode == 0, refused.stderr.decode()[-2000:]
    out = [orjson.loads(line) for line in refused.stdout.splitlines()]
    assert out[0]["error"] == {"reason": "empty", "stage": "connector", "detail": f"{not_rows}: the JSON file holds no"
                               " rows: a list of 2 values, none of them an object"}
    assert [row["id"] for row in out[1:]] == ["000", "001", "002", None, "003", "004"]  # the other inputs go on


def test_replay_logs_in_the_configured_format(newsflow, tmp_path):
    """Before, replay's log lines were text whatever NEWSFLOW_LOG_FORMAT said; its summary stays a plain line."""
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(seed_lines()[:1]) + b"\n")
    failed = newsflow("replay", str(path), "--events", str(tmp_path / "no-such-folder" / "e.jsonl"),
                      env={"NEWSFLOW_LOG_FORMAT": "json"})
    assert failed.returncode == 1
    entry = orjson.loads(failed.stderr.splitlines()[-1])
    assert entry["level"] == "error" and entry["msg"].startswith("newsflow replay: ")
    done = newsflow("replay", "--no-progress", str(path), env={"NEWSFLOW_LOG_FORMAT": "json"})
    assert done.stderr.decode().splitlines()[-1].startswith("replay: 1 inputs, 1 articles")


def test_a_rejected_record_gets_the_same_row_read_directly_or_from_a_folder(newsflow, tmp_path):
    """Before, a record rejected while a folder or a .gz was read had no id and no stage."""
    plain = tmp_path / "in.jsonl"
    plain.write_bytes(b'{"id": "a2", "source": "s"}\nnot json\n\n{"id": 5, "source": "s", "text": "numeric id"}\n')
    folder = tmp_path / "desk"
    folder.mkdir()
    zipped = folder / "in.jsonl.gz"
    zipped.write_bytes(gzip.compress(plain.read_bytes()))
    direct, walked = (newsflow("replay", "--no-progress", str(given)) for given in (plain, folder))
    rows = [orjson.loads(line) for line in direct.stdout.splitlines()]
    assert [(row["id"], row["error"]["reason"], row["error"]["stage"]) for row in rows] == [
        ("a2", "schema", "validate"), (None, "invalid_json", "decode"), (None, "schema", "validate")]
    assert [row["error"]["detail"].split(": ")[0] for row in rows] == [f"{plain}:1", f"{plain}:2", f"{plain}:4"]
    assert walked.stdout.replace(str(zipped).encode(), str(plain).encode()) == direct.stdout


def stopped_replay(tmp_path, events, signum):
    """A replay of 5000 articles with ``--events events``, sent ``signum`` once it shows progress:
    (exit code, stdout lines, stderr)."""
    import os
    import re
    import subprocess
    import sys

    path = tmp_path / "in.jsonl"
    seeds = [orjson.loads(line) for line in seed_lines()]
    path.write_bytes(b"".join(orjson.dumps({**seeds[i % len(seeds)], "id": f"copy-{i}"}) + b"\n" for i in range(5000)))
    replay = subprocess.Popen([sys.executable, "-m", "cli.main", "replay", str(path), "--events", str(events)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ, NEWSFLOW_LOG_LEVEL="warn"))
    seen = b""
    while not re.search(rb"[1-9]\d* articles", seen):  # the progress line: the replay is under way
        chunk = replay.stderr.read1(4096)
        assert chunk, "replay ended before it showed progress"
        seen += chunk
    replay.send_signal(signum)
    out, err = replay.communicate(timeout=60)
    return replay.returncode, out.decode().splitlines(), err.decode()


def test_a_terminated_replay_prints_its_summary_and_leaves_the_events_file_as_it_was(tmp_path):
    """SIGTERM used to kill replay at once (no summary), and --events had emptied its file at the start."""
    import signal

    events = tmp_path / "events.jsonl"
    events.write_text('{"from": "an earlier replay"}\n')
    returncode, lines, err = stopped_replay(tmp_path, events, signal.SIGTERM)
    assert returncode == 128 + signal.SIGTERM
    assert 0 < len(lines) < 5000 and all(orjson.loads(line)["id"].startswith("copy-") for line in lines)
    assert "; interrupted; the events file is left as it was" in err and "Traceback" not in err
    assert events.read_text() == '{"from": "an earlier replay"}\n'


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_replay_leaves_no_events_file_where_there_was_none(tmp_path, signum):
    """Before, the events file was created empty at the start and left so: a 0-byte file where the
    README says the file is written only when the replay ends."""
    events = tmp_path / "new-events.jsonl"
    returncode, lines, err = stopped_replay(tmp_path, events, signum)
    assert returncode == 128 + signum and 0 < len(lines) < 5000
    assert "; interrupted; the events file is left as it was" in err and "Traceback" not in err
    assert not events.exists()


def test_an_endless_json_line_is_read_past_not_held(tmp_path):
    """A JSON line longer than the core takes is rejected as too_large without being held, as the files
    reader rejects it, and the lines after it are replayed. Before, replay read the line whole (twice
    over): a 1 GiB line needed 2 GiB of memory, and `newsflow replay /dev/zero` ended in a MemoryError
    traceback. The replay runs here with 1.5 GiB of address space; it needs about 1.2 GiB without the line."""
    import resource
    import subprocess
    import sys

    path = tmp_path / "dump.jsonl"
    with path.open("wb") as out:
        out.truncate(1 << 30)  # a sparse GiB of NUL bytes, no newline: one endless line
        out.seek(1 << 30)
        out.write(b"\n" + seed_lines()[0] + b"\n")

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))

    replay = subprocess.run([sys.executable, "-m", "cli.main", "replay", "--no-progress", str(path)],
                            capture_output=True, preexec_fn=limited, timeout=300)
    assert replay.returncode == 0, replay.stderr.decode()[-2000:]
    first, second = (orjson.loads(line) for line in replay.stdout.splitlines())
    assert first["error"]["reason"] == "too_large" and first["error"]["stage"] == "connector"
    assert first["error"]["detail"] == f"{path}:1: {1 << 30} bytes is over 8388608"  # its line break not counted
    assert second["id"] == orjson.loads(seed_lines()[0])["id"] and second["relation"] == "new"
