"""`newsflow replay` over stdin and pipes, whose names say nothing of their kind: JSON lines are read
a line at a time as before; a JSON document (a list, an API's answer, pretty-printed or not) and,
with --rows, a CSV/TSV table are read as the files reader reads a .json or .csv file."""
from __future__ import annotations

import io
import json
import sys

import orjson
import pytest

from cli.replay_cmd import raw_values, row_values

ROWS = [{"doc_id": "a", "text": "The council approved the budget on Tuesday after a long vote."},
        {"doc_id": "b", "text": "A storm is expected to reach the coast on Friday night, forecasters said."}]
CSV = "doc_id;text\r\na;\"The council approved the budget\non Tuesday.\"\r\nb;A storm is coming.\r\n"


def _stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def _ids(values) -> list:
    return [value["error"]["reason"] if isinstance(value, dict) else orjson.loads(value)["id"] for value, _ in values]


@pytest.mark.parametrize("data", [
    json.dumps(ROWS).encode(),  # `cat rows.json |`: before, one `schema` rejection, "got list"
    json.dumps(ROWS, indent=2).encode(),  # before, every line `invalid_json`
    json.dumps({"status": "ok", "totalResults": 2, "articles": ROWS}).encode(),  # `curl newsapi... |`: `empty`
    json.dumps({"status": "ok", "articles": ROWS}, indent=1).encode(),
    CSV.encode("utf-8-sig"),  # `zcat rows.csv.gz |`: before, a rejection per line
    "\n".join(json.dumps(row) for row in ROWS).encode(),  # JSON lines, as always
])
def test_rows_on_stdin_are_read_in_whatever_shape_they_come(monkeypatch, data):
    _stdin(monkeypatch, data)
    assert _ids(row_values(["-"])) == ["a", "b"]


def test_a_table_on_stdin_is_located_by_line_and_rows_without_ids_named_after_stdin(monkeypatch):
    _stdin(monkeypatch, b"text\nFirst row of the table.\n\"Second,\nrow\"\n")
    values = list(row_values(["-"]))
    assert _ids(values) == ["stdin:2", "stdin:3"]
    assert [where for _, where in values] == ["stdin:2", "stdin:3"]


def test_an_api_answer_per_line_stands_for_its_rows(tmp_path):
    """NewsAPI pages appended one answer a line: before, each line was one article with no text."""
    path = tmp_path / "pages.jsonl"
    page = {"status": "ok", "articles": [{"title": "Budget passes", "content": "The council voted."},
                                         {"title": "Storm warning", "content": "A storm is coming."}]}
    empty = {"status": "ok", "totalResults": 0, "articles": []}
    path.write_text(json.dumps(page) + "\n" + json.dumps(empty) + "\n")
    values = list(row_values([str(path)]))
    assert _ids(values) == ["pages.jsonl:1[0]", "pages.jsonl:1[1]", "empty"]
    assert values[2][0]["error"]["detail"] == "the line holds no row: its 'articles' list is empty"


def test_a_list_of_raw_articles_on_stdin_is_read_as_a_json_file_is(monkeypatch):
    articles = [{"id": "x1", "source": "s", "text": "One."}, {"id": "x2", "source": "s", "text": "Two."}]
    _stdin(monkeypatch, json.dumps(articles, indent=2).encode())
    values = list(raw_values(["-"]))
    assert _ids(values) == ["x1", "x2"]
    assert [where for _, where in values] == ["stdin[0]", "stdin[1]"]


def test_a_pipe_given_by_its_path_is_sniffed_too(tmp_path):
    import os
    import threading

    fifo = tmp_path / "rows.fifo"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "wb") as handle:
            handle.write(CSV.encode())

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        assert _ids(row_values([str(fifo)])) == ["a", "b"]
    finally:
        writer.join()


def test_gzipped_json_lines_on_stdin_are_read_as_they_unpack(monkeypatch):
    """Before, `cat rows.jsonl.gz | newsflow replay --rows -` rejected the compressed bytes line by line."""
    import gzip

    _stdin(monkeypatch, gzip.compress("\n".join(json.dumps(row) for row in ROWS).encode()))
    assert _ids(row_values(["-"])) == ["a", "b"]
    _stdin(monkeypatch, gzip.compress(json.dumps(ROWS).encode())[:-12])  # cut short
    assert _ids(row_values(["-"])) == ["unreadable"]
