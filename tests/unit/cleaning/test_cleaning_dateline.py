"""A dateline at the top of a text article leaves the body but is kept aside for its date."""
from __future__ import annotations

import pytest

from pipeline.cleaning import clean
from schemas.models import RawArticle

BODY = [
    "The harbour authority closed the northern pier on Monday after a storm surge damaged two cranes.",
    "Engineers expect repairs to take at least three weeks, the authority's director told reporters.",
    "Shipping companies said they would divert container traffic to the southern terminal meanwhile.",
]


def _clean(*lines: str):
    return clean(RawArticle(id="a1", source="test", title="Storm closes northern pier", text="\n".join(lines)))


@pytest.mark.parametrize("dateline", [
    "Published: July 29, 2004",
    "Updated 14/09/2013 13:26",
    "Monday 16 September 2013 Last updated at 12:42 GMT",
    "2013-09-16",
])
def test_dateline_leaves_the_body_and_is_kept(dateline):
    art = _clean(dateline, *BODY)
    assert dateline not in art.text
    assert art.dateline == dateline
    assert BODY[0] in art.text and BODY[2] in art.text
    assert art.to_dict()["dateline"] == dateline


def test_no_dateline_when_none_was_removed():
    art = _clean(*BODY)
    assert art.dateline is None
    # a sentence that names a date is content, not a dateline
    art = _clean("The pier reopened on July 29, 2004, after the last storm of that kind.", *BODY)
    assert art.dateline is None and "July 29, 2004" in art.text


def test_a_removed_line_without_a_date_is_no_dateline():
    art = _clean("Share this article", *BODY)
    assert "Share this article" not in art.text
    assert art.dateline is None


@pytest.mark.parametrize("dateline", [
    "May 3rd, 2013 2:00pm EDT",  # an ordinal day (ECB+ dev: 9 texts kept such a line as a paragraph)
    "on September 10th, 2010",
    "By Louis Jacobson on Monday, November 18th, 2019 at 11:04 a.m.",  # ending in "a.m."
])
def test_a_dateline_with_an_ordinal_day_or_ending_in_am_is_a_dateline(dateline):
    art = _clean(dateline, *BODY)
    assert dateline not in art.text
    assert art.dateline == dateline
    assert art.text.startswith(BODY[0])


@pytest.mark.parametrize("byline", [
    ["Tom Davies", "Associated Press"],
    ["Lisa Kaczke and Trevor J. Mitchell", "Sioux Falls Argus Leader"],
    ["Kevin Johnson and Kevin McCoy", "USA TODAY"],
])
def test_a_brief_does_not_open_on_its_bylines_names(byline):
    # the USA TODAY network's layout as visible text: names, outlet, date, then the report
    art = clean(RawArticle(id="b1", source="test", text="\n".join([
        "Teachers pack the Statehouse", *byline, "Published 11:34 PM EST Nov 19, 2019",
        "Indianapolis - Thousands of teachers rallied at the Statehouse on Tuesday for higher pay."])))
    assert art.title == "Teachers pack the Statehouse"
    assert art.text.startswith("Indianapolis - Thousands of teachers")
    assert byline[0] not in art.text
    assert art.dateline == "Published 11:34 PM EST Nov 19, 2019"


@pytest.mark.parametrize("lines", [
    ["By", "Brigit Katz", "November 18, 2019"],
    ["Debbie White", "18 Nov 2019, 19:09"],
    ["Carrie Arnold", "Contributing Writer", "November 15, 2019"],
    ["Catherine Shu", "@catherineshu", "2 days"],
])
def test_a_bylines_names_go_with_the_by_date_role_or_handle_around_them(lines):
    art = _clean(*lines, *BODY)
    assert art.text.startswith(BODY[0])


def test_a_short_subheading_at_the_top_stays():
    # capitalised words like a name, with no byline around them: a subheading ("Defensive Line",
    # "Neues Leitmotto" on two of the benchmark's pages), or one above a paragraph and a date
    assert _clean("Defensive Line", *BODY).text.startswith("Defensive Line")
    art = _clean("Multiple Special Circumstances", "Add'l Horrific Charges; D. A. Will Now Seek Death Penalty",
                 "(March 20, 2007) - -", *BODY)
    assert art.text.startswith("Multiple Special Circumstances")


@pytest.mark.parametrize("byline, dateline", [
    ("Por Carlos Nadalim", "12 de março de 2024"),
    ("di Marco Rossi", "12 marzo 2024"),
    ("Door Jan de Vries", "12 maart 2024, 14:32"),
    ("Автор: Иван Петров", "12 марта 2024, 14:32"),
    ("共同通信", "2024年3月12日 14時32分"),
    ("Von Anna Schmidt", "Veröffentlicht am 12. März 2024"),
    ("Por María García", "Publicado el 12 de marzo de 2024"),
])
def test_a_brief_in_another_language_opens_on_neither_its_byline_nor_its_date(byline, dateline):
    # before 2026-12-07 a byline or a date written in the article's own language opened the brief
    lead = "The harbour authority closed the northern pier on Monday after a storm surge damaged two cranes."
    art = clean(RawArticle(id="b2", source="test", title="Storm closes pier", text="\n".join([byline, dateline, lead])))
    assert art.text == lead
    assert art.dateline == dateline


@pytest.mark.parametrize("headline", [
    "Di Maio attacca il governo sulle pensioni",
    "De Nederlandsche Bank verhoogt de rente",
    "Von der Leyen warnt vor Handelskrieg",
])
def test_a_headline_that_opens_like_a_byline_stays(headline):
    art = _clean(headline, *BODY)
    assert art.text.startswith(headline)
