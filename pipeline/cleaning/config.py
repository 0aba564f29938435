"""Settings of the cleaning stage (one frozen dataclass, so a worker's behaviour is visible in one place)."""
from __future__ import annotations

import dataclasses

from pipeline.settings import Settings

# the worker's setting (NEWSFLOW_MAX_HTML_BYTES) is the one default: a second number here drifted
_MAX_HTML_BYTES = Settings.max_html_bytes  # a plain dataclass keeps each field's default on the class


@dataclasses.dataclass(frozen=True, slots=True)
class CleaningConfig:
    # --- input limits -------------------------------------------------------------------------
    #: HTML documents larger than this (UTF-8 bytes) are rejected with reason "too_large"; the
    #: default is Settings.max_html_bytes (5 MiB).
    max_html_bytes: int = _MAX_HTML_BYTES
    #: Plain-text documents, and the article text extracted from a page, larger than this (UTF-8
    #: bytes) are rejected with reason "too_large"; no setting changes it. The text is cleaned on
    #: the worker's event loop at about 2.3 us a character, which is then deaf to its health
    #: probes: 2 MB held them 4 s. The longest article body of the extraction benchmark is 96 KB,
    #: its longest page text 102 KB.
    max_text_bytes: int = 500_000
    #: Share of control characters (NUL and C0/C1 other than tab/newline) above which a document
    #: is taken for binary data and rejected with reason "binary".
    binary_control_ratio: float = 0.02
    #: Same, for U+FFFD replacement characters (what undecodable bytes turn into).
    binary_replacement_ratio: float = 0.10

    # --- HTML extraction ----------------------------------------------------------------------
    #: Wall-clock limit for one HTML document in the extractor process; over it: reason "timeout".
    extract_timeout_s: float = 10.0
    #: Extractor processes kept by ``HtmlExtractor`` (each handles one document at a time).
    extractor_workers: int = 1
    #: Address-space cap of each extractor process in MiB (0: none). A page that makes lxml balloon
    #: then fails alone with "extraction_failed" instead of taking the machine's memory.
    worker_memory_mb: int = 2048
    #: trafilatura options of the main pass.
    favor_precision: bool = True
    include_comments: bool = False
    include_tables: bool = True
    #: Run trafilatura's fast mode first and the full mode (with its readability/jusText backup)
    #: only when the fast pass finds fewer than ``full_pass_below_chars`` characters: on the
    #: benchmark pages the two give the same text whenever the fast pass finds a real body, and the
    #: fast pass costs about half as much.
    fast_first: bool = True
    full_pass_below_chars: int = 500
    #: When the precision pass keeps fewer characters than this, run one more pass with
    #: trafilatura's defaults (precision mode sometimes discards a whole article body).
    fallback_min_chars: int = 400
    #: ...and keep the second result only when it is at least this many times longer.
    fallback_gain: float = 2.0

    # --- result checks ------------------------------------------------------------------------
    #: A cleaned body shorter than this is not an article: reason "not_article"...
    min_text_chars: int = 80
    #: ...unless it came as text and its headline and body hold at least this many words (a Chinese,
    #: Japanese or Korean character counts half): a news brief, kept with the flag "brief". An empty
    #: text under such a headline is kept too, flagged "headline_only".
    brief_min_words: int = 4
    #: A body shorter than this that matches one of the rules' wall/error patterns (login wall,
    #: cookie wall, 404 page...) is not an article either.
    wall_max_chars: int = 1500
    #: Bodies shorter than this get the flag "short_text".
    short_text_chars: int = 500

    # --- normalisation ------------------------------------------------------------------------
    fix_mojibake: bool = True
    detect_language: bool = True
    #: Below this many characters of body the language comes from the page or the connector.
    language_min_chars: int = 40

    # --- boilerplate rules --------------------------------------------------------------------
    #: Path of a rules file (YAML); None means the packaged ``rules.yaml``.
    rules_path: str | None = None

    # --- boilerplate learned from the stream (BoilerplateMemory) ------------------------------
    #: A line seen in at least this many distinct articles of a source is furniture.
    learned_min_articles: int = 4
    #: Only lines up to this length are counted (furniture is short; long paragraphs are content).
    learned_max_line_chars: int = 200
    #: ...and lines with at least this many characters (skip "Yes", single words of lists).
    learned_min_line_chars: int = 12
    #: Line counters kept per source; the least recently seen are evicted beyond this.
    learned_max_lines: int = 400
    #: Article ids remembered per source, so a redelivered article is not counted twice.
    learned_max_ids: int = 256
    #: At most this many lines of one article are counted.
    learned_max_lines_per_article: int = 80
    #: Learned removal never takes away more than this share of an article's characters.
    learned_max_removed_fraction: float = 0.5
