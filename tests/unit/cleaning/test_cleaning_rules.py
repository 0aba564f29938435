"""Rules from data, normalisation, URLs and titles."""
from __future__ import annotations

import pytest
import yaml

from pipeline.cleaning import CleaningConfig, Rules, canonical_url, clean
from pipeline.cleaning.normalize import detect_language, language_tag, normalise_text
from pipeline.cleaning.rules import DEFAULT_RULES
from schemas.models import RawArticle

from .conftest import LOREM

RULES = Rules.load()
PAD = [f"Filler paragraph {i} that is long enough to be content and ends like a sentence." for i in range(12)]


def clean_lines(lines, **kw):
    return RULES.clean_lines(lines, **kw)[0]


@pytest.mark.parametrize("before,after", [
    ("Talks began on Tuesday [1].", "Talks began on Tuesday."),
    ("The ties remain solid [1, 2, 3]. Next sentence [2, 3].", "The ties remain solid. Next sentence."),
    ("A claim [4-6] and another [12].", "A claim and another."),
    ("Disputed figure[citation needed] here.", "Disputed figure here."),
    ("Keep [sic] and [Reuters] and arrays like a[0].", "Keep [sic] and [Reuters] and arrays like a[0]."),
])
def test_citation_markers(before, after):
    assert clean_lines([before]) == [after]


@pytest.mark.parametrize("before,after", [
    # a parenthesised group of markers goes with its parentheses and separators
    ("The bloc has since sought to diversify its energy supplies ([1], [2]).",
     "The bloc has since sought to diversify its energy supplies."),
    ("Gazprom cut deliveries through Nord Stream 1 in June ([3]; [4]), the company said.",
     "Gazprom cut deliveries through Nord Stream 1 in June, the company said."),
    ("Prices rose by 40 per cent in a year ([5-7]) before falling back.",
     "Prices rose by 40 per cent in a year before falling back."),
    ("Turnout was the lowest since 1945 ([a], [b]).", "Turnout was the lowest since 1945."),
    # a series of markers with the commas between them
    ("The summit was postponed twice [1], [2], and finally held in March [3].",
     "The summit was postponed twice, and finally held in March."),
    # lettered notes glued to a word or before punctuation
    ("Xi Jinping[a] arrived in Moscow on Monday for a three-day state visit.",
     "Xi Jinping arrived in Moscow on Monday for a three-day state visit."),
    ("The treaty was signed in 2001 [b].", "The treaty was signed in 2001."),
    ("The figure excludes Crimea,[c] the ministry said.[d]", "The figure excludes Crimea, the ministry said."),
    ("Growth was 3.1 per cent[1][a] in the first quarter.", "Growth was 3.1 per cent in the first quarter."),
])
def test_citation_debris_goes_with_its_markers(before, after):
    assert clean_lines([before]) == [after]


@pytest.mark.parametrize("line", [
    "\"They [the minister and his aides] knew about the report,\" she said.",
    "The letter was signed \"yours trully [sic]\" by the ambassador.",
    "The speaker paused [laughter] and went on to thank the delegates.",
    "The spokesman said the talks (held in Geneva) were \"constructive\".",
    "Survey respondents could choose between answer [a] and answer [b] in the second round.",
    "The index a[0] is set to zero before the loop starts, the engineers explained.",
    "The agency [Reuters] could not independently verify the claims made in the video.",
])
def test_bracketed_text_that_is_no_citation_stays(line):
    assert clean_lines([line]) == [line]


def test_navigation_takes_its_teasers_but_not_the_article():
    lines = ["Body paragraph that ends like a sentence.", "Previous Article", "Some Teaser Headline Here",
             "Next Article", "Another Teaser Headline"]
    assert clean_lines(lines) == ["Body paragraph that ends like a sentence."]
    # a teaser slot never swallows a sentence
    lines = ["Next Article", "This is a real closing paragraph of the story, and it ends with a full stop."]
    assert clean_lines(lines) == [lines[1]]


def test_related_blocks_in_other_languages_take_their_teasers():
    for marker in ("Mehr zum Thema", "À lire aussi", "Lo más leído", "Più letti", "Mais lidas", "Meest gelezen"):
        assert clean_lines(PAD[:3] + [marker, "Bahn streicht Verbindungen", "Streik legt Verkehr lahm"] + PAD[3:]) == PAD


def test_dont_miss_block_with_several_teasers():
    lines = PAD[:3] + ["DON'T MISS", "Headline one [INSIGHT]", "Headline two [VIDEO]", "Headline three"] + PAD[3:]
    assert clean_lines(lines) == PAD


@pytest.mark.parametrize("photo", [
    ["Duck fluff and feathers in the middle of a drying process, to be used in duvets.", "Photo: Getty Images"],
    ["Above: A WeWork coworking space in San Francisco.", "Image Credit: WeWork"],
    ["Home Depot stock fell after the retailer reported third-quarter earnings.",
     "Photograph by Robyn Beck/AFP/Getty Images"],
    ["An artist's illustration of a plume of water vapor over Jupiter's moon Europa.",
     "(Image: © NASA/ESA/K. Retherford/SWRI)"],
    ["Yersinia pestis, the bacteria that cause plague, survives on fleas that live on rodents.",
     "( STEVE GSCHMEISSNER/SCIENCE PHOTO LIBRARY)"],
    ["Burning crop stubble outside of Delhi is sending smoke into the city and harming air quality.",
     "Sakib Ali/Hindustan Times/Getty Images"],
    ["Spain's Rafael Nadal celebrates a point against Russia's Karen Khachanov in Madrid. (Manu Fernandez/AP)"],
    ["The core stage of the first SLS at Michoud after the installation of its engines. (credit: NASA/Jude Guidry)"],
    ["The border check point near the Port of Entry in Nogales, Ariz. (AP)"],
    ["Scooter Braun and Scott Borchetta pose for a photo in Montecito, California. (Photo by Kevin Mazur)"],
    ["A reference habitation module for a crewed Mars mission compared to its equivalent. Credit: ESA"],
    ["The latest case of bubonic plague was reported after a hunter ate a rabbitCredit: Getty - Contributor"],
    ["A cyclist rides next to a blocked petrol plant in La Paz, Bolivia, November 19, 2019. © Reuters / David Mercado"],
])
def test_a_photos_caption_goes_with_its_credit(photo):
    assert clean_lines(PAD[:4] + photo + PAD[4:]) == PAD


@pytest.mark.parametrize("lines", [
    ["Is Football Violence a Crime?", "Photo: Getty Images"],  # a headline or subheading over a photo
    ["The Season Ahead", "Photo: Getty Images"], ["The Season Ahead", "Photo: Reuters"],
    ["The Season Ahead", "Image credit: Getty Images"],
    ["Officials said the talks would resume.", "© John Brecher"],  # a credit above its photo: the lead follows
    ["Photo: Getty Images", "Prices rose by two percent in March, the agency said."],
    ["The talks resumed (and/or ended) in Geneva this week."],  # parentheses that credit no one
    ["The results of the survey were mixed, officials said (page 2/3)."],
    ["The bank put it plainly in its report: Credit conditions tightened in March."],
    ["The survey was run by the council.", "Weekly/Monthly Reports"],  # slashes that name no agency
    ["The pact was signed in Paris, officials said.", "Smith/Jones/Reuters Institute report"],
])
def test_what_only_neighbours_a_photo_credit_stays(lines):
    kept = clean_lines(PAD[:4] + lines + PAD[4:])
    assert [line for line in lines if not line.startswith(("Photo:", "Image credit:", "©"))] \
        == [line for line in kept if line not in PAD]


def test_the_last_paragraph_over_a_credit_that_ends_the_text_stays():
    # the credit of the page's main photo, given at its foot
    last = "Alibaba's listing ceremony is due to be held at the Hong Kong Stock Exchange next Tuesday."
    assert clean_lines(PAD + [last, "Image credit: Getty"]) == PAD + [last]


@pytest.mark.parametrize("line", [
    "No time to read?", "Get a summary", "No time to read? Get a summary", "Read more: Alibaba poised to launch listing", "READ MORE",
    "Like this story? Share it with a friend!", "Share this article", "Sign up for our newsletter",
    "Subscribe to the Morning Review newsletter", "Follow us on Twitter and Facebook",
    "We use cookies to improve your experience.",
    "© 2019 Associated Press. All Rights Reserved.", "Advertisement", "- Print Article",
    "Daily Courier 5 | Home | World | Politics | Business | Sport", "News • Sport • Weather • Culture",
    # the same furniture in German, French, Spanish, Italian, Portuguese and Dutch
    "Lesen Sie auch: Bahn streicht Verbindungen", "Artikel teilen", "Anzeige", "Alle Cookies akzeptieren",
    "Wir verwenden Cookies, um Ihnen das beste Erlebnis zu bieten.", "À lire aussi : la grève continue",
    "Partager", "Publicité", "Nous utilisons des cookies pour améliorer votre expérience.", "Leer más",
    "Compartir en Facebook", "Leggi anche: il governo cade", "Leia também: Lula viaja", "Lees ook: kabinet valt",
])
def test_furniture_lines(line):
    assert clean_lines(PAD[:4] + [line] + PAD[4:]) == PAD


@pytest.mark.parametrize("line", [
    "Read the statement carefully, the minister told reporters, because every word in it was chosen.",
    "The newsletter, founded in 1998 by two former teachers, now reaches forty thousand readers every week "
    "and has become an unlikely force in the state's education politics, according to both parties.",
    "She said the photos were taken in March, long before the incident, and that nobody had altered them.",
    "By the time the police arrived, the crowd had already left the square and the shops were closed again.",
    "Arsenal | 10 | 7 | 2 | 1 | 23", "Summit in Moscow | Day two",
    "Die Bahn will die Strecke teilen, sagte ein Sprecher am Montag in Berlin.",
    "Le gouvernement veut partager les coûts avec les régions, a indiqué le ministre.",
    "Werbung für Zigaretten ist in Deutschland seit Jahren stark eingeschränkt worden.",
])
def test_content_that_looks_like_furniture_survives(line):
    assert line in clean_lines(PAD[:2] + [line] + PAD[2:])


def test_head_rules_only_apply_at_the_top():
    dateline = "November 20, 2019 - 11:28 AMT"
    assert dateline not in clean_lines([dateline] + PAD)
    assert dateline in clean_lines(PAD[:6] + [dateline] + PAD[6:])


def test_dated_site_rules(tmp_path):
    data = yaml.safe_load(DEFAULT_RULES.read_text(encoding="utf-8"))
    data["sites"] = [{"domain": "example.com", "valid_from": "2024-01-01", "valid_to": "2024-12-31",
                      "lines": [{"name": "example_promo", "patterns": ["Try Example Plus.*"]}]}]
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    rules = Rules.load(path)
    lines = PAD[:2] + ["Try Example Plus free for a month"] + PAD[2:]
    assert rules.clean_lines(lines, host="www.example.com", published="2024-06-01")[0] == PAD
    assert len(rules.clean_lines(lines, host="www.example.com", published="2023-06-01")[0]) == len(lines)
    assert len(rules.clean_lines(lines, host="www.example.com", published="2025-01-02")[0]) == len(lines)
    assert len(rules.clean_lines(lines, host="other.org", published="2024-06-01")[0]) == len(lines)
    # and through clean(), with the rules file named in the config
    cfg = CleaningConfig(rules_path=str(path))
    art = clean(RawArticle(id="1", source="ex", url="https://www.example.com/a", published="2024-03-03T10:00:00Z",
                           text="\n".join(LOREM + ["Try Example Plus free for a month"])), config=cfg)
    assert "Example Plus" not in art.text


def test_bad_rules_are_refused(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("version: 1\nlines:\n  - name: x\n    patterns: ['(unclosed']\n", encoding="utf-8")
    with pytest.raises(ValueError):
        Rules.from_file(path)
    path.write_text("version: 2\n", encoding="utf-8")
    with pytest.raises(ValueError):
        Rules.from_file(path)


@pytest.mark.parametrize("url,expected", [
    ("HTTPS://WWW.Example.COM:443/News/Story/?utm_source=x&utm_medium=y&id=7#comments",
     "https://www.example.com/News/Story?id=7"),
    ("http://example.com", "http://example.com/"),
    ("http://example.com/", "http://example.com/"),
    ("http://example.com:8080/a//b/?b=2&a=1&fbclid=zz&gclid=1", "http://example.com:8080/a/b?a=1&b=2"),
    ("https://example.com/caf%C3%A9", "https://example.com/caf%C3%A9"),
    ("https://example.com/café", "https://example.com/caf%C3%A9"),
    ("ftp://example.com/file", None), ("not a url", None), ("", None), (None, None),
])
def test_canonical_url(url, expected):
    assert canonical_url(url, RULES.tracking_params) == expected


def test_joiners_that_spell_a_word_stay_and_stray_ones_go():
    # Persian writes "earthquake" with a zero-width non-joiner; without it the two halves join into a
    # word nobody writes. Devanagari and emoji sequences use the joiner the same way.
    assert normalise_text("زمین\u200cلرزه در تهران") == "زمین\u200cلرزه در تهران"
    assert normalise_text("हिन्\u200dदी") == "हिन्\u200dदी"
    assert normalise_text("\U0001F468\u200d\U0001F469 family") == "\U0001F468\u200d\U0001F469 family"
    # inside a Latin word, or at an edge, they are copy-and-paste junk that only defeats matching
    assert normalise_text("Hel\u200clo wor\u200dld \u200cstart caf\u00e9\u200d") == "Hello world start café"


def test_normalisation():
    text = "  Cafe\u0301 \u201cquoted\u201d \u2018single\u2019\u00a0and\u2009thin  \r\n\n\n\nx \u2010 y \u2212 z\u200b \ufb01ne "
    assert normalise_text(text) == 'Café "quoted" \'single\' and thin\n\nx - y - z fine'
    assert normalise_text("The Mona Lisa doesn\u00e2\u20ac\u2122t have eyebrows.") == "The Mona Lisa doesn't have eyebrows."
    assert normalise_text("Fish &amp; chips") == "Fish & chips"
    assert normalise_text("en \u2013 dash and em \u2014 dash") == "en \u2013 dash and em \u2014 dash"
    # every character that ends a line ends one (a form feed from a PDF's text, Unicode's separators)
    assert normalise_text("a\u2028b\u2029c\x85d\x0ce\x0bf\r\ng\rh") == "a\nb\nc\nd\ne\nf\ng\nh"
    # ... also where the input check strips control characters: a page break in a PDF's text
    two_pages = clean(RawArticle(id="p", source="s", text=PAD[0] + " " + PAD[1] + "\x0c" + PAD[2] + " " + PAD[3]))
    assert two_pages.text == f"{PAD[0]} {PAD[1]}\n\n{PAD[2]} {PAD[3]}"  # two paragraphs, as every text gives them


def test_language():
    assert detect_language(" ".join(LOREM)) == "en"
    assert detect_language("Der Stadtrat hat am Dienstag nach langer Debatte den neuen Haushalt beschlossen.") == "de"
    assert detect_language("too short") is None
    assert language_tag("en-US") == "en" and language_tag("pt_BR") == "pt" and language_tag("xx-123-!") is None


def test_title_from_text_and_from_raw():
    text = "Council approves budget\n\n" + "\n\n".join(LOREM)
    art = clean(RawArticle(id="1", source="s", text=text))
    assert art.title == "Council approves budget" and not art.text.startswith("Council approves")
    art = clean(RawArticle(id="1", source="s", text=text, title="Council approves budget"))
    assert art.title == "Council approves budget" and not art.text.startswith("Council approves")
    art = clean(RawArticle(id="1", source="s", text="\n\n".join(LOREM)))
    assert art.title is None and art.text.startswith("The city council approved")


def test_a_first_line_with_a_web_address_is_not_taken_for_the_headline():
    # morebikes.co.uk's reviews open with a product box (scrapinghub benchmark)
    box = "Tested by: John Milbank RRP: £23.99 More info: www.clymer.co.uk"
    art = clean(RawArticle(id="1", source="s", text=box + "\n\n" + "\n\n".join(LOREM)))
    assert art.title is None and art.text.startswith("Tested by: John Milbank")
    art = clean(RawArticle(id="1", source="s", text="Amazon.com raises Prime fee\n\n" + "\n\n".join(LOREM)))
    assert art.title == "Amazon.com raises Prime fee"


def test_a_first_line_the_address_names_is_the_headline_even_when_it_ends_in_an_exclamation():
    headline = 'Council on the budget: "We got it done!"'
    text = headline + "\n\n" + "\n\n".join(LOREM)
    art = clean(RawArticle(id="1", source="s", text=text, url="https://example.com/council-budget-we-got-it-done/"))
    assert art.title == headline and "title_from_text" in art.flags and not art.text.startswith("Council on")
    # without the address it reads as a quotation that ends a sentence, not as a headline
    assert clean(RawArticle(id="1", source="s", text=text)).title is None


def test_title_from_text_after_a_dateline_line():
    # real openings from ECB+ texts: the headline follows a dateline the rules remove
    for dateline in ("Thursday, December 11, 2008", "UPDATED: FRIDAY, MAY 3, 2013, 9: 56 AM"):
        text = f"{dateline}\n\nCouncil approves budget\n\n" + "\n\n".join(LOREM)
        art = clean(RawArticle(id="1", source="s", text=text))
        assert art.title == "Council approves budget" and "title_from_text" in art.flags
        assert art.text.startswith("The city council approved")
        assert art.dateline == dateline  # the date still reaches the clusterer
    # only one removed line is skipped, and a first sentence is never taken for a headline
    art = clean(RawArticle(id="1", source="s", text="\n\n".join(["Thursday, December 11, 2008", LOREM[0],
                                                               "Council approves budget"] + LOREM[1:])))
    assert art.title is None and art.text.startswith("The city council approved")


def test_html_title_site_suffix_and_no_repeat(inline_extractor):
    from .conftest import article_html
    page = article_html(LOREM, title="Council approves budget | The Daily Example")
    page = page.replace("<h1>Council approves budget | The Daily Example</h1>", "<h1>Council approves budget</h1>")
    page = page.replace("<head>", "<head><meta property='og:site_name' content='The Daily Example'>")
    art = clean(RawArticle(id="1", source="s", html=page, url="https://dailyexample.com/a?utm_campaign=z"),
                extractor=inline_extractor)
    assert art.title == "Council approves budget"
    assert art.site_name == "The Daily Example"
    assert art.text.startswith("The city council approved")
    assert art.canonical_url == "https://dailyexample.com/a"
    assert art.language == "en"


@pytest.mark.parametrize("title, site, host, expected", [
    ("Council approves budget | The Daily Example", "The Daily Example", None, "Council approves budget"),
    ("The Daily Example - Council approves budget", "The Daily Example", None, "Council approves budget"),
    # a site name with a separator of its own used to stay whole in the title
    ("Black Friday per nostalgici: le occasioni da non perdere - Remember 80/90 - Memorabilia anni 80/90",
     "Remember 80/90 - Memorabilia anni 80/90", None, "Black Friday per nostalgici: le occasioni da non perdere"),
    # the headline's own separators are kept as written
    ("Markets | Stocks slide as oil jumps | Example News", None, "www.examplenews.com",
     "Markets | Stocks slide as oil jumps"),
    ("Left - Right", "Other Site", None, "Left - Right"),
    ("Example News", "Example News", None, "Example News"),
    # a site name with a tagline, before a colon: the address names only its first part (linknaija.com)
    ("LinkNaija | Nigeria's popular news platform: Nollywood Actress, Kate Henshaw Is Looking Stunning",
     "LinkNaija | Nigeria's popular news platform", "www.linknaija.com",
     "Nollywood Actress, Kate Henshaw Is Looking Stunning"),
])
def test_the_site_name_is_cut_from_the_title(title, site, host, expected):
    from pipeline.cleaning.core import _strip_site_from_title

    assert _strip_site_from_title(title, site, host) == expected


def test_standfirst_repeating_the_description_goes_but_a_lede_stays(inline_extractor):
    from .conftest import article_html
    dek = "Twenty members backed the plan after a long debate about buses"
    page = article_html([dek] + LOREM, title="Council approves budget")
    page = page.replace("<head>", f"<head><meta name='description' content='{dek}'>")
    art = clean(RawArticle(id="1", source="s", html=page), extractor=inline_extractor)
    assert dek not in art.text and art.text.startswith("The city council approved")
    # a site that uses its first paragraph as the description keeps that paragraph
    page = article_html(LOREM, title="Council approves budget")
    page = page.replace("<head>", f"<head><meta name='description' content=\"{LOREM[0]}\">")
    art = clean(RawArticle(id="1", source="s", html=page), extractor=inline_extractor)
    assert art.text.startswith(LOREM[0])


@pytest.mark.parametrize("line", [
    "More AP NBA: https://apnews.com/NBA and https://twitter.com/AP_Sports",
    "Updated at 1:23 p.m.",
    "Follow AP's full coverage of Brexit and British politics at https://www.apnews.com/Brexit",
    '[button link="http://example.com/submit/" type="big"] Send us YOUR review[/button]',
    "Follow The New York Times Opinion section on Facebook, Twitter (@NYTopinion) and Instagram.",
])
def test_more_furniture_lines(line):
    assert clean_lines(PAD[:5] + [line] + PAD[5:]) == PAD
