"""Stable hashes and signatures of an article: 32/64-bit keys, the normalised URL key, event ids, and
the MinHash signature for near-duplicate detection. Never Python's salted hash(): these values are
stored in the changelog and must be equal on every worker and after a restart.
"""
from __future__ import annotations

import zlib
from hashlib import blake2b
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np

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



def hash_tokens(toks: list[str]) -> np.ndarray:
    """h32 of every token, hashing each distinct token once -> uint32[len(toks)]."""
    cache = _HASH_CACHE
    try:  # the common case: every token hashed before
        return np.fromiter(map(cache.__getitem__, toks), dtype=np.uint32, count=len(toks))
    except KeyError:  # some token is new: hash the new ones, then read them all
        new = set(toks).difference(cache)
    if new:
        if len(cache) + len(new) > _HASH_CACHE_MAX:
            cache.clear()
            new = set(toks)
        for t in new:
            cache[t] = zlib.crc32(t.encode("utf-8"))
    return np.fromiter(map(cache.__getitem__, toks), dtype=np.uint32, count=len(toks))



_MH_CACHE: dict[int, tuple[np.ndarray, np.ndarray]] = {}


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

