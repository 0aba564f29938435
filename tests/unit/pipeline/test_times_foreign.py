"""Publication times in forms the English readers missed: RFC 850's two-digit year, and month and
weekday names in other languages, as feeds and pages in those languages print them."""
from __future__ import annotations

import pytest

from pipeline.times import normalise_published


@pytest.mark.parametrize("value, expected", [
    ("Tuesday, 21-Mar-23 12:00:00 GMT", "2023-03-21T12:00:00Z"),      # RFC 850 (old HTTP servers, Usenet)
    ("Sunday, 06-Nov-94 08:49:37 GMT", "1994-11-06T08:49:37Z"),       # ... a year more than 50 ahead is last century's
    ("Di, 21 Mär 2023 10:00:00 +0100", "2023-03-21T09:00:00Z"),       # a German feed's RFC 2822
    ("Mittwoch, 5. Dezember 2018", "2018-12-05"),
    ("12. Juni 2024", "2024-06-12"),
    ("mer. 12 juin 2024 15:30", "2024-06-12T15:30:00Z"),
    ("mar. 12 juin 2024", "2024-06-12"),                              # "mar." is Tuesday here ...
    ("mar. 12, 2024", "2024-03-12"),                                  # ... and March here
    ("déc. 5, 2018", "2018-12-05"),
    ("mié, 5 abr 2023", "2023-04-05"),
    ("3 de marzo de 2024", "2024-03-03"),
    ("12 giugno 2024", "2024-06-12"),
    ("5 de outubro de 2023 14:00", "2023-10-05T14:00:00Z"),
    ("1 mei 2024", "2024-05-01"),
])
def test_dates_in_other_forms_and_languages_are_read(value, expected):
    assert normalise_published(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("Mon, 18 Nov 2019 10:00:00 GMT", "2019-11-18T10:00:00Z"),
    ("June 12, 2024 3:00 PM EDT", "2024-06-12T19:00:00Z"),
    ("Tue, 3 Sep 2024 10:00:00 +0000", "2024-09-03T10:00:00Z"),
])
def test_english_forms_read_as_before(value, expected):
    assert normalise_published(value) == expected


@pytest.mark.parametrize("value", ["mai 2024", "21 März", "21-Foo-23 12:00:00 GMT", "Marz 2024"])
def test_a_month_name_does_not_complete_a_date_that_names_no_day_or_year(value):
    assert normalise_published(value) is None
