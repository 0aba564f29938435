"""Per-article features for story clustering: pure functions, no state.

Everything an article contributes to the index is reduced here to a few small
arrays of 32-bit hashes plus weights, so that a window of a million articles
stays within a couple of kilobytes per article:

* ``content_key`` / ``url_key``: 64-bit keys for exact duplicates;
* ``minhash``: ``n_minhash`` uint32 MinHash values over word 3-shingles
  (near-duplicates; the first ``lsh_bands * lsh_rows`` values feed LSH bands);
* ``terms``: top-K IDF-weighted terms (hashed), L2-normalised;
* ``ents``: top entity tokens (capitalised sequences approximating names of
  people, places, organisations), IDF-weighted and L2-normalised;
* ``dates``: calendar dates named in the text, encoded ``y*10000+m*100+d``
  with ``y=0`` when the text gives no year (a year is never guessed).
"""
from __future__ import annotations

import math
import re
import zlib
from bisect import bisect_left
from collections import Counter
from itertools import chain
from dataclasses import dataclass
from hashlib import blake2b
from urllib.parse import urlsplit, urlunsplit, parse_qsl, urlencode

import numpy as np

from ..times import parse_published
from . import cues

# --------------------------------------------------------------------------- #
# Word lists
# --------------------------------------------------------------------------- #
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren as at be because been before
    being below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over own
    same she should so some such than that the their theirs them themselves then there these they this
    those through to too under until up very was we were what when where which while who whom why will
    with would you your yours yourself yourselves said says say told according new one two three also
    would could may might must shall us mr mrs ms dr s t ll re ve d m o don didn doesn isn wasn weren won
    wouldn couldn shouldn hasn haven hadn via per among amid within without across around since still
    yet ago last first next year years day days week weeks month months time times today yesterday
    tomorrow tonight people including well like get got make made many much even back way just
    however according told reported report reports reporting article news read more share""".split()
)

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun".split()
)
# Capitalised words that are almost never names (headline/sentence starters, titles).
NOT_ENTITIES = STOPWORDS | WEEKDAYS | frozenset(MONTHS) | frozenset(
    """president minister prime chairman secretary general state states government city county police
    officials official sources source spokesman spokeswoman spokesperson chief head leader leaders
    north south east west northern southern eastern western central new update updated breaking live
    photo video image images getty reuters ap afp copyright related advertisement subscribe sign login
    summary previous next click here comments comment""".split()
)

_MONTH_RE = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_RANGE = r"(?:\s*(?:-|–|—|to|and|through|until)\s*(\d{1,2})(?:st|nd|rd|th)?)?"
_YEAR = r"(?:,?\s+((?:19|20)\d\d))?"
# "March 20", "March 20 to 22", "Dec. 20-21, 2022"
DATE_MD = re.compile(r"\b" + _MONTH_RE + r"\s+(\d{1,2})(?:st|nd|rd|th)?\b" + _RANGE + r"(?!\d)" + _YEAR)
# "20 March", "20-22 March 2023", "21st of December"
# (opens with \d: the engine scans for a digit instead of trying every position; "\d(?<!\w.)\d?" is
# "\b\d{1,2}": same matches)
DATE_DM = re.compile(r"(\d(?<!\w.)\d?)(?:st|nd|rd|th)?" + _RANGE + r"\s+(?:of\s+)?" + _MONTH_RE + r"\b" + _YEAR)
DATE_ISO = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
# "14 / 09 / 2013", "11/28/05" (day-first or month-first; both kept when ambiguous)
DATE_NUM = re.compile(r"(?<![\d/])(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*((?:19|20)\d\d|\d\d)(?![\d/])")
# "December 2008" (month-level only)
DATE_MY = re.compile(r"\b" + _MONTH_RE + r",?\s+((?:19|20)\d\d)\b")
_HAS_MONTH = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)")

TOKEN_RE = re.compile(r"\w+")
# Capitalised token: leading uppercase letter, or an all-caps acronym.
_UP = "A-ZÀ-ÖØ-ÞĀ-Ž"
CAP_RUN_RE = re.compile(r"(?<![\w'’])[" + _UP + r"][\w'’\-]*(?:[ \t]+[" + _UP + r"][\w'’\-]*)*")
# Leftover furniture / citation markers: "[1]", "[1, 2, 3]".
CITATION_RE = re.compile(r"\[\s*\d+(?:\s*,\s*\d+)*\s*\]")


# --------------------------------------------------------------------------- #
# Hashing helpers
# --------------------------------------------------------------------------- #
_HASH_CACHE: dict[str, int] = {}
_HASH_CACHE_MAX = 300_000


def h32(s: str) -> int:
    """Stable 32-bit hash of a string (crc32; never Python's salted hash())."""
    v = _HASH_CACHE.get(s)
    if v is None:
        if len(_HASH_CACHE) >= _HASH_CACHE_MAX:
            _HASH_CACHE.clear()
        v = zlib.crc32(s.encode("utf-8"))
        _HASH_CACHE[s] = v
    return v


def h64(s: str) -> int:
    return int.from_bytes(blake2b(s.encode("utf-8"), digest_size=8).digest(), "little")


def event_id_for(article_id: str) -> str:
    return "evt_" + blake2b(article_id.encode("utf-8"), digest_size=8).hexdigest()


_TRACKING = ("utm_", "fbclid", "gclid", "mc_", "ref", "cmpid", "ocid")


def normalise_url(url: str | None) -> str | None:
    if not url:
        return None
    try:
        p = urlsplit(url.strip())
    except ValueError:
        return None
    if not p.netloc:
        return None
    host = p.netloc.lower()
    if host.startswith("www."):
        host = host[4:]
    q = [(k, v) for k, v in parse_qsl(p.query, keep_blank_values=True) if not k.lower().startswith(_TRACKING)]
    path = p.path.rstrip("/") or "/"
    return urlunsplit(("", host, path, urlencode(sorted(q)), ""))


def parse_time(value) -> float | None:
    """A publication time -> epoch seconds (UTC); None when absent or unreadable. ISO 8601 is what the
    cleaning emits; other forms are read too (pipeline.times), as a ClusterDoc may come straight from
    a labelled file."""
    got = parse_published(value)
    return None if got is None else got[0].timestamp()


# --------------------------------------------------------------------------- #
# Text pieces
# --------------------------------------------------------------------------- #
def stem(tok: str) -> str:
    """Very light, deterministic suffix folding (plural/possessive)."""
    if len(tok) > 4:
        if tok.endswith("ies"):
            return tok[:-3] + "y"
        if tok.endswith("s") and not tok.endswith(("ss", "us", "is")):
            return tok[:-1]
    return tok


def month_num(s: str) -> int:
    s = s.lower().rstrip(".")
    return MONTHS.get(s) or MONTHS.get(s[:3], 0)


def extract_dates(text: str, hints: "DateHints | None" = None) -> list[int]:
    """Calendar dates named in ``text``. ``hints`` (from the token scan) only skip regexes that
    cannot match; the result is the same with or without them."""
    out: set[int] = set()
    if hints is not None and not (hints.month_near_number or hints.hyphen_number or "/" in text):
        return []
    text = text.lower()
    has_month = (hints is None or hints.month_near_number) and _HAS_MONTH.search(text) is not None
    try_iso = hints is None or hints.hyphen_number

    def add(y, m, d1, d2=None):
        if not (1 <= m <= 12):
            return
        y = int(y) if y else 0
        d1 = int(d1) if d1 else 0
        if d1 and not 1 <= d1 <= 31:
            return
        if d2:
            d2 = int(d2)
            if d1 < d2 <= 31 and d2 - d1 <= 7:
                for d in range(d1, d2 + 1):
                    out.add(y * 10000 + m * 100 + d)
                return
        out.add(y * 10000 + m * 100 + d1)

    for m in (DATE_MD.finditer(text) if has_month else ()):
        add(m.group(4), month_num(m.group(1)), m.group(2), m.group(3))
    for m in (DATE_DM.finditer(text) if has_month else ()):
        add(m.group(4), month_num(m.group(3)), m.group(1), m.group(2))
    for m in (DATE_ISO.finditer(text) if try_iso else ()):
        add(m.group(1), int(m.group(2)), m.group(3))
    for m in (DATE_NUM.finditer(text) if "/" in text else ()):
        a, b, y = int(m.group(1)), int(m.group(2)), m.group(3)
        y = int(y) if len(y) == 4 else 2000 + int(y)  # a two-digit year is stated, not guessed
        if a <= 12:
            add(y, a, b)
        if b <= 12 and a != b:
            add(y, b, a)
    for m in (DATE_MY.finditer(text) if has_month else ()):
        add(m.group(2), month_num(m.group(1)), 0)
    return sorted(out)


def extract_entities(text: str, lower_seen: set[str]) -> Counter:
    """Capitalised token sequences approximating names.

    A capitalised word counts as (part of) a name only if its lower-case form never
    occurs lower-cased in the same document and it is not a known non-name word; this
    drops sentence-initial ordinary words without needing a sentence splitter.
    """
    ents: Counter = Counter()
    for m in CAP_RUN_RE.finditer(text):
        run: list[str] = []
        for w in m.group(0).split():
            lw = w.strip("'’-").lower()
            if lw.endswith(("'s", "’s")):
                lw = lw[:-2]
            if len(lw) > 1 and lw not in lower_seen and lw not in NOT_ENTITIES:
                ents[lw] += 1
                run.append(lw)
            else:
                if len(run) > 1:
                    ents[" ".join(run[-3:])] += 1
                run = []
        if len(run) > 1:
            ents[" ".join(run[-3:])] += 1
    return ents


# --------------------------------------------------------------------------- #
# MinHash
# --------------------------------------------------------------------------- #
_MH_CACHE: dict[int, tuple[np.ndarray, np.ndarray]] = {}
_M61 = np.uint64((1 << 61) - 1)


def _mh_coeffs(n: int) -> tuple[np.ndarray, np.ndarray]:
    c = _MH_CACHE.get(n)
    if c is None:
        rng = np.random.default_rng(20240604)
        a = rng.integers(1, (1 << 62), size=n, dtype=np.uint64) | np.uint64(1)
        b = rng.integers(0, (1 << 62), size=n, dtype=np.uint64)
        c = (a, b)
        _MH_CACHE[n] = c
    return c


_SH1, _SH2, _S32 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(32)


def minhash(token_hashes: np.ndarray, n: int) -> np.ndarray:
    """MinHash (multiply-shift family) over word 3-shingles of token hashes -> uint32[n].

    Repeated shingles are not removed first: a minimum does not change when a value repeats, and
    the sort that ``np.unique`` needs cost more than the few extra rows (36 -> 20 us per article).
    """
    th = token_hashes.astype(np.uint64)
    if th.size >= 3:
        sh = th[:-2] * _SH1
        sh ^= th[1:-1] * _SH2
        sh ^= th[2:]
    elif th.size:
        sh = th
    else:
        return np.full(n, 0xFFFFFFFF, dtype=np.uint32)
    a, b = _mh_coeffs(n)
    v = np.multiply(a[:, None], sh[None, :])  # (n, shingles); wraps mod 2**64, as intended
    v += b[:, None]
    # x -> x >> 32 is monotone, so the min can be taken before the shift
    return (v.min(axis=1) >> _S32).astype(np.uint32)


# --------------------------------------------------------------------------- #
# The feature bundle
# --------------------------------------------------------------------------- #
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

    @property
    def wf(self):
        return self.wf_h, self.wf_w

    @property
    def ef(self):
        return self.ef_h, self.ef_w


class IdfTable:
    """Document frequencies from a shipped table; unseen terms get the maximal IDF."""

    def __init__(self, n_docs: int, df: dict[str, int]):
        self.n_docs = max(int(n_docs), 1)
        self.df = df
        self.max_idf = math.log((self.n_docs + 1) / 1.0) + 1.0
        self._cache: dict[str, float] = {}
        self._info: dict[str, tuple[int, float]] = {}

    def term_info(self, counts, prefix: str) -> list[tuple[int, float]]:
        """[(h32(prefix + term), idf weight)] for each term of ``counts``, in its order.

        Cached per table (a bounded dict), so each distinct term is hashed and looked up once.
        Number entities ('#...') get the maximal IDF."""
        info = self._info
        keys = [prefix + t for t in counts] if prefix else list(counts)
        try:  # the common case: every term seen before
            return list(map(info.__getitem__, keys))
        except KeyError:
            pass
        new = [(k, t) for k, t in zip(keys, counts) if k not in info]
        if new:
            if len(info) + len(new) > 200_000:
                info.clear()
                new = list(zip(keys, counts))
            for k, t in new:
                info[k] = (h32(k), self.max_idf if t[0] == _NUM_E else self.idf(t))
        return list(map(info.__getitem__, keys))

    def idf(self, term: str) -> float:
        v = self._cache.get(term)
        if v is None:
            v = math.log((self.n_docs + 1) / (self.df.get(term, 0) + 1.0)) + 1.0
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[term] = v
        return v


def clean_text(text: str) -> str:
    return CITATION_RE.sub(" ", text or "")


def content_key_of(title: str, text: str) -> int:
    toks = TOKEN_RE.findall((text or title or "").lower())
    return h64(" ".join(toks))


# One pass of one compiled regex: words (letters only), numbers (with decimals / score dashes),
# and the punctuation that starts a new sentence.
TOK = re.compile(r"[^\W\d_]+|\d+(?:[.,]\d+)*(?:[-–]\d+)?|[.!?\n\"“”:;|]")
# The same pattern with ASCII classes: on an ASCII text \w, \W and \d mean the same in both modes
# (and the non-ASCII literals cannot match), so the tokens are the same; the engine's ASCII class
# checks are cheaper (58 -> 46 us per bench article).
_TOK_ASCII = re.compile(TOK.pattern, re.ASCII)
_PUNCT = frozenset(".!?\n\"“”:;|")
YEAR_RE = re.compile(r"(?:19[5-9]\d|20[0-4]\d)")
# "(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)", led by the literals 1 / 2 so the engine scans for them instead
# of trying the lookbehind at every position ("1(?<!\d1)" is "(?<!\d)1"): same matches, 6.3 -> 1.9 us
LEAD_YEAR_RE = re.compile(r"(1(?<!\d1)9[5-9]\d|2(?<!\d2)0[0-4]\d)(?!\d)")
_NUM_E = "#"  # prefix of number entities


class DateHints:
    """What the token scan already knows about dates, so extract_dates can skip regexes."""
    __slots__ = ("month_near_number", "hyphen_number")

    def __init__(self, month_near_number: bool, hyphen_number: bool):
        self.month_near_number = month_near_number  # a month word within 6 tokens of a number
        self.hyphen_number = hyphen_number  # a number token with a hyphen ("2013-05": ISO dates)


_MONTH_FORMS = frozenset(MONTHS)
_WEEKDAY_NAMES = frozenset(cues._WEEKDAYS)
_TF_LOG = np.array([0.0] + [1.0 + math.log(c) for c in range(1, 4096)])  # 1 + ln(tf), as math.log gives


def _scan(text: str, words: Counter, ents: Counter, years: Counter, w: float, capmid: set):
    """Tokenise once; split into content words and entity terms. -> (tokens in order, hyphen number seen).

    An entity term is a token capitalised mid-sentence, or capitalised at a sentence start
    when the same word is capitalised mid-sentence elsewhere in the document; multi-digit
    numbers (scores, ages, amounts) are entity terms too. Years are counted apart.
    Each distinct token form is classified once (a form's class does not depend on where it
    occurs once ``capmid`` is known), in first-occurrence order, numbers before words, so the
    counters get the same keys in the same order as a per-token pass would give them.
    """
    raw = (_TOK_ASCII if text.isascii() else TOK).findall(text)
    punct = _PUNCT
    capmid.update([t.lower() for prev, t in zip(chain(("\n",), raw), raw) if t[0].isupper() and prev not in punct])
    terms = [t for t in raw if t not in punct]
    forms = Counter(terms)
    hyphen = False
    letters = []
    for t, n in forms.items():
        if t[0].isdigit():
            if len(t) == 4 and YEAR_RE.fullmatch(t):
                years[t] += n
            else:
                if "-" in t:
                    hyphen = True
                if len(t) >= 2:
                    _add(ents, _NUM_E + t.lower(), w, n)
        else:
            letters.append((t, n))
    stop, noe = STOPWORDS, NOT_ENTITIES
    if w == 1.0:  # the common case, inlined (integer sums equal n additions of 1.0)
        for t, n in letters:
            low = t.lower()
            if low in stop or len(low) < 2:
                continue
            if low in capmid and t[0].isupper() and low not in noe:
                ents[low] += n
            elif len(low) > 2:
                words[low] += n
        return terms, hyphen
    for t, n in letters:
        low = t.lower()
        if low in stop or len(low) < 2:
            continue
        if low in capmid and t[0].isupper() and low not in noe:
            _add(ents, low, w, n)
        elif len(low) > 2:
            _add(words, low, w, n)
    return terms, hyphen


def _add(counter: Counter, key: str, w: float, n: int) -> None:
    """counter[key] += w, n times (exactly as n separate additions would round)."""
    if w == 1.0:
        counter[key] += n
    else:
        v = counter[key]
        for _ in range(n):
            v += w
        counter[key] = v


def _month_near_number(lows: list[str]) -> bool:
    """Whether a month word lies within 6 tokens of a number (every MD/DM/MY date has one)."""
    if _MONTH_FORMS.isdisjoint(lows):
        return False
    nums = [i for i, t in enumerate(lows) if t[0].isdigit()]
    if not nums:
        return False
    for i, t in enumerate(lows):
        if t in _MONTH_FORMS:
            j = bisect_left(nums, i - 6)
            if j < len(nums) and nums[j] <= i + 6:
                return True
    return False


def hash_tokens(toks: list[str]) -> np.ndarray:
    """h32 of every token, hashing each distinct token once -> uint32[len(toks)]."""
    cache = _HASH_CACHE
    try:  # the common case: every token hashed before
        return np.fromiter(map(cache.__getitem__, toks), dtype=np.uint32, count=len(toks))
    except KeyError:
        pass
    new = set(toks).difference(cache)
    if new:
        if len(cache) + len(new) > _HASH_CACHE_MAX:
            cache.clear()
            new = set(toks)
        for t in new:
            cache[t] = zlib.crc32(t.encode("utf-8"))
    return np.fromiter(map(cache.__getitem__, toks), dtype=np.uint32, count=len(toks))


def _vec(counts, idf, k: int, prefix: str = ""):
    """-> (top-k hashes by weight, their weights, all hashes sorted, their weights); L2 over all."""
    if not counts:
        e32, ef = np.zeros(0, np.uint32), np.zeros(0, np.float32)
        return e32, ef, e32, ef
    info = idf.term_info(counts, prefix)
    n = len(info)
    hs_, wt_ = zip(*info)
    h = np.array(hs_, dtype=np.uint32)
    wt = np.array(wt_, dtype=np.float64)
    c = np.fromiter(counts.values(), dtype=np.float64, count=n)
    ci = c.astype(np.int64)
    if (ci == c).all() and c.min() >= 1 and c.max() < _TF_LOG.size:
        tf = _TF_LOG[ci]
    else:
        tf = np.array([(1.0 + math.log(x)) if x >= 1 else x for x in c.tolist()])
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


def salient_years(title: str, body: str, years_all: Counter) -> list[int]:
    """Years named in the headline/lead (first ~4 lines), else the most frequent year; never guessed."""
    lead = (title or "") + "\n" + "\n".join((body or "").split("\n", 4)[:3])
    ly = {int(y) for y in LEAD_YEAR_RE.findall(lead)}
    if ly:
        return sorted(ly)
    if years_all:
        m = max(years_all.values())
        return sorted(int(y) for y, c in years_all.items() if c == m)
    return []


def extract(title: str, text: str, url: str | None, published, fetched_at, idf: IdfTable, p,
            facts: dict | None = None, dateline: str | None = None) -> Features:
    """Compute the compact features of one article. ``p`` is a ClusterParams; ``facts`` are the
    article's event facts (pipeline.events.article_facts), whose names become kind-0 cues;
    ``dateline`` is a dateline the cleaning removed, read for its dates only."""
    title = title or ""
    body = clean_text(text)
    words: Counter = Counter()
    ents: Counter = Counter()
    years: Counter = Counter()
    cm: set = set()
    body_terms, hyphen = _scan(body, words, ents, years, 1.0, cm)
    toks = list(map(str.lower, body_terms))
    lows_all = toks
    if title:
        title_terms, t_hyphen = _scan(title, words, ents, years, float(p.title_boost), cm)
        hyphen = hyphen or t_hyphen
        lows_all = list(map(str.lower, title_terms)) + toks
    content_key = h64(" ".join(toks) if toks else title.lower())
    nurl = normalise_url(url)
    url_key = h64("url:" + nurl) if nurl else 0
    # MinHash over the body's token stream (all tokens: copies keep function words too).
    mh = minhash(hash_tokens(toks), p.n_minhash)

    term_h, term_w, wf_h, wf_w = _vec(words, idf, p.k_terms)
    ent_h, ent_w, ef_h, ef_w = _vec(ents, idf, p.k_ents, "E:")

    full = title + "\n" + body if title else body
    dates = extract_dates(full, DateHints(_month_near_number(lows_all), hyphen))
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
    # kept in rank order (the first person is the article's main one)
    cue_codes = list(dict.fromkeys(days + cues.lead_places(lead, NOT_ENTITIES, h32)
                                   + cues.persons(full, NOT_ENTITIES, h32)
                                   + cues.fact_cues(facts, h32)))
    return Features(content_key, url_key, mh, term_h, term_w, ent_h, ent_w,
                    np.asarray(dset, dtype=np.uint32), t, np.asarray(cue_codes, dtype=np.uint32),
                    wf_h, wf_w, ef_h, ef_w)


def tokens_for_df(text: str) -> set[str]:
    """The term set used to build the shipped document-frequency table."""
    return {t.lower() for t in TOK.findall(clean_text(text)) if not t[0] in _PUNCT and not t[0].isdigit()}
