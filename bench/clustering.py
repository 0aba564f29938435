#!/usr/bin/env python
"""Story-clustering benchmark: quality on ECB+ dev and on real scraped pages, and speed/memory, next to a
TF-IDF baseline.

    .venv/bin/python bench/clustering.py                      # quality (sorted + 2 seeded orders)
    .venv/bin/python bench/clustering.py --via-core           # quality through cleaning + facts + clustering
    .venv/bin/python bench/clustering.py --speed              # + throughput/memory at 10k/100k[/1M]
    .venv/bin/python bench/clustering.py --speed --sizes 10000,100000,1000000
    .venv/bin/python bench/clustering.py --no-quality --golden /tmp/golden.json  # decisions unchanged?

Quality: articles streamed one by one (title = first line, body = the rest, no dates, unless a
row carries its own title or publication time) in sorted-doc_id order and seeded shuffles; B-cubed
and pairwise P/R/F1 vs gold cluster_id. ``--via-core`` streams them as raw text articles through
the product's path (cleaning, event facts, clustering), as ``newsflow replay`` does.
The baseline is a plain single-pass TF-IDF clusterer (online DF, cosine to cluster centroid)
whose threshold is tuned on the same data (the best B-cubed F1 over a grid), so it is favoured.
Scraped pages: the extraction benchmark's 181 real pages (``--extraction``) from raw HTML through
the product's path, with the dates they give, against our labels in bench/data/extraction-events.json;
the same orders plus publication-time order; then the same pages as raw scraped text (each page's
visible text, then its Markdown, then the visible text with its line breaks lost; bench/visible_text.py),
with the page's date; then as briefs (headline and first paragraph) and headlines alone.

Speed: the window is filled untimed, by default through ``fast_fill`` (assign_features() on
copies of 20k precomputed synthetic feature sets: the same index/store path as assign(), without
re-tokenising a million texts), or with ``--full-fill`` through assign() on synthetic articles
made from dev texts (names and numbers substituted at random). Then two measures are timed in
alternating chunks on that window, each over its own fresh synthetic articles:
- the clustering stage: what the serial, language-keyed stage does per article now that the
  cleaning stage prepares the features (pipeline.clustering.prepared): decode the record's
  ``cluster_features``, then assign_features();
- the whole assign(): feature extraction plus the decision, all on one core, as when a record
  arrives without prepared features.
Both start from the article's event facts, which the cleaning stage computes as well.
Memory: tracemalloc growth per window article while filling (index + store
dict + event summaries; inputs excluded), traced only for windows <= 20k, and RSS growth.

Golden: every Assignment of ECB+ dev in 3 orders (sorted, seeds 1 and 2) and of a 6.5k synthetic
stream (times on 2 of 3 articles, a 1,500-article window and 500 recent arrivals kept, so both
kinds of eviction run, and a clusterer restored from the store halfway that must agree with the
live one): 8,816 in all. It prints their
count and sha1, writes them to the file when it does not exist, and otherwise lists the differences.
A speed or memory change must leave them identical (docs/clustering.md gives the digest).
"""
from __future__ import annotations

import argparse
import copy
import dataclasses
import datetime
import gc
import gzip
import hashlib
import random
import re
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

import orjson  # noqa: E402

from bench.args import load_or_refuse, positive_int, positive_int_list, require_path  # noqa: E402
from connectors.rows import (HTML_FIELDS, ID_FIELDS, LANGUAGE_FIELDS, TITLE_FIELDS, first,  # noqa: E402
                            flat_row, raw_article_of_row, row_text, value_text)
from pipeline.clustering import ClusterDoc, ClusterParams, StoryClusterer  # noqa: E402
from pipeline.clustering.clusterer import facts_for, features_for  # noqa: E402
from pipeline.clustering.prepared import decode_features, encode_features, fingerprint  # noqa: E402
from pipeline.clustering.features import extract  # noqa: E402
from pipeline.cleaning.normalize import detect_language, language_tag  # noqa: E402
from pipeline.clustering.evaluation import (TfidfBaseline, bcubed, load_labelled, order_rows, pairwise,  # noqa: E402
                                            row_published, run_baseline, short_versions, split_title)

BASE_GRID = [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4]


GOLD_FIELDS = ("cluster_id", "event_id", "event", "cluster", "label", "gold", "story_id", "story", "cluster_label")


# what the cleaning flags when a text is raw scraped text rather than an article's own
SCRAPED_FORMS = frozenset({"page_text_trimmed", "markdown_removed", "markup_removed", "html_given_as_text",
                           "reader_header_read"})


def normalise_rows(rows: list[dict]) -> list[dict]:
    """Labelled rows in the shape the bench reads, whatever the usual field names: ``doc_id``,
    ``cluster_id``, ``text``, and ``html`` when the row is a scraped page. A page with no text of its
    own gets the title, text and date that the product's extraction and cleaning find (so the
    clusterer-alone path and the baseline read words too; the product's path still starts from the
    HTML). So does a text that the cleaning reads as raw scraped text (a whole page's text, Markdown,
    HTML in text), which the product's path still receives as it is (``page_text``). Other rows
    already in that shape are returned unchanged."""
    try:  # a caller that did not check them (labelled_rows) stops here, before the slow extraction
        check_labels(rows)
    except ValueError as exc:
        raise SystemExit(str(exc)) from None
    out, clean_stage = [], _clean_stage()
    progress = Progress("reading the rows (pages and scraped text through the product's extraction)", len(rows))
    for i, r in enumerate(rows):
        progress.step(i)
        r = flat_row(r)  # fields of nested objects, as `replay --rows` reads them
        doc_id, gold = _row_id(r), first(r, GOLD_FIELDS)
        text, html = row_text(r), first(r, HTML_FIELDS)
        title = first(r, TITLE_FIELDS)
        if (r.get("doc_id") == doc_id and r.get("cluster_id") == gold and r.get("text") == text
                and r.get("title") == title and not html):
            row = r
        else:
            row = dict(r, doc_id=str(doc_id), cluster_id=gold, text=text or "")
            if title:
                row["title"] = title
        if html:
            row["html"] = html
            if not text:
                extracted = _extracted(clean_stage, row)
                extracted.pop("flags")
                row.update(extracted)
        elif text and "page_text" not in row:
            extracted = _extracted(clean_stage, row)
            if SCRAPED_FORMS & set(extracted.pop("flags")):
                if row.get("title"):  # its own title stays; the extracted text opens with it
                    extracted["text"] = extracted["text"].partition("\n")[2]
                row = dict(row, page_text=text, **extracted)
        out.append(row)
    return out


def labelled_rows(path) -> list[dict]:
    """The rows of ``path``, their ids and gold events checked (check_labels): a file that cannot be
    scored raises what load_labelled or check_labels raise, before any page goes through the slow extraction."""
    rows = load_labelled(path)
    check_labels(rows)
    return rows


def check_labels(rows: list[dict]) -> None:
    """ValueError naming the first row without an id or a gold event, or the ids more than one row gives:
    scores are kept per id, so a second row of an id would silently replace the first and the figures
    count fewer articles than said."""
    ids = []
    for i, r in enumerate(rows):
        r = flat_row(r)
        if first(r, ID_FIELDS) is None or first(r, GOLD_FIELDS) is None:
            raise ValueError(f"row {i + 1}: needs an id ({' or '.join(ID_FIELDS)}) and a gold event "
                             f"({' or '.join(GOLD_FIELDS)}); it has {sorted(r)}")
        ids.append(_row_id(r))
    repeated = [doc_id for doc_id, n in Counter(ids).items() if n > 1]
    if repeated:
        raise ValueError(f"{len(repeated)} ids are given to more than one row ({', '.join(repeated[:5])}"
                         f"{', ...' if len(repeated) > 5 else ''}): each labelled article needs an id of its own")


def _row_id(flat: dict) -> str:
    """A flat row's id as `replay --rows` gives it: 7, 7.0 and "7" name one article."""
    return value_text(first(flat, ID_FIELDS))


class Progress:
    """A line on stderr every ``every`` seconds of a long pass over rows (tens of thousands of pages
    take the extraction many minutes), so that a run is seen to go on; a short pass prints nothing."""

    def __init__(self, what: str, total: int, every: float = 30.0, unit: str = "rows") -> None:
        self.what, self.total, self.every, self.unit = what, total, every, unit
        self.start = self.last = time.monotonic()

    def step(self, done: int) -> None:
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            rate = done / (now - self.start)
            seconds = (self.total - done) / rate if rate else None
            left = ("" if seconds is None else f", about {seconds / 60:.0f} min left" if seconds >= 120
                    else f", about {seconds:.0f} s left")
            print(f"    ... {self.what}: {done:,} of {self.total:,} {self.unit}{left}", file=sys.stderr, flush=True)


def _clean_stage():
    from pipeline.core import OfflinePipeline
    from pipeline.settings import Settings

    return OfflinePipeline(Settings()).clean_stage


def raw_article(row: dict) -> dict:
    """A labelled row as the raw article a connector would send (connectors.rows): raw scraped
    text as it came (``page_text``), else the row's own page or text."""
    return raw_article_of_row(dict(row, text=row.get("page_text") or row.get("text") or ""), row["doc_id"])


def _extracted(clean_stage, row: dict) -> dict:
    """Title + text (one string, as ECB+ rows hold them), date and dateline of a scraped row's page
    as the product extracts them; empty text when the cleaning rejects the page."""
    from schemas.models import Rejected

    raw = raw_article(row)
    try:
        article = clean_stage.clean(clean_stage.decode(orjson.dumps(raw)))
    except Rejected:
        return {"text": "", "flags": []}
    got = {"text": (article.get("title") or "") + "\n" + (article.get("text") or ""),
           "dateline": article.get("dateline"), "language": article.get("language"), "flags": article.get("flags") or []}
    if article.get("published") and not row_published(row):
        got["published"] = article["published"]
    return got


def row_language(r: dict) -> str | None:
    """The row's language: its own field (``language``/``lang``), else what the cleaning would detect."""
    given = first(r, LANGUAGE_FIELDS)
    if given:
        return language_tag(str(given))
    return detect_language((r.get("title") or "") + "\n" + (r.get("text") or ""))


def row_doc(r) -> ClusterDoc:
    """The clusterer's input for one labelled row: its own title when it has one (else the first
    line, as for ECB+), its publication time when it carries one (any of PUBLISHED_FIELDS), and its
    language (``row_language``), which decides the function words and word weights."""
    if r.get("title"):
        title, body = r["title"], r.get("text") or ""
    else:
        title, body = split_title(r)
    published = row_published(r)
    return ClusterDoc(id=r["doc_id"], title=title, text=body, url=r.get("url"), published=published,
                      fetched_at=r.get("fetched_at"), language=row_language(r), dateline=r.get("dateline"))


def run_newsflow(rows, p, seed):
    c = StoryClusterer(p, {})
    t = time.perf_counter()
    pred = {}
    for r in order_rows(rows, seed):
        pred[r["doc_id"]] = c.assign(row_doc(r)).event_id
    return pred, time.perf_counter() - t


def run_core(rows, p, seed):
    """The product's path: each row as a raw text article through OfflinePipeline (cleaning, event
    facts, clustering), as ``newsflow replay`` runs it. A rejected row is its own event."""
    from pipeline.core import OfflinePipeline
    from pipeline.settings import Settings

    op = OfflinePipeline(Settings())
    op.cluster_stage.clusterer = StoryClusterer(p, op.cluster_stage.clusterer.store)
    t = time.perf_counter()
    pred, rejected = {}, 0
    progress = Progress("through the product's path", len(rows))
    for i, r in enumerate(order_rows(rows, seed)):
        progress.step(i)
        out = op.process(orjson.dumps(raw_article(r)))
        if "error" in out:
            rejected += 1
            pred[r["doc_id"]] = "rejected:" + r["doc_id"]
        else:
            pred[r["doc_id"]] = out["event_id"]
    if rejected:
        print(f"    ({rejected} rows rejected by cleaning, each counted as its own event)")
    return pred, time.perf_counter() - t


def scraped_rows(extraction_dir: Path, events_file: Path) -> list[dict]:
    """The extraction benchmark's real pages as labelled rows (labels: ``events_file``; a page in no
    labelled event is an event of its own). ``html`` feeds the product's path, which extracts text and
    date itself; ``text`` is the product's cleaned title and body, for the baseline, so both cluster
    the same words; ``published`` is the date the extraction found, for the publication-time order."""
    truth = orjson.loads((extraction_dir / "ground-truth.json").read_bytes())
    labels = orjson.loads(events_file.read_bytes())["events"]
    gold = {pid: name for name, ids in labels.items() for pid in ids}
    pages = extraction_dir / "html" if (extraction_dir / "html").is_dir() else extraction_dir
    rows = []
    for pid in sorted(truth):
        page = pages / f"{pid}.html.gz"
        if page.exists():
            rows.append({"doc_id": pid, "cluster_id": gold.get(pid, "page:" + pid), "url": truth[pid].get("url"),
                         "html": gzip.decompress(page.read_bytes()).decode("utf-8", "replace")})
    return normalise_rows(rows)


def page_text_row(row: dict, markdown: bool = False, glued: bool = False) -> dict:
    """A scraped row given as its page's visible text (or Markdown) instead of its HTML (title unknown);
    ``glued``: with its line breaks lost, every run of whitespace one space."""
    from bench.visible_text import visible_text

    out = {k: v for k, v in row.items() if k not in ("html", "title", "dateline", "text")}
    text = visible_text(row["html"], markdown=markdown)
    out["text"] = " ".join(text.split()) if glued else text
    return out


def fmt(m):
    return "B3 P/R/F1 %.3f/%.3f/%.3f  pairwise P/R/F1 %.3f/%.3f/%.3f" % m


def quality(rows, p, orders, label="", run=run_newsflow):
    gold = {r["doc_id"]: r["cluster_id"] for r in rows}
    # tune the baseline threshold on these rows (sorted order), then use it for all orders
    best_th, best_f = None, -1.0
    for th in BASE_GRID:
        f = bcubed(run_baseline(order_rows(rows, None), th), gold)[2]
        if f > best_f:
            best_th, best_f = th, f
    ours, base = [], []
    for seed in orders:
        pred, dt = run(rows, p, seed)
        m = bcubed(pred, gold) + pairwise(pred, gold)
        ours.append(m)
        bpred = run_baseline(order_rows(rows, seed), best_th)
        bm = bcubed(bpred, gold) + pairwise(bpred, gold)
        base.append(bm)
        name = ("sorted doc_id" if seed is None else "publication time" if seed == "time"
                else f"shuffle seed {seed}")
        print(f"  order {name:15s} newsflow {fmt(m)}  [{len(rows) / dt:.0f} art/s]")
        print(f"  {'':21s} baseline {fmt(bm)}")
    mo = tuple(sum(x[i] for x in ours) / len(ours) for i in range(6))
    mb = tuple(sum(x[i] for x in base) / len(base) for i in range(6))
    print(f"  MEAN {label:16s} newsflow {fmt(mo)}")
    print(f"  {'':21s} baseline {fmt(mb)}   (TF-IDF threshold {best_th}, tuned here)")
    def ratio(a, b):
        return f"x{a / b:.2f}" if b else "n/a"

    print(f"  {'':21s} ratio    B3 F1 {ratio(mo[2], mb[2])}, B3 P {ratio(mo[0], mb[0])}, pairwise F1 {ratio(mo[5], mb[5])}")
    return mo, mb


# ----------------------------------------------------------------- synthetic
_CAP = re.compile(r"\b[A-Z][a-z]{2,}\b")
_NUM = re.compile(r"\b\d+\b")


class Synth:
    """Make endless distinct-but-realistic articles from dev texts: each synthetic 'event'
    swaps the capitalised names of a dev article for names drawn from a pool and shifts its
    numbers; a few articles per event are emitted with sentence-level edits."""

    def __init__(self, rows, seed=1):
        self.rng = random.Random(seed)
        self.texts = [(split_title(r)) for r in rows]
        names = sorted({w for r in rows for w in _CAP.findall(r["text"])})
        self.names = names
        self.i = 0

    def event(self):
        rng = self.rng
        title, body = self.texts[rng.randrange(len(self.texts))]
        mapping = {}

        def sub(m):
            w = m.group(0)
            if w not in mapping:
                mapping[w] = rng.choice(self.names) + rng.choice(("", "", "ov", "son", "ez", "ini"))
            return mapping[w]

        def num(m):
            return str(int(m.group(0)) + rng.randrange(1, 97))

        return _NUM.sub(num, _CAP.sub(sub, title)), _NUM.sub(num, _CAP.sub(sub, body))

    def docs(self, n, per_event=4):
        out = []
        while len(out) < n:
            title, body = self.event()
            sents = body.split("\n")
            for _ in range(per_event):
                s = sents[:]
                if len(s) > 2:
                    s.pop(self.rng.randrange(len(s)))
                self.i += 1
                out.append(ClusterDoc(id=f"syn{self.i}", title=title, text="\n".join(s), source="syn"))
        return out[:n]


def bulk_fill(c: StoryClusterer, docs):
    for d in docs:
        c.assign(d)


def feature_pool(c: StoryClusterer, syn: Synth, n: int) -> list:
    """Features of n synthetic articles, computed once (extract() is the slow half of assign()),
    event facts included as the stream stage passes them."""
    progress, pool = Progress("features of the synthetic articles that fill the window", n, unit="articles"), []
    for i, d in enumerate(syn.docs(n)):
        progress.step(i)
        pool.append(extract(d.title, d.text, d.url, d.published, d.fetched_at, c.idf, c.p, facts_for(d)))
    return pool


def with_facts(docs):
    """The docs as ClusterStage hands them over: facts computed by the stage (it needs them for the
    event record anyway), so the timed assign() does not pay for the tagger."""
    return [dataclasses.replace(d, facts=facts_for(d)) for d in docs]


def fast_fill(c: StoryClusterer, pool: list, n: int, start: int, rng: random.Random) -> None:
    """Fill the window through assign_features() (the same index/store path as assign()) with
    copies of pooled features. Each copy gets fresh exact keys and a random MinHash mask, so it is
    neither an exact nor a near duplicate of its siblings; its terms and names are the pool's, so
    inverted lists grow long as in a real window (only their newest postings are read)."""
    for i in range(start, start + n):
        f = pool[i % len(pool)]
        mask = np.frombuffer(rng.randbytes(4 * f.minhash.size), dtype=np.uint32)
        g = copy.copy(f)
        g.content_key = rng.getrandbits(64)
        g.url_key = 0
        g.minhash = f.minhash ^ mask
        c.assign_features(f"fill{i}", g)


def _rss() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096


def speed(rows, p, sizes, n_measure, with_baseline, full_fill=False):
    print("\n== speed / memory (one core; synthetic articles from dev texts; no dates -> count window)")
    how = ("bulk_fill: assign() on synthetic articles" if full_fill else
           "fast_fill: assign_features() on copies of 20k precomputed synthetic feature sets")
    print(f"   window filled untimed ({how}); then, on {n_measure} fresh synthetic articles each, alternating chunks of "
          "the clustering stage (decode the features the cleaning stage prepared + assign_features()) and of the "
          "whole assign() (extract + decide)")
    results = {}
    for size in sizes:
        gc.collect()
        p2 = p.replace(max_articles=size)
        syn = Synth(rows, seed=size)
        c = StoryClusterer(p2, {})
        rng = random.Random(size)
        pool = None if full_fill else feature_pool(c, syn, min(size, 20000))
        # alternate blocks of 100 articles (whole synthetic events of 4) go to the two measures
        docs = with_facts(syn.docs(2 * n_measure))
        fresh = [d for i, d in enumerate(docs) if i // 100 % 2 == 0]
        fp = fingerprint(p2)
        prepared = [(d.id, encode_features(features_for(d, p2), fp)) for i, d in enumerate(docs) if i // 100 % 2]
        del docs
        trace = size <= 20000
        gc.collect()
        rss0 = _rss()
        if trace:
            tracemalloc.start()
        t0 = time.perf_counter()
        done = 0
        progress = Progress(f"filling the window of {size:,}", size, unit="articles")
        while done < size:
            progress.step(done)
            k = min(2000, size - done)
            if full_fill:
                docs = with_facts(syn.docs(k))
                bulk_fill(c, docs)
                del docs  # the inputs are not window state
            else:
                fast_fill(c, pool, k, done, rng)
            done += k
        fill_s = time.perf_counter() - t0
        gc.collect()
        mem = tracemalloc.get_traced_memory()[0] if trace else None
        if trace:
            tracemalloc.stop()
        rss = _rss() - rss0
        whole, stage = timed_interleaved(c, fresh, prepared)
        results[size] = stage
        print(f"  window {size:>9,}: clustering stage {stage:6.0f} art/s, whole assign() {whole:6.0f} art/s "
              f"(x{stage / whole:.2f})   fill {fill_s:4.0f}s   "
              + (f"state {mem / size:5.0f} B/article (tracemalloc)  " if mem else "")
              + f"RSS growth {rss / size:5.0f} B/article   events={c.event_count():,} window={c.window_size():,}",
              flush=True)
        del c, pool
    if len(results) > 1:
        lo, hi = min(results), max(results)
        print(f"  clustering stage slowdown {hi:,} vs {lo:,}: x{results[lo] / results[hi]:.2f}")
    if with_baseline:
        n = min(sizes)
        syn = Synth(rows, seed=7)
        b = TfidfBaseline(0.3)
        docs = syn.docs(n)
        t = time.perf_counter()
        k = 0
        for d in docs:
            b.assign(d.title + "\n" + d.text)
            k += 1
            if time.perf_counter() - t > 60:
                break
        base = k / (time.perf_counter() - t)
        print(f"  baseline TF-IDF single-pass (all centroids sharing a term), first {k:,} articles: "
              f"{base:.0f} art/s (unbounded state, no window)")
        print("  ratio    clustering stage / baseline art/s: "
              + ", ".join(f"x{rate / base:.1f} at window {size:,}" for size, rate in results.items()))


def timed_interleaved(c: StoryClusterer, fresh: list, prepared: list, chunk: int = 100) -> tuple[float, float]:
    """(articles/s of assign() on documents, articles/s of the clustering stage's work on features the
    cleaning stage prepared: decode, then assign_features()), timed in alternating chunks on one
    window so that both see the same state and the same machine noise."""
    fp = fingerprint(c.p)
    t_whole = t_stage = 0.0
    for i in range(0, len(fresh), chunk):
        t = time.perf_counter()
        for d in fresh[i:i + chunk]:
            c.assign(d)
        t_whole += time.perf_counter() - t
        t = time.perf_counter()
        for aid, value in prepared[i:i + chunk]:
            c.assign_features(aid, decode_features(value, fp))
        t_stage += time.perf_counter() - t
    return len(fresh) / t_whole, len(prepared) / t_stage


def golden_assignments(rows, p) -> list:
    """The 8,816 (id, event, relation, duplicate_of, similarity, evicted) tuples of the golden run."""
    out = []
    for seed in (None, 1, 2):
        c = StoryClusterer(p, {})
        for r in order_rows(rows, seed):
            title, body = split_title(r)
            a = c.assign(ClusterDoc(id=r["doc_id"], title=title, text=body, url=r.get("url")))
            out.append((r["doc_id"], a.event_id, a.relation, a.duplicate_of, a.similarity, a.evicted))
    syn = Synth(rows, seed=5)
    docs = syn.docs(6000)
    t0 = datetime.datetime(2024, 1, 1)
    for i, d in enumerate(docs):
        if i % 3:
            d.published = (t0 + datetime.timedelta(hours=i // 4)).isoformat() + "Z"
    p2 = p.replace(max_articles=1500, recent_kept=500)  # both bounds and the time window at work
    c = StoryClusterer(p2, {})
    for d in docs:
        a = c.assign(d)
        out.append((d.id, a.event_id, a.relation, a.duplicate_of, a.similarity, a.evicted))
    c2 = StoryClusterer.restore(p2, c.store)
    for d in syn.docs(500):
        a, b = c.assign(d), c2.assign(d)
        if a != b:
            raise AssertionError(f"restored clusterer disagrees on {d.id}: {a} vs {b}")
        out.append((d.id, a.event_id, a.relation, a.duplicate_of, a.similarity, a.evicted))
    return out


def golden(rows, p, path: str) -> bool:
    blob = orjson.dumps(golden_assignments(rows, p))
    cur = orjson.loads(blob)
    print(f"== golden: {len(cur):,} assignments, sha1 {hashlib.sha1(blob).hexdigest()}")
    f = Path(path)
    if not f.exists():
        f.write_bytes(blob)
        print(f"   saved to {f}")
        return True
    ref = orjson.loads(f.read_bytes())
    diff = [(a, b) for a, b in zip(ref, cur) if a != b]
    same = not diff and len(ref) == len(cur)
    print(f"   vs {f}: {'identical' if same else f'{len(diff)} differ (of {len(ref)} saved), first: {diff[:3]}'}")
    return same


def order_list(text: str) -> list:
    """--orders: a comma list of 'sorted' (None), 'time' and integer shuffle seeds."""
    orders = []
    for item in (part.strip() for part in text.split(",")):
        if item in ("sorted", "time"):
            orders.append(None if item == "sorted" else item)
            continue
        try:
            orders.append(int(item))
        except ValueError:
            raise argparse.ArgumentTypeError(f"{item!r} is not 'sorted', 'time' or an integer shuffle seed") from None
    return orders


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(ROOT.parent / "shared/data/ecbplus-dev/ecbplus_dev.jsonl"),
                    help="labelled rows: JSON lines, a JSON array or object of rows (or an API's answer whose one "
                         "list holds them, such as NewsAPI's articles), or CSV/TSV with a header (its delimiter read "
                         "off it); each may be gzipped; or a folder of such files. A row needs an id (" + "/".join(ID_FIELDS) + ") and a gold "
                         "event (" + "/".join(GOLD_FIELDS) + "), in any case or in camelCase; its text, title, page, "
                         "URL and date are read under the names `replay --rows` reads (connectors/rows.py)")
    ap.add_argument("--params", default=None, help="params.json (default: the shipped one)")
    ap.add_argument("--orders", type=order_list, default="sorted,1,2",
                    help="comma list: 'sorted', 'time' (publication time; added by itself when most rows are "
                         "dated) and/or shuffle seeds")
    ap.add_argument("--speed", action="store_true")
    ap.add_argument("--no-quality", action="store_true")
    ap.add_argument("--sizes", type=positive_int_list, default="10000,100000",
                    help="comma list of window sizes (positive integers) for --speed")
    ap.add_argument("--measure", type=positive_int, default=2000, help="articles timed per window size")
    ap.add_argument("--full-fill", action="store_true", help="fill with assign() on synthetic texts (slow)")
    ap.add_argument("--via-core", action="store_true",
                    help="quality through the product's path (cleaning, facts, clustering: what `newsflow replay` runs) "
                         "instead of the clusterer alone")
    ap.add_argument("--furniture", action="store_true",
                    help="wrap each row's text in made-up site furniture (bench/furniture.py: menus, cookie banners, "
                         "prompts, related headlines, footers) and measure through the product's path (implies --via-core)")
    ap.add_argument("--extraction", default=str(ROOT.parent / "shared/data/extraction"),
                    help="the extraction benchmark's pages (ground-truth.json and html/*.html.gz), clustered "
                         "through the product's path against --events")
    ap.add_argument("--events", default=str(ROOT / "bench/data/extraction-events.json"),
                    help="same-event labels for those pages")
    ap.add_argument("--golden", metavar="FILE", help="check the 8,816 golden assignments against FILE (written if absent)")
    a = ap.parse_args(argv)
    if a.params:  # ClusterParams.load would take a missing file for the code's defaults, silently
        require_path(ap, "--params", a.params)
    require_path(ap, "--events", a.events)
    rows = normalise_rows(load_or_refuse(ap, "--data", labelled_rows, a.data))
    if a.furniture:
        from furniture import wrap_rows

        rows, a.via_core = wrap_rows(rows), True
    p = ClusterParams.load(a.params)
    orders = list(a.orders)
    if "time" not in orders and sum(1 for r in rows if row_published(r)) * 2 > len(rows):
        orders.append("time")  # most rows are dated: also stream them as they were published
    if not a.no_quality:
        print(f"== quality on {a.data} ({len(rows)} articles, {len({r['cluster_id'] for r in rows})} gold events)")
        if Path(a.data).name == "ecbplus_dev.jsonl":
            print("   (shipped params were fitted on all of this data, the odd and even topics below included: "
                  "held-out figures come from bench/fit_clustering.py --split)")
        run = run_core if a.via_core else run_newsflow
        if a.via_core:
            print("   through the product's path: raw text articles -> cleaning -> event facts -> clustering"
                  + (", each text wrapped in its site's furniture (bench/furniture.py)" if a.furniture else ""))
        quality(rows, p, orders, "all topics", run)
        for par, name in ((1, "odd topics"), (0, "even topics")):
            sub = [r for r in rows if isinstance(r.get("topic"), int) and r["topic"] % 2 == par]
            if sub:
                print(f"-- subset: {name}")
                quality(sub, p, orders, name, run)
        if not a.via_core:
            print("-- all topics through the product's path (raw text articles -> cleaning -> event facts -> "
                  "clustering, as `newsflow replay` runs them; --via-core for the subsets too)")
            quality(rows, p, orders, "product path", run_core)
        short = {} if a.furniture else short_versions(rows)  # (wrapped texts open with a site's menu)
        if short:
            print("-- the same rows as feeds and news aggregators carry them: the headline (the row's title, else "
                  "its first line) with the next line as its summary, then the headline alone; clusterer alone and "
                  "through the product's path; the baseline reads the same words")
        for kind in short:
            quality(short[kind], p, orders, f"{kind}s", run_newsflow)
            quality(short[kind], p, orders, f"{kind}s, product", run_core)
        if Path(a.extraction, "ground-truth.json").exists():
            srows = scraped_rows(Path(a.extraction), Path(a.events))
            n_multi = sum(1 for n in Counter(r["cluster_id"] for r in srows).values() if n > 1)
            print(f"\n== real scraped pages: {a.extraction} ({len(srows)} pages, {n_multi} labelled events of 2+ pages; "
                  f"labels {Path(a.events).name})")
            print("   raw HTML through the product's path (extraction, cleaning, facts, clustering) with the dates the "
                  "pages give; orders as above plus by publication time")
            quality(srows, p, orders + ["time"] * ("time" not in orders), "scraped pages", run_core)
            print("\n   the same pages as raw scraped text: each page's visible text (bench/visible_text.py: menus, "
                  "teasers, footers and all, one line per block), as a scraper that drops the markup hands it over, "
                  "with the page's date; the baseline reads the same text")
            quality([page_text_row(r) for r in srows], p, orders + ["time"] * ("time" not in orders),
                    "page text", run_core)
            print("\n   the same pages as Markdown (links, images, headings, bullets), as the scrapers that feed "
                  "language models write them; the baseline reads the same Markdown")
            quality([page_text_row(r, markdown=True) for r in srows], p, orders + ["time"] * ("time" not in orders),
                    "page markdown", run_core)
            print("\n   the same visible text with its line breaks lost (every run of whitespace one space, as "
                  "BeautifulSoup's get_text(' ', strip=True) gives it); the baseline reads the same text")
            quality([page_text_row(r, glued=True) for r in srows], p, orders + ["time"] * ("time" not in orders),
                    "page text glued", run_core)
            print("\n   the same pages as a feed carries them: the headline with the first paragraph as its "
                  "summary, then the headline alone, with the page's date (clusterer alone): mostly unrelated "
                  "stories, some sharing a word or two, where the ECB+ briefs are two events per topic")
            dated = {r["doc_id"]: r.get("published") for r in srows}
            for kind, short_rows in short_versions(srows).items():
                quality([dict(r, published=dated[r["doc_id"]]) for r in short_rows], p,
                        orders + ["time"] * ("time" not in orders), f"page {kind}s", run_newsflow)
        else:
            print(f"\n== real scraped pages: skipped, no {Path(a.extraction, 'ground-truth.json')} (--extraction)")
    if a.golden and not golden(rows, p, a.golden):
        sys.exit(1)
    if a.speed:
        speed(rows, p, a.sizes, a.measure, True, a.full_fill)


if __name__ == "__main__":
    main()
