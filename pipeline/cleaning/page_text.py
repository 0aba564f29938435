"""The article inside the visible text of a whole page.

A scraper that keeps a page's text but drops its markup hands over everything around the article
too: the menu one item per line, teaser headlines, bylines of other stories, footer links, cookie
notices. With no markup left, what marks the article is prose: long lines that read as sentences,
one after another. The article is taken to be the run of lines where prose outweighs the rest most
(the maximum-sum run, with prose counted by its length and every other line against it), which
cuts the menus above and the footers and teaser lists below while keeping short lines that sit
between paragraphs (subheadings, quotes, a photo credit). Readers' comments are prose too: the run
ends before a comment-section heading ("12 Comments") that follows the article.

This only runs on text that reads as a page: at least ``MIN_LINES`` lines, at least half of them
not prose. An article's own text rarely looks like that; on the scrapinghub benchmark's ground-truth
bodies given as text, 13 of 181 do (listicles, tables, reviews), against 174 of the 181 pages' own
text (docs/cleaning.md, "Whole-page text").
"""
from __future__ import annotations

import re
from collections.abc import Callable

from ..scripts import WIDE_SCRIPT
from .url_headline import headline_at, slug_words

MIN_LINES = 30  # fewer lines than this is never taken for a whole page
MIN_FURNITURE_SHARE = 0.5  # ... nor is text of which fewer lines than this are not prose
FURNITURE_WEIGHT = 2.0  # a line that is not prose counts against the run by twice its length
FURNITURE_FLOOR = 20  # ... and by at least this many characters, however short
HEADLINE_LOOKBACK = 20  # lines above the article searched for its headline
LEAD_LINES = 5  # ... and that shares at least MIN_SHARED words with the article's first lines
MIN_SHARED = 2
WRAPPED_WORDS = 6  # a line of this many words that runs on into the next is part of one sentence
COMMENTS_AFTER = 500  # characters of prose above a comment-section heading that make it one
REPEAT_MIN_CHARS = 40  # a prose line this long that repeats an earlier one adds nothing to the run
MIN_LIST_ITEMS = 4  # lines of one separator that carry the article on past its run, unannounced
MIN_ITEM_WORDS = 4  # ... with this many words on average
LIST_HEADING_WORDS = 6  # a line of at most this many words over such a list is its heading
MIN_PROSE_BELOW = 400  # characters of prose a run below the page's headline needs to replace one above it
HEADLINE_START_WORDS = 4  # a run that starts above the headline starts at it when the address names it by this many words

# the heading of a comment section, in the languages whose furniture the rules know
_COMMENTS = re.compile(r"(?i)\s*[\[(]?\s*(?:\d+\s+)?(?:(?:top|best|latest|newest|most recent|top rated|readers'?) )?"
                       r"(?:comments?|responses?|replies|leave a (?:comment|reply)|"
                       r"join the (?:conversation|discussion)|discussion|kommentare?|commentaires?|comentarios?|"
                       r"commenti|comentários|reacties)\s*(?:\(\d+\))?\s*[\])]?\s*[:.]?\s*$")
# "34 responses to “Title”", "12 thoughts on “Title”": a comment section that names the post, prose or not
_COMMENTS_ON = re.compile(r"(?i)\s*\d+\s+(?:comments?|responses?|replies|thoughts|reactions)\s+(?:to|on)\s+[\"“„«'‘]")
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?:;\"'”»)…。！？」』]\s*$")
_STATEMENT_END = re.compile(r"[.!?…。！？]['\"”’»)]*\s*$")
_SEPARATOR = re.compile(r" (?:--|[-–—|]) |: |, ")
_NUMBER = re.compile(r"[\d.,:%/+\-–]+")
# a numbered or bulleted item of four words or more: a list in the article more often than a menu
_LIST_ITEM = re.compile(r"\s*(?:\d{1,2}[.)]|[•·\-–*])\s+\S+(?:\s+\S+){3,}")


def is_prose(line: str) -> bool:
    """A line that reads as running text: eight words or more that end as a sentence does, or fifteen
    words or more (in Chinese, Japanese and Korean, which need no spaces: 20 characters that end a
    sentence, or 60)."""
    wide = len(WIDE_SCRIPT.findall(line))
    if wide >= 20:
        return wide >= 60 or _SENTENCE_END.search(line) is not None
    words = len(line.split())
    return words >= 15 or (words >= 8 and _SENTENCE_END.search(line) is not None)


def _neutral(line: str) -> bool:
    """A table row (mostly numbers) or a list item: not prose, but not furniture either."""
    tokens = line.split()
    if len(tokens) >= 3 and sum(_NUMBER.fullmatch(t) is not None for t in tokens) >= 0.4 * len(tokens):
        return True
    return _LIST_ITEM.match(line) is not None


def _headline_like(line: str) -> bool:
    words = len(line.split())
    return 3 <= words <= 25 and len(line) <= 200 and not _SENTENCE_END.search(line)


def _content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) >= 4 or not w.isascii()}


def article_lines(lines: list[str], kept: Callable[[str], bool] = bool, url: str | None = None) -> list[str] | None:
    """The article's lines when the text reads as a whole page: the maximum-sum run, opened by its
    headline; None when the text does not read as a page, or has no prose at all. ``url``, the
    page's address, helps find the run when its words name the headline (:mod:`.url_headline`).

    The headline is the line among the first line of the page (where a scraper puts the page's
    title) and the ``HEADLINE_LOOKBACK`` lines above the run that is headline-like, that ``kept``
    does not reject (the cleaning passes its rules: not a byline, a date, a share button) and that
    shares most words with the run's first ``LEAD_LINES`` lines (``MIN_SHARED`` at least, and a
    third of its own):
    what stands above an article is as often a section menu or a teaser as its headline. Nothing
    else above the run is kept (byline, share buttons, captions, dateline): keeping those lines
    merged more unrelated pages of the benchmark (docs/cleaning.md)."""
    span = _run(lines, url)
    if span is None:
        return None
    start, end = span
    lead = _content_words(" ".join(lines[start:start + LEAD_LINES]))
    best, best_shared = None, MIN_SHARED - 1
    for index in [*range(start - 1, max(-1, start - 1 - HEADLINE_LOOKBACK), -1), 0]:
        if index >= start or not _headline_like(lines[index]):
            continue
        words = _content_words(lines[index])
        shared = len(words & lead)
        if shared > best_shared and 3 * shared >= len(words) and kept(lines[index]):
            best, best_shared = index, shared
    if best is None:
        return lines[start:end]
    return [lines[best], *lines[start:end]]


def _run(lines: list[str], url: str | None = None) -> tuple[int, int] | None:
    """``(start, end)`` of the maximum-sum run of lines, or None (not a page, or no prose). When the
    run ends above the page's headline (found by the words of ``url``, its address: a footer of
    legal text can outweigh a short report cut by a table), the run is looked for below it; when it
    starts above the headline, it starts at the headline."""
    if len(lines) < MIN_LINES:
        return None
    prose = _prose_lines(lines)
    if prose.count(False) < MIN_FURNITURE_SHARE * len(lines) or not any(prose):
        return None
    start, end = _span(lines, prose)
    slug = slug_words(url)
    headline = headline_at(lines, slug) if slug else None
    if headline is not None and end <= headline:
        below = _span(lines[headline:], prose[headline:])
        if sum(len(lines[i]) for i in range(headline + below[0], headline + below[1]) if prose[i]) >= MIN_PROSE_BELOW:
            start, end = headline + below[0], headline + below[1]
    elif headline is not None and start < headline < end and _may_be_headline(lines[headline]) \
            and len(slug) >= HEADLINE_START_WORDS:
        start = headline  # nor does it start above it: teasers with summaries above the headline go
    return start, end


def _may_be_headline(line: str) -> bool:
    """A line that can be a headline: 25 words at most, not ending as a sentence (a closing quote may
    end it: 'Coach: "We needed to win this game"')."""
    return len(line.split()) <= 25 and _STATEMENT_END.search(line) is None


def _span(lines: list[str], prose: list[bool]) -> tuple[int, int]:
    """The maximum-sum run, ended before the readers' comments, with a list that closes it. A prose line
    that repeats an earlier one counts for nothing: pages that carry their article twice (a hidden
    print or AMP copy, a teaser of it) would otherwise take in the furniture between the copies."""
    repeated = _repeated(lines, prose)
    best_start, best_end = best_run([
        0.0 if repeated[index] else float(len(line)) if prose[index] else 0.0 if _neutral(line)
        else -FURNITURE_WEIGHT * max(len(line), FURNITURE_FLOOR)
        for index, line in enumerate(lines[:_comments_start(lines, prose)])])
    while best_end < len(lines) and not prose[best_end] and _neutral(lines[best_end]):
        best_end += 1  # a table or list that closes the article
    # "Tour dates:" announces a list (at the run's end, or just after it): its items follow, each of
    # one shape with a digit or a separator ("June 9 -- Arena, City"), two at least ("Tags:" and a
    # few plain words is not such a list)
    intro = best_end - 1 if lines[best_end - 1].rstrip().endswith(":") else best_end
    if intro < len(lines) - 2 and lines[intro].rstrip().endswith(":"):
        shape, end = _item_shape(lines[intro + 1]), intro + 1
        while shape != (False, None) and end < len(lines) and not prose[end] and _item_shape(lines[end]) == shape:
            end += 1
        if end - intro > 2:
            return best_start, end
        return best_start, best_end
    return best_start, _unannounced_list_end(lines, best_end)


def _repeated(lines: list[str], prose: list[bool]) -> list[bool]:
    """Which prose lines of ``REPEAT_MIN_CHARS`` or more repeat an earlier line word for word."""
    seen: set[str] = set()
    repeated = [False] * len(lines)
    for index, line in enumerate(lines):
        if prose[index] and len(line) >= REPEAT_MIN_CHARS:
            repeated[index] = line in seen
            seen.add(line)
    return repeated


def _unannounced_list_end(lines: list[str], end: int) -> int:
    """Where a list that closes the article without a colon to announce it ends (``end`` if none):
    ``MIN_LIST_ITEMS`` lines or more right after the run, or after a short heading ("Tour Dates",
    "Qualified teams"), that use the same separator ("June 9 – City @ Venue", "Q: ...", "England
    (Group A): 10th appearance") and average ``MIN_ITEM_WORDS`` words. Items may read as prose (an
    interview's answers). A menu's items seldom share a separator, and those that do are shorter
    ("iOS 13: Maps")."""
    for first in (end, end + 1):
        if first >= len(lines) or (first > end and len(lines[end].split()) > LIST_HEADING_WORDS):
            break
        separator = _item_shape(lines[first])[1]
        if separator is None:
            continue
        stop = first
        while stop < len(lines) and _item_shape(lines[stop])[1] == separator:
            stop += 1
        items = lines[first:stop]
        if len(items) >= MIN_LIST_ITEMS and sum(len(item.split()) for item in items) >= MIN_ITEM_WORDS * len(items):
            return stop
    return end


def best_run(scores: list[float]) -> tuple[int, int]:
    """``(start, end)`` of the run of items whose scores have the highest sum ((0, 0) if none is positive)."""
    best = run = 0.0
    start = best_start = best_end = 0
    for index, score in enumerate(scores):
        if run <= 0.0:
            run, start = score, index
        else:
            run += score
        if run > best:
            best, best_start, best_end = run, start, index + 1
    return best_start, best_end


def _prose_lines(lines: list[str]) -> list[bool]:
    """Which lines are prose. A sentence broken over lines (a line of ``WRAPPED_WORDS`` words or more
    that does not end one, then a line that opens in lower case: text wrapped at 70 characters, a
    <br> in every line) is judged whole, and each of its lines is what the whole is."""
    prose = [False] * len(lines)
    start = 0
    for index in range(len(lines)):
        last = index + 1 == len(lines)
        if (last or _SENTENCE_END.search(lines[index]) or not lines[index + 1][:1].islower()
                or len(lines[index].split()) < WRAPPED_WORDS):
            if index == start:
                prose[index] = is_prose(lines[index])
            else:
                whole = is_prose(" ".join(lines[start:index + 1]))
                prose[start:index + 1] = [whole] * (index + 1 - start)
            start = index + 1
    return prose


def _comments_start(lines: list[str], prose: list[bool]) -> int:
    """Where the readers' comments begin: the first comment-section heading ("12 Comments", "Join the
    conversation", or one that names the post: "34 responses to “...”") with ``COMMENTS_AFTER``
    characters of prose above it (a "Comments" button in the toolbar above the article has less),
    else the end. Nothing below it is the article: the
    comments are prose too, and often more of it."""
    seen = 0
    for index, line in enumerate(lines):
        if seen >= COMMENTS_AFTER and _COMMENTS_ON.match(line):
            return index
        if prose[index]:
            seen += len(line)
        elif seen >= COMMENTS_AFTER and _COMMENTS.match(line):
            return index
    return len(lines)


def _item_shape(line: str) -> tuple[bool, str | None]:
    """Whether a list item has a digit, and the first separator it uses."""
    separator = _SEPARATOR.search(line)
    return any(c.isdigit() for c in line), separator.group(0) if separator else None
