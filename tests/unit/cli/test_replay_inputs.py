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
