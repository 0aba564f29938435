"""How `newsflow replay` reads its inputs: files, folders, JSON lines, rows."""
import gzip

import orjson

from cli.replay_cmd import count_inputs, raw_values, row_values


def test_a_folder_named_like_a_jsonl_file_is_walked_as_a_folder(tmp_path):
    """Before, it was opened as a file: '[Errno 21] Is a directory'."""
    folder = tmp_path / "export.jsonl"
    folder.mkdir()
    (folder / "a.txt").write_text("A text about the harbour.")
    assert count_inputs([str(folder)]) is None  # not known before the files are read
    assert [orjson.loads(value)["id"] for value, _ in raw_values([str(folder)])] == ["a"]


def test_a_leading_bom_is_not_part_of_the_first_record_or_header(tmp_path):
    """Excel's "CSV UTF-8" and Notepad start files with a BOM: before, the first JSON line was
    invalid JSON and a CSV's first column was not recognised (ids such as 'bom-1')."""
    bom = "\ufeff"
    lines = tmp_path / "bom.jsonl"
    lines.write_text(bom + '{"id": "b1", "source": "s", "text": "x"}\n')
    table = tmp_path / "bom.csv"
    table.write_text(bom + "doc_id,body\nc1,The bank raised rates.\n")
    gzipped = tmp_path / "bom.csv.gz"
    gzipped.write_bytes(gzip.compress(table.read_bytes()))
    assert [orjson.loads(value)["id"] for value, _ in raw_values([str(lines)])] == ["b1"]
    assert [orjson.loads(value)["id"] for value, _ in row_values([str(lines), str(table), str(gzipped)])] == ["b1", "c1", "c1"]


def test_a_csv_row_that_cannot_be_read_whole_is_an_error_row_naming_its_line(tmp_path):
    """Before, an unclosed quote swallowed the rows after it into one cell, and cells beyond the
    header's were dropped, with exit 0 and nothing said."""
    table = tmp_path / "rows.csv"
    table.write_text('doc_id,body\nk1,"a quote never closed\nk2,The volcano erupted.\n'
                     'k3,a,b,extra cells\nk4,"a cell over\ntwo lines"\n')
    values = list(row_values([str(table)]))
    errors = [(value["error"]["detail"], where) for value, where in values if isinstance(value, dict)]
    assert errors == [("line 2: not a CSV row (',' expected after '\"'; a quote opened on it may never be closed)", str(table)),
                      ("line 4: 4 cells, the header has 2", str(table))]
    rows = [orjson.loads(value) for value, _ in values if not isinstance(value, dict)]
    assert [(row["id"], row["text"]) for row in rows] == [("k2", "The volcano erupted."), ("k4", "a cell over\ntwo lines")]
