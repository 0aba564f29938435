"""The LSH band buckets of the window as one flat open-addressing table.

A dict of band key -> id(s) cost about 50 bytes per band (a 28-byte int key plus the dict's
entry and slack), eight bands per article: a quarter of the window's state. Here each band is
one 8-byte slot of an ``array('q')`` holding ``fold << 32 | arrival number mod 2**32``, found by
linear probing from a slot chosen by the fold. A removal leaves a tombstone that a later entry
may take; once entries and tombstones fill 60 % of the table it is laid out again in one
vectorised pass (a full window turning over rebuilds about once per half window of arrivals).

The low 32 bits name an arrival unambiguously because the window never holds articles more than
``max_articles`` (< 2**31) arrivals apart; ``members`` takes the newest arrival number to
rebuild the full ones.
"""
from __future__ import annotations

from array import array

import numpy as np

_EMPTY = -1  # entries are >= 0 (a 30-bit fold above 32 bits of arrival number)
_DEAD = -2
_MAX_LOAD = 0.6  # entries and tombstones: past this, rebuild
_MIN_LOAD = 0.4  # entries: past this after a rebuild, grow
_GROWTH = 1.5


class BandIndex:
    """Multimap of 30-bit band fold -> arrival numbers, 8 bytes per entry at 30-60 % load."""
    __slots__ = ("slots", "cap", "n", "dead")

    def __init__(self, cap: int = 1024):
        self.cap = cap
        self.slots = array("q", [_EMPTY]) * cap
        self.n = 0  # entries
        self.dead = 0  # tombstones: removed entries' slots, reused by add, dropped by a rebuild

    def __len__(self) -> int:
        return self.n

    def add(self, folds: list[int], seq: int) -> None:
        """File arrival ``seq`` under each of ``folds`` (an article's bands)."""
        if self.n + self.dead + len(folds) > _MAX_LOAD * self.cap:
            self._rebuild()
        slots, cap = self.slots, self.cap
        low = seq & 0xFFFFFFFF
        for fold in folds:
            i = (fold * cap) >> 30  # folds are uniform 30-bit values: their top bits pick the home slot
            v = slots[i]
            while v >= 0:
                i += 1
                if i == cap:
                    i = 0
                v = slots[i]
            if v == _DEAD:
                self.dead -= 1
            slots[i] = fold << 32 | low
        self.n += len(folds)

    def remove(self, folds: list[int], seq: int) -> int:
        """Remove arrival ``seq`` once from under each of ``folds``; returns how many were there."""
        slots, cap = self.slots, self.cap
        low = seq & 0xFFFFFFFF
        gone = 0
        for fold in folds:
            want = fold << 32 | low
            i = (fold * cap) >> 30
            v = slots[i]
            while v != want:
                if v == -1:
                    break
                i += 1
                if i == cap:
                    i = 0
                v = slots[i]
            else:
                slots[i] = _DEAD
                gone += 1
        self.n -= gone
        self.dead += gone
        return gone

    def members(self, folds: list[int], newest_seq: int) -> list[tuple[int, int]]:
        """(k, arrival number) for the articles filed under ``folds[k]``, each once per k, k in
        order (``newest_seq``: the newest arrival number handed out, from which the stored low
        32 bits are widened)."""
        slots, cap = self.slots, self.cap
        out: list[tuple[int, int]] = []
        for k, fold in enumerate(folds):
            i = (fold * cap) >> 30
            v = slots[i]
            found = None
            while v != -1:
                if v >> 32 == fold:
                    s = newest_seq - ((newest_seq - v) & 0xFFFFFFFF)
                    if found is None:
                        found = [s]
                    elif s not in found:  # an article whose two bands fold alike sits here twice
                        found.append(s)
                i += 1
                if i == cap:
                    i = 0
                v = slots[i]
            if found is not None:
                out.extend((k, s) for s in found)
        return out

    def _rebuild(self) -> None:
        """Lay the entries out again without tombstones, 1.5x larger when they fill more than
        ``_MIN_LOAD`` of it: sort them by home slot and give each the first free slot from its
        home in one pass (a running maximum); the few that would run past the end go on from
        slot 0 one by one."""
        a = np.frombuffer(self.slots, np.int64)
        live = a[a >= 0]
        cap = self.cap
        while live.size + 8 > _MIN_LOAD * cap:
            cap = int(cap * _GROWTH) + 1
        home = ((live >> 32) * cap) >> 30
        order = np.argsort(home, kind="stable")
        live, home = live[order], home[order]
        idx = np.arange(live.size)
        pos = np.maximum.accumulate(home - idx) + idx if live.size else idx
        new = np.full(cap, _EMPTY, np.int64)
        fits = pos < cap
        new[pos[fits]] = live[fits]
        slots = array("q", new.tobytes())
        for v in live[~fits].tolist():
            i = ((v >> 32) * cap) >> 30
            while slots[i] != _EMPTY:
                i += 1
                if i == cap:
                    i = 0
            slots[i] = v
        self.slots, self.cap, self.dead = slots, cap, 0
