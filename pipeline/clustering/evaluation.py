"""Evaluation helpers shared by bench/clustering.py, bench/fit_clustering.py and tests.

* B-cubed and pairwise precision / recall / F1 (as in ../shared/data/README.md);
* a plain TF-IDF single-pass baseline (cosine to cluster centroid, one threshold);
* readers for labelled rows (JSON lines, JSON, CSV/TSV) and the extraction ground truth (for DF tables).
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import math
import random
import re
from collections import Counter, defaultdict
from pathlib import Path

from ..fields import first
from ..textcodec import decode_text
from ..times import PUBLISHED_FIELDS
from .features import parse_time
from .tokens import STOPWORDS, TOKEN_RE, stem, tokens_for_df


# a labelled row fills one of these at least (connectors.rows.ROW_FIELDS, whose layer is above this one)
_ROW_FIELDS = ("doc_id", "id", "article_id", "text", "body", "content", "title", "headline", "html", "url")


def load_labelled(path, *, row_errors: bool = False) -> list[dict]:
    """Labelled rows from a file in any of the usual shapes: JSON lines, a JSON array of rows, a
    JSON object of rows keyed by id (the key becomes ``id`` where a row has none), or CSV / TSV
    with a header; each optionally gzipped. Raises ValueError, naming the file, for anything else,
    and for a file with no rows (nothing to score).

    A CSV row that cannot be read whole (a quote never closed, more cells than the header) raises
    ValueError naming its line; with ``row_errors`` that error is returned in the row's place
    instead, and reading goes on at the next line, so that a caller can report it and carry on.

    A folder stands for the files of rows in it (``.jsonl``, ``.json``, ``.csv``, ``.tsv``, gzipped or
    not), in sorted order at any depth, as ``newsflow replay --rows`` reads one; its other files (a
    dataset's README or licence) are left out."""
    path = Path(path)
    files = _row_files(path) if path.is_dir() else [path]
    rows = [row for file in files for row in _read_rows(file, row_errors)]
    if not rows:
        raise ValueError(f"{path}: no labelled rows")
    return rows


ROW_FILE_SUFFIXES = (".jsonl", ".json", ".csv", ".tsv")


def _row_files(folder: Path) -> list[Path]:
    """The files of rows in a folder, sorted, hidden ones left out."""
    return [file for file in sorted(folder.rglob("*"))
            if file.is_file() and not any(part.startswith(".") for part in file.relative_to(folder).parts)
            and file.name.lower().removesuffix(".gz").endswith(ROW_FILE_SUFFIXES)]


def _read_rows(path: Path, row_errors: bool = False) -> list:
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
        with gzip.open(path, "rb") as fh:
            raw = fh.read()
    else:
        raw = path.read_bytes()
    try:  # a BOM names UTF-16 or UTF-32 (Excel's "Unicode Text"); else UTF-8
        data = decode_text(raw)
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not {exc.encoding.upper()} text ({exc.reason} at byte {exc.start})") from None
    if name.endswith((".csv", ".tsv")):
        return _csv_rows(path, data, "\t" if name.endswith(".tsv") else ",", row_errors)
    try:  # one JSON document (a .json file, or any file that is one)
        doc = json.loads(data)
    except ValueError:
        doc = None  # JSON lines, read below
    doc = _unwrapped(doc)
    if isinstance(doc, list) and all(isinstance(r, dict) for r in doc):
        return doc
    if isinstance(doc, dict) and doc and all(isinstance(r, dict) for r in doc.values()):
        return [r if any(f in r for f in ("id", "doc_id")) else {"id": k, **r} for k, r in doc.items()]
    if isinstance(doc, dict) and not name.endswith(".json"):
        return [doc]  # JSON lines with a single row
    if doc is not None:
        raise ValueError(f"{path}: a JSON file of labelled rows holds a list of objects or an object of objects")
    rows = []
    for n, line in enumerate(data.splitlines(), 1):
        if line.strip():
            try:
                row = json.loads(line)
            except ValueError as e:
                raise ValueError(f"{path}, line {n}: not JSON ({e})") from None
            if not isinstance(row, dict):
                raise ValueError(f"{path}, line {n}: a row is a JSON object")
            rows.append(row)
    return rows


def _unwrapped(doc):
    """The rows of an API's answer saved as it came, an object whose one list of objects holds them
    (NewsAPI's ``{"status", "totalResults", "articles": [...]}``, ``data``, ``results``), as
    ``replay --rows`` reads it; any other document, a row with a list of objects in it included, as it is."""
    if not isinstance(doc, dict) or first(doc, _ROW_FIELDS) is not None:
        return doc
    lists = [value for value in doc.values() if isinstance(value, list) and all(isinstance(r, dict) for r in value)]
    return lists[0] if len(lists) == 1 and not any(isinstance(v, dict) for v in doc.values()) else doc


def _csv_rows(path: Path, data: str, delimiter: str, row_errors: bool) -> list:
    rows: list = []
    for line, row in table_rows(data, delimiter):
        if isinstance(row, ValueError):
            row = ValueError(f"{path}, line {line}: {row}")
            if not row_errors:
                raise row
        rows.append(row)
    return rows


DELIMITERS = (",", ";", "\t", "|")
_SEP_HINT = re.compile(r"sep=(.)\s*$")  # Excel's first line naming the delimiter: "sep=;"


def table_rows(data: str, default_delimiter: str = ",") -> list[tuple[int, dict | ValueError]]:
    """(line it starts on, row) for each row of a CSV/TSV text under its header, read strictly:
    the csv module's lenient reading swallowed the rows after an unclosed quote into one cell and
    dropped cells beyond the header's. A row that cannot be read whole is a ValueError saying why,
    in the row's place; reading goes on at the next line. The delimiter is the text's own
    (``table_delimiter``), ``default_delimiter`` (the file's kind) when its header does not tell."""
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))  # a cell may hold a whole HTML page
    lines = io.StringIO(data).readlines()
    delimiter, start = table_delimiter(lines, default_delimiter)
    rows: list = []
    header = None
    while start < len(lines):
        reader = csv.reader(lines[start:], delimiter=delimiter, strict=True)
        while True:
            row_line = start + reader.line_num + 1  # the line the next row starts on
            broken = False
            try:
                cells = next(reader)
            except StopIteration:
                return rows
            except csv.Error as exc:
                broken, problem = True, f"not a CSV row ({exc}; a quote opened on it may never be closed)"
            else:
                if not cells:
                    continue
                if header is None:
                    header = cells
                    continue
                if len(cells) <= len(header):
                    rows.append((row_line, _table_row(header, cells)))
                    continue
                problem = f"{len(cells)} cells, the header has {len(header)}"
            rows.append((row_line, ValueError(problem)))
            if broken:
                start = row_line  # read again from the line after the one the broken row started on
                break
    return rows


def _table_row(header: list[str], cells: list[str]) -> dict:
    """A row under its header, short rows filled with None. A name the header gives twice (two
    ``text`` columns) keeps its first filled cell, where a dict would keep the last, empty or not."""
    row: dict = {}
    for name, cell in zip(header, cells + [None] * (len(header) - len(cells))):
        if row.get(name) in (None, ""):
            row[name] = cell
    return row


def table_delimiter(lines: list[str], default: str) -> tuple[str, int]:
    """(delimiter, index of the line the table starts on) of a CSV/TSV text's lines. Excel writes
    ";" where a comma is the decimal mark (most of Europe), and may say so on a first line "sep=;";
    tab-separated text is often saved as .csv. Without the hint: of the usual delimiters, the one
    that cuts the header into the most cells, the file kind's own on a tie (a one-column table)."""
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    hint = _SEP_HINT.match(lines[first]) if lines else None
    if hint:
        return hint.group(1), first + 1
    header = lines[first] if lines else ""
    cells = {d: len(next(csv.reader([header], delimiter=d), [])) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (cells[d], d == default))
    return best, 0


def split_title(row: dict) -> tuple[str, str]:
    """ECB+ rows: first line is the headline/first sentence; the rest the body."""
    text = row.get("text") or ""
    head, _, body = text.partition("\n")
    if not body.strip():
        return "", text
    return head, body


def short_versions(rows: list[dict]) -> dict[str, list[dict]]:
    """Labelled rows as feeds and news aggregators carry them: ``brief``, the headline (the row's own
    title, else its first line: ECB+'s headline or first sentence) with the next line as its
    summary; ``headline``, the headline alone."""
    brief, headline = [], []
    for r in rows:
        lines = [line for line in (r.get("text") or "").split("\n") if line.strip()]
        if r.get("title"):
            title = r["title"]
        elif lines:
            title = lines.pop(0)
        else:
            continue
        head = {k: r[k] for k in ("doc_id", "cluster_id", "topic") if k in r}
        brief.append(dict(head, title=title, text=lines[0] if lines else ""))
        headline.append(dict(head, title=title, text=""))
    return {"brief": brief, "headline": headline}


def row_published(r: dict) -> str | None:
    """A labelled row's publication time, under any of the usual names."""
    value = first(r, PUBLISHED_FIELDS)
    if isinstance(value, float) and value.is_integer():  # epoch ms from a pandas column with gaps
        value = int(value)
    return str(value) if value is not None else None


def order_rows(rows: list[dict], seed: int | str | None) -> list[dict]:
    """seed None: sorted by doc_id; "time": by publication time (undated rows first), then doc_id;
    else a seeded shuffle (random.Random(seed))."""
    rows = sorted(rows, key=lambda r: r["doc_id"])
    if seed == "time":
        times = [parse_time(row_published(r)) for r in rows]
        order = sorted(range(len(rows)), key=lambda i: (times[i] is not None, times[i] or 0.0))
        return [rows[i] for i in order]
    if seed is not None:
        random.Random(seed).shuffle(rows)
    return rows


def bcubed(pred: dict, gold: dict) -> tuple[float, float, float]:
    pc, gc = defaultdict(set), defaultdict(set)
    for k, v in pred.items():
        pc[v].add(k)
    for k, v in gold.items():
        gc[v].add(k)
    P = R = 0.0
    for k in gold:
        a, b = pc[pred[k]], gc[gold[k]]
        inter = len(a & b)
        P += inter / len(a)
        R += inter / len(b)
    n = len(gold)
    P, R = P / n, R / n
    return P, R, (2 * P * R / (P + R) if P + R else 0.0)


def pairwise(pred: dict, gold: dict) -> tuple[float, float, float]:
    def pairs(lab):
        cnt = Counter(lab.values())
        return sum(c * (c - 1) // 2 for c in cnt.values())

    joint = Counter((pred[k], gold[k]) for k in gold)
    tp = sum(c * (c - 1) // 2 for c in joint.values())
    pp, gp = pairs(pred), pairs(gold)
    P = tp / pp if pp else 1.0
    R = tp / gp if gp else 1.0
    return P, R, (2 * P * R / (P + R) if P + R else 0.0)


def df_table(texts: list[str]) -> dict:
    df: Counter = Counter()
    for t in texts:
        df.update(tokens_for_df(t))
    return {"n_docs": len(texts), "df": {k: v for k, v in sorted(df.items()) if v >= 2}}


def extraction_texts(shared: Path) -> list[str]:
    gt = shared / "data" / "extraction" / "ground-truth.json"
    if not gt.exists():
        return []
    d = json.loads(gt.read_text(encoding="utf-8"))
    return [v.get("articleBody") or "" for _, v in sorted(d.items())]


class TfidfBaseline:
    """Plain single-pass clustering: TF-IDF (online DF) cosine to each cluster centroid."""

    def __init__(self, threshold: float, df: dict | None = None, n_docs: int = 0):
        self.th = threshold
        self.df = Counter(df or {})
        self.n = n_docs
        self.centroids: list[dict] = []
        self.post: dict[str, set] = defaultdict(set)

    def _vec(self, text: str) -> dict:
        tf = Counter(stem(t) for t in TOKEN_RE.findall(text.lower()) if t not in STOPWORDS and len(t) > 1)
        self.n += 1
        self.df.update(tf.keys())
        v = {t: (1 + math.log(c)) * math.log((self.n + 1) / (self.df[t] + 0.5)) for t, c in tf.items()}
        nrm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {t: x / nrm for t, x in v.items()}

    def assign(self, text: str) -> int:
        v = self._vec(text)
        cands = set()
        for t in v:
            cands |= self.post[t]
        best, bi = -1.0, -1
        for ci in sorted(cands):
            c = self.centroids[ci]
            nrm = math.sqrt(sum(x * x for x in c.values())) or 1.0
            s = sum(x * c.get(t, 0.0) for t, x in v.items()) / nrm
            if s > best:
                best, bi = s, ci
        if best >= self.th:
            c = self.centroids[bi]
            for t, x in v.items():
                c[t] = c.get(t, 0.0) + x
                self.post[t].add(bi)
            return bi
        self.centroids.append(dict(v))
        for t in v:
            self.post[t].add(len(self.centroids) - 1)
        return len(self.centroids) - 1


def run_baseline(rows: list[dict], threshold: float) -> dict:
    """The baseline reads what Newsflow reads: a row's own title (when it has one) and its text."""
    b = TfidfBaseline(threshold)
    return {r["doc_id"]: b.assign(f"{r['title']}\n{r.get('text') or ''}" if r.get("title") else r.get("text") or "")
            for r in rows}
