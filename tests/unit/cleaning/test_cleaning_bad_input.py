"""Hostile and broken input: a Rejected with a clear reason or an explicit flag, never a crash or a hang."""
from __future__ import annotations

import os
import time

import pytest

from pipeline.cleaning import CleaningConfig, HtmlExtractor, clean
from schemas.models import RawArticle, Rejected

from .conftest import LOREM, article_html, raw, rejected


@pytest.mark.parametrize("field,value", [("html", ""), ("html", " \n\t "), ("text", ""), ("text", "\n\n  \n")])
def test_empty_documents(inline_extractor, field, value):
    assert rejected(raw(**{field: value}), inline_extractor).reason == "empty"


def test_neither_html_nor_text(inline_extractor):
    assert rejected(raw(), inline_extractor).reason == "empty"


@pytest.mark.parametrize("payload", [
    "\x00" * 4000,
    os.urandom(30000).decode("latin-1"),                 # bytes smuggled in as a str
    os.urandom(30000).decode("utf-8", errors="replace"),  # undecodable bytes, replaced
])
def test_binary_data(inline_extractor, payload):
    error = rejected(raw(html=payload), inline_extractor)
    assert error.reason == "binary"
    error = rejected(raw(text=payload), inline_extractor)
    assert error.reason == "binary"


def test_binary_bytes_object(inline_extractor):
    assert rejected(raw(html=b"\x00\x01\x02\xff" * 5000), inline_extractor).reason == "binary"


def test_a_50_mb_page_is_rejected_at_once(extractor):
    page = "<html><body>" + "<p>All work and no play makes Jack a dull boy.</p>" * 1_000_000 + "</body></html>"
    assert len(page) > 50_000_000
    start = time.perf_counter()
    error = rejected(raw(html=page), extractor)
    assert error.reason == "too_large" and "5242880-byte limit" in error.detail
    assert time.perf_counter() - start < 2.0


def test_the_cleaning_default_html_limit_is_the_worker_setting():
    """Before, CleaningConfig said 5,000,000 while Settings (NEWSFLOW_MAX_HTML_BYTES) said 5,242,880,
    and docs/cleaning.md quoted the stale one."""
    from pipeline.core import cleaning_config
    from pipeline.settings import Settings

    assert CleaningConfig().max_html_bytes == Settings().max_html_bytes == 5 * 1024 * 1024
    assert cleaning_config(Settings()).max_html_bytes == CleaningConfig().max_html_bytes


def test_a_text_over_the_limit_in_characters_says_what_was_measured(inline_extractor):
    """Before: 'the text is 2000001 characters, over the 2000000-byte limit', a count in one unit
    against a limit in another. The limit is in UTF-8 bytes; a str with more characters has more."""
    error = rejected(raw(text="a" * 500_001), inline_extractor)
    assert error.reason == "too_large"
    assert error.detail == "the text is 500001 characters, so at least 500001 UTF-8 bytes, over the 500000-byte limit"
    error = rejected(raw(text="Ж" * 250_001), inline_extractor)  # under the limit in characters, over it in bytes
    assert error.detail == "the text is 500002 bytes, over the 500000-byte limit"


def test_a_page_whose_article_text_is_over_the_text_limit_is_too_large(inline_extractor):
    """The text a page yields is cleaned on the worker's event loop like a text article: a page of
    5 MB could hold seconds of it, during which the health probes went unanswered."""
    page = article_html([" ".join(f"Item {i}.{j}: the council debated line {j} of the harbour budget for hour {i}."
                                  for j in range(20)) for i in range(400)])  # distinct: repeats are dropped
    assert len(page.encode()) < CleaningConfig().max_html_bytes
    error = rejected(raw(html=page), inline_extractor)
    assert error.reason == "too_large" and "the page's article text is" in error.detail


def test_size_limit_counts_utf8_bytes(inline_extractor):
    config = CleaningConfig(max_html_bytes=10_000)
    page = article_html(["Ж" * 6000])  # under 10,000 characters, over 10,000 bytes
    assert len(page) < 10_000 < len(page.encode("utf-8"))
    assert rejected(raw(html=page), inline_extractor, config).reason == "too_large"


def test_deeply_nested_html_neither_crashes_nor_hangs(extractor):
    page = "<html><body>" + "<div>" * 100_000 + "<p>" + " ".join(LOREM) + "</p>" + "</div>" * 100_000 + "</body></html>"
    start = time.perf_counter()
    with pytest.raises(Rejected) as info:
        clean(raw(html=page), extractor=extractor)
    assert info.value.reason in ("not_article", "extraction_failed")
    assert time.perf_counter() - start < 15
    # and the worker is still fine afterwards
    assert clean(raw(html=article_html(LOREM)), extractor=extractor).text.startswith("The city council")


def test_timeout_kills_and_replaces_the_worker():
    config = CleaningConfig(extract_timeout_s=0.2)
    slow_page = "<html><body>" + "".join(
        f"<p>Paragraph {i} of a very long page, with enough words to keep the extractor busy.</p>"
        for i in range(30000)) + "</body></html>"
    with HtmlExtractor(config, workers=1) as ex:
        ex.extract(article_html(LOREM))  # started and warm
        start = time.perf_counter()
        error = rejected(raw(html=slow_page), ex)
        assert error.reason == "timeout"
        assert time.perf_counter() - start < 3
        assert ex.timeouts == 1 and ex.restarts == 1
        # the replacement worker takes the next document
        assert "forty buses" in clean(raw(html=article_html(LOREM)), extractor=ex).text


@pytest.mark.parametrize("paragraphs,title,wall", [
    (["Please log in to continue reading this article.", "Already a subscriber? Sign in."], "Members only",
     "login wall"),
    (["We use cookies to give you the best experience. By using this site you accept our use of cookies.",
      "Accept all cookies"], "Example News", "cookie wall"),
    (["Sorry, the page you are looking for could not be found.", "Back to the homepage"], "404 Not Found",
     "error page"),
])
def test_walls_and_error_pages_are_not_articles(inline_extractor, paragraphs, title, wall):
    error = rejected(raw(html=article_html(paragraphs, title=title)), inline_extractor)
    assert error.reason == "not_article"
    assert wall in error.detail


def test_a_short_scraped_article_in_its_site_furniture_is_an_article(inline_extractor):
    # a menu and a summary prompt above the headline, a cookie link in the footer: before, the page was
    # rejected as a "cookie wall" (the footer's "Cookie settings" in a body under 1,500 characters)
    # and its menu became the title
    text = "\n".join([
        "Daily Courier | Home | World | Politics | Business | Sport | Subscribe",
        "No time to read? Get a summary",
        "Tara Reid checks into rehab",
        "Actress Tara Reid has checked herself into Promises Treatment Center in Malibu, her publicist said.",
        "A friend of the actress said she went to Promises on Tuesday and that her family supported her.",
        "Reid launched a new fashion line called Mantra in December.",
        "Share this article: Facebook Twitter WhatsApp Email",
        "© 2026 Daily Courier Media Group. All rights reserved. Terms of use | Privacy policy | Cookie settings",
        "Previous Article", "Next Article"])
    article = clean(raw(text=text), extractor=inline_extractor)
    assert article.title == "Tara Reid checks into rehab"
    assert article.text.startswith("Actress Tara Reid has checked herself") and article.text.endswith("in December.")
    for furniture in ("Home |", "No time to read", "Get a summary", "Share this", "Cookie", "Previous Article"):
        assert furniture not in article.text


def test_too_little_text_is_not_an_article(inline_extractor):
    error = rejected(raw(html=article_html(["Hello there."], title="Hi")), inline_extractor)
    assert error.reason == "not_article" and "too little text" in error.detail
    error = rejected(raw(text="Headline\nOne line."), inline_extractor)
    assert error.reason == "not_article"


def test_briefs_in_chinese_japanese_or_korean_are_measured_fairly(inline_extractor):
    # 52 characters: two full sentences of news, about as much as 100 letters of English
    brief = "国务院总理今天在北京会见了来访的欧盟代表团。双方就经贸合作和地区局势交换了意见，并签署了海关合作备忘录。"
    article = clean(raw(text="总理会见欧盟代表团\n" + brief), extractor=inline_extractor)
    assert article.text == brief and "short_text" in article.flags and "brief" not in article.flags
    # one short sentence under the headline: 30 characters, half a word each, make a brief ...
    article = clean(raw(text="总理会见欧盟代表团\n" + brief[:21]), extractor=inline_extractor)
    assert article.title == "总理会见欧盟代表团" and article.text == brief[:21] and "brief" in article.flags
    english = "The prime minister met the delegation in Beijing today."  # 56 characters, as is the English
    article = clean(raw(text="Premier meets delegation\n" + english), extractor=inline_extractor)
    assert article.text == english and "brief" in article.flags
    # ... and two characters under a four-character headline (three words' worth) do not
    error = rejected(raw(text="总理会见\n会见"), inline_extractor)
    assert error.reason == "not_article" and "too little text" in error.detail


def test_a_page_without_markup(inline_extractor):
    error = rejected(raw(html="just words and no markup at all " * 20), inline_extractor)
    assert error.reason in ("extraction_failed", "not_article")


def test_a_long_wall_free_page_is_fine_even_if_it_mentions_cookies(inline_extractor):
    paragraphs = LOREM + ["Bakers said they would sell cookies at the market to raise money for the buses."]
    art = clean(raw(html=article_html(paragraphs)), extractor=inline_extractor)
    assert "sell cookies at the market" in art.text


RUSSIAN = ("Городской совет в четверг утвердил новый бюджет после долгих споров об общественном транспорте. "
           "Чиновники заявили, что план добавит сорок автобусов в течение двух лет.")
FRENCH = ("Le conseil municipal a approuvé mercredi le nouveau budget après un long débat sur les transports "
          "publics. Les élus de l’opposition ont critiqué le coût élevé du projet.")


def _page(paragraph: str, head: str = "") -> str:
    return (f"<html><head>{head}<title>Nouvelles</title></head><body><article><h1>Nouvelles</h1>"
            + f"<p>{paragraph}</p>" * 4 + "</article></body></html>")


def test_non_utf8_bytes_with_a_declared_charset(inline_extractor):
    page = _page(RUSSIAN, '<meta charset="windows-1251">').encode("cp1251")
    art = clean(raw(html=page), extractor=inline_extractor)
    assert "Городской совет" in art.text and art.language == "ru"
    assert "decoded_bytes" in art.flags


def test_declared_charset_page_decoded_as_latin1_by_the_connector(inline_extractor):
    page = _page(RUSSIAN, '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">')
    wrongly_decoded = page.encode("cp1251").decode("latin-1")
    art = clean(raw(html=wrongly_decoded), extractor=inline_extractor)
    assert "Городской совет" in art.text and art.language == "ru"
    assert "charset_repaired" in art.flags


def test_a_gbk_page_labelled_gb2312_decoded_as_latin1_by_the_connector(inline_extractor):
    # browsers read the label "gb2312" as GB18030; Python's gb2312 codec rejects 镕 (GBK only)
    chinese = "国务院总理朱镕基今天在北京会见了来访的代表团，双方就经贸合作和地区局势交换了意见。"
    page = _page(chinese, '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    art = clean(raw(html=page.encode("gbk").decode("latin-1")), extractor=inline_extractor)
    assert "朱镕基" in art.text and "charset_repaired" in art.flags


def test_non_utf8_bytes_without_a_declared_charset(inline_extractor):
    page = _page(FRENCH.replace("’", "'")).encode("latin-1")
    art = clean(raw(html=page), extractor=inline_extractor)
    assert "approuvé mercredi" in art.text and art.language == "fr"


def test_utf8_mojibake_is_repaired(inline_extractor):
    mojibake = _page(FRENCH).encode("utf-8").decode("latin-1")  # C1 controls and all
    art = clean(raw(html=mojibake), extractor=inline_extractor)
    assert "approuvé mercredi" in art.text and "l'opposition" in art.text
    assert "Ã" not in art.text and "mojibake_repaired" in art.flags
    text_art = clean(raw(text="Budget\n" + FRENCH.encode("utf-8").decode("cp1252") * 2),
                     extractor=inline_extractor)
    assert "approuvé" in text_art.text and "Ã" not in text_art.text


def test_nuls_and_control_characters_are_dropped(inline_extractor):
    page = article_html(LOREM).replace("council", "coun\x00cil\x07").replace("buses", "bu\x1bses")
    art = clean(raw(html=page), extractor=inline_extractor)
    assert "city council" in art.text and "forty buses" in art.text
    assert "control_chars_removed" in art.flags
    text_art = clean(raw(text="Headline\n" + "\n".join(LOREM).replace("mayor", "ma\x00yor")),
                     extractor=inline_extractor)
    assert "the mayor" in text_art.text and "\x00" not in text_art.text


def test_xml_declaration_with_encoding_in_a_str(inline_extractor):
    page = '<?xml version="1.0" encoding="ISO-8859-1"?>' + article_html(LOREM)
    assert "forty buses" in clean(raw(html=page), extractor=inline_extractor).text


def test_not_text_at_all(inline_extractor):
    error = rejected(RawArticle(id="x", source="s", html=12345), inline_extractor)  # type: ignore[arg-type]
    assert error.reason == "invalid_input"


FRAGMENT_TEXT = ("Firefighters battled a large wildfire near Marseille on Sunday as strong winds pushed flames "
                 "toward residential areas, officials said. Some 300 residents were moved to a sports hall.")


@pytest.mark.parametrize("html", [f"<p>{FRAGMENT_TEXT}</p>", f"<div>{FRAGMENT_TEXT}</div>",
                                  f"<body><p>{FRAGMENT_TEXT}</p></body>".encode()])
def test_an_html_fragment_of_one_element_is_extracted_not_refused(inline_extractor, html):
    """trafilatura's load_html refuses a lone element as dubious HTML; such a body used to be
    dead-lettered as extraction_failed (found by a QA pass through /ingest/html)."""
    article = clean(raw(html=html), extractor=inline_extractor)
    assert "wildfire near Marseille" in article.text and "sports hall" in article.text
    assert "<p>" not in article.text


@pytest.mark.parametrize("text", [
    "\u202e" * 1000,                    # invisible direction marks
    "." * 200,
    "- " * 100,
    "1234567890 " * 20,
    "2024-06-12 | 14:00 | 3.5 % | 1,250 | 98.6 | " * 10,
])
def test_a_text_without_words_is_not_an_article_whatever_its_length(inline_extractor, text):
    error = rejected(raw(text=text), inline_extractor)
    assert error.reason == "not_article" and "words" in error.detail


def test_a_long_table_with_words_in_it_is_still_read(inline_extractor):
    text = "Results of the regional election, by district. " + "North 1,250 votes, South 980 votes. " * 10
    assert clean(raw(text=text), extractor=inline_extractor).text.startswith("Results of the regional election")
