"""Reading labelled rows (pipeline/clustering/evaluation.load_labelled) in the shapes labelled news
data comes in, and saying which file and line is wrong when it cannot."""
from __future__ import annotations

import codecs
import csv
import gzip
import io
import json

import pytest

from pipeline.clustering.evaluation import load_labelled

ROWS = [{"id": "a1", "event": "e1", "text": "Quake hits \"Izmir\", 12 dead.\nRescuers dig on."},
        {"id": "a2", "event": "e1", "text": "Izmir quake: rescuers dig on; toll rises to 14."}]


def _csv(rows, delimiter=",") -> str:
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=delimiter)
    w.writeheader()
    w.writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize("name, content", [
    ("rows.jsonl", "\n".join(json.dumps(r) for r in ROWS) + "\n"),
    ("rows.json", json.dumps(ROWS)),
    ("rows.csv", _csv(ROWS)),
    ("rows.tsv", _csv(ROWS, "\t")),
    ("rows.data", "\n\n".join(json.dumps(r) for r in ROWS)),  # JSON lines whatever the name, blank lines skipped
])
def test_every_usual_shape_gives_the_same_rows(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert load_labelled(path) == ROWS
    gz = tmp_path / (name + ".gz")
    gz.write_bytes(gzip.compress(content.encode("utf-8")))
    assert load_labelled(gz) == ROWS


@pytest.mark.parametrize("name, content", [("rows.csv", _csv(ROWS)), ("rows.tsv", _csv(ROWS, "\t")),
                                           ("rows.jsonl", "\n".join(json.dumps(r) for r in ROWS))])
@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_files_with_a_byte_order_mark_read_as_the_mark_says(tmp_path, name, content, codec):
    """Before, a CSV saved as Excel's "Unicode Text" (UTF-16 with a mark) was refused as not UTF-8."""
    data = content.replace("Izmir", "İzmir").encode(codec)
    if codec == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    path = tmp_path / name
    path.write_bytes(data)
    rows = load_labelled(path)
    assert [r["id"] for r in rows] == ["a1", "a2"] and "İzmir" in rows[1]["text"]
    gz = tmp_path / (name + ".gz")
    gz.write_bytes(gzip.compress(data))
    assert load_labelled(gz) == rows


def test_bytes_that_are_not_utf8_name_the_file(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_bytes("id,event,text\na1,e1,Caf\u00e9\n".encode("cp1252"))
    with pytest.raises(ValueError, match=r"rows.csv: not UTF-8 text \(invalid continuation byte at byte 23\)"):
        load_labelled(path)


def test_an_object_of_rows_takes_its_keys_as_ids(tmp_path):
    path = tmp_path / "truth.json"
    path.write_text(json.dumps({"p1": {"event": "e1", "html": "<p>x</p>"}, "p2": {"id": "own", "event": "e2"}}))
    assert load_labelled(path) == [{"id": "p1", "event": "e1", "html": "<p>x</p>"}, {"id": "own", "event": "e2"}]


def test_a_csv_cell_may_hold_a_whole_page(tmp_path):
    page = "<html><body>" + "<p>Long paragraph of a real page.</p>\n" * 20_000 + "</body></html>"
    assert len(page) > 131_072  # the csv module's default cell limit
    path = tmp_path / "pages.csv"
    path.write_text(_csv([{"id": "p1", "event": "e1", "html": page}]), encoding="utf-8")
    assert load_labelled(path)[0]["html"] == page


def test_a_single_json_lines_row_is_a_row(tmp_path):
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(ROWS[0]) + "\n")
    assert load_labelled(path) == ROWS[:1]


@pytest.mark.parametrize("name, content, message", [
    ("rows.jsonl", json.dumps(ROWS[0]) + "\n{not json\n", "rows.jsonl, line 2: not JSON"),
    ("rows.jsonl", json.dumps(ROWS[0]) + "\n[1, 2]\n", "rows.jsonl, line 2: a row is a JSON object"),
    ("rows.json", json.dumps([1, 2]), "rows.json: a JSON file of labelled rows holds a list of objects"),
    ("rows.json", json.dumps({"id": "a", "text": "x"}), "rows.json: a JSON file of labelled rows holds"),
    ("rows.jsonl", "\n\n", "rows.jsonl: no labelled rows"),
    ("rows.csv", "id,event,text\n", "rows.csv: no labelled rows"),
    ("rows.json", "[]", "rows.json: no labelled rows"),
])
def test_unreadable_files_name_the_file_and_line(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(ValueError, match=message.replace("[", r"\[")):
        load_labelled(path)


def test_rows_are_read_under_any_case_and_cut_to_briefs():
    from pipeline.clustering.evaluation import row_published, short_versions

    assert row_published({"ID": "1", "TIMESTAMP": 1394470370698}) == "1394470370698"
    assert row_published({"published": "2013-05-02", "PUBLISHED": "x"}) == "2013-05-02"
    rows = [{"doc_id": "a", "cluster_id": 1, "text": "Lohan checks into rehab\nShe arrived on Friday.\nMore."},
            {"doc_id": "b", "cluster_id": 1, "title": "Lohan enters Betty Ford", "text": "Her lawyer said so.\nMore."}]
    short = short_versions(rows)
    assert [(r["title"], r["text"]) for r in short["brief"]] == [
        ("Lohan checks into rehab", "She arrived on Friday."), ("Lohan enters Betty Ford", "Her lawyer said so.")]
    assert [(r["title"], r["text"], r["cluster_id"]) for r in short["headline"]] == [
        ("Lohan checks into rehab", "", 1), ("Lohan enters Betty Ford", "", 1)]
