"""Publication times as feeds, pages and people write them -> one ISO 8601 form in UTC.

The connectors send ISO 8601, but a raw article can come from anywhere (``serve-ingest``, a JSON
line, another scraper): RFC 2822 from RSS ("Mon, 18 Nov 2019 10:00:00 GMT"), "November 18, 2019",
"2019/11/18 10:00", "20191118T100000Z", epoch seconds. The cleaning stage normalises ``published`` once, so that every
later stage (date-bounded cleaning rules, event dates, the clustering window and time gate) reads
one format; a time it cannot read is dropped and flagged, never guessed.
"""
from __future__ import annotations

import re
import warnings
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
from email.utils import parsedate_to_datetime

from dateutil import parser as dateutil_parser

from schemas.timestamps import parse_timestamp  # fetched_at's stricter reading

# Field names under which exported rows (datasets, scrapers' output) carry a publication time
PUBLISHED_FIELDS = ("published", "date", "published_at", "pub_date", "pubDate", "published_date", "publish_date",
                    "publication_date", "date_publish", "datetime", "timestamp", "seendate", "time")

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EPOCH = re.compile(r"\d{9,10}(?:\.\d+)?|\d{13}")
# ISO 8601's basic form, as GDELT and many archives write it: "20191119", "20191119T120000Z",
# "20191119120000" (never 9, 10 or 13 digits, which are epoch times)
_ISO_BASIC = re.compile(r"((?:19|20)\d\d)(\d\d)(\d\d)(?:T?(\d\d)(\d\d)(\d\d)?Z?)?")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
# RFC 2822 as feeds write it, with a zone the email module knows (or none). Its parser is lenient
# beyond that form: given "June 12, 2024 3:00 PM EDT" it drops the PM and the zone and says 03:00,
# and it reads "BST" as no zone at all, so any other string goes to dateutil with the zone table.
_RFC2822 = re.compile(
    r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\s+\d{2,4}"
    r"\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s+(?:[+-]\d{4}|UTC?|GMT|Z|[ECMP][SD]T))?", re.IGNORECASE)
# RFC 850, the older HTTP and Usenet form, with a two-digit year: "Tuesday, 21-Mar-23 12:00:00 GMT"
_RFC850 = re.compile(r"(?:[A-Za-z]+,\s*)?(\d{1,2})-([A-Za-z]{3})-(\d{2})\s+(\d{1,2}):(\d{2}):(\d{2})(?:\s+(?:GMT|UTC|Z))?",
                     re.IGNORECASE)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Month names that feeds and pages in other languages print ("Di, 21 Mär 2023", "12 juin 2024",
# "3 de marzo de 2024"), German, French, Spanish, Italian, Portuguese and Dutch, full and short, read
# only when the value does not parse as it is
_FOREIGN_MONTHS = {name: _MONTHS[number - 1] for number, names in {
    1: "januar jänner janvier janv enero ene gennaio gen janeiro januari",
    2: "februar février févr fevrier fév febrero febbraio fevereiro fev februari",
    3: "märz mär mrz maerz mars marzo março maart mrt",
    4: "avril avr abril abr aprile",
    5: "mai mayo maggio mag maio mei",
    6: "juni juin junio giugno giu junho",
    7: "juli juillet juil julio luglio lug julho",
    8: "août aout agosto ago augustus",
    9: "sept septembre septiembre setiembre settembre set setembro",
    10: "oktober okt octobre octubre ottobre ott outubro out",
    11: "noviembre novembro",
    12: "dezember dez décembre déc decembre diciembre dic dicembre dezembro",
}.items() for name in names.split()}
_FOREIGN_MONTH = re.compile(r"(?<![^\W\d_])(" + "|".join(sorted(map(re.escape, _FOREIGN_MONTHS), key=len, reverse=True))
                            + r")\.?(?![^\W\d_])", re.IGNORECASE)
# a weekday (in any language) before the date: "Di,", "lun.", "Mittwoch,"
_ENGLISH_MONTH = re.compile(r"(?<![^\W\d_])(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*(?![^\W\d_])", re.IGNORECASE)
_LEADING_WORD = re.compile(r"^([^\W\d_]{2,12})(?:\.,?|,)\s*(?=\d)")
MIN_YEAR, MAX_YEAR = 1900, 2100
# dateutil fills a missing field from its default date: parsed against two defaults that differ in
# year, month and day, a value that names all three gives the same date both times
_DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 2, 2))
# zone names that news sites print after a time (dateutil knows only UTC and the local zone; it takes
# offsets in whole seconds). Where a name is ambiguous the reading of the larger news market is kept:
# CST is US Central (not China), IST India (not Ireland or Israel).
_ZONES = {name: round(hours * 3600) for name, hours in {
    "UTC": 0, "GMT": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
    "PST": -8, "PDT": -7, "AKST": -9, "AKDT": -8, "HST": -10, "ET": -5, "CT": -6, "MT": -7, "PT": -8,
    "BRT": -3, "ART": -3, "WET": 0, "WEST": 1, "BST": 1, "CET": 1, "CEST": 2, "MEZ": 1, "MESZ": 2,
    "WAT": 1, "CAT": 2, "SAST": 2, "EAT": 3, "EET": 2, "EEST": 3, "MSK": 3, "PKT": 5, "IST": 5.5,
    "NPT": 5.75, "ICT": 7, "WIB": 7, "HKT": 8, "SGT": 8, "PHT": 8, "AWST": 8, "JST": 9, "KST": 9,
    "ACST": 9.5, "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13}.items()}
# an IANA zone after the time ("2019-11-19T23:30:00 America/New_York"), which dateutil cannot read
_IANA_ZONE = re.compile(r"\s+\(?((?:Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific)"
                        r"/[A-Za-z_]+(?:/[A-Za-z_]+)?)\)?$")


def parse_published(value: object) -> tuple[datetime, bool] | None:
    """-> (an aware UTC datetime, whether the value named a time of day); None when unreadable.

    A time without a zone is read as UTC. Only whole dates are accepted: a value that names no
    year, month or day is unreadable rather than completed from some default."""
    if not isinstance(value, str) or not _FOREIGN_MONTH.search(value):
        return _parse(value)
    bare = _without_weekday(value.strip())
    english = _parse(_FOREIGN_MONTH.sub(lambda m: _FOREIGN_MONTHS[m.group(1).lower()].title(), bare))
    if bare != value.strip():  # a weekday in another language, so the month is in it too
        return english or _parse(value)
    return _parse(value) or english


def _without_weekday(s: str) -> str:
    """A leading word before the day is a weekday ("Di,", "mer.") and goes, unless it is the month
    (French "mar." is Tuesday in "mar. 12 juin 2024" and March in "mar. 12, 2024")."""
    m = _LEADING_WORD.match(s)
    if m is None:
        return s
    word, rest = m.group(1).lower(), s[m.end():]
    is_month = word in _FOREIGN_MONTHS or word[:3] in _MONTHS and _ENGLISH_MONTH.fullmatch(word) is not None
    return rest if not is_month or _FOREIGN_MONTH.search(rest) or _ENGLISH_MONTH.search(rest) else s


def _parse(value: object) -> tuple[datetime, bool] | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        v = float(value)
        # epoch milliseconds (JavaScript, Kafka record timestamps) as a number: seconds that large
        # would lie thousands of years ahead
        return _epoch(v / 1000.0 if abs(v) >= 1e11 else v)
    s = str(value).strip()
    if not s or len(s) > 100:
        return None
    if _ISO_DATE.match(s):
        got = _iso(s)
        if got is not None:
            return got
    basic = _ISO_BASIC.fullmatch(s)
    if basic is not None:
        parts = [int(p) for p in basic.groups(default="0")]
        try:
            return _checked(datetime(*parts), basic.group(4) is not None)
        except ValueError:
            return None
    if _EPOCH.fullmatch(s):
        v = float(s)
        return _epoch(v / 1000.0 if len(s) == 13 else v)
    if _RFC2822.fullmatch(s):
        try:
            return _checked(parsedate_to_datetime(s), True)
        except (TypeError, ValueError, IndexError):
            return None
    rfc850 = _RFC850.fullmatch(s)
    if rfc850 is not None:
        return _rfc850(rfc850)
    if not _YEAR.search(s):
        return None
    zone = _iana_zone(s)
    if zone is not None:
        s = s[:zone[1]]
    try:
        with warnings.catch_warnings():  # a zone name it does not know reads as UTC
            warnings.simplefilter("ignore")
            a, b = (dateutil_parser.parse(s, default=d, tzinfos=_ZONES, fuzzy=True) for d in _DEFAULTS)
    except (ValueError, OverflowError, TypeError):
        return None
    if a.date() != b.date():  # no year, month or day of its own ("Nov 2019", "March 5")
        return None
    if zone is not None and a.tzinfo is None:
        try:
            a = a.replace(tzinfo=zone[0])
        except (OverflowError, ValueError):
            return None
    return _checked(a, bool(_HAS_TIME.search(s)))


def _iana_zone(s: str) -> tuple[ZoneInfo, int] | None:
    """The IANA zone a value ends with and where its name starts; None without one, or for a name
    the zone database does not hold."""
    m = _IANA_ZONE.search(s)
    if m is None:
        return None
    try:
        return ZoneInfo(m.group(1)), m.start()
    except (ZoneInfoNotFoundError, ValueError):
        return None


# A site's clock or zone can slip by a day; a time further ahead of the moment the article is processed
# is a wrong one (a typo, a scheduled-post placeholder), and the clustering window, which advances
# with the newest time it has seen, must not jump ahead with it.
MAX_AHEAD_SECONDS = 2 * 86400


def in_future(value: str | None, now: float) -> bool:
    """Whether a time lies more than MAX_AHEAD_SECONDS after ``now`` (epoch seconds).

    A well-formed timestamp past MAX_YEAR ("2999-01-01T00:00:00Z") is in the future too: the
    publication-time reader refuses such years, and a fetched_at that far ahead used to pass."""
    got = parse_published(value)
    if got is None:
        instant = parse_timestamp(value)
        return instant is not None and instant.timestamp() > now + MAX_AHEAD_SECONDS
    return got[0].timestamp() > now + MAX_AHEAD_SECONDS


def normalise_published(value: object) -> str | None:
    """ISO 8601: "2019-11-18T10:00:00Z" when a time of day is given, "2019-11-18" for a date alone."""
    got = parse_published(value)
    if got is None:
        return None
    dt, has_time = got
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ") if has_time else dt.date().isoformat()


def _iso(s: str) -> tuple[datetime, bool] | None:
    try:
        if len(s) == 10:
            d = date.fromisoformat(s)
            return _checked(datetime(d.year, d.month, d.day), False)
        return _checked(datetime.fromisoformat(s[:-1] + "+00:00" if s.endswith(("Z", "z")) else s), True)
    except ValueError:
        return None


def _rfc850(m: re.Match) -> tuple[datetime, bool] | None:
    """A two-digit year is the latest such year no more than 50 years ahead (RFC 9110's rule)."""
    day, month, yy, hh, mm, ss = m.groups()
    if month.lower() not in _MONTHS:
        return None
    year = 2000 + int(yy)
    if year > datetime.now(timezone.utc).year + 50:
        year -= 100
    try:
        return _checked(datetime(year, _MONTHS.index(month.lower()) + 1, int(day), int(hh), int(mm), int(ss)), True)
    except ValueError:
        return None


def _epoch(v: float) -> tuple[datetime, bool] | None:
    try:
        return _checked(datetime.fromtimestamp(v, tz=timezone.utc), True)
    except (OverflowError, OSError, ValueError):
        return None


def _checked(dt: datetime, has_time: bool) -> tuple[datetime, bool] | None:
    try:
        dt = dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)
    except (OverflowError, ValueError):  # an offset of a day or more ("+25:00"), or past the calendar's ends
        return None
    if not MIN_YEAR <= dt.year <= MAX_YEAR:
        return None
    return dt, has_time
