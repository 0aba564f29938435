"""News briefs: a headline and a sentence, a wire item of one sentence or a headline alone, sent as text,
is news; the same few words extracted from a page are not an article."""
from __future__ import annotations

import pytest

from pipeline.cleaning import CleaningConfig, clean
from pipeline.cleaning.core import word_count
from schemas.models import RawArticle

from .conftest import article_html, raw, rejected

WIRE = "Vincent 'The Chin' Gigante died while in prison custody on December 19, 2005."  # 77 characters


@pytest.mark.parametrize("text,words", [
    ("Fed raises rates", 3),
    ("Gigante died on December 19, 2005.", 4),          # numbers hold no letter
    ("总理会见欧盟代表团", 4.5),                            # half a word a character
    ("iPhone手机 sales", 3),
    ("", 0),
])
def test_words_are_runs_with_a_letter_and_half_a_word_for_each_wide_character(text, words):
    assert word_count(text) == words


def test_a_one_sentence_wire_brief_without_a_headline_is_kept_whole(inline_extractor):
    assert len(WIRE) < CleaningConfig().min_text_chars
    article = clean(raw(text=WIRE), extractor=inline_extractor)
    assert article.text == WIRE and article.title is None
    assert {"brief", "short_text", "no_title"} <= set(article.flags) and "headline_only" not in article.flags
    assert article.language == "en"


def test_a_headline_and_one_sentence_is_a_brief(inline_extractor):
    article = clean(raw(title="Storm closes schools", text="All schools in the north shut on Monday."),
                    extractor=inline_extractor)
    assert article.title == "Storm closes schools" and article.text == "All schools in the north shut on Monday."
    assert "brief" in article.flags


def test_a_headline_alone_is_kept_with_an_empty_text(inline_extractor):
    headline = "Fed raises interest rates by a quarter point amid inflation worries"
    for text in ("", "  \n\t"):
        article = clean(raw(title=headline, text=text, language="en"), extractor=inline_extractor)
        assert article.title == headline and article.text == ""
        assert {"headline_only", "brief", "short_text"} <= set(article.flags)
        assert article.to_dict()["text"] == ""


def test_a_body_that_only_repeats_the_headline_leaves_a_headline_only_item(inline_extractor):
    headline = "Fed raises interest rates by a quarter point"
    article = clean(raw(title=headline, text=headline), extractor=inline_extractor)
    assert article.title == headline and article.text == "" and "headline_only" in article.flags


def test_a_headline_of_two_words_is_not_enough(inline_extractor):
    error = rejected(raw(title="Markets rally", text=""), inline_extractor)
    assert error.reason == "not_article" and "too little text" in error.detail


def test_neither_text_nor_title_is_still_empty(inline_extractor):
    assert rejected(raw(text="", title="   "), inline_extractor).reason == "empty"
    assert rejected(raw(text=""), inline_extractor).reason == "empty"


def test_a_short_wall_is_rejected_by_its_name_however_many_words_it_has(inline_extractor):
    error = rejected(raw(text="Please log in to continue reading"), inline_extractor)
    assert error.reason == "not_article" and "login wall" in error.detail
    error = rejected(raw(title="Please log in to continue reading this article", text=""), inline_extractor)
    assert error.reason == "not_article" and "login wall" in error.detail


def test_a_page_with_a_title_and_forty_characters_of_body_is_not_a_brief(inline_extractor):
    body = "Forty characters of body are right here."
    assert len(body) == 40
    page = article_html([body], title="Storm closes schools across the north on Monday")
    error = rejected(raw(html=page), inline_extractor)
    assert error.reason == "not_article" and "too little text" in error.detail


def test_the_word_threshold_is_a_setting(inline_extractor):
    article = raw(title="Storm closes schools", text="All schools shut.")   # six words
    assert "brief" in clean(article, extractor=inline_extractor).flags
    assert rejected(article, inline_extractor, CleaningConfig(brief_min_words=7)).reason == "not_article"


def test_a_headline_of_four_words_is_a_brief_and_of_three_is_not(inline_extractor):
    article = clean(raw(title="Wladimir Klitschko retains belts", text=""), extractor=inline_extractor)
    assert "headline_only" in article.flags
    assert rejected(raw(title="Klitschko retains belts", text=""), inline_extractor).reason == "not_article"


@pytest.mark.parametrize("headline, language", [
    ("حريق في مستودع بالقاهرة يصيب 12 شخصا", "ar"),
    ("武汉暴雨致地铁停运12小时", "zh"),
    ("東京で火災、3人けが", "ja"),
    ("서울 지하철 화재로 12명 부상", "ko"),
    ("שריפה גדולה פרצה במחסן בחיפה", "he"),
])
def test_a_headline_alone_in_a_telling_script_gets_its_language(headline, language):
    # under the model's usual 40 characters, but the script narrows the language down
    art = clean(RawArticle(id="h", source="feed", title=headline, text=""), config=CleaningConfig())
    assert art.language == language and "language_detected" in art.flags


@pytest.mark.parametrize("headline", ["Пожар на складе в Москве", "Fire at warehouse hurts 12"])
def test_a_short_latin_or_cyrillic_headline_stays_undecided(headline):
    art = clean(RawArticle(id="h", source="feed", title=headline, text=""), config=CleaningConfig())
    assert art.language is None



@pytest.mark.parametrize("title, text", [
    ("https://example.com/a", "https://example.com/news/2024/05/01/some-story-here"),
    ("www.example.com/a", "www.example.com/news/2024/05/01/some-story-here"),
    (None, "https://example.com/news/2024/05/01/a-long-address-with-many-words-in-it"),
])
def test_web_addresses_alone_are_no_brief(inline_extractor, title, text):
    # the words of an address ("some", "story", "here") made a headline-only brief titled by the address
    assert rejected(raw(title=title, text=text), inline_extractor).reason == "not_article"


def test_a_brief_that_links_to_its_story_is_still_a_brief(inline_extractor):
    article = clean(raw(title="Mayor opens bridge over the river", text="Read it at https://example.com/news/bridge"),
                    extractor=inline_extractor)
    assert "brief" in article.flags and article.title == "Mayor opens bridge over the river"
