"""`newsflow replay --rows` reads rows as `ingest files --rows` does: gzipped, saved as .json, in
folders, with the same ids; a file's or a line's problem is rejected on its own."""
import gzip
import io

import orjson

from cli.replay_cmd import raw_values, row_values


COUNCIL = '{"doc_id": "a", "text": "Some text about a council vote on the budget today in the city hall."}'
WEATHER = '{"doc_id": "b", "text": "Other text about the weather forecast for the weekend in the region."}'


def _outcomes(values) -> list:
    """(id, or the reason of a rejection) for each replayed value."""
    return [value["error"]["reason"] if isinstance(value, dict) else orjson.loads(value)["id"] for value, _ in values]


def test_rows_gzipped_or_saved_as_json_reject_a_broken_line_on_its_own(tmp_path):
    """Before, r.jsonl.gz and JSON lines saved as r.json stopped the whole replay at line 2
    ("not a file of rows"); only an uncompressed .jsonl was read line by line."""
    lines = tmp_path / "r.jsonl"
    lines.write_text(f"{COUNCIL}\n{{broken\n{WEATHER}\n")
    zipped = tmp_path / "r.jsonl.gz"
    zipped.write_bytes(gzip.compress(lines.read_bytes()))
    saved = tmp_path / "r.json"
    saved.write_bytes(lines.read_bytes())
    for given in (lines, zipped, saved):
        values = list(row_values([str(given)]))
        assert _outcomes(values) == ["a", "invalid_json", "b"], given
        assert values[1][1] == f"{given}:2"


def test_a_rows_file_that_is_no_utf8_is_rejected_and_the_other_inputs_go_on(tmp_path):
    """Before, a Latin-1 CSV ended the replay with rc 1 and no output at all."""
    latin = tmp_path / "latin.csv"
    latin.write_bytes("doc_id,body\nx1,Café society\n".encode("latin-1"))
    lines = tmp_path / "r.jsonl"
    lines.write_text(COUNCIL + "\n")
    values = list(row_values([str(latin), str(lines)]))
    assert _outcomes(values) == ["encoding", "a"]
    assert values[0][1] == str(latin) and "not UTF-8 text" in values[0][0]["error"]["detail"]


def test_rows_in_a_folder_are_read_in_sorted_order_and_other_kinds_listed(tmp_path):
    """Before, `replay --rows FOLDER` stopped: "[Errno 21] Is a directory"."""
    folder = tmp_path / "export"
    (folder / "sub").mkdir(parents=True)
    (folder / "b.jsonl").write_text(WEATHER + "\n")
    (folder / "a.csv").write_text("doc_id,body\nc1,The bank raised rates.\n")
    (folder / "sub" / "c.json.gz").write_bytes(gzip.compress(orjson.dumps([{"id": "j1", "text": "A list row."}])))
    (folder / "notes.md").write_text("not rows")
    skipped: list = []
    assert _outcomes(row_values([str(folder)], skipped)) == ["c1", "b", "j1"]
    assert skipped == [folder / "notes.md"]


def test_replay_and_ingest_give_a_row_without_id_the_same_id(tmp_path):
    """Before, replay called the first row of np.jsonl 'np-1' and ingest 'np.jsonl:1', so their
    outputs could not be joined; a compressed copy keeps the ids."""
    from connectors.files import ingest_files
    from connectors.sink import MemorySink

    (tmp_path / "np.jsonl").write_text('{"text": "First row."}\n\n{"text": "Third line."}\n')
    (tmp_path / "list.json.gz").write_bytes(gzip.compress(b'[{"text": "x"}, {"text": "y"}]'))
    (tmp_path / "one.json").write_text('{"title": "A headline only"}')
    sink = MemorySink()
    ingest_files([tmp_path], sink, err=io.StringIO(), rows=True)
    replayed = [orjson.loads(value)["id"] for value, _ in row_values([str(tmp_path)])]
    assert replayed == [raw.id for raw in sink.raws] == ["list.json[0]", "list.json[1]", "np.jsonl:1", "np.jsonl:3",
                                                         "one.json"]


def test_a_jsonl_line_that_is_no_utf8_is_an_encoding_error_naming_line_and_byte(tmp_path):
    """Before, it was `invalid_json`: "str is not valid UTF-8: surrogates not allowed"."""
    lines = tmp_path / "in.jsonl"
    lines.write_bytes(b'{"id": "a", "source": "s", "text": "ok"}\n{"id": "b", "source": "s", "text": "caf\xe9"}\n')
    folder = tmp_path / "desk"
    folder.mkdir()
    (folder / "in.jsonl.gz").write_bytes(gzip.compress(lines.read_bytes()))
    for values in (raw_values([str(lines)]), raw_values([str(folder)]), row_values([str(lines)])):
        error = list(values)[1][0]["error"]
        assert error["reason"] == "encoding"
        assert error["detail"] == "not UTF-8 text (invalid continuation byte at byte 39 of line 2)"
