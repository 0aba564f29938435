"""Labelled rows as spreadsheets and APIs really save them, read alike by `replay --rows` /
`ingest files --rows` (connectors.files) and by the benchmarks' `--data` (load_labelled)."""
from __future__ import annotations

import csv
import io
import json

import pytest

from connectors.files import read_file
from pipeline.clustering.evaluation import load_labelled

ROWS = [{"doc_id": "a1", "cluster_id": "e1",
         "text": "Quake hits Izmir; 12 dead.\nRescuers dig on, 3,5 km from the coast."},
        {"doc_id": "a2", "cluster_id": "e1", "text": "Izmir quake: toll rises to 14."}]


def _table(delimiter: str, hint: bool = False) -> str:
    out = io.StringIO()
    if hint:
        out.write(f"sep={delimiter}\r\n")
    writer = csv.DictWriter(out, fieldnames=list(ROWS[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(ROWS)
    return out.getvalue()


@pytest.mark.parametrize("name, content", [
    ("semicolons.csv", "\ufeff" + _table(";")),  # Excel where the comma is the decimal mark
    ("excel.csv", _table(";", hint=True)),  # and its "sep=;" first line
    ("tabs.csv", _table("\t")),  # tab-separated text saved as .csv
    ("commas.tsv", _table(",")),
    ("pipes.csv", _table("|")),
])
def test_a_table_is_read_with_its_own_delimiter(tmp_path, name, content):
    """Before, a semicolon CSV of 2 rows gave 5 rejected inputs (`invalid_csv`: "2 cells, the header
    has 1", and `empty`) in replay, and load_labelled refused the file."""
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    items = list(read_file(path, rows=True))
    assert [item.error for item in items] == [None, None]
    assert [(item.raw.id, item.raw.text) for item in items] == [(r["doc_id"], r["text"]) for r in ROWS]
    first_row = 3 if "sep=" in content else 2
    assert [item.location for item in items] == [f"{path}:{first_row}", f"{path}:{first_row + 2}"]
    assert load_labelled(path) == ROWS


def test_a_one_column_table_keeps_its_kind_of_delimiter(tmp_path):
    path = tmp_path / "texts.csv"
    path.write_text('text\n"One; two, three"\n', encoding="utf-8")
    assert load_labelled(path) == [{"text": "One; two, three"}]


def test_an_api_answer_saved_whole_is_read_as_its_rows_by_the_benchmarks_too(tmp_path):
    """Before, `bench/clustering.py --data newsapi.json` stopped ("a JSON file of labelled rows holds a
    list of objects or an object of objects") where `replay --rows` read the file's articles."""
    rows = [{"title": "Quake hits Izmir", "content": "12 dead.", "label": "e1", "source": {"id": None, "name": "A"}},
            {"title": "Izmir toll rises", "content": "14 dead.", "label": "e1", "source": {"id": None, "name": "B"}}]
    path = tmp_path / "newsapi.json"
    path.write_text(json.dumps({"status": "ok", "totalResults": 2, "articles": rows}))
    assert load_labelled(path) == rows
    assert [item.raw.title for item in read_file(path, rows=True)] == ["Quake hits Izmir", "Izmir toll rises"]
    one_row = tmp_path / "one.jsonl"  # a row that holds a list of objects is still that row
    one_row.write_text(json.dumps({"id": "a", "text": "x", "entities": [{"name": "Izmir"}]}) + "\n")
    assert load_labelled(one_row) == [{"id": "a", "text": "x", "entities": [{"name": "Izmir"}]}]


def test_a_column_name_given_twice_keeps_its_first_filled_cell(tmp_path):
    """Before, the last `text` column won, an empty one included, and the first was silently lost."""
    path = tmp_path / "export.csv"
    path.write_text("id,text,text\na,The first text.,Other\nb,,The only text.\n", encoding="utf-8")
    assert [item.raw.text for item in read_file(path, rows=True)] == ["The first text.", "The only text."]


def test_a_folder_of_labelled_files_is_read_as_replay_reads_one(tmp_path):
    """Before, `bench/clustering.py --data FOLDER` stopped: "[Errno 21] Is a directory"."""
    (tmp_path / "part2").mkdir()
    (tmp_path / "part1.jsonl").write_text(json.dumps(ROWS[0]) + "\n")
    (tmp_path / "part2" / "rows.csv").write_text(_table(";").replace("a1;", "x1;"), encoding="utf-8")
    (tmp_path / "README.md").write_text("# A labelled set\n")
    (tmp_path / ".hidden.jsonl").write_text("{broken\n")
    assert [row["doc_id"] for row in load_labelled(tmp_path)] == ["a1", "x1", "a2"]
