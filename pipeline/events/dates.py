"""Dates mentioned in news text, kept exactly as precise as the text is.

"March 20 to 22" is ``--03-20``..``--03-22`` (precision ``day-no-year``), "Dec. 7, 2009" is
``2009-12-07`` (``day``), "September 2010" is ``2010-09`` (``month``). A year is only ever one
the text gives, or, when the article has a publication date, the year that puts the day closest
to it (within 45 days; "on March 20" in an article published 2023-03-21 is 2023-03-20), which is
recorded as ``"year": "published"``. Weekdays ("on Tuesday") are not resolved.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from datetime import date

from ..times import parse_published
from .lexicon import MONTHS

_M = (r"(?P<{g}>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
      r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|JAN(?:UARY)?|FEB(?:RUARY)?|"
      r"MAR(?:CH)?|APR(?:IL)?|MAY|JUNE?|JULY?|AUG(?:UST)?|SEPT?(?:EMBER)?|OCT(?:OBER)?|NOV(?:EMBER)?|"
      r"DEC(?:EMBER)?)\.?")
_D = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?"
_SEP = r"\s*(?:-|–|—|to|and|through|until|till)\s*"
# a year of the text: since 1800, or an older one ("Jan. 1, 1700"), which _text_year tells from a count
_YEAR = r"(?:1\d|20)\d\d"
_Y = r"(?:,?\s+(?:of\s+)?(?P<y>" + _YEAR + r"))?"

# Each pattern opens with a lookahead for the first characters it can start with: re then tests one
# class at each position of the text before the word boundary and the alternatives (about twice as
# fast over a whole article), and what matches is unchanged.
_MONTH_DAY = re.compile(
    r"(?=[JFMASOND])\b" + _M.format(g="m1") + r"\s+" + _D.format(g="d1")
    + r"(?:" + _SEP + r"(?:" + _M.format(g="m2") + r"\s+)?" + _D.format(g="d2") + r")?" + _Y + r"\b(?![:.]\d)")
_DAY_MONTH = re.compile(
    r"(?=\d)\b" + _D.format(g="d1") + r"(?:" + _SEP + _D.format(g="d2") + r")?\s+(?:of\s+)?" + _M.format(g="m1")
    + _Y + r"\b")
_MONTH_YEAR = re.compile(r"(?=[JFMASOND])\b" + _M.format(g="m1") + r",?\s+(?P<y>" + _YEAR + r")\b")
_MONTH_ALONE = re.compile(r"(?=[isubfelm])\b(?:in|since|until|by|from|early|late|mid-?)\s+"
                          r"(?P<m1>January|February|March|April|June|July|August|September|October|November|December)"
                          r"\b(?!\s+\d)")
_ISO = re.compile(r"(?=[12])\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?!\d)")

ANCHOR_DAYS = 45

# "born" shortly before a date, in the same clause: a birth day, which is background in a report
# written years later (an obituary, a profile) and the news itself in one written days after it
_BORN_WORDS = {"en": "born", "fr": "née?", "de": "geboren", "es": "nacid[oa]", "it": "nat[oa]", "pt": "nascid[oa]",
               "nl": "geboren"}
_BORN_BEFORE = {lang: re.compile(r"\b[" + word[0] + word[0].upper() + "]" + word[1:] + r"\b[^.;:!?\n]{0,30}$")
                for lang, word in _BORN_WORDS.items()}  # "born" or "Born", never "BORN" nor "NATO"
BIRTH_BACKGROUND_YEARS = 2

# Month names of languages that write the day first ("5 décembre 2026", "5. Dezember 2026",
# "5 de diciembre de 2026"), each list in calendar order with "/" between spellings of one month.
# Read only in articles of that language, so that "Mars" or "Mai" in English stay what they are.
_FOREIGN_MONTHS = {
    "fr": "janvier février/fevrier mars avril mai juin juillet août/aout septembre octobre novembre décembre/decembre",
    "de": "januar/jänner februar märz/maerz april mai juni juli august september oktober november dezember",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre/setiembre octubre noviembre diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "pt": "janeiro fevereiro março/marco abril maio junho julho agosto setembro outubro novembro dezembro",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    # Russian: the genitive of a date ("12 июня 2024 года"), the nominative and the prepositional
    # ("в июне 2024 года")
    "ru": "января/январь/январе февраля/февраль/феврале марта/март/марте апреля/апрель/апреле мая/май/мае "
          "июня/июнь/июне июля/июль/июле августа/август/августе сентября/сентябрь/сентябре "
          "октября/октябрь/октябре ноября/ноябрь/ноябре декабря/декабрь/декабре",
    # Ukrainian: the genitive of a date ("12 червня 2024 року"), the nominative and the locative
    # ("у червні 2024 року")
    "uk": "січня/січень/січні лютого/лютий/лютому березня/березень/березні квітня/квітень/квітні "
          "травня/травень/травні червня/червень/червні липня/липень/липні серпня/серпень/серпні "
          "вересня/вересень/вересні жовтня/жовтень/жовтні листопада/листопад/листопаді "
          "грудня/грудень/грудні",
    # Arabic: the month names of Egypt and the Gulf ("12 يونيو 2024"), with their common spellings
    "ar": "يناير فبراير مارس أبريل/ابريل/إبريل مايو يونيو/يونيه يوليو/يوليه أغسطس/اغسطس سبتمبر "
          "أكتوبر/اكتوبر نوفمبر ديسمبر",
}
_FOREIGN_NUMBER = {lang: {spelling: n for n, month in enumerate(names.split(), start=1) for spelling in month.split("/")}
                   for lang, names in _FOREIGN_MONTHS.items()}
_FOREIGN_DATE = {
    lang: re.compile(
        r"\b(?:(?P<d1>[0-3]?\d)(?:\.|er|º|°)?\s+(?:de\s+)?)?(?P<m1>" + "|".join(sorted(names, key=len, reverse=True))
        + r")\b(?:,?\s+(?:de\s+|del\s+)?(?P<y>" + _YEAR + r")\b)?", re.IGNORECASE)
    for lang, names in _FOREIGN_NUMBER.items()}
# Chinese, Japanese and Korean write a date year first, in numbers: "2024年6月12日", "6月12日",
# "2024年6月"; Korean "2024년 6월 12일". A month alone ("6月") or a day alone ("12日午後") is not read.
YEAR_FIRST_LANGUAGES = frozenset({"zh", "ja", "ko"})
_YEAR_FIRST_DATE = re.compile(r"(?<![0-9])(?:(?P<y>(?:1[0-9]|20)[0-9][0-9])\s*[年년]\s*)?(?P<m1>1[0-2]|0?[1-9])\s*[月월]"
                              r"\s*(?:(?P<d1>3[01]|[12][0-9]|0?[1-9])\s*[日일号號])?")
# digits other scripts write, as ASCII: full-width ("２０２４年"), Arabic-Indic ("١٢ يونيو ٢٠٢٤") and
# Persian; one character for one, so the spans found in the translated text are the text's
_DIGITS = {**{0xFF10 + i: 0x30 + i for i in range(10)}, **{0x0660 + i: 0x30 + i for i in range(10)},
           **{0x06F0 + i: 0x30 + i for i in range(10)}}


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")[:4 if name.lower().startswith("sept") else 3]] \
        if name.lower().rstrip(".") not in MONTHS else MONTHS[name.lower().rstrip(".")]


def _valid(m: int, d: int, y: int | None = None) -> bool:
    try:
        date(y or 2000, m, d)
        return True
    except ValueError:
        return False


def _fmt(m: int, d: int | None, y: int | None) -> str:
    if d is None:
        return f"{y:04d}-{m:02d}" if y else f"--{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}" if y else f"--{m:02d}-{d:02d}"


def published_day(value: str | None) -> date | None:
    """The UTC day of a publication time (pipeline.times reads it), None when there is none."""
    got = parse_published(value)
    return None if got is None else got[0].date()


_LOWER_WORD_NEXT = re.compile(r"\s+[a-z]")
_OLDEST_PLAIN_YEAR = 1800


def _text_year(mt: re.Match, text: str) -> tuple[int | None, bool]:
    """(the year a date match gives, whether a publication date may supply one). A number before 1800
    that a lower-case word follows is a count, not a year ("On Jan. 1, 1200 troops crossed"): the
    day has no year then, and none from the publication date either ("born Jan. 1, 1700 in ...")."""
    if not mt["y"]:
        return None, True
    year = int(mt["y"])
    if year < _OLDEST_PLAIN_YEAR and _LOWER_WORD_NEXT.match(text, mt.end("y")):
        return None, False
    return year, True


def _anchor(m: int, d: int, published: date | None) -> int | None:
    if published is None:
        return None
    best = None
    for y in (published.year - 1, published.year, published.year + 1):
        if not _valid(m, d, y):
            continue
        gap = abs((date(y, m, d) - published).days)
        if gap <= ANCHOR_DAYS and (best is None or gap < best[0]):
            best = (gap, y)
    return best[1] if best else None


class _Spans:
    """The spans of text already read as dates: disjoint, kept in order, so that whether a new one
    overlaps them is one binary search (a list scanned for each match made a text of thousands of
    dates take quadratic time)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, span: tuple[int, int]) -> bool:
        k = bisect.bisect_left(self.starts, span[1])  # the spans before k start before this one ends
        return k > 0 and self.ends[k - 1] > span[0]

    def append(self, span: tuple[int, int]) -> None:
        k = bisect.bisect_left(self.starts, span[0])
        self.starts.insert(k, span[0])
        self.ends.insert(k, span[1])


def mentions(text: str, published: str | None = None, limit: int = 16, language: str | None = None) -> list[list]:
    """Date mentions as ``[start, end_or_None, precision, count, year_basis]`` (most frequent first).

    ``year_basis`` is "text" when the text gives the year, "published" when the year was taken
    from the publication date, and None when there is no year. ``language`` adds the day-first
    dates of French, German, Spanish, Italian, Portuguese, Dutch, Russian, Ukrainian or Arabic text, and the
    year-first dates of Chinese, Japanese or Korean text.
    """
    pub = published_day(published)
    found: Counter = Counter()
    births: Counter = Counter()  # the part of each count that follows "born"
    taken = _Spans()
    overlaps = taken.overlaps
    born_before = [_BORN_BEFORE[lang] for lang in dict.fromkeys(("en", language)) if lang in _BORN_BEFORE]

    def born(start: int) -> bool:
        return any(rx.search(text, max(0, start - 40), start) for rx in born_before)

    def add_day(m1: int, d1: int, m2: int | None, d2: int | None, y: int | None, anchor: bool = True,
                birth: bool = False) -> None:
        if not _valid(m1, d1, y):
            return
        if d2 is not None:
            m2 = m2 or m1
            wraps = m1 == 12 and m2 == 1
            if not _valid(m2, d2, y) or ((m2, d2) <= (m1, d1) and not wraps) or (m2 - m1) % 12 > 1:
                d2 = m2 = None
        basis = "text" if y else None
        if y is None and anchor:
            y = _anchor(m1, d1, pub)
            basis = "published" if y else None
        # a range into the next year: the text's year follows the range, so it is the end's ("Dec. 30
        # to Jan. 2, 2024" starts in 2023); the publication date anchored the start
        wrap = 1 if d2 is not None and m2 < m1 else 0
        y1 = y - wrap if y and basis == "text" else y
        start = _fmt(m1, d1, y1)
        end = _fmt(m2, d2, y1 + wrap if y1 else None) if d2 is not None else None
        key = (start, end, "day" if y else "day-no-year", basis)
        found[key] += 1
        births[key] += birth

    for rx in (_ISO,):
        for mt in rx.finditer(text):
            y, m, d = int(mt["y"]), int(mt["m"]), int(mt["d"])
            if 1 <= m <= 12 and _valid(m, d, y):
                found[(_fmt(m, d, y), None, "day", "text")] += 1
                taken.append(mt.span())
    # before the English patterns, which would take "November 2026" out of "5. November 2026"
    foreign = _FOREIGN_DATE.get(language or "")
    year_first = language in YEAR_FIRST_LANGUAGES
    digits = text.translate(_DIGITS) if foreign is not None or year_first else text
    for mt in foreign.finditer(digits) if foreign is not None else ():
        if overlaps(mt.span()) or not (mt["d1"] or mt["y"]):  # a month alone says too little
            continue
        taken.append(mt.span())
        month, (year, anchor) = _FOREIGN_NUMBER[language][mt["m1"].lower()], _text_year(mt, digits)
        if mt["d1"]:
            add_day(month, int(mt["d1"]), None, None, year, anchor, born(mt.start()))
        elif year:
            found[(_fmt(month, None, year), None, "month", "text")] += 1
            births[(_fmt(month, None, year), None, "month", "text")] += born(mt.start())
    for mt in _YEAR_FIRST_DATE.finditer(digits) if year_first else ():
        if overlaps(mt.span()) or not (mt["d1"] or mt["y"]):
            continue
        taken.append(mt.span())
        month, year = int(mt["m1"]), int(mt["y"]) if mt["y"] else None
        if mt["d1"]:
            add_day(month, int(mt["d1"]), None, None, year)
        else:
            found[(_fmt(month, None, year), None, "month", "text")] += 1
    for mt in _MONTH_DAY.finditer(text):
        if overlaps(mt.span()) or mt["m1"] == "May" and not mt["y"] and not mt["d1"]:
            continue
        taken.append(mt.span())
        add_day(_month(mt["m1"]), int(mt["d1"]), _month(mt["m2"]) if mt["m2"] else None,
                int(mt["d2"]) if mt["d2"] else None, *_text_year(mt, text), born(mt.start()))
    for mt in _DAY_MONTH.finditer(text):
        if overlaps(mt.span()):
            continue
        taken.append(mt.span())
        add_day(_month(mt["m1"]), int(mt["d1"]), None, int(mt["d2"]) if mt["d2"] else None, *_text_year(mt, text),
                born(mt.start()))
    for mt in _MONTH_YEAR.finditer(text):
        if overlaps(mt.span()) or _text_year(mt, text)[0] is None:  # "in September 1500 people"
            continue
        taken.append(mt.span())
        key = (_fmt(_month(mt["m1"]), None, int(mt["y"])), None, "month", "text")
        found[key] += 1
        births[key] += born(mt.start())
    for mt in _MONTH_ALONE.finditer(text):
        if overlaps(mt.span()):
            continue
        found[(_fmt(_month(mt["m1"]), None, None), None, "month-no-year", None)] += 1
    _drop_old_births(found, births, pub)
    return [[s, e, p, n, b] for (s, e, p, b), n in found.most_common(limit)]


def _drop_old_births(found: Counter, births: Counter, pub: date | None) -> None:
    """Leave out birth days that lie BIRTH_BACKGROUND_YEARS or more before the text's latest year (its
    publication year or a year it names otherwise): "born on Aug. 3, 1926" in an obituary. A birth day
    without a year, or near the text's own dates, stays: the news of a birth."""
    if not +births:
        return
    years = [int(key[0][:4]) for key, n in found.items() if key[0][0] != "-" and n > births[key]]
    latest = max(years + ([pub.year] if pub else []), default=None)
    for key, n in births.items():
        if n and key[0][0] != "-" and latest is not None and latest - int(key[0][:4]) >= BIRTH_BACKGROUND_YEARS:
            found[key] -= n
            if found[key] <= 0:
                del found[key]
