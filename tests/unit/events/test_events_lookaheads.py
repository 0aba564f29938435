"""The patterns that open with a lookahead for their first characters (a speed-up) match exactly
what they match without it, and the event builder's copy-on-write keeps the caller's state as it was."""
from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import orjson
import pytest

from pipeline.events import EventBuilder, article_facts, dates, facts
from pipeline.events.lexicon import MONTHS, WELL_KNOWN_ORGS

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
_LEADING_LOOKAHEAD = re.compile(r"\(\?=(?:\[[^\]]*\]|\\d)\)")

TEXTS = [json.loads(line)["text"] for line in (FIXTURES / "ecbplus" / "sample.jsonl").read_text().splitlines()]
TEXTS += [
    "NO TIME TO READ? Get a Summary. Previous Article | Next Article | Read More | CLICK HERE",
    "Subscribe to our Newsletter. Sign Up now. All Rights Reserved © 2024. Cookie policy. Follow Us.",
    "Share This. Advertisement. Related Articles, related stories. Image: AP. PHOTO: Getty Images, Reuters/File [3, 4]",
    "ſubscribe, İmage: and ımage: and \u212aeep, the ligatures and dotted capitals of case folding.",
    "", "   ", "...", "—",
    "On March 20-22, 2009 and 5th of June 2010, from Dec. 7 to Jan 2, 2011, in September, since May, mid-April.",
    "2024-06-12, 1999-13-01, 20240612, 12 JUNE 2024, JAN 5, Sept. 30 1998 and 31 through 2 December.",
    " ".join(name.title() + " 3, 2020" for name in MONTHS) + " " + " ".join(f"in {name.title()}" for name in MONTHS),
    "; ".join(f"{name} said" for name in WELL_KNOWN_ORGS) + ". x" + " y".join(WELL_KNOWN_ORGS) + ", @Google #Apple",
]


def _without_lookahead(pattern: re.Pattern) -> re.Pattern:
    """The pattern with its first lookahead for leading characters taken out."""
    plain, found = _LEADING_LOOKAHEAD.subn("", pattern.pattern, count=1)
    assert found == 1, pattern.pattern
    return re.compile(plain, pattern.flags)


def _spans(pattern: re.Pattern, text: str) -> list:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


@pytest.mark.parametrize("pattern", [dates._ISO, dates._MONTH_DAY, dates._DAY_MONTH, dates._MONTH_YEAR,
                                     dates._MONTH_ALONE, facts._WELL_KNOWN_ORG],
                         ids=["iso", "month_day", "day_month", "month_year", "month_alone", "well_known_org"])
def test_a_leading_lookahead_changes_no_match(pattern):
    plain = _without_lookahead(pattern)
    for text in TEXTS:
        assert _spans(pattern, text) == _spans(plain, text), text[:80]


def test_furniture_lookahead_holds_the_first_letter_of_every_phrase():
    plain = _without_lookahead(facts._FURNITURE)
    lines = [line for text in TEXTS for line in text.splitlines()] + [w for text in TEXTS for w in text.split(". ")]
    for line in lines:
        assert bool(facts._FURNITURE.search(line)) == bool(plain.search(line)), line
    # every phrase, alone and in capitals, is furniture
    phrases = plain.pattern.split("|", 1)[1][3:-1]  # after "^\W*$|(?:", without the closing ")"
    depth, start, firsts = 0, 0, []
    for i, char in enumerate(phrases + "|"):
        depth += (char == "(") - (char == ")")
        if char == "|" and depth == 0:
            firsts.append(phrases[start:start + 2] if phrases[start] == "\\" else phrases[start])
            start = i + 1
    class_ = _LEADING_LOOKAHEAD.search(facts._FURNITURE.pattern).group(0)
    for first in firsts:
        assert first in class_, first


def _assign(relation="new"):
    return SimpleNamespace(event_id="evt_00000000000000cc", relation=relation, duplicate_of=None, similarity=None)


def test_apply_leaves_the_stored_state_as_it_was_and_a_restored_copy_gives_the_same():
    builder = EventBuilder(max_reps=2, max_entities=5, max_keywords=4, max_places=2, max_dates=2)
    articles = [{"id": f"a{i}", "source": f"s{i % 2}", "title": f"Title {i}", "published": "2024-06-12T00:00:00Z",
                 "url": None, "text": text} for i, text in enumerate(TEXTS[:6])]
    state = None
    for i, article in enumerate(articles):
        facts_ = article_facts(article)
        stored = orjson.dumps(state)
        restored = orjson.loads(stored)
        new_state, record = builder.apply(state, article, facts_, _assign("near" if i % 3 else "new"), "2025-01-01")
        assert orjson.dumps(state) == stored  # nothing of the caller's state changed, however deep
        again_state, again_record = builder.apply(restored, article, facts_, _assign("near" if i % 3 else "new"),
                                                  "2025-01-01")
        assert (again_state, again_record) == (new_state, record)
        state = new_state
