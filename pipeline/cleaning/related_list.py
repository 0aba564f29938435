"""Site furniture that keeps the shape of article text: a closing list of other stories' headlines, and
a caption repeated under every photo.

Sites end an article with links to their other stories ("- 15 Amazing Images of Stars", "- Moon Rush:
Private Lunar Lander Plans") with no marker line above them, and a list item looks the same from the
HTML (trafilatura writes it "- ...") as from Markdown. What tells such a list from the article's own
(steps, a table of qualified teams, a product's features) is that each item is a headline: written in
title case, not a sentence, and no word shared by every item (a list of data repeats its column's word:
"Croatia (Group E): Sixth appearance"). A gallery's caption repeated under each of its photos is no
paragraph either: past the first, its copies go.
"""
from __future__ import annotations

import re
from collections import Counter

MIN_ITEMS = 3  # a list of fewer items is not taken for other stories' headlines
MAX_AFTER = 3  # lines below the list, at most (an editor's note, the site's sign-off)
TITLE_CASE_SHARE = 0.6  # words of four letters or more after the first that open with a capital
MIN_REPEATS = 5  # a caption seen this often ...
MIN_CAPTION_WORDS = 8  # ... of this many words, not ending as a sentence does, is kept once (a meal plan
# repeats its shorter steps, "Eat 60-90 minutes before your workout", six times, and its dishes three or four)

_BULLET = re.compile(r"^[-*•]\s+(.+)$")
_LONG_WORD = re.compile(r"[^\W\d_][\w'’-]{3,}")
_SENTENCE_END = re.compile(r"[.!?:;…][\"'”’)\]]*$")


def _headline_item(line: str) -> str | None:
    """The text of a bulleted line that reads as a headline: 3 to 20 words, in title case, not ending
    as a sentence does; else None."""
    found = _BULLET.match(line)
    if found is None:
        return None
    item = found.group(1).strip()
    words = item.split()
    if not 3 <= len(words) <= 20 or _SENTENCE_END.search(item):
        return None
    long_words = _LONG_WORD.findall(" ".join(words[1:]))
    if not long_words or sum(word[0].isupper() for word in long_words) < TITLE_CASE_SHARE * len(long_words):
        return None
    return item


def _shares_a_word(items: list[str]) -> bool:
    """Whether one word stands in every item, as a column's word does in a list of data."""
    counts = Counter(word for item in items for word in {w.lower() for w in _LONG_WORD.findall(item)})
    return any(count == len(items) for count in counts.values())


def drop_related_headlines(lines: list[str]) -> list[str]:
    """``lines`` without a closing list of other stories' headlines: ``MIN_ITEMS`` bulleted headlines in a
    row, below some of the article, with at most ``MAX_AFTER`` lines below them."""
    for end in range(len(lines), max(len(lines) - MAX_AFTER, 0) - 1, -1):
        start = end
        while start > 0 and _headline_item(lines[start - 1]) is not None:
            start -= 1
        items = [_headline_item(line) for line in lines[start:end]]
        if end - start >= MIN_ITEMS and start > 0 and not _shares_a_word(items):
            return lines[:start] + lines[end:]
    return lines


def drop_repeated_captions(lines: list[str]) -> list[str]:
    """``lines`` with a caption repeated ``MIN_REPEATS`` times or more kept once: a line of
    ``MIN_CAPTION_WORDS`` words or more, neither a list's item nor a table's row, that does not end as a
    sentence does (a question asked of each person interviewed ends in "?", and stays)."""
    counts = Counter(lines)
    repeated = {line for line, count in counts.items()
                if count >= MIN_REPEATS and len(line.split()) >= MIN_CAPTION_WORDS and line[:1] not in "-*•|"
                and not _SENTENCE_END.search(line)}
    if not repeated:
        return lines
    seen: set[str] = set()
    kept = []
    for line in lines:
        if line in repeated and line in seen:
            continue
        seen.add(line)
        kept.append(line)
    return kept
