"""`replay --rows` and `ingest files --rows` reject a file that is no UTF-8 text, or that holds no
rows, as that file's problem, with the reasons the README gives (`encoding`, `empty`), as they
already did a .csv; and `replay` reads JSON lines from a pipe given by its path, as from stdin."""
import gzip
import io
import os
import threading

import orjson
import pytest

from cli.main import main
from cli.replay_cmd import raw_values, row_values
from connectors.files import ingest_files
from connectors.sink import MemorySink

LATIN = '[{"doc_id": "x1", "body": "Café society"}]'.encode("latin-1")
BINARY = bytes([0x7B, 0x22, 0xFF, 0xFE, 0x00, 0x81]) * 10
NO_JSON_ROWS = "the JSON file holds no rows: it is empty or blank"
NO_LINE_ROWS = "the JSON lines hold no rows: the input is empty or blank"


CASES = [
    ("latin.json", LATIN, "encoding", "not UTF-8 text (invalid continuation byte at byte 30)"),
    ("binary.json", BINARY, "encoding", "not UTF-8 text (invalid start byte at byte 2)"),
    ("empty.json", b"", "empty", NO_JSON_ROWS),
    ("blank.json", b" \n\t\n", "empty", NO_JSON_ROWS),
    ("empty.jsonl", b"", "empty", NO_LINE_ROWS),
    ("blank.jsonl", b"\n\n  \n", "empty", NO_LINE_ROWS),
    ("empty.jsonl.gz", gzip.compress(b"\n"), "empty", NO_LINE_ROWS),
]


@pytest.mark.parametrize("name, content, reason, detail", CASES, ids=[case[0] for case in CASES])
def test_a_rows_file_that_is_no_utf8_or_holds_no_rows_is_rejected_with_the_documented_reason(
        tmp_path, name, content, reason, detail):
    """Before, the .json files were `invalid_json` ("str is not valid UTF-8: surrogates not allowed",
    "Input is a zero-length, empty document"), and an empty or blank .jsonl gave no row at all."""
    path = tmp_path / name
    path.write_bytes(content)
    replayed = list(row_values([str(path)]))
    assert replayed == [({"id": None, "error": {"reason": reason, "detail": detail, "stage": "connector"}}, str(path))]
    err = io.StringIO()
    result = ingest_files([path], MemorySink(), err=err, rows=True)
    assert result.rejected == {reason: 1} and err.getvalue() == f"{path}: {reason}: {detail}\n"


def test_the_replay_summary_counts_them_and_the_other_inputs_go_on(tmp_path, capsys):
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "latin.json").write_bytes(LATIN)
    (tmp_path / "rows.jsonl").write_text('{"doc_id": "r1", "body": "The council met on Monday."}\n')
    assert main(["replay", "--rows", "--no-progress", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert [row.get("id") for row in map(orjson.loads, captured.out.splitlines())] == [None, None, "r1"]
    assert "3 inputs, 1 articles" in captured.err and "2 rejected (empty=1, encoding=1)" in captured.err


def test_a_raw_article_json_that_is_no_utf8_is_an_encoding_row_too(tmp_path):
    """Without --rows as well: the file's bytes, not orjson's words about them."""
    path = tmp_path / "latin.json"
    path.write_bytes('{"id": "l1", "source": "s", "text": "café"}'.encode("latin-1"))
    [(row, where)] = raw_values([str(path)])
    assert row["error"]["reason"] == "encoding" and where == str(path)


@pytest.mark.parametrize("name, content", [("empty.jsonl", b""), ("blank.jsonl", b"\n \n"), ("empty.json", b""),
                                           ("blank.json", b" \n")])
def test_an_empty_raw_article_file_is_rejected_as_empty_by_replay_and_ingest_files_alike(tmp_path, name, content):
    """Without --rows an empty .jsonl gave replay no row ("0 inputs") and ingest files nothing to say,
    and an empty .json was invalid_json to ingest files ("Input is a zero-length, empty document")."""
    path = tmp_path / name
    path.write_bytes(content)
    [(row, where)] = raw_values([str(path)])
    assert row["error"]["reason"] == "empty" and "no articles" in row["error"]["detail"] and where == str(path)
    err = io.StringIO()
    result = ingest_files([path], MemorySink(), err=err)
    assert result.rejected == {"empty": 1} and "no articles" in err.getvalue()


def fifo_of(tmp_path, content: bytes) -> str:
    """A named pipe that a thread fills with ``content``, as `<(cat a.jsonl)` gives one."""
    path = tmp_path / "pipe"
    os.mkfifo(path)

    def fill():
        with open(path, "wb") as pipe:
            pipe.write(content)
    threading.Thread(target=fill, daemon=True).start()
    return str(path)


def test_replay_reads_json_lines_from_a_pipe_given_by_its_path(tmp_path, capsys):
    """Before, `newsflow replay <(cat a.jsonl)` (or /dev/stdin) was rejected: unsupported_file '(none)'."""
    lines = b'{"id": "p1", "source": "s", "text": "The harbour closed on Monday after a storm."}\n' * 2
    assert main(["replay", "--no-progress", fifo_of(tmp_path, lines)]) == 0
    captured = capsys.readouterr()
    assert [row["id"] for row in map(orjson.loads, captured.out.splitlines())] == ["p1", "p1"]
    assert captured.err.startswith("replay: 2 inputs, 1 articles")


def test_replay_rows_reads_a_pipe_too_and_says_when_it_holds_none(tmp_path):
    rows = fifo_of(tmp_path, b'{"doc_id": "q1", "body": "A row."}\n')
    assert [orjson.loads(value)["id"] for value, _ in row_values([rows])] == ["q1"]
    (tmp_path / "other").mkdir()
    nothing = fifo_of(tmp_path / "other", b"")
    assert [row["error"]["reason"] for row, _ in row_values([nothing])] == ["empty"]
