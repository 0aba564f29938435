"""How `newsflow replay` reads its inputs: files, folders, JSON lines, rows."""
import gzip

import orjson

from cli.replay_cmd import Reading, raw_values, row_values


def test_a_folder_named_like_a_jsonl_file_is_walked_as_a_folder(tmp_path):
    """Before, it was opened as a file: '[Errno 21] Is a directory'."""
    folder = tmp_path / "export.jsonl"
    folder.mkdir()
    (folder / "a.txt").write_text("A text about the harbour.")
    assert Reading([str(folder)]).total == (folder / "a.txt").stat().st_size
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
    assert errors == [("not a CSV row (',' expected after '\"'; a quote opened on it may never be closed)", f"{table}:2"),
                      ("4 cells, the header has 2", f"{table}:4")]
    rows = [orjson.loads(value) for value, _ in values if not isinstance(value, dict)]
    assert [(row["id"], row["text"]) for row in rows] == [("k2", "The volcano erupted."), ("k4", "a cell over\ntwo lines")]


def test_utf16_and_utf32_files_with_a_bom_are_replayed_as_their_bom_says(tmp_path):
    """Before, `replay f.txt` on UTF-16 was an 'encoding: not UTF-8 text' row, and a UTF-16 .jsonl
    given directly (read line by line, not through the files reader) gave no record at all."""
    text = "Überschwemmung in Köln — the Rhine rose 3 m overnight."
    txt = tmp_path / "story.txt"
    txt.write_bytes(text.encode("utf-16"))
    lines = tmp_path / "wide.jsonl"
    lines.write_bytes("".join(orjson.dumps({"id": i, "source": "s", "text": text}).decode() + "\n"
                              for i in ("w1", "w2")).encode("utf-32"))
    values = [orjson.loads(value) for value, _ in raw_values([str(txt), str(lines)])]
    assert [(v["id"], v["text"]) for v in values] == [("story", text), ("w1", text), ("w2", text)]
    assert [orjson.loads(value)["id"] for value, _ in row_values([str(lines)])] == ["w1", "w2"]


def test_a_utf16_jsonl_that_does_not_decode_is_rejected_as_that_files_problem(tmp_path):
    """Before, a .jsonl given directly stopped the whole replay there (in a folder, or gzipped, the
    files reader rejected it and went on); now it is one `encoding` row, however it is given."""
    import codecs

    lines = tmp_path / "odd.jsonl"
    lines.write_bytes(codecs.BOM_UTF16_LE + b"{\x00\x00\xd8")
    good = tmp_path / "good.jsonl"
    good.write_text('{"id": "g1", "source": "s", "text": "x"}\n')
    for values in (raw_values([str(lines), str(good)]), row_values([str(lines), str(good)])):
        first, second = list(values)
        assert first == ({"id": None, "error": {"reason": "encoding", "stage": "connector",
                                                "detail": "not UTF-16 text (unexpected end of data at byte 4)"}}, str(lines))
        assert orjson.loads(second[0])["id"] == "g1"


def test_an_over_long_line_in_a_folder_or_a_gz_is_too_large_as_in_a_jsonl_given(tmp_path, capsys):
    """Before, the files reader cut such a line at 8 MiB and replay handed the cut to the core, which
    called it invalid JSON ('unexpected end of data'); given directly, the same line was too_large."""
    import argparse

    from cli.replay_cmd import cmd_replay
    from schemas.models import MAX_RAW_BYTES_DEFAULT

    long_line = orjson.dumps({"id": "long", "source": "s", "text": "word " * (MAX_RAW_BYTES_DEFAULT // 5 + 1000)})
    short_line = orjson.dumps({"id": "short", "source": "s", "text": "The harbour closed on Monday after a storm."})
    plain = tmp_path / "in.jsonl"
    plain.write_bytes(long_line + b"\n" + short_line + b"\n")
    folder = tmp_path / "desk"
    folder.mkdir()
    (folder / "in.jsonl.gz").write_bytes(gzip.compress(plain.read_bytes()))
    reasons = []
    for given in (plain, folder):
        args = argparse.Namespace(inputs=[str(given)], events=None, rows=False, window_days=None, no_progress=True)
        assert cmd_replay(args) == 0
        rows = [orjson.loads(line) for line in capsys.readouterr().out.splitlines()]
        reasons.append([row["error"]["reason"] if "error" in row else row["id"] for row in rows])
    assert reasons == [["too_large", "short"], ["too_large", "short"]]


def test_a_json_lines_file_that_cannot_be_opened_is_an_unreadable_row_and_the_others_go_on(tmp_path, monkeypatch):
    """As the files reader does for a file in a folder; replay reading JSON lines itself must not
    end the whole run at the first file it may not open."""
    import builtins

    from cli import replay_cmd

    folder = tmp_path / "desk"
    folder.mkdir()
    (folder / "a.jsonl").write_text('{"id": "a1", "source": "s", "text": "x"}\n')
    (folder / "b.jsonl.gz").write_bytes(gzip.compress(b'{"id": "b1", "source": "s", "text": "y"}\n'))

    def refusing(path, *args, **kwargs):
        if str(path).endswith("a.jsonl"):
            raise PermissionError(13, "Permission denied", str(path))
        return builtins.open(path, *args, **kwargs)

    monkeypatch.setattr(replay_cmd, "open", refusing, raising=False)
    for values in (raw_values([str(folder)]), row_values([str(folder)])):
        (first, where), (second, _) = list(values)
        assert where == str(folder / "a.jsonl")
        assert first == {"id": None, "error": {"reason": "unreadable", "stage": "connector",
                                               "detail": f"[Errno 13] Permission denied: '{folder / 'a.jsonl'}'"}}
        assert orjson.loads(second)["id"] == "b1"
