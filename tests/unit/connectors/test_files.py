from __future__ import annotations

import codecs
import gzip
import io
import json

import orjson

from connectors.files import ingest_files
from connectors.sink import MemorySink, DeliveryError
from schemas import schema_errors


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


def test_text_html_json_jsonl_in_sorted_order(tmp_path):
    _write(tmp_path, "outlet/b.txt", "Second text")
    _write(tmp_path, "outlet/a.txt", "First text")
    _write(tmp_path, "pages/p1.html", "<html><body><p>Page</p></body></html>")
    _write(tmp_path, "pages/p2.htm.gz", gzip.compress(b"<p>zipped</p>"))
    _write(tmp_path, "batch.json", json.dumps([{"id": "j1", "source": "s", "text": "x"},
                                               {"id": "j2", "source": "s", "html": "<p>y</p>"}]))
    _write(tmp_path, "one.json", json.dumps({"id": "j3", "source": "s", "text": "z"}))
    _write(tmp_path, "lines.jsonl", '{"id": "l1", "source": "s", "text": "1"}\n\n{"id": "l2", "source": "s", "text": "2"}\n')
    _write(tmp_path, "notes.md", "ignored in a folder")
    sink = MemorySink()
    result = ingest_files([tmp_path], sink, err=io.StringIO())
    ids = [r.id for r in sink.raws]
    assert ids == ["j1", "j2", "l1", "l2", "j3", "a", "b", "p1", "p2"]
    by_id = {r.id: r for r in sink.raws}
    assert by_id["a"].source == "outlet" and by_id["a"].text == "First text" and by_id["a"].html is None
    assert by_id["p1"].source == "pages" and by_id["p1"].html.startswith("<html>")
    assert by_id["p2"].html == "<p>zipped</p>"
    assert result.delivered == 9 and result.rejected_total == 0 and result.skipped == 1 and not result.failed


def test_source_option_and_text_file_named_explicitly(tmp_path):
    path = _write(tmp_path, "dir/000_abc.txt", "Body")
    sink = MemorySink()
    ingest_files([path], sink, source="seeds", err=io.StringIO())
    assert [(r.id, r.source, r.text) for r in sink.raws] == [("000_abc", "seeds", "Body")]


def test_invalid_records_are_reported_with_location_and_dead_lettered(tmp_path):
    _write(tmp_path, "bad.jsonl", '{"id": "ok", "source": "s", "text": "fine"}\n'
                                  '{"id": "both", "source": "s", "text": "t", "html": "h"}\n'
                                  'not json\n'
                                  '{"id": "", "source": "s", "text": "t"}\n')
    _write(tmp_path, "empty.txt", "   \n")
    _write(tmp_path, "latin.txt", b"caf\xe9")
    err = io.StringIO()
    sink = MemorySink()
    result = ingest_files([tmp_path], sink, err=err)
    assert [r.id for r in sink.raws] == ["ok"]
    lines = err.getvalue().splitlines()
    assert any(line.startswith(f"{tmp_path}/bad.jsonl:2: schema:") and "both" in line for line in lines)
    assert any(line.startswith(f"{tmp_path}/bad.jsonl:3: invalid_json:") for line in lines)
    assert any(line.startswith(f"{tmp_path}/bad.jsonl:4: schema:") for line in lines)
    assert any(line.startswith(f"{tmp_path}/empty.txt: empty:") for line in lines)
    assert any(line.startswith(f"{tmp_path}/latin.txt: encoding:") for line in lines)
    assert result.rejected == {"schema": 2, "invalid_json": 1, "empty": 1, "encoding": 1}
    assert len(sink.deadletters) == 5
    for record in sink.deadletters:
        assert record["stage"] == "connector"
        assert schema_errors("deadletter", record) == []
    reasons = sorted(d["reason"] for d in sink.deadletters)
    assert reasons == ["empty", "encoding", "invalid_json", "schema", "schema"]
    both = next(d for d in sink.deadletters if d["id"] == "both")
    assert "bad.jsonl:2" in both["detail"] and orjson.loads(both["payload"])["id"] == "both"


def test_delivery_failure_is_reported(tmp_path):
    _write(tmp_path, "a.txt", "x")

    class Failing(MemorySink):
        def deliver(self, raws, *, deadline=None):
            raise DeliveryError("broker down", list(raws))

    result = ingest_files([tmp_path], Failing(), err=io.StringIO())
    assert result.failed and result.delivered == 0


def test_cli_files_stdout_and_exit_codes(tmp_path, capsys, monkeypatch):
    from cli.main import build_parser

    _write(tmp_path, "s/a.txt", "hello")
    _write(tmp_path, "s/b.jsonl", '{"id": 1}\n')
    parser = build_parser()
    args = parser.parse_args(["ingest", "files", str(tmp_path), "--stdout"])
    assert args.func(args) == 0
    out, err = capsys.readouterr()
    records = [orjson.loads(line) for line in out.splitlines()]
    assert [(r["id"], r["source"], r["text"]) for r in records] == [("a", "s", "hello")]
    assert "b.jsonl:1: schema" in err and "1 rejected" in err
    args = parser.parse_args(["ingest", "files", str(tmp_path / "s" / "b.jsonl"), "--stdout", "--rows"])
    assert args.func(args) == 0
    out, err = capsys.readouterr()
    assert [(r["id"], r["source"], r["text"]) for r in map(orjson.loads, out.splitlines())] == [("1", "row:1", "")]

    monkeypatch.setattr("connectors.sink.StdoutSink.deliver",
                        lambda self, raws, deadline=None: (_ for _ in ()).throw(DeliveryError("down")))
    args = parser.parse_args(["ingest", "files", str(tmp_path), "--stdout"])
    assert args.func(args) == 1


def test_progress_counts_every_settled_record(tmp_path):
    """A long `ingest files` shows progress: each delivered batch reports its records and dead letters."""
    lines = [orjson.dumps({"id": f"r{i}", "source": "s", "text": f"text {i}"}).decode() for i in range(1203)]
    _write(tmp_path, "bulk.jsonl", "\n".join(lines + ['{"id": "bad"}']) + "\n")
    counts: list[int] = []
    result = ingest_files([tmp_path], MemorySink(), batch_size=500, err=io.StringIO(), progress=counts.append)
    assert result.delivered == 1203 and sum(result.rejected.values()) == 1
    assert counts[:2] == [500, 500] and sum(counts) == 1204


def test_rows_of_a_dataset_are_ingested_under_their_own_field_names(tmp_path):
    """--rows: a dataset's JSON lines and JSON list become raw articles; labels are left out, the
    --source default fills in only where a row names no source of its own, a broken line is still
    dead-lettered with its location."""
    _write(tmp_path, "set.jsonl", '{"article_id": "a1", "maintext": "Quake hits coast.", "story_id": "q"}\n'
                                  '{"doc_id": "a2", "body": "Quake aftermath.", "source_domain": "example.org"}\n'
                                  'not json\n'
                                  '{"maintext": "A row with no id."}\n')
    _write(tmp_path, "more.json", json.dumps([{"id": "a3", "headline": "Q", "content": "x",
                                               "link": "https://news.example.net/q"}]))
    err = io.StringIO()
    sink = MemorySink()
    result = ingest_files([tmp_path], sink, source="dataset", err=err, rows=True)
    assert [(r.id, r.source, r.text) for r in sink.raws] == [
        ("a3", "dataset", "x"), ("a1", "dataset", "Quake hits coast."), ("a2", "example.org", "Quake aftermath."),
        ("set.jsonl:4", "dataset", "A row with no id.")]
    assert sink.raws[0].title == "Q" and sink.raws[0].url == "https://news.example.net/q"
    assert result.rejected == {"invalid_json": 1} and "set.jsonl:3: invalid_json" in err.getvalue()
    plain = MemorySink()
    ingest_files([tmp_path / "set.jsonl"], plain, source="dataset", err=io.StringIO())
    assert plain.raws == []  # without --rows the same rows are not raw articles


def test_a_row_whose_url_is_no_url_is_rejected_alone(tmp_path):
    """urlsplit raised ValueError ("Invalid IPv6 URL") on the row's url and ended the whole run."""
    _write(tmp_path, "set.jsonl", '{"id": "r1", "text": "First."}\n'
                                  '{"id": "r2", "text": "Second.", "url": "http://[oops/a"}\n'
                                  '{"id": "r3", "text": "Third.", "url": "https://news.example/3"}\n')
    err = io.StringIO()
    sink = MemorySink()
    result = ingest_files([tmp_path], sink, err=err, rows=True)
    assert [(r.id, r.source) for r in sink.raws] == [("r1", "row:r1"), ("r3", "news.example")]
    assert result.rejected == {"schema": 1}
    assert f"{tmp_path}/set.jsonl:2: schema: url: 'http://[oops/a' is not a URL" in err.getvalue()
    [letter] = sink.deadletters
    assert letter["reason"] == "schema" and letter["id"] == "r2"


def test_the_ids_delivered_are_recorded_once_each(tmp_path):
    """`newsflow demo` waits on these: two messages under one id are one outcome of the worker."""
    _write(tmp_path, "dup.jsonl", '{"id": "d1", "source": "s", "text": "rates"}\n'
                                  '{"id": "d1", "source": "s", "text": "volcano"}\n'
                                  '{"id": "d2", "source": "s", "text": "rates"}\n{"source": "s", "text": "no id"}\n')
    result = ingest_files([tmp_path], MemorySink(), err=io.StringIO())
    assert result.delivered == 3 and result.delivered_ids == {"d1", "d2"}


def test_json_and_jsonl_files_that_start_with_a_bom_lose_no_record(tmp_path):
    """As .txt files already did: before, the first record of each was rejected as invalid_json."""
    bom = b"\xef\xbb\xbf"
    _write(tmp_path, "one.json", bom + b'{"id": "j1", "source": "s", "text": "x"}')
    _write(tmp_path, "lines.jsonl", bom + b'{"id": "l1", "source": "s", "text": "1"}\r\n{"id": "l2", "source": "s", "text": "2"}\r\n')
    sink = MemorySink()
    result = ingest_files([tmp_path], sink, err=io.StringIO())
    assert [r.id for r in sink.raws] == ["l1", "l2", "j1"] and result.rejected_total == 0


def test_text_and_json_files_with_a_utf16_or_utf32_bom_are_read_as_their_bom_says(tmp_path):
    """Before, a .txt in UTF-16 was 'encoding: not UTF-8 text (invalid start byte at byte 0)', and a
    UTF-16 .jsonl gave its records plus a stray invalid_json row (a NUL left after the last newline)."""
    text = "Überschwemmung in Köln: the Rhine rose 3 m overnight — 1,200 people left their homes."
    _write(tmp_path, "le.txt", text.encode("utf-16"))  # Python's utf-16 writes a BOM, little-endian here
    _write(tmp_path, "be.txt", codecs.BOM_UTF16_BE + text.encode("utf-16-be"))
    _write(tmp_path, "wide.txt", text.encode("utf-32"))
    _write(tmp_path, "one.json", json.dumps({"id": "j1", "source": "s", "text": text}, ensure_ascii=False).encode("utf-16"))
    lines = "".join(json.dumps({"id": f"l{n}", "source": "s", "text": text}, ensure_ascii=False) + "\r\n" for n in (1, 2))
    _write(tmp_path, "lines.jsonl", lines.encode("utf-16"))
    sink = MemorySink()
    err = io.StringIO()
    result = ingest_files([tmp_path], sink, err=err)
    assert result.rejected_total == 0, err.getvalue()
    assert [r.id for r in sink.raws] == ["be", "le", "l1", "l2", "j1", "wide"]
    assert all(r.text == text for r in sink.raws)


def test_undecodable_bytes_after_a_bom_or_without_one_are_still_an_encoding_error(tmp_path):
    _write(tmp_path, "latin.txt", "Café".encode("latin-1"))
    _write(tmp_path, "odd.txt", codecs.BOM_UTF16_LE + b"\x00\xd8a")  # a lone surrogate, then half a unit
    _write(tmp_path, "odd.jsonl", codecs.BOM_UTF16_LE + b"{\x00\x00\xd8")
    err = io.StringIO()
    result = ingest_files([tmp_path], MemorySink(), err=err)
    assert result.rejected == {"encoding": 3}
    out = sorted(err.getvalue().splitlines())
    assert out[0].startswith(f"{tmp_path}/latin.txt: encoding: not UTF-8 text (")
    assert out[1].startswith(f"{tmp_path}/odd.jsonl: encoding: not UTF-16 text (")
    assert out[2].startswith(f"{tmp_path}/odd.txt: encoding: not UTF-16 text (")
