"""Where a list of dated teasers for other stories starts, below an article in a page's visible text.

Many sites close an article with their latest stories, each as a headline, a date (and often a
byline) and a sentence of summary. The summaries are prose, so the run of prose that marks the
article (:mod:`.page_text`) runs on through them. What gives the list away is its rhythm: a line
that is nothing but a date or a time ("Tuesday November 19, 2019", "November 18, 2019 at 2:01 pm",
"32M ago") every few lines, with a headline at the same place above it in each block, about
something else than the article. A live blog has dated entries too, but they carry on the
article's story, and a timeline in an article puts its dates inside its sentences.
"""
from __future__ import annotations

import re

from .url_headline import ends_as_statement

MIN_BLOCKS = 3  # dated blocks in a row, at one spacing, that make a list
MAX_BLOCK_LINES = 5  # ... of at most this many lines each
MAX_SHARED = 1  # words of the article's lead that a teaser headline may share (the site's beat: "Wild")
LEAD_PARAGRAPHS = 3  # ... of the article's first paragraphs
LEAD_WORD_LETTERS = 5  # ... counting words of this many letters (most function words are shorter: "from")
MIN_PROSE_ABOVE = 400  # characters of the article's prose that must stay above the list

# a month's name or its abbreviation ("Sept.", "December"), also in the date patterns of .core
MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?"
_TIME = r"\d{1,2}(?::\d\d)?\s*(?:[ap]\.?m\.?)?(?:\s*[a-z]{2,4})?"
_DATE_LINE = re.compile(
    rf"(?i)\s*(?:{_WEEKDAY}\s+)?(?:{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+{MONTH}\s+\d{{4}}"
    rf"|\d{{4}}-\d\d-\d\d|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}})(?:\s*(?:at|,|-|–|·|\|)?\s*{_TIME})?\s*"
    r"|\s*\d{1,2}\s*(?:m|h|d|mins?|minutes?|hrs?|hours?|days?)\s+ago\s*")
_WORD = re.compile(r"\w+")


def is_date_line(line: str) -> bool:
    """A line that is a date or a time stamp and nothing else."""
    return len(line) <= 60 and _DATE_LINE.fullmatch(line) is not None


def teaser_list_start(lines: list[str], start: int, end: int, prose: list[bool]) -> int | None:
    """The index where a list of dated teasers starts inside the run ``lines[start:end]``, or None."""
    dates = [i for i in range(start + 1, end) if is_date_line(lines[i])]
    if len(dates) < MIN_BLOCKS:
        return None
    # the article's first paragraphs, above every date
    lead = content_words(" ".join([lines[i] for i in range(start, dates[0]) if prose[i]][:LEAD_PARAGRAPHS]),
                         LEAD_WORD_LETTERS)
    for first in range(len(dates) - MIN_BLOCKS + 1):
        gap = dates[first + 1] - dates[first]
        if not 2 <= gap <= MAX_BLOCK_LINES or any(
                dates[k + 1] - dates[k] != gap for k in range(first, first + MIN_BLOCKS - 1)):
            continue
        blocks = dates[first:first + MIN_BLOCKS]
        # the headline stands at one place above the date in every block: under it, a byline or the
        # summary ("Read More" may close a block, so the place is not told by the lines below)
        above = next((k for k in range(gap - 1, 0, -1)
                      if all(d - k > start and _teaser_headline(lines[d - k], lead) for d in blocks)), None)
        if above is None:
            continue
        head = blocks[0] - above
        if sum(len(lines[i]) for i in range(start, head) if prose[i]) >= MIN_PROSE_ABOVE:
            return head
    return None


def _teaser_headline(line: str, lead: set[str]) -> bool:
    """A headline of another story: a short line that does not end as a statement (a question may end
    it: "Did Pelosi Divert $2.4 Billion?") and shares at most ``MAX_SHARED`` words with the article's
    lead."""
    return 3 <= len(line.split()) <= 25 and not ends_as_statement(line) \
        and len(content_words(line, LEAD_WORD_LETTERS) & lead) <= MAX_SHARED


def content_words(text: str, letters: int) -> set[str]:
    """The words of ``text``, lower-cased, of ``letters`` letters or more, and every word beyond ASCII."""
    return {w for w in _WORD.findall(text.lower()) if len(w) >= letters or not w.isascii()}
