"""A whole page's text whose line breaks were lost (every run of whitespace one space, as
BeautifulSoup's ``get_text(" ", strip=True)`` gives it): the article is still found, by the case of
its words, and an article's own text run together is left whole."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.cleaning import clean
from pipeline.cleaning.glued_text import glued_article
from schemas.models import RawArticle

from .conftest import FIXTURES, fixture_pages, token_recall

THE_HILL = "156770d676ce79905198e1c8407f81e5ecfb617d9aa44712718707eb7e3b8e38"
ENTERMEDIA = "9da36ae4714bfccc72374c6c146e9d1cd3cca39e2110bd67ccdbcc806f4cf139"


def _glued(page_id: str) -> str:
    return " ".join((FIXTURES / f"{page_id}.visible.txt").read_text(encoding="utf-8").split())


def _cleaned(page_id: str, url: str | None = None):
    """A fixture page's visible text run together, cleaned as a text article (with its address)."""
    return clean(RawArticle(id="p", source="example.com", text=_glued(page_id), url=url))


def test_a_page_run_together_gives_the_article_without_the_menus_and_footer():
    text = _glued(THE_HILL)
    assert "\n" not in text
    article = clean(RawArticle(id="p", source="example.com", text=text))
    assert "page_text_trimmed" in article.flags
    for kept in ("Meth is a serious problem in SD", "cost the state roughly $449,000",
                 "The governor's office didn't immediately respond"):
        assert kept in article.text
    for furniture in ("Skip to main content", "Briefing Room", "Become A Contributor", "TRENDING:",
                      "Sign up for our daily email", "Capitol Hill Publishing"):
        assert furniture not in article.text
    assert token_recall(article.text, fixture_pages()[THE_HILL]["articleBody"]) > 0.95
    assert len(article.text) < 0.5 * len(text)


THE_HILL_URL = ("https://thehill.com/homenews/news/"
                "471033-south-dakota-governor-doubles-down-on-meth-were-on-it-anti-drug-campaign")


def test_the_words_the_address_names_give_a_page_run_together_its_title():
    article = _cleaned(THE_HILL, THE_HILL_URL)
    assert article.title == "South Dakota governor doubles down on 'meth, we're on it' anti-drug campaign"
    assert "title_from_text" in article.flags
    assert "cost the state roughly $449,000" in article.text
    # without an address, no line break tells where the headline ends
    assert _cleaned(THE_HILL).title is None


CBS_DETROIT = "c467d507551a836efa9cfe843ba5d7bafe519750e04d0c9ff0decf44f013f829"
CBS_DETROIT_URL = ("https://detroit.cbslocal.com/2019/11/19/"
                   "michigan-officials-6th-fatality-linked-to-eastern-equine-encephalitis-reported/")


def test_the_address_leads_to_a_short_report_below_a_block_of_teasers():
    # the teasers' summaries read as prose and outweigh the four-paragraph report below its headline
    article = _cleaned(CBS_DETROIT, CBS_DETROIT_URL)
    # the sentence that opens with the dateline ("ST. JOSEPH, Mich. (AP) -") is lost with the menu
    for kept in ("the victim was one of two people who contracted the mosquito borne virus",
                 "The outbreak has resulted in 10 human cases and 46 animal cases",
                 "continue to take precautions against mosquito bites"):
        assert kept in article.text
    for furniture in ("Hoodline crunched the numbers", "Fantasy Football Waiver Wire", "Latest Headlines"):
        assert furniture not in article.text
    assert "Hoodline crunched the numbers" in _cleaned(CBS_DETROIT).text


WSJ = "042bb7b5fedab6eac7db576522b89b93904c237d344bcbe14a6a5ab7f7335856"
WSJ_URL = ("https://www.wsj.com/articles/"
           "google-stadia-microsoft-xcloud-apple-arcade-so-many-ways-to-playand-pay-11574168580")


def test_a_paywalled_page_run_together_gives_the_paragraph_below_its_headline():
    article = _cleaned(WSJ, WSJ_URL)
    assert "page_text_trimmed" in article.flags
    assert "Gaming used to be so simple." in article.text and "developers keep updating their biggest hits" in article.text
    for furniture in ("Dow Jones Newswires", "Commercial Real Estate", "Most Popular Articles", "Back to Top"):
        assert furniture not in article.text
    assert len(article.text) < 600
    # without the address, one paragraph is too little prose to cut the page to
    assert "page_text_trimmed" not in _cleaned(WSJ).flags


def test_an_articles_own_text_run_together_is_left_whole():
    for page_id, page in fixture_pages().items():
        body = " ".join(page["articleBody"].split())
        assert glued_article(body) is None, page_id
        assert glued_article(page["articleBody"]) is None, page_id


def test_the_readers_comments_below_the_article_go():
    sentence = ("The city council approved the new budget on Tuesday after a long debate about the cost of "
                "repairing the old bridge over the river. ")
    menu = "Home News Sport Weather Business Politics Culture Travel Video Newsletters Podcasts " * 3
    footer = "About Us Contact Privacy Policy Terms of Use Cookie Settings Advertise With Us Careers " * 3
    for heading in ("12 Comments", "12 thoughts on “Council approves the budget”"):
        comments = (f"{heading} Anna says: I walk over that bridge every day and it shakes. " * 4)
        article = glued_article(menu + sentence * 12 + comments + footer)
        assert article == (sentence * 12).strip()


def test_a_run_that_opens_a_little_above_its_headline_starts_at_it():
    # businessinsider.de: a short menu, then a line of the site's that reads as prose, then the headline
    sentence = ("The city council approved the new budget on Tuesday after a long debate about the cost of "
                "repairing the old bridge over the river. ")
    headline = "10 things in tech you need to know today"
    menu = "International Trending Business Tech Politics Strategy Video "
    footer = "About Us Contact Privacy Policy Terms of Use Cookie Settings Advertise With Us Careers " * 3
    page = f"{menu}The article was sent to your friend by email. {headline} Charlie Wood, Business Insider {sentence * 12}{footer}"
    article = clean(RawArticle(id="p", source="example.com", text=page,
                               url="https://www.example.com/10-things-in-tech-you-need-to-know-today-2019-11"))
    assert "page_text_trimmed" in article.flags and article.title == headline
    assert article.text.startswith("Charlie Wood") and "Privacy Policy" not in article.text
    # without the address, 62 characters of menu above the article are too few to cut the page at
    assert glued_article(page) is None


def test_the_sites_copyright_notice_ends_the_article_and_a_photo_credit_does_not():
    sentence = ("The city council approved the new budget on Tuesday after a long debate about the cost of "
                "repairing the old bridge over the river. ")
    credit = "A view of the old bridge (© Reuters) from the east bank. "
    menu = "Home News Sport Weather Business Politics Culture Travel Video Newsletters Podcasts " * 3
    legal = ("This material may not be published, broadcast, rewritten or redistributed without the written "
             "permission of the publisher, and every reader agrees to the terms of use of this site. ") * 3
    footer = "About Us Contact Privacy Policy Terms of Use Cookie Settings Advertise With Us Careers " * 3
    body = sentence * 6 + credit + sentence * 6
    for notice in ("© 2019 Example News. All rights reserved. ", "Copyright 2019 Example News. "):
        assert glued_article(menu + body + notice + legal + footer) == body.strip()
    login = "You must be logged in to post a comment. Anna: I walk over that bridge every day. " * 3
    assert glued_article(menu + body + login + footer) == body.strip()


def test_a_page_run_together_that_carries_its_article_twice_gives_it_once():
    sentences = [f"The city council approved budget number {n} on Tuesday after a long debate about the cost of "
                 f"repairing the old bridge over the river. " for n in range(10)]
    body = "".join(sentences)
    menu = "Home News Sport Weather Business Politics Culture Travel Video Newsletters Podcasts " * 3
    data = "Budget Vote Charlie Wood 2019-11-19T08:57:40+01:00 500 250 Example News Home Depot Stock " * 2
    footer = "About Us Contact Privacy Policy Terms of Use Cookie Settings Advertise With Us Careers " * 3
    article = glued_article(menu + body + data + body + footer)
    assert article.startswith(body.strip()) and article.count(sentences[3]) == 1
    assert "Charlie Wood" not in article and "2019-11-19" not in article


def test_a_page_whose_footer_reads_as_prose_loses_its_long_menu_above():
    sentence = ("The city council approved the new budget on Tuesday after a long debate about the cost of "
                "repairing the old bridge over the river. ")
    menu = "Home News Sport Weather Business Politics Culture Travel Video Newsletters Podcasts " * 8
    legal = ("Community rules apply to all content you upload or otherwise submit to this site, and the "
             "material on this site may not be reproduced except with our prior written permission.")
    assert glued_article(menu + sentence * 12 + legal).startswith("The city council approved")
    # a menu this short above and nothing below is not enough to take a text for a page
    assert glued_article(menu[:300] + sentence * 12 + legal) is None


def test_text_that_is_not_a_page_or_has_no_letter_case_is_left_alone():
    # Korean has no letter case to read, but its sentences end (2026-12-07: cut, as Japanese is)
    korean = glued_article(_glued(ENTERMEDIA))
    assert korean is not None and "전체뉴스" not in korean
    assert token_recall(korean, fixture_pages()[ENTERMEDIA]["articleBody"]) > 0.9
    assert glued_article("Short text. " * 20) is None
    # a page's lines kept: the line reading of page_text cuts it, this one does not look
    lines = (FIXTURES / f"{THE_HILL}.visible.txt").read_text(encoding="utf-8")
    assert glued_article(lines) is None
    scores = "Palm Bay 18 22 13 17 -- 70. Tolivert 25 points. Davis 17 points. " * 60
    assert glued_article("Home News Sport Weather Business " * 20 + scores) is None  # no prose


PIECES = ["Home", "News", "Sport", "Privacy Policy", "Terms of Use", "12 comments", "Leave a Reply",
          "the council said on Tuesday that the bridge would close.", "and then", "Read More", "2019",
          "It was the first time in a decade that the road had been shut.", "!", "。", "\n", "한국어 문장이다."]


@given(st.lists(st.sampled_from(PIECES), min_size=0, max_size=600))
@settings(max_examples=80, deadline=None)
def test_any_mix_gives_a_span_of_the_text_or_nothing(pieces):
    text = " ".join(pieces)
    article = glued_article(text)
    assert article is None or (article and article in text and article == article.strip())
