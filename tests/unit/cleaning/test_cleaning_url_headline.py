"""The words of a page's address that name its headline, and where that headline stands."""
from __future__ import annotations

from pipeline.cleaning.url_headline import headline_at, headline_span, names_headline, slug_words


def test_the_wordiest_path_segment_gives_the_headline_words():
    assert slug_words("https://detroit.cbslocal.com/2019/11/19/michigan-officials-6th-fatality-linked-to-"
                      "eastern-equine-encephalitis-reported/") == {
        "michigan", "officials", "fatality", "linked", "eastern", "equine", "encephalitis", "reported"}
    assert slug_words("https://www.chron.com/business/article/New-car-sales-plunge-10-percent-14846745.php") == {
        "new", "car", "sales", "plunge", "percent"}
    assert slug_words("https://example.de/politik/b%C3%BCrgermeister_w%C3%A4hlt_neuen_rat.html") == {
        "bürgermeister", "wählt", "neuen", "rat"}


def test_an_address_without_a_headline_gives_nothing():
    for url in (None, "", "https://example.com/", "https://example.com/news/article/123456",
                "https://example.com/index.php?id=7&title=council-votes-to-close-bridge",
                "https://example.com/2019/11/19/budget-vote", "http://[bad"):
        assert slug_words(url) == frozenset()


def test_the_headline_is_the_first_place_holding_most_of_the_slug_words():
    slug = slug_words("https://example.com/council-votes-to-close-old-bridge")
    lines = ["Home", "Council", "Bridge works begin", "Council votes to close the old bridge",
             "The council voted on Tuesday to close the old bridge.", "Council votes to close old bridge"]
    assert headline_at(lines, slug) == 3
    assert headline_at(lines[:3], slug) is None
    words = " ".join(lines).split()  # run together, words in a window: the region the headline opens
    assert headline_at(words, slug, window=4) == words.index("votes") - 1
    assert headline_at(words, slug, window=15) == 1
    assert headline_at(lines, frozenset()) is None


def test_a_line_names_the_headline_when_it_reads_as_one_headline():
    slug = slug_words("https://example.com/2019/11/19/does-the-mayor-have-a-net-worth-of-17-million/")
    for headline in ("Does the Mayor Have a Net Worth of $17 Million?", "The mayor's net worth: 'Not $17 million!'",
                     "Rep. Jones asks: does the mayor have a net worth of $17 million"):
        assert names_headline(headline, slug), headline
    for line in ("The mayor has a net worth of $17 million, the post said.",  # a statement: the lead or a caption
                 "Does the mayor have a net worth of $17 million? Read […]",  # a teaser trailing off
                 "Mayor's net worth of $17 million questioned. (Published Monday, Nov. 18, 2019)",  # two sentences
                 "The mayor's budget",  # too few of the address's words
                 " ".join(["Does the mayor have a net worth of 17 million"] * 3)):  # no headline is that long
        assert not names_headline(line, slug), line
    assert not names_headline("Does the Mayor Have a Net Worth of $17 Million?", frozenset())


def test_in_words_run_together_the_headline_is_the_stretch_holding_the_slugs_words():
    slug = slug_words("https://example.com/council-votes-to-close-old-bridge")
    words = ("Home Council Bridge works begin Council votes to close the old bridge By Jane Doe "
             "The council voted on Tuesday to close the old bridge.").split()
    first, end = headline_span(words, slug, before=words.index("voted") - 2)
    assert words[first:end] == "Council votes to close the old bridge".split()
    # given twice in a row, the first copy, not the stretch across the seam
    slug = slug_words("https://example.com/news/world-community-lashes-out-us-no-longer-considering-settlements-illegal")
    headline = "World Community Lashes Out at US for No Longer Considering Settlements Illegal"
    words = f"Home NEWS {headline} {headline} Published November 20th, 2019 A man rides".split()
    assert headline_span(words, slug, before=words.index("Published")) == (2, 2 + len(headline.split()))


def test_a_headline_runs_on_past_the_last_word_its_address_names():
    slug = slug_words("https://bgr.com/2019/11/19/apple-black-friday-2019-deals-best-available-now/")
    words = "Deals The 10 best early Black Friday deals on Apple devices Maren Estrada November 19th".split()
    first, end = headline_span(words, slug, before=words.index("Maren"))
    assert " ".join(words[first:end]) == "The 10 best early Black Friday deals on Apple devices"


def test_a_sentence_or_an_address_that_names_the_slugs_words_is_no_headline():
    slug = slug_words("https://example.com/2019/11/19/disney-plus-kevin-mayer")
    words = "Home News Disney Co. executive Kevin Mayer said overwhelming demand and a glitch led to problems.".split()
    assert headline_span(words, slug, before=len(words)) is None
    words = "Share https://example.com/2019/11/19/disney-plus-kevin-mayer Home News".split()
    assert headline_span(words, slug, before=len(words)) is None
    # nor is one that opens below where the article starts
    words = "Home News The report said the deal was done. Disney Plus chief Kevin Mayer leaves".split()
    assert headline_span(words, slug, before=2) is None
