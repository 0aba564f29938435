"""The LSH band buckets of the window as flat open-addressing tables, one per band.

A dict of band key -> id(s) cost about 50 bytes per band (a Python int key plus the dict's entry
and slack), eight bands per article: a quarter of the window's state. Here band k of every window
article is one 16-byte slot of table k: the band's 64-bit value in an ``array('Q')`` and its
article's arrival number in an ``array('q')``, found by linear probing from a slot that the
value's low bits pick. Keys are the whole band values, so the members found are
exactly the articles that share the band (no record has to be read to check). A removal leaves a
tombstone that a later entry may take; once entries and tombstones fill 60 % of the slots the
tables are laid out again in one vectorised pass (a full window turning over does that about once
per half window of arrivals).
"""
from __future__ import annotations

from array import array

import numpy as np

_EMPTY = -1  # arrival numbers are >= 0
_DEAD = -2  # a tombstone
_LOW30 = (1 << 30) - 1
_MAX_LOAD = 0.6  # entries and tombstones: past this, rebuild
_MIN_LOAD = 0.4  # entries: past this after a rebuild, grow
_GROWTH = 1.5


class BandIndex:
    """Per LSH band, a multimap of band value -> arrival numbers; 16 bytes per slot, at 30-60 %
    load."""
    __slots__ = ("keys", "seqs", "cap", "n", "dead")

    def __init__(self, n_bands: int, cap: int = 1024):
        self.cap = cap
        self.keys = [array("Q", [0]) * cap for _ in range(n_bands)]
        self.seqs = [array("q", [_EMPTY]) * cap for _ in range(n_bands)]
        self.n = 0  # articles (entries per band)
        self.dead = 0  # removals since the last rebuild: at least each band's tombstones

    def __len__(self) -> int:
        return self.n

    def add(self, values: list[int], seq: int) -> None:
        """File arrival ``seq`` under its band values (one per band, in band order)."""
        if self.n + self.dead + 1 > _MAX_LOAD * self.cap:
            self._rebuild()
        cap = self.cap
        for keys, seqs, v in zip(self.keys, self.seqs, values):
            i = ((v & _LOW30) * cap) >> 30  # the low bits of MinHash values are uniform
            s = seqs[i]
            while s >= 0:
                i += 1
                if i == cap:
                    i = 0
                s = seqs[i]
            keys[i], seqs[i] = v, seq  # an empty slot or a tombstone
        self.n += 1

    def remove(self, values: list[int], seq: int) -> bool:
        """Remove arrival ``seq`` from under its band values; False when it is not there."""
        cap = self.cap
        found = False
        for keys, seqs, v in zip(self.keys, self.seqs, values):
            i = ((v & _LOW30) * cap) >> 30
            s = seqs[i]
            while s != _EMPTY:
                if s == seq and keys[i] == v:
                    seqs[i] = _DEAD
                    found = True
                    break
                i += 1
                if i == cap:
                    i = 0
                s = seqs[i]
        if found:
            self.n -= 1
            self.dead += 1
        return found

    def members(self, values: list[int]) -> list[int]:
        """The arrival numbers filed under each band value, band after band (an article sharing
        two bands is there twice)."""
        cap = self.cap
        out: list[int] = []
        for keys, seqs, v in zip(self.keys, self.seqs, values):
            i = ((v & _LOW30) * cap) >> 30
            s = seqs[i]
            while s != _EMPTY:
                if s >= 0 and keys[i] == v:
                    out.append(s)
                i += 1
                if i == cap:
                    i = 0
                s = seqs[i]
        return out

    def _rebuild(self) -> None:
        """Lay each band's entries out again without tombstones, 1.5x larger when they fill more
        than ``_MIN_LOAD``: sort them by home slot and give each the first free slot from its home
        in one pass (a running maximum); the few that would run past the end go on from slot 0."""
        cap = self.cap
        while self.n + 1 > _MIN_LOAD * cap:
            cap = int(cap * _GROWTH) + 1
        for b in range(len(self.keys)):
            s = np.frombuffer(self.seqs[b], np.int64)
            live = s >= 0
            k, s = np.frombuffer(self.keys[b], np.uint64)[live], s[live]
            home = ((k & np.uint64(_LOW30)) * np.uint64(cap)) >> np.uint64(30)
            order = np.argsort(home, kind="stable")
            k, s, home = k[order], s[order], home[order].astype(np.int64)
            idx = np.arange(k.size)
            pos = np.maximum.accumulate(home - idx) + idx if k.size else idx
            fits = pos < cap
            new_k = np.zeros(cap, np.uint64)
            new_s = np.full(cap, _EMPTY, np.int64)
            new_k[pos[fits]], new_s[pos[fits]] = k[fits], s[fits]
            keys, seqs = array("Q", new_k.tobytes()), array("q", new_s.tobytes())
            for v, q in zip(k[~fits].tolist(), s[~fits].tolist()):  # past the end: on from slot 0
                i = ((v & _LOW30) * cap) >> 30
                while seqs[i] != _EMPTY:
                    i += 1
                    if i == cap:
                        i = 0
                keys[i], seqs[i] = v, q
            self.keys[b], self.seqs[b] = keys, seqs
        self.cap, self.dead = cap, 0
