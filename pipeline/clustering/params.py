"""Clustering parameters: structural knobs plus the fitted thresholds/weights.

``ClusterParams.load()`` reads the shipped ``params.json`` (written by
``bench/fit_clustering.py``) and the document-frequency table it names.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from .features import IdfTable

HERE = Path(__file__).resolve().parent
DEFAULT_PARAMS = HERE / "params.json"


@dataclass
class ClusterParams:
    # --- window / bounds -------------------------------------------------
    window_seconds: float = 7 * 24 * 3600.0
    max_articles: int = 1_000_000
    # The most recent arrivals are never evicted by time, only by max_articles: a replay whose
    # publication times are out of order (a labelled corpus spanning years, shuffled) would otherwise
    # lose most of its window each time a newer time moves the watermark on.
    recent_kept: int = 10_000
    # Two articles whose event times lie further apart than this never form a story.
    max_gap_seconds: float = 10 * 24 * 3600.0
    # --- signatures ------------------------------------------------------
    n_minhash: int = 64
    lsh_bands: int = 8
    lsh_rows: int = 4
    k_terms: int = 48  # stored per article (best-member similarity, index)
    k_ents: int = 24
    k_dates: int = 12
    title_boost: float = 1.0
    # event summaries (centroids truncated to the heaviest terms)
    k_event_terms: int = 200
    k_event_ents: int = 80
    k_event_dates: int = 16
    k_event_cues: int = 40  # who/where/when cue counts kept per event
    top_ents: int = 3  # strongest names checked for absence on either side
    # --- retrieval -------------------------------------------------------
    q_terms: int = 10  # top terms of an article that are indexed / queried
    q_ents: int = 6
    posting_read: int = 48  # most recent postings read per term
    max_candidates: int = 24
    # --- decisions (fitted) ------------------------------------------------
    near_threshold: float = 0.6  # estimated Jaccard of 3-shingles
    story_threshold: float = 0.5  # on the logistic probability
    contrast: float = 0.0  # weight cut for terms shared by all plausible candidate events
    contrast_min: float = 0.3  # cos_words + cos_ents for a candidate event to count as plausible
    long_words: int = 120  # distinct content words that make an article 'long'
    min_word_cos: float = 0.3  # a story needs at least this content-word cosine to the event centroid
    second_chance: float = 0.0  # below-threshold margin accepted when tagged people and places agree
    # logistic weights over scoring.FEATURE_NAMES
    weights: list = field(default_factory=lambda: [6.0, 6.0, 2.0, -2.0, -2.0, 1.5, -1.0, -2.0, 0.0,
                                                   0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    bias: float = -3.0
    # A short article (a feed's headline and summary, a one-paragraph brief) has too few words for
    # the cosines to mean what they mean between two full reports: with fewer distinct content words
    # than ``short_words`` (0: never), it is scored by a model of its own, fitted on short texts.
    short_words: int = 0
    short_weights: list = field(default_factory=list)
    short_bias: float = 0.0
    short_threshold: float = 0.5
    # A short article joins only an event whose profile holds at least this many of its content
    # words and names: in a brief, one shared common word ("budget", "Apple") gives a cosine that
    # the short model, fitted where candidates mostly share a topic, takes for a story.
    short_min_shared: int = 2
    # --- data --------------------------------------------------------------
    df_file: str = "df.json"
    idf: IdfTable | None = field(default=None, repr=False, compare=False)

    @classmethod
    def load(cls, path: str | Path | None = None, **overrides) -> "ClusterParams":
        path = Path(path) if path else DEFAULT_PARAMS
        data = orjson.loads(path.read_bytes()) if path.exists() else {}
        known = {f.name for f in dataclasses.fields(cls)} - {"idf"}
        kw = {k: v for k, v in data.items() if k in known}
        kw.update(overrides)
        p = cls(**kw)
        p.ensure_idf(path.parent)
        return p

    def ensure_idf(self, base: Path | None = None) -> IdfTable:
        """The word weights of ``df_file``: beside the params file (``base``), else the shipped table.
        A params file copied elsewhere without its df.json silently weighed every term alike (ECB+ dev
        B-cubed precision 0.938 -> 0.909 with the same weights)."""
        if self.idf is None:
            f = Path(self.df_file)
            found = next((c for c in ([f] if f.is_absolute() else [(base or HERE) / f, HERE / f]) if c.exists()), None)
            if found is None:
                raise FileNotFoundError(f"the clustering's word frequencies {self.df_file!r} are neither at {base or HERE} "
                                        f"nor shipped in {HERE}")
            d = orjson.loads(found.read_bytes())
            self.idf = IdfTable(d["n_docs"], d["df"])
        return self.idf

    def to_json(self) -> dict:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "idf"}

    def replace(self, **kw) -> "ClusterParams":
        return dataclasses.replace(self, **kw)
