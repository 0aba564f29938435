"""Online story clustering: each article is assigned once to an event.

Decision order for an incoming article:

1. already in the window (redelivery)  -> the stored Assignment, no state change;
2. same normalised content or canonical URL as a live article -> ``exact``;
3. MinHash Jaccard estimate >= ``near_threshold`` with a candidate whose event its publication
   time and named dates do not rule out -> ``near``;
4. best candidate event with score >= ``story_threshold`` -> ``story``;
5. otherwise -> ``new`` event.

Candidates come from an in-memory index (LSH buckets over MinHash bands, inverted
lists over each article's most distinctive terms and names), never from a scan.
The index is derived state; everything durable lives in ``store``.
"""
from __future__ import annotations

import heapq
import math
from array import array
from collections.abc import MutableMapping
from dataclasses import dataclass, field

import numpy as np
import orjson

from .bands import BandIndex
from .features import Features, extract
from .params import ClusterParams
from .records import (ART_PREFIX, EVT_PREFIX, META_KEY, RETIRED_HEAD_KEY, RETIRED_KEPT, RETIRED_PREFIX,
                      RETIRED_SLOT_PREFIX, ArticleRec, CandidateSet, EventRec, event_head, peek_event, peek_seq,
                      with_head)
from .scoring import (_DATE_MATCH, EventSide, _ArtCtx, _batch, _cosines, _cosines_words_ents, _event_features,
                      _facts_agree, _who_where_conflict, date_relation)
from .signatures import event_id_for


def facts_for(doc: ClusterDoc) -> dict:
    """The event facts of a document, as the stream stage computes them (cached per text)."""
    from pipeline.events import article_facts_cached  # late: the clustering core stays importable alone
    return article_facts_cached({"title": doc.title, "text": doc.text, "published": doc.published,
                                 "language": doc.language})


def features_for(doc: ClusterDoc, p: ClusterParams) -> Features:
    """The features ``assign`` extracts from a document under params ``p`` (stateless: the cleaning
    stage computes them ahead of the serial clustering stage, see ``prepared``)."""
    facts = doc.facts if doc.facts is not None else facts_for(doc)
    return extract(doc.title, doc.text, doc.canonical_url or doc.url, doc.published, doc.fetched_at,
                   p.ensure_idf(), p, facts, dateline=doc.dateline)


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
    # the article's event facts (pipeline.events.article_facts), when the caller has them already;
    # computed here when absent, so offline tools get the same decisions as the stream stage
    facts: dict | None = None
    # a dateline the cleaning removed from the text: read for the date it names, nothing else
    dateline: str | None = None


@dataclass
class Assignment:
    event_id: str
    relation: str  # "new" | "exact" | "near" | "story"
    duplicate_of: str | None = None
    similarity: float | None = None
    evicted: list[str] = field(default_factory=list)


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
        self._bands = BandIndex(self._nband)  # per LSH band: band value -> arrival numbers
        self._post: dict[int, object] = {}  # term/entity hash -> arrival number | array('q') of them, oldest first
        self._heap: list = []  # (t_eff, seq, id)
        self._arr = _Arrival()  # (seq, id) in arrival order
        self._n = 0
        self._n_events = 0
        self._seq = 0
        self._wm: float | None = None  # watermark: max event time seen
        self._sides: dict[str, tuple[bytes, EventSide]] = {}  # event id -> (its record, EventSide), a few recent
        self._pending = None
        self._pending_rec = None
        self._pending_dropped = False
        m = self.store.get(META_KEY)
        if m is not None:
            meta = orjson.loads(m)
            self._seq, self._wm = meta["seq"], meta["wm"]

    # ------------------------------------------------------------------ public
    def knows(self, article_id: str) -> bool:
        """The article is in the window already: assigning it again returns its first assignment."""
        return ART_PREFIX + article_id in self.store

    def same_text(self, article_id: str, f: Features) -> bool:
        """Whether ``f`` is the text the window holds under ``article_id``, judged as a near copy is
        (same content key, or MinHash Jaccard >= ``near_threshold``): a redelivery may be cleaned a
        little differently once learned furniture has moved on, another article under a reused id
        is not."""
        b = self.store.get(ART_PREFIX + article_id)
        if b is None:
            return False
        r = ArticleRec.decode(b)
        if f.content_key and f.content_key == r.content_key:
            return True
        return float((r.minhash == f.minhash.astype(np.uint16)).mean()) >= self.p.near_threshold

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
        return self.assign_features(doc.id, features_for(doc, self.p))

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
        bands = self._band_keys(mh16)  # for the candidate lookup and then for the index
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
            cands = self._candidates(f, mh16, bands)
            if cands:
                recs = self.candidate_set(cands)
                # 2. near duplicate, of an event that its time and dates do not rule out
                jac = (recs.minhash == mh16[None, :]).mean(axis=1)
                j = None
                # (a text without a word has the all-ones signature of no shingle: a copy of nothing)
                if jac.max() >= p.near_threshold and not (mh16 == 0xFFFF).all():  # best first, ties in argmax's order
                    for i in np.argsort(-jac, kind="stable").tolist():
                        if jac[i] < p.near_threshold:
                            break
                        if self._near_allowed(f, recs.ids[i], recs.event_ids[i]):
                            j = i
                            break
                if j is not None:
                    rel, dup, sim = "near", recs.ids[j], round(float(jac[j]), 4)
                    eid = recs.event_ids[j]
                else:
                    # 3. same story
                    best = self._best_event(f, recs)
                    if best is not None:
                        rel, sim, eid = "story", round(float(best[0]), 4), best[1]
        if eid is None:
            eid = self._fresh_event_id(aid)
        return self._commit(aid, f, mh16, bands, rel, dup, sim, eid)

    def _fresh_event_id(self, aid: str) -> str:
        """The id of a new event: derived from its first article's id, so that it is the same after
        a restart and in a replay; but never the id of an event that left the window. An article
        re-sent after its event was evicted would otherwise start that id again at version 1, under
        the record consumers keep at a higher version; it gets the id salted with a generation."""
        eid, generation = event_id_for(aid), 0
        while RETIRED_PREFIX + eid in self.store:
            generation += 1
            eid = event_id_for(f"{aid}\x00{generation}")
        return eid

    def _retire(self, eid: str) -> None:
        """Remember that ``eid`` left the window, in a ring of the last RETIRED_KEPT such ids (bounded
        state: after that many more evictions an id is free again)."""
        st = self.store
        head = int(st.get(RETIRED_HEAD_KEY) or 0)
        slot = RETIRED_SLOT_PREFIX + str(head % RETIRED_KEPT)
        old = st.get(slot)
        if old is not None:
            st.pop(RETIRED_PREFIX + old, None)
        st[slot] = eid
        st[RETIRED_PREFIX + eid] = "1"
        st[RETIRED_HEAD_KEY] = str(head + 1)

    def _near_allowed(self, f: Features, cid: str, eid: str) -> bool:
        """A text nearly identical to window article ``cid`` is still another event when it was
        published more than ``max_gap_seconds`` from the span of ``cid``'s event (the gate story
        joins pass too), or when none of the days the two texts name lies within two weeks of the
        other's (in the same year, when both give one): a template reused for the next meeting or
        the next season. Then the story score, which weighs that, decides."""
        b = self.store.get(EVT_PREFIX + eid)
        if b is not None and f.time is not None:
            _, _, tmin, tmax = event_head(b)
            gap = self.p.max_gap_seconds
            if tmin is not None and (f.time < tmin - gap or f.time > tmax + gap):
                return False
        if not len(f.dates):
            return True
        r = self.store.get(ART_PREFIX + cid)
        c_dates = ArticleRec.decode(r).dates.tolist() if r is not None else []
        if not c_dates:
            return True
        # day-level dates only: the salient years of two copies often differ (a background year)
        _, conflict, _ = date_relation([x for x in f.dates.tolist() if x % 10000], [x for x in c_dates if x % 10000])
        return not conflict

    def _candidates(self, f: Features, mh16: np.ndarray, bands: list[int]) -> list[str]:
        """The ``max_candidates`` best-scoring window articles: 10 per shared LSH band plus the
        article's term/name weight for each of its newest postings, best first, ties by id.

        The hits are arrival numbers, gathered as whole slices of the postings' arrays and summed
        by ``np.bincount``, which adds each article's weights in hit order from 0.0 as a per-hit
        dict loop would (same floats); only the articles that can make the cut (score >= the k-th
        best) are looked up by id and sorted."""
        p = self.p
        hits = array("q")  # every hit: the band members, then the posting slices, in order
        runs: list[float] = []  # one weight per run of hits (10 for a band, else the term's weight)
        lens: list[int] = []  # the length of each run
        members = self._bands.members(bands)
        if members:  # one run: every band hit weighs 10, and they all come before the postings
            hits.extend(members)
            runs.append(10.0)
            lens.append(len(members))
        post = self._post
        pr = p.posting_read
        for hs, ws, q in ((f.term_h, f.term_w, p.q_terms), (f.ent_h, f.ent_w, p.q_ents)):
            for h, w in zip(hs[:q].tolist(), ws[:q].tolist()):
                lst = post.get(h)
                if lst is None:
                    continue
                if type(lst) is int:
                    hits.append(lst)
                    lens.append(1)
                else:
                    sl = lst[-pr:] if len(lst) > pr else lst
                    hits += sl
                    lens.append(len(sl))
                runs.append(w)
        if not hits:
            return []
        return _top_scored(np.frombuffer(hits, np.int64), np.repeat(np.array(runs), lens), p.max_candidates,
                           self._arr)

    def candidate_set(self, cands: list[str]) -> CandidateSet:
        st = self.store
        return CandidateSet([(cid, st[ART_PREFIX + cid]) for cid in cands])

    def event_candidates(self, f: Features, recs: CandidateSet) -> list:
        """[(event_id, feature vector)] for the candidate events of the retrieved articles."""
        p = self.p
        # best retrieved member of each event (cosine on the members' stored top terms)
        mw, me = _cosines_words_ents(f, (recs.term_h, recs.term_w, recs.term_len),
                                     (recs.ent_h, recs.ent_w, recs.ent_len))
        best_member: dict[str, float] = {}
        for ev, x, y in zip(recs.event_ids, mw.tolist(), me.tolist()):
            s = 0.5 * (x + y)
            if s > best_member.get(ev, -1.0):
                best_member[ev] = s
        evs = []  # (event id, EventSide)
        for eid in sorted(best_member):
            side = self._event_side(eid)
            if side is None:
                continue
            e = side.e
            if f.time is not None and e.tmin is not None:
                if f.time < e.tmin - p.max_gap_seconds or f.time > e.tmax + p.max_gap_seconds:
                    continue
            evs.append((eid, side))
        if not evs:
            return []
        cw, ce = _cosines_words_ents(f, _batch([s.e.term_h for _, s in evs], [s.e.term_w for _, s in evs]),
                                     _batch([s.e.ent_h for _, s in evs], [s.e.ent_w for _, s in evs]))
        cw, ce = cw.tolist(), ce.tolist()
        if p.contrast > 0 and len(evs) > 1:
            # Contrastive weighting: among the plausible candidate events, the article's terms that
            # all of them share (the beat: same people, same places) count less than the terms
            # that tell them apart.
            pl = [i for i in range(len(evs)) if cw[i] + ce[i] >= p.contrast_min]
            if len(pl) > 1:
                k = len(pl)
                for vec, attr, out_c in ((f.wf, "term_h", cw), (f.ef, "ent_h", ce)):
                    ah, aw = vec
                    if ah.size == 0:
                        continue
                    cnt = np.zeros(ah.size)
                    for i in pl:
                        cnt += np.isin(ah, getattr(evs[i][1].e, attr))
                    m = 1.0 - p.contrast * np.clip(cnt - 1.0, 0.0, None) / (k - 1)
                    w2 = aw * m
                    n = float(np.sqrt(np.dot(w2, w2)))
                    if n <= 0:
                        continue
                    w2 = w2 / n
                    ws = _cosines(ah, w2, [getattr(evs[i][1].e, attr) for i in pl],
                                  [getattr(evs[i][1].e, attr.replace("_h", "_w")) for i in pl]).tolist()
                    for j, i in enumerate(pl):
                        out_c[i] = ws[j]
        ctx = _ArtCtx(f, p.top_ents)
        out = []
        for i, (eid, side) in enumerate(evs):
            out.append((eid, _event_features(ctx, side, cw[i], ce[i], best_member[eid])))
        return out

    def _event_side(self, eid: str) -> EventSide | None:
        """The live event's EventSide, reused while its record is unchanged (None: not live)."""
        b = self.store.get(EVT_PREFIX + eid)
        if b is None:
            return None
        sides = self._sides
        hit = sides.get(eid)
        if hit is not None and (hit[0] is b or hit[0] == b):
            return hit[1]
        side = EventSide(EventRec.decode(b), self.p.top_ents)
        if hit is None and len(sides) >= _SIDES_KEPT:
            del sides[next(iter(sides))]  # the oldest entry
        sides[eid] = (b, side)
        return side

    def _best_event(self, f: Features, recs):
        """(probability, event_id) of the event the article joins as a story, or None (new event).

        The best-scoring candidate joins when its probability reaches ``story_threshold``. Second
        chance: when none does, the best candidate whose fact names agree on both who and where
        (``_facts_agree``) joins if it is within ``second_chance`` of the threshold; an early event
        has a thin centroid, so its word score understates a match that its people and places
        confirm. A short article, scored by the short model, only weighs events whose profile holds
        at least ``short_min_shared`` of its words and names.
        """
        p = self.p
        short = f.wf_h.size < p.short_words and p.short_weights
        if short:
            w, bias, threshold = p.short_weights, p.short_bias, p.short_threshold
        else:
            w, bias, threshold = p.weights, p.bias, p.story_threshold
        min_shared = p.short_min_shared if short else 0
        best = second = None
        # who/where veto: when a long article (enough vocabulary for a reliable word cosine) and
        # the event disagree on the main people or the lead place (_who_where_conflict), only wording
        # shared well beyond the beat (word cosine >= min_word_cos) can still make them one story.
        # (Letting agreeing tagged people lift this veto merges the seeds' two Putin-Xi meetings:
        # not done.) A named day-level date that agrees with the event's (date_match) lifts it: two
        # events of one beat rarely fall on the same day, and a long article's word cosine to a
        # young centroid is low whatever the event. For a join that the score alone would make,
        # tagged places in common lift a lead-place conflict (see _who_where_conflict); the second
        # chance keeps the whole veto, as it already rests on agreeing tagged names, and on scraped
        # pages generic ones (a country, a capital) would let an unrelated page through.
        #
        # In a script without capital letters (``f.uncased``: Arabic, Chinese, Japanese ...) the
        # entity vector holds the article's numbers alone, and the weights fitted on English read
        # its cosine as names in common: one shared "12" (a day of the month, a count of injured)
        # gave two unrelated Arabic reports an entity cosine of 0.78 and joined them. There no
        # name or cue can confirm a join, so the wording must: an event whose word cosine is below
        # min_word_cos is not joined, whatever the article's length. A matching named day does not
        # lift this: it is one more shared number (two unrelated reports stamped "2024-06-12"
        # joined at 0.98).
        uncased = f.uncased
        gate = p.min_word_cos if f.wf_h.size >= p.long_words else 0.0
        if min_shared:
            words, names = f.wf_h.tolist(), f.ef_h.tolist()
        for eid, x in self.event_candidates(f, recs):
            if min_shared and self._event_side(eid).shared(words, names) < min_shared:
                continue
            if uncased and x[0] < p.min_word_cos:
                continue
            doubtful = x[0] < gate and not x[_DATE_MATCH]
            if doubtful and _who_where_conflict(x, confident_join=True):
                continue
            z = bias + sum(wi * xi for wi, xi in zip(w, x))
            prob = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))
            if best is None or prob > best[0]:
                best = (prob, eid)
            if (_facts_agree(x) and not (doubtful and _who_where_conflict(x))
                    and (second is None or prob > second[0])):
                second = (prob, eid)
        if best is not None and best[0] >= threshold:
            return best
        if second is not None and second[0] >= threshold - p.second_chance:
            return second
        return None

    # ------------------------------------------------------------- mutation
    def _commit(self, aid, f: Features, mh16, bands, rel, dup, sim, eid) -> Assignment:
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
        copy = rel in ("exact", "near")
        if eb is not None and copy:  # a copy adds nothing to the profile: only the head changes
            n_alive, n_total, tmin, tmax = event_head(eb)
            if f.time is not None:
                tmin = f.time if tmin is None else min(tmin, f.time)
                tmax = f.time if tmax is None else max(tmax, f.time)
            st[EVT_PREFIX + eid] = with_head(eb, n_alive + 1, n_total + 1, tmin, tmax)
        else:
            if eb is None:
                e = EventRec.__new__(EventRec)
                e.n_alive = e.n_total = 0
                e.tmin = e.tmax = None
                e.term_h = e.term_w = e.ent_h = e.ent_w = e.date_c = e.date_n = e.cue_c = e.cue_n = ()
                e.first_id = aid
                self._n_events += 1
            else:
                e = EventRec.decode(eb)
            e.n_alive += 1
            e.n_total += 1
            if f.time is not None:
                e.tmin = f.time if e.tmin is None else min(e.tmin, f.time)
                e.tmax = f.time if e.tmax is None else max(e.tmax, f.time)
            if not copy:
                e.term_h, e.term_w = _merge(e.term_h, e.term_w, f.wf_h, f.wf_w, p.k_event_terms)
                e.ent_h, e.ent_w = _merge(e.ent_h, e.ent_w, f.ef_h, f.ef_w, p.k_event_ents)
                e.date_c, e.date_n = _merge_counts(e.date_c, e.date_n, f.dates, p.k_event_dates)
                e.cue_c, e.cue_n = _merge_counts(e.cue_c, e.cue_n, f.cues, p.k_event_cues)
            st[EVT_PREFIX + eid] = e.encode()

        r = ArticleRec.__new__(ArticleRec)
        r.seq, r.t, r.t_eff = seq, f.time, t_eff
        r.content_key, r.url_key = f.content_key, f.url_key
        r.relation, r.similarity, r.event_id, r.duplicate_of = rel, sim, eid, dup
        r.minhash, r.term_h, r.term_w = mh16, f.term_h, f.term_w
        r.ent_h, r.ent_w, r.dates, r.cues = f.ent_h, f.ent_w, f.dates, f.cues
        r.evicted = []
        self._index(aid, r, bands)
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
        """The article's LSH bands: each band's four u16 MinHash values as one 64-bit value."""
        return np.ascontiguousarray(mh16[: self._nband * 4]).view(np.uint64).tolist()

    def _index(self, aid: str, r: ArticleRec, bands: list[int] | None = None) -> None:
        """Add one article to the in-memory index (also used by restore); ``bands``: its band keys,
        when the caller has them already."""
        self._n += 1
        for k in (r.content_key, r.url_key):
            if k:
                _badd(self._exact, k, aid)
        self._bands.add(bands if bands is not None else self._band_keys(r.minhash), r.seq)
        post = self._post
        seq = r.seq
        for h in r.term_h[: self.p.q_terms].tolist() + r.ent_h[: self.p.q_ents].tolist():
            lst = post.get(h)
            if lst is None:
                post[h] = seq  # most terms have one article: a bare number until a second comes
            elif type(lst) is int:
                post[h] = array("q", (lst, seq))
            else:
                lst.append(seq)
        if r.t_eff is not None:
            heapq.heappush(self._heap, (r.t_eff, r.seq, aid))
        self._arr.append(r.seq, aid)

    def _unindex(self, aid: str, r: ArticleRec) -> None:
        self._n -= 1
        for k in (r.content_key, r.url_key):
            if k:
                _bdel(self._exact, k, aid)
        self._bands.remove(self._band_keys(r.minhash), r.seq)
        post = self._post
        for h in r.term_h[: self.p.q_terms].tolist() + r.ent_h[: self.p.q_ents].tolist():
            lst = post.get(h)
            if lst is None:
                continue
            if type(lst) is int:
                if lst == r.seq:
                    del post[h]
                continue
            try:
                lst.remove(r.seq)
            except ValueError:
                continue
            if len(lst) == 1:
                post[h] = lst[0]

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
            oldest_kept = self._seq - p.recent_kept  # arrivals from this seq on stay (recent_kept)
            h = self._heap
            while h and h[0][0] < cutoff and h[0][1] < oldest_kept:
                t, seq, aid = heapq.heappop(h)
                if self._alive(aid, seq):
                    victims.append((aid, seq))
        if self._n - len(victims) > p.max_articles:
            excess = self._n - len(victims) - p.max_articles
            vs = {v[1] for v in victims}
            arr = self._arr
            while excess > 0 and arr:
                seq, aid = arr.popleft()
                if seq not in vs and self._alive(aid, seq):
                    victims.append((aid, seq))
                    excess -= 1
        elif len(self._arr) > 2 * max(self._n, 16):  # drop stale arrival entries
            self._arr = _Arrival([(q, a) for q, a in self._arr.items() if self._alive(a, q)])
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
        alive, total, tmin, tmax = event_head(eb)
        if alive <= 1:
            del st[ek]
            self._n_events -= 1
            self._retire(r.event_id)
            return [r.event_id]
        st[ek] = with_head(eb, alive - 1, total, tmin, tmax)
        return []


# ---------------------------------------------------------------- helpers
_SIDES_KEPT = 16  # EventSides kept: the events scored for the last few arrivals (most reuse is there)


class _Arrival:
    """Arrival order as a FIFO of (seq, id), also the map from an arrival number back to its id.

    The seqs sit in an array('q') (8 bytes each instead of a 28-32 byte int object) and the ids in
    a list, both consumed from a head index and compacted once half is consumed (a popped id is
    released at once). Seqs only grow, so ``ids_of`` finds a seq by binary search."""
    __slots__ = ("seqs", "ids", "head")

    def __init__(self, pairs=()):
        self.seqs, self.ids, self.head = array("q"), [], 0
        for q, a in pairs:
            self.append(q, a)

    def __len__(self) -> int:
        return len(self.ids) - self.head

    def append(self, seq: int, aid: str) -> None:
        self.seqs.append(seq)
        self.ids.append(aid)

    def popleft(self) -> tuple[int, str]:
        h = self.head
        seq, aid = self.seqs[h], self.ids[h]
        self.ids[h] = None
        h += 1
        if h >= 1024 and 2 * h >= len(self.seqs):
            del self.seqs[:h]
            del self.ids[:h]
            h = 0
        self.head = h
        return seq, aid

    def items(self):
        return zip(self.seqs[self.head:], self.ids[self.head:])

    def ids_of(self, seqs: np.ndarray) -> list[str]:
        """The ids of articles given by arrival number (each must be in the FIFO)."""
        h = self.head
        pos = np.searchsorted(np.frombuffer(self.seqs, np.int64)[h:], seqs) + h
        ids = self.ids
        return [ids[i] for i in pos.tolist()]


def _top_scored(hits: np.ndarray, w: np.ndarray, k: int, arrival: _Arrival) -> list[str]:
    """The ids of the k articles (``hits``: arrival numbers) with the largest summed weight ``w``
    (one weight per hit), best first, ties by id."""
    # the hits are a few runs already in arrival order, which a stable sort (timsort) merges fast
    order = np.argsort(hits, kind="stable")
    ranked = hits[order]
    first = np.empty(ranked.size, dtype=bool)
    first[0] = True
    np.not_equal(ranked[1:], ranked[:-1], out=first[1:])
    codes = np.empty(ranked.size, dtype=np.intp)
    codes[order] = np.cumsum(first) - 1
    seqs = ranked[first]
    scores = np.bincount(codes, weights=w, minlength=seqs.size)
    if seqs.size > k:  # only articles scoring at least the k-th best can be among the k best
        keep = scores >= np.partition(scores, seqs.size - k)[seqs.size - k]
        seqs, scores = seqs[keep], scores[keep]
    # ids are unique, so plain tuple order is the (-score, id) key order
    order = sorted(zip((-scores).tolist(), arrival.ids_of(seqs)))
    return [c for _, c in order[:k]]


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
    H = np.concatenate([np.asarray(h1, dtype=np.uint32), np.asarray(h2, dtype=np.uint32)])
    W = np.concatenate([np.asarray(w1, dtype=np.float32), np.asarray(w2, dtype=np.float32)])
    if H.size == 0:
        return H, W
    u, inv = np.unique(H, return_inverse=True)
    s = np.bincount(inv, weights=W)
    top = np.lexsort((u, -s))[:k]
    return u[top], s[top].astype(np.float32)


def _merge_counts(c1, n1, c2, k: int):
    """Add one article's codes (dates, cues) to an event's counts; keep the k most counted (ties by code)."""
    acc: dict[int, int] = {}
    for c, n in zip(np.asarray(c1).tolist(), np.asarray(n1).tolist()):
        acc[c] = n
    for c in c2.tolist():
        acc[c] = min(acc.get(c, 0) + 1, 65535)
    items = sorted(acc.items(), key=lambda x: (-x[1], x[0]))[:k]
    return (np.array([c for c, _ in items], dtype=np.uint32), np.array([n for _, n in items], dtype=np.uint16))
