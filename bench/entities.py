"""Entity tagger benchmark: precision/recall per type on hand-checked gold, and per-article time.

    .venv/bin/python bench/entities.py [--data ../shared/data/ecbplus-dev/ecbplus_dev.jsonl]

Gold: tests/unit/events/fixtures/ecbplus_entities_gold.json (20 ECB+ articles, CC BY 3.0),
tests/unit/events/fixtures/pages_entities_gold.json (12 real news pages of the extraction benchmark,
MIT; scored as its dev and held-out halves) and the seed expectations below. Scoring is per distinct entity per document: a predicted entity
is correct when its name or one of its aliases equals (case-insensitively, dots and spaces
ignored) a name or alias of a gold entity of the same type; each gold entity matches once; a
predicted entity that matches one of a document's "optional" names counts neither way.
Timing: article_facts (entities + dates + lead + keywords) over all ECB+ texts, after warm-up, next to
a reference run in the same process (the same texts' \\w+ tokens into a Counter, best of 3) and the ratio.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.args import require_path  # noqa: E402
from pipeline.events import article_facts  # noqa: E402
from pipeline.events.ner import ORGS, PEOPLE, PLACES, extract, shown_as_place  # noqa: E402

GOLD = ROOT / "tests/unit/events/fixtures/ecbplus_entities_gold.json"
PAGES_GOLD = ROOT / "tests/unit/events/fixtures/pages_entities_gold.json"
TYPES = (PEOPLE, ORGS, PLACES)
_TOKEN = re.compile(r"\w+")

# What the seeds must name (from the brief); scored the same way, recall only is meaningful here
# because these lists are not exhaustive.
SEED_GOLD = {
    "000": {PEOPLE: [["Dmitry Medvedev", "Dmitri Medvedev"], ["Xi Jinping"]], PLACES: [["Beijing"]]},
    "001": {PEOPLE: [["Vladimir Putin"], ["Xi Jinping"]], PLACES: [["Moscow"], ["Kremlin"]]},
    "002": {PEOPLE: [["Vladimir Putin"], ["Xi Jinping"]], PLACES: [["Kremlin"]]},
    "003": {PEOPLE: [["Xi Jinping"]], PLACES: [["Kremlin"]]},
    "004": {PEOPLE: [["Vladimir Putin"], ["Xi Jinping"], ["Donald Trump"]], PLACES: [["Beijing"]]},
}


def norm(name: str) -> str:
    return name.lower().replace(".", "").replace(" ", "").replace("’", "'")


def score(pred: dict, gold: dict, tally: dict, misses: list, doc: str) -> None:
    optional = {norm(n) for n in gold.get("optional", [])}
    for kind in TYPES:
        gold_sets = [{norm(n) for n in entity} for entity in gold.get(kind, [])]
        used = set()
        for name, (_n, aliases) in pred.get(kind, {}).items():
            forms = {norm(name)} | {norm(a) for a in aliases}
            if forms & optional and not any(forms & g for g in gold_sets):
                continue
            hit = next((i for i, g in enumerate(gold_sets) if i not in used and forms & g), None)
            if hit is None:
                tally[kind]["fp"] += 1
                misses.append(f"{doc} FP {kind}: {name}")
            else:
                used.add(hit)
                tally[kind]["tp"] += 1
        for i, entity in enumerate(gold.get(kind, [])):
            if i not in used:
                tally[kind]["fn"] += 1
                misses.append(f"{doc} FN {kind}: {entity[0]}")


def report(title: str, tally: dict, precision: bool = True) -> None:
    print(title)
    all_tp = all_fp = all_fn = 0
    for kind in TYPES:
        tp, fp, fn = tally[kind]["tp"], tally[kind]["fp"], tally[kind]["fn"]
        all_tp, all_fp, all_fn = all_tp + tp, all_fp + fp, all_fn + fn
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        line = f"  {kind:14s} tp={tp:3d} fp={fp:3d} fn={fn:3d}  "
        if not precision:  # recall of nothing required is no 0.00
            line += f"R={r:.2f}" if tp + fn else "R=n/a (none required)"
        else:
            line += f"P={p:.2f} R={r:.2f} F1={f:.2f}"
        print(line)
    p = all_tp / (all_tp + all_fp) if all_tp + all_fp else 0.0
    r = all_tp / (all_tp + all_fn) if all_tp + all_fn else 0.0
    if precision:
        print(f"  {'all':14s} tp={all_tp:3d} fp={all_fp:3d} fn={all_fn:3d}  P={p:.2f} R={r:.2f} "
              f"F1={(2 * p * r / (p + r) if p + r else 0):.2f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared/data/ecbplus-dev/ecbplus_dev.jsonl"))
    ap.add_argument("--extraction", default=str(ROOT.parent / "shared/data/extraction"),
                    help="the extraction benchmark (its ground-truth.json holds the pages' article bodies)")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every false positive and negative")
    args = ap.parse_args()
    require_path(ap, "--data", args.data)
    require_path(ap, "--extraction", args.extraction, "ground-truth.json")
    rows = {}
    try:
        with open(args.data, encoding="utf-8") as fh:
            for number, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except ValueError:
                    row = None
                if not isinstance(row, dict) or not isinstance(row.get("text"), str) or "doc_id" not in row:
                    ap.error(f"--data: {args.data}, line {number}: not an ECB+ row (doc_id, text)")
                rows[row["doc_id"]] = row
    except (OSError, ValueError) as exc:
        ap.error(f"--data: {exc}")
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["docs"]
    missing = sorted(set(gold) - set(rows))
    if missing:
        ap.error(f"--data: {args.data} lacks {len(missing)} of the {len(gold)} hand-checked ECB+ dev articles "
                 f"({', '.join(missing[:3])}{', ...' if len(missing) > 3 else ''}): give ECB+ dev")

    tally = {k: {"tp": 0, "fp": 0, "fn": 0} for k in TYPES}
    misses: list[str] = []
    for doc_id, g in gold.items():
        ents = extract(None, rows[doc_id]["text"]).as_dict()
        score(ents, g, tally, misses, doc_id)
    report(f"ECB+ hand-checked gold ({len(gold)} articles), distinct entities per article:", tally)

    pages = json.loads(PAGES_GOLD.read_text(encoding="utf-8"))["docs"]
    bodies = json.loads((Path(args.extraction) / "ground-truth.json").read_text(encoding="utf-8"))
    for split in ("dev", "held_out"):
        page_tally = {k: {"tp": 0, "fp": 0, "fn": 0} for k in TYPES}
        record_tally = {k: {"tp": 0, "fp": 0, "fn": 0} for k in TYPES}
        docs = {k: g for k, g in pages.items() if g["split"] == split}
        for page_id, g in docs.items():
            body = bodies[page_id]["articleBody"]
            ents = extract(None, body, "en").as_dict()
            score(ents, g, page_tally, misses, page_id[:10])
            # as an event record lists them: the well-known names the tagger leaves untyped join the
            # organisations, and common words taken for places after "in"/"at" are not shown
            named = article_facts({"id": page_id, "source": "s", "text": body, "language": "en"})["named_orgs"]
            shown = dict(ents)
            shown[ORGS] = {**ents.get(ORGS, {}), **{name: (n, []) for name, n, _ in named}}
            shown[PLACES] = {k: v for k, v in ents.get(PLACES, {}).items() if shown_as_place(k)}
            score(shown, g, record_tally, [], page_id[:10])
        report(f"Extraction-benchmark pages, {split} ({len(docs)} hand-checked article bodies):", page_tally)
        report("  the same, as event records show them:", record_tally)

    seed_tally = {k: {"tp": 0, "fp": 0, "fn": 0} for k in TYPES}
    seed_misses: list[str] = []
    for prefix, g in SEED_GOLD.items():
        path = next((ROOT / "seeds").glob(f"{prefix}_*.txt"))
        lines = path.read_text(encoding="utf-8").splitlines()
        ents = extract(None, "\n".join(lines)).as_dict()
        seed_tally_doc = {k: {"tp": 0, "fp": 0, "fn": 0} for k in TYPES}
        score(ents, g, seed_tally_doc, [], prefix)
        for k in TYPES:
            seed_tally[k]["tp"] += seed_tally_doc[k]["tp"]
            seed_tally[k]["fn"] += seed_tally_doc[k]["fn"]
            if seed_tally_doc[k]["fn"]:
                seed_misses.append(f"{prefix} missing {k}")
    report("Seeds, required entities found (recall only; the required lists are not exhaustive):",
           seed_tally, precision=False)
    if args.verbose:
        print("\n".join(misses + seed_misses))

    texts = [r["text"] for r in rows.values()]
    for t in texts[:20]:
        article_facts({"id": "w", "source": "s", "text": t})
    times = []
    t_all = time.perf_counter()
    for i, t in enumerate(texts):
        t0 = time.perf_counter()
        article_facts({"id": str(i), "source": "s", "text": t, "title": None})
        times.append(time.perf_counter() - t0)
    total = time.perf_counter() - t_all
    words = sum(len(t.split()) for t in texts)
    times.sort()
    print(f"article_facts over {len(texts)} ECB+ articles ({words / len(texts):.0f} words mean): "
          f"median {statistics.median(times) * 1e3:.2f} ms, p95 {times[int(0.95 * len(times))] * 1e3:.2f} ms, "
          f"max {times[-1] * 1e3:.2f} ms, {len(texts) / total:.0f} articles/s on one core")
    reference = min(_reference_seconds(texts) for _ in range(3))  # the same texts, in this run: a per-box yardstick
    print(f"reference (\\w+ tokens of the same texts into a Counter): {len(texts) / reference:.0f} articles/s; "
          f"article_facts costs x{total / reference:.1f} the reference")
    return 0


def _reference_seconds(texts: list[str]) -> float:
    t = time.perf_counter()
    for text in texts:
        Counter(_TOKEN.findall(text.lower()))
    return time.perf_counter() - t


if __name__ == "__main__":
    raise SystemExit(main())
