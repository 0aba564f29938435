"""``newsflow replay``: the pipeline's core over raw articles in input order, with no Kafka.

One JSON line per input on stdout: ``{"id", "event_id", "relation", "duplicate_of", ..., "title", "text",
"redelivered"}`` (``redelivered``: this id was already replayed with this text, so it is no other
article) or ``{"id", "error": {"reason", "detail"}}`` for an input that was rejected. ``--events FILE``
writes the final event records, one JSON line each. ``--rows`` reads rows exported from elsewhere
(a dataset's JSON lines, JSON or CSV/TSV, under its own field names) through connectors.rows.
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

from .options import require_paths


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("replay", help="run clean+cluster+events offline over raw articles (JSON lines, '-' for stdin, or files/folders)")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="a .jsonl of raw articles, '-' for stdin, or .txt/.html/.json files and folders")
    p.add_argument("--events", metavar="FILE", help="write the final event records here as JSON lines")
    p.add_argument("--rows", action="store_true",
                   help="inputs are rows exported from elsewhere (JSON lines, JSON, CSV/TSV, gzipped or not) under the "
                        "usual field names (doc_id/article_id, body/maintext, headline, pubDate, link ...); other "
                        "fields, such as labels, are left out")
    p.add_argument("--window-days", type=float, default=None, help="clustering window (NEWSFLOW_WINDOW_DAYS)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.set_defaults(func=cmd_replay)


def jsonl_file(name: str) -> bool:
    """A JSON lines file, read line by line as it is; a folder named like one is walked as a folder."""
    return name.endswith(".jsonl") and Path(name).is_file()


Value = tuple[bytes | dict, str]  # a news.raw message, or a row rejected while reading; and where it was read


def lines_of(name: str) -> Iterator[tuple[str, bytes]]:
    """(where, line) for each non-blank line of a JSON lines file, or of stdin ('-'), as UTF-8. A
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
                yield f"{where}:{n}", line.strip()
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()


def raw_values(inputs: list[str], skipped: list[Path] | None = None) -> Iterator[Value]:
    """Each input record as the bytes a news.raw message would carry, and where it was read. A
    record the files reader refuses goes to the core all the same, so that it gets the row it gets
    in a .jsonl given directly; only what holds no record (an empty or unreadable file) is
    rejected here. Files of other kinds met in a folder are left out, and listed in ``skipped``."""
    from connectors.files import holds_records, read_file, supported, walk

    for name in inputs:
        if name == "-" or jsonl_file(name):
            yield from ((line, where) for where, line in lines_of(name))
            continue
        for path, explicit in walk([name]):
            if skipped is not None and not explicit and not supported(path):
                skipped.append(path)
            for item in read_file(path, explicit=explicit):
                if item.raw is not None:
                    yield item.raw.to_json(), item.location
                elif item.payload is not None and holds_records(path):
                    yield item.payload, item.location
                else:
                    error = item.error
                    yield {"id": item.article_id, "error": {"reason": error.reason, "detail": error.detail,
                                                            "stage": error.stage}}, item.location


def row_values(inputs: list[str]) -> Iterator[Value]:
    """Each row of each input as a raw article (connectors.rows), and where it was read. A JSON lines
    input is read line by line, so that a broken line is rejected on its own; other files are read
    whole, and one that is not a file of rows stops the replay with the reason."""
    from connectors.rows import raw_article_of_row
    from pipeline.clustering.evaluation import load_labelled

    def mapped(line: bytes, fallback_id: str) -> bytes:
        try:
            row = orjson.loads(line)
        except orjson.JSONDecodeError:
            return line  # the core rejects it as invalid JSON, with the line as its payload
        return orjson.dumps(raw_article_of_row(row, fallback_id)) if isinstance(row, dict) else line

    for name in inputs:
        if name == "-" or jsonl_file(name):
            stem = "stdin" if name == "-" else Path(name).stem
            yield from ((mapped(line, f"{stem}-{n}"), where) for n, (where, line) in enumerate(lines_of(name), 1))
        else:
            try:
                rows = load_labelled(name, row_errors=True)
            except (OSError, ValueError, UnicodeDecodeError) as exc:
                raise SystemExit(f"replay: {name}: not a file of rows ({exc})") from None
            stem = Path(name).name.split(".")[0]
            for n, row in enumerate(rows, 1):
                if isinstance(row, ValueError):  # a CSV row that could not be read whole: rejected on its own
                    detail = str(row).removeprefix(f"{name}, ")
                    yield {"id": None, "error": {"reason": "invalid_csv", "detail": detail, "stage": "decode"}}, name
                else:
                    yield orjson.dumps(raw_article_of_row(row, f"{stem}-{n}")), f"{name} row {n}"


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

    # opened first: a path that cannot be written fails now, not after a long replay
    events_file = open(args.events, "wb") if args.events else None  # noqa: SIM115 - closed below
    extractor = HtmlExtractor(cleaning_config(settings))
    pipeline = OfflinePipeline(settings, extractor=extractor)
    total = count_inputs(args.inputs)
    out = sys.stdout
    outcomes: Counter = Counter()
    skipped: list[Path] = []
    try:
        progress = tqdm(total=total, unit="article", file=sys.stderr, mininterval=1.0,
                        disable=args.no_progress or (total is not None and total < 50))
        values = row_values(args.inputs) if args.rows else raw_values(args.inputs, skipped)
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
            for event in sorted(pipeline.events.values(), key=lambda e: (e["first_seen"], e["event_id"])):
                events_file.write(orjson.dumps(event) + b"\n")
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

