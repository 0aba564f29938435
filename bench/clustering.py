#!/usr/bin/env python
"""Story-clustering benchmark: quality on ECB+ dev and speed/memory, next to a TF-IDF baseline.

    .venv/bin/python bench/clustering.py                      # quality (sorted + 2 seeded orders)
    .venv/bin/python bench/clustering.py --speed              # + throughput/memory at 10k/100k[/1M]
    .venv/bin/python bench/clustering.py --speed --sizes 10000,100000,1000000

Quality: articles streamed one by one (title = first line, body = the rest, no dates) in
sorted-doc_id order and seeded shuffles; B-cubed and pairwise P/R/F1 vs gold cluster_id.
The baseline is a plain single-pass TF-IDF clusterer (online DF, cosine to cluster centroid)
whose threshold is tuned on the same data (the best B-cubed F1 over a grid), so it is favoured.

Speed: the window is filled with synthetic articles made from dev texts (names and numbers
substituted at random so they do not all collide) through ``bulk_fill``, which runs the very
same assign() path but without timing; then assign() is timed on fresh articles. Memory is the
tracemalloc growth per window article while filling (index + store dict + event summaries),
traced only for windows <= 20k (tracemalloc slows the fill several-fold).
"""
from __future__ import annotations

import argparse
import gc
import random
import re
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.clustering import ClusterDoc, ClusterParams, StoryClusterer  # noqa: E402
from pipeline.clustering.evaluation import (TfidfBaseline, bcubed, load_jsonl, order_rows, pairwise,  # noqa: E402
                                            run_baseline, split_title)

BASE_GRID = [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4]


def run_newsflow(rows, p, seed):
    c = StoryClusterer(p, {})
    t = time.perf_counter()
    pred = {}
    for r in order_rows(rows, seed):
        title, body = split_title(r)
        pred[r["doc_id"]] = c.assign(ClusterDoc(id=r["doc_id"], title=title, text=body, url=r.get("url"))).event_id
    return pred, time.perf_counter() - t


def fmt(m):
    return "B3 P/R/F1 %.3f/%.3f/%.3f  pairwise P/R/F1 %.3f/%.3f/%.3f" % m


def quality(rows, p, orders, label=""):
    gold = {r["doc_id"]: r["cluster_id"] for r in rows}
    # tune the baseline threshold on these rows (sorted order), then use it for all orders
    best_th, best_f = None, -1.0
    for th in BASE_GRID:
        f = bcubed(run_baseline(order_rows(rows, None), th), gold)[2]
        if f > best_f:
            best_th, best_f = th, f
    ours, base = [], []
    for seed in orders:
        pred, dt = run_newsflow(rows, p, seed)
        m = bcubed(pred, gold) + pairwise(pred, gold)
        ours.append(m)
        bpred = run_baseline(order_rows(rows, seed), best_th)
        bm = bcubed(bpred, gold) + pairwise(bpred, gold)
        base.append(bm)
        name = "sorted doc_id" if seed is None else f"shuffle seed {seed}"
        print(f"  order {name:15s} newsflow {fmt(m)}  [{len(rows) / dt:.0f} art/s]")
        print(f"  {'':21s} baseline {fmt(bm)}")
    mo = tuple(sum(x[i] for x in ours) / len(ours) for i in range(6))
    mb = tuple(sum(x[i] for x in base) / len(base) for i in range(6))
    print(f"  MEAN {label:16s} newsflow {fmt(mo)}")
    print(f"  {'':21s} baseline {fmt(mb)}   (TF-IDF threshold {best_th}, tuned here)")
    print(f"  {'':21s} ratio    B3 F1 x{mo[2] / mb[2]:.2f}, B3 P x{mo[0] / mb[0]:.2f}, pairwise F1 x{mo[5] / mb[5]:.2f}")
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


def speed(rows, p, sizes, n_measure, with_baseline):
    print("\n== speed / memory (one core; synthetic articles from dev texts; no dates -> count window)")
    print("   window filled through bulk_fill (the same assign() path, untimed), then assign() timed on"
          f" {n_measure} fresh articles")
    results = {}
    for size in sizes:
        gc.collect()
        p2 = p.replace(max_articles=size)
        syn = Synth(rows, seed=size)
        c = StoryClusterer(p2, {})
        trace = size <= 20000
        if trace:
            tracemalloc.start()
        t0 = time.perf_counter()
        fill_rate = None
        chunk = 20000
        done = 0
        while done < size:
            k = min(chunk, size - done)
            docs = syn.docs(k)
            t = time.perf_counter()
            bulk_fill(c, docs)
            fill_rate = k / (time.perf_counter() - t)
            done += k
        mem = tracemalloc.get_traced_memory()[0] if trace else None
        if trace:
            tracemalloc.stop()
        fresh = syn.docs(n_measure)
        t = time.perf_counter()
        for d in fresh:
            c.assign(d)
        dt = time.perf_counter() - t
        rate = n_measure / dt
        results[size] = rate
        print(f"  window {size:>9,}: assign {rate:7.0f} art/s   fill {time.perf_counter() - t0:6.0f}s "
              f"(last chunk {fill_rate:.0f} art/s)   "
              + (f"state {mem / size:6.0f} B/article (tracemalloc, incl. store dict) " if mem else "state not traced ")
              + f"events={c.event_count():,} window={c.window_size():,}")
        del c
    if len(results) > 1:
        lo, hi = min(results), max(results)
        print(f"  slowdown {hi:,} vs {lo:,}: x{results[lo] / results[hi]:.2f}")
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
        print(f"  baseline TF-IDF single-pass (all centroids sharing a term), first {k:,} articles: "
              f"{k / (time.perf_counter() - t):.0f} art/s (unbounded state, no window)")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(ROOT.parent / "shared/data/ecbplus-dev/ecbplus_dev.jsonl"))
    ap.add_argument("--params", default=None, help="params.json (default: the shipped one)")
    ap.add_argument("--orders", default="sorted,1,2", help="comma list: 'sorted' and/or shuffle seeds")
    ap.add_argument("--speed", action="store_true")
    ap.add_argument("--no-quality", action="store_true")
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--measure", type=int, default=2000)
    a = ap.parse_args(argv)
    rows = load_jsonl(a.data)
    p = ClusterParams.load(a.params)
    orders = [None if o == "sorted" else int(o) for o in a.orders.split(",")]
    if not a.no_quality:
        print(f"== quality on {a.data} ({len(rows)} articles, {len({r['cluster_id'] for r in rows})} gold events)")
        print("   (shipped params were fitted on all of this data: see the split below for held-out figures)")
        quality(rows, p, orders, "all topics")
        for par, name in ((1, "odd topics"), (0, "even topics")):
            sub = [r for r in rows if r["topic"] % 2 == par]
            print(f"-- subset: {name}")
            quality(sub, p, orders, name)
    if a.speed:
        speed(rows, p, [int(x) for x in a.sizes.split(",")], a.measure, True)


if __name__ == "__main__":
    main()
