"""Compact binary encodings of the durable clustering state.

Store layout (keys are strings, values bytes; every value is small):

* ``a:<article id>``  one record per article in the window (its signatures, its
  event, and the Assignment it got, so a redelivery returns it unchanged);
* ``e:<event id>``    one summary per live event (term centroid, entity profile,
  dates named, event-time range, member counts);
* ``m:``              a tiny JSON meta record (next arrival number, watermark).
"""
from __future__ import annotations

import math
import struct

import numpy as np

REL_CODES = {"new": 0, "exact": 1, "near": 2, "story": 3}
REL_NAMES = {v: k for k, v in REL_CODES.items()}

ART_PREFIX = "a:"
EVT_PREFIX = "e:"
META_KEY = "m:"
# Events that left the window, so that none of their ids is given again (clusterer._retire): "r:<event id>"
# marks one, "rs:<slot>" holds the id in a ring of RETIRED_KEPT slots, "rh" the ring's next write
RETIRED_PREFIX = "r:"
RETIRED_SLOT_PREFIX = "rs:"
RETIRED_HEAD_KEY = "rh"
RETIRED_KEPT = 16_384

# Article records come in two layouts. Both open with a little-endian u64 whose low 63 bits are the
# arrival number (peek_seq); its top bit marks the compact layout written since speed round 5.
# Legacy records (top bit clear) stay readable, so a changelog written before still restores.
_COMPACT = 1 << 63

# Legacy: seq, t, t_eff, content_key, url_key, relation, similarity, n_mh, n_terms, n_ents, n_dates,
# n_cues, n_evicted, len_dup; then event id, minhash, ...
_AHDR = struct.Struct("<QddQQBdBBBBBHH")
_NONE_DUP = 0xFFFF

# Compact: seq|_COMPACT, relation, flags, n_mh, n_terms, n_ents, n_dates, n_cues, n_evicted, len_dup,
# event id (8 bytes), then the MinHash at a fixed offset (LSH hits are verified against it) and the
# arrays as in the legacy layout (so a candidate's terms sit at a fixed offset too), then only the
# optional fields the flags name, then the evicted event ids and the duplicate's id.
_CHDR = struct.Struct("<QBBBBBBBHH8s")
_CCOUNTS = struct.Struct("<BBB")  # n_mh, n_terms, n_ents at offset 10 of a compact record
_F_T, _F_TEFF, _F_TEFF_IS_T, _F_CKEY, _F_UKEY, _F_SIM16, _F_SIM64 = (1 << i for i in range(7))
_D, _Q, _H = struct.Struct("<d"), struct.Struct("<Q"), struct.Struct("<H")
MH_OFFSET = _CHDR.size  # where a compact record's MinHash (u16 values) starts


def _nan(x):
    return float("nan") if x is None else float(x)


def _opt(x):
    return None if math.isnan(x) else x


def _sim16(sim: float) -> int | None:
    """sim as an exact u16 count of 1/10000 (similarities are rounded to 4 places), else None."""
    k = round(sim * 10000)
    return k if 0 <= k < 65535 and k / 10000 == sim else None


class ArticleRec:
    __slots__ = ("seq", "t", "t_eff", "content_key", "url_key", "relation", "similarity", "event_id",
                 "minhash", "term_h", "term_w", "ent_h", "ent_w", "dates", "cues", "evicted", "duplicate_of")

    def encode(self) -> bytes:
        """The compact layout: optional fields (times, keys, similarity) take space only when set."""
        dup = None if self.duplicate_of is None else self.duplicate_of.encode("utf-8")
        flags, opt = 0, []
        if self.t is not None:
            flags |= _F_T
            opt.append(_D.pack(self.t))
        if self.t_eff is not None:
            if self.t_eff == self.t:
                flags |= _F_TEFF_IS_T
            else:
                flags |= _F_TEFF
                opt.append(_D.pack(self.t_eff))
        for k, flag in ((self.content_key, _F_CKEY), (self.url_key, _F_UKEY)):
            if k:
                flags |= flag
                opt.append(_Q.pack(k))
        if self.similarity is not None:
            k = _sim16(self.similarity)
            if k is None:
                flags |= _F_SIM64
                opt.append(_D.pack(self.similarity))
            else:
                flags |= _F_SIM16
                opt.append(_H.pack(k))
        hdr = _CHDR.pack(self.seq | _COMPACT, REL_CODES[self.relation], flags, len(self.minhash),
                         len(self.term_h), len(self.ent_h), len(self.dates), len(self.cues), len(self.evicted),
                         _NONE_DUP if dup is None else len(dup), bytes.fromhex(self.event_id[4:]))
        parts = [hdr, self.minhash.astype("<u2").tobytes(),
                 self.term_h.astype("<u4").tobytes(), self.term_w.astype("<f2").tobytes(),
                 self.ent_h.astype("<u4").tobytes(), self.ent_w.astype("<f2").tobytes(),
                 self.dates.astype("<u4").tobytes(), self.cues.astype("<u4").tobytes(), *opt]
        parts.extend(bytes.fromhex(e[4:]) for e in self.evicted)
        if dup is not None:
            parts.append(dup)
        return b"".join(parts)

    @classmethod
    def decode(cls, b: bytes) -> "ArticleRec":
        r = cls.__new__(cls)
        if not b[7] & 0x80:
            return _decode_legacy(r, b)
        (seq, rel, flags, nmh, nt, ne, nd, nc, nev, ldup, eid) = _CHDR.unpack_from(b, 0)
        r.seq, r.relation, r.event_id = seq & ~_COMPACT, REL_NAMES[rel], "evt_" + eid.hex()
        o = MH_OFFSET
        r.minhash = np.frombuffer(b, "<u2", nmh, o); o += 2 * nmh
        o = _decode_arrays(r, b, o, nt, ne, nd, nc)
        r.t = r.t_eff = r.similarity = None
        r.content_key = r.url_key = 0
        if flags & _F_T:
            r.t = _D.unpack_from(b, o)[0]; o += 8
        if flags & _F_TEFF:
            r.t_eff = _D.unpack_from(b, o)[0]; o += 8
        elif flags & _F_TEFF_IS_T:
            r.t_eff = r.t
        if flags & _F_CKEY:
            r.content_key = _Q.unpack_from(b, o)[0]; o += 8
        if flags & _F_UKEY:
            r.url_key = _Q.unpack_from(b, o)[0]; o += 8
        if flags & _F_SIM16:
            r.similarity = _H.unpack_from(b, o)[0] / 10000; o += 2
        elif flags & _F_SIM64:
            r.similarity = _D.unpack_from(b, o)[0]; o += 8
        return _decode_tail(r, b, o, nev, ldup)


def _decode_legacy(r: ArticleRec, b: bytes) -> ArticleRec:
    (r.seq, t, te, r.content_key, r.url_key, rel, sim, nmh, nt, ne, nd, nc, nev, ldup) = _AHDR.unpack_from(b, 0)
    r.t, r.t_eff, r.similarity = _opt(t), _opt(te), _opt(sim)
    r.relation = REL_NAMES[rel]
    o = _AHDR.size
    r.event_id = "evt_" + b[o:o + 8].hex()
    o += 8
    r.minhash = np.frombuffer(b, "<u2", nmh, o); o += 2 * nmh
    return _decode_tail(r, b, _decode_arrays(r, b, o, nt, ne, nd, nc), nev, ldup)


def _decode_arrays(r: ArticleRec, b: bytes, o: int, nt, ne, nd, nc) -> int:
    """Read the term/name/date/cue arrays at ``o``; -> the offset after them."""
    r.term_h = np.frombuffer(b, "<u4", nt, o); o += 4 * nt
    r.term_w = np.frombuffer(b, "<f2", nt, o); o += 2 * nt
    r.ent_h = np.frombuffer(b, "<u4", ne, o); o += 4 * ne
    r.ent_w = np.frombuffer(b, "<f2", ne, o); o += 2 * ne
    r.dates = np.frombuffer(b, "<u4", nd, o); o += 4 * nd
    r.cues = np.frombuffer(b, "<u4", nc, o); o += 4 * nc
    return o


def _decode_tail(r: ArticleRec, b: bytes, o: int, nev, ldup) -> ArticleRec:
    ev = []
    for _ in range(nev):
        ev.append("evt_" + b[o:o + 8].hex())
        o += 8
    r.evicted = ev
    r.duplicate_of = None if ldup == _NONE_DUP else b[o:o + ldup].decode("utf-8")
    return r


def _layout(b: bytes) -> tuple[int, int, int, int, int]:
    """(n_minhash, n_terms, n_ents, offset of the event id, offset of the MinHash) of either layout;
    in both, the terms follow the MinHash."""
    if b[7] & 0x80:
        return (*_CCOUNTS.unpack_from(b, 10), MH_OFFSET - 8, MH_OFFSET)
    nmh, nt, ne = _AHDR.unpack_from(b, 0)[7:10]
    return nmh, nt, ne, _AHDR.size, _AHDR.size + 8


def peek_seq(b: bytes) -> int:
    return struct.unpack_from("<Q", b, 0)[0] & ~_COMPACT


def peek_event(b: bytes) -> str:
    o = _layout(b)[3]
    return "evt_" + b[o:o + 8].hex()


# n_alive, n_total, tmin, tmax, n_terms, n_ents, n_dates, n_cues, len_first
_EHDR = struct.Struct("<IIddHHHHH")
_EHEAD = struct.Struct("<IIdd")  # the head of an event record: n_alive, n_total, tmin, tmax


def event_head(b: bytes) -> tuple:
    """(n_alive, n_total, tmin, tmax) of an event record."""
    n_alive, n_total, tmin, tmax = _EHEAD.unpack_from(b, 0)
    return n_alive, n_total, _opt(tmin), _opt(tmax)


def with_head(b: bytes, n_alive: int, n_total: int, tmin: float | None, tmax: float | None) -> bytes:
    """The event record ``b`` with a new head and the same profile: the bytes that decoding, changing
    the head and encoding again would give (all that a copy joining or an eviction changes)."""
    return _EHEAD.pack(n_alive, n_total, _nan(tmin), _nan(tmax)) + b[_EHEAD.size:]


class EventRec:
    __slots__ = ("n_alive", "n_total", "tmin", "tmax", "term_h", "term_w", "ent_h", "ent_w",
                 "date_c", "date_n", "cue_c", "cue_n", "first_id")

    def encode(self) -> bytes:
        fid = self.first_id.encode("utf-8")
        return b"".join([
            _EHDR.pack(self.n_alive, self.n_total, _nan(self.tmin), _nan(self.tmax), len(self.term_h),
                       len(self.ent_h), len(self.date_c), len(self.cue_c), len(fid)),
            np.asarray(self.term_h, "<u4").tobytes(), np.asarray(self.term_w, "<f4").tobytes(),
            np.asarray(self.ent_h, "<u4").tobytes(), np.asarray(self.ent_w, "<f4").tobytes(),
            np.asarray(self.date_c, "<u4").tobytes(), np.asarray(self.date_n, "<u2").tobytes(),
            np.asarray(self.cue_c, "<u4").tobytes(), np.asarray(self.cue_n, "<u2").tobytes(), fid])

    @classmethod
    def decode(cls, b: bytes) -> "EventRec":
        r = cls.__new__(cls)
        r.n_alive, r.n_total, tmin, tmax, nt, ne, nd, nc, lf = _EHDR.unpack_from(b, 0)
        r.tmin, r.tmax = _opt(tmin), _opt(tmax)
        o = _EHDR.size
        r.term_h = np.frombuffer(b, "<u4", nt, o); o += 4 * nt
        r.term_w = np.frombuffer(b, "<f4", nt, o); o += 4 * nt
        r.ent_h = np.frombuffer(b, "<u4", ne, o); o += 4 * ne
        r.ent_w = np.frombuffer(b, "<f4", ne, o); o += 4 * ne
        r.date_c = np.frombuffer(b, "<u4", nd, o); o += 4 * nd
        r.date_n = np.frombuffer(b, "<u2", nd, o); o += 2 * nd
        r.cue_c = np.frombuffer(b, "<u4", nc, o); o += 4 * nc
        r.cue_n = np.frombuffer(b, "<u2", nc, o); o += 2 * nc
        r.first_id = b[o:o + lf].decode("utf-8")
        return r


class CandidateSet:
    """The fields scoring needs from a batch of candidate article records, cut straight from
    their bytes into a few concatenated arrays (no per-record objects: decoding 24 records
    one by one cost more than scoring them)."""
    __slots__ = ("ids", "event_ids", "minhash", "term_h", "term_w", "term_len", "ent_h", "ent_w", "ent_len")

    def __init__(self, items: list[tuple[str, bytes]]):
        self.ids = [cid for cid, _ in items]
        eids, mh, th, tw, eh, ew, tl, el = [], [], [], [], [], [], [], []
        counts = _CCOUNTS.unpack_from
        for _, b in items:
            if b[7] & 0x80:  # the compact layout (_layout, inlined: this loop runs 24 times an article)
                nmh, nt, ne = counts(b, 10)
                e, o = MH_OFFSET - 8, MH_OFFSET
            else:
                nmh, nt, ne, e, o = _layout(b)
            eids.append("evt_" + b[e:e + 8].hex())
            a = o + 2 * nmh
            mh.append(b[o:a])
            o = a + 4 * nt
            th.append(b[a:o])
            a = o + 2 * nt
            tw.append(b[o:a])
            o = a + 4 * ne
            eh.append(b[a:o])
            ew.append(b[o:o + 2 * ne])
            tl.append(nt)
            el.append(ne)
        self.event_ids = eids
        self.minhash = np.frombuffer(b"".join(mh), "<u2").reshape(len(items), -1)
        self.term_h = np.frombuffer(b"".join(th), "<u4")
        self.term_w = np.frombuffer(b"".join(tw), "<f2").astype(np.float64)
        self.term_len = np.array(tl, dtype=np.int64)
        self.ent_h = np.frombuffer(b"".join(eh), "<u4")
        self.ent_w = np.frombuffer(b"".join(ew), "<f2").astype(np.float64)
        self.ent_len = np.array(el, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.ids)
