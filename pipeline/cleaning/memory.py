"""Boilerplate learned from the stream: short lines that recur across articles of one source.

State layout (one store value per source, JSON-able, so a Faust table can hold it)::

    store[source] = {
        "v": 1,
        "seq": 42,                      # articles of this source counted so far
        "ids": {"<id hash>": 41, ...},  # recently counted article ids -> their seq (bounded)
        "lines": {"<line hash>": [count, last_seq], ...},   # bounded, least recent evicted
    }

Why this shape: in the stream the store is a Faust table, and every assignment is a changelog
message on Kafka. With one value per source an article costs one read and at most one write (none
when the article is a redelivery), and the value stays small: only short lines are counted
(furniture is short; paragraphs are content), lines are kept as 16-hex-digit hashes, and the
number of line counters and remembered ids per source is capped. Partitioning news.raw by source
keeps each source's value on one worker, so updates never race.
"""
from __future__ import annotations

import hashlib
import heapq
import re
from collections.abc import MutableMapping
from typing import Any

from .config import CleaningConfig

_DIGITS = re.compile(r"\d+")
_SENTENCE_END = re.compile(r"[.!?:;]['\")\u201d\u2019]?\s*$")
MENU_RUN = 3  # a line shorter than learned_min_line_chars is counted in a run of this many such lines: a menu


def line_key(line: str) -> str:
    """Hash of a line, insensitive to case, spacing and the digits in it (dates, counters)."""
    # str.split() splits on exactly the characters regex \s matches: each run of them one space,
    # none at the ends, at a third of a regex substitution's cost
    norm = " ".join(_DIGITS.sub("0", line.casefold()).split())
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=8).hexdigest()


def _id_key(article_id: str) -> str:
    return hashlib.blake2b(article_id.encode("utf-8"), digest_size=6).hexdigest()


class BoilerplateMemory:
    """Per-source counts of short lines; lines seen in >= N distinct articles are removed after that.

    ``store`` is any MutableMapping from source name to a JSON-able value: a dict offline, a Faust
    table in the stream. Deterministic for a given input order; a redelivered article id (within the
    last ``learned_max_ids`` articles of its source) is not counted again and loses exactly the
    lines it lost the first time, so a crash between the state write and the output changes nothing.
    """

    def __init__(self, store: MutableMapping[str, Any] | None = None, config: CleaningConfig | None = None):
        self.store: MutableMapping[str, Any] = {} if store is None else store
        self.config = config or CleaningConfig()
        self.writes = 0

    def _eligible(self, line: str) -> bool:
        return self.config.learned_min_line_chars <= len(line) <= self.config.learned_max_line_chars

    def known(self, source: str) -> dict[str, list[int]]:
        """Line hash -> [count, last_seq] for ``source`` (read-only view, for tests and tools)."""
        state = self.store.get(source)
        return dict(state["lines"]) if state else {}

    def filter(self, source: str, article_id: str, lines: list[str]) -> tuple[list[str], int]:
        """``lines`` without the learned furniture of ``source``, and the number of lines removed.

        Then counts this article's short lines (unless it was counted before) and writes the
        source's state back once.
        """
        cfg = self.config
        raw = self.store.get(source)
        state = _copy_state(raw) if raw else {"v": 1, "seq": 0, "ids": {}, "lines": {}}
        counts: dict[str, list[int]] = state["lines"]
        id_key = _id_key(article_id)
        earlier = state["ids"].get(id_key)
        redelivered = earlier is not None

        menu = _menu_items(lines, cfg.learned_min_line_chars)
        keys = [line_key(line) if self._eligible(line) or in_menu else None for line, in_menu in zip(lines, menu)]
        if redelivered:
            # A redelivery (after a crash, before the offset commit) must come out as it did the
            # first time, although later articles may have been counted since: remove exactly
            # the lines removed then.
            removed_then = set(earlier[1]) if isinstance(earlier, list) else set()
            kept = [line for line, k in zip(lines, keys) if k is None or k not in removed_then]
            return kept, len(lines) - len(kept)
        threshold = cfg.learned_min_articles
        furniture = [k is not None and k in counts and counts[k][0] >= threshold for k in keys]

        kept = lines
        removed = 0
        if any(furniture):
            total = sum(len(line) for line in lines) or 1
            cut = sum(len(line) for line, f in zip(lines, furniture) if f)
            if cut / total <= cfg.learned_max_removed_fraction:
                kept = [line for line, f in zip(lines, furniture) if not f]
                removed = len(lines) - len(kept)

        state["seq"] += 1
        seq = state["seq"]
        seen: set[str] = set()
        for k in keys:
            if k is None or k in seen:
                continue
            seen.add(k)
            if len(seen) > cfg.learned_max_lines_per_article:
                break
            entry = counts.get(k)
            counts[k] = [entry[0] + 1, seq] if entry else [1, seq]
        _evict(counts, cfg.learned_max_lines)
        ids = state["ids"]
        removed_keys = sorted({k for k, f in zip(keys, furniture) if f}) if removed else []
        ids[id_key] = [seq, removed_keys] if removed_keys else seq
        _evict_ids(ids, cfg.learned_max_ids)
        self.store[source] = state
        self.writes += 1
        return kept, removed


def _menu_items(lines: list[str], min_chars: int) -> list[bool]:
    """Which lines shorter than ``min_chars`` stand in a run of ``MENU_RUN`` or more such lines that
    do not end as sentences: a site's menu ("Home", "World", "Business"), counted like any furniture
    line. A short line alone ("Yes", a one-word subheading) is not counted."""
    short = [1 < len(line) < min_chars and not _SENTENCE_END.search(line) for line in lines]
    menu = [False] * len(lines)
    start = 0
    for index in range(len(lines) + 1):
        if index == len(lines) or not short[index]:
            if index - start >= MENU_RUN:
                menu[start:index] = [True] * (index - start)
            start = index + 1
    return menu


def _copy_state(raw: Any) -> dict[str, Any]:
    """A copy that ``filter`` may change. Shallow per entry: ``filter`` replaces a line's
    ``[count, last_seq]`` list (and an id's entry) but never mutates one, so the caller's value
    stays intact without copying hundreds of small lists per article."""
    return {"v": 1, "seq": int(raw.get("seq", 0)), "ids": dict(raw.get("ids", {})),
            "lines": dict(raw.get("lines", {}))}


def _evict(counts: dict[str, list[int]], limit: int) -> None:
    """Drop the least recently seen line counters beyond ``limit`` (ties broken by hash: deterministic).

    Exactly sorted(...)[:excess] (the keys are unique), without a Python key call for each of the
    hundreds of counters of a source: the evicted all have a last_seq no later than the
    ``excess``-th smallest, found first over plain ints; only those are ranked in full."""
    excess = len(counts) - limit
    if excess <= 0:
        return
    cut = heapq.nsmallest(excess, [entry[1] for entry in counts.values()])[-1]
    candidates = [k for k, entry in counts.items() if entry[1] <= cut]
    for k in heapq.nsmallest(excess, candidates, key=lambda key: (counts[key][1], counts[key][0], key)):
        del counts[k]


def _seq_of(entry: int | list) -> int:
    """An id entry is its sequence number, or [sequence number, keys of the lines removed from it]."""
    return entry[0] if isinstance(entry, list) else entry


def _evict_ids(ids: dict[str, int], limit: int) -> None:
    excess = len(ids) - limit
    if excess <= 0:
        return
    for k in heapq.nsmallest(excess, ids, key=lambda key: (_seq_of(ids[key]), key)):
        del ids[k]
