"""Timestamps that machines write, such as a raw article's ``fetched_at``: one strict reading and
one UTC form. Publication times, written by people and sites in many forms, are read by
:mod:`pipeline.times` instead."""
from __future__ import annotations

import re
from datetime import datetime, timezone

FIRST_YEAR = 1900  # as pipeline.times.MIN_YEAR

# A machine-written instant (fetched_at): RFC 3339's date and time, extended form only, with the
# seconds and the zone optional; no date alone, no week or ordinal dates, no other separators.
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}:?\d{2})?")
# the form normalise_timestamp writes, which the connectors write too: kept as given
_UTC_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z")


def parse_timestamp(value: object) -> datetime | None:
    """An RFC 3339 / ISO 8601 date and time -> an aware UTC datetime; None for anything else.

    Stricter than ``pipeline.times.parse_published``, for times that machines write
    (``fetched_at``): the extended form "2026-03-01T09:30:00Z", with "+02:00" or "+0200" offsets,
    a space for the "T", fractions of a second, or the seconds left out. A time without a zone is
    read as UTC, as ``published`` is. A date alone, "yesterday", epoch numbers, RFC 2822 and
    impossible dates ("2026-13-45") are None; so is a year before 1900, which no fetch can have
    (nor a publication time). A time ahead of now is no concern here: the cleaning drops it."""
    if not isinstance(value, str) or len(value) > 64:
        return None
    s = value.strip()
    if not _TIMESTAMP.fullmatch(s):
        return None
    if s[-1] in "Zz":
        s = s[:-1] + "+00:00"
    head, dot, tail = s.partition(".")
    if dot:  # datetime keeps microseconds: further digits (nanoseconds) are cut, never rounded up
        digits = len(tail) - len(tail.lstrip("0123456789"))
        s = head + "." + tail[:min(digits, 6)] + tail[digits:]
    try:
        dt = datetime.fromisoformat(s)
        dt = dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)
    except (ValueError, OverflowError):
        return None
    return dt if dt.year >= FIRST_YEAR else None


def normalise_timestamp(value: object) -> str | None:
    """RFC 3339 in UTC with a "Z" ("2026-03-01T07:30:00Z", fractions of a second kept), or None
    when :func:`parse_timestamp` cannot read the value. A value already in that form is returned
    as given, so what the connectors write passes unchanged."""
    dt = parse_timestamp(value)
    if dt is None:
        return None
    assert isinstance(value, str)
    if _UTC_TIMESTAMP.fullmatch(value):
        return value
    spec = "seconds" if not dt.microsecond else "milliseconds" if not dt.microsecond % 1000 else "microseconds"
    return dt.replace(tzinfo=None).isoformat(timespec=spec) + "Z"
