"""The list of dated teasers that closes many pages, told from the article above it and from a live
blog's dated entries."""
from __future__ import annotations

import pytest

from pipeline.cleaning import clean
from pipeline.cleaning.page_text import article_lines
from pipeline.cleaning.teaser_list import is_date_line
from schemas.models import RawArticle

MENU = ["Home", "News", "Sport", "Weather", "Contact us"] * 4
FOOTER = ["About us", "Careers", "Privacy"] * 4
STORY = [
    "The council voted on Tuesday to close the old river bridge to all traffic after engineers found "
    "deep cracks in two of its main supports, the mayor said.",
    "Repairs would take a year and cost more than the town spends on its roads in five years, he told "
    "reporters outside the town hall.",
    "Drivers will have to use the ring road, which adds twenty minutes to the trip into the centre, "
    "and buses will be rerouted from Monday.",
]
HEADLINE = "Council closes the old river bridge after engineers find cracks"
TEASERS = [
    ("Local bakery wins national award for sourdough", "Tuesday November 19, 2019",
     "The family-run shop beat more than two hundred entries from across the country to take the prize, "
     "and its owners said they would spend the money on a second oven and two more apprentices next year."),
    ("School board approves new start times for fall", "Monday November 18, 2019",
     "Classes at the three high schools will start forty minutes later, after a two-year study of sleep "
     "that found most pupils were getting less than seven hours a night during the school week."),
    ("Hospital opens expanded emergency wing downtown", "Sunday November 17, 2019",
     "The wing doubles the number of treatment rooms and adds a separate entrance for ambulances, which "
     "had been queueing in the street outside on the busiest nights of last winter."),
    ("Police search for driver after hit-and-run on Main Street", "Saturday November 16, 2019",
     "A pedestrian was taken to hospital with minor injuries, and officers asked witnesses and anyone with "
     "a dashboard camera on the street that evening to come forward and speak to them."),
]


@pytest.mark.parametrize("line", ["Tuesday November 19, 2019", "November 18, 2019 at 2:01 pm", "32M ago",
                                  "2 hours ago", "19 Nov 2019", "2019-11-19", "Nov. 19, 2019 · 9:41 AM EST"])
def test_date_lines(line):
    assert is_date_line(line)


@pytest.mark.parametrize("line", ["On Tuesday November 19, 2019 the council met.", "November rain", "2019 in review"])
def test_lines_that_hold_a_date_and_more(line):
    assert not is_date_line(line)


@pytest.mark.parametrize("layout", [
    lambda title, date, summary: [title, date, summary],                    # twincities.com
    lambda title, date, summary: [title, "By A. Writer", date, summary],    # washingtonexaminer.com
    lambda title, date, summary: [title, summary, date],                    # cbsnews.com
    lambda title, date, summary: [title, date, summary, "Read More"],
])
def test_a_list_of_dated_teasers_below_the_article_is_not_part_of_it(layout):
    teasers = [line for teaser in TEASERS for line in layout(*teaser)]
    lines = MENU + [HEADLINE] + STORY + ["More from the Daily Courier"] + teasers + FOOTER
    article = article_lines(lines)
    assert article[-1] in (STORY[-1], "More from the Daily Courier")
    assert not any(line in article for line in teasers)
    text = clean(RawArticle(id="p", source="example.com", text="\n".join(lines))).text
    assert "sourdough" not in text and "ring road" in text


def test_a_live_blogs_dated_entries_stay():
    # each entry carries the story on: its headline shares the lead's words
    entries = [
        ("Engineers inspect the river bridge supports again", "November 19, 2019 at 9:10 am",
         "Engineers returned to the bridge on Tuesday morning to measure the cracks in its supports again."),
        ("Council meets on the river bridge closure", "November 19, 2019 at 11:30 am",
         "The council met in the town hall to vote on closing the bridge, with residents filling the gallery."),
        ("Mayor announces bridge closure and bus routes", "November 19, 2019 at 2:45 pm",
         "The mayor said the bridge would close to all traffic and that buses would take the ring road."),
    ]
    lines = MENU + [HEADLINE] + STORY + [line for entry in entries for line in entry] + FOOTER
    article = article_lines(lines)
    assert all(entry[2] in article for entry in entries)


def test_too_little_article_above_dated_blocks_is_no_reason_to_cut():
    lines = MENU + [HEADLINE] + STORY[:1] + [line for teaser in TEASERS for line in teaser] + FOOTER
    assert TEASERS[0][2] in article_lines(lines)


def test_teasers_whose_headlines_ask_a_question_are_cut_too():
    # snopes.com's "Editors' Picks": a fact check's headline asks its question
    questions = ["Did the mayor ban dogs from every public park?", "Is the old mill really haunted at night?",
                 "Was the state lottery jackpot won twice in one week?"]
    teasers = [line for question, (_, date, summary) in zip(questions, TEASERS)
               for line in (question, date, "Fact Check", summary)]
    lines = MENU + [HEADLINE] + STORY + ["Editors' Picks"] + teasers + FOOTER
    assert not any(line in article_lines(lines) for line in teasers)
