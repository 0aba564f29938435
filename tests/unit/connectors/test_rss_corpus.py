"""ingest rss over files of feedparser's corpus (tests/fixtures/feeds, licence and origins beside
them), from a QA pass over the whole corpus (bench/feeds_corpus.py --qa): undeclared encodings, JSON
Feed, the language of an entry, relative links, binary content. Served over real HTTP from 127.0.0.1
with the headers the case needs."""
from __future__ import annotations

import base64
from pathlib import Path

import pytest

from connectors.rss import Feed, _undeclared_to_utf8
from connectors.sink import MemorySink
from tests.unit.connectors.test_rss import connector

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "feeds"


def serve(site, name: str, headers: dict[str, str] | None = None, path: str = "/feed") -> None:
    site.routes[path] = (200, headers or {}, (FIXTURES / name).read_bytes())


def poll(site, tmp_path, **kw):
    sink = MemorySink()
    c = connector(site, tmp_path, sink, feeds=[Feed(site.url("/feed"), name="corpus")], **kw)
    result = c.poll_feed(c.feeds[0])
    c.close()
    return result, sink


# -- encodings nothing declares -----------------------------------------------------------------
@pytest.mark.parametrize("content_type", [None, "application/rss+xml", "text/xml"])
@pytest.mark.parametrize("name, title, text_start", [
    ("chardet_euckr_undeclared.xml", "EUC-KR 에서 TypeKey 한글닉네임 표시하기", "TypeKey 시스템이 UTF-8로"),
    ("chardet_koi8r_undeclared.xml", "Как пережить новогоднюю ночь", "Наверное, единственное"),
])
def test_a_feed_whose_encoding_nothing_declares_is_read_in_its_own_script(site, tmp_path, content_type, name,
                                                                          title, text_start):
    # no XML declaration, no charset: feedparser (without chardet) fell back to windows-1252
    serve(site, name, {"Content-Type": content_type} if content_type else None)
    result, sink = poll(site, tmp_path)
    assert (result.status, result.new) == ("ok", 1)
    [raw] = sink.raws
    assert raw.title == title and raw.text.startswith(text_start)


@pytest.mark.parametrize("title", [
    "Le président français a déclaré que la réunion était très importante",
    "Die Straße führt über die Brücke nach München",
    "Xi’s “state visit” to Moscow – café talks",
])
def test_undeclared_windows_1252_stays_windows_1252(site, tmp_path, title):
    # a guess on a short Latin text picks a neighbour code page as often as not (cp1250 made "très"
    # "trčs"); for Latin text feedparser's windows-1252 fallback stands
    site.routes["/feed"] = (200, {}, (f'<rss version="2.0"><channel><item><guid>a:1</guid><title>{title}</title>'
                                      f"<description>{title}. {title}.</description></item></channel></rss>").encode("cp1252"))
    result, sink = poll(site, tmp_path)
    assert result.new == 1 and sink.raws[0].title == title


def test_declared_or_utf8_bytes_are_left_to_feedparser():
    euc_kr = "<rss><channel><item><title>한글</title></item></channel></rss>".encode("euc-kr")
    declared = b'<?xml version="1.0" encoding="euc-kr"?>' + euc_kr
    utf8 = "<rss><channel><title>Ünïcode</title></channel></rss>".encode()
    assert _undeclared_to_utf8(declared, None) is declared
    assert _undeclared_to_utf8(euc_kr, "application/xml; charset=euc-kr") is euc_kr
    assert _undeclared_to_utf8(utf8, None) is utf8
    # undeclared and not UTF-8: re-encoded (two characters are too few to tell the script; the
    # fixtures above are real text)
    assert _undeclared_to_utf8(euc_kr, "application/xml").decode("utf-8").startswith("<rss><channel><item><title>")


# -- JSON Feed ----------------------------------------------------------------------------------
@pytest.mark.parametrize("content_type", ["application/feed+json", "application/json", "text/plain", None])
def test_a_json_feed_gives_raw_articles(site, tmp_path, content_type):
    serve(site, "jsonfeed_example.json", {"Content-Type": content_type} if content_type else None)
    result, sink = poll(site, tmp_path)
    assert (result.status, result.entries, result.new, result.bozo) == ("ok", 2, 2, False)
    second, first = sink.raws
    assert (second.title, second.text, second.url) == ("post 2", "This is a second item.",
                                                      "https://example.org/second-item")
    # HTML content: tags and the script out; no title, so a headline-less item with its text
    assert (first.title, first.text, first.url) == (None, "Hello, world!", "https://example.org/initial-post")
    assert (second.id, first.id) == (f"127.0.0.1:{site.port}:2", f"127.0.0.1:{site.port}:1")  # scoped to the host
    # polled again from a fresh state, the ids are the same
    _, again = poll(site, tmp_path / "again")
    assert [r.id for r in again.raws] == [second.id, first.id]


def test_json_feed_dates_languages_and_relative_urls(site, tmp_path):
    body = (b'{"version": "https://jsonfeed.org/version/1.1", "title": "Desk", "language": "de",'
            b' "items": [{"id": "https://news.example/a", "url": "/a", "title": "Gipfel",'
            b' "summary": "Kurz", "date_published": "2026-03-21T10:00:00+02:00"},'
            b' {"id": 7, "title": "Summit", "language": "en", "date_modified": "2026-03-22"}, "junk"]}')
    site.routes["/feed"] = (200, {"Content-Type": "application/feed+json"}, body)
    result, sink = poll(site, tmp_path)
    assert (result.entries, result.new, result.rejected) == (3, 2, {"no_id": 1})
    a, b = sink.raws
    assert (a.url, a.published, a.language, a.text) == (site.url("/a"), "2026-03-21T08:00:00Z", "de", "Kurz")
    assert (b.id, b.published, b.language, b.text) == (f"127.0.0.1:{site.port}:7", "2026-03-22T00:00:00Z", "en", "")


@pytest.mark.parametrize("body, says", [
    (b'{"error": "rate limited", "code": 429}', "no JSON Feed"),
    (b"[1, 2, 3]", "a JSON list"),
    (b'{"version": "https://jsonfeed.org/version/1", "items": ', "not valid JSON"),
])
def test_json_that_is_no_json_feed_is_not_a_feed_saying_so(site, tmp_path, body, says):
    site.routes["/feed"] = (200, {"Content-Type": "application/json"}, body)
    result, sink = poll(site, tmp_path)
    assert (result.status, result.reason) == ("rejected", "not_a_feed") and says in result.detail
    assert [d["reason"] for d in sink.deadletters] == ["not_a_feed"]


# -- the language of an entry -------------------------------------------------------------------
@pytest.mark.parametrize("name, language", [
    ("atom03_content_xml_lang_over_feed.xml", "en"),   # feed xml:lang="fr", the content's "en"
    ("atom03_title_xml_lang.xml", "en"),               # only the title says
])
def test_the_language_is_the_entrys_own_before_the_feeds(site, tmp_path, name, language):
    serve(site, name, {"Content-Type": "application/atom+xml"})
    result, sink = poll(site, tmp_path)
    assert result.new == 1 and sink.raws[0].language == language


# -- relative links -----------------------------------------------------------------------------
def test_a_relative_link_in_a_feed_served_without_a_content_type_is_resolved(site, tmp_path):
    # <link>/relative/uri</link> and nothing else: with --fetch-pages the page is the article
    serve(site, "rss20_relative_link_docuri.xml")
    site.routes["/relative/uri"] = (200, {"Content-Type": "text/html; charset=utf-8"}, b"<p>The story</p>")
    result, sink = poll(site, tmp_path, fetch_pages=True)
    assert (result.status, result.new) == ("ok", 1)
    assert sink.raws[0].url == site.url("/relative/uri") and sink.raws[0].html == "<p>The story</p>"


def test_a_guid_that_feedparser_copied_into_the_link_is_not_made_an_address(site, tmp_path):
    site.routes["/feed"] = (200, {}, b'<rss version="2.0"><channel><item><guid>1234</guid><title>Headline</title>'
                                     b"</item></channel></rss>")
    result, sink = poll(site, tmp_path)
    assert result.new == 1 and sink.raws[0].url is None and sink.raws[0].title == "Headline"


# -- binary content -----------------------------------------------------------------------------
def test_an_entry_with_only_binary_content_is_dead_lettered_as_no_content_with_an_id(site, tmp_path):
    # Atom 1.0 <content type="application/octet-stream"> (base64), no id, title or link: it used
    # to be skipped as no_id, without a dead letter
    serve(site, "atom10_content_only_base64.xml", {"Content-Type": "application/atom+xml"})
    result, sink = poll(site, tmp_path)
    assert (result.status, result.new, result.rejected) == ("ok", 0, {"no_content": 1})
    [letter] = sink.deadletters
    assert letter["reason"] == "no_content" and letter["id"].startswith("sha256:")


def test_an_image_given_as_content_is_no_text(site, tmp_path):
    png = base64.b64encode(bytes(range(256))).decode()
    site.routes["/feed"] = (200, {"Content-Type": "application/atom+xml"}, (
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>tag:news.example,2026:1</id><title>Chart</title>'
        f'<content type="image/png">{png}</content></entry></feed>').encode())
    result, sink = poll(site, tmp_path)
    assert result.new == 1 and (sink.raws[0].title, sink.raws[0].text) == ("Chart", "")


# -- repeated ids -------------------------------------------------------------------------------
def test_an_entry_repeated_in_one_document_is_counted_as_a_duplicate(site, tmp_path):
    # two entries with <id>Correct Value</id> and nothing to send: one no_content, one duplicate (the
    # repeat used to vanish from the counts, a "silent empty" in the QA table)
    serve(site, "atom10_repeated_id.xml", {"Content-Type": "application/atom+xml"})
    result, sink = poll(site, tmp_path)
    assert (result.status, result.entries, result.new) == ("ok", 2, 0)
    assert result.rejected == {"no_content": 1, "duplicate": 1}


def test_a_guid_shared_by_different_articles_gives_way_to_their_links(site, tmp_path):
    items = "".join(f"<item><guid>https://news.example/</guid><title>Story {n}</title>"
                    f"<link>https://news.example/story-{n}</link><description>Text {n}</description></item>"
                    for n in (1, 2, 3))
    same = ("<item><guid>tag:news.example,2026:9</guid><title>Nine</title><link>https://news.example/9</link>"
            "<description>once</description></item>")
    site.routes["/feed"] = (200, {"Content-Type": "application/rss+xml"},
                            f'<rss version="2.0"><channel><title>Desk</title>{items}{same}{same}</channel></rss>'.encode())
    result, sink = poll(site, tmp_path)
    assert (result.entries, result.new, result.rejected) == (5, 4, {"duplicate": 1})
    assert [r.id for r in sink.raws] == ["https://news.example/story-1", "https://news.example/story-2",
                                         "https://news.example/story-3", "tag:news.example,2026:9"]
    _, again = poll(site, tmp_path / "again")
    assert [r.id for r in again.raws] == [r.id for r in sink.raws]


# -- script in broken HTML ----------------------------------------------------------------------
def test_script_source_in_broken_html_never_reaches_the_text(site, tmp_path):
    # escaped HTML with a <head>, <script\n\n> tags split over lines and an unclosed comment: feedparser's
    # sanitizer dropped the tags but kept "function executeMe() {" and the page <title>, which the
    # tag stripping then sent as the article's text
    serve(site, "atom03_crazy_html_script.xml", {"Content-Type": "application/atom+xml"})
    result, sink = poll(site, tmp_path)
    assert result.new == 1
    text = sink.raws[0].text
    assert "executeMe" not in text and "alert" not in text and "Crazy HTML" not in text
    assert text == "Did The Javascript Execute?\n\nI will execute here, too, if you mouse over me"


def test_content_wrapped_in_cdata_twice_keeps_its_text(site, tmp_path):
    # <![CDATA[<![CDATA[<p>...</p>]]]]><![CDATA[>]]>: the value holds a CDATA section; its opening
    # "<![CDATA[" swallowed the whole text up to the last ">" as one tag
    body = ('<rss version="2.0"><channel><title>Desk</title><item><guid>tag:desk,2026:1</guid><title>Visit</title>'
            "<description><![CDATA[<![CDATA[<p>Xi arrives in Moscow for a three-day visit.</p>]]]]>"
            "<![CDATA[>]]></description></item></channel></rss>")
    site.routes["/feed"] = (200, {"Content-Type": "application/rss+xml"}, body.encode())
    result, sink = poll(site, tmp_path)
    assert result.new == 1 and sink.raws[0].text == "Xi arrives in Moscow for a three-day visit."


# -- publication times --------------------------------------------------------------------------
@pytest.mark.parametrize("written, published", [
    ("Tue, 21 Mar 2023 10:00:00 EST", "2023-03-21T15:00:00Z"),
    ("Tue, 21 Mar 2023 10:00:00 +0530", "2023-03-21T04:30:00Z"),
    ("2023-03-21", "2023-03-21T00:00:00Z"),
    ("1679392800", "2023-03-21T10:00:00Z"),        # epoch seconds: feedparser said 1680-01-27
    ("0001-01-01T00:00:00Z", None),                # no news is that old: feedparser passed it on
    ("Tue, 21 Mar 2023 25:61:00 GMT", None),
])
def test_publication_times_are_utc_and_plausible(site, tmp_path, written, published):
    site.routes["/feed"] = (200, {"Content-Type": "application/rss+xml"}, (
        '<rss version="2.0"><channel><title>Desk</title><item><guid>tag:desk,2026:1</guid><title>Visit</title>'
        f"<pubDate>{written}</pubDate></item></channel></rss>").encode())
    result, sink = poll(site, tmp_path)
    assert result.new == 1 and sink.raws[0].published == published
