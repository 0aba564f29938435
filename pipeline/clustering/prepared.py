"""An article's clustering features, computed where the work can scale out and carried to the stage
that cannot.

The clustering stage is keyed: every article of one language meets one clusterer, so that stage
is the pipeline's serial part. Feature extraction (tokenising, weighting, MinHash, cues) needs no
state, so the cleaning stage, which scales with the partitions of news.raw, computes the features
and ships them in the cleaned record as one base64 field. The clustering stage then only looks up,
scores and commits.

The encoding is exact (raw little-endian arrays), so a clusterer given these features decides as it
would from the text. It carries a fingerprint of what the features depend on: the extraction code's
version, the parameters ``extract`` reads and the document-frequency table. A clusterer whose
fingerprint differs (other params, a newer build) ignores the field and extracts the features itself.
"""
from __future__ import annotations

import base64
import binascii
import math
import struct
from hashlib import blake2b

import numpy as np
import orjson

from .features import Features

# Bump whenever extract() or anything it calls would give different features for the same input.
FEATURES_VERSION = 13
_MAGIC = 0xF1
# magic, fingerprint, content_key, url_key, time (NaN: none), the length of each array, then flags
# (bit 0: uncased)
_HDR = struct.Struct("<B8sQQd" + "I" * 11 + "B")
# (Features field, dtype) in the order the arrays follow the header
_ARRAYS = (("minhash", "<u4"), ("term_h", "<u4"), ("term_w", "<f4"), ("ent_h", "<u4"), ("ent_w", "<f4"),
           ("dates", "<u4"), ("cues", "<u4"), ("wf_h", "<u4"), ("wf_w", "<f4"), ("ef_h", "<u4"), ("ef_w", "<f4"))


class FeaturesMismatch(ValueError):
    """The field was made for other parameters or another extraction version."""


def fingerprint(p) -> bytes:
    """8 bytes that change whenever features extracted under ``p`` (a ClusterParams) would."""
    idf = p.ensure_idf()
    key = (p.n_minhash, p.k_terms, p.k_ents, p.k_dates, float(p.title_boost), idf.n_docs, id(idf.df))
    cached = _FINGERPRINTS.get(key)
    if cached is None:  # hashing the table takes milliseconds: once per table and parameter set
        h = blake2b(digest_size=8)
        h.update(orjson.dumps([FEATURES_VERSION, *key[:-1]]))
        h.update(orjson.dumps(idf.df, option=orjson.OPT_SORT_KEYS))
        cached = _FINGERPRINTS[key] = (h.digest(), idf.df)  # the table is kept so its id stays its own
    return cached[0]


_FINGERPRINTS: dict[tuple, tuple[bytes, dict]] = {}


def encode_features(f: Features, fp: bytes) -> str:
    """The features as one ASCII string for a JSON record (base64 of the binary layout)."""
    arrays = [np.asarray(getattr(f, name), dtype=dt) for name, dt in _ARRAYS]
    hdr = _HDR.pack(_MAGIC, fp, f.content_key, f.url_key, math.nan if f.time is None else f.time,
                    *(a.size for a in arrays), 1 if f.uncased else 0)
    return base64.b64encode(b"".join([hdr, *(a.tobytes() for a in arrays)])).decode("ascii")


def decode_features(value: str, fp: bytes) -> Features:
    """Features from ``encode_features``; FeaturesMismatch when made under another fingerprint,
    ValueError when the value is not such an encoding."""
    try:
        b = base64.b64decode(value, validate=True)
    except (binascii.Error, TypeError, ValueError) as exc:
        raise ValueError(f"cluster_features: not base64 ({exc})") from None
    if len(b) < _HDR.size or b[0] != _MAGIC:
        raise ValueError("cluster_features: not an encoded feature set")
    _, got_fp, ckey, ukey, t, *lens, flags = _HDR.unpack_from(b, 0)
    if got_fp != fp:
        raise FeaturesMismatch("cluster_features: made under other parameters or another version")
    o = _HDR.size
    need = o + sum(4 * n for n in lens)
    if len(b) != need:
        raise ValueError(f"cluster_features: {len(b)} bytes where the header promises {need}")
    got = {}
    for (name, dt), n in zip(_ARRAYS, lens):
        got[name] = np.frombuffer(b, dt, n, o)
        o += 4 * n
    return Features(ckey, ukey, got["minhash"], got["term_h"], got["term_w"], got["ent_h"], got["ent_w"],
                    got["dates"], None if math.isnan(t) else t, got["cues"], got["wf_h"], got["wf_w"],
                    got["ef_h"], got["ef_w"], bool(flags & 1))
