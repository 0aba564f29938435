"""Online story clustering: each article is assigned once to an event.

Decision order for an incoming article:

1. already in the window (redelivery)  -> the stored Assignment, no state change;
2. same normalised content or canonical URL as a live article -> ``exact``;
3. MinHash Jaccard estimate >= ``near_threshold`` with a candidate -> ``near``;
4. best candidate event with score >= ``story_threshold`` -> ``story``;
5. otherwise -> ``new`` event.

Candidates come from an in-memory index (LSH buckets over MinHash bands, inverted
lists over each article's most distinctive terms and names), never from a scan.
The index is derived state; everything durable lives in ``store``.
"""
from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import MutableMapping
from dataclasses import dataclass, field

import numpy as np
import orjson

from .features import Features, event_id_for, extract
from .params import ClusterParams
from .records import (ART_PREFIX, EVT_PREFIX, META_KEY, ArticleRec, EventRec, peek_event, peek_seq)

_BAND_SALT = np.array([(0x9E3779B97F4A7C15 * (i + 1)) & 0xFFFFFFFFFFFFFFFF for i in range(64)], dtype=np.uint64)


@dataclass
class ClusterDoc:
    id: str
    title: str = ""
    text: str = ""
    source: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    published: str | None = None
    fetched_at: str | None = None
    language: str | None = None


@dataclass
class Assignment:
    event_id: str
    relation: str  # "new" | "exact" | "near" | "story"
    duplicate_of: str | None = None
    similarity: float | None = None
    evicted: list[str] = field(default_factory=list)


def _dot(ad: dict, h: np.ndarray, w: np.ndarray) -> float:
    g = ad.get
    s = 0.0
    for k, v in zip(h.tolist(), w.tolist()):
        x = g(k)
        if x is not None:
            s += x * v
    return s


class StoryClusterer:
    def __init__(self, params: ClusterParams | None = None, store: MutableMapping | None = None):
        self.p = params or ClusterParams.load()
        self.idf = self.p.ensure_idf()
        self.store: MutableMapping = {} if store is None else store
        self._nband = self.p.lsh_bands
        self._band_rows = self.p.lsh_rows
        if self._band_rows != 4:
            raise ValueError("lsh_rows must be 4 (four 16-bit MinHash values make one 64-bit band key)")
        # derived, in-memory index
        self._exact: dict[int, object] = {}  # content/url key -> id | [ids]
        self._bkt: dict[int, object] = {}  # LSH band key -> id | [ids]
        self._post: dict[int, list] = {}  # term/entity hash -> [ids] in arrival order
        self._dfw: dict[int, int] = {}  # window document frequency of stored terms/names
        self._heap: list = []  # (t_eff, seq, id)
        self._arrival: deque = deque()  # (seq, id)
        self._n = 0
        self._n_events = 0
        self._seq = 0
        self._wm: float | None = None  # watermark: max event time seen
        self._pending = None
        self._pending_rec = None
        self._pending_dropped = False
        m = self.store.get(META_KEY)
        if m is not None:
            meta = orjson.loads(m)
            self._seq, self._wm = meta["seq"], meta["wm"]

    # ------------------------------------------------------------------ public
    def window_size(self) -> int:
        return self._n

    def event_count(self) -> int:
        return self._n_events

    @classmethod
    def restore(cls, params: ClusterParams | None, store: MutableMapping) -> "StoryClusterer":
        c = cls(params, store)
        arts = []
        for k in list(store.keys()):
            if k.startswith(ART_PREFIX):
                v = store[k]
                arts.append((peek_seq(v), k[len(ART_PREFIX):], v))
            elif k.startswith(EVT_PREFIX):
                c._n_events += 1
        arts.sort(key=lambda x: x[0])
        for seq, aid, v in arts:
            c._index(aid, ArticleRec.decode(v))
        return c

    def assign(self, doc: ClusterDoc) -> Assignment:
        key = ART_PREFIX + doc.id
        old = self.store.get(key)
        if old is not None:
            r = ArticleRec.decode(old)
            return Assignment(r.event_id, r.relation, r.duplicate_of, r.similarity, list(r.evicted))
        f = extract(doc.title, doc.text, doc.canonical_url or doc.url, doc.published, doc.fetched_at,
                    self.idf, self.p)
        return self.assign_features(doc.id, f)

    # ------------------------------------------------------------ core logic
    def assign_features(self, aid: str, f: Features) -> Assignment:
        """Assign from precomputed features (used by assign() and by offline fitting)."""
        key = ART_PREFIX + aid
        old = self.store.get(key)
        if old is not None:
            r = ArticleRec.decode(old)
            return Assignment(r.event_id, r.relation, r.duplicate_of, r.similarity, list(r.evicted))
        p = self.p
        mh16 = f.minhash.astype(np.uint16)
        rel, dup, sim, eid = "new", None, None, None

        # 1. exact: content, then canonical URL
        for k in (f.content_key, f.url_key):
            if k and k in self._exact:
                v = self._exact[k]
                dup = v if isinstance(v, str) else v[0]
                rel, sim = "exact", 1.0
                eid = peek_event(self.store[ART_PREFIX + dup])
                break

        if rel == "new":
            cands = self._candidates(f, mh16)
            if cands:
                recs = [(cid, ArticleRec.decode(self.store[ART_PREFIX + cid])) for cid in cands]
                # 2. near duplicate
                mhs = np.stack([r.minhash for _, r in recs])
                jac = (mhs == mh16[None, :]).mean(axis=1)
                j = int(np.argmax(jac))
                if jac[j] >= p.near_threshold:
                    rel, dup, sim = "near", recs[j][0], round(float(jac[j]), 4)
                    eid = recs[j][1].event_id
                else:
                    # 3. same story
                    best = self._best_event(f, recs)
                    if best is not None and best[0] >= p.story_threshold:
                        rel, sim, eid = "story", round(float(best[0]), 4), best[1]
        if eid is None:
            eid = event_id_for(aid)
        return self._commit(aid, f, mh16, rel, dup, sim, eid)

    def _candidates(self, f: Features, mh16: np.ndarray) -> list[str]:
        p = self.p
        score: dict[str, float] = {}
        for bk in self._band_keys(mh16):
            v = self._bkt.get(bk)
            if v is not None:
                for cid in ((v,) if isinstance(v, str) else v):
                    score[cid] = score.get(cid, 0.0) + 10.0
        post = self._post
        pr = p.posting_read
        for hs, ws, q in ((f.term_h, f.term_w, p.q_terms), (f.ent_h, f.ent_w, p.q_ents)):
            for h, w in zip(hs[:q].tolist(), ws[:q].tolist()):
                lst = post.get(h)
                if lst:
                    for cid in lst[-pr:]:
                        score[cid] = score.get(cid, 0.0) + w
        if not score:
            return []
        if len(score) <= p.max_candidates:
            return sorted(score, key=lambda c: (-score[c], c))
        return [c for c, _ in heapq.nsmallest(p.max_candidates, score.items(), key=lambda x: (-x[1], x[0]))]

    def _discounter(self):
        """Window-DF discount d(h) in (0, 1]: names/terms that many live articles share
        (the leaders every story of a beat mentions) count less than rare ones."""
        dfw = self._dfw
        n2 = self._n + 2
        ln = math.log(n2)
        cache: dict[int, float] = {}

        def d(h: int) -> float:
            v = cache.get(h)
            if v is None:
                v = cache[h] = math.log(n2 / (dfw.get(h, 0) + 1)) / ln
            return v
        return d

    def _best_event(self, f: Features, recs):
        """(probability, event_id) of the best-scoring candidate event, or None."""
        p = self.p
        d = self._discounter()
        ad = _reweight(f.term_h, f.term_w, d)
        ed = _reweight(f.ent_h, f.ent_w, d)
        best_member: dict[str, float] = {}
        for cid, r in recs:
            s = _rcos(ad, r.term_h, r.term_w, d)
            if s > best_member.get(r.event_id, -1.0):
                best_member[r.event_id] = s
        a_dates = f.dates.tolist()
        w = p.weights
        best = None
        for eid in sorted(best_member):
            b = self.store.get(EVT_PREFIX + eid)
            if b is None:
                continue
            e = EventRec.decode(b)
            if f.time is not None and e.tmin is not None:
                if f.time < e.tmin - p.max_gap_seconds or f.time > e.tmax + p.max_gap_seconds:
                    continue
            x = event_features(f, ad, ed, a_dates, e, best_member[eid], d)
            z = p.bias + sum(wi * xi for wi, xi in zip(w, x))
            prob = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))
            if best is None or prob > best[0]:
                best = (prob, eid)
        return best

    # ------------------------------------------------------------- mutation
    def _commit(self, aid, f: Features, mh16, rel, dup, sim, eid) -> Assignment:
        p = self.p
        st = self.store
        if f.time is not None:
            self._wm = f.time if self._wm is None else max(self._wm, f.time)
        t_eff = f.time if f.time is not None else self._wm
        if t_eff is not None and self._wm is not None:
            t_eff = max(t_eff, self._wm - p.window_seconds)
        seq = self._seq
        self._seq += 1

        # event summary
        eb = st.get(EVT_PREFIX + eid)
        if eb is None:
            e = EventRec.__new__(EventRec)
            e.n_alive = e.n_total = 0
            e.tmin = e.tmax = None
            e.term_h = e.term_w = e.ent_h = e.ent_w = e.date_c = e.date_n = ()
            e.first_id = aid
            self._n_events += 1
        else:
            e = EventRec.decode(eb)
        e.n_alive += 1
        e.n_total += 1
        if f.time is not None:
            e.tmin = f.time if e.tmin is None else min(e.tmin, f.time)
            e.tmax = f.time if e.tmax is None else max(e.tmax, f.time)
        if rel not in ("exact", "near"):  # copies add nothing new to the profile
            e.term_h, e.term_w = _merge(e.term_h, e.term_w, f.term_h, f.term_w, p.k_event_terms)
            e.ent_h, e.ent_w = _merge(e.ent_h, e.ent_w, f.ent_h, f.ent_w, p.k_event_ents)
            e.date_c, e.date_n = _merge_counts(e.date_c, e.date_n, f.dates, p.k_event_dates)
        st[EVT_PREFIX + eid] = e.encode()

        r = ArticleRec.__new__(ArticleRec)
        r.seq, r.t, r.t_eff = seq, f.time, t_eff
        r.content_key, r.url_key = f.content_key, f.url_key
        r.relation, r.similarity, r.event_id, r.duplicate_of = rel, sim, eid, dup
        r.minhash, r.term_h, r.term_w = mh16, f.term_h, f.term_w
        r.ent_h, r.ent_w, r.dates = f.ent_h, f.ent_w, f.dates
        r.evicted = []
        self._index(aid, r)
        self._pending, self._pending_rec, self._pending_dropped = (aid, seq), r, False
        try:
            evicted = self._evict()
        finally:
            self._pending = None
        r.evicted = evicted
        if not self._pending_dropped:
            st[ART_PREFIX + aid] = r.encode()
        st[META_KEY] = orjson.dumps({"seq": self._seq, "wm": self._wm})
        return Assignment(eid, rel, dup, sim, evicted)

    def _band_keys(self, mh16: np.ndarray) -> list[int]:
        nb = self._nband
        v = np.ascontiguousarray(mh16[: nb * 4]).view(np.uint64)
        return (v ^ _BAND_SALT[:nb]).tolist()

    def _index(self, aid: str, r: ArticleRec) -> None:
        """Add one article to the in-memory index (also used by restore)."""
        self._n += 1
        for k in (r.content_key, r.url_key):
            if k:
                _badd(self._exact, k, aid)
        for bk in self._band_keys(r.minhash):
            _badd(self._bkt, bk, aid)
        post = self._post
        for h in r.term_h[: self.p.q_terms].tolist() + r.ent_h[: self.p.q_ents].tolist():
            lst = post.get(h)
            if lst is None:
                post[h] = [aid]
            else:
                lst.append(aid)
        dfw = self._dfw
        for h in r.term_h.tolist() + r.ent_h.tolist():
            dfw[h] = dfw.get(h, 0) + 1
        if r.t_eff is not None:
            heapq.heappush(self._heap, (r.t_eff, r.seq, aid))
        self._arrival.append((r.seq, aid))

    def _unindex(self, aid: str, r: ArticleRec) -> None:
        self._n -= 1
        for k in (r.content_key, r.url_key):
            if k:
                _bdel(self._exact, k, aid)
        for bk in self._band_keys(r.minhash):
            _bdel(self._bkt, bk, aid)
        post = self._post
        for h in r.term_h[: self.p.q_terms].tolist() + r.ent_h[: self.p.q_ents].tolist():
            lst = post.get(h)
            if lst is not None:
                try:
                    lst.remove(aid)
                except ValueError:
                    pass
                if not lst:
                    del post[h]
        dfw = self._dfw
        for h in r.term_h.tolist() + r.ent_h.tolist():
            c = dfw.get(h, 0) - 1
            if c > 0:
                dfw[h] = c
            else:
                dfw.pop(h, None)

    def _alive(self, aid: str, seq: int) -> bool:
        if self._pending == (aid, seq):
            return not self._pending_dropped
        b = self.store.get(ART_PREFIX + aid)
        return b is not None and peek_seq(b) == seq

    def _evict(self) -> list[str]:
        """Evict by time (watermark - window) and by count; returns the events that died."""
        p = self.p
        dead: list[str] = []
        victims: list[tuple[str, int]] = []
        if self._wm is not None:
            cutoff = self._wm - p.window_seconds
            h = self._heap
            while h and h[0][0] < cutoff:
                t, seq, aid = heapq.heappop(h)
                if self._alive(aid, seq):
                    victims.append((aid, seq))
        if self._n - len(victims) > p.max_articles:
            excess = self._n - len(victims) - p.max_articles
            vs = {v[1] for v in victims}
            arr = self._arrival
            while excess > 0 and arr:
                seq, aid = arr.popleft()
                if seq not in vs and self._alive(aid, seq):
                    victims.append((aid, seq))
                    excess -= 1
        elif len(self._arrival) > 2 * max(self._n, 16):  # drop stale arrival entries
            self._arrival = deque(x for x in self._arrival if self._alive(x[1], x[0]))
        for aid, seq in victims:
            dead.extend(self._drop(aid, seq))
        return dead

    def _drop(self, aid: str, seq: int) -> list[str]:
        st = self.store
        key = ART_PREFIX + aid
        if self._pending == (aid, seq):  # the article being assigned fell out at once
            r = self._pending_rec
            self._pending_dropped = True
        else:
            r = ArticleRec.decode(st[key])
        self._unindex(aid, r)
        if key in st and peek_seq(st[key]) == seq:
            del st[key]
        ek = EVT_PREFIX + r.event_id
        eb = st.get(ek)
        if eb is None:
            return []
        e = EventRec.decode(eb)
        e.n_alive -= 1
        if e.n_alive <= 0:
            del st[ek]
            self._n_events -= 1
            return [r.event_id]
        st[ek] = e.encode()
        return []


# ---------------------------------------------------------------- helpers
def _badd(d: dict, k: int, aid: str) -> None:
    v = d.get(k)
    if v is None:
        d[k] = aid
    elif isinstance(v, str):
        d[k] = [v, aid]
    else:
        v.append(aid)


def _bdel(d: dict, k: int, aid: str) -> None:
    v = d.get(k)
    if v is None:
        return
    if isinstance(v, str):
        if v == aid:
            del d[k]
        return
    try:
        v.remove(aid)
    except ValueError:
        return
    if len(v) == 1:
        d[k] = v[0]


def _merge(h1, w1, h2, w2, k: int):
    """Sum two sparse (hash, weight) vectors, keep the k heaviest (ties by hash)."""
    acc: dict[int, float] = {}
    for h, w in zip(np.asarray(h1).tolist(), np.asarray(w1, dtype=np.float32).tolist()):
        acc[h] = w
    for h, w in zip(h2.tolist(), w2.astype(np.float32).tolist()):
        acc[h] = acc.get(h, 0.0) + w
    items = sorted(acc.items(), key=lambda x: (-x[1], x[0]))[:k]
    return (np.array([h for h, _ in items], dtype=np.uint32), np.array([w for _, w in items], dtype=np.float32))


def _merge_counts(c1, n1, c2, k: int):
    acc: dict[int, int] = {}
    for c, n in zip(np.asarray(c1).tolist(), np.asarray(n1).tolist()):
        acc[c] = n
    for c in c2.tolist():
        acc[c] = min(acc.get(c, 0) + 1, 65535)
    items = sorted(acc.items(), key=lambda x: (-x[1], x[0]))[:k]
    return (np.array([c for c, _ in items], dtype=np.uint32), np.array([n for _, n in items], dtype=np.uint16))


def _date_match(a: int, b: int, tol: int) -> bool:
    ya, ma, da = a // 10000, (a // 100) % 100, a % 100
    yb, mb, db = b // 10000, (b // 100) % 100, b % 100
    if ya and yb and ya != yb:
        return False
    if ma != mb or not da or not db:
        return False
    return abs(da - db) <= tol


def date_relation(a_dates: list[int], e_dates: list[int], tol: int = 1,
                  span: int = 14) -> tuple[float, float, float]:
    """(match, conflict, year_conflict) between the dates two texts name.

    match: some day-level date agrees (same month, day within ``tol``, years compatible);
    conflict: both name day-level dates and none lies within ``span`` days of another;
    year_conflict: both name dates with explicit years and share no year.
    """
    ya = {x // 10000 for x in a_dates if x >= 10000}
    ye = {x // 10000 for x in e_dates if x >= 10000}
    yc = 1.0 if ya and ye and not (ya & ye) else 0.0
    a = [x for x in a_dates if x % 100]
    e = [x for x in e_dates if x % 100]
    if not a or not e:
        return 0.0, 0.0, yc
    close = False
    for x in a:
        for y in e:
            if _date_match(x, y, tol):
                return 1.0, 0.0, yc
            if not close and _date_close(x, y, span):
                close = True
    return 0.0, (0.0 if close else 1.0), yc


def _date_close(a: int, b: int, span: int) -> bool:
    ya, yb = a // 10000, b // 10000
    if ya and yb and ya != yb:
        return False
    da = ((a // 100) % 100) * 31 + a % 100
    db = ((b // 100) % 100) * 31 + b % 100
    return abs(da - db) <= span or abs(da - db) >= 12 * 31 - span


FEATURE_NAMES = ("cos_centroid", "cos_best", "ent_cos", "ent_art_top", "ent_evt_top", "date_match",
                 "date_conflict", "year_conflict", "log_size", "cos_x_ent")


def _reweight(h: np.ndarray, w: np.ndarray, d) -> dict:
    """{hash: weight * d(hash)}, L2-normalised."""
    out = {k: v * d(k) for k, v in zip(h.tolist(), w.tolist())}
    n = math.sqrt(sum(v * v for v in out.values()))
    if n > 0:
        for k in out:
            out[k] /= n
    return out


def _rcos(ad: dict, h: np.ndarray, w: np.ndarray, d) -> float:
    """Cosine of a reweighted article vector with another (hash, weight) vector, reweighted by d."""
    g = ad.get
    s = nn = 0.0
    for k, v in zip(h.tolist(), w.tolist()):
        v *= d(k)
        nn += v * v
        x = g(k)
        if x is not None:
            s += x * v
    return s / math.sqrt(nn) if nn > 0 else 0.0


def event_features(f: Features, ad: dict, ed: dict, a_dates: list, e: EventRec, cos_best: float, d) -> list:
    """Article-vs-event features fed to the fitted logistic score (names in FEATURE_NAMES).

    ``ad``/``ed`` are the article's term/name vectors reweighted by the window-DF discount ``d``.
    """
    cos_c = _rcos(ad, e.term_h, e.term_w, d)
    ent_c = _rcos(ed, e.ent_h, e.ent_w, d)
    # the article's three strongest names (after discount): how much of their weight the event knows
    eset = set(e.ent_h.tolist())
    top = sorted(ed.items(), key=lambda x: (-x[1], x[0]))[:3]
    tw = sum(w for _, w in top)
    art_top = sum(w for h, w in top if h in eset) / tw if tw > 0 else 0.0
    # the event's three strongest names (after discount): how much of their weight the article has
    etop = sorted(((h, w * d(h)) for h, w in zip(e.ent_h.tolist(), e.ent_w.tolist())), key=lambda x: (-x[1], x[0]))[:3]
    tw = sum(w for _, w in etop)
    evt_top = sum(w for h, w in etop if h in ed) / tw if tw > 0 else 0.0
    dm, dc, yc = date_relation(a_dates, e.date_c.tolist())
    return [cos_c, cos_best, ent_c, art_top, evt_top, dm, dc, yc, math.log1p(e.n_alive), cos_c * ent_c]
