"""How `newsflow replay` reads its inputs: files, folders, JSON lines, rows."""
import orjson

from cli.replay_cmd import count_inputs, raw_values


def test_a_folder_named_like_a_jsonl_file_is_walked_as_a_folder(tmp_path):
    """Before, it was opened as a file: '[Errno 21] Is a directory'."""
    folder = tmp_path / "export.jsonl"
    folder.mkdir()
    (folder / "a.txt").write_text("A text about the harbour.")
    assert count_inputs([str(folder)]) is None  # not known before the files are read
    assert [orjson.loads(value)["id"] for value in raw_values([str(folder)])] == ["a"]
