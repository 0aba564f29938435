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

# seq, t, t_eff, content_key, url_key, relation, similarity, n_mh, n_terms, n_ents, n_dates, n_cues, n_evicted,
# len_dup
_AHDR = struct.Struct("<QddQQBdBBBBBHH")
_NONE_DUP = 0xFFFF


def _nan(x):
    return float("nan") if x is None else float(x)


def _opt(x):
    return None if math.isnan(x) else x


class ArticleRec:
    __slots__ = ("seq", "t", "t_eff", "content_key", "url_key", "relation", "similarity", "event_id",
                 "minhash", "term_h", "term_w", "ent_h", "ent_w", "dates", "cues", "evicted", "duplicate_of")

    def encode(self) -> bytes:
        dup = None if self.duplicate_of is None else self.duplicate_of.encode("utf-8")
        hdr = _AHDR.pack(self.seq, _nan(self.t), _nan(self.t_eff), self.content_key, self.url_key,
                         REL_CODES[self.relation], _nan(self.similarity), len(self.minhash), len(self.term_h),
                         len(self.ent_h), len(self.dates), len(self.cues), len(self.evicted),
                         _NONE_DUP if dup is None else len(dup))
        parts = [hdr, bytes.fromhex(self.event_id[4:]), self.minhash.astype("<u2").tobytes(),
                 self.term_h.astype("<u4").tobytes(), self.term_w.astype("<f2").tobytes(),
                 self.ent_h.astype("<u4").tobytes(), self.ent_w.astype("<f2").tobytes(),
                 self.dates.astype("<u4").tobytes(), self.cues.astype("<u4").tobytes()]
        parts.extend(bytes.fromhex(e[4:]) for e in self.evicted)
        if dup is not None:
            parts.append(dup)
        return b"".join(parts)

    @classmethod
    def decode(cls, b: bytes) -> "ArticleRec":
        r = cls.__new__(cls)
        (r.seq, t, te, r.content_key, r.url_key, rel, sim, nmh, nt, ne, nd, nc, nev, ldup) = _AHDR.unpack_from(b, 0)
        r.t, r.t_eff, r.similarity = _opt(t), _opt(te), _opt(sim)
        r.relation = REL_NAMES[rel]
        o = _AHDR.size
        r.event_id = "evt_" + b[o:o + 8].hex()
        o += 8
        r.minhash = np.frombuffer(b, "<u2", nmh, o); o += 2 * nmh
        r.term_h = np.frombuffer(b, "<u4", nt, o); o += 4 * nt
        r.term_w = np.frombuffer(b, "<f2", nt, o); o += 2 * nt
        r.ent_h = np.frombuffer(b, "<u4", ne, o); o += 4 * ne
        r.ent_w = np.frombuffer(b, "<f2", ne, o); o += 2 * ne
        r.dates = np.frombuffer(b, "<u4", nd, o); o += 4 * nd
        r.cues = np.frombuffer(b, "<u4", nc, o); o += 4 * nc
        ev = []
        for _ in range(nev):
            ev.append("evt_" + b[o:o + 8].hex())
            o += 8
        r.evicted = ev
        r.duplicate_of = None if ldup == _NONE_DUP else b[o:o + ldup].decode("utf-8")
        return r


def peek_seq(b: bytes) -> int:
    return struct.unpack_from("<Q", b, 0)[0]


def peek_event(b: bytes) -> str:
    return "evt_" + b[_AHDR.size:_AHDR.size + 8].hex()


# n_alive, n_total, tmin, tmax, n_terms, n_ents, n_dates, n_cues, len_first
_EHDR = struct.Struct("<IIddHHHHH")


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
        unpack, hs = _AHDR.unpack_from, _AHDR.size
        self.ids = [cid for cid, _ in items]
        eids, mh, th, tw, eh, ew, tl, el = [], [], [], [], [], [], [], []
        for _, b in items:
            nmh, nt, ne = unpack(b, 0)[7:10]
            o = hs
            eids.append("evt_" + b[o:o + 8].hex())
            o += 8
            mh.append(b[o:o + 2 * nmh]); o += 2 * nmh
            th.append(b[o:o + 4 * nt]); o += 4 * nt
            tw.append(b[o:o + 2 * nt]); o += 2 * nt
            eh.append(b[o:o + 4 * ne]); o += 4 * ne
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
