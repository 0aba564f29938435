"""How distinctive a word is: the inverse document frequency that weighs article vectors.

English words are weighed by the shipped document-frequency table (``df.json``, built by
bench/fit_clustering.py from news text). For another language that table knows almost no word, so
every word, "und" as much as "Bagger", would weigh the same maximum; there the weight comes from
wordfreq's word frequencies for the language instead (``FrequencyIdf``), mapped onto the same scale.
"""
from __future__ import annotations

import math

import numpy as np

from .signatures import h32
from .tokens import NUM_PREFIX

# Tokens in a typical article, for turning a word's corpus frequency f into the share of articles
# that contain it: 1 - exp(-f * ARTICLE_TOKENS). 500 is the value at which English frequencies best
# reproduce the shipped table's weights (bench/frequency_idf.py: RMSE 0.92, mean error +0.10 over
# the 10,052 words both know; 300 and 1,000 give 1.00 and 1.10).
ARTICLE_TOKENS = 500
# ISO 639-1 codes that wordfreq files under another code
_WORDFREQ_CODES = {"no": "nb", "nn": "nb", "tl": "fil", "hr": "sh", "sr": "sh", "bs": "sh"}


class IdfTable:
    """Document frequencies from a shipped table; unseen terms get the maximal IDF."""

    def __init__(self, n_docs: int, df: dict[str, int]):
        self.n_docs = max(int(n_docs), 1)
        self.df = df
        self.max_idf = math.log((self.n_docs + 1) / 1.0) + 1.0
        self._cache: dict[str, float] = {}
        # term_info's cache: key -> its h32, key -> its weight (two maps, so that each array is
        # read straight from one)
        self._hashes: dict[str, int] = {}
        self._weights: dict[str, float] = {}
        self._languages: dict[str, IdfTable] = {}

    def for_language(self, language: str | None) -> "IdfTable":
        """The table that weighs the words of an article in ``language``: this one for English
        (and when the language is unknown); for another language that wordfreq covers, weights
        from that language's word frequencies on this table's scale (``FrequencyIdf``); else this
        one, whose unseen words are all equally rare."""
        code = _WORDFREQ_CODES.get(language or "", language or "")
        if not code or code == "en":
            return self
        table = self._languages.get(code)
        if table is None:
            table = self._languages[code] = FrequencyIdf.for_code(code, self.max_idf) or self
        return table

    def term_info(self, counts, prefix: str) -> tuple[np.ndarray, np.ndarray]:
        """(uint32 h32(prefix + term), float64 idf weight) for each term of ``counts``, in its order.

        Cached per table (bounded), so each distinct term is hashed and looked up once.
        Number entities ('#...') get the maximal IDF."""
        hashes, weights = self._hashes, self._weights
        keys = [prefix + t for t in counts] if prefix else list(counts)
        n = len(keys)
        try:  # the common case: every term seen before
            return (np.fromiter(map(hashes.__getitem__, keys), np.uint32, n),
                    np.fromiter(map(weights.__getitem__, keys), np.float64, n))
        except KeyError:  # some term is new: look the new ones up, then read them all
            new = [(k, t) for k, t in zip(keys, counts) if k not in hashes]
        if len(hashes) + len(new) > 200_000:
            hashes.clear()
            weights.clear()
            new = list(zip(keys, counts))
        for k, t in new:
            hashes[k] = h32(k)
            weights[k] = self.max_idf if t[0] == NUM_PREFIX else self.idf(t)
        return (np.fromiter(map(hashes.__getitem__, keys), np.uint32, n),
                np.fromiter(map(weights.__getitem__, keys), np.float64, n))

    def idf(self, term: str) -> float:
        v = self._cache.get(term)
        if v is None:
            v = self._weigh(term)
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[term] = v
        return v

    def _weigh(self, term: str) -> float:
        return math.log((self.n_docs + 1) / (self.df.get(term, 0) + 1.0)) + 1.0


class FrequencyIdf(IdfTable):
    """IDF weights of one language read from wordfreq's frequencies (its 'small' list: words used
    at least about once per million), capped at the document-frequency table's maximum so that
    the fitted weights read them on the scale they were fitted on. A word not in the list is rare:
    it gets the cap, as an unseen word does in the table."""

    def __init__(self, frequencies: dict[str, float], max_idf: float):
        super().__init__(1, {})
        self.frequencies = frequencies
        self.max_idf = max_idf

    @classmethod
    def for_code(cls, code: str, max_idf: float) -> "FrequencyIdf | None":
        """The table of a wordfreq language code, or None when wordfreq has no list for it."""
        import wordfreq  # late: only articles in other languages need it

        if code not in wordfreq.available_languages("small"):
            return None
        return cls(wordfreq.get_frequency_dict(code, "small"), max_idf)

    def _weigh(self, term: str) -> float:
        f = self.frequencies.get(term) or self.frequencies.get(term.casefold()) or 0.0
        share = -math.expm1(-f * ARTICLE_TOKENS)
        return min(self.max_idf, 1.0 - math.log(share)) if share > 0.0 else self.max_idf
