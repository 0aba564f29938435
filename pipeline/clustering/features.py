"""Per-article features for story clustering: pure functions, no state.

Everything an article contributes to the index is reduced here to a few small
arrays of 32-bit hashes plus weights, so that a window of a million articles
stays within a couple of kilobytes per article:

* ``content_key`` / ``url_key``: 64-bit keys for exact duplicates (``signatures``);
* ``minhash``: ``n_minhash`` uint32 MinHash values over word 3-shingles
  (near-duplicates; the first ``lsh_bands * lsh_rows`` values feed LSH bands);
* ``terms``: top-K IDF-weighted content words (hashed), L2-normalised (``tokens``);
* ``ents``: top entity terms (names of people, places, organisations; distinctive numbers),
  IDF-weighted and L2-normalised;
* ``dates``: calendar dates named in the text (``dates``);
* ``cues``: who/where/when codes (``cues``).
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from ..times import parse_published
from . import cues
from .idf import IdfTable  # noqa: F401  (re-exported: callers build tables from here)
from .dates import DAY_FIRST_LANGUAGES, FACT_DATE_LANGUAGES, DateHints, extract_dates, facts_dates, month_near_number, salient_years
from .signatures import h32, h64, hash_tokens, minhash, normalise_url
from .. import cjk
from ..languages import NOUNS_CAPITALISED, UNCASED_SCRIPT
from ..scripts import fold_forms
from .tokens import NOT_ENTITIES, NUM_PREFIX, clean_text, fact_name_words, scan, stop_words


def parse_time(value) -> float | None:
    """A publication time -> epoch seconds (UTC); None when absent or unreadable. ISO 8601 is what the
    cleaning emits; other forms are read too (pipeline.times), as a ClusterDoc may come straight from
    a labelled file."""
    got = parse_published(value)
    return None if got is None else got[0].timestamp()



@dataclass(slots=True)
class Features:
    content_key: int
    url_key: int
    minhash: np.ndarray  # uint32[n_minhash]
    term_h: np.ndarray  # uint32[k]: top content words by weight (descending)
    term_w: np.ndarray  # float32[k]: weights, L2-normalised over the FULL word vector
    ent_h: np.ndarray  # uint32[k]: top entity terms (names, distinctive numbers)
    ent_w: np.ndarray  # float32[k]
    dates: np.ndarray  # uint32: named dates y*10000+m*100+d, plus salient years as y*10000
    time: float | None
    cues: np.ndarray = None  # uint32 tagged who/where/when codes (see cues.py)
    # full vectors (sorted by hash) used for scoring and for the event centroid; not stored
    wf_h: np.ndarray = None
    wf_w: np.ndarray = None
    ef_h: np.ndarray = None
    ef_w: np.ndarray = None
    # the article is in a script without capital letters (languages.UNCASED_SCRIPT): its entity
    # terms are numbers only, and a number in common says nothing of the names two texts share
    uncased: bool = False

    @property
    def wf(self):
        return self.wf_h, self.wf_w

    @property
    def ef(self):
        return self.ef_h, self.ef_w


_WEEKDAY_NAMES = frozenset(cues.WEEKDAY_NAMES)
# 1 + ln(tf) of the whole counts a scan gives, as math.log gives it
_TF_LOG = {c: 1.0 + math.log(c) for c in range(1, 4096)}


def _log_tf(counts) -> np.ndarray:
    """1 + ln(c) of each count c >= 1 (c itself below 1), as float64, in the order of ``counts``."""
    n = len(counts)
    try:  # the common case: whole counts, read from the table
        return np.fromiter(map(_TF_LOG.__getitem__, counts.values()), np.float64, n)
    except KeyError:  # a weighted, zero or very large count
        return np.fromiter([(1.0 + math.log(x)) if x >= 1 else x for x in counts.values()], np.float64, n)


def _vec(counts, idf, k: int, prefix: str = ""):
    """-> (top-k hashes by weight, their weights, all hashes sorted, their weights); L2 over all."""
    if not counts:
        e32, ef = np.zeros(0, np.uint32), np.zeros(0, np.float32)
        return e32, ef, e32, ef
    h, wt = idf.term_info(counts, prefix)
    tf = _log_tf(counts)
    w = (tf * wt).astype(np.float32)
    nrm = float(np.sqrt(np.dot(w, w)))
    if nrm > 0:
        w /= nrm
    # hash collisions: merge
    o = np.argsort(h, kind="stable")
    hs, ws = h[o], w[o]
    if hs.size > 1 and (hs[1:] == hs[:-1]).any():
        u, inv = np.unique(hs, return_inverse=True)
        ws = np.bincount(inv, weights=ws).astype(np.float32)
        hs = u
    top = np.lexsort((hs, -ws))[:k]
    return hs[top], ws[top], hs, ws



def extract(title: str, text: str, url: str | None, published, fetched_at, idf: IdfTable, p,
            facts: dict | None = None, dateline: str | None = None) -> Features:
    """Compute the compact features of one article. ``p`` is a ClusterParams; ``facts`` are the
    article's event facts (pipeline.events.article_facts), whose names become kind-0 cues;
    ``dateline`` is a dateline the cleaning removed, read for its dates only."""
    title = fold_forms(title or "")
    body = fold_forms(clean_text(text))
    words: Counter = Counter()
    ents: Counter = Counter()
    years: Counter = Counter()
    cm: set = set()
    language = facts.get("language") if facts else None
    shortest = 3
    if language in cjk.CJK_LANGUAGES:  # no spaces between words: the tokeniser gets them spaced
        title, body, shortest = cjk.spaced(title, language), cjk.spaced(body, language), 2
    stop = stop_words(language)
    idf = idf.for_language(language)
    # German capitalises every noun: its names are the ones the event facts found
    names = fact_name_words(facts) if language in NOUNS_CAPITALISED else None
    people = [name for name, *_ in (facts.get("entities") or {}).get("people", ())] if names is not None else None
    body_terms, hyphen = scan(body, words, ents, years, 1.0, cm, stop, names, shortest)
    toks = list(map(str.lower, body_terms))
    lows_all = toks
    if title:
        title_terms, t_hyphen = scan(title, words, ents, years, float(p.title_boost), cm, stop, names, shortest)
        hyphen = hyphen or t_hyphen
        lows_all = list(map(str.lower, title_terms)) + toks
    content_key = h64(" ".join(toks) if toks else title.lower())
    nurl = normalise_url(url)
    url_key = h64("url:" + nurl) if nurl else 0
    # MinHash over the body's token stream (all tokens: copies keep function words too); a headline
    # alone is its own stream, or every headline-only item would be a near copy of every other
    mh = minhash(hash_tokens(toks if toks else lows_all), p.n_minhash)

    term_h, term_w, wf_h, wf_w = _vec(words, idf, p.k_terms)
    ent_h, ent_w, ef_h, ef_w = _vec(ents, idf, p.k_ents, "E:")

    full = title + "\n" + body if title else body
    dates = extract_dates(full, DateHints(month_near_number(lows_all), hyphen))
    if facts and facts.get("language") in FACT_DATE_LANGUAGES:
        dates = list(dict.fromkeys(dates + facts_dates(facts.get("dates") or [])))
    if dateline:
        dates = list(dict.fromkeys(extract_dates(dateline) + dates))
    dates = dates[: p.k_dates]
    ys = [y * 10000 for y in salient_years(title, body, years)]
    dset = sorted(set(dates) | set(ys))
    t = parse_time(published)
    if t is None:
        t = parse_time(fetched_at)
    lead = title + "\n" + body.lstrip()[:400]
    # a weekday can only be named where a token is one (the regex is case-insensitive: ASCII only)
    if full.isascii():
        named = _WEEKDAY_NAMES.intersection(lows_all)
        days = cues.weekdays(full, named) if named else []
    else:
        days = cues.weekdays(full)
    if language in DAY_FIRST_LANGUAGES:
        days = sorted(set(days).union(cues.foreign_weekdays(full, language)))
    # kept in rank order (the first person is the article's main one)
    cue_codes = list(dict.fromkeys(days + cues.lead_places(lead, NOT_ENTITIES, h32, allowed=names, language=language)
                                   + cues.persons(full, NOT_ENTITIES, h32, people=people)
                                   + cues.fact_cues(facts, h32)))
    return Features(content_key, url_key, mh, term_h, term_w, ent_h, ent_w,
                    np.asarray(dset, dtype=np.uint32), t, np.asarray(cue_codes, dtype=np.uint32),
                    wf_h, wf_w, ef_h, ef_w, language in UNCASED_SCRIPT)

