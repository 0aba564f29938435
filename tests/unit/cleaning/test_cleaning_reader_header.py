"""Markdown from a reader service (Jina's Reader and the tools that copy its form): the "Title:", "URL
Source:" and "Published Time:" lines above "Markdown Content:" are the page's metadata, not its text."""
from __future__ import annotations

from pipeline.cleaning import clean
from pipeline.cleaning.reader_header import reader_header
from schemas.models import RawArticle

from .conftest import FIXTURES, fixture_pages, token_recall

THE_HILL = "156770d676ce79905198e1c8407f81e5ecfb617d9aa44712718707eb7e3b8e38"


def _jina(markdown: str, url: str) -> str:
    return ("Title: South Dakota governor doubles down on 'meth, we're on it' anti-drug campaign | TheHill\n\n"
            f"URL Source: {url}\n\nPublished Time: 2019-11-19T15:02:11-05:00\n\nMarkdown Content:\n{markdown}")


def test_a_reader_services_header_gives_the_title_url_and_date():
    page = fixture_pages()[THE_HILL]
    markdown = (FIXTURES / f"{THE_HILL}.visible.md").read_text(encoding="utf-8")
    article = clean(RawArticle(id="p", source="r.jina.ai", text=_jina(markdown, page["url"])))
    assert "reader_header_read" in article.flags
    assert article.title == "South Dakota governor doubles down on 'meth, we're on it' anti-drug campaign"
    assert article.url == page["url"] and article.published == "2019-11-19T20:02:11Z"
    for header in ("Title:", "URL Source", "Published Time", "Markdown Content"):
        assert header not in article.text
    assert token_recall(article.text, page["articleBody"]) > 0.9


def test_text_that_only_looks_like_a_header_is_left_as_it_is():
    body = "The council voted on Tuesday to close the old bridge after engineers found cracks."
    assert reader_header("Title: Bridge closed\n\n" + body) is None  # no URL Source, no content marker
    assert reader_header("Title: Bridge closed\nURL Source: https://example.com/a\n" + body) is None
    assert reader_header("Note: Title: x\nURL Source: y\nMarkdown Content:\n" + body) is None
    fields, text = reader_header("Title: Bridge closed\nURL Source: https://example.com/a\nMarkdown Content:\n" + body)
    assert fields == {"title": "Bridge closed", "url": "https://example.com/a"} and text.strip() == body
    article = clean(RawArticle(id="p", source="s", text="Title: Bridge closed\n\n" + body))
    assert "reader_header_read" not in article.flags
