"""Where a page's own headline stands in its scraped text, found by the words of its address.

Most news addresses end in a slug made from the headline ("/michigan-officials-6th-fatality-linked-
to-eastern-equine-encephalitis-reported/"). In a whole page's text the headline is the first place
where most of those words come together; the article follows it. The longest run of prose on the
page is usually the article, but not always: a block of teasers with summaries, or a footer of legal
text, can outweigh a short report. The article never ends above its own headline, so a run that
does is looked for again below it (``page_text`` and ``glued_text``); nor does it start above it
(``page_text``), and a paywalled page's one paragraph right below it is enough prose to cut the
page to (``glued_text``).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate
from urllib.parse import unquote, urlsplit

MIN_SLUG_WORDS = 3  # an address with fewer words (an id, "/news/12345") names no headline
MATCH_SHARE = 0.6  # the headline holds this share of the slug's words, and MIN_SLUG_WORDS at least

_LETTERS = re.compile(r"[^\W\d_]{3,}")
# how a line the address names may not end: as a statement (a caption, a sentence of the lead) or
# trailing off (a teaser's "[…]"); a question, an exclamation or a quotation may end a headline
_STATEMENT_END = re.compile(r"[.…。][\]'\")”’»]*\s*$")
# ... nor hold two sentences ("... was released on Monday. (Published Monday, Nov. 18, 2019)"); a
# short abbreviation ("Rep. Ilhan Omar", "U.S. border", "Gov. Noem") is no sentence's end
_SENTENCE_INSIDE = re.compile(r"[^\W\d_]{4,}[.!?][\]'\")”’»]*\s+[\"“'‘(\[]?[^\W\d_]")
MAX_HEADLINE_WORDS = 25


def ends_as_statement(line: str) -> bool:
    """Whether ``line`` ends as a statement or trails off, as no headline does (one may ask or exclaim)."""
    return _STATEMENT_END.search(line) is not None

# words of an address that are not its headline's: file types, section names, function words
_NOT_HEADLINE = frozenset(
    "html htm shtml php asp aspx jsp cms amp www com index article articles news story stories post posts "
    "blog item view the and for with from that this are was has have its into onto".split())


def slug_words(url: str | None) -> frozenset[str]:
    """The headline words of ``url``'s most wordy path segment (empty when it has too few)."""
    if not url:
        return frozenset()
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        return frozenset()
    best: frozenset[str] = frozenset()
    for segment in path.split("/"):
        words = frozenset(word.lower() for word in _LETTERS.findall(segment)) - _NOT_HEADLINE
        if len(words) > len(best):
            best = words
    return best if len(best) >= MIN_SLUG_WORDS else frozenset()


def headline_at(units: Sequence[str], slug: frozenset[str], window: int = 1) -> int | None:
    """Index of the first unit (a line, or a word) from which ``window`` units hold enough of the
    slug's words, or None."""
    if not slug:
        return None
    need = max(MIN_SLUG_WORDS, MATCH_SHARE * len(slug))
    lowered = [unit.lower() for unit in units]
    text = "\n".join(lowered)
    starts = list(accumulate((len(unit) + 1 for unit in lowered[:-1]), initial=0))
    found = []  # (position, word) of each slug word standing alone: no letter on either side
    for word in slug:
        at = text.find(word)
        while at >= 0:
            end = at + len(word)
            if not (at and text[at - 1].isalpha()) and not (end < len(text) and text[end].isalpha()):
                found.append((at, word))
            at = text.find(word, at + 1)
    hits = [(bisect_right(starts, at) - 1, word) for at, word in sorted(found)]
    for first, (index, _) in enumerate(hits):
        seen, after = set(), first
        while after < len(hits) and hits[after][0] < index + window:
            seen.add(hits[after][1])
            after += 1
        if len(seen) >= need:
            return index
    return None


def names_headline(line: str, slug: frozenset[str]) -> bool:
    """Whether ``line`` is the headline the address names: it holds enough of the slug's words and
    reads as one headline (3 to 25 words, at most 200 characters, one sentence not ending as a statement)."""
    return (3 <= len(line.split()) <= MAX_HEADLINE_WORDS and len(line) <= 200 and not ends_as_statement(line)
            and not _SENTENCE_INSIDE.search(line) and headline_at([line], slug) is not None)
