#!/usr/bin/env python
"""How far can the clusterer's own vectors go on labelled data, with no streaming constraint at all?

Offline average-linkage clustering of every article against every other, on the word and entity
vectors `features_for` gives the online clusterer, cut at the similarity that scores best *in
hindsight* on the gold labels. No online clusterer comparing the same vectors pair by pair can
expect to beat that cut by much, so when it falls short of a target, the missing part is in what the
vectors carry (who, where, when), not in the order of the decisions. It prints, for words, entities and their mean:
the best B-cubed F1 over the cuts, and the best F1 among cuts with B-cubed precision >= --min-p.
Then the online clusterer in sorted order on the same rows, for comparison.

``--neighbours K`` adds the second-order similarity: each article as the profile of its K most
similar articles (and itself), two articles compared by the cosine of their profiles, so that two
reports whose own words differ count as alike when their neighbours are the same ones. Measured
twice: in hindsight over all articles as above, and causally, as an online clusterer could use it
(a single pass in arrival order, average linkage to the events so far, each profile built from the
articles that have arrived, earlier articles' profiles updated as later ones arrive); the plain
similarity runs the same single pass beside it, and each threshold is again picked in hindsight.

    .venv/bin/python bench/ceiling.py                       # ECB+ dev
    .venv/bin/python bench/ceiling.py --data rows.jsonl     # any labelled rows bench/clustering.py reads
    .venv/bin/python bench/ceiling.py --neighbours 5,7,10,20  # and the second-order similarity
    .venv/bin/python bench/ceiling.py --neighbours 7 --lookahead 50,200  # decided after a delay

Memory and time grow with the square of the row count (a dense similarity matrix and an
O(n^2) argmax per merge), hence --max-docs.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.args import fraction, load_or_refuse, positive_int, positive_int_list, require_path  # noqa: E402
from bench.clustering import fmt, labelled_rows, normalise_rows, order_list, row_doc, run_newsflow  # noqa: E402
from pipeline.clustering import ClusterParams  # noqa: E402
from pipeline.clustering.clusterer import features_for  # noqa: E402
from pipeline.clustering.evaluation import bcubed, order_rows, pairwise  # noqa: E402

CUTS = [round(0.01 * i, 2) for i in range(95, 0, -1)]  # 0.95 down to 0.01


def cosine_matrix(vectors: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """All-pairs cosine of L2-normalised sparse (hash, weight) vectors, through an inverted index
    (a dense document-term matrix of a large vocabulary would not fit)."""
    n = len(vectors)
    postings: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for i, (hs, ws) in enumerate(vectors):
        for h, w in zip(hs.tolist(), ws.tolist()):
            postings[h].append((i, w))
    sim = np.zeros((n, n))
    for plist in postings.values():
        if len(plist) < 2:
            continue
        ids = np.fromiter((i for i, _ in plist), dtype=np.int64, count=len(plist))
        ws = np.fromiter((w for _, w in plist), dtype=np.float64, count=len(plist))
        sim[np.ix_(ids, ids)] += np.outer(ws, ws)
    return sim


def average_linkage_cuts(sim: np.ndarray, cuts: list[float]) -> dict[float, np.ndarray]:
    """Cluster labels at each cut: merge the two closest clusters (mean pairwise similarity) while
    that similarity is at least the cut. Cuts in descending order."""
    n = sim.shape[0]
    link = sim.astype(np.float64, copy=True)
    np.fill_diagonal(link, -np.inf)
    size = np.ones(n)
    labels = np.arange(n)
    out: dict[float, np.ndarray] = {}
    pending = list(cuts)
    while pending:
        k = int(np.argmax(link))
        a, b = divmod(k, n)
        best = link[a, b]
        while pending and not best >= pending[0]:
            out[pending.pop(0)] = labels.copy()
        if not pending:
            break
        merged = (size[a] * link[a] + size[b] * link[b]) / (size[a] + size[b])
        link[a], link[:, a] = merged, merged
        link[a, a] = -np.inf
        link[b], link[:, b] = -np.inf, -np.inf
        size[a] += size[b]
        labels[labels == b] = a
    return out


def neighbour_profiles(sim: np.ndarray, k: int) -> np.ndarray:
    """Row i: 1 at i, sim[i, j] at the k articles j most similar to i, 0 elsewhere; L2-normalised."""
    x = sim.astype(np.float64, copy=True)
    np.fill_diagonal(x, -np.inf)
    top = np.argpartition(-x, k, axis=1)[:, :k]
    prof = np.zeros_like(x)
    rows = np.arange(len(x))[:, None]
    prof[rows, top] = np.maximum(sim[rows, top], 0.0)
    np.fill_diagonal(prof, 1.0)
    return prof / np.linalg.norm(prof, axis=1, keepdims=True)


def second_order(sim: np.ndarray, k: int) -> np.ndarray:
    prof = neighbour_profiles(sim, k)
    return prof @ prof.T


def single_pass(sim: np.ndarray, order: list[int], threshold: float, k: int = 0, lookahead: int = 0) -> np.ndarray:
    """Online labels in ``order``: each article joins the event whose members it matches best on
    average, if that reaches ``threshold``, else starts one. k > 0 compares neighbour profiles
    instead, built causally: an arriving article's K nearest among those already arrived, and it
    enters the lists of the earlier articles it is closer to than their K-th. ``lookahead`` L
    decides each article only once the next L have arrived (and entered the profiles): a delay."""
    n = len(sim)
    labels = np.full(n, -1)
    prof = np.zeros((n, n))
    arrived: list[int] = []
    n_events = 0
    for t, a in enumerate(order):
        while len(arrived) < min(len(order), t + 1 + (lookahead if k else 0)):
            new = order[len(arrived)]
            prof[new, new] = 1.0
            if k and arrived:
                _enter(prof, sim, new, np.asarray(arrived), k)
            arrived.append(new)
        label = n_events
        if t:
            idx = np.asarray(order[:t])
            if k:
                pm = prof[idx]
                s = (pm @ prof[a]) / (np.linalg.norm(pm, axis=1) * np.linalg.norm(prof[a]))
            else:
                s = sim[a, idx]
            lab = labels[idx]
            score = np.bincount(lab, weights=s, minlength=n_events) / np.bincount(lab, minlength=n_events)
            best = int(np.argmax(score))
            if score[best] >= threshold:
                label = best
        if label == n_events:
            n_events += 1
        labels[a] = label
    return labels


def _enter(prof: np.ndarray, sim: np.ndarray, a: int, idx: np.ndarray, k: int) -> None:
    """Article ``a`` joins the neighbour profiles: its K nearest among ``idx``, and its place in the
    lists of those it is closer to than their K-th."""
    near = idx[np.argsort(-sim[a, idx], kind="stable")[:k]]
    for m in near.tolist():
        w = max(sim[a, m], 0.0)
        prof[a, m] = w
        row = prof[m]
        others = np.flatnonzero(row)
        others = others[others != m]
        if len(others) < k:
            row[a] = w
        else:
            worst = others[np.argmin(row[others])]
            if w > row[worst]:
                row[worst], row[a] = 0.0, w


def report(name: str, ids: list[str], gold: dict, cuts: dict[float, np.ndarray], min_p: float) -> None:
    scored = []
    for cut, lab in cuts.items():
        pred = dict(zip(ids, lab.tolist()))
        scored.append((cut, bcubed(pred, gold) + pairwise(pred, gold)))
    print_best(name, 8, "cut", scored, min_p, 2)


def print_best(name: str, width: int, what: str, scored: list[tuple[float, tuple]], min_p: float, digits: int) -> None:
    """The setting (cut, threshold) of best B-cubed F1, and the best among those of precision >= min_p."""
    value, m = max(scored, key=lambda x: x[1][2])
    print(f"  {name:{width}s} best {what} {value:.{digits}f}: {fmt(m)}")
    precise = [(v, x) for v, x in scored if x[0] >= min_p]
    if precise:
        value, m = max(precise, key=lambda x: x[1][2])
        print(f"  {'':{width}s} best {what} with B3 P >= {min_p}: {value:.{digits}f}: {fmt(m)}")
    else:
        print(f"  {'':{width}s} no {what} reaches B3 P >= {min_p}")


ONLINE_THRESHOLDS = [round(0.025 * i, 3) for i in range(2, 25)]  # 0.05 .. 0.6


def report_online(name: str, ids: list[str], gold: dict, sim: np.ndarray, k: int, orders: list,
                  min_p: float, lookahead: int = 0) -> None:
    """The single pass over each order at every threshold; the mean over the orders is what counts,
    and the threshold is picked on it in hindsight."""
    order_ids = [[ids.index(r) for r in order] for order in orders]
    scored = []
    for th in ONLINE_THRESHOLDS:
        runs = []
        for order in order_ids:
            lab = single_pass(sim, order, th, k, lookahead)
            pred = dict(zip(ids, lab.tolist()))
            runs.append(bcubed(pred, gold) + pairwise(pred, gold))
        scored.append((th, tuple(np.mean(runs, axis=0))))
    print_best(name, 14, "threshold", scored, min_p, 3)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(ROOT.parent / "shared/data/ecbplus-dev/ecbplus_dev.jsonl"),
                    help="labelled rows, in any form bench/clustering.py reads")
    ap.add_argument("--params", default=None, help="params.json (default: the shipped one)")
    ap.add_argument("--min-p", type=fraction, default=0.97, help="precision floor for the second figure (0 to 1)")
    ap.add_argument("--max-docs", type=positive_int, default=3000)
    ap.add_argument("--neighbours", type=positive_int_list, default=[], metavar="K,K",
                    help="also the second-order similarity over each article's K nearest neighbours, in hindsight "
                         "and causally (single pass; slow: a few minutes per K on 772 rows)")
    ap.add_argument("--orders", type=order_list, default="sorted,1,2",
                    help="arrival orders of the causal single passes: 'sorted', 'time' and/or shuffle seeds")
    ap.add_argument("--lookahead", type=positive_int_list, default=[], metavar="L,L",
                    help="also the causal second-order pass deciding each article only after the next L arrived")
    a = ap.parse_args(argv)
    if a.params:  # ClusterParams.load would take a missing file for the code's defaults, silently
        require_path(ap, "--params", a.params)
    rows = load_or_refuse(ap, "--data", labelled_rows, a.data)
    if len(rows) > a.max_docs:
        ap.error(f"--data has {len(rows)} rows; the all-pairs matrix is sized for --max-docs {a.max_docs}")
    if a.neighbours and max(a.neighbours) >= len(rows):
        ap.error(f"--neighbours {max(a.neighbours)}: needs fewer neighbours than the {len(rows)} rows")
    rows = normalise_rows(rows)
    p = ClusterParams.load(a.params)
    t0 = time.perf_counter()
    ids = [r["doc_id"] for r in rows]
    gold = {r["doc_id"]: r["cluster_id"] for r in rows}
    feats = []
    for i, r in enumerate(rows, 1):
        feats.append(features_for(row_doc(r), p))
        if i % 200 == 0 or i == len(rows):
            print(f"  features {i}/{len(rows)}", file=sys.stderr, flush=True)
    words = cosine_matrix([(f.wf_h, f.wf_w) for f in feats])
    ents = cosine_matrix([(f.ef_h, f.ef_w) for f in feats])
    print(f"== offline ceiling on {a.data} ({len(rows)} articles, {len(set(gold.values()))} gold events): "
          "average linkage, cut chosen on the gold labels")
    for name, sim in (("words", words), ("entities", ents), ("mean", 0.5 * (words + ents))):
        report(name, ids, gold, average_linkage_cuts(sim, CUTS), a.min_p)
    pred, _ = run_newsflow(rows, p, None)
    print(f"  online Newsflow, sorted order: {fmt(bcubed(pred, gold) + pairwise(pred, gold))}")
    ks = a.neighbours
    if ks:
        mean = 0.5 * (words + ents)
        print("== second-order similarity of the mean vectors (each article as the profile of its K nearest)")
        for k in ks:
            report(f"2nd K={k}", ids, gold, average_linkage_cuts(second_order(mean, k), CUTS), a.min_p)
        orders = [[r["doc_id"] for r in order_rows(rows, o)] for o in a.orders]
        print(f"== causal single pass, mean of {len(orders)} orders, average linkage to the events so far, "
              "threshold picked on the gold labels")
        report_online("plain", ids, gold, mean, 0, orders, a.min_p)
        for k in ks:
            report_online(f"2nd K={k}", ids, gold, mean, k, orders, a.min_p)
            for la in a.lookahead:
                report_online(f"2nd K={k} L={la}", ids, gold, mean, k, orders, a.min_p, la)
            print(f"  [{time.perf_counter() - t0:.0f}s]", flush=True)
    print(f"  [{time.perf_counter() - t0:.0f}s]")


if __name__ == "__main__":
    main()
