"""A feed whose entries link to real news pages, through the RSS connector and a real worker, to events.

Pages from the extraction benchmark (tests/fixtures/extraction): two outlets' reports of South
Dakota's "Meth. We're on it" campaign, three unrelated stories, and one of those republished word
for word at another address."""
from __future__ import annotations

from xml.sax.saxutils import escape

import pytest

from connectors.net import Fetcher, NetworkPolicy
from connectors.rss import Feed, RssConnector
from connectors.sink import KafkaSink
from tests.unit.cleaning.conftest import fixture_html, fixture_pages
from tests.unit.connectors.conftest import Site

from ..conftest import latest_by_event, processed_ids, topic_records, wait_for

pytestmark = pytest.mark.kafka
PAGES = fixture_pages()
ENTRIES = [  # (guid, fixture page, path served at)
    ("sd-hill", "156770d6", "/hill/meth-campaign"),
    ("sd-nj", "3f65af7b", "/nj/meth-slogan"),
    ("bolivia", "4a44ab3e", "/rt/bolivia"),
    ("europa", "686bb170", "/space/europa"),
    ("home-depot", "f8ff621a", "/barrons/home-depot"),
    ("bolivia-mirror", "4a44ab3e", "/mirror/bolivia-protests"),
]


def _page_id(prefix: str) -> str:
    (page_id,) = [k for k in PAGES if k.startswith(prefix)]
    return page_id


def test_feed_entries_with_real_pages_become_events(settings, worker, tmp_path):
    site = Site()
    items = []
    for guid, prefix, path in ENTRIES:
        site.routes[path] = (200, {"Content-Type": "text/html; charset=utf-8"},
                             fixture_html(_page_id(prefix)).encode("utf-8"))
        items.append(f"<item><guid>urn:test:{guid}</guid><link>{escape(site.url(path))}</link>"
                     f"<description>teaser of {guid}</description></item>")
    site.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"},
                                f'<rss version="2.0"><channel><title>Mixed</title>{"".join(items)}</channel></rss>'.encode())
    sink = KafkaSink(settings.kafka_bootstrap, settings.raw_topic, settings.deadletter_topic)
    connector = RssConnector([Feed(site.url("/feed.xml"), name="mixed")], sink,
                             Fetcher(NetworkPolicy(["127.0.0.1/32"])), state_path=tmp_path / "rss.sqlite",
                             fetch_pages=True)
    try:
        assert connector.poll_all().new == len(ENTRIES)
    finally:
        connector.close()
        sink.close()
        site.close()

    wait_for(lambda: len(processed_ids(settings)) >= len(ENTRIES), timeout=120, what="entries processed",
             workers=(worker,))
    articles = {a["id"].removeprefix("urn:test:"): a for a in topic_records(settings, settings.articles_topic)}
    assert set(articles) == {guid for guid, _, _ in ENTRIES}
    assert topic_records(settings, settings.deadletter_topic) == []

    # the two outlets' reports are one event; the word-for-word copy is folded into its original
    assert articles["sd-nj"]["event_id"] == articles["sd-hill"]["event_id"]
    assert articles["sd-nj"]["relation"] == "story"
    assert articles["bolivia-mirror"]["relation"] == "exact"
    assert articles["bolivia-mirror"]["duplicate_of"] == "urn:test:bolivia"
    assert len({a["event_id"] for a in articles.values()}) == 4

    events = wait_for(lambda: (lambda e: e if sum(x["article_count"] for x in e.values()) == len(ENTRIES) else None)(
        latest_by_event(settings)), timeout=60, what="event records for every article", workers=(worker,))
    meth = events[articles["sd-hill"]["event_id"]]
    assert meth["article_count"] == 2 and "South Dakota" in meth["title"]
    # the cleaned text is the article, not the site around it
    assert "Kristi Noem" in articles["sd-hill"]["text"]
    assert "Subscribe to NJ.com" not in articles["sd-nj"]["text"]
    assert "Like this story? Share it with a friend" not in articles["bolivia"]["text"]
