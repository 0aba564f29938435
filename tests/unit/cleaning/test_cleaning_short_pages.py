"""Short scraped pages (fewer than 30 lines): the article inside a page's visible text or Markdown is
found as in a long page when the text plainly is a page (a menu, the site's own controls, a copyright
footer, a "Related articles" tail), while a short article, a brief or a list-style article is left
whole (docs/cleaning.md, "Whole-page text")."""
from __future__ import annotations

import pytest

from pipeline.cleaning import BoilerplateMemory, CleaningConfig, clean
from pipeline.cleaning.page_text import looks_like_page
from schemas.models import RawArticle

QUAKE = [
    "An earthquake of magnitude 5.3 shook Malatya province in eastern Turkey on Thursday night, injuring 23 "
    "people, officials said.",
    "The quake's epicenter was in the Yesilyurt district. Several empty buildings which had been damaged in the "
    "February earthquakes that killed more than 50,000 people in Turkey and Syria came down.",
    "Most of the injured were hurt while jumping from windows out of panic, Interior Minister Ali Yerlikaya "
    "wrote on social media.",
]

# a browser's innerText of a short page: site name, skip link, menu, sign-in, cookie notice, byline, teaser
VISIBLE = "\n".join([
    "DW.EXAMPLE", "Skip to content", "Home", "World", "Business", "Sign in",
    "We use cookies to improve your experience. By continuing you accept our cookie policy.", "Accept all",
    "Turkey: Earthquake injures 23 in Malatya", "By Staff Reporter", *QUAKE,
    "Related articles", "Stocks slide as oil prices jump", "© 2024 DW.EXAMPLE. All rights reserved.",
])

# the same kind of page as a scraper for language models writes it
MARKDOWN = """[Skip to main content](#main)

[![Northfield Gazette](/logo.png)](https://www.northfield-gazette.example/)

* [Home](/)
* [News](/news)
* [Sport](/sport)
* [Weather](/weather)

[Sign in](/login) [Subscribe](/subscribe)

# Council closes Riverside Bridge after cracks found in supports

By [Jane Holloway](/authors/jane-holloway), Local Democracy Reporter

Published 14 March 2024

Northfield council closed Riverside Bridge to all traffic on Tuesday after engineers found cracks in two of \
its main supports.

The bridge, which carries about 12,000 vehicles a day across the River Wend, will stay shut for at least six \
weeks while repairs are planned, the council said.

Buses will be diverted through Castle Street, and a free shuttle will run for pedestrians between the station \
and the retail park.

## Related stories

* [Roadworks to close town centre for a month](/news/roadworks)
* [New cycle lane opens on Station Road](/news/cycle-lane)

© 2024 Northfield Gazette. All rights reserved. [Privacy policy](/privacy) | [Terms](/terms)
"""

# BeautifulSoup's get_text() of a whole document: the <title> (headline and site name) comes first
WITH_TITLE_LINE = "\n".join([
    "Bank of Ireland fined €100m over tracker mortgage failures - The Irish Ledger",
    "The Irish Ledger", "Menu", "Search", "News", "Business", "Opinion",
    "Bank of Ireland fined €100m over tracker mortgage failures",
    "Central Bank says thousands of customers were overcharged for years",
    "Mark Dunne", "Thu 18 Jan 2024 at 07:45",
    "Bank of Ireland has been fined €100.5 million by the Central Bank for failing thousands of customers in "
    "the tracker mortgage scandal, the largest penalty the regulator has ever imposed.",
    "The Central Bank said the lender's failures had caused \"significant harm\" to more than 15,000 customers, "
    "some of whom lost their homes.",
    "The bank said it accepted the findings and apologised to the customers affected.",
    "Most Read", "Storm Isha: power cuts for 200,000 homes", "Dublin Airport passenger cap to stay",
    "Contact us", "Privacy", "Copyright © 2024 The Irish Ledger",
])

# no headline on the page at all (a wire item's page): the menu must not become the title
NO_HEADLINE = "\n".join([
    "HOME", "POLITICS", "WORLD", "SPORTS", "LOG IN",
    "The government will hold a referendum on the new constitution in May, the prime minister announced on "
    "Friday in a televised address.",
    "Opposition parties said they would campaign against the proposals, which would extend presidential terms "
    "from five to seven years.",
    "Share", "© Capital Times 2024",
])


def _clean(text: str, **raw):
    return clean(RawArticle(id=raw.pop("id", "p"), source=raw.pop("source", "example.com"), text=text, **raw))


def test_a_short_pages_visible_text_gives_its_article_and_headline():
    article = _clean(VISIBLE)
    assert article.title == "Turkey: Earthquake injures 23 in Malatya"
    assert "page_text_trimmed" in article.flags
    assert article.text.split("\n\n") == QUAKE
    for furniture in ("DW.EXAMPLE", "Skip to content", "Home", "World", "Business", "Sign in", "cookies",
                      "Accept all", "Staff Reporter", "Related articles", "Stocks slide", "All rights reserved"):
        assert furniture not in article.text, furniture


def test_a_short_page_as_markdown_gives_its_article_and_headline():
    article = _clean(MARKDOWN)
    assert article.title == "Council closes Riverside Bridge after cracks found in supports"
    assert {"markdown_removed", "page_text_trimmed"} <= set(article.flags)
    for kept in ("engineers found cracks in two of its main supports", "stay shut for at least six weeks",
                 "a free shuttle will run for pedestrians"):
        assert kept in article.text
    for furniture in ("Skip to main content", "- Home", "Home", "Sport", "Weather", "Sign in", "Subscribe",
                      "Jane Holloway", "Related stories", "Roadworks to close", "cycle lane", "Privacy policy",
                      "Northfield Gazette"):
        assert furniture not in article.text, furniture


def test_a_short_page_with_its_title_line_gives_the_headline_not_the_site():
    article = _clean(WITH_TITLE_LINE)
    assert article.title == "Bank of Ireland fined €100m over tracker mortgage failures"
    assert "page_text_trimmed" in article.flags
    assert article.text.startswith("Bank of Ireland has been fined €100.5 million")
    assert article.text.endswith("apologised to the customers affected.")
    for furniture in ("The Irish Ledger", "Menu", "Search", "Opinion", "Mark Dunne", "Most Read", "Storm Isha",
                      "Dublin Airport", "Contact us", "Copyright"):
        assert furniture not in article.text, furniture


def test_a_short_page_without_a_headline_gets_no_title_from_its_menu():
    article = _clean(NO_HEADLINE)
    assert article.title is None and "no_title" in article.flags
    assert article.text.startswith("The government will hold a referendum")
    assert article.text.endswith("from five to seven years.")
    for furniture in ("HOME", "POLITICS", "LOG IN", "Share", "Capital Times"):
        assert furniture not in article.text, furniture


def test_a_six_paragraph_and_a_three_paragraph_page_are_cut_alike():
    lines = VISIBLE.split("\n")
    at = lines.index(QUAKE[-1]) + 1
    more = ["Rescue teams searched the damaged buildings through the night but found nobody trapped, the disaster "
            "agency AFAD said on Friday morning.",
            "Schools in the province will stay closed on Friday while engineers inspect their buildings, the "
            "governor's office said in a statement.",
            "The region is still rebuilding after the February earthquakes, and thousands of families live in "
            "container towns set up by the government."]
    short, long = _clean(VISIBLE), _clean("\n".join(lines[:at] + more + lines[at:]))
    assert short.title == long.title == "Turkey: Earthquake injures 23 in Malatya"
    assert long.text.split("\n\n") == QUAKE + more


SHORT_ARTICLES = {
    # a few sentences under a headline and a byline, with the footer the rules know
    "article": ("Earthquake injures 23 in eastern Turkey\nBy Staff Reporter\n" + "\n".join(QUAKE[::2])
                + "\n© 2024 Reuters", QUAKE[::2]),
    # a feed's headline and summary
    "brief": ("Fed holds rates steady\nThe Federal Reserve left interest rates unchanged on Wednesday and "
              "signalled three cuts later this year.",
              ["The Federal Reserve left interest rates unchanged on Wednesday and signalled three cuts later "
               "this year."]),
    # a list-style article whose list comes before its prose, with a copyright line
    "list first": ("The five cities with the most expensive rents in Europe\nLondon\nParis\nDublin\nAmsterdam\n"
                   "Geneva\nRents in all five cities rose by more than 8 per cent last year, according to the "
                   "property group's annual survey published on Monday.\nLondon remained the most expensive, "
                   "with an average one-bedroom flat costing £2,100 a month.\n© 2024 Property Weekly",
                   ["London", "Paris", "Dublin", "Amsterdam", "Geneva", "Rents in all five cities rose",
                    "London remained the most expensive"]),
    # a list of events between two paragraphs, one of which says "Search"
    "list inside": ("What's on this weekend\nHere are the events worth your time in the city this Saturday and "
                    "Sunday, from markets to concerts.\nFarmers market\nJazz in the park\nOpen studios\n"
                    "Half marathon\nSearch for more events on our listings page, which is updated every Friday.",
                    ["Here are the events", "Farmers market", "Jazz in the park", "Open studios", "Half marathon",
                     "Search for more events"]),
    # an article about signing in, with "Sign in" as a line of its own
    "sign in": ("How to sign in to your tax account\nTaxpayers will need a new code to sign in to the revenue "
                "service's website from April, the agency said on Monday.\nSign in\nThe change is meant to stop "
                "fraudsters who have used stolen passwords to claim refunds in other people's names.",
                ["Taxpayers will need a new code", "Sign in", "The change is meant to stop fraudsters"]),
}


@pytest.mark.parametrize("name", sorted(SHORT_ARTICLES))
def test_a_short_article_brief_or_list_is_left_whole(name):
    text, kept = SHORT_ARTICLES[name]
    article = _clean(text)
    assert "page_text_trimmed" not in article.flags
    assert article.title == text.split("\n")[0]
    for line in kept:
        assert line in article.text, line
    assert not looks_like_page([line for line in text.split("\n") if line])


def test_a_menu_that_recurs_across_a_sources_short_pages_is_learned():
    # no named controls, so not cut as a page; the memory learns the menu's short lines all the same
    config = CleaningConfig()
    memory = BoilerplateMemory({}, config)
    towns = ["Leeds", "York", "Hull", "Bradford", "Sheffield"]
    for n, town in enumerate(towns):
        text = "\n".join([f"Fire crews tackle blaze at {town} warehouse", "Home", "News", "Sport", "What's on",
                          f"Firefighters were called to a warehouse in {town} on Sunday evening after smoke was "
                          "seen rising from its roof, the fire service said.",
                          f"Nobody was hurt, and the cause of the fire at the {town} site is being investigated."])
        article = clean(RawArticle(id=f"a{n}", source="yorkshire-echo", text=text), memory=memory, config=config)
    assert "learned_boilerplate_removed" in article.flags
    for item in ("Home", "News", "Sport", "What's on"):
        assert item not in article.text.split("\n\n")
    assert "Nobody was hurt" in article.text and "Sheffield on Sunday evening" in article.text


LEDE = ("Shares in the carmaker fell 12 per cent on Wednesday after it cut its sales forecast for the third time "
        "this year, blaming weak demand in China.")


@pytest.mark.parametrize("lines", [
    ["This site uses cookies.", "OK", "Home", "Markets", "Companies", "Carmaker cuts its forecast again", LEDE],
    ["Menu", "Carmaker cuts its forecast again", LEDE, "More from Business", "Banks brace for new rules"],
    ["Log in or sign up", "Carmaker cuts its forecast again", LEDE, "© 2024 The Financial Example"],
    ["Home | Markets | Companies | Opinion | Video", "Carmaker cuts its forecast again", LEDE,
     "Most read", "Banks brace for new rules", "Copyright 2024 The Financial Example"],
])
def test_a_page_is_told_by_its_named_furniture(lines):
    assert looks_like_page(lines)
    article = _clean("\n".join(lines))
    assert article.title == "Carmaker cuts its forecast again"
    assert article.text == LEDE and "page_text_trimmed" in article.flags


def test_a_short_markdown_page_whose_menu_is_a_list_with_its_controls_is_cut():
    # Markdown writes the menu as a list: "- Sign in" names a control as "Sign in" does; until
    # 2026-12-07 the bullet hid it, and a page with its menu and one more kind of furniture stayed whole
    text = "\n\n".join([
        "* [Home](https://example.com/)\n* [World](https://example.com/world)\n"
        "* [Politics](https://example.com/politics)\n* [Sign in](https://example.com/login)",
        "# Council approves new budget after long debate",
        "The city council voted on Tuesday to approve the new budget after a long debate that lasted well into "
        "the night.",
        "The mayor said the plan would be reviewed again in the spring by the finance committee and the public.",
        "Opponents said the cuts to the library service would hurt the poorest neighbourhoods of the city most.",
    ])
    art = clean(RawArticle(id="md", source="scraper", text=text,
                           url="https://example.com/news/council-approves-new-budget-after-long-debate"))
    assert art.title == "Council approves new budget after long debate"
    assert art.text.startswith("The city council voted on Tuesday")
    assert "poorest neighbourhoods of the city most." in art.text
    for furniture in ("Home", "Politics", "Sign in"):
        assert furniture not in art.text, furniture
