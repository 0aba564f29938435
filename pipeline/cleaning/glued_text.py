"""The article inside a whole page's text whose line breaks were lost.

A scraper that joins a page's text nodes with spaces (BeautifulSoup's ``get_text(" ", strip=True)``,
or a page whose HTML was minified) leaves no lines to judge: the menu runs into the headline and the
headline into the first sentence, the footer follows the last. What still tells prose from site
furniture is the case of the words: in running text most words begin in lower case and sentences
end every few dozen words, while menus, teaser headlines, footer links and share buttons are runs of
capitalised words without a full stop. Each word is judged by the words around it, and the article is
the maximum-sum run of words, prose counted for and the rest twice against, as ``page_text`` does
with lines.

It cuts only when the run leaves furniture on both sides, or much of it above (a footer of legal text
reads as prose): an article's own text given as one paragraph rarely has any above its first sentence. Scripts without letter case (Chinese, Japanese,
Korean, Thai, Arabic ...) carry no such signal; there prose is what ends a sentence soon (a menu's items and
teaser headlines end none). Measured in docs/cleaning.md.
"""
from __future__ import annotations

import re

import numpy as np

from .page_text import best_run
from .url_headline import headline_at, headline_span, slug_words

GLUED_LINE = 1000  # a line this long holds more than one paragraph's worth ...
GLUED_SHARE = 0.3  # ... and a text with this share of its characters in such lines has lost its breaks
MIN_WORDS = 150  # a shorter text is not taken for a whole page
MIN_CASED_SHARE = 0.3  # ... nor one in which fewer words than this have a letter case
HALF_WINDOW = 6  # a word is judged by this many cased words on each side
PROSE_SHARE = 0.5  # ... of which at least this share must begin in lower case
SENTENCE_REACH = 40  # ... with a sentence end among this many words on each side
FURNITURE_WEIGHT = 2.0  # a word of furniture counts against the run by twice its length
MIN_FURNITURE = 100  # characters of furniture that must lie above the run and below it ...
HEAD_ONLY = 600  # ... or this many above it alone: a page whose footer reads as prose (legal text, a cookie notice)
MIN_PROSE = 400  # ... and characters of prose in it: scores and listings without prose stay whole
# ... or this many, when the run opens within HEADLINE_REACH words below the headline the page's address
# names: a paywalled page shows only its first paragraph, and the rest is the site around it
MIN_PROSE_UNDER_HEADLINE = 200
HEADLINE_REACH = 100
HEADLINE_START_REACH = 30  # words into the run within which its headline, when the address names one, starts it

CASELESS_MIN_CHARS = 1000  # a text in a script without case this short is not taken for a whole page
CASELESS_SENTENCE = 250  # ... and a word of it is prose when the sentence it stands in is at most this long
COMMENTS_AFTER = 500  # characters of the run's prose above a marker of comments or a footer that make it one
REPEAT_WORDS = 8  # prose words in a run of this many that repeats an earlier one count for nothing

_WORD = re.compile(r"\S+")
# where the article is over, inline: the readers' comments begin ("22 comments", "Leave a Reply",
# "Comments are closed", "12 thoughts on “Title”", "You must be logged in to post a comment"), or the
# site's copyright notice ("© 2019 Associated Press", "Copyright 2019 Hawaii News Now")
_ARTICLE_OVER = re.compile(
    r"(?i)(?<!\w)(?:\d+\s+(?:comments?|responses|replies)(?!\w)|comments are closed|"
    r"\d+\s+thoughts\s+on\s+[\"“„«'‘]|you must (?:be logged|log) in to post a comment|leave a (?:comment|reply)|"
    r"join the (?:conversation|discussion)|"
    r"lascia un commento|deixe (?:um|seu) comentário|deja (?:un|tu) comentario|laisser un commentaire|"
    r"(?:\d+\s+)?(?:kommentare|commentaires|comentarios|commenti|comentários|reacties)(?!\w)|"
    r"(?-i:©\s*(?:19|20)\d\d|Copyright (?:©\s*)?(?:19|20)\d\d)(?!\d))")
_CLOSERS = "\"'”’»)]」』"  # what may follow a sentence's last mark
_ENDS = frozenset(".!?…。！？")
# a sentence's end in a script without case; a teaser cut short ("아..", "…") ends none
_SENTENCE_END = re.compile(r"(?<![.…])[.!?。！？](?![.…])[\"'”’»)\]」』]*(?=\s|$)|[。！？]")
# a byline (and its date) that opens the article: "By Jeff Foust — November 18, 2019", "Chris Davies - Nov 19,
# 2019, 10:31 pm CST 0", "Charlie Wood, Business Insider 19.11.2019, 08:57 facebook linkedin twitter email print"
_NAME = r"(?-i:[A-Z][\w'’-]+(?:\s[A-Z]\.)?(?:\s(?:[A-Z][\w'’-]+|de|van|von|da)){0,3})"
_MONTH_NAME = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = (rf"(?:(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:{_MONTH_NAME}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
         rf"|\d{{1,2}}\s+{_MONTH_NAME}\s+\d{{4}}|\d{{4}}-\d\d-\d\d|\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}))")
_TIME = r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?(?:\s+(?-i:[A-Z]{2,4}\b))?)"
_OPENING_BYLINE = re.compile(
    rf"(?i)(?:by\s+)?{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*(?:\s+@\w+)?\s*(?:[-–—|,]|\bon\b)?\s*{_DATE}{_TIME}?"
    r"(?:\s*\d+\s+(?:day|hour|minute)s?\s+ago)?(?:\s+0(?=\s))?"
    r"(?:\s+(?:facebook|linkedin|twitter|email|print|share|whatsapp))*(?:\s*•\s*\d+\s+min\s+read)?\s+(?=\S)")


def _case(word: str) -> int:
    """1 for a word that begins in lower case, 0 in upper case, -1 without a cased letter first."""
    for char in word:
        if char.isalpha():
            return 1 if char.islower() else 0 if char.isupper() else -1
    return -1


def _prose_words(words: list[str]) -> np.ndarray | None:
    """Which words stand in running text: among the ``HALF_WINDOW`` cased words on each side, at least
    ``PROSE_SHARE`` begin in lower case, and a sentence ends within ``SENTENCE_REACH`` words. None for
    text in which too few words have a letter case to tell."""
    n = len(words)
    case = np.fromiter((_case(w) for w in words), dtype=np.int8, count=n)
    cased = np.flatnonzero(case >= 0)
    if len(cased) < MIN_CASED_SHARE * n:
        return None
    lower_before = np.concatenate(([0], np.cumsum(case[cased])))  # lower-case words among the first k cased
    position = np.searchsorted(cased, np.arange(n))  # cased words before each word
    low = np.clip(position - HALF_WINDOW, 0, len(cased))
    high = np.clip(position + HALF_WINDOW, 0, len(cased))
    share = (lower_before[high] - lower_before[low]) / np.maximum(high - low, 1)
    ends = np.concatenate(([0], np.cumsum([w.rstrip(_CLOSERS)[-1:] in _ENDS for w in words])))
    index = np.arange(n)
    near_end = ends[np.minimum(index + SENTENCE_REACH, n)] > ends[np.maximum(index - SENTENCE_REACH, 0)]
    return (share >= PROSE_SHARE) & near_end


def _caseless(text: str) -> bool:
    """Whether most of ``text``'s letters are of a script without letter case (Chinese, Japanese, Korean ...)."""
    letters = [char for char in text[:5000] if char.isalpha()]
    return bool(letters) and sum(not (char.islower() or char.isupper()) for char in letters) > 0.5 * len(letters)


def _caseless_prose(text: str, spans: list[tuple[int, int]]) -> np.ndarray:
    """Which words of a text in a script without case stand in running text: the sentence around the word,
    from the last sentence end before it to the next, is at most ``CASELESS_SENTENCE`` characters long. A
    menu's items and teaser headlines end none, and the sentence they run into is long."""
    ends = np.array([0, *(m.end() for m in _SENTENCE_END.finditer(text)), np.iinfo(np.int32).max], dtype=np.int64)
    starts = np.fromiter((a for a, _ in spans), dtype=np.int64, count=len(spans))
    following = np.searchsorted(ends, starts, side="right")
    return ends[following] - ends[following - 1] <= CASELESS_SENTENCE


def _repeated(words: list[str]) -> np.ndarray:
    """Which words belong to a run of ``REPEAT_WORDS`` words that appeared, word for word, earlier."""
    repeated = np.zeros(len(words), dtype=bool)
    seen: set[tuple[str, ...]] = set()
    for index in range(len(words) - REPEAT_WORDS + 1):
        shingle = tuple(words[index:index + REPEAT_WORDS])
        if shingle in seen:
            repeated[index:index + REPEAT_WORDS] = True
        else:
            seen.add(shingle)
    return repeated


def glued_article(text: str, url: str | None = None) -> str | None:
    """The article's span of ``text`` when it reads as a whole page run together, else None. ``url``,
    the page's address, helps find the article when its words name the headline (a block of teasers
    with summaries above the report can outweigh it: :mod:`.url_headline`)."""
    found = glued_page(text, url)
    return None if found is None else found[0]


def glued_page(text: str, url: str | None = None) -> tuple[str, str | None] | None:
    """The article of :func:`glued_article` and its headline: the words above it (or opening it) that
    the address names (:func:`.url_headline.headline_span`; None when it names none), which then do
    not open the article."""
    if sum(len(line) for line in text.split("\n") if len(line) >= GLUED_LINE) < GLUED_SHARE * len(text):
        return None
    spans = [m.span() for m in _WORD.finditer(text)]
    words = [text[a:b] for a, b in spans]
    if _caseless(text):
        if len(text) < CASELESS_MIN_CHARS:
            return None
        prose = _caseless_prose(text, spans)
    elif len(spans) < MIN_WORDS:
        return None
    else:
        prose = _prose_words(words)
    if prose is None:
        return None
    length = np.fromiter((b - a + 1 for a, b in spans), dtype=float, count=len(spans))
    # prose that repeats earlier words (a page that carries its article twice) adds nothing to the run
    scores = np.where(prose, np.where(_repeated(words), 0.0, length), -FURNITURE_WEIGHT * length)
    start, end = best_run(scores.tolist())
    min_prose = MIN_PROSE
    slug = slug_words(url)
    if slug:
        window = 2 * len(slug) + 5
        headline = headline_at(words, slug, window=window)
        if headline is not None and end <= headline:  # a run that ends above the headline: look below it
            low, high = best_run(scores[headline:].tolist())
            if length[headline + low:headline + high][prose[headline + low:headline + high]].sum() >= MIN_PROSE:
                start, end = headline + low, headline + high
        if headline is not None and headline <= start <= headline + window + HEADLINE_REACH:
            min_prose = MIN_PROSE_UNDER_HEADLINE
    if start > 0 and _case(text[slice(*spans[start])]) == 1 and _case(text[slice(*spans[start - 1])]) == 0:
        start -= 1  # a run that opens in lower case lost its sentence's first word ("The") to the menu's window
    furniture = np.where(prose, 0.0, length)
    if (length[start:end] - furniture[start:end]).sum() < min_prose:
        return None
    above, below = furniture[:start].sum(), furniture[end:].sum()
    headline = headline_span(words, slug, min(start + HEADLINE_START_REACH, end - 1)) if slug else None
    if headline is not None and start < headline[0]:
        # the run opens a little above the headline its address names: what stands above the headline is
        # the site's ("Der Artikel wurde versandt."), however it reads
        start, above = headline[0], length[:headline[0]].sum()
    elif slug:  # ... else the headline at or above the run's start, found by a search that stops there: seen
        # further, a run of slug words that goes on into the lead was taken for one (latimes.com)
        headline = headline_span(words, slug, start)
    end = _article_over(text, spans, length - furniture, start, end)
    below = max(below, length[end:].sum())  # the comments or the legal text past the marker are the site's
    if above < MIN_FURNITURE or (below < MIN_FURNITURE and above < HEAD_ONLY):
        return None
    title = None
    if headline is not None:
        title = text[spans[headline[0]][0]:spans[headline[1] - 1][1]].rstrip(":")
        if headline[0] <= start < headline[1] < end:  # the run opens inside its headline
            start = headline[1]
    start_at, end_at = spans[start][0], spans[end - 1][1]
    byline = _OPENING_BYLINE.match(text, start_at, end_at)
    if byline is not None:  # the brief opens on the article's first sentence, not on its writer and date
        start_at = byline.end()
    return text[start_at:end_at].rstrip(), title


def _article_over(text: str, spans: list[tuple[int, int]], prose_length: np.ndarray, start: int, end: int) -> int:
    """Where the run from word ``start`` to ``end`` really ends: at the first marker of readers' comments or
    of the site's copyright below ``COMMENTS_AFTER`` characters of the run's prose (both read as prose)."""
    prose_before = np.concatenate(([0.0], np.cumsum(prose_length)))
    starts = np.fromiter((a for a, _ in spans), dtype=np.int64, count=len(spans))
    for marker in _ARTICLE_OVER.finditer(text, spans[start][0], spans[end - 1][1]):
        word = int(np.searchsorted(starts, marker.start()))
        if prose_before[word] - prose_before[start] >= COMMENTS_AFTER:
            return word
    return end
