"""`newsflow replay`'s progress line: a percentage for files, gzipped or not; count and rate for stdin."""
import argparse
import gzip
import io
import os
import re
import sys

import orjson

from cli.replay_cmd import Reading, cmd_replay, raw_values, row_values

TEXT = ("The central bank raised interest rates by half a point on Tuesday, citing inflation that has stayed "
        "above its target for a year. Officials said further increases could follow in the coming months.")


def article_lines(count: int, *, noise: int = 0) -> bytes:
    """JSON lines of raw articles; ``noise`` random hex characters each keep gzip from shrinking them much."""
    return b"".join(orjson.dumps({"id": f"a{i}", "source": "s", "text": TEXT, "meta": {"noise": os.urandom(noise).hex()}})
                    + b"\n" for i in range(count))


def progress_line(inputs: list[str], capsys, **extra) -> str:
    args = argparse.Namespace(inputs=inputs, events=None, rows=False, window_days=None, no_progress=False, **extra)
    assert cmd_replay(args) == 0
    err = capsys.readouterr().err
    return [line for line in re.split(r"[\r\n]", err) if line.strip()][-2]  # the bar's last state, then the summary


def test_a_gzipped_input_shows_a_percentage(tmp_path, capsys):
    """Before, a .jsonl.gz showed only '3article [00:00, ...]': its length was not known."""
    path = tmp_path / "in.jsonl.gz"
    path.write_bytes(gzip.compress(article_lines(3)))
    line = progress_line([str(path)], capsys)
    assert line.startswith("100%|") and "| 3 articles [" in line and "articles/s]" in line


def test_a_plain_file_and_a_folder_show_a_percentage(tmp_path, capsys):
    plain = tmp_path / "in.jsonl"
    plain.write_bytes(article_lines(2))
    assert progress_line([str(plain)], capsys).startswith("100%|")
    folder = tmp_path / "desk"
    folder.mkdir()
    (folder / "story.txt").write_text(TEXT)
    (folder / "notes.md").write_text("not read, but walked past")
    assert progress_line([str(folder)], capsys).startswith("100%|")


def test_stdin_shows_the_count_and_the_rate_without_a_percentage(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(article_lines(3))))
    line = progress_line(["-"], capsys)
    assert re.fullmatch(r"3 articles \[[\d:]+, [\d.?]+ articles/s\]", line), line


def test_the_position_in_a_gzipped_file_moves_while_it_is_read(tmp_path):
    """The percentage of a .gz comes from the compressed file's position (its unpacked length is not
    known before it has all been read): it moves inside the file, not only once it is done."""
    path = tmp_path / "big.jsonl.gz"
    path.write_bytes(gzip.compress(article_lines(3000, noise=120)))
    size = path.stat().st_size
    assert size > 3 * 128 * 1024  # several of gzip's reads
    for values in (raw_values, row_values):
        reading = Reading([str(path)])
        assert reading.total == size
        positions = [reading.position() for _ in values([str(path)], reading=reading)]
        assert len(positions) == 3000 and positions == sorted(positions)
        assert len({p for p in positions if 0 < p < size}) >= 3
        assert reading.position() == size  # all read once the values are


def test_files_read_whole_and_files_walked_past_count_once_they_are_done(tmp_path):
    folder = tmp_path / "desk"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT)
    (folder / "b.json").write_bytes(orjson.dumps({"id": "b", "source": "s", "text": TEXT}))
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4")
    sizes = {path.name: path.stat().st_size for path in folder.iterdir()}
    reading = Reading([str(folder)])
    assert reading.total == sum(sizes.values())
    positions = [reading.position() for _ in raw_values([str(folder)], reading=reading)]
    assert positions == [0, sizes["a.txt"]]  # each file's record comes before its file is done
    assert reading.position() == reading.total


def test_stdin_among_the_inputs_has_no_total(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(article_lines(1))
    assert Reading([str(path), "-"]).total is None
