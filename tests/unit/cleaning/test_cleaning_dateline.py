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
