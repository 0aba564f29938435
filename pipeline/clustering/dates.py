"""Calendar dates an article names, and the years it is about: for telling apart two events of
one kind ("March 20" against "December 3"). A year is never guessed: "March 20" is kept with year 0.
Dates are encoded ``y*10000+m*100+d`` (``d`` = 0 for a month-level date, ``m`` = ``d`` = 0 for a year).
"""
from __future__ import annotations

import re
from collections import Counter

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

_MONTH_RE = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_RANGE = r"(?:\s*(?:-|–|—|to|and|through|until)\s*(\d{1,2})(?:st|nd|rd|th)?)?"
_YEAR = r"(?:,?\s+((?:19|20)\d\d))?"
# "March 20", "March 20 to 22", "Dec. 20-21, 2022"
DATE_MD = re.compile(r"\b" + _MONTH_RE + r"\s+(\d{1,2})(?:st|nd|rd|th)?\b" + _RANGE + r"(?!\d)" + _YEAR)
# "20 March", "20-22 March 2023", "21st of December"
# (opens with \d: the engine scans for a digit instead of trying every position; "\d(?<!\w.)\d?" is
# "\b\d{1,2}": same matches)
DATE_DM = re.compile(r"(\d(?<!\w.)\d?)(?:st|nd|rd|th)?" + _RANGE + r"\s+(?:of\s+)?" + _MONTH_RE + r"\b" + _YEAR)
# "2013-05-12" (= r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b", opened with a character class as DATE_DM is)
DATE_ISO = re.compile(r"([12](?<!\w.)(?:(?<=1)9|(?<=2)0)\d\d)-(\d\d)-(\d\d)\b")
# "14 / 09 / 2013", "11/28/05" (day-first or month-first; both kept when ambiguous)
# (= r"(?<![\d/])(\d{1,2})\s*/...", opened with \d: the lookbehind follows the first digit)
DATE_NUM = re.compile(r"(\d(?<![\d/]\d)\d?)\s*/\s*(\d{1,2})\s*/\s*((?:19|20)\d\d|\d\d)(?![\d/])")
# "December 2008" (month-level only)
DATE_MY = re.compile(r"\b" + _MONTH_RE + r",?\s+((?:19|20)\d\d)\b")
# where a month word starts: where every MD and MY date starts
_MONTH_START = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)")
YEAR_RE = re.compile(r"(?:19[5-9]\d|20[0-4]\d)")
# "(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)", led by the literals 1 / 2 so the engine scans for them instead
# of trying the lookbehind at every position ("1(?<!\d1)" is "(?<!\d)1"): same matches, 6.3 -> 1.9 us
LEAD_YEAR_RE = re.compile(r"(1(?<!\d1)9[5-9]\d|2(?<!\d2)0[0-4]\d)(?!\d)")


def month_num(s: str) -> int:
    s = s.lower().rstrip(".")
    return MONTHS.get(s) or MONTHS.get(s[:3], 0)


def _matches_at(regex: re.Pattern, text: str, starts: list[int]):
    """The matches ``regex.finditer(text)`` gives, for a regex whose every match begins at one of
    ``starts`` (ascending): tried at each of them, skipping those inside the previous match."""
    end = 0
    for pos in starts:
        if pos >= end:
            m = regex.match(text, pos)
            if m:
                end = m.end()
                yield m


def extract_dates(text: str, hints: "DateHints | None" = None) -> list[int]:
    """Calendar dates named in ``text``. ``hints`` (from the token scan) only skip regexes that
    cannot match; the result is the same with or without them."""
    out: set[int] = set()
    if hints is not None and not (hints.month_near_number or hints.hyphen_number or "/" in text):
        return []
    text = text.lower()
    # every MD and MY date starts where a month word does: one scan finds those places, and the two
    # patterns are tried there only
    month_starts = ([m.start() for m in _MONTH_START.finditer(text)]
                    if hints is None or hints.month_near_number else [])
    has_month = bool(month_starts)
    try_iso = hints is None or hints.hyphen_number

    def add(y, m, d1, d2=None):
        if not (1 <= m <= 12):
            return
        y = int(y) if y else 0
        d1 = int(d1) if d1 else 0
        if d1 and not 1 <= d1 <= 31:
            return
        if d2:
            d2 = int(d2)
            if d1 < d2 <= 31 and d2 - d1 <= 7:
                for d in range(d1, d2 + 1):
                    out.add(y * 10000 + m * 100 + d)
                return
        out.add(y * 10000 + m * 100 + d1)

    for m in _matches_at(DATE_MD, text, month_starts):
        add(m.group(4), month_num(m.group(1)), m.group(2), m.group(3))
    for m in (DATE_DM.finditer(text) if has_month else ()):
        add(m.group(4), month_num(m.group(3)), m.group(1), m.group(2))
    for m in (DATE_ISO.finditer(text) if try_iso else ()):
        add(m.group(1), int(m.group(2)), m.group(3))
    for m in (DATE_NUM.finditer(text) if "/" in text else ()):
        a, b, y = int(m.group(1)), int(m.group(2)), m.group(3)
        y = int(y) if len(y) == 4 else 2000 + int(y)  # a two-digit year is stated, not guessed
        if a <= 12:
            add(y, a, b)
        if b <= 12 and a != b:
            add(y, b, a)
    for m in _matches_at(DATE_MY, text, month_starts):
        add(m.group(2), month_num(m.group(1)), 0)
    return sorted(out)


# Languages whose day-first dates ("5 décembre 2026") the event facts read (pipeline.events.dates);
# this module's patterns read English month names only.
DAY_FIRST_LANGUAGES = frozenset({"fr", "de", "es", "it", "pt", "nl"})
# ... and all the languages whose dates the facts read in their own words: also Russian, Ukrainian
# and Arabic ("12 июня 2024 года", "12 червня", "12 يونيو 2024") and the year-first Chinese, Japanese
# and Korean ("2024年6月12日")
FACT_DATE_LANGUAGES = DAY_FIRST_LANGUAGES | {"ru", "uk", "ar", "zh", "ja", "ko"}


def facts_dates(mentions: list) -> list[int]:
    """The event facts' date mentions in this module's encoding. A year the facts took from the
    publication date is dropped again: here a year is never guessed."""
    out = []
    for start, end, precision, _count, basis in mentions:
        if precision not in ("day", "day-no-year", "month"):
            continue
        for value in (start, end):
            if not value:
                continue
            year, _, rest = value.partition("-") if not value.startswith("--") else ("0", "", value[2:])
            parts = rest.split("-")
            try:
                y = 0 if basis == "published" else int(year)
                m, d = int(parts[0]), int(parts[1]) if len(parts) > 1 else 0
            except (ValueError, IndexError):
                continue
            if 1 <= m <= 12 and 0 <= d <= 31:
                out.append(y * 10000 + m * 100 + d)
    return out


class DateHints:
    """What the token scan already knows about dates, so extract_dates can skip regexes."""
    __slots__ = ("month_near_number", "hyphen_number")

    def __init__(self, month_near_number: bool, hyphen_number: bool):
        self.month_near_number = month_near_number  # a month word within 6 tokens of a number
        self.hyphen_number = hyphen_number  # a number token with a hyphen ("2013-05": ISO dates)



_MONTH_FORMS = frozenset(MONTHS)


def month_near_number(lows: list[str]) -> bool:
    """Whether a month word lies within 6 tokens of a number (every MD/DM/MY date has one).

    Month words are few in a text: each is found by list.index and only its 13-token window is
    looked at, rather than every token of the text."""
    for month in _MONTH_FORMS.intersection(lows):
        i = -1
        try:
            while True:
                i = lows.index(month, i + 1)
                if any(t[0].isdigit() for t in lows[max(i - 6, 0):i + 7]):
                    return True
        except ValueError:  # no further occurrence of this month word
            continue
    return False



def salient_years(title: str, body: str, years_all: Counter) -> list[int]:
    """Years named in the headline/lead (first ~4 lines), else the most frequent year; never guessed."""
    lead = (title or "") + "\n" + "\n".join((body or "").split("\n", 4)[:3])
    ly = {int(y) for y in LEAD_YEAR_RE.findall(lead)}
    if ly:
        return sorted(ly)
    if years_all:
        m = max(years_all.values())
        return sorted(int(y) for y, c in years_all.items() if c == m)
    return []

