"""ingest rss, from a QA pass: a document that is no feed is a failed poll, a feed list's intervals
are checked, a SIGTERM during a feed fetch delivers the feed, and a record the sink refuses is
rejected, not new. Feeds are served over real HTTP from 127.0.0.1."""
from __future__ import annotations

import time

import pytest
from prometheus_client import REGISTRY

from connectors.rss import Feed, FeedListError, load_feeds
from connectors.sink import MemorySink
from tests.unit.connectors.test_rss import XML, connector, feed_route, rss

NOT_FEEDS = {
    "api_error": b'<?xml version="1.0"?><error><code>403</code><message>Rate limit exceeded</message></error>',
    "empty": b"",
    "sitemap": b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               b"<url><loc>https://news.example/a</loc></url></urlset>",
}


def _metric(name, **labels):
    return REGISTRY.get_sample_value(name, {"connector": "rss", **labels}) or 0.0


@pytest.mark.parametrize("kind", sorted(NOT_FEEDS))
def test_a_well_formed_document_that_is_no_feed_is_a_failed_poll_and_dead_lettered(site, tmp_path, kind):
    site.routes["/feed.xml"] = (200, {"Content-Type": "application/xml"}, NOT_FEEDS[kind])
    sink = MemorySink()
    c = connector(site, tmp_path, sink, jitter=0)
    before = (_metric("newsflow_connector_last_success_timestamp_seconds"),
              _metric("newsflow_connector_errors_total", reason="not_a_feed"))
    summary = c.poll_all()
    assert (summary.ok, summary.feed_errors) == (0, {"not_a_feed": 1})
    [letter] = sink.deadletters
    assert letter["reason"] == "not_a_feed" and letter["stage"] == "connector"
    assert {"api_error": "<error>", "empty": "empty", "sitemap": "<urlset>"}[kind] in letter["detail"]
    saved = c.state.feed(c.feeds[0].url)
    assert saved["failures"] == 1 and saved["last_status"] == "not_a_feed"
    assert saved["next_poll"] - time.time() > 250          # backed off: min(900 s, 300 s)
    assert _metric("newsflow_connector_last_success_timestamp_seconds") == before[0]
    assert _metric("newsflow_connector_errors_total", reason="not_a_feed") == before[1] + 1
    c.close()


@pytest.mark.parametrize("body", [
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet desk</title></channel></rss>',
    b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Quiet desk</title></feed>',
    b'<?xml version="1.0"?><CHANNEL HREF="http://news.example/"><ABSTRACT>Quiet desk</ABSTRACT></CHANNEL>',  # CDF
])
def test_a_real_feed_with_no_items_is_still_a_good_poll(site, tmp_path, body):
    site.routes["/feed.xml"] = (200, XML, body)
    sink = MemorySink()
    c = connector(site, tmp_path, sink)
    result = c.poll_feed(c.feeds[0])
    assert (result.status, result.entries, sink.deadletters) == ("ok", 0, [])
    c.close()


def test_the_cli_summary_counts_a_document_that_is_no_feed_as_failed(site, tmp_path, capsys):
    from cli.main import main

    site.routes["/err"] = (200, {"Content-Type": "application/xml"}, NOT_FEEDS["api_error"])
    feed_route(site, "/feed.xml", lambda: rss(("q:1", "One", "first")))
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{site.url('/err')}\n{site.url('/feed.xml')}\n")
    rc = main(["ingest", "rss", "--feeds", str(feeds), "--stdout", "--once", "--allow-network", "127.0.0.1/32",
               "--state", str(tmp_path / "rss.sqlite")])
    captured = capsys.readouterr()
    assert rc == 0 and '"q:1"' in captured.out
    assert "2 feeds polled, 1 ok" in captured.err and "1 failed (not_a_feed=1)" in captured.err, captured.err
    assert '"reason":"not_a_feed"' in captured.err.replace(" ", "")


# -- the feed list's own intervals ----------------------------------------------------------------
@pytest.mark.parametrize("interval", ["-60", "0", "0.001", "0.999", ".nan", ".inf", "often", "true"])
def test_a_yaml_feed_interval_must_be_at_least_one_second(tmp_path, interval):
    listing = tmp_path / "feeds.yaml"
    listing.write_text(f"feeds:\n  - url: https://a.example/rss\n    interval: {interval}\n")
    with pytest.raises(FeedListError) as caught:
        load_feeds(listing)
    message = str(caught.value)
    assert message.startswith(f"{listing}: feed https://a.example/rss: interval") and "at least 1" in message


@pytest.mark.parametrize("interval", ["nan", "0", "0.001", "-1", "inf", ""])
def test_an_opml_feed_interval_must_be_at_least_one_second(tmp_path, interval):
    listing = tmp_path / "feeds.opml"
    listing.write_text(f'<opml><body><outline xmlUrl="https://a.example/rss" interval="{interval}"/></body></opml>')
    if interval == "":  # an empty attribute is no interval: the default
        assert load_feeds(listing, default_interval=120)[0].interval == 120.0
        return
    with pytest.raises(FeedListError, match="feed https://a.example/rss: interval .* at least 1"):
        load_feeds(listing)


def test_intervals_from_one_second_up_pass(tmp_path):
    listing = tmp_path / "feeds.yaml"
    listing.write_text("feeds:\n  - url: https://a.example/rss\n    interval: 1\n  - url: https://b.example/rss\n")
    assert [f.interval for f in load_feeds(listing, default_interval=1.5)] == [1.0, 1.5]


@pytest.mark.parametrize("default", [0.001, 0.5, 0, -5, float("nan"), float("inf")])
def test_a_default_interval_under_one_second_is_refused_naming_the_flag(tmp_path, default):
    listing = tmp_path / "feeds.txt"
    listing.write_text("https://a.example/rss\n")
    with pytest.raises(FeedListError, match=r"--interval or NEWSFLOW_FEED_INTERVAL.*floor of 1 s"):
        load_feeds(listing, default_interval=default)


@pytest.mark.parametrize("value", ["0.001", "0.5"])
def test_the_cli_refuses_an_interval_under_one_second_as_a_usage_error(tmp_path, capsys, value):
    from cli.main import main

    listing = tmp_path / "feeds.txt"
    listing.write_text("https://a.example/rss\n")
    with pytest.raises(SystemExit) as exited:  # refused as the arguments are parsed
        main(["ingest", "rss", "--feeds", str(listing), "--stdout", "--once", "--interval", value])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --interval: '{value}' must be at least 1.0" in err and "Traceback" not in err


def test_the_cli_refuses_a_feed_lists_own_interval_under_one_second(tmp_path, capsys):
    from cli.main import main

    listing = tmp_path / "feeds.yaml"
    listing.write_text("feeds:\n  - {url: 'https://a.example/rss', interval: 0.5}\n")
    assert main(["ingest", "rss", "--feeds", str(listing), "--stdout", "--once"]) == 2
    err = capsys.readouterr().err
    assert "feed https://a.example/rss: interval 0.5 is not a number of seconds of at least 1" in err
    assert "Traceback" not in err


def test_a_feed_built_in_code_is_never_scheduled_under_the_floor(site, tmp_path):
    feed_route(site, "/feed.xml", lambda: rss(("f:1", "One", "first")))
    c = connector(site, tmp_path, MemorySink(), feeds=[Feed(site.url("/feed.xml"), interval=0.001)], jitter=0)
    c.poll_feed(c.feeds[0])
    assert c.state.feed(c.feeds[0].url)["next_poll"] - time.time() > 0.9
    c.close()


def test_the_cli_refuses_a_bad_feed_interval_as_a_usage_error(tmp_path, capsys):
    from cli.main import main

    listing = tmp_path / "feeds.opml"
    listing.write_text('<opml><body><outline xmlUrl="https://a.example/rss" interval="nan"/></body></opml>')
    assert main(["ingest", "rss", "--feeds", str(listing), "--stdout", "--once"]) == 2
    err = capsys.readouterr().err
    assert "feed https://a.example/rss: interval 'nan'" in err and "Traceback" not in err


def test_a_plain_list_takes_trailing_comments_and_blank_lines(tmp_path):
    listing = tmp_path / "feeds.txt"
    listing.write_text("# desks\n\nhttps://a.example/rss  # world desk\nhttps://b.example/atom#main\t# sport\n\n")
    assert [f.url for f in load_feeds(listing)] == ["https://a.example/rss", "https://b.example/atom#main"]


@pytest.mark.parametrize("name, text", [
    ("feeds.txt", "https://a.example/rss\nhttps://b.example/atom\n"),
    ("feeds.opml", '<opml><body><outline xmlUrl="https://a.example/rss"/><outline xmlUrl="https://b.example/atom"/>'
                   "</body></opml>"),
    ("feeds.yaml", "feeds:\n  - https://a.example/rss\n  - https://b.example/atom\n"),
])
def test_a_feed_list_that_starts_with_a_utf8_bom_loses_no_feed(tmp_path, name, text):
    # Notepad's UTF-8: the mark was read as part of the first URL, "'\ufeffhttps://...' is not an http(s) URL"
    listing = tmp_path / name
    listing.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert [f.url for f in load_feeds(listing)] == ["https://a.example/rss", "https://b.example/atom"]


# -- a stop during the feed fetch -----------------------------------------------------------------
def test_a_stop_during_the_feed_fetch_delivers_the_feed_in_hand(site, tmp_path):
    """Without --fetch-pages turning entries into articles costs no request: a SIGTERM that comes
    while the feed is fetched must not throw the fetched feed away."""
    sink = MemorySink()
    c = connector(site, tmp_path, sink)
    body = rss(*[(f"t:{i}", f"Story {i}", "text") for i in range(4)])

    def answer(request):
        c.stop_event.set()  # the SIGTERM arrives while the feed is being fetched
        return 200, {**XML, "ETag": '"t1"'}, body
    site.routes["/feed.xml"] = answer
    result = c.poll_feed(c.feeds[0])
    assert (result.status, result.new) == ("ok", 4) and [r.id for r in sink.raws] == [f"t:{i}" for i in range(4)]
    saved = c.state.feed(c.feeds[0].url)
    assert saved["etag"] == '"t1"' and saved["last_status"] == "ok"
    c.close()


# -- a record the sink refuses -------------------------------------------------------------------
def test_an_entry_too_large_for_the_raw_topic_is_rejected_not_new(site, tmp_path):
    big = "word " * 1000
    feed_route(site, "/feed.xml", lambda: rss(("r:1", "Small", "short"), ("r:2", "Large", big)))
    sink = MemorySink(max_record_bytes=2000)
    sink.connector = "rss"
    c = connector(site, tmp_path, sink)
    before = _metric("newsflow_connector_new_entries_total")
    result = c.poll_feed(c.feeds[0])
    assert (result.new, result.rejected) == (1, {"too_large": 1})
    assert [r.id for r in sink.raws] == ["r:1"] and [(d["reason"], d["id"]) for d in sink.deadletters] == [
        ("too_large", "r:2")]
    assert _metric("newsflow_connector_new_entries_total") == before + 1
    statuses = dict(c.state._db.execute("SELECT item_id, status FROM seen").fetchall())
    assert statuses == {"r:1": "emitted", "r:2": "rejected"}
    c.close()


# -- --fetch-pages fetches politely ------------------------------------------------------------------
def test_fetch_pages_follows_robots_txt_and_spaces_requests_per_host(site, tmp_path):
    """Before, each linked page was fetched at once and without robots.txt."""
    site.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n")
    links = ["/private/a", "/story/1", "/story/2"]
    site.routes["/feed.xml"] = (200, XML, ('<rss version="2.0"><channel>' + "".join(
        f"<item><guid>p:{i}</guid><link>{site.url(path)}</link><description>teaser {i}</description></item>"
        for i, path in enumerate(links)) + "</channel></rss>").encode())
    for path in links:
        site.routes[path] = (200, {"Content-Type": "text/html"}, f"<p>page {path}</p>".encode())
    sink = MemorySink()
    c = connector(site, tmp_path, sink, fetch_pages=True, page_delay=0.5)
    assert c.poll_feed(c.feeds[0]).new == 3
    private, first, second = sink.raws
    assert private.html is None and private.text == "teaser 0" and private.meta["page_error"] == "robots"
    assert first.html == "<p>page /story/1</p>" and second.html == "<p>page /story/2</p>"
    assert site.hits("/private/a") == 0 and site.hits("/robots.txt") == 1
    times = [t for path, _, t in site.requests if path.startswith("/story/")]
    assert len(times) == 2 and times[1] - times[0] >= 0.45
    c.close()


def test_a_stop_while_waiting_for_a_hosts_turn_ends_the_poll_at_once_and_keeps_the_entries(site, tmp_path):
    import threading

    site.routes["/feed.xml"] = (200, {**XML, "ETag": '"w1"'}, (
        f'<rss version="2.0"><channel><item><guid>w:1</guid><link>{site.url("/story/1")}</link>'
        f"<description>teaser</description></item></channel></rss>").encode())
    site.routes["/story/1"] = (200, {"Content-Type": "text/html"}, b"<p>page</p>")
    sink = MemorySink()
    c = connector(site, tmp_path, sink, fetch_pages=True, page_delay=5)  # the page waits 5 s after robots.txt
    threading.Timer(0.5, c.stop_event.set).start()
    started = time.monotonic()
    result = c.poll_feed(c.feeds[0])
    assert time.monotonic() - started < 3 and (result.status, result.new) == ("ok", 0) and sink.raws == []
    saved = c.state.feed(c.feeds[0].url)
    assert saved["next_poll"] == 0.0 and saved["etag"] is None   # due at once, not answered 304 next time
    assert not c.state.is_seen(c.feeds[0].url, "w:1") and site.hits("/story/1") == 0
    c.close()
