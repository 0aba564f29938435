#!/usr/bin/env python
"""CPU cost of the offline core per plain-text article, by stage, next to a trivial reference.

    .venv/bin/python bench/core.py                    # 3000 articles, timings + result digests
    .venv/bin/python bench/core.py --count 6000 --profile /tmp/core_prof.out
    .venv/bin/python bench/core.py --json             # one JSON line (to compare two checkouts)
    .venv/bin/python bench/core.py --facts-cache      # older checkouts: as if core.py called article_facts_cached

The stream is ``bench.synthetic.stream`` over the ECB+ dev texts plus the seeds: each base text
as itself, as an exact copy from another outlet, wrapped in site furniture, and mutated into
other stories, so cleaning, clustering and event building all see every relation they see live.
The messages are built before timing; then ``OfflinePipeline.process`` runs over all of them.

All times are this thread's CPU time (time.thread_time), so other jobs on a shared machine
skew them less than wall time would (they still cost cache misses). Per-stage times come from wrapping the pipeline's own objects (no copy of its logic here):
``clean``     decode + validate + clean (CleanStage.decode/clean, without the two stages below)
``facts``     article_facts (NER, dates, places, keywords, lead), computed by the cleaning stage
``features``  the clustering features (features_for), computed by the cleaning stage
``assign``    the clustering decision (StoryClusterer.assign_features)
``apply``     EventBuilder.apply (fold into state + build the record)
``rest``      what OfflinePipeline.process spends around them (encoding the features in the cleaned
              record and decoding them in the clustering stage among it)
In checkouts older than the prepared features, ``features`` is 0 and ``assign`` holds extraction too.

Reference (the in-process baseline, same messages, same run): orjson decode of the message and a
``\\w+`` tokenizer into a Counter: the least any text pipeline must do per article. The ratio
pipeline/reference says how many "read and tokenize" passes the core costs, which stays
comparable across noisy machines where absolute times do not.

Digests: SHA-256 over the replay rows, the event records (without their wall-clock fields) and
every article's facts. Equal digests between two checkouts mean an optimisation changed no result.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import pstats
import re
import sys
import time
from collections import Counter
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pipeline.core as core  # noqa: E402
from bench.args import load_or_refuse, positive_int, require_path  # noqa: E402
from bench.synthetic import load_bases, stream  # noqa: E402
from pipeline.core import OfflinePipeline  # noqa: E402
try:  # absent from checkouts before it was added: the bench still runs there, without --facts-cache
    from pipeline.events import article_facts_cached  # noqa: E402
except ImportError:
    article_facts_cached = None

ECB_DEV = ROOT.parent / "shared" / "data" / "ecbplus-dev" / "ecbplus_dev.jsonl"  # ../shared/data, as the other benches
SEEDS = ROOT / "seeds"
STAGES = ("clean", "facts", "features", "assign", "apply")
NESTED_IN_CLEAN = ("facts", "features")  # run inside CleanStage.clean: taken out of its time
# CPU time of this thread, not wall time: on a shared machine a descheduled process would
# otherwise be charged for the other jobs' time.
_clock = time.thread_time
_WALL_CLOCK = ("first_seen", "last_updated")
PROGRESS_EVERY_S = 15.0  # a progress line on stderr at most this often during a long timed run


def messages(count: int, bases: list[dict]) -> list[bytes]:
    seeds = [{"id": path.stem, "source": "seeds", "text": path.read_text()} for path in sorted(SEEDS.glob("*.txt"))]
    bases = bases + seeds
    if not bases:
        raise SystemExit(f"no texts: neither --data nor {SEEDS}/*.txt")
    return [value for _key, value in stream(bases, count, seed=13)]


class _Timed:
    """Wraps a callable, summing its CPU time (_clock) into ``totals[name]``."""

    def __init__(self, fn, name: str, totals: dict[str, float], keep: list | None = None):
        self.fn, self.name, self.totals, self.keep = fn, name, totals, keep

    def __call__(self, *args, **kwargs):
        t = _clock()
        out = self.fn(*args, **kwargs)
        self.totals[self.name] += _clock() - t
        if self.keep is not None:
            self.keep.append(out)
        return out


def run_pipeline(values: list[bytes], facts_cache: bool = False) -> dict:
    totals: dict[str, float] = dict.fromkeys(STAGES, 0.0)
    facts_out: list = []
    pipe = OfflinePipeline()
    clean_stage, cluster_stage = pipe.clean_stage, pipe.cluster_stage
    decode, clean = clean_stage.decode, clean_stage.clean

    def timed_clean_decode(value):
        t = _clock()
        out = decode(value)
        totals["clean"] += _clock() - t
        return out

    def timed_clean(raw):
        nested = sum(totals[k] for k in NESTED_IN_CLEAN)
        t = _clock()
        out = clean(raw)
        totals["clean"] += _clock() - t - (sum(totals[k] for k in NESTED_IN_CLEAN) - nested)
        return out

    clean_stage.decode = timed_clean_decode
    clean_stage.clean = timed_clean
    cluster_stage.clusterer.assign_features = _Timed(cluster_stage.clusterer.assign_features, "assign", totals)
    cluster_stage.builder.apply = _Timed(cluster_stage.builder.apply, "apply", totals)
    original_features = getattr(core, "features_for", None)
    if original_features is not None:
        core.features_for = _Timed(original_features, "features", totals)
    # time whatever the core calls for the facts (article_facts_cached since core.py adopted it;
    # article_facts in older checkouts, where --facts-cache swaps the cached one in)
    facts_name = "article_facts_cached" if hasattr(core, "article_facts_cached") else "article_facts"
    original_facts = getattr(core, facts_name)
    chosen = article_facts_cached if facts_cache and article_facts_cached is not None else original_facts
    # a run before this one (--profile, --repeat) must not warm the cache: clear it on the function
    # itself, before the wrapper below takes its name in the module
    clear_facts_cache = getattr(chosen, "cache_clear", None)
    if clear_facts_cache is not None:
        clear_facts_cache()
    setattr(core, facts_name, _Timed(chosen, "facts", totals, facts_out))
    try:
        rows = []
        gc.collect()
        t = _clock()
        shown = time.monotonic()
        for i, value in enumerate(values, 1):
            rows.append(pipe.process(value))
            if i % 250 == 0 and time.monotonic() - shown >= PROGRESS_EVERY_S:  # a long run is seen to go on
                shown = time.monotonic()
                print(f"  pipeline: {i}/{len(values)} articles", file=sys.stderr, flush=True)
        elapsed = _clock() - t
    finally:
        setattr(core, facts_name, original_facts)
        if original_features is not None:
            core.features_for = original_features
    events = [{k: v for k, v in e.items() if k not in _WALL_CLOCK} for e in pipe.events.values()]
    errors = sum(1 for r in rows if "error" in r)
    return {"elapsed": elapsed, "totals": totals, "errors": errors, "events": len(events),
            "digest_rows": _digest(rows), "digest_events": _digest(events), "digest_facts": _digest(facts_out)}


_TOKEN = re.compile(r"\w+")


def run_reference(values: list[bytes], passes: int = 5) -> float:
    """Decode each message and count its words: the floor of any per-article text work.
    The fastest of a few passes, as one pass is short enough for a noisy machine to skew it."""
    best = float("inf")
    for _ in range(passes):
        gc.collect()
        t = _clock()
        for value in values:
            doc = orjson.loads(value)
            if isinstance(doc, dict) and isinstance(doc.get("text"), str):
                Counter(_TOKEN.findall(doc["text"].lower()))
        best = min(best, _clock() - t)
    return best


def _rss_bytes() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS:"))


def window_memory(values: list[bytes]) -> dict:
    """Resident memory the core's state adds per article in the clustering window (the window, the
    event state, the learned furniture: what the worker's tables hold). Nothing ages out; event
    records are dropped once built, as the worker publishes them."""
    from pipeline.settings import Settings

    pipeline = OfflinePipeline(Settings(window_days=36500.0))
    warm = min(2000, len(values) // 10)
    for i, value in enumerate(values):
        if i == warm:
            gc.collect()
            before, start = _rss_bytes(), pipeline.cluster_stage.window_size()
        pipeline.process(value)
        pipeline.events.clear()
        if i and i % 10000 == 0:
            print(f"  memory: {i}/{len(values)} articles", file=sys.stderr, flush=True)
    gc.collect()
    after, end = _rss_bytes(), pipeline.cluster_stage.window_size()
    return {"articles": end - start, "events": pipeline.cluster_stage.event_count(),
            "rss_mb": [round(before / 1e6), round(after / 1e6)], "bytes_per_article": round((after - before) / (end - start))}


def _digest(obj) -> str:
    return hashlib.sha256(orjson.dumps(obj, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=positive_int, default=3000, help="articles in the stream")
    ap.add_argument("--data", type=Path, default=None,
                    help="ECB+ dev JSON lines (doc_id/text); default ../shared/data/ecbplus-dev/ecbplus_dev.jsonl "
                         "relative to the repository, or only the seed texts if that is absent")
    ap.add_argument("--repeat", type=positive_int, default=1, help="runs; the fastest is reported")
    ap.add_argument("--profile", type=Path, help="write a cProfile of one pipeline run here and print its top")
    ap.add_argument("--facts-cache", action="store_true",
                    help="in a checkout whose core.py calls article_facts, run it with article_facts_cached instead")
    ap.add_argument("--json", action="store_true", help="print one JSON line instead of the table")
    ap.add_argument("--memory", action="store_true",
                    help="instead of timing: resident memory per article in the window (use a --count of 40000 or so)")
    args = ap.parse_args(argv)
    if args.data is None:
        args.data = ECB_DEV
    else:  # asked for by name: not there (or empty, or unreadable) is an error, not a silent run over the seeds alone
        require_path(ap, "--data", args.data)

    if args.facts_cache and article_facts_cached is None:
        ap.error("--facts-cache: this checkout has no pipeline.events.article_facts_cached")
    bases = []
    if args.data.exists():  # the default may be absent: then the seed texts alone
        bases = load_or_refuse(ap, "--data", load_bases, args.data, f"no articles in {args.data}")
    values = messages(args.count, bases)
    n = len(values)
    if args.memory:
        got = window_memory(values)
        print(orjson.dumps(got).decode() if args.json else
              f"window memory: {got['bytes_per_article']} B per article in the window ({got['articles']} articles, "
              f"{got['events']} events; RSS {got['rss_mb'][0]} -> {got['rss_mb'][1]} MB)")
        return 0
    OfflinePipeline().process(values[0])  # warm the lazy loads (lexicons, gazetteer, langid model)

    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        run_pipeline(values, args.facts_cache)
        prof.disable()
        prof.dump_stats(str(args.profile))
        pstats.Stats(str(args.profile)).sort_stats("tottime").print_stats(30)

    best, ref = None, None
    for _ in range(args.repeat):
        ref_s = run_reference(values)
        result = run_pipeline(values, args.facts_cache)
        ref = ref_s if ref is None else min(ref, ref_s)
        if best is None or result["elapsed"] < best["elapsed"]:
            best = result
    result = best
    ms = {stage: 1000 * result["totals"][stage] / n for stage in STAGES}
    ms["rest"] = 1000 * result["elapsed"] / n - sum(ms.values())
    total_ms = 1000 * result["elapsed"] / n
    ref_ms = 1000 * ref / n
    summary = {"articles": n, "articles_per_s": round(n / result["elapsed"], 1), "ms_per_article": round(total_ms, 3),
               "stage_ms": {k: round(v, 3) for k, v in ms.items()}, "reference_ms": round(ref_ms, 4),
               "ratio_to_reference": round(total_ms / ref_ms, 1), "errors": result["errors"],
               "events": result["events"], "digests": {k[7:]: v for k, v in result.items() if k.startswith("digest_")}}
    if args.json:
        print(orjson.dumps(summary).decode())
        return 0
    print(f"{n} text articles ({result['errors']} rejected), {result['events']} events; base texts: "
          + (f"{len(bases)} of {args.data} and the seeds" if bases else f"the seeds alone ({args.data} is absent)"))
    print(f"  pipeline   {summary['articles_per_s']:8.1f} articles/s   {total_ms:7.3f} ms/article")
    for stage, value in ms.items():
        print(f"    {stage:8s} {value:7.3f} ms/article  ({value / total_ms:5.1%})")
    print(f"  reference  {n / ref:8.1f} articles/s   {ref_ms:7.3f} ms/article  (orjson decode + \\w+ Counter)")
    print(f"  ratio      pipeline costs x{total_ms / ref_ms:.1f} the reference")
    print("  digests    " + "  ".join(f"{k}={v}" for k, v in summary["digests"].items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
