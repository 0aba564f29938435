"""A file over ``max_bytes`` is dead-lettered as what it would have been: its id and source, its first
bytes, and the size and SHA-256 of the whole file. Before, the dead letter had no id, no source and an
empty payload (`ingest files --max-bytes 1000 big.txt`), though the README says nothing is lost."""
import base64
import gzip
import hashlib
import io
import tracemalloc

from connectors.common import MAX_DEADLETTER_PAYLOAD
from connectors.files import ingest_files
from connectors.sink import MemorySink
from schemas import schema_errors

TEXT = ("The harbour closed on Monday after a storm flooded the quays and the ferries stayed in port. " * 30).encode()


def dead_letter_of(path, **options) -> dict:
    sink = MemorySink()
    err = io.StringIO()
    result = ingest_files([path], sink, err=err, **options)
    assert dict(result.rejected) == {"too_large": 1} and sink.raws == []
    assert f"{path}: too_large: more than" in err.getvalue()
    (letter,) = sink.deadletters
    assert schema_errors("deadletter", letter) == []
    return letter


def test_an_oversized_text_file_keeps_its_id_source_first_bytes_and_the_whole_files_size_and_hash(tmp_path):
    (tmp_path / "outlet").mkdir()
    path = tmp_path / "outlet" / "big.txt"
    path.write_bytes(TEXT)
    letter = dead_letter_of(path, max_bytes=1000)
    assert (letter["reason"], letter["stage"], letter["id"], letter["source"]) == ("too_large", "connector", "big", "outlet")
    assert letter["detail"] == f"{path}: more than 1000 bytes"
    assert letter["payload_encoding"] == "utf-8" and letter["payload"].encode() == TEXT[:1000]
    assert letter["payload_truncated"] is True and letter["payload_bytes"] == len(TEXT)
    assert letter["payload_sha256"] == hashlib.sha256(TEXT).hexdigest()


def test_an_oversized_gzipped_page_takes_the_source_given_and_counts_its_unpacked_bytes(tmp_path):
    """The payload is the page's text, so its size and hash are the unpacked page's, as the limit is."""
    page = b"<html><body><p>" + TEXT + b"</p></body></html>"
    path = tmp_path / "front.html.gz"
    path.write_bytes(gzip.compress(page))
    letter = dead_letter_of(path, max_bytes=2000, source="wire")
    assert (letter["id"], letter["source"]) == ("front", "wire")
    assert letter["payload"].encode() == page[:2000]
    assert (letter["payload_bytes"], letter["payload_sha256"]) == (len(page), hashlib.sha256(page).hexdigest())


def test_an_oversized_json_file_has_no_id_to_give_but_keeps_its_bytes(tmp_path):
    """The ids are inside the records, which an oversized file is not read for; --source still applies."""
    document = b"[" + b",".join(b'{"id": "a%d", "source": "s", "text": "x"}' % i for i in range(100)) + b"]"
    path = tmp_path / "batch.json"
    path.write_bytes(document)
    letter = dead_letter_of(path, max_bytes=500, source="wire")
    assert (letter["id"], letter["source"]) == (None, "wire")
    assert letter["payload"].encode() == document[:500] and letter["payload_bytes"] == len(document)


def test_the_payload_of_a_file_that_is_no_text_is_base64_of_its_first_bytes(tmp_path):
    data = bytes(range(256)) * 20
    path = tmp_path / "blob.txt"
    path.write_bytes(data)
    letter = dead_letter_of(path, max_bytes=1000)
    assert letter["payload_encoding"] == "base64" and base64.b64decode(letter["payload"]) == data[:1000]
    assert letter["payload_bytes"] == len(data) and letter["payload_sha256"] == hashlib.sha256(data).hexdigest()


def test_the_payload_is_cut_to_what_a_dead_letter_holds_when_the_limit_is_larger(tmp_path):
    data = TEXT * (MAX_DEADLETTER_PAYLOAD // len(TEXT) + 10)
    path = tmp_path / "long.txt"
    path.write_bytes(data)
    letter = dead_letter_of(path, max_bytes=MAX_DEADLETTER_PAYLOAD + len(TEXT))
    assert letter["payload"].encode() == data[:MAX_DEADLETTER_PAYLOAD]
    assert letter["payload_truncated"] is True and letter["payload_bytes"] == len(data)


def test_a_huge_file_is_hashed_as_it_is_read_not_held_whole(tmp_path):
    path = tmp_path / "huge.txt"
    size = 64 << 20
    with path.open("wb") as out:  # sparse: 64 MiB of NUL bytes
        out.truncate(size)
    tracemalloc.start()
    try:
        letter = dead_letter_of(path, max_bytes=1000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20
    assert letter["payload_bytes"] == size
    assert letter["payload_sha256"] == hashlib.sha256(bytes(size)).hexdigest()


def test_a_text_cut_in_a_character_keeps_the_payload_as_text(tmp_path):
    """The payload ends before a character the limit cuts in two, rather than becoming base64."""
    data = "Überschwemmung im Hafen: die Fähren blieben liegen. ".encode() * 40
    path = tmp_path / "de.txt"
    path.write_bytes(data)
    letter = dead_letter_of(path, max_bytes=1001)
    assert letter["payload_encoding"] == "utf-8" and data.startswith(letter["payload"].encode())
    assert 996 < len(letter["payload"].encode()) <= 1001 and letter["payload_bytes"] == len(data)


def test_an_oversized_utf16_json_lines_file_keeps_its_first_bytes(tmp_path):
    """Such a file is decoded whole, so it has a limit of its own (64 x max_bytes): over it, the same dead letter."""
    data = "\ufeff".encode("utf-16-le") + ('{"id": "a", "source": "s", "text": "x"}\n' * 200).encode("utf-16-le")
    path = tmp_path / "wide.jsonl"
    path.write_bytes(data)
    letter = dead_letter_of(path, max_bytes=100)
    assert letter["detail"] == f"{path}: more than 6400 bytes"
    assert letter["payload_encoding"] == "base64" and base64.b64decode(letter["payload"]) == data[:6400]
    assert letter["payload_bytes"] == len(data) and letter["payload_sha256"] == hashlib.sha256(data).hexdigest()


def test_an_endless_json_line_keeps_its_first_bytes_and_the_whole_lines_size_and_hash(tmp_path):
    """The line is read past a megabyte at a time, and hashed on the way: before, its dead letter held
    its first bytes with nothing to say that they were not the whole line."""
    line = b'{"id": "long", "source": "s", "text": "' + b"x" * (3 << 20) + b'"}'
    good = b'{"id": "ok", "source": "s", "text": "The ferry sailed."}'
    path = tmp_path / "dump.jsonl"
    path.write_bytes(line + b"\n" + good + b"\n")
    sink = MemorySink()
    result = ingest_files([path], sink, max_bytes=1 << 20, err=io.StringIO())
    assert dict(result.rejected) == {"too_large": 1} and [raw.id for raw in sink.raws] == ["ok"]
    (letter,) = sink.deadletters
    assert schema_errors("deadletter", letter) == []
    assert letter["detail"] == f"{path}:1: {len(line)} bytes is over {1 << 20}"
    assert letter["payload"].encode() == line[:MAX_DEADLETTER_PAYLOAD]
    assert letter["payload_truncated"] is True and letter["payload_bytes"] == len(line)
    assert letter["payload_sha256"] == hashlib.sha256(line).hexdigest()


def test_a_payload_cut_to_fit_a_dead_letter_says_so_with_the_whole_size_and_hash():
    """connector_deadletter cut a payload over 256 KiB and said so only in its detail."""
    from connectors.common import connector_deadletter

    for payload in (b"\xff" * (MAX_DEADLETTER_PAYLOAD + 10), "é" * (MAX_DEADLETTER_PAYLOAD + 10)):  # bytes; text
        whole = payload.encode() if isinstance(payload, str) else payload
        letter = connector_deadletter(payload, "invalid_json", "not JSON", location="stdin:1")
        assert schema_errors("deadletter", letter) == []
        assert letter["payload_truncated"] is True and letter["detail"].endswith(f"(payload cut at {MAX_DEADLETTER_PAYLOAD} bytes)")
        assert letter["payload_bytes"] == len(whole) and letter["payload_sha256"] == hashlib.sha256(whole).hexdigest()
    small = connector_deadletter(b"{not json", "invalid_json", "not JSON")
    assert "payload_truncated" not in small and small["payload"] == "{not json"
