"""How well an article fits a candidate event: the numbers the fitted logistic score reads.

Cosines of the article's word and entity vectors with event centroids (batched: one numpy pass for
all candidates), how the dates both name relate, and the who/where/when agreement of their cues and
event facts. ``FEATURE_NAMES`` fixes the order of the feature vector that ``params.json``'s weights
are fitted to (bench/fit_clustering.py).
"""
from __future__ import annotations

import math

import numpy as np

from . import cues
from .features import Features
from .records import EventRec


def _cosines(ah: np.ndarray, aw: np.ndarray, hs: list, ws: list) -> np.ndarray:
    """Cosine of one vector (ah sorted, aw L2-normalised) with each (hash, weight) vector of a batch."""
    n = len(hs)
    if n == 0:
        return np.zeros(0)
    H, W, lens = _batch(hs, ws)
    if ah is None or ah.size == 0 or lens.sum() == 0:
        return np.zeros(n)
    return _cosines_flat(ah, aw, H, W, lens)


def _batch(hs: list, ws: list) -> tuple:
    """(H, W as float64, lens): a list of (hash, weight) vectors concatenated for _cosines_flat."""
    lens = np.fromiter((len(h) for h in hs), dtype=np.int64, count=len(hs))
    if not hs:
        return np.zeros(0, np.uint32), np.zeros(0), lens
    W = np.concatenate([np.asarray(w, dtype=np.float32) for w in ws]).astype(np.float64)
    return np.concatenate(hs), W, lens


_ENT_KEY = np.int64(1 << 32)


def _cosines_words_ents(f: Features, words: tuple, ents: tuple) -> tuple[np.ndarray, np.ndarray]:
    """(cosines of f's word vector with each vector of the ``words`` batch, the same for its entity
    vector and ``ents``); batches as (H, W, lens) for _cosines_flat.

    One _cosines_flat call instead of two (its ~10 numpy calls dominate at these sizes): entity
    hashes are lifted above 2**32, so one sorted key array holds both article vectors, and each
    batch vector keeps its own segment, summed in the same order as in a call of its own (the
    same floats; an empty side gives 0.0 as the separate call's zeros)."""
    wh = f.wf_h if f.wf_h is not None else np.zeros(0, np.uint32)
    eh = f.ef_h if f.ef_h is not None else np.zeros(0, np.uint32)
    ah = np.concatenate((wh.astype(np.int64), eh.astype(np.int64) + _ENT_KEY))
    aw = np.concatenate((f.wf_w if f.wf_h is not None else np.zeros(0, np.float32),
                         f.ef_w if f.ef_h is not None else np.zeros(0, np.float32)))
    H = np.concatenate((words[0].astype(np.int64), ents[0].astype(np.int64) + _ENT_KEY))
    W = np.concatenate((words[1], ents[1]))
    n = words[2].size
    out = _cosines_flat(ah, aw, H, W, np.concatenate((words[2], ents[2])))
    return out[:n], out[n:]


def _cosines_flat(ah: np.ndarray, aw: np.ndarray, H: np.ndarray, W: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """_cosines over a batch already concatenated: H/W (float64) hold len(lens) vectors back to back."""
    n = lens.size
    if n == 0:
        return np.zeros(0)
    if ah is None or ah.size == 0 or H.size == 0:
        return np.zeros(n)
    seg = np.repeat(np.arange(n), lens)
    idx = np.searchsorted(ah, H)
    idx[idx >= ah.size] = 0
    m = ah[idx] == H
    dots = np.bincount(seg[m], weights=W[m] * aw[idx[m]], minlength=n)
    norms = np.sqrt(np.bincount(seg, weights=W * W, minlength=n))
    return dots / np.maximum(norms, 1e-12)


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


FEATURE_NAMES = ("cos_words", "cos_ents", "cos_best", "art_top_missing", "evt_top_missing", "date_match",
                 "date_conflict", "year_conflict", "log_size", "weekday_match", "weekday_conflict", "place_match",
                 "place_conflict", "person_art_missing", "person_evt_missing", "fact_people_match",
                 "fact_people_conflict", "fact_place_match", "fact_place_conflict", "fact_org_match")


def event_features(f: Features, a_dates: list, e: EventRec, cw: float, ce: float, cos_best: float,
                   k_top: int = 3) -> list:
    """Article-vs-event features fed to the fitted logistic score (names in FEATURE_NAMES)."""
    ctx = _ArtCtx(f, k_top)
    if a_dates != ctx.a_dates:
        ctx.a_dates, ctx.a_dd = a_dates, [x for x in a_dates if x % 10000]
        ctx.a_years = _whole_years(a_dates)
    return _event_features(ctx, EventSide(e, k_top), cw, ce, cos_best)


def _whole_years(codes: list) -> set:
    """The years of the year-only date codes (YYYY0000)."""
    return {x // 10000 for x in codes if x >= 10000 and x % 10000 == 0}


class EventSide:
    """The event side of the article-vs-event features, derived once per state of an event: an
    event is scored against many arrivals between two changes of its own, and splitting its cue
    codes by kind cost more than comparing them with the article's."""
    __slots__ = ("e", "log_size", "ent_set", "term_set", "top_h", "top_w", "evt_miss", "dated", "e_dd", "years",
                 "kinds", "kind_top", "people_low", "top_person", "ent_low", "facts", "fact_subs")

    def __init__(self, e: EventRec, k_top: int):
        self.e = e
        self.log_size = math.log1p(e.n_alive)
        self.ent_set = set(e.ent_h.tolist())
        self.term_set = None  # the centroid's term hashes, made when first asked for (short articles)
        self.top_h = e.ent_h[:k_top].tolist()
        self.top_w = e.ent_w[:k_top]
        self.evt_miss: dict = {}  # miss pattern of the event's strongest names -> evt_top_missing
        codes = e.date_c.tolist()
        self.dated = bool(codes)
        self.e_dd = [x for x in codes if x % 10000]
        self.years = _whole_years(codes)
        self._split_cues(e)

    @classmethod
    def cues_of(cls, e: EventRec) -> "EventSide":
        """Only the cue part (what cue_features and fact_features read)."""
        side = cls.__new__(cls)
        side.e = e
        side._split_cues(e)
        return side

    def _split_cues(self, e: EventRec) -> None:
        weekday, place, people, facts = {}, {}, [], set()
        for c, n in zip(e.cue_c.tolist(), e.cue_n.tolist()):
            kind = c >> 30
            if kind == cues.WEEKDAY:
                weekday[c] = n
            elif kind == cues.PLACE:
                place[c] = n
            elif kind == cues.PERSON:
                people.append((n, c))
            elif kind == cues.FACT:
                facts.add(c)
        self.kinds = (weekday, place)
        self.kind_top = tuple(max(k.values()) if k else 0 for k in self.kinds)
        low = int(_LOW30)
        self.people_low = {c & low for _, c in people}
        self.top_person = max(people)[1] & low if people else None
        self.ent_low = None  # the event's name hashes cut to 30 bits, made when first asked for
        self.facts = facts
        self.fact_subs = {(c >> 28) & 3 for c in facts}

    def shared(self, words: list[int], names: list[int]) -> int:
        """How many of ``words`` (content-word hashes) and ``names`` (name hashes) the event's
        profile holds."""
        if self.term_set is None:
            self.term_set = set(self.e.term_h.tolist())
        terms, ents = self.term_set, self.ent_set
        return sum(1 for h in words if h in terms) + sum(1 for h in names if h in ents)

    def has_low_name(self, low: int) -> bool:
        if self.ent_low is None:
            h = self.e.ent_h
            self.ent_low = set((h & _LOW30).tolist()) if h.size else set()
        return low in self.ent_low


class _ArtCtx:
    """The article side of the article-vs-event features, computed once per article (not once
    per candidate event): its cue codes split by kind, name hashes as sets, dates."""
    __slots__ = ("f", "k_top", "ah", "ah_list", "aw", "art_miss", "ef_set", "mine30", "a_dates", "a_dd", "a_years",
                 "ak", "person_low", "fact_mine")

    def __init__(self, f: Features, k_top: int):
        self.f, self.k_top = f, k_top
        self.ah = f.ent_h[:k_top]
        self.ah_list = self.ah.tolist()
        self.aw = f.ent_w[:k_top]
        self.art_miss: dict = {}  # miss pattern -> art_top_missing (memo of the numpy expression)
        ef = f.ef_h if f.ef_h is not None else np.zeros(0, np.uint32)
        self.ef_set = set(ef.tolist())
        self.mine30 = set((ef & _LOW30).tolist()) if ef.size else set()
        self.a_dates = f.dates.tolist()
        self.a_dd = [x for x in self.a_dates if x % 10000]
        self.a_years = _whole_years(self.a_dates)
        a = f.cues.tolist() if f.cues is not None else []
        self.ak = [{c for c in a if c >> 30 == kind} for kind in (cues.WEEKDAY, cues.PLACE)]
        people = [c for c in a if c >> 30 == cues.PERSON]
        self.person_low = people[0] & int(_LOW30) if people else None
        self.fact_mine = [[c for c in a if c >> 30 == cues.FACT and (c >> 28) & 3 == sub]
                          for sub in (cues.FACT_PERSON, cues.FACT_PLACE, cues.FACT_ORG)]


def _event_features(ctx: _ArtCtx, side: EventSide, cw: float, ce: float, cos_best: float) -> list:
    # the article's strongest names: how much of their weight the event lacks
    ah = ctx.ah
    es = side.ent_set
    if ah.size and es:
        key = tuple(h not in es for h in ctx.ah_list)
        art_miss = ctx.art_miss.get(key)
        if art_miss is None:
            aw = ctx.aw
            art_miss = float(aw[np.array(key)].sum() / aw.sum())
            ctx.art_miss[key] = art_miss
    else:
        art_miss = 1.0 if ah.size else 0.0
    # the event's strongest names: how much of their weight the article lacks
    ef = ctx.ef_set
    miss = tuple(h not in ef for h in side.top_h)
    if any(miss):
        evt_miss = side.evt_miss.get(miss)
        if evt_miss is None:
            ew = side.top_w
            evt_miss = side.evt_miss[miss] = float(ew[np.array(miss)].sum() / max(ew.sum(), 1e-12))
    else:
        evt_miss = 0.0  # no names, or an empty float32 sum over a positive total
    if ctx.a_dates and side.dated:
        dm, dc, _ = date_relation(ctx.a_dd, side.e_dd)
        yc = 1.0 if ctx.a_years and side.years and not (ctx.a_years & side.years) else 0.0
    else:
        dm = dc = yc = 0.0
    return ([cw, ce, cos_best, art_miss, evt_miss, dm, dc, yc, side.log_size]
            + _cue_features(ctx, side) + _fact_features(ctx, side))


# the names of cue_features()' outputs, in order
CUE_FEATURE_NAMES = FEATURE_NAMES[FEATURE_NAMES.index("weekday_match"):FEATURE_NAMES.index("person_evt_missing") + 1]
FACT_FEATURE_NAMES = FEATURE_NAMES[FEATURE_NAMES.index("fact_people_match"):]
_LOW30 = np.uint32((1 << 30) - 1)
_PLACE_CONFLICT = FEATURE_NAMES.index("place_conflict")
_DATE_MATCH = FEATURE_NAMES.index("date_match")
_PERSON_ART = FEATURE_NAMES.index("person_art_missing")
_PERSON_EVT = FEATURE_NAMES.index("person_evt_missing")
_FACT_PEOPLE = FEATURE_NAMES.index("fact_people_match")
_FACT_PEOPLE_CONFLICT = FEATURE_NAMES.index("fact_people_conflict")
_FACT_PLACE = FEATURE_NAMES.index("fact_place_match")
_FACT_PLACE_CONFLICT = FEATURE_NAMES.index("fact_place_conflict")


def _who_where_conflict(x: list, confident_join: bool = False) -> bool:
    """The main people of article and event disagree, or their lead places do.

    For a confident join (``confident_join``), a lead-place conflict is read as too weak to veto
    it when some of the article's tagged places are the event's: a game's report may open in
    either team's city, an obituary where the man lived or where he died."""
    place = x[_PLACE_CONFLICT] and not (confident_join and x[_FACT_PLACE] > 0)
    return bool(x[_PERSON_ART] or x[_PERSON_EVT] or place)


def _facts_agree(x: list) -> bool:
    """The event has some of the article's main tagged people and places, and neither sort conflicts."""
    return (x[_FACT_PEOPLE] > 0 and x[_FACT_PLACE] > 0 and not x[_FACT_PEOPLE_CONFLICT]
            and not x[_FACT_PLACE_CONFLICT])


def fact_features(f: Features, e: EventRec) -> list:
    """Agreement of the article's fact names (kind-0 cues: tagged people, places, organisations)
    with the event's: share of the article's names of each sort the event has, and a conflict
    flag when both name some people (places) and share none."""
    return _fact_features(_ArtCtx(f, 3), EventSide.cues_of(e))


def _fact_features(ctx: _ArtCtx, side: EventSide) -> list:
    ev = side.facts
    out = []
    for mine, sub in zip(ctx.fact_mine, (cues.FACT_PERSON, cues.FACT_PLACE, cues.FACT_ORG)):
        shared = sum(1 for c in mine if c in ev) if ev else 0
        out.append(shared / len(mine) if mine else 0.0)
        if sub != cues.FACT_ORG:
            out.append(1.0 if mine and sub in side.fact_subs and not shared else 0.0)
    return out


def cue_features(f: Features, e: EventRec) -> list:
    """Who/where/when agreement between an article and an event (see cues.py).

    weekday/place: match when the article names one of the event's most frequent ones, conflict
    when both name some and share none; person: the article's main person is absent from the
    event's names, or the event's main person is absent from the article's names.
    """
    return _cue_features(_ArtCtx(f, 3), EventSide.cues_of(e))


def _cue_features(ctx: _ArtCtx, side: EventSide) -> list:
    out = []
    for ak, ek, top in zip(ctx.ak, side.kinds, side.kind_top):
        if ak and ek:
            out += [1.0 if any(ek.get(c, 0) == top for c in ak) else 0.0, 0.0 if ak & ek.keys() else 1.0]
        else:
            out += [0.0, 0.0]
    art_missing = evt_missing = 0.0
    low = ctx.person_low
    if low is not None:
        art_missing = 0.0 if (low in side.people_low or side.has_low_name(low)) else 1.0
    if side.top_person is not None:
        evt_missing = 0.0 if side.top_person in ctx.mine30 else 1.0
    return out + [art_missing, evt_missing]
