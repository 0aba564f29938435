"""``newsflow replay``: the pipeline's core over raw articles in input order, with no Kafka.

One JSON line per input on stdout: ``{"id", "event_id", "relation", "duplicate_of", ..., "title", "text",
"redelivered"}`` (``redelivered``: this id was already replayed with this text, so it is no other
article) or ``{"id", "error": {"reason", "detail"}}`` for an input that was rejected. ``--events FILE``
writes the final event records, one JSON line each. ``--rows`` reads rows exported from elsewhere
(a dataset's JSON lines, JSON or CSV/TSV, under its own field names) as the files reader's rows
mode reads them for ``ingest files --rows``, so that both give a row the same id. JSON lines are
read a line at a time by replay itself, so that its progress line can say how far it has read
(``Reading``, ``Progress``).
"""
from __future__ import annotations

import argparse
import codecs
import gzip
import io
import os
import stat
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson
from tqdm import tqdm

from pipeline import logs
from pipeline.core import OfflinePipeline
from pipeline.settings import Settings
from schemas.models import MAX_RAW_BYTES_DEFAULT, Rejected

from .options import require_paths, settings_with_flags


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("replay", help="run clean+cluster+events offline over raw articles (JSON lines, '-' for stdin, or files/folders)")
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="a .jsonl of raw articles, '-' for stdin (a pipe given by its path, such as /dev/stdin, is "
                        "read as stdin is: JSON lines, gzipped or not, or one JSON document when it opens with a "
                        "list or a pretty-printed object; with --rows also a CSV/TSV table), or .txt/.html/.json "
                        "files and folders; any file may be gzipped (.jsonl.gz ...)")
    p.add_argument("--events", metavar="FILE", help="write the final event records here as JSON lines")
    p.add_argument("--rows", action="store_true",
                   help="inputs are rows exported from elsewhere (JSON lines, JSON, CSV/TSV with a header whose "
                        "delimiter, comma, semicolon, tab or |, is read off it, gzipped or not, or folders of "
                        "them) under the usual field names (doc_id/article_id, body/maintext, headline, "
                        "pubDate/publishedAt, link ...), read as `ingest files --rows` reads them; other fields, "
                        "such as labels, are left out")
    p.add_argument("--window-days", type=float, default=None, help="clustering window (NEWSFLOW_WINDOW_DAYS)")
    p.add_argument("--no-progress", action="store_true",
                   help="no progress line on stderr (by default: the articles done and their rate, and for files "
                        "the share read so far, of the compressed bytes for a .gz)")
    p.set_defaults(func=cmd_replay)


def jsonl_file(path: str | Path) -> bool:
    """A JSON lines file, gzipped or not (``.jsonl``, ``.jsonl.gz``, in any case): replay reads it
    a line at a time itself, so that it knows how far it has read; a folder named like one is
    walked as a folder."""
    suffixes = [suffix.lower() for suffix in Path(path).suffixes]
    if suffixes[-1:] == [".gz"]:
        suffixes.pop()
    return suffixes[-1:] == [".jsonl"] and Path(path).is_file()


def streamed(name: str | Path) -> bool:
    """stdin ('-'), or a pipe or a device named by its path (``/dev/stdin``, ``<(zcat a.jsonl.gz)``, a
    file's /dev/fd/N): JSON lines, read as stdin is, as their names give no kind of file to go by."""
    if name == "-":
        return True
    try:
        mode = os.stat(name).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)) or str(name).startswith(("/dev/", "/proc/"))


GZIP_MAGIC = b"\x1f\x8b"
Value = tuple[bytes | dict, str]  # a news.raw message, or a row rejected while reading; and where it was read


class Reading:
    """How much of the input files has been read, in bytes, for the progress bar's percentage: the
    files read to their end, and the position in the JSON lines file being read. For a gzipped
    file that is the position in the compressed file, as its unpacked length is not known before
    it has all been read. Other kinds of files (pages, texts, JSON, CSV) count when they are done.
    ``total`` is None when stdin, or another stream, is among the inputs: its length is not known."""

    def __init__(self, inputs: list[str]) -> None:
        from connectors.files import walk

        self.total = None if any(map(streamed, inputs)) else sum(_size(path) for path, _ in walk(inputs))
        self.done = 0
        self._handle = None

    def opened(self, handle) -> None:
        """``handle``: the file object, as opened from disk, whose ``tell()`` says how far the file has been read."""
        self._handle = handle

    def finished(self, path: Path) -> None:
        self.done += _size(path)
        self._handle = None

    def position(self) -> int:
        inside = 0
        if self._handle is not None and not self._handle.closed:
            inside = self._handle.tell()
        return self.done + inside


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # gone since the walk: the reader says so in its row
        return 0


def lines_of(name: str | Path, reading: Reading | None = None, handle=None,
             max_bytes: int = MAX_RAW_BYTES_DEFAULT) -> Iterator[tuple[int, bytes | Rejected]]:
    """(line number, line) for each non-blank line of a JSON lines file, gzipped or not, or of stdin
    ('-'), or of ``handle``, a stream already open (left open). A line longer than ``max_bytes`` is
    not held: it is read past and comes as a Rejected (``too_large``), as the files reader gives it
    (one endless line, `newsflow replay /dev/zero`, ended in a MemoryError traceback). A leading UTF-8
    BOM (Notepad, Excel) is not part of the first record; a file with a UTF-16
    or UTF-32 BOM is decoded whole before it is split into lines, as the files reader does. Raises
    Rejected, after the lines read before it, when the file cannot be read on (``unreadable``: a
    .gz that is no gzip data or is cut short) or its UTF-16/32 text does not decode (``encoding``),
    the rejections the files reader gives such a file."""
    from connectors.charset import decode_text, text_encoding
    from connectors.files import skip_line

    stdin = name == "-" or handle is not None
    raw = fh = None
    try:
        raw = handle or (sys.stdin.buffer if name == "-" else open(name, "rb"))  # noqa: SIM115 - closed below
        fh = gzip.GzipFile(fileobj=raw, mode="rb") if not stdin and str(name).lower().endswith(".gz") else raw
        if reading is not None and not stdin and raw.seekable():  # a pipe cannot tell how far it is read
            reading.opened(raw)
        codec, _ = text_encoding(fh.peek(4)[:4] if hasattr(fh, "peek") else b"")
        if codec == "utf-8":
            lines: Iterator[bytes] = iter(lambda: fh.readline(max_bytes + 1), b"")
        else:
            try:
                lines = iter(decode_text(fh.read()).encode("utf-8").split(b"\n"))
            except UnicodeDecodeError as exc:
                raise Rejected("encoding", f"not {codec[:6].upper()} text ({exc.reason} at byte {exc.start})",
                               stage="connector") from None
        for n, line in enumerate(lines, 1):
            if len(line) > max_bytes and not line.endswith(b"\n"):
                size = len(line) + skip_line(fh)
                yield n, Rejected("too_large", f"{size} bytes is over {max_bytes}", stage="connector")
                continue
            line = line.removeprefix(codecs.BOM_UTF8) if n == 1 else line
            if line.strip():
                yield n, line.strip()
    except (OSError, EOFError) as exc:  # a file that cannot be opened; gzip.BadGzipFile is an OSError
        raise Rejected("unreadable", str(exc), stage="connector") from None
    finally:
        if fh is not None and fh is not raw:
            fh.close()
        if raw is not None and not stdin:
            raw.close()


def stream_records(name: str, rows: bool, json_lines: Callable, item_value: Callable) -> Iterator:
    """The records of a stream (stdin, a pipe), read as its start shows (connectors.files.stream_kind):
    JSON lines (gzipped or not) a line at a time through ``json_lines(where, handle)``, else, read whole, a JSON
    document (a list, a pretty-printed object) or, with ``rows``, a CSV/TSV table, as the files reader
    reads a .json or .csv file, each of its Items given as ``item_value`` makes it: a pipe's name
    (``<(zcat rows.csv.gz)``) tells nothing of its kind, and `cat rows.json | newsflow replay --rows -`
    was one `schema` rejection ("got list"), a table a rejection per line."""
    from connectors.files import RECORDS_FILE_FACTOR, Item, stream_items, stream_kind

    where = "stdin" if name == "-" else name
    try:
        opened = sys.stdin.buffer if name == "-" else open(name, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        yield item_value(Item(where, error=Rejected("unreadable", str(exc), stage="connector")))
        return
    handle = opened if hasattr(opened, "peek") else io.BufferedReader(opened)  # a stdin replaced by a plain stream
    try:
        if handle.peek(2)[:2] == GZIP_MAGIC:  # `cat rows.jsonl.gz |`
            handle = gzip.GzipFile(fileobj=handle, mode="rb")
        kind = stream_kind(handle.peek(1 << 16)[:1 << 16], rows)
        if kind == "lines":
            yield from json_lines(where, handle)
            return
        limit = MAX_RAW_BYTES_DEFAULT * RECORDS_FILE_FACTOR
        data = handle.read(limit + 1)
        if len(data) > limit:
            yield item_value(Item(where, error=Rejected("too_large", f"more than {limit} bytes", stage="connector")))
            return
        yield from map(item_value, stream_items(where, data, kind, rows=rows))
    except (OSError, EOFError) as exc:  # gzip data cut short or broken; gzip.BadGzipFile is an OSError
        yield item_value(Item(where, error=Rejected("unreadable", str(exc), stage="connector")))
    finally:
        if name != "-":
            opened.close()


def _files(name: str, reading: Reading | None) -> Iterator[tuple[Path, bool]]:
    """The files of one input, as the files reader walks them; each counts as read once the
    caller has taken what it holds and asks for the next."""
    from connectors.files import walk

    for path, explicit in walk([name]):
        yield path, explicit
        if reading is not None:
            reading.finished(path)


def raw_values(inputs: list[str], skipped: list[Path] | None = None, reading: Reading | None = None,
               max_bytes: int = MAX_RAW_BYTES_DEFAULT) -> Iterator[Value]:
    """Each input record as the bytes a news.raw message would carry, and where it was read. JSON
    lines (stdin, or .jsonl files, gzipped or not, given or in a folder) are read here a line at a
    time and each line goes to the core as it is, so a record gets the same row however its file
    came. Other files, and a stream that holds one JSON document (``stream_records``), go through the
    files reader; a record it refuses goes to the core all the
    same, and only what holds no record (an empty or unreadable file) is rejected here, and a line
    that is no UTF-8 text, as ``encoding`` (the core would call it invalid JSON). Files of other
    kinds met in a folder are left out, and listed in ``skipped``."""
    from connectors.files import Item, holds_records, no_articles_in_lines, not_utf8, read_file, supported

    def json_lines(name: str | Path, where: str, handle=None) -> Iterator[Value]:
        empty = True
        try:
            for n, line in lines_of(name, reading, handle, max_bytes):
                empty = False
                problem = line if isinstance(line, Rejected) else not_utf8(line, n)
                yield (error_row(None, problem) if problem else line), f"{where}:{n}"
        except Rejected as exc:
            yield error_row(None, exc), where
            return
        if empty and handle is None:  # a file given or found that holds nothing: said, as ingest files says it
            yield error_row(None, no_articles_in_lines()), where

    def value(item: Item, records: bool) -> Value:
        if item.raw is not None:
            return item.raw.to_json(), item.location
        if replayable(item, records):
            return item.payload, item.location
        return error_row(item.article_id, item.error), item.location

    for name in inputs:
        if streamed(name):
            yield from stream_records(name, False, lambda where, handle: json_lines(where, where, handle),
                                      lambda item: value(item, True))
            continue
        for path, explicit in _files(name, reading):
            if jsonl_file(path):
                yield from json_lines(path, str(path))
                continue
            if skipped is not None and not explicit and not supported(path):
                skipped.append(path)
            for item in read_file(path, explicit=explicit):
                yield value(item, holds_records(path))


def replayable(item, records: bool) -> bool:
    """Whether a record the files reader refused goes to the core all the same, so that it is rejected
    as a JSON line would be: not when what it holds is no record (``encoding``, ``empty``), nor when it
    holds only the first bytes of a file too large to read (the core would call the cut invalid JSON)."""
    return (item.payload is not None and records and item.payload_bytes is None
            and item.error.reason not in ("encoding", "empty"))


def row_values(inputs: list[str], skipped: list[Path] | None = None, reading: Reading | None = None) -> Iterator[Value]:
    """Each row of each input as a raw article, and where it was read: each line of JSON lines
    (stdin, .jsonl and .jsonl.gz files) as the files reader's rows mode reads a line, other files,
    and a stream that holds one JSON document or a table (``stream_records``),
    through that reader (connectors.files, connectors.rows), as ``ingest files --rows`` reads them,
    so that a row gets the same id in both, a broken line or CSV row is rejected on its own and a
    file that holds no rows is rejected as that file's problem."""
    from connectors.files import Item, line_items, no_rows_in_lines, read_file, supported

    def json_lines(name: str | Path, where: str | Path, handle=None) -> Iterator[Item]:
        empty = True
        try:
            for n, line in lines_of(name, reading, handle):
                empty = False
                if isinstance(line, Rejected):
                    yield Item(f"{where}:{n}", error=line)
                else:
                    yield from line_items(line, n, where, rows=True)
        except Rejected as exc:
            yield Item(str(where), error=exc)
            return
        if empty:  # as the files reader says of such a file
            yield Item(str(where), error=no_rows_in_lines())

    def items(name: str) -> Iterator[Item]:
        if streamed(name):
            yield from stream_records(name, True, lambda where, handle: json_lines(where, where, handle),
                                      lambda item: item)
            return
        for path, explicit in _files(name, reading):
            if jsonl_file(path):
                yield from json_lines(path, path)
                continue
            if skipped is not None and not explicit and not supported(path, rows=True):
                skipped.append(path)
            yield from read_file(path, explicit=explicit, rows=True)

    for name in inputs:
        for item in items(name):
            value = item.raw.to_json() if item.raw is not None else error_row(item.article_id, item.error)
            yield value, item.location


def error_row(article_id: str | None, error: Rejected) -> dict:
    """The output row of an input rejected while it was read."""
    return {"id": article_id, "error": {"reason": error.reason, "detail": error.detail, "stage": error.stage}}


class Progress(tqdm):
    """The replay's progress line on stderr: the articles done and their rate and, when the inputs
    are files, how much of them has been read, as a percentage, a bar and the time left (see
    Reading). Of stdin's length nothing is known: there, the count and the rate alone."""

    articles = 0

    def __init__(self, total_bytes: int | None, *, disable: bool = False) -> None:
        if total_bytes:
            shape = "{l_bar}{bar}| {articles} articles [{elapsed}<{remaining}, {article_rate} articles/s]"
        else:
            shape = "{articles} articles [{elapsed}, {article_rate} articles/s]"
        # miniters=0: a redraw is due every mininterval even while the bytes read stand still
        # (a large JSON or CSV file is read whole, then its rows are replayed one by one)
        super().__init__(total=total_bytes or None, file=sys.stderr, mininterval=1.0, miniters=0,
                         bar_format=shape, disable=disable)

    @property
    def format_dict(self) -> dict:
        fields = super().format_dict
        elapsed = fields.get("elapsed") or 0
        fields["articles"] = self.articles
        fields["article_rate"] = f"{self.articles / elapsed:.1f}" if elapsed > 0 else "?"
        return fields

    def article(self, position: int) -> None:
        """One more input done, with ``position`` bytes of the inputs read."""
        self.articles += 1
        self.read_to(position)

    def read_to(self, position: int) -> None:
        self.update(max(0, position - self.n))


class EventsFile:
    """The ``--events`` file, opened before the replay so that a path that cannot be written is refused
    at once (open()'s own error, exit 1), and written only when the replay ends (README). A run that
    does not end leaves an earlier file as it was (opened to append, emptied only when written) and
    removes the file it created, rather than leaving it empty."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.written = False
        try:  # created here, or found: only a file this run created may be removed
            self._file, self.created = open(path, "xb"), True  # noqa: SIM115 - closed by close()
        except FileExistsError:
            self._file, self.created = open(path, "ab"), False  # noqa: SIM115 - closed by close()

    def write(self, events: list[dict]) -> None:
        self._file.truncate(0)
        for event in events:
            self._file.write(orjson.dumps(event) + b"\n")
        self._file.flush()
        self.written = True

    def close(self) -> None:
        try:
            self._file.close()
        finally:
            if self.created and not self.written:
                Path(self.path).unlink(missing_ok=True)


def cmd_replay(args: argparse.Namespace) -> int:
    require_paths("replay", args.inputs)
    settings = settings_with_flags(window_days=args.window_days)
    # quiet unless debug; the summary is a plain line of its own, log lines follow NEWSFLOW_LOG_FORMAT
    logs.setup("debug" if logs.level_name(settings.log_level) == "DEBUG" else "warn", settings.log_format)
    from .service import signals_deferred, stop_on_signals

    stop_on_signals()  # SIGTERM, like Ctrl-C, unwinds: the summary so far, then 128 + the signal
    events_file = EventsFile(args.events) if args.events else None
    try:
        events = replay(args, settings, events_file is not None)
        if events_file is not None:
            with signals_deferred():  # a signal now waits for the events file to be whole
                events_file.write(events)
    finally:
        if events_file is not None:
            events_file.close()
    return 0


def replay(args: argparse.Namespace, settings: Settings, events_wanted: bool) -> list[dict]:
    """Each input's row on stdout and the summary on stderr; returns the final events, in order of
    first sight. Interrupted, it says so in the summary and unwinds (SystemExit)."""
    from pipeline.cleaning import HtmlExtractor
    from pipeline.core import cleaning_config

    extractor = HtmlExtractor(cleaning_config(settings))
    pipeline = OfflinePipeline(settings, extractor=extractor)
    out = sys.stdout
    outcomes: Counter = Counter()
    skipped: list[Path] = []
    reading = Reading(args.inputs)
    progress = Progress(reading.total, disable=args.no_progress)
    try:
        # a JSON line longer than the core takes is read past, not held (the rows reader's limit is fixed)
        values = (row_values(args.inputs, skipped, reading) if args.rows
                  else raw_values(args.inputs, skipped, reading, settings.max_raw_bytes))
        for value, where in values:
            row = value if isinstance(value, dict) else pipeline.process(value)
            if "error" in row:  # which file and line, whichever way it was read
                row["error"]["detail"] = f"{where}: {row['error']['detail']}"
            out.write(orjson.dumps(row).decode() + "\n")
            outcomes[outcome(row)] += 1
            progress.article(reading.position())
        progress.read_to(reading.position())
        progress.close()
        out.flush()
        print(summary(outcomes, len(pipeline.events), skipped), file=sys.stderr)
    except SystemExit:
        progress.close()  # the bar's line ends before the summary's
        out.flush()
        print(summary(outcomes, len(pipeline.events), skipped) + "; interrupted"
              + ("; the events file is left as it was" if events_wanted else ""), file=sys.stderr)
        raise
    finally:
        extractor.close()
    return sorted(pipeline.events.values(), key=lambda e: (e["first_seen"], e["event_id"]))


def outcome(row: dict) -> tuple[str, str]:
    """What became of one input: (kind, what) for the summary. A redelivery (an id already in the
    window, with the same text) is no other article: the event does not count it either."""
    if "error" in row:
        return "rejected", row["error"]["reason"]
    if row.get("redelivered"):
        return "redelivered", ""
    return "article", row["relation"]


def summary(outcomes: Counter, events: int, skipped: list[Path]) -> str:
    """One line for stderr: what came in and what became of it."""
    def listed(kind: str) -> str:
        parts = [f"{name}={n}" for (k, name), n in sorted(outcomes.items()) if k == kind]
        return ", ".join(parts) or "none"

    def total(kind: str) -> int:
        return sum(n for (k, _), n in outcomes.items() if k == kind)

    line = (f"replay: {sum(outcomes.values())} inputs, {total('article')} articles ({listed('article')})"
            f" in {events} events")
    if total("redelivered"):
        line += f", {total('redelivered')} redelivered"
    line += f", {total('rejected')} rejected ({listed('rejected')})"
    if skipped:
        shown = ", ".join(str(p) for p in skipped[:3]) + (", ..." if len(skipped) > 3 else "")
        line += f"; {len(skipped)} files of other kinds skipped ({shown})"
    return line

