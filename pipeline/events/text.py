"""Sentence splitting and tokenising, tuned for cleaned news text (fast, regex only)."""
from __future__ import annotations

import functools
import re

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset("""
mr mrs ms dr prof sr jr st mt gen col lt capt sgt gov sen rep rev fr no vs etc inc corp co ltd
jan feb mar apr jun jul aug sep sept oct nov dec calif fla tex mass mich penn pa ill ariz colo
conn ga md minn va wash wis ore okla tenn ave blvd rd dept univ est approx
""".split())

# A full stop (or the danda, the Arabic question mark, the Urdu, Armenian and Ethiopic full stops),
# closing quotes, space, then what may open a sentence: A-Z, a digit, or a letter beyond ASCII,
# which _opens_sentence checks, as Python's re has no class for upper-case letters of every script.
# A match opens only where a run of stops does and takes the whole run at once: "......" without a
# space after it is one failed attempt, not one per stop, each running to the end of the run again.
_SENTENCE_END = re.compile(r"(?<![.!?…।॥؟۔։።])[.!?…।॥؟۔։።]++[\"'”’)\]»]*\s+(?=[\"'“‘(\[«„]?\s?(?P<first>[^\W_a-z]))")


def _opens_sentence(char: str) -> bool:
    """An upper-case letter (Latin, Cyrillic, Greek, ...), a digit, or a letter of a script without
    case (Devanagari, Arabic, Hebrew, ...): not a lower-case letter, nor the "_" that \\w admits."""
    return char.isupper() or char.isdigit() or (char.isalpha() and not char.islower())


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# Chinese and Japanese end sentences with full-width marks and no space after them.
_FULL_WIDTH_STOP = r"[。！？]+[」』”’）)]*"
_FULL_WIDTH_END = re.compile(_FULL_WIDTH_STOP)
_ENDS_FULL_WIDTH = re.compile(_FULL_WIDTH_STOP + "$")


def ends_full_width(sentence: str) -> bool:
    """Whether ``sentence`` ends as a Chinese or Japanese one does (。！？, then closing quotes)."""
    return _ENDS_FULL_WIDTH.search(sentence) is not None


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph, verbatim (no character is changed, only whitespace between them dropped)."""
    return list(_split_remembered(paragraph))


@functools.lru_cache(maxsize=4096)
def _split_remembered(paragraph: str) -> tuple[str, ...]:
    """split_sentences, remembered: the tagger, the keywords and the lead sentences each split an
    article's paragraphs, and the copies of an article in a stream share most of them."""
    if "。" in paragraph or "！" in paragraph or "？" in paragraph:
        pieces, start = [], 0
        for match in _FULL_WIDTH_END.finditer(paragraph):
            pieces.append(paragraph[start:match.end()])
            start = match.end()
        pieces.append(paragraph[start:])
        return tuple(s for piece in pieces for s in _split_latin(piece))
    return tuple(_split_latin(paragraph))


def _last_word(paragraph: str, start: int, end: int) -> str:
    """The letters before the full stops that end ``paragraph[start:end]`` ("Mr" of "... Mr."), ""
    when none come before them. Read backwards from the stop: a regex anchored at the end searched the
    whole sentence so far at every "Mr." or "U.", in time quadratic in a paragraph of them."""
    k = end
    while k > start and paragraph[k - 1] in ".!?…":
        k -= 1
    j = k
    while j > start and paragraph[j - 1].isalnum() and not paragraph[j - 1].isdecimal():  # [^\W\d_]
        j -= 1
    return paragraph[j:k]


def _split_latin(paragraph: str) -> list[str]:
    out: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        first = match.group("first")
        if not first.isascii() and not _opens_sentence(first):  # ASCII: the pattern let only A-Z, 0-9 through
            continue
        candidate = paragraph[start:match.end()]
        word = _last_word(paragraph, start, match.start() + 1)
        if word:
            # "Mr." / "Calif." / an initial like "W." / "U.S." do not end a sentence.
            if (word.lower() in _ABBREVIATIONS or len(word) == 1) and paragraph[match.start()] == ".":
                continue
        out.append(candidate.strip())
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        out.append(tail)
    return out


def sentences(text: str) -> list[str]:
    return [s for p in paragraphs(text) for s in split_sentences(p)]


# Initialisms ("U.S.", "U. S."), words (with inner apostrophes, hyphens, and a trailing period
# when they are a known abbreviation, checked by the caller), numbers, and single punctuation marks.
TOKEN_RE = re.compile(
    r"(?:[A-Z]\.\s?){2,}(?![a-z])"
    r"|[^\W\d_](?:[\w'’\-]*\w)?(?:[’']s\b)?\.?"
    r"|\d+(?:[.,:]\d+)*(?:st|nd|rd|th|s)?"
    r"|[^\w\s]"
)

WORD_RE = re.compile(r"[^\W\d_][\w'’\-]*")
# The words of WORD_RE longer than three characters, found without listing the short ones: a
# shorter word fails here at its first letter and at every later one (each leaves a shorter rest).
_LONG_WORD_RE = re.compile(r"[^\W\d_][\w'’\-]{3,}")


# A wire dateline that opens a story's first line: "HANOI, Vietnam (AP) —", "NEW YORK (Reuters) -",
# "BUFFALO, N.Y. —": a place in capitals, perhaps its region, then an agency in parentheses or a dash.
_DATELINE = re.compile(r"[A-Z][A-Z.'’-]{2,}(?: [A-Z][A-Z.'’-]+)*(?:, [A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,2})?"
                       r"(?: ?\([A-Za-z ]{2,30}\)(?: ?[—–-]+)?| ?[—–-]+) ?")


def is_titlecase_line(line: str) -> bool:
    """A headline-style line where most longer words are capitalised. A dateline's capitals do not
    count: "HANOI, Vietnam (AP) Officials warned on Monday." is a sentence, not a headline."""
    dateline = _DATELINE.match(line)
    words = _LONG_WORD_RE.findall(line, dateline.end() if dateline else 0)
    if len(words) < 3:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps / len(words) >= 0.75
