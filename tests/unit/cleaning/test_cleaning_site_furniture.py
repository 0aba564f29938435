"""Site furniture that must not become an article's title or open its text, on real pages of the
extraction benchmark (tests/fixtures/extraction): a logo <h1> in the masthead, a person's pop-up
card of other stories inside a sentence, an edition's banner above the headline, a newsletter's
promotion at the top of the body, a contributor disclaimer."""
from __future__ import annotations

import gzip

import pytest

from pipeline.cleaning import CleaningConfig, clean
from pipeline.cleaning.rules import Rules
from schemas.models import RawArticle

from .conftest import FIXTURES, fixture_html, fixture_pages

PAGES = fixture_pages()
ENTERMEDIA = "9da36ae4714bfccc72374c6c146e9d1cd3cca39e2110bd67ccdbcc806f4cf139"
THE_HILL = "156770d676ce79905198e1c8407f81e5ecfb617d9aa44712718707eb7e3b8e38"
USA_TODAY = "776a1c046798b474e410f6edf3225d6a27fecd0de6aac22aef7b7f64fe87caaf"
DEALBREAKER = "55bb6340e3d7dd8632ba45179ae43c39f8ad0cfcecb4719e3b9cf6106ffb70a3"
MACRUMORS = "232a43fb15abde807427b2a7bf4f772e27b8760554370956d8291df4e8166dbf"


def _from_html(page_id: str, extractor):
    raw = RawArticle(id=page_id, source="benchmark", html=fixture_html(page_id), url=PAGES[page_id]["url"])
    return clean(raw, extractor=extractor)


def _from_text(name: str, page_id: str):
    raw = RawArticle(id=page_id, source="scraper", text=(FIXTURES / name).read_text(encoding="utf-8"),
                     url=PAGES[page_id]["url"])
    return clean(raw, config=CleaningConfig())


def test_a_logo_heading_in_the_masthead_is_not_the_title(extractor):
    # entermedia.co.kr: no OpenGraph title; the page's one <h1> is the site's name inside
    # <div id="header"><a href="/"><h1>엔터 미디어</h1></a>; the headline is in <title>
    art = _from_html(ENTERMEDIA, extractor)
    assert art.title == "악녀의 덫에 걸린 이유리, 의외로 막장극 어울리는 남상미"
    assert "엔터 미디어" not in art.title and "Entermedia" not in art.title
    assert "남상미" in art.text


def test_a_person_card_inside_a_sentence_goes_and_the_name_stays(extractor):
    # thehill.com: "Gov. <a>Kristi Noem</a><span class=rollover-people-block>...<a>Kristi Lynn Noem</a>
    # <a>South Dakota governor doubles down ...</a> <a>South Dakota drops pipeline protest laws ...</a>
    # ... <a>MORE</a></span> (R) is defending"
    art = _from_html(THE_HILL, extractor)
    first = art.text.split("\n\n")[0]
    assert first.startswith("South Dakota Gov. Kristi Noem (R) is defending the state's launch")
    for card in ("Kristi Lynn Noem", "South Dakota drops pipeline protest laws",
                 "'In God We Trust' sign to hang in public schools", "NoemKristi"):
        assert card not in art.text, card
    assert art.title == "South Dakota governor doubles down on 'meth, we're on it' anti-drug campaign"


def test_a_person_card_inside_a_sentence_goes_from_the_pages_markdown_too():
    # the same page as the scrapers that feed language models write it: "Gov. [Kristi Noem](/people/
    # kristi-noem)![](/...noemkristi_030217gn.jpg)[Kristi Lynn Noem](/people/kristi-noem)[South Dakota
    # governor doubles down on ...](...) [South Dakota drops ...](...) ... [MORE](...) (R) is defending"
    art = _from_text(f"{THE_HILL}.visible.md", THE_HILL)
    assert "markdown_removed" in art.flags
    assert "South Dakota Gov. Kristi Noem (R) is defending the state's launch" in art.text
    for card in ("Kristi Lynn Noem", "South Dakota drops pipeline protest laws", "NoemKristi", "MORE (R)"):
        assert card not in art.text, card


def test_a_run_of_links_in_a_sentence_without_a_card_glued_to_a_name_stays():
    from pipeline.cleaning.normalize import strip_markdown

    line = ("Officials cited [the first report on the spill](/a) [the second report on the spill](/b) "
            "[the third report on the spill](/c) when they closed the beach on Tuesday.")
    assert strip_markdown(line) == ("Officials cited the first report on the spill the second report on the spill "
                                    "the third report on the spill when they closed the beach on Tuesday.")


def test_the_pages_own_headline_does_not_open_the_body_when_its_metadata_title_differs(extractor):
    # usatoday.com's EU edition: og:title "'Meth. We're On It': South Dakota campaign is working Kristi
    # Noem says", while the page's <h1>, which trafilatura keeps as the body's first line, says
    # "South Dakota says, 'Meth. We're On It,' and Twitter asks, Are you guys OK?"
    art = _from_html(USA_TODAY, extractor)
    assert art.title == "'Meth. We're On It': South Dakota campaign is working Kristi Noem says"
    assert art.text.startswith("SIOUX FALLS, S.D. – People across the nation are talking about it")
    assert "Twitter asks, Are you guys OK?" not in art.text
    assert "EUROPEAN UNION EXPERIENCE" not in art.text


def test_an_editions_banner_above_the_headline_is_not_the_title_of_its_text():
    # the same page as a scraper's visible text: "Welcome to USA TODAY NETWORK'S EUROPEAN UNION
    # EXPERIENCE", "Learn More", then the headline, the byline and the report (23 lines: too short
    # and too bare to be cut as a whole page)
    art = _from_text(f"{USA_TODAY}.visible.txt", USA_TODAY)
    assert art.title == "South Dakota says, 'Meth. We're On It,' and Twitter asks, Are you guys OK?"
    assert "title_from_text" in art.flags
    for banner in ("EUROPEAN UNION EXPERIENCE", "Learn More"):
        assert banner.lower() not in art.text.lower(), banner
    assert "People across the nation are talking about it: South Dakota is on meth." in art.text
    assert "Published 10:02 AM EST Nov 19, 2019" in art.dateline


# detroitnews.com's EU edition as a scraper's visible text: its first eight lines of 24 (the rest is
# the report); the banner names the site, and so does the byline below it
DETROIT_NEWS_TOP = """Welcome to The Detroit News’s EUROPEAN UNION EXPERIENCE
Learn More
Tuesday's college football: Eastern Michigan routs Northern Illinois to become bowl eligible
Detroit News wire services
Published 11:11 PM EST Nov 19, 2019
Eastern Michigan quarterback Mike Glass III
Al Goldis, Associated Press
Dekalb, Ill. — Mike Glass threw for three touchdowns and ran for another and Eastern Michigan rolled past \
Northern Illinois, 45-17, on Tuesday night.
The Eagles (6-5, 3-4) snapped an 11-game losing streak to the Huskies (4-7, 3-4) dating to 2007 and ended \
NIU’s title hopes in the Mid-American Conference West Division with one league game remaining.
"""


def test_a_banner_that_names_the_site_is_not_about_the_text_its_byline_names_the_site_too():
    raw = RawArticle(id="detroitnews", source="scraper", text=DETROIT_NEWS_TOP,
                     url="https://www.detroitnews.com/story/sports/college/2019/11/19/tuesdays-college-football-"
                         "eastern-michigan-routs-northern-illinois-become-bowl-eligible/4244754002/")
    art = clean(raw, config=CleaningConfig())
    assert art.title == "Tuesday's college football: Eastern Michigan routs Northern Illinois to become bowl eligible"
    assert "EUROPEAN UNION" not in art.text and "Learn More" not in art.text
    assert "Mike Glass threw for three touchdowns" in art.text


def test_a_newsletters_promotion_at_the_top_of_the_body_goes(extractor):
    # dealbreaker.com (the page's head and the top of its article): a bold paragraph "Start your day
    # with the Opening Bell powered by The Water Coolest. The Water Coolest is ... Sign up for the free
    # daily newsletter." above the report
    raw = RawArticle(id=DEALBREAKER, source="benchmark", url=PAGES[DEALBREAKER]["url"],
                     html=gzip.decompress((FIXTURES / f"{DEALBREAKER}.html.gz").read_bytes()).decode("utf-8"))
    art = clean(raw, extractor=extractor)
    assert art.title == "Opening Bell 11.18.19"
    assert "Water Coolest" not in art.text and "Sign up for the free daily newsletter" not in art.text
    assert art.text.startswith("LOOK WHAT YOU MADE ME DO\n\nBrace yourself, Swifties")


def test_a_sidebar_of_teaser_cards_does_not_open_the_article(extractor):
    # macrumors.com (the page's head, its article and its "Guides" sidebar): each guide is a card of a
    # picture, a headline and a summary written inside a link to the guide ("<a href=X><p>Night mode
    # is an automatic setting ...</p></a>"); the first summary took the place of the article's lead
    art = _from_html(MACRUMORS, extractor)
    assert art.title == "13-Inch MacBook Pro With Scissor Keyboard Expected in First Half of 2020"
    assert art.text.startswith("Following the 16-inch MacBook Pro, Apple plans to release a new 13-inch MacBook Pro")
    for teaser in ("Night mode is an automatic setting", "Apple is separating the new smartphones",
                   "Night Mode (iPhone 11)"):
        assert teaser not in art.text, teaser


@pytest.mark.parametrize("line", [
    "Opinions expressed by Forbes Contributors are their own.",                       # forbes.com
    "Get breaking news alerts and special reports.",                                  # nbcnews.com
    "The news and stories that matter, delivered weekday mornings.",                  # nbcnews.com
])
def test_promotions_and_disclaimers_of_real_pages_go(line):
    rules = Rules.load(CleaningConfig().rules_path)
    body = ["The Austrian government said on Tuesday that the house would become a police station.", line,
            "The building has been a point of contention for decades, officials said on Tuesday."]
    kept, _ = rules.clean_lines(body)
    assert line not in kept and len(kept) == 2


@pytest.mark.parametrize("line", [
    "The papers were delivered to the court on Monday by the lawyers of the company.",
    "News of the attack was delivered to the president on Tuesday by his aides.",
    "The briefing was delivered by the general at noon, two hours after the strike.",
    "Stories of survival were delivered in court on Monday, witnesses said.",
    "He said people can sign up for the program. The city will send updates to your inbox monthly.",
    "Opinions expressed at the hearing were sharply divided, the committee's chairman said.",
])
def test_sentences_that_only_resemble_them_stay(line):
    rules = Rules.load(CleaningConfig().rules_path)
    kept, _ = rules.clean_lines(["The council met on Tuesday to discuss the plan for the new bridge.", line])
    assert line in kept


# Mastheads and headlines as real pages of the benchmark write them (trimmed to the heading and what
# holds it): which heading is the site's, not the page's.
HEADINGS = [
    # kabarislamia.com (WordPress): the site's name linking to its home page
    ('<div id="header-box"><div id="pagetitle"><h1><a href="https://kabarislamia.com/" title="Kabar tentang Dunia'
     ' Islam">Kabar tentang Dunia Islam</a></h1></div></div>',
     "https://kabarislamia.com/2015/03/30/jangan-membenci-satu-kaum/", True),
    # indiapost.com: the name in the logo's box, the home link beside it
    ('<div class="header-middle"><div class="wrapper"><div class="logo-image"><h1>India Post</h1>'
     '<a href="https://www.indiapost.com"><img class="logo" src="/IndiaPost-Logo.jpg" alt="India Post"></a>'
     '</div></div></div>', "https://www.indiapost.com/with-shattered-dreams-deportees-return-home-from-us/", True),
    # entermedia.co.kr: the <h1> inside a link to "/"
    ('<div id="wrap"><div id="header"><a href="/"><h1>엔터 미디어</h1></a></div></div>',
     "http://entermedia.co.kr/news/news_view.html?idx=8723", True),
    # note100yen.com: a blog post's title, classed "blog-title", under the breadcrumbs
    ('<div class="pagedate">2018-08-16</div><h1 class="blog-title">Kindle for PCをCtrl＋Alt＋Kのショートカットキーで'
     '立ち上がらなくする方法</h1>', "http://note100yen.com/en-180816.html", False),
    # nationalreview.com: the article's headline in the article's header
    ('<main id="main" class="site-main" role="main"><article class="article-single"><header class="article-header">'
     '<div class="article-header__inner"><h1 class="article-header__title">The Impeachment Clock</h1></div>'
     '</header></article></main>',
     "https://www.nationalreview.com/2019/11/trump-impeachment-inquiry-adam-schiff-working-against-the-clock/", False),
    # nationalreview.com: the same headline repeated in the sticky site header, classed by BEM as the
    # site header's article title (a site header it is, but the title is the article's)
    ('<div class="site-header__content"><h1 class="site-header__article-title">The Impeachment Clock</h1></div>',
     "https://www.nationalreview.com/2019/11/trump-impeachment-inquiry-adam-schiff-working-against-the-clock/", False),
]


@pytest.mark.parametrize("html,url,expected", HEADINGS)
def test_which_heading_is_the_sites(html, url, expected):
    import lxml.html

    from pipeline.cleaning.extract import site_heading

    tree = lxml.html.fromstring(f"<html><body>{html}</body></html>")
    (heading,) = tree.iter("h1")
    assert site_heading(heading, url) is expected


def test_a_breadcrumb_trail_and_a_tag_line_are_not_the_title_of_a_scraped_text():
    # beachbodyondemand.com's visible text opens with its trail; detroit.cbslocal.com's Markdown with
    # its tag line; each was the event's title
    for head, url in (("BLOG > Weight Loss > Weight Loss Tips", "https://www.beachbodyondemand.com/blog/game-day-snacks"),
                      ("Filed Under:Eastern Equine Encephalitis, EEE, health, Michigan, mosquito-borne virus",
                       "https://detroit.cbslocal.com/2019/11/19/sixth-fatality-linked-to-eee/")):
        text = (f"{head}\nHow to Tackle Game Day Snack Temptations and Keep Weight Loss Going\n"
                "Game day snacks are a weight loss trap, says nutrition expert Ilana Muhlstein, who tackles "
                "the temptations with a plan drawn up before kickoff.\n"
                "She suggests filling a plate with vegetables first and keeping the chips out of reach during "
                "the game, and drinking water between the snacks.\n")
        art = clean(RawArticle(id="t1", source="scraper", text=text, url=url), config=CleaningConfig())
        assert art.title == "How to Tackle Game Day Snack Temptations and Keep Weight Loss Going"
        assert head not in art.text


@pytest.mark.parametrize("line", [
    "I walk alone / through the night / until the dawn comes",   # a lyric, quoted below the top
    "Growth was ranked: services > manufacturing > farming, the report said.",
    "The vote was 52 > 48 > 0 for the bill",
])
def test_lines_with_slashes_or_arrows_inside_the_text_stay(line):
    rules = Rules.load(CleaningConfig().rules_path)
    body = ["The council met on Tuesday to discuss the plan for the new bridge over the river.",
            "The mayor said the plan would be put to a vote in the spring, after the hearings.",
            "Residents who spoke at the hearing were divided over the cost of the work.", line,
            "The bridge would open in 2027 if the vote passes, officials said on Tuesday."]
    kept, _ = rules.clean_lines(body)
    assert line in kept
