"""``newsflow replay``: the pipeline's core over raw articles in input order, with no Kafka.

One JSON line per input on stdout: ``{"id", "event_id", "relation", "duplicate_of", ..., "title", "text",
"redelivered"}`` (``redelivered``: this id was already replayed with this text, so it is no other
article) or ``{"id", "error": {"reason", "detail"}}`` for an input that was rejected. ``--events FILE``
writes the final event records, one JSON line each. ``--rows`` reads rows exported from elsewhere
(a dataset's JSON lines, JSON or CSV/TSV, under its own field names) through the files reader's
rows mode, as ``ingest files --rows`` reads them, so that both give a row the same id.
"""
from __future__ import annotations

import argparse
import codecs
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import orjson
from tqdm import tqdm

from pipeline import logs
from pipeline.core import OfflinePipeline
from pipeline.settings import Settings
from schemas.models import Rejected

from .options import require_paths


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("replay", help="run clean+cluster+events offline over raw articles (JSON lines, '-' for stdin, or files/folders)")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="a .jsonl of raw articles, '-' for stdin, or .txt/.html/.json files and folders")
    p.add_argument("--events", metavar="FILE", help="write the final event records here as JSON lines")
    p.add_argument("--rows", action="store_true",
                   help="inputs are rows exported from elsewhere (JSON lines, JSON, CSV/TSV, gzipped or not, or "
                        "folders of them) under the usual field names (doc_id/article_id, body/maintext, headline, "
                        "pubDate/publishedAt, link ...), read as `ingest files --rows` reads them; other fields, "
                        "such as labels, are left out")
    p.add_argument("--window-days", type=float, default=None, help="clustering window (NEWSFLOW_WINDOW_DAYS)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.set_defaults(func=cmd_replay)


def jsonl_file(name: str) -> bool:
    """A JSON lines file, read line by line as it is; a folder named like one is walked as a folder."""
    return name.endswith(".jsonl") and Path(name).is_file()


Value = tuple[bytes | dict, str]  # a news.raw message, or a row rejected while reading; and where it was read


def lines_of(name: str) -> Iterator[tuple[int, bytes]]:
    """(line number, line) for each non-blank line of a JSON lines file, or of stdin ('-'), as UTF-8. A
    leading UTF-8 BOM (Notepad, Excel) is not part of the first record; a file with a UTF-16 or
    UTF-32 BOM is decoded whole before it is split into lines, as the files reader does."""
    from connectors.charset import decode_text, text_encoding

    fh = sys.stdin.buffer if name == "-" else open(name, "rb")  # noqa: SIM115 - closed below
    where = "stdin" if name == "-" else name
    try:
        codec, _ = text_encoding(fh.peek(4)[:4] if hasattr(fh, "peek") else b"")
        if codec == "utf-8":
            lines: Iterator[bytes] = iter(fh)
        else:
            try:
                lines = iter(decode_text(fh.read()).encode("utf-8").split(b"\n"))
            except UnicodeDecodeError as exc:
                raise SystemExit(f"replay: {where}: not {codec[:6].upper()} text ({exc.reason} at byte {exc.start})") from None
        for n, line in enumerate(lines, 1):
            line = line.removeprefix(codecs.BOM_UTF8) if n == 1 else line
            if line.strip():
                yield n, line.strip()
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()


def raw_values(inputs: list[str], skipped: list[Path] | None = None) -> Iterator[Value]:
    """Each input record as the bytes a news.raw message would carry, and where it was read. A
    record the files reader refuses goes to the core all the same, so that it gets the row it gets
    in a .jsonl given directly; only what holds no record (an empty or unreadable file) is
    rejected here, and a line that is no UTF-8 text, as ``encoding`` (the core would call it invalid
    JSON). Files of other kinds met in a folder are left out, and listed in ``skipped``."""
    from connectors.files import holds_records, not_utf8, read_file, supported, walk

    for name in inputs:
        if name == "-" or jsonl_file(name):
            where = "stdin" if name == "-" else name
            for n, line in lines_of(name):
                undecodable = not_utf8(line, n)
                yield (error_row(None, undecodable) if undecodable else line), f"{where}:{n}"
            continue
        for path, explicit in walk([name]):
            if skipped is not None and not explicit and not supported(path):
                skipped.append(path)
            for item in read_file(path, explicit=explicit):
                if item.raw is not None:
                    yield item.raw.to_json(), item.location
                elif item.payload is not None and holds_records(path) and item.error.reason != "encoding":
                    yield item.payload, item.location
                else:
                    yield error_row(item.article_id, item.error), item.location


def row_values(inputs: list[str], skipped: list[Path] | None = None) -> Iterator[Value]:
    """Each row of each input as a raw article, and where it was read: files and folders go
    through the files reader's rows mode (connectors.files, connectors.rows), as ``ingest files
    --rows`` reads them, so that a row gets the same id in both, a broken line or CSV row is
    rejected on its own and a file that holds no rows is rejected as that file's problem."""
    from connectors.files import line_item, read_file, supported, walk

    def items(name: str) -> Iterator:
        if name == "-":
            yield from (line_item(line, n, "stdin", rows=True) for n, line in lines_of(name))
            return
        for path, explicit in walk([name]):
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


def count_inputs(inputs: list[str]) -> int | None:
    if any(name == "-" or not jsonl_file(name) for name in inputs):
        return None
    return sum(1 for name in inputs for _ in lines_of(name))


def cmd_replay(args: argparse.Namespace) -> int:
    require_paths("replay", args.inputs)
    settings = Settings.from_env(window_days=args.window_days)
    # quiet unless debug; the summary is a plain line of its own, log lines follow NEWSFLOW_LOG_FORMAT
    logs.setup("debug" if logs.level_name(settings.log_level) == "DEBUG" else "warn", settings.log_format)
    from pipeline.cleaning import HtmlExtractor
    from pipeline.core import cleaning_config

    # opened first: a path that cannot be written fails now, not after a long replay; opened to
    # append, so that an interrupted replay leaves an earlier events file as it was
    events_file = open(args.events, "ab") if args.events else None  # noqa: SIM115 - closed below
    from .service import stop_on_signals

    stop_on_signals()  # SIGTERM, like Ctrl-C, unwinds: the summary so far, then 128 + the signal
    extractor = HtmlExtractor(cleaning_config(settings))
    pipeline = OfflinePipeline(settings, extractor=extractor)
    total = count_inputs(args.inputs)
    out = sys.stdout
    outcomes: Counter = Counter()
    skipped: list[Path] = []
    try:
        progress = tqdm(total=total, unit="article", file=sys.stderr, mininterval=1.0,
                        disable=args.no_progress or (total is not None and total < 50))
        values = row_values(args.inputs, skipped) if args.rows else raw_values(args.inputs, skipped)
        for value, where in values:
            row = value if isinstance(value, dict) else pipeline.process(value)
            if "error" in row:  # which file and line, whichever way it was read
                row["error"]["detail"] = f"{where}: {row['error']['detail']}"
            out.write(orjson.dumps(row).decode() + "\n")
            outcomes[outcome(row)] += 1
            progress.update(1)
        progress.close()
        out.flush()
        print(summary(outcomes, len(pipeline.events), skipped), file=sys.stderr)
        if events_file is not None:
            events_file.truncate(0)
            for event in sorted(pipeline.events.values(), key=lambda e: (e["first_seen"], e["event_id"])):
                events_file.write(orjson.dumps(event) + b"\n")
    except SystemExit:
        out.flush()
        print(summary(outcomes, len(pipeline.events), skipped) + "; interrupted"
              + ("; the events file is left as it was" if events_file is not None else ""), file=sys.stderr)
        raise
    finally:
        extractor.close()
        if events_file is not None:
            events_file.close()
    return 0


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

