"""``newsflow ingest files PATH...``: local files and folders to news.raw.

* ``.txt``           scraped text: id = file name without extension, text = the whole file
* ``.html``/``.htm`` a page: id = file name without extension, html = the whole file
* ``.json``          one raw-article object, or a list of them
* ``.jsonl``         one raw-article object per line (so is a ``.json`` that holds JSON lines)
* any of these with ``.gz`` appended is read through gzip
* with ``rows=True`` (``--rows``), each JSON object is a row exported from elsewhere, under its own
  field names (connectors.rows), instead of a raw article; ``.csv``/``.tsv`` files of rows are read
  too, and a JSON object that wraps a list of rows (NewsAPI's ``articles``) stands for its rows

Folders are walked recursively in sorted order. The source of a text/html file is ``--source``
or the name of its parent folder. Invalid records are reported as ``file:line: reason: detail``
on stderr and sent to news.deadletter (stage "connector"); they do not fail the run. So is a record
whose raw article, encoded as JSON, is larger than news.raw takes (``too_large``: the sink's
``max_record_bytes``, NEWSFLOW_MAX_RAW_BYTES), though its file is under ``max_bytes``: JSON writes a
control character in 6 bytes. The run fails (non-zero) only when delivery to Kafka could not be
confirmed.
"""
from __future__ import annotations

import codecs
import dataclasses
import gzip
import hashlib
import logging
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterator, TextIO

import orjson

from schemas.models import MAX_RAW_BYTES_DEFAULT, RawArticle, Rejected, utcnow_iso

from .charset import decode_html, decode_text, text_encoding
from .common import MAX_DEADLETTER_PAYLOAD, connector_deadletter, cut_payload
from .rows import ROW_FIELDS, SOURCE_FIELDS, NoRows, first, raw_article_of_row, row_fallback_id, rows_of_document
from .sink import DeliveryError, _BaseSink

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES
TABLE_SUFFIXES = {".csv", ".tsv"}  # rows only: a table holds no raw articles
# a file of many records (JSON, a table, UTF-16 JSON lines) is read whole, up to this many times max_bytes
RECORDS_FILE_FACTOR = 64


@dataclasses.dataclass
class Item:
    """One record read from a file: a raw article, or the reason it is not one."""
    location: str
    raw: RawArticle | None = None
    error: Rejected | None = None
    payload: bytes | str | None = None
    article_id: str | None = None
    source: str | None = None
    # set when ``payload`` is only the first bytes of a file too large to read: the whole file's size and SHA-256
    payload_bytes: int | None = None
    payload_sha256: str | None = None


class FileTooLarge(Rejected):
    """A file over the size limit, with what its dead letter needs so that nothing is lost: its first
    bytes, and the whole file's size and SHA-256 (of its unpacked bytes when gzipped, as the limit is)."""

    def __init__(self, limit: int, head: bytes, size: int, sha256: str) -> None:
        super().__init__("too_large", f"more than {limit} bytes", stage="connector")
        self.head, self.size, self.sha256 = head, size, sha256


@dataclasses.dataclass
class FilesResult:
    files: int = 0
    delivered: int = 0
    delivered_ids: set[str] = dataclasses.field(default_factory=set)  # what a caller waits on (a repeat counts once)
    rejected: Counter = dataclasses.field(default_factory=Counter)
    skipped: int = 0
    failed: bool = False

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())


def supported(path: Path, rows: bool = False) -> bool:
    """Whether ``path`` is a kind of file the reader takes (a folder walk skips the others)."""
    return _kind(path)[0] in _suffixes(rows)


def _suffixes(rows: bool) -> set[str]:
    return SUPPORTED | TABLE_SUFFIXES if rows else SUPPORTED


def holds_records(path: Path) -> bool:
    """Whether ``path`` holds raw-article records (JSON), as against a page or a text that is one."""
    return _kind(path)[0] in JSON_SUFFIXES | JSONL_SUFFIXES


def _kind(path: Path) -> tuple[str, bool]:
    """(suffix that decides the format, gzipped?)"""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz" and len(suffixes) >= 2:
        return suffixes[-2], True
    return (suffixes[-1] if suffixes else ""), False


def _stem(path: Path, gz: bool) -> str:
    name = path.name
    if gz:
        name = name[: -len(".gz")]
    return name.rsplit(".", 1)[0] if "." in name else name


def walk(paths: list[str | Path]) -> Iterator[tuple[Path, bool]]:
    """Every file under ``paths`` (recursively, sorted). Yields (path, named_explicitly)."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield child, False
        else:
            yield path, True


def _read(path: Path, gz: bool, max_bytes: int) -> bytes:
    with (gzip.open(path, "rb") if gz else open(path, "rb")) as handle:
        data = handle.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise _too_large(data, handle, max_bytes)
    return data


def _too_large(head: bytes, rest, limit: int) -> FileTooLarge:
    """The rejection of a file whose first ``head`` bytes are over ``limit``: the rest is read a
    megabyte at a time for its size and hash, so that a huge file is never held whole."""
    digest, size = hashlib.sha256(head), len(head)
    while chunk := rest.read(1 << 20):
        digest.update(chunk)
        size += len(chunk)
    return FileTooLarge(limit, cut_payload(head, min(limit, MAX_DEADLETTER_PAYLOAD)), size, digest.hexdigest())


def _rejected_file(location: str, error: Rejected, article_id: str | None = None,
                   source: str | None = None) -> Item:
    """The Item of a file rejected whole; one too large keeps its first bytes and the whole file's
    size and hash for its dead letter."""
    if not isinstance(error, FileTooLarge):
        return Item(location, error=error, article_id=article_id, source=source)
    return Item(location, error=error, payload=error.head, article_id=article_id, source=source,
                payload_bytes=error.size, payload_sha256=error.sha256)


def _page_identity(path: Path, gz: bool, source: str | None) -> tuple[str, str]:
    """The id and source of a text or page file's raw article: its name, and ``source`` or its folder's name."""
    return _stem(path, gz), source or path.resolve().parent.name or "files"


def _decode_text(data: bytes) -> str:
    """Text as its byte-order mark says (UTF-8, UTF-16, UTF-32), else UTF-8; the mark is not kept."""
    try:
        return decode_text(data)
    except UnicodeDecodeError as exc:
        codec = {"utf-8": "UTF-8"}.get(exc.encoding, exc.encoding.upper().removesuffix("-LE").removesuffix("-BE"))
        raise Rejected("encoding", f"not {codec} text ({exc.reason} at byte {exc.start})",
                       stage="connector") from None


def _utf8_records(data: bytes) -> bytes:
    """JSON records as UTF-8 bytes without a BOM: a UTF-16/32 file (with its BOM) is decoded whole
    first, so that its lines split where its text does (no stray NUL bytes)."""
    name, skip = text_encoding(data[:4])
    if name == "utf-8":
        return data[skip:]  # as for .txt: a BOM is not part of the first record; bad bytes are the record's
    return _decode_text(data).encode("utf-8")


def no_articles_in_lines() -> Rejected:
    """An empty or blank JSON lines file of raw articles: said, not passed over as nothing to do."""
    return Rejected("empty", "the JSON lines hold no articles: the file is empty or blank", stage="connector")


def no_rows_in_lines() -> Rejected:
    """A JSON lines input read with ``rows`` that holds not one row: the input's own problem, said."""
    return Rejected("empty", "the JSON lines hold no rows: the input is empty or blank", stage="connector")


def _not_utf8_file(data: bytes) -> Rejected | None:
    """Why a file's bytes are no UTF-8 text (``encoding``, naming the byte, as for a .csv), else None:
    said so, rather than in the words of the JSON parser that met them ("str is not valid UTF-8")."""
    try:
        _decode_text(data)
    except Rejected as exc:
        return exc
    return None


def not_utf8(line: bytes, lineno: int) -> Rejected | None:
    """Why a line of JSON lines is no UTF-8 text, naming the line and the byte; None when it is."""
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Rejected("encoding", f"not UTF-8 text ({exc.reason} at byte {exc.start} of line {lineno})",
                        stage="connector")
    return None


def line_items(line: bytes, lineno: int, path: Path | str, *, source: str | None = None,
               max_bytes: int = MAX_RAW_BYTES_DEFAULT, rows: bool = False) -> Iterator[Item]:
    """The record on one line of a JSON lines file (``path`` "stdin" for standard input): a broken
    line is rejected on its own, and the lines after it are read all the same. With ``rows``, a line
    that is no row but an API's answer (NewsAPI's ``{"status", "articles": [...]}``, as `curl ... |`
    gives it, or saved page after page) stands for its rows, ``file:3[0]`` ..., as a .json file's do."""
    where = f"{path}:{lineno}"
    if len(line) > max_bytes:
        yield Item(where, error=Rejected("too_large", f"{len(line)} bytes is over {max_bytes}", stage="connector"),
                   payload=line)
        return
    try:
        document = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        error = not_utf8(line, lineno) or Rejected("invalid_json", str(exc), stage="connector")
        yield Item(where, error=error, payload=line)
        return
    if rows and _wrapper(document):
        yield from _wrapped_rows(document, line, path, lineno, source)
        return
    yield _from_document(document, where, line, source, rows, row_fallback_id(path, line=lineno))


def _wrapper(document: Any) -> bool:
    """Whether a JSON line is an object that wraps a list of rows rather than being a row itself."""
    return (isinstance(document, dict) and first(document, ROW_FIELDS) is None
            and any(isinstance(value, list) for value in document.values()))


def _wrapped_rows(document: dict, line: bytes, path: Path | str, lineno: int, source: str | None) -> Iterator[Item]:
    """The rows of a JSON line that wraps them, or its rejection (``empty``) saying what it holds
    instead (an API's error answer, an empty ``articles``)."""
    where = f"{path}:{lineno}"
    try:
        found = rows_of_document(document)
    except NoRows as exc:
        yield Item(where, error=Rejected("empty", f"the line holds no row: {exc}", stage="connector"), payload=line)
        return
    for index, row in enumerate(found):
        yield _from_document(row, f"{where}[{index}]", orjson.dumps(row), source, True,
                             row_fallback_id(path, line=lineno, index=index))


def _from_document(document: Any, location: str, payload: bytes, default_source: str | None,
                   rows: bool = False, fallback_id: str = "") -> Item:
    if rows and isinstance(document, dict):
        if default_source and first(document, SOURCE_FIELDS) is None:
            document = {**document, "source": default_source}
        try:
            document = raw_article_of_row(document, fallback_id)
        except Rejected as exc:  # a value no raw article can carry: this row alone is rejected
            return Item(location, error=exc, payload=payload, article_id=exc.article_id, source=exc.source)
    elif isinstance(document, dict) and default_source and "source" not in document:
        document = {**document, "source": default_source}
    article_id = document.get("id") if isinstance(document, dict) and isinstance(document.get("id"), str) else None
    source = document.get("source") if isinstance(document, dict) and isinstance(document.get("source"), str) else None
    try:
        raw = RawArticle.from_dict(document)
    except Rejected as exc:
        return Item(location, error=Rejected(exc.reason, exc.detail, stage="connector"), payload=payload,
                    article_id=article_id, source=source)
    except TypeError as exc:  # an unexpected field name slipped past the schema
        return Item(location, error=Rejected("schema", str(exc), stage="connector"), payload=payload,
                    article_id=article_id, source=source)
    return Item(location, raw=raw, payload=payload)  # the payload, for a dead letter if the sink cannot take it


def read_file(path: Path, *, source: str | None = None, max_bytes: int = MAX_RAW_BYTES_DEFAULT,
              explicit: bool = True, rows: bool = False) -> Iterator[Item]:
    """The records in one file, in order; unsupported files yield nothing (or an error if named)."""
    suffix, gz = _kind(path)
    location = str(path)
    if suffix not in _suffixes(rows):
        if explicit:
            yield Item(location, error=Rejected("unsupported_file", f"unsupported file type {suffix or '(none)'!r};"
                                                 f" expected one of {', '.join(sorted(_suffixes(rows)))}",
                                                 stage="connector"))
        return
    if suffix in JSONL_SUFFIXES:
        yield from _jsonl_items(path, gz, source, max_bytes, rows)
        return
    many_records = rows and suffix in JSON_SUFFIXES | TABLE_SUFFIXES
    one_article = suffix in TEXT_SUFFIXES or suffix in HTML_SUFFIXES
    try:
        data = _read(path, gz, max_bytes * (RECORDS_FILE_FACTOR if many_records else 1))
    except Rejected as exc:  # too large: with the id and source it would have had, when the file is one article
        yield _rejected_file(location, exc, *(_page_identity(path, gz, source) if one_article else ()))
        return
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield Item(location, error=Rejected("unreadable", str(exc), stage="connector"))
        return

    if one_article:
        article_id, src = _page_identity(path, gz, source)
        try:
            if suffix in TEXT_SUFFIXES:
                body = _decode_text(data)
                if not body.strip():
                    raise Rejected("empty", "the file holds no text", stage="connector")
                fields = {"text": body}
            else:
                body = decode_html(data)
                if not body.strip():
                    raise Rejected("empty", "the file holds no HTML", stage="connector")
                fields = {"html": body}
            document = {"id": article_id, "source": src, **fields, "fetched_at": utcnow_iso(),
                        "meta": {"connector": "files", "file": path.name}}
        except Rejected as exc:
            yield Item(location, error=exc, payload=data, article_id=article_id, source=src)
            return
        yield _from_document(document, location, data, None)
        return

    if suffix in TABLE_SUFFIXES:
        yield from _table_items(path, data, source)
        return
    yield from _json_items(path, data, source, max_bytes, rows, one_document=suffix in JSON_SUFFIXES)


def stream_kind(head: bytes, rows: bool = False) -> str:
    """How to read a stream (stdin, a pipe), whose name gives no kind, from ``head``, as much of its
    start as could be peeked: "lines" (JSON lines, read a line at a time: the first line is an object,
    or is longer than ``head``; an empty stream too), "document" (one JSON document, read whole: a list,
    a pretty-printed object) or, with ``rows``, "table" (CSV/TSV, read whole: its first line is no JSON)."""
    if text_encoding(head[:4])[0] != "utf-8":
        return "lines"  # UTF-16/32 text, decoded whole before it is split into lines
    head = head.removeprefix(codecs.BOM_UTF8).lstrip()
    if head[:1] == b"[":
        return "document"
    if head[:1] != b"{":
        return "table" if rows and head else "lines"
    line, newline, _ = head.partition(b"\n")
    try:
        return "lines" if not newline or isinstance(orjson.loads(line), dict) else "document"
    except orjson.JSONDecodeError:
        return "document"


def stream_items(name: str, data: bytes, kind: str, *, rows: bool = False,
                 max_bytes: int = MAX_RAW_BYTES_DEFAULT) -> Iterator[Item]:
    """The records of a stream read whole, a "document" or a "table" (``stream_kind``), as the records
    of a .json or .csv file holding them. ``name`` stands for the file's name in locations and in the
    ids of rows without one (``stdin[0]``, ``stdin:2``)."""
    if kind == "table":
        yield from _table_items(Path(name), data, None)
    else:
        yield from _json_items(Path(name), data, None, max_bytes, rows, one_document=True)


def _json_items(path: Path, data: bytes, source: str | None, max_bytes: int, rows: bool,
                one_document: bool) -> Iterator[Item]:
    """The records of a JSON file's bytes: with ``one_document`` one JSON document (JSON lines saved as
    such are read as JSON lines), else JSON lines."""
    location = str(path)
    try:
        data = _utf8_records(data)
    except Rejected as exc:
        yield Item(location, error=exc, payload=data)
        return
    if one_document:
        if not data.strip():  # "invalid_json" would send its author looking for a syntax error
            yield Item(location, error=Rejected("empty", f"the JSON file holds no {'rows' if rows else 'articles'}:"
                                                " it is empty or blank", stage="connector"), payload=data)
            return
        try:
            document = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            if not _json_lines(data):
                error = _not_utf8_file(data) or Rejected("invalid_json", str(exc), stage="connector")
                yield Item(location, error=error, payload=data)
                return
        else:
            yield from _document_items(path, document, data, source, rows)
            return

    # .jsonl, or JSON lines saved as .json
    for lineno, line in enumerate(data.split(b"\n"), start=1):
        if line.strip():
            yield from line_items(line, lineno, path, source=source, max_bytes=max_bytes, rows=rows)


def _jsonl_items(path: Path, gz: bool, source: str | None, max_bytes: int, rows: bool) -> Iterator[Item]:
    """The records of a JSON lines file, or its rejection as ``empty`` when it holds none."""
    empty = True
    for item in _jsonl_file_items(path, gz, source, max_bytes, rows):
        empty = False
        yield item
    if empty:
        yield Item(str(path), error=no_rows_in_lines() if rows else no_articles_in_lines())


def _jsonl_file_items(path: Path, gz: bool, source: str | None, max_bytes: int, rows: bool) -> Iterator[Item]:
    """The records of a JSON lines file, gzipped or not, read a line at a time: memory stays flat
    however large the file (a 548 MB export was refused whole), and a line over ``max_bytes`` is
    rejected on its own without being held. A UTF-16/32 file (with its BOM) is decoded whole first,
    as before, within the old bound of 64 x max_bytes."""
    location = str(path)
    try:
        with gzip.open(path, "rb") if gz else open(path, "rb") as handle:
            codec, skip = text_encoding(handle.peek(4)[:4])
            if codec != "utf-8":
                data = _utf8_records(_read(path, gz, max_bytes * RECORDS_FILE_FACTOR))
                for lineno, line in enumerate(data.split(b"\n"), start=1):
                    if line.strip():
                        yield from line_items(line, lineno, path, source=source, max_bytes=max_bytes, rows=rows)
                return
            handle.read(skip)
            lineno = 0
            while line := handle.readline(max_bytes + 1):
                lineno += 1
                if len(line) > max_bytes and not line.endswith(b"\n"):
                    digest = hashlib.sha256(line)
                    size = len(line) + skip_line(handle, digest)
                    yield Item(f"{path}:{lineno}", error=Rejected("too_large", f"{size} bytes is over {max_bytes}",
                                                                   stage="connector"),
                               payload=cut_payload(line, min(max_bytes, MAX_DEADLETTER_PAYLOAD)),
                               payload_bytes=size, payload_sha256=digest.hexdigest())
                elif line.strip():
                    yield from line_items(line.rstrip(b"\r\n"), lineno, path, source=source, max_bytes=max_bytes,
                                          rows=rows)
    except Rejected as exc:
        yield _rejected_file(location, exc)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield Item(location, error=Rejected("unreadable", str(exc), stage="connector"))


def skip_line(handle, digest=None) -> int:
    """Read past the rest of the current line a megabyte at a time; returns how many bytes it held,
    its line break left out, and feeds them to ``digest`` (a hashlib object) when one is given."""
    skipped = 0
    while chunk := handle.readline(1 << 20):
        ended = chunk.endswith(b"\n")
        chunk = chunk[:-1] if ended else chunk
        skipped += len(chunk)
        if digest is not None:
            digest.update(chunk)
        if ended:
            break
    return skipped


def _json_lines(data: bytes) -> bool:
    """Whether a .json file that is no one JSON document is JSON lines: its first line is an object."""
    head = data.lstrip().split(b"\n", 1)[0]
    try:
        return isinstance(orjson.loads(head), dict)
    except orjson.JSONDecodeError:
        return False


def _document_items(path: Path, document: Any, data: bytes, source: str | None, rows: bool) -> Iterator[Item]:
    """The records of one JSON document: an object, a list of them, or (rows) what connectors.rows
    reads as rows, a wrapper's list or an object keyed by id included."""
    location = str(path)
    if rows:
        try:
            found = rows_of_document(document)
        except NoRows as exc:
            yield Item(location, error=Rejected("empty", f"the JSON file holds no rows: {exc}", stage="connector"),
                       payload=data)
            return
        if isinstance(document, dict) and found[0] is not document:  # a wrapper's rows, or rows keyed by id
            document = found
    if isinstance(document, list):
        for index, element in enumerate(document):
            yield _from_document(element, f"{location}[{index}]", orjson.dumps(element), source, rows,
                                 row_fallback_id(path, index=index))
    else:
        yield _from_document(document, location, data, source, rows, row_fallback_id(path))


def _table_items(path: Path, data: bytes, source: str | None) -> Iterator[Item]:
    """The rows of a CSV/TSV file: one that is no text is rejected whole (``encoding``), a row that
    cannot be read whole on its own (``invalid_csv``, at the line it starts on)."""
    from pipeline.clustering.evaluation import table_rows

    try:
        text = _decode_text(data)
    except Rejected as exc:
        yield Item(str(path), error=exc, payload=data)
        return
    delimiter = "\t" if _kind(path)[0] == ".tsv" else ","
    table = table_rows(text, delimiter)
    if not table:
        yield Item(str(path), error=Rejected("empty", "the table holds no rows under its header", stage="connector"),
                   payload=data)
    for line, row in table:
        where = f"{path}:{line}"
        if isinstance(row, ValueError):
            yield Item(where, error=Rejected("invalid_csv", str(row), stage="connector"))
        else:
            yield _from_document(row, where, orjson.dumps(row), source, True, row_fallback_id(path, line=line))


def ingest_files(paths: list[str | Path], sink: _BaseSink, *, source: str | None = None,
                 max_bytes: int = MAX_RAW_BYTES_DEFAULT, batch_size: int = 500,
                 delivery_timeout: float = 300.0, err: TextIO | None = None,
                 progress: Callable[[int], None] | None = None, rows: bool = False) -> FilesResult:
    """Read, validate and deliver; returns counts. Delivery failures set ``result.failed``.
    ``progress`` is called with the number of records each delivered batch settled."""
    err = err or sys.stderr
    result = FilesResult()
    batch: list[RawArticle] = []
    locations: list[str] = []
    deadletters: list[dict[str, Any]] = []

    def reject(location: str, error: Rejected) -> None:
        print(f"{location}: {error.reason}: {error.detail}", file=err)
        result.rejected[error.reason] += 1

    def flush_batch() -> None:
        settled = len(batch) + len(deadletters)
        if batch:
            delivered = sink.deliver(batch, deadline=time.monotonic() + delivery_timeout)
            # refused by the producer or the broker for itself: the sink dead-lettered it, the rest went on
            refused = {id(raw): error for raw, error in getattr(delivered, "refused", ())}
            for raw, location in zip(batch, locations):
                if id(raw) in refused:
                    reject(location, refused[id(raw)])
                else:
                    result.delivered_ids.add(raw.id)
            result.delivered += int(delivered)
            batch.clear()
            locations.clear()
        if deadletters:
            sink.deliver_deadletters(deadletters, deadline=time.monotonic() + delivery_timeout)
            deadletters.clear()
        if progress and settled:
            progress(settled)

    try:
        for path, explicit in walk(paths):
            if not path.exists():
                print(f"{path}: missing: no such file or folder", file=err)
                result.rejected["missing"] += 1
                continue
            if not explicit and not supported(path, rows):
                result.skipped += 1
                continue
            result.files += 1
            for item in read_file(path, source=source, max_bytes=max_bytes, explicit=explicit, rows=rows):
                if item.raw is not None:
                    item = _fits(item, sink)
                if item.raw is not None:
                    batch.append(item.raw)
                    locations.append(item.location)
                else:
                    assert item.error is not None
                    reject(item.location, item.error)
                    if item.error.reason != "unsupported_file":
                        deadletters.append(_deadletter(item, source))
                if len(batch) >= batch_size or len(deadletters) >= batch_size:
                    flush_batch()
        flush_batch()
    except DeliveryError as exc:
        print(f"delivery failed: {exc}", file=err)
        result.failed = True
    return result


def _deadletter(item: Item, default_source: str | None) -> dict[str, Any]:
    """The dead letter of a rejected Item. One whose payload is only the first bytes of a file says so,
    with the whole file's size and SHA-256, as a dead letter cut to fit its topic does."""
    assert item.error is not None
    record = connector_deadletter(item.payload, item.error.reason, item.error.detail, article_id=item.article_id,
                                  source=item.source or default_source, location=item.location)
    if item.payload_bytes is not None:
        record.update(payload_truncated=True, payload_bytes=item.payload_bytes, payload_sha256=item.payload_sha256)
    return record


def _fits(item: Item, sink: _BaseSink) -> Item:
    """``item``, or its ``too_large`` rejection when its raw article, as encoded, is larger than the
    sink sends (the file's own size is checked against ``max_bytes`` when it is read)."""
    assert item.raw is not None
    error = sink.too_large(item.raw)
    if error is None:
        return item
    if item.payload is not None:
        error = Rejected(error.reason, f"{error.detail}; read from {len(item.payload)} bytes"
                         " (JSON writes a control character in 6 bytes, a quote or backslash in 2)",
                         stage="connector")
    return Item(item.location, error=error, payload=item.payload, article_id=item.raw.id, source=item.raw.source)
