"""Raw scraped text given as ``text``: a whole page's visible text (menus and footers and all), text
with HTML tags and entities in it, a whole HTML document."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.cleaning import clean
from pipeline.cleaning.page_text import article_lines, is_prose
from schemas.models import RawArticle

from .conftest import FIXTURES, fixture_pages, token_recall

THE_HILL = "156770d676ce79905198e1c8407f81e5ecfb617d9aa44712718707eb7e3b8e38"
ENTERMEDIA = "9da36ae4714bfccc72374c6c146e9d1cd3cca39e2110bd67ccdbcc806f4cf139"
WSJ = "042bb7b5fedab6eac7db576522b89b93904c237d344bcbe14a6a5ab7f7335856"
WSJ_URL = "https://www.wsj.com/articles/google-stadia-microsoft-xcloud-apple-arcade-so-many-ways-to-playand-pay-11574168580"

PARAGRAPH = ("The council voted on Tuesday to close the old bridge to all traffic after engineers found "
             "cracks in two of its main supports, the mayor said.")


def _visible(page_id: str) -> str:
    return (FIXTURES / f"{page_id}.visible.txt").read_text(encoding="utf-8")


def _clean_text(text: str, **raw):
    return clean(RawArticle(id="p", source="example.com", text=text, **raw))


def test_a_pages_visible_text_gives_the_article_without_the_site_around_it():
    article = _clean_text(_visible(THE_HILL), url=fixture_pages()[THE_HILL]["url"])
    assert article.title == "South Dakota governor doubles down on 'meth, we're on it' anti-drug campaign"
    assert "page_text_trimmed" in article.flags
    for kept in ("Meth is a serious problem in SD", "cost the state roughly $449,000",
                 "The governor's office didn't immediately respond"):
        assert kept in article.text
    for furniture in ("Skip to main content", "Briefing Room", "Become A Contributor", "TRENDING:",
                      "Krystal Ball issues warning", "Sign up for our daily email", "Capitol Hill Publishing"):
        assert furniture not in article.text
    assert token_recall(article.text, fixture_pages()[THE_HILL]["articleBody"]) > 0.9


def test_a_pages_visible_text_is_read_by_its_lines_whatever_ends_them():
    for separator in ("\r\n", "\r", "\u2028", "\u2029"):
        article = _clean_text(_visible(THE_HILL).replace("\n", separator))
        assert article.title == "South Dakota governor doubles down on 'meth, we're on it' anti-drug campaign"
        assert "Briefing Room" not in article.text and "Meth is a serious problem in SD" in article.text


def test_a_korean_pages_visible_text_is_cut_by_its_sentences_too():
    article = _clean_text(_visible(ENTERMEDIA))
    assert article.language == "ko" and "page_text_trimmed" in article.flags
    assert "주말 밤 9시 MBC와 SBS는 막장극의 대결로 붙는 경우가 흔하다" in article.text
    assert "남상미 식의 새로운 요리법을 발견해낸 인상까지 든다" in article.text
    for furniture in ("전체뉴스", "정석희칼럼", "광고제휴문의", "등록번호", "All right reserved"):
        assert furniture not in article.text
    assert token_recall(article.text, fixture_pages()[ENTERMEDIA]["articleBody"]) > 0.85


def test_an_articles_own_text_is_left_whole():
    # short paragraphs and subheadings, but fewer lines than a page has: nothing is taken for furniture
    lines = [PARAGRAPH, "What happens next", "Buses will run instead.", PARAGRAPH.replace("Tuesday", "Monday")] * 6
    article = _clean_text("\n".join(lines))
    assert "page_text_trimmed" not in article.flags
    assert "What happens next" in article.text and article.text.count("Buses will run instead.") == 6
    assert article_lines(lines) is None


def test_a_list_the_article_announces_stays_with_it():
    dates = [f"June {day} -- Arena {day}, City {day}, ST" for day in range(1, 31)]
    menu = ["Home", "News", "Sport", "Weather", "Contact us"] * 4
    tour = ("The band will mark its anniversary with a tour of thirty dates across the country, its manager "
            "said on Tuesday, and tickets go on sale on Friday.")
    lines = menu + ["Band announces its anniversary tour with thirty dates across the country", "By A. Writer",
                    tour, PARAGRAPH, "The tour dates:", *dates,
                    "About us", "Careers", "Privacy policy", "Terms of use"]
    kept = article_lines(lines)
    assert kept is not None
    assert kept[0] == "Band announces its anniversary tour with thirty dates across the country"  # the headline
    assert dates[0] in kept and dates[-1] in kept
    assert "Home" not in kept and "Careers" not in kept


def test_a_list_that_closes_the_article_unannounced_stays_with_it():
    # Rolling Stone's tour dates under a plain heading, cbssports' "England (Group A): 10th appearance",
    # an interview's closing "Q: ... / A: ..." round: lines of one separator, several words each
    menu = ["Home", "News", "Sport", "Weather", "Contact us"] * 4
    story = [PARAGRAPH, PARAGRAPH.replace("Tuesday", "Wednesday")]
    footer = ["About us", "Careers", "Privacy policy", "Terms of use", "Follow us"]
    dates = [f"June {day} – City {day}, ST @ Arena {day}" for day in range(1, 13)]
    interview = [line for n in range(6) for line in (f"Q: Favourite place number {n}?", f"A: The river near the old mill {n}")]
    for heading, items in (("The Band Tour Dates", dates), (None, dates), (None, interview),
                           ("Qualified teams", [f"Team {n} (Group {n}): tenth appearance" for n in range(8)])):
        lines = menu + story + ([heading] if heading else []) + items + footer
        kept = article_lines(lines)
        assert kept is not None and kept[:2] == story
        assert items[0] in kept and items[-1] in kept
        assert "Home" not in kept and "Careers" not in kept and "Follow us" not in kept


def test_a_menu_whose_items_share_a_separator_is_not_taken_for_such_a_list():
    menu = ["Home", "News", "Sport", "Weather", "Contact us"] * 4
    story = [PARAGRAPH, PARAGRAPH.replace("Tuesday", "Wednesday")]
    guides = ["iOS 13: Maps", "iOS 13: Photos", "iOS 13: Safari", "iOS 13: Reminders", "iOS 13: Health"]
    tags = ["Tags: bridge", "Tags: council"]  # too few to be a list
    for tail in (guides, tags + ["About us", "Careers"] * 3):
        assert article_lines(menu + story + tail + ["About us", "Careers"] * 3) == story


FOX_BUSINESS = "51374560f40088e227f0053ff1bb0b8525d10a8d7bfbff1cd6033f42347fd85b"
FOX_BUSINESS_URL = "https://www.foxbusiness.com/markets/home-depot-sales-earnings-retail"


def test_the_article_is_found_below_its_headline_when_the_footer_outweighs_it():
    # a short report cut by a table of share prices, and two long lines of legal text in the footer
    text = _visible(FOX_BUSINESS)
    article = _clean_text(text, url=FOX_BUSINESS_URL)
    assert "page_text_trimmed" in article.flags
    for kept in ("earned $2.8 billion, or $2.53 per diluted share", "yet sales were below our expectations",
                 "sees fiscal year 2019 sales growth of 1.8 percent"):  # the paragraph above the table is lost
        assert kept in article.text
    for furniture in ("Quotes delayed at least 15 minutes", "Personal Finance", "Closed Captioning Policy",
                      "Vicente Aguiar loads garage door trims"):  # a photo's caption, told by its credit
        assert furniture not in article.text
    # an address that names no headline, or another one, changes nothing
    for url in (None, "https://www.foxbusiness.com/markets/12345", "https://example.com/council-votes-to-close-bridge"):
        article = _clean_text(text, url=url)
        assert "Quotes delayed at least 15 minutes" in article.text
        assert "sees fiscal year 2019 sales growth" not in article.text


def test_the_article_starts_at_its_headline_when_teasers_above_it_read_as_prose():
    # profootballtalk.com's "Most Commented" list: each teaser a full line that ends in its comment count
    menu = ["Home", "News", "Sport", "Weather", "Contact us"] * 4
    teasers = [f"Team {n} coach says the season is far from over after loss ({100 + n})" for n in range(8)]
    headline = "Council votes to close the old bridge to traffic"
    story = [PARAGRAPH, PARAGRAPH.replace("Tuesday", "Wednesday"), PARAGRAPH.replace("mayor", "governor")]
    lines = menu + ["Most Commented"] + teasers + [headline, "Posted by A. Writer"] + story + ["About us", "Careers"] * 4
    url = "https://example.com/2019/11/19/council-votes-to-close-old-bridge/"
    assert article_lines(lines, url=url) == [headline, "Posted by A. Writer", *story]
    assert teasers[0] in article_lines(lines)  # without the address the teasers open the run
    # an address of three words is too weak a clue to cut the run's start by
    assert teasers[0] in article_lines(lines, url="https://example.com/close-old-bridge/")


def test_the_nearest_line_the_address_names_above_the_article_is_its_headline():
    # the headline shares no word with the lead, so only the address tells it from the lines around it;
    # the breadcrumb trail further up repeats it
    menu = ["Home", "News", "Sport", "Weather", "Contact us"] * 4
    crumbs = "Home News Council votes to close the old bridge"
    headline = "Council votes to close the old bridge to traffic"
    story = ["Engineers found deep cracks in two of its main supports last week, the mayor said on Tuesday.",
             "Repairs would take a year and cost more than the town spends on its roads in five, he said.",
             "Drivers will have to use the ring road, which adds twenty minutes to the trip into town."]
    lines = menu + [crumbs, "Share", "Tweet", headline, "By A. Writer"] + story + ["About us", "Careers"] * 4
    url = "https://example.com/2019/11/19/council-votes-to-close-old-bridge/"
    assert article_lines(lines, url=url) == [headline, *story]
    assert article_lines(lines) == story  # without the address, nothing above the lead reads as its headline
    article = _clean_text("\n".join(lines), url=url)
    assert article.title == headline and article.text.startswith("Engineers found deep cracks")


def test_a_headline_far_above_its_article_is_found_when_it_shares_most_of_its_words():
    # bbc.com: a share panel of 25 lines between the headline and the lead, and an address of digits;
    # a menu item further up that shares the story's words is no headline
    menu = ["Home", "News", "Sport", "Weather", "Council Bridge Cracks", "Contact us"] * 3
    headline = "Council closes the old bridge after engineers find cracks"
    panel = [f"Share this with {site}" for site in ("Email", "Facebook", "Messenger", "Twitter", "Pinterest")] * 5
    story = [PARAGRAPH, PARAGRAPH.replace("Tuesday", "Wednesday"), PARAGRAPH.replace("mayor", "governor")]
    lines = menu + [headline] + panel + story + ["About us", "Careers"] * 4
    url = "https://example.com/news/uk-50473792"
    assert article_lines(lines, url=url) == [headline, *story]
    assert article_lines(menu + panel + story + ["About us", "Careers"] * 4, url=url) == story


def test_a_paywalled_pages_headline_is_found_by_its_address():
    # wsj.com: one paragraph of prose under a headline that shares two of its ten words with it
    article = _clean_text(_visible(WSJ), url=WSJ_URL)
    assert article.title == "Google Stadia, Microsoft xCloud, Apple Arcade: So Many Ways to Play…and Pay"
    assert article.text.startswith("Gaming used to be so simple.")
    assert _clean_text(_visible(WSJ)).title is None


def test_a_comment_section_that_names_the_post_ends_the_article():
    menu = ["Home", "News", "Sport", "Weather", "Contact us"] * 4
    story = [PARAGRAPH, PARAGRAPH.replace("Tuesday", "Wednesday"), PARAGRAPH.replace("mayor", "governor"),
             PARAGRAPH.replace("council", "county board")]
    for heading in ("34 responses to “Council votes to close the old bridge.”",
                    "12 thoughts on \"Council votes to close the old bridge\""):
        comments = [heading, "jsmith says:", "November 19, 2019 at 6:34 am",
                    "I drove over that bridge every day for twenty years and always thought it looked unsafe.",
                    "anna_k says:", "November 19, 2019 at 6:44 am",
                    "The council should have repaired the supports years ago instead of spending the money elsewhere."]
        assert article_lines(menu + story + comments * 3 + ["About us", "Careers"]) == story


def test_a_page_that_carries_its_article_twice_gives_it_once():
    # businessinsider.com's pages hold the article three times, with structured data between the copies
    menu = ["Home", "News", "Sport", "Weather", "Contact us"] * 4
    story = [PARAGRAPH, PARAGRAPH.replace("Tuesday", "Wednesday"), PARAGRAPH.replace("mayor", "governor"),
             PARAGRAPH.replace("council", "county board")]
    data = ["10 things to know today", "Charlie Wood", "2019-11-19T08:57:40+01:00", "500", "250",
            "https://example.com/image.jpg", "Example News"]
    assert article_lines(menu + story + data + story + data + story + ["About us", "Careers"] * 3) == story


def test_the_comments_below_an_article_are_not_part_of_it():
    menu = ["Home", "News", "Sport", "Weather", "Contact us"] * 4
    story = [PARAGRAPH, PARAGRAPH.replace("Tuesday", "Wednesday"), PARAGRAPH.replace("mayor", "governor"),
             PARAGRAPH.replace("council", "county board")]
    comments = ["12 Comments", "jsmith", "3 hours ago",
                "I drove over that bridge every day for twenty years and always thought it looked unsafe to me. "
                "The railings were rusty, the lights were out half the time, and nobody ever came to fix the "
                "potholes at the north end, so I am not surprised at all that the engineers found cracks now.",
                "Reply", "anna_k", "2 hours ago",
                "The council should have repaired the supports years ago instead of spending money on the new "
                "park by the river. Every budget meeting someone raised the bridge and every time it was pushed "
                "back to next year, and now we will all pay more for the buses and the repairs together.",
                "Reply"]
    kept = article_lines(menu + story + comments * 2 + ["About us", "Careers"])
    assert kept == story
    for heading in ("[ 167 comments ]", "Top Rated Comments", "Comments (12)"):  # macrumors.com and others
        assert article_lines(menu + story + [heading] + comments[1:] * 2 + ["About us", "Careers"]) == story


def test_a_fact_checks_list_of_sources_ends_it():
    # politifact.com and snopes.com: the sources are full citations, many of them long enough for prose
    menu = ["Home", "News", "Sport", "Weather", "Contact us"] * 4
    story = [PARAGRAPH, PARAGRAPH.replace("Tuesday", "Wednesday"), PARAGRAPH.replace("mayor", "governor"),
             PARAGRAPH.replace("council", "county board")]
    sources = [f"Daily Courier, \"Engineers warn of cracks in the supports of the old bridge over the river,\" "
               f"Oct. {day}, 2019, accessed Nov. 13, 2019 from the paper's online archive" for day in range(1, 9)]
    for heading in (["Sources:"], ["About this statement:", "Researched by: A. Writer"], ["Our Sources"]):
        assert article_lines(menu + story + heading + sources + ["About us", "Careers"]) == story
    # "Sources" as the subheading of a short text, with little article above it, ends nothing
    assert sources[0] in article_lines(menu + story[:1] + ["Sources"] + sources + ["About us", "Careers"])


def test_the_authors_biography_is_not_part_of_the_article():
    # wired.com, smithsonianmag.com, foxnews.com: a line about the author closes the article, often with
    # a heading over it, and the site's own prose below it ("WIRED is where tomorrow is realized. ...")
    menu = ["Home", "News", "Sport", "Weather", "Contact us"] * 6
    story = [PARAGRAPH, PARAGRAPH.replace("Tuesday", "Wednesday"), PARAGRAPH.replace("mayor", "governor"),
             PARAGRAPH.replace("council", "county board")]
    site = ("The Daily Courier is where the news of the valley is told first. It is the essential source of "
            "information on the towns, the river and the people who live along it, every day of the year.")
    for bio in (["Jane Doe (@janedoe) is a Staff Writer at the Daily Courier covering transport and the county's "
                 "roads. She was formerly an editor at the Valley Post."],
                ["Jane is an LA Entertainment Reporter for the Daily Courier."],
                ["About Jane Doe", "Born and raised by the river, she has covered the valley's towns and their "
                 "councils for twenty years and wrote a book about its bridges."],
                ["Über Émile Dupont", "Émile Dupont schreibt seit zwanzig Jahren über die Städte des Tals und ihre Brücken, "
                 "zuerst für die Lokalzeitung und heute für uns."]):
        assert article_lines(menu + story + bio + ["Staff Writer", "Featured Video", site, "Careers"]) == story
    # a reporter named inside the article is one line of it, and the article goes on past it
    named = "Jane Doe is a reporter for the Daily Courier who first wrote about the cracks in the supports in 2017."
    assert article_lines(menu + story[:2] + [named] + story[2:] + ["About us", "Careers"]) == \
        story[:2] + [named] + story[2:]


def test_text_with_no_prose_is_left_to_the_other_checks():
    menu = ["Home", "News", "Sport", "Weather", "Contact us", "About", "Jobs", "Help"] * 5
    assert article_lines(menu) is None


def test_prose_is_told_by_its_sentences_in_any_script():
    assert is_prose(PARAGRAPH)
    assert not is_prose("Krystal Ball issues warning to Biden supporters")  # a teaser headline
    assert not is_prose("Home")
    assert is_prose("主要ニュースによると、政府は来年度の予算案を閣議決定し、国会に提出する方針を明らかにした。")
    assert not is_prose("政治経済国際")  # a menu of three sections


PIECES = ["Home", "News", "Sign up for our newsletter", "1 2 3 4", "- Teaser headline about the week in review",
          "The tour dates:", "June 9 -- Arena, City", PARAGRAPH, "短い", "主要ニュースによると、政府は来年度の予算案を閣議決定した。",
          "Copyright 2019 Example Media", "Read more:", "By A. Writer", "12 Comments", PARAGRAPH * 4]


@given(st.lists(st.sampled_from(PIECES), min_size=0, max_size=120))
@settings(max_examples=300, deadline=None)
def test_any_mix_of_lines_gives_a_run_of_them_in_order_or_nothing(lines):
    kept = article_lines(lines)
    if kept is None:
        return
    assert kept and any(is_prose(line) for line in kept)
    body = kept[1:] if len(kept) > 1 and not is_prose(kept[0]) else kept
    # the article is a contiguous run of the input (after at most one headline line above it)
    n = len(body)
    assert any(lines[i:i + n] == body for i in range(len(lines) - n + 1))


FLOOD = ("Heavy rain flooded the town of Riverside on Monday, officials said. Hundreds of homes &amp; shops were "
         "damaged and roads were closed across the county.")


def test_markup_in_scraped_text_is_taken_out():
    text = (f"Flood hits Riverside\n<p>{FLOOD}</p>\n<p class=\"body\">Residents were evacuated to a school gym&nbsp;and "
            "the mayor said the &quot;worst is over&quot;.</p><br/>More rain is expected on Wednesday, forecasters "
            "said.<script>var tracker = 1;</script>")
    article = _clean_text(text)
    assert "markup_removed" in article.flags
    assert "Hundreds of homes & shops were damaged" in article.text
    assert 'the mayor said the "worst is over".' in article.text
    for markup in ("<p", "</p>", "<br", "&nbsp;", "&amp;", "tracker"):
        assert markup not in article.text
    assert "More rain is expected on Wednesday" in article.text.split("\n\n")[-1]  # <br/> ended the line


def test_angle_brackets_that_are_not_markup_stay():
    korean = ("MBC <숨바꼭질>은 방영을 시작한 지 얼마 되지 않았지만 벌써 지쳐가는 인상이다. 여주인공 이유리의 연기는 "
              "그녀의 막장 히트작 <왔다, 장보리>의 연민정처럼 감정펀치다. 시청자들은 <숨바꼭질>의 다음 회를 기다린다.")
    article = _clean_text(korean)
    assert "<숨바꼭질>" in article.text and "<왔다, 장보리>" in article.text
    maths = f"{FLOOD} The ratio held where a<b and c>d, the engineers said in their report on the damage."
    article = _clean_text(maths)
    assert "a<b and c>d" in article.text and "markup_removed" not in article.flags


def test_a_whole_html_document_sent_as_text_is_cleaned_as_a_page():
    page = ("<!DOCTYPE html><html><head><title>Flood hits Riverside | Daily Courier</title></head><body>"
            "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>Flood hits Riverside</h1>"
            f"<p>{FLOOD}</p><p>Residents were evacuated to a school gym and the mayor said the worst is over. More "
            "rain is expected on Wednesday, forecasters said.</p></article><footer>Copyright Daily Courier</footer>"
            "</body></html>")
    article = _clean_text(page)
    assert "html_given_as_text" in article.flags
    assert article.title == "Flood hits Riverside"
    assert article.text.startswith("Heavy rain flooded the town of Riverside")
    assert "Home" not in article.text and "Copyright" not in article.text and "<" not in article.text


def test_scripts_and_comments_in_scraped_text_go_whole_and_unclosed_ones_stay_text():
    from pipeline.cleaning.normalize import strip_markup
    assert strip_markup("a<script>var x = '<p>';</script>b <p>c</p>") == "a b \nc\n"
    assert strip_markup("x <!-- hidden <b>y</b> --> z<br>w") == "x   z\nw"
    assert strip_markup("<p>a</p><STYLE>p {}</style>b") == "\na\n b"
    assert strip_markup("<p>a</p><script>never closed") == "\na\n<script>never closed"
    # many comments before the text: one way to read them (a comment cannot hold "-->"), not 2**300
    text = "<!-- a -->" * 300 + f"<p>{FLOOD}</p><p>{FLOOD.replace('Monday', 'Tuesday')}</p>"
    article = _clean_text(text)
    assert "html_given_as_text" not in article.flags and article.text.startswith("Heavy rain flooded")


def test_a_page_scraped_as_markdown_gives_the_article_in_plain_text():
    page = (FIXTURES / f"{THE_HILL}.visible.md").read_text(encoding="utf-8")
    article = _clean_text(page, url=fixture_pages()[THE_HILL]["url"])
    assert {"markdown_removed", "page_text_trimmed"} <= set(article.flags)
    assert article.title == "South Dakota governor doubles down on 'meth, we're on it' anti-drug campaign"
    assert "cost the state roughly $449,000, according to the Sioux Falls Argus Leader." in article.text
    for markup in ("](", "[", "**", "argusleader.com", "fbclid", "/homenews/"):
        assert markup not in article.text
    for furniture in ("Briefing Room", "Krystal Ball issues warning", "Capitol Hill Publishing"):
        assert furniture not in article.text
    assert token_recall(article.text, fixture_pages()[THE_HILL]["articleBody"]) > 0.9


def test_html2text_markdown_loses_its_emphasis_escapes_and_link_tooltips():
    # html2text writes italics with underscores, escapes the marks it meets in the text, keeps a link's
    # whole title attribute (a teaser's summary), addresses with parentheses, icon links as bare "__",
    # and an image's whole caption as its alt text
    tooltip = "Another story's summary, " + "long enough to fill a tooltip " * 12
    caption = "A long caption (Photo by A. Photographer / AFP) " * 12
    text = "\n\n".join([
        "[Home](/) [World](/world) [Sport](/sport)",
        '__ __ [ __](http://pinterest.com/pin/?description=WASHINGTON%20(AP)%20Text "Share on Pinterest")',
        f"![{caption}](data:image/gif;base64,R0lGODlh)",
        f"[Another story](/other \"{tooltip}\")",
        "The council voted, _the Los Angeles Times_ reported, to close the \\[old\\] bridge on *Tuesday*.",
        "1\\. The snake\\_case\\_name of the file and 5 * 3 * 2 stay as they are.",
    ])
    article = _clean_text(text + "\n\n" + FLOOD)
    assert "markdown_removed" in article.flags
    assert "the Los Angeles Times reported, to close the [old] bridge on Tuesday." in article.text
    assert "1. The snake_case_name of the file and 5 * 3 * 2 stay as they are." in article.text
    for markup in ("tooltip", "_the", "__", "pinterest", "AP)", "Photographer"):
        assert markup not in article.text


def test_a_link_whose_words_run_over_lines_goes_whole_from_the_markdown():
    # an embedded post is a link around a block: html2text opens it with "[" on a line of its own and
    # closes it with "](address)" lines below; the two embeds between paragraphs must not split the article
    paragraphs = [f"{PARAGRAPH[:-1]}, officials said on day {day} of the closure." for day in range(1, 9)]
    embed = "\n".join(["[", "](https://twitter.com/council/status/1196529376915066881?s=20)", "[",
                        "Image Copyright @council", "@council",
                        "](https://twitter.com/council/status/1196529376915066881?s=20)",
                        "[](https://twitter.com/council/status/1196529376915066881?s=20)"
                        "[Report](https://www.example.com/news/contact-us/editorial)"])
    menu = "\n".join(f"* [{name}](https://www.example.com/{name.lower()})" for name in
                      ("Home", "News", "Sport", "Weather", "Video", "Business", "Travel", "Culture") * 3)
    page = "\n".join([menu, "# Old bridge closed to all traffic", *paragraphs[:4], embed, embed,
                      *paragraphs[4:], "## Related Topics", menu])
    article = _clean_text(page)
    assert "markdown_removed" in article.flags
    for paragraph in paragraphs:
        assert paragraph in article.text
    for markup in ("](", "twitter.com", "Weather"):
        assert markup not in article.text
    # a blank line ends a paragraph, and a link's words with it: brackets around paragraphs stay text
    from pipeline.cleaning.normalize import strip_markdown
    links = "[Home](/) [News](/news) [Sport](/sport)\n"
    assert strip_markdown(links + "[The survey\n\nsaid](https://example.com/a)") == \
        "Home News Sport\n[The survey\n\nsaid](https://example.com/a)"
    assert strip_markdown(links + "[The survey\nsaid](https://example.com/a)") == "Home News Sport\nThe survey\nsaid"


def test_text_with_brackets_and_hashes_is_not_taken_for_markdown():
    text = (f"{FLOOD} Officials cited the 2019 report [1] and the county's own survey (2021). "
            "#Riverside was trending. The # of homes damaged rose to 300 [2].")
    article = _clean_text(text)
    assert "markdown_removed" not in article.flags
    assert "#Riverside was trending" in article.text and "The # of homes" in article.text


def test_sentences_wrapped_over_lines_count_as_the_prose_they_are():
    wrapped = ["Photos which were released online and are making the rounds on social media",
               "show the actress looking absolutely stunning in new make-up photos taken",
               "at an event in Lagos on Saturday.",
               "The veteran actress, who won the award for best actress in 2008, has taken",
               "to her Instagram page to share some stunning photos of herself and her",
               "family, and thanked her fans for their kind words."]
    menu = ["Home", "Entertainment", "Latest News", "Sports", "Contact"] * 6
    teaser = ["You may like these posts", "Another star shows off a new look at a party", "June 19, 2019"]
    kept = article_lines(menu + wrapped + ["Tags:", "Entertainment"] + teaser * 2)
    assert kept == wrapped


def test_a_sentence_broken_over_lines_is_one_paragraph_and_not_the_title():
    # a page whose paragraphs carry a <br> in every line (lindaikejisblog.com as visible text): a line
    # broken off inside a sentence ("... won the", "show Nigerian actress, ...") was the title, and
    # every line was a paragraph of its own, the brief a fragment
    text = "\n".join([
        "Nollywood Actress, Kate Henshaw Is Looking Stunning In New Photos",
        "Photos which were released online and are making the rounds on social media,",
        "show Nigerian actress, Kate Henshaw, looking absolutely stunning in new",
        "photos she shared on her page.",
        "Veteran Nollywood actress, Kate Henshaw, who in 2008, won the",
        "Africa Movie Academy Award for Best Actress in a Leading Role, has taken",
        "to her Instagram page to share some stunning photos of herself.",
        "She flaunted her hand bag which had the colours of the Nigerian",
        "flag. The 47 year old was one of the guests invited to an event by media",
        "mogul, Debola Lagos.",
    ])
    art = clean(RawArticle(id="wrapped", source="scraper", text=text, url="https://www.lindaikejisblog.com/2019/11/"
                           "nollywood-actress-kate-henshaw-is-looking-stunning-in-new-photos.html"))
    assert art.title == "Nollywood Actress, Kate Henshaw Is Looking Stunning In New Photos"
    paragraphs = art.text.split("\n\n")
    assert paragraphs[0] == ("Photos which were released online and are making the rounds on social media, show "
                             "Nigerian actress, Kate Henshaw, looking absolutely stunning in new photos she shared on "
                             "her page.")
    assert "Africa Movie Academy Award for Best Actress in a Leading Role, has taken to her Instagram page to share " \
           "some stunning photos of herself." in paragraphs
    assert "She flaunted her hand bag which had the colours of the Nigerian flag. The 47 year old was one of the " \
           "guests invited to an event by media mogul, Debola Lagos." in paragraphs
