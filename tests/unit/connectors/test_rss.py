from __future__ import annotations

import resource
from pathlib import Path

import feedparser
import pytest

from connectors.net import Fetcher, NetworkPolicy
from connectors.rss import Feed, FeedListError, RssConnector, load_feeds
from connectors.sink import DeliveryError, MemorySink
from connectors.xmlsafety import check_xml
from schemas.models import Rejected

# an entity-expansion bomb from feedparser's test corpus (BSD licence beside it)
INLINE = Path(__file__).resolve().parents[2] / "fixtures" / "feeds" / "doctype_exponential_entities_utf16be.xml"
XML = {"Content-Type": "application/rss+xml; charset=utf-8"}


def rss(*items: tuple[str, str, str]) -> bytes:
    body = "".join(f"<item><guid>{guid}</guid><title>{title}</title><link>http://news.example/{guid}</link>"
                   f"<description>{desc}</description><pubDate>Tue, 21 Mar 2023 10:00:00 GMT</pubDate></item>"
                   for guid, title, desc in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Example News</title>'
            f"<language>en</language>{body}</channel></rss>").encode()


def feed_route(site, path, get_body, etag='"v1"'):
    def handler(request):
        body = get_body()
        tag = etag + str(len(body))
        if request.headers.get("If-None-Match") == tag:
            return 304, {"ETag": tag}, b""
        return 200, {**XML, "ETag": tag}, body
    site.routes[path] = handler


def teasers_of_pages(site, guids) -> bytes:
    """A feed whose entries (guid "s:N") link to the site's /page/N and carry only a teaser."""
    return ('<rss version="2.0"><channel>' + "".join(
        f"<item><guid>{g}</guid><link>{site.url('/page/' + g[2:])}</link><description>teaser</description></item>"
        for g in guids) + "</channel></rss>").encode()


def connector(site, tmp_path, sink, feeds=None, **kw):
    feeds = feeds or [Feed(site.url("/feed.xml"), name="example")]
    return RssConnector(feeds, sink, Fetcher(NetworkPolicy(["127.0.0.1/32"])), state_path=tmp_path / "rss.sqlite", **kw)


def test_entries_become_raw_articles(site, tmp_path):
    items = [("tag:news.example,2023:1", "Xi &amp; Putin", "<p>Talks in <b>Moscow</b>.</p><script>x()</script>"),
             ("2", "Second", "Plain summary")]
    feed_route(site, "/feed.xml", lambda: rss(*items))
    sink = MemorySink()
    c = connector(site, tmp_path, sink)
    result = c.poll_feed(c.feeds[0])
    assert result.status == "ok" and result.new == 2
    first, second = sink.raws
    assert first.id == "tag:news.example,2023:1" and first.source == "example"
    assert first.title == "Xi & Putin" and first.text == "Talks in Moscow."
    assert first.url == "http://news.example/tag:news.example,2023:1"
    assert first.published == "2023-03-21T10:00:00Z" and first.language == "en"
    # a bare permalink guid is resolved against the feed URL (by feedparser), so it is unique across feeds
    assert second.id == site.url("/2")
    c.close()


def test_conditional_get_and_restart_emit_nothing_twice(site, tmp_path):
    items = [("a:1", "One", "first")]
    feed_route(site, "/feed.xml", lambda: rss(*items))
    sink = MemorySink()
    c = connector(site, tmp_path, sink)
    assert c.poll_feed(c.feeds[0]).new == 1
    again = c.poll_feed(c.feeds[0])
    assert again.status == "not_modified" and again.new == 0
    assert site.requests[-1][1].get("If-None-Match") is not None
    c.close()
    # restart: same state file, the feed changed (a new item): only the new item is emitted
    items.append(("a:2", "Two", "second"))
    c = connector(site, tmp_path, sink)
    result = c.poll_feed(c.feeds[0])
    assert result.new == 1 and [r.id for r in sink.raws] == ["a:1", "a:2"]
    c.close()


def test_failed_delivery_marks_nothing_and_the_next_poll_retries(site, tmp_path):
    feed_route(site, "/feed.xml", lambda: rss(("b:1", "One", "x"), ("b:2", "Two", "y")))

    class Flaky(MemorySink):
        down = True

        def deliver(self, raws, *, deadline=None):
            if self.down:
                raise DeliveryError("broker down", list(raws))
            return super().deliver(raws, deadline=deadline)

    sink = Flaky()
    c = connector(site, tmp_path, sink, min_error_delay=0)
    result = c.poll_feed(c.feeds[0])
    assert result.status == "delivery_failed" and not c.ready()
    assert c.state.feed(c.feeds[0].url)["etag"] is None      # the validator is not kept either
    sink.down = False
    result = c.poll_feed(c.feeds[0])
    assert result.new == 2 and [r.id for r in sink.raws] == ["b:1", "b:2"] and c.ready()
    c.close()


def test_malformed_and_hostile_feeds_end_in_dead_letters(site, tmp_path):
    site.routes["/html"] = (200, {"Content-Type": "text/html"}, b"<html><body>not a feed")
    site.routes["/bomb"] = (200, XML, INLINE.read_bytes())
    site.routes["/gone"] = (404, {}, b"")
    feeds = [Feed(site.url(p), name=p) for p in ("/html", "/bomb", "/gone")]
    sink = MemorySink()
    c = connector(site, tmp_path, sink, feeds=feeds)
    summary = c.poll_all()
    assert summary.feed_errors == {"not_a_feed": 1, "xml_entities": 1, "http_404": 1}
    assert sorted(d["reason"] for d in sink.deadletters) == ["not_a_feed", "xml_entities"]
    assert sink.raws == []
    c.close()


def test_an_entry_with_neither_title_nor_content_is_dead_lettered(site, tmp_path):
    site.routes["/feed.xml"] = (200, XML, b'<rss version="2.0"><channel><item><guid>c:1</guid></item>'
                                          b'<item><guid>c:2</guid><description>ok</description></item></channel></rss>')
    sink = MemorySink()
    c = connector(site, tmp_path, sink)
    result = c.poll_feed(c.feeds[0])
    assert result.new == 1 and result.rejected == {"no_content": 1}
    assert [d["id"] for d in sink.deadletters] == ["c:1"]
    assert c.poll_feed(c.feeds[0]).new == 0 and len(sink.deadletters) == 1    # not dead-lettered twice
    c.close()


def test_a_title_only_entry_is_sent_as_a_headline_with_an_empty_text(site, tmp_path):
    site.routes["/feed.xml"] = (200, XML, b'<rss version="2.0"><channel><item><guid>h:1</guid>'
                                          b'<title>Storm closes schools across the &lt;b&gt;north&lt;/b&gt;</title>'
                                          b'</item></channel></rss>')
    sink = MemorySink()
    c = connector(site, tmp_path, sink)
    result = c.poll_feed(c.feeds[0])
    assert result.new == 1 and not result.rejected and sink.deadletters == []
    raw = sink.raws[0]
    assert raw.id == "h:1" and raw.title == "Storm closes schools across the north" and raw.text == ""
    c.close()


def test_fetch_pages(site, tmp_path):
    site.routes["/feed.xml"] = (200, XML, (f'<rss version="2.0"><channel><item><guid>d:1</guid>'
                                           f'<link>{site.url("/story")}</link><description>teaser</description>'
                                           f'</item></channel></rss>').encode())
    site.routes["/story"] = (200, {"Content-Type": "text/html; charset=utf-8"}, "<p>Full story é</p>".encode())
    sink = MemorySink()
    c = connector(site, tmp_path, sink, fetch_pages=True)
    assert c.poll_feed(c.feeds[0]).new == 1
    raw = sink.raws[0]
    assert raw.html == "<p>Full story é</p>" and raw.text is None and raw.meta["summary"] == "teaser"
    c.close()


def test_error_backoff_grows(site, tmp_path):
    site.routes["/feed.xml"] = (500, {}, b"")
    c = connector(site, tmp_path, MemorySink(), feeds=[Feed(site.url("/feed.xml"), interval=10)], jitter=0,
                  min_error_delay=10)
    import time
    delays = []
    for _ in range(3):
        c.poll_feed(c.feeds[0])
        delays.append(c.state.feed(c.feeds[0].url)["next_poll"] - time.time())
    assert 8 < delays[0] < 11 and 18 < delays[1] < 21 and 38 < delays[2] < 41
    c.close()


def test_load_feeds_yaml_and_opml(tmp_path):
    yaml_file = tmp_path / "feeds.yaml"
    yaml_file.write_text("feeds:\n  - url: https://a.example/rss\n    name: A\n    interval: 60\n"
                         "  - https://b.example/atom\n")
    feeds = load_feeds(yaml_file, default_interval=300)
    assert [(f.url, f.name, f.interval) for f in feeds] == [("https://a.example/rss", "A", 60.0),
                                                            ("https://b.example/atom", None, 300.0)]
    opml = tmp_path / "feeds.opml"
    opml.write_text('<?xml version="1.0"?><opml version="2.0"><body><outline text="News">'
                    '<outline text="C" title="C News" type="rss" xmlUrl="https://c.example/feed"/></outline>'
                    '</body></opml>')
    assert [(f.url, f.name) for f in load_feeds(opml)] == [("https://c.example/feed", "C News")]
    bad = tmp_path / "bad.yaml"
    bad.write_text("feeds:\n  - url: file:///etc/passwd\n")
    with pytest.raises(ValueError):
        load_feeds(bad)


def test_load_feeds_from_a_plain_list_of_urls(tmp_path):
    listing = tmp_path / "feeds.txt"
    listing.write_text("# world desks\nhttps://a.example/rss\n\n  https://b.example/atom#main  \nhttps://a.example/rss\n")
    feeds = load_feeds(listing, default_interval=120)
    assert [(f.url, f.interval) for f in feeds] == [("https://a.example/rss", 120.0), ("https://b.example/atom#main", 120.0)]


@pytest.mark.parametrize("text, says", [
    ("feeds: https://a.example/rss\n", "'feeds' must be a list"),
    ("feeds:\n  - name: no url\n", "every feed needs a url"),
    ("feeds:\n  - url: https://a.example/rss\n    interval: often\n", "interval 'often' is not a number"),
    ("feeds: [\n", "not a readable feed list"),
    ("<opml><body><outline xmlUrl='https://a.example/rss'", "not a readable feed list"),
    ("# nothing yet\n", "no feeds in it"),
    ("ftp://a.example/rss\n", "is not an http(s) URL"),
    # a plain list with one line that is no URL was read as YAML text: "'feeds' must be a list"
    ("https://a.example/rss\nexample.com/rss\n", "line 2: 'example.com/rss' is no feed URL"),
])
def test_an_unreadable_feed_list_is_one_error_naming_the_file(tmp_path, text, says):
    listing = tmp_path / "feeds.cfg"
    listing.write_text(text)
    with pytest.raises(FeedListError) as caught:
        load_feeds(listing)
    assert str(caught.value).startswith(f"{listing}: ") and says in str(caught.value)


# -- XML entities -------------------------------------------------------------------------------
def test_feedparser_alone_does_not_expand_the_inline_bomb():
    """What feedparser does with the exponential-entity document: the declarations are dropped."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    parsed = feedparser.parse(INLINE.read_bytes())
    assert len(parsed.feed.get("title", "")) < 100
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000   # KiB


def test_feedparser_alone_does_not_read_external_entities(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    doc = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
           f'<rss version="2.0"><channel><title>&x;</title><item><title>&x;</title>'
           f'<description>&x;</description></item></channel></rss>').encode()
    parsed = feedparser.parse(doc)
    assert "TOPSECRET" not in repr(parsed)


@pytest.mark.parametrize("doc, reason", [
    (INLINE.read_bytes(), "xml_entities"),
    (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>', "xml_entities"),
    (b'<!DOCTYPE r [<!ENTITY % p SYSTEM "http://169.254.169.254/"> %p;]><r/>', "xml_entities"),
    (b'<?xml version="1.0" encoding="big5"?><!DOCTYPE r [<!ENTITY a "b">]><r/>', "xml_entities"),
    ('<?xml version="1.0" encoding="utf-16"?><!DOCTYPE r [<!ENTITY a "&#38;a;">]><r/>'.encode("utf-16"),
     "xml_entities"),
])
def test_entity_declarations_are_refused_before_parsing(doc, reason):
    with pytest.raises(Rejected) as info:
        check_xml(doc)
    assert info.value.reason == reason


@pytest.mark.parametrize("doc", [
    b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"'
    b' "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"/>',
    b"<rss><channel><title>x &amp; &#160;</title></channel></rss>",
    b"not xml at all",
])
def test_ordinary_documents_pass(doc):
    check_xml(doc)


def test_a_stop_between_page_fetches_keeps_the_rest_for_the_next_start(site, tmp_path):
    """With --fetch-pages a feed of many new entries takes a page fetch each: a SIGTERM must not
    wait for all of them, nor lose the ones not fetched (no 304 under the new ETag either)."""
    guids = [f"s:{i}" for i in range(5)]
    feed_route(site, "/feed.xml", lambda: teasers_of_pages(site, guids))
    sink = MemorySink()
    c = connector(site, tmp_path, sink, fetch_pages=True)

    def page(request):
        if site.hits(request.path) and sum(site.hits(f"/page/{i}") for i in range(5)) == 2:
            c.stop_event.set()  # the SIGTERM arrives while the second page is fetched
        return 200, {"Content-Type": "text/html"}, f"<p>page {request.path}</p>".encode()
    for i in range(5):
        site.routes[f"/page/{i}"] = page

    first = c.poll_feed(c.feeds[0])
    assert first.status == "ok" and first.new == 2
    assert c.state.feed(c.feeds[0].url)["next_poll"] == 0.0  # due again at once

    c.stop_event.clear()  # the next start
    second = c.poll_feed(c.feeds[0])
    assert second.new == 3
    assert sorted(r.id for r in sink.raws) == guids  # every entry once
    assert c.poll_feed(c.feeds[0]).status == "not_modified"
    c.close()


def test_the_cli_reports_an_unreadable_feed_list_in_one_line(tmp_path, capsys):
    from cli.main import main

    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("feeds: https://a.example/rss\n")
    assert main(["ingest", "rss", "--feeds", str(feeds), "--stdout", "--once"]) == 2
    err = capsys.readouterr().err
    assert f"--feeds {feeds}: 'feeds' must be a list" in err and "Traceback" not in err


def test_feed_summary_markup_hidden_parts_go_whole_and_unclosed_ones_do_not_swallow_the_text():
    from connectors.common import html_to_text
    assert html_to_text("<p>Talks <!-- a > b --> in Moscow.</p><head><title>x</title></head>") == "Talks in Moscow."
    # an unclosed <script> (one of thousands: read in one pass) leaves the words around it
    assert html_to_text("<p>Talks in Moscow.</p>" + "<script> word " * 3000).startswith("Talks in Moscow.\nword word")


def test_a_stdout_dry_run_does_not_write_the_state_file(site, tmp_path):
    import io

    from connectors.sink import StdoutSink
    feed_route(site, "/feed.xml", lambda: rss(("d:1", "One", "first")))
    out, err = io.StringIO(), io.StringIO()
    c = connector(site, tmp_path, StdoutSink(out=out, err=err))
    assert c.poll_feed(c.feeds[0]).new == 1 and '"d:1"' in out.getvalue()
    c.close()
    # the next real run with the same state file still gets (and delivers) the entry
    sink = MemorySink()
    c = connector(site, tmp_path, sink)
    result = c.poll_feed(c.feeds[0])
    assert result.status == "ok" and [r.id for r in sink.raws] == ["d:1"]
    assert site.requests[-1][1].get("If-None-Match") is None
    c.close()


def test_entries_without_an_id_are_not_counted_as_dead_letters(site, tmp_path):
    from prometheus_client import REGISTRY

    def sample(name, reason):
        return REGISTRY.get_sample_value(name, {"connector": "rss", "reason": reason}) or 0.0

    site.routes["/feed.xml"] = (200, XML, b'<rss version="2.0"><channel><item></item>'
                                          b'<item><guid>n:1</guid></item>'
                                          b'<item><guid>n:2</guid><description>ok</description></item></channel></rss>')
    before = {(name, reason): sample(name, reason)
              for name in ("newsflow_connector_deadletters_total", "newsflow_connector_errors_total")
              for reason in ("no_id", "no_content")}
    sink = MemorySink()
    c = connector(site, tmp_path, sink)
    result = c.poll_feed(c.feeds[0])
    assert result.new == 1 and result.rejected == {"no_id": 1, "no_content": 1}
    assert [d["reason"] for d in sink.deadletters] == ["no_content"]
    delta = {key: sample(*key) - value for key, value in before.items()}
    assert delta == {("newsflow_connector_deadletters_total", "no_id"): 0.0,
                     ("newsflow_connector_deadletters_total", "no_content"): 1.0,
                     ("newsflow_connector_errors_total", "no_id"): 1.0,
                     ("newsflow_connector_errors_total", "no_content"): 0.0}
    c.close()


def test_a_server_without_validators_sending_the_same_bytes_is_not_parsed_again(site, tmp_path, monkeypatch):
    import connectors.rss as rss_module

    items = [("v:1", "One", "first")]
    body = {"bytes": rss(*items)}
    site.routes["/feed.xml"] = lambda request: (200, XML, body["bytes"])  # no ETag, no Last-Modified
    parsed = []
    real_parse = rss_module.parse_document
    monkeypatch.setattr(rss_module, "parse_document", lambda *a, **k: parsed.append(1) or real_parse(*a, **k))
    sink = MemorySink()
    c = connector(site, tmp_path, sink)
    assert c.poll_feed(c.feeds[0]).new == 1
    again = c.poll_feed(c.feeds[0])
    assert again.status == "not_modified" and len(parsed) == 1
    items.append(("v:2", "Two", "second"))
    body["bytes"] = rss(*items)
    changed = c.poll_feed(c.feeds[0])
    assert changed.status == "ok" and changed.new == 1 and len(parsed) == 2
    assert [r.id for r in sink.raws] == ["v:1", "v:2"]
    c.close()


def test_the_same_bytes_are_read_again_after_a_stop_cut_their_poll_short(site, tmp_path):
    guids = [f"s:{i}" for i in range(4)]
    site.routes["/feed.xml"] = lambda request: (200, XML, teasers_of_pages(site, guids))  # no validators
    sink = MemorySink()
    c = connector(site, tmp_path, sink, fetch_pages=True)

    def page(request):
        if sum(site.hits(f"/page/{i}") for i in range(4)) == 2:
            c.stop_event.set()
        return 200, {"Content-Type": "text/html"}, f"<p>page {request.path}</p>".encode()
    for i in range(4):
        site.routes[f"/page/{i}"] = page
    assert c.poll_feed(c.feeds[0]).new == 2
    c.stop_event.clear()
    assert c.poll_feed(c.feeds[0]).new == 2  # the same bytes, but their poll was cut short
    assert sorted(r.id for r in sink.raws) == guids
    assert c.poll_feed(c.feeds[0]).status == "not_modified"
    c.close()


def test_a_state_file_from_before_the_body_digest_is_upgraded(tmp_path):
    import sqlite3

    from connectors.state import State

    path = tmp_path / "rss.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE feeds (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, failures INTEGER NOT NULL"
               " DEFAULT 0, next_poll REAL NOT NULL DEFAULT 0, last_status TEXT, last_polled REAL)")
    db.execute("INSERT INTO feeds VALUES ('http://a.example/rss', '\"e1\"', NULL, 0, 5.0, 'ok', 1.0)")
    db.commit()
    db.close()
    state = State(path)
    assert state.feed("http://a.example/rss") == {"etag": '"e1"', "last_modified": None, "failures": 0,
                                                  "next_poll": 5.0, "last_status": "ok", "body_sha256": None}
    state.update_feed("http://a.example/rss", body_sha256="ab")
    assert state.feed("http://a.example/rss")["body_sha256"] == "ab"
    state.close()
