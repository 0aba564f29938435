"""Where a page's own headline stands in its scraped text, found by the words of its address.

Most news addresses end in a slug made from the headline ("/michigan-officials-6th-fatality-linked-
to-eastern-equine-encephalitis-reported/"). In a whole page's text the headline is the first place
where most of those words come together; the article follows it. The longest run of prose on the
page is usually the article, but not always: a block of teasers with summaries, or a footer of legal
text, can outweigh a short report. The article never ends above its own headline, so a run that
does is looked for again below it (``page_text`` and ``glued_text``); nor does it start above it
(``page_text``), and a paywalled page's one paragraph right below it is enough prose to cut the
page to (``glued_text``). A text whose line breaks were lost has no line to take its title from:
the stretch of words the address names is the title (``headline_span``).
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
# how a line broken off inside a sentence ends, or opens: on an article or a conjunction ("... who in
# 2008, won the"), on a word all in lower case ("show Nigerian actress, ..."; "iPhone" and "eBay" open headlines)
BROKEN_OFF = r"(?i)\s(?:the|a|an|and|or|of)$|^(?-i:[a-z]+)\b(?![-.'’])"
_BROKEN_OFF = re.compile(BROKEN_OFF)


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
    reads as one headline (3 to 25 words, at most 200 characters, one sentence not ending as a statement,
    nor broken off as a line of a wrapped sentence is: "Veteran Nollywood actress, Kate Henshaw, who in
    2008, won the", "show Nigerian actress, Kate Henshaw, looking absolutely stunning in new")."""
    return (3 <= len(line.split()) <= MAX_HEADLINE_WORDS and len(line) <= 200 and not ends_as_statement(line)
            and not _SENTENCE_INSIDE.search(line) and _BROKEN_OFF.search(line) is None
            and headline_at([line], slug) is not None)


MAX_GAP = 3  # words of content the address does not name, in a row, that a headline may hold
MAX_TAIL_WORDS = 6  # words past the last one the address names that a headline may run on by
MAX_OPENING_WORDS = 2  # words above the first one the address names that a headline may open with ("The 10 best")
_OPENERS = frozenset(("The", "A", "An"))  # words no address keeps that may open a headline, as numbers may
_WEB_ADDRESS = re.compile(r"://|www\.")
_CLAUSE_END = re.compile(r"[,;][\]'\")”’»]*$")


def headline_span(words: Sequence[str], slug: frozenset[str], before: int) -> tuple[int, int] | None:
    """``(first, end)`` of the words that are the headline the address names, in a text whose line
    breaks were lost, or None. Words the slug names make a run while at most ``MAX_GAP`` words of
    content ("to", "a", "$17" and function words are none) stand between two of them; a run's
    headline is its stretch of fewest words of content that holds every slug word the run holds (a
    menu item or the lead beside it repeats some), with the words that carry it on past the last of them. Of the runs opening
    at or above word ``before`` (where the article starts), the first of those holding the most slug
    words whose stretch reads as a headline: enough slug words, at most ``MAX_HEADLINE_WORDS`` words,
    not ending as a statement or a clause does, nor holding a sentence's end, nor going on as a
    sentence does (the lead names the slug's words too). A teaser of the article above it carries the
    same headline; a copy of it inside a person's card below ("NoemSouth Dakota governor ...") may
    be cut short."""
    if not slug:
        return None
    need = max(MIN_SLUG_WORDS, MATCH_SHARE * len(slug))
    best: tuple[int, tuple[int, int]] | None = None  # (slug words held, span)
    run: list[tuple[int, set[str]]] = []
    gap = 0
    for index, word in enumerate(words[:before + MAX_HEADLINE_WORDS]):
        tokens = [token.lower() for token in _LETTERS.findall(word)]
        named = set() if _WEB_ADDRESS.search(word) else {token for token in tokens if token in slug}
        if named:
            if run and gap > MAX_GAP:
                best = _better(best, run, need, words)
                run = []
            if not run and index > before:
                break
            run.append((index, named))
            gap = 0
        elif any(token not in _NOT_HEADLINE for token in tokens):  # a word of content (_content)
            gap += 1
    best = _better(best, run, need, words) if run and run[0][0] <= before else best
    return None if best is None else best[1]


def _better(best: tuple[int, tuple[int, int]] | None, run: list[tuple[int, set[str]]], need: float,
            words: Sequence[str]) -> tuple[int, tuple[int, int]] | None:
    """``best`` or the headline of ``run``, whichever holds more slug words (``best`` on a tie)."""
    held = len(set().union(*(found for _, found in run)))
    if held < need or (best is not None and held <= best[0]):
        return best
    span = _headline_cover(run, words)
    if span is None:
        return best
    first, end = span
    # an address may stop short of its headline ("...-deals-on-apple" for "... Deals on Apple devices"):
    # the words that go on in lower case are the headline's too, up to a byline's "by"
    named_end = end
    while (end < len(words) and end - named_end < MAX_TAIL_WORDS and _goes_on(words[end])
           and not _ends_sentence(words[end - 1])):
        end += 1
    text = " ".join(words[first:end])
    if (end - first > MAX_HEADLINE_WORDS or ends_as_statement(text) or _CLAUSE_END.search(text)
            or _SENTENCE_INSIDE.search(text)):
        return best
    if end < len(words) and _goes_on(words[end]) and not _ends_sentence(words[end - 1]):
        return best  # a sentence that goes on: "Disney Co. executive Kevin Mayer said overwhelming ..."
    return held, (first, end)


def _goes_on(word: str) -> bool:
    """Whether ``word`` carries on the words before it: lower case, or no letters ("$17"), but no byline."""
    letter = _first_letter(word)
    return (letter.islower() or not letter) and word != "by"


def _headline_cover(run: list[tuple[int, set[str]]], words: Sequence[str]) -> tuple[int, int] | None:
    """``(first, end)`` of the stretch of ``run`` (word index, slug words in it) that holds every slug
    word the run holds in the fewest words of content, and opens as a headline does (:func:`_opening`).
    The first such on a tie: a headline given twice in a row, "H H", has a stretch as short across
    the seam when the seam's words are short ("... Lashes Out at US for No Longer ..."), and the
    headline comes before the lead that repeats it."""
    wanted = len(set().union(*(found for _, found in run)))
    counts: dict[str, int] = {}
    best: tuple[int, int, int] | None = None  # (words of content, first, end)
    low = 0
    for high, (_, found) in enumerate(run):
        for word in found:
            counts[word] = counts.get(word, 0) + 1
        while len(counts) == wanted:
            first, end = run[low][0], run[high][0] + 1
            opening = _opening(words, first)
            if opening is not None and end - opening <= MAX_HEADLINE_WORDS:
                size = sum(1 for word in words[opening:end] if _content(word))
                if best is None or size < best[0]:
                    best = (size, opening, end)
            for word in run[low][1]:
                counts[word] -= 1
                if not counts[word]:
                    del counts[word]
            low += 1
    return None if best is None else (best[1], best[2])


def _opening(words: Sequence[str], first: int) -> int | None:
    """Where a headline whose first slug word is ``words[first]`` opens: on the nearest word that opens
    with a capital or a number, that word or one of the ``MAX_OPENING_WORDS`` above it (a headline's
    first words may be too short for the address to keep), then over the articles and numbers above
    it ("The 10 best ..."); None when none of them opens so."""
    low = max(first - MAX_OPENING_WORDS, 0)
    opening = next((at for at in range(first, low - 1, -1) if _opens_with_capital(words[at])), None)
    while opening is not None and opening > low and (words[opening - 1] in _OPENERS or words[opening - 1][:1].isdigit()):
        opening -= 1
    return opening


def _content(word: str) -> bool:
    return any(token.lower() not in _NOT_HEADLINE for token in _LETTERS.findall(word))


def _ends_sentence(word: str) -> bool:
    return word.rstrip("\"'”’»)]")[-1:] in ("?", "!")


def _opens_with_capital(word: str) -> bool:
    """A capital opens a headline, and so does a number ("10 things ..."); a script without case any way."""
    letter = _first_letter(word)
    return word[:1].isdigit() or letter.isupper() or (letter != "" and not letter.islower())


def _first_letter(word: str) -> str:
    return next((char for char in word if char.isalpha()), "")
