"""A record whose encoded raw article is larger than news.raw accepts is dead-lettered on its own
(reason too_large, with its encoded size and the limit); the rest of the run is delivered."""
from __future__ import annotations

import io
import shutil

import orjson

from connectors.files import ingest_files
from connectors.sink import MemorySink, StdoutSink
from schemas.models import MAX_RAW_BYTES_DEFAULT, RawArticle
from tests.conftest import SEEDS

CTL_BYTES = 3 * 1024 * 1024  # under the 8 MiB --max-bytes; JSON writes each \x01 as \u0001 (6 bytes)


def _fixture(tmp_path):
    (tmp_path / "ctl").mkdir()
    (tmp_path / "ctl" / "ctl.txt").write_bytes(b"\x01" * CTL_BYTES)
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    return [tmp_path / "ctl", seeds], sorted(p.stem for p in seeds.glob("*.txt"))


def test_files_dead_letters_a_record_too_large_once_encoded_and_delivers_the_rest(tmp_path):
    paths, seed_ids = _fixture(tmp_path)
    sink, err = MemorySink(), io.StringIO()
    result = ingest_files(paths, sink, err=err)
    assert not result.failed
    assert sorted(r.id for r in sink.raws) == seed_ids and len(seed_ids) == 5
    assert result.delivered == 5 and result.delivered_ids == set(seed_ids)
    assert dict(result.rejected) == {"too_large": 1}
    [dead] = sink.deadletters
    assert (dead["reason"], dead["stage"], dead["id"], dead["source"]) == ("too_large", "connector", "ctl", "ctl")
    encoded = len(RawArticle(id="ctl", source="ctl", text="\x01" * CTL_BYTES).to_json())
    assert encoded > MAX_RAW_BYTES_DEFAULT
    # the detail names the file, the encoded size (within the few bytes of fetched_at/meta) and the limit
    assert "ctl.txt" in dead["detail"] and str(MAX_RAW_BYTES_DEFAULT) in dead["detail"]
    size = int(dead["detail"].split(" bytes")[0].rsplit(" ", 1)[-1])
    assert encoded < size < encoded + 200
    assert "too_large" in err.getvalue() and "ctl.txt" in err.getvalue()


def test_the_limit_is_the_sinks_and_applies_to_every_connector_that_delivers_through_it():
    sink = MemorySink(max_record_bytes=1000)
    small = RawArticle(id="a", source="s", text="short")
    big = RawArticle(id="b", source="s", text="y" * 2000, url="https://example.org/b")
    delivered = sink.deliver([small, big, RawArticle(id="c", source="s", text="also short")])
    assert delivered == 2
    assert [r.id for r in sink.raws] == ["a", "c"]
    assert [(raw.id, why.reason) for raw, why in delivered.refused] == [("b", "too_large")]
    [dead] = sink.deadletters
    assert (dead["reason"], dead["id"], dead["stage"]) == ("too_large", "b", "connector")
    assert "1000" in dead["detail"] and str(len(big.to_json())) in dead["detail"]
    assert orjson.loads(dead["payload"])["id"] == "b"  # the encoded record itself, whole at this size


def test_stdout_dry_run_refuses_the_same_record(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    sink = StdoutSink(out=out, err=err, max_record_bytes=1000)
    assert sink.deliver([RawArticle(id="a", source="s", text="ok"), RawArticle(id="b", source="s", text="z" * 2000)]) == 1
    assert [orjson.loads(line)["id"] for line in out.getvalue().splitlines()] == ["a"]
    assert '"reason":"too_large"' in err.getvalue()


def test_cli_ingest_files_exits_0_and_prints_only_the_records_that_fit(tmp_path, capsys):
    from cli.main import build_parser

    paths, seed_ids = _fixture(tmp_path)
    parser = build_parser()
    args = parser.parse_args(["ingest", "files", *map(str, paths), "--stdout", "--no-progress"])
    assert args.func(args) == 0
    out, err = capsys.readouterr()
    assert sorted(orjson.loads(line)["id"] for line in out.splitlines()) == seed_ids
    assert "5 raw articles delivered" in err and "1 rejected (too_large=1)" in err and "FAILED" not in err


def test_a_gzipped_json_lines_file_is_read_a_line_at_a_time_whatever_its_size(tmp_path):
    """It used to be read whole, and over 64 x max_bytes refused whole: a 548 MB export gave one
    too_large row. Now only a line over max_bytes is refused, on its own."""
    import gzip

    from connectors.files import read_file

    lines = [orjson.dumps({"id": f"a{i}", "source": "s", "text": f"Line {i} of the export."}) for i in range(300)]
    lines.insert(150, orjson.dumps({"id": "long", "source": "s", "text": "x" * 500}))
    path = tmp_path / "export.jsonl.gz"
    path.write_bytes(gzip.compress(b"\n".join(lines) + b"\n"))
    assert len(gzip.decompress(path.read_bytes())) > 64 * 100
    items = list(read_file(path, max_bytes=100))
    assert [item.raw.id for item in items if item.raw is not None] == [f"a{i}" for i in range(300)]
    refused = [item for item in items if item.error is not None]
    assert [(item.location, item.error.reason) for item in refused] == [(f"{path}:151", "too_large")]
