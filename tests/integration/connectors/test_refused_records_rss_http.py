"""On a real broker whose raw topic is smaller than the sink's limit (max.message.bytes 100,000), a
record the broker refuses for itself is dead-lettered by the sink; serve-ingest leaves it out of
the 202's ``accepted`` and ``ids``, and ingest rss counts it as rejected, not new."""
from __future__ import annotations

import orjson
import pytest

from connectors.http_ingest import make_app
from connectors.net import Fetcher, NetworkPolicy
from connectors.rss import Feed, RssConnector
from connectors.sink import KafkaSink
from tests.integration.connectors.test_sink_refusals import _topics, _values
from tests.unit.connectors.conftest import Site
from tests.unit.connectors.test_http_ingest import post, run
from tests.unit.connectors.test_rss import XML, feed_route, rss

pytestmark = pytest.mark.kafka


def test_serve_ingest_leaves_a_record_the_broker_refused_out_of_accepted(kafka_bootstrap, unique_prefix):
    raw, dead = f"{unique_prefix}.raw", f"{unique_prefix}.deadletter"
    _topics(kafka_bootstrap, raw, dead, raw_max_message_bytes=100_000)
    sink = KafkaSink(kafka_bootstrap, raw, dead, connector="http")
    batch = [{"id": "a", "source": "s", "text": "first"}, {"id": "big", "source": "s", "text": "x" * 300_000},
             {"id": "c", "source": "s", "text": "last"}]

    async def steps(client):
        return await post(client, "/ingest", orjson.dumps(batch), "application/json")
    try:
        status, body, _ = run(make_app(sink, token="s3cret", ack_timeout=30), steps)
    finally:
        sink.close()
    answer = orjson.loads(body)
    assert status == 202, answer
    assert (answer["accepted"], answer["ids"]) == (2, ["a", "c"])
    assert [(r["id"], r["reason"]) for r in answer["refused"]] == [("big", "too_large")]
    assert sorted(r["id"] for r in _values(kafka_bootstrap, raw)) == ["a", "c"]
    assert [(d["id"], d["reason"]) for d in _values(kafka_bootstrap, dead)] == [("big", "too_large")]


def test_rss_counts_an_entry_the_broker_refused_as_rejected(kafka_bootstrap, unique_prefix, tmp_path):
    raw, dead = f"{unique_prefix}.raw", f"{unique_prefix}.deadletter"
    _topics(kafka_bootstrap, raw, dead, raw_max_message_bytes=100_000)
    site = Site()
    items = [("k:1", "Small", "short"), ("k:2", "Large", "word " * 60_000)]
    feed_route(site, "/feed.xml", lambda: rss(*items))
    sink = KafkaSink(kafka_bootstrap, raw, dead, connector="rss")
    c = RssConnector([Feed(site.url("/feed.xml"), name="example")], sink, Fetcher(NetworkPolicy(["127.0.0.1/32"])),
                     state_path=tmp_path / "rss.sqlite", delivery_timeout=30)
    try:
        first = c.poll_feed(c.feeds[0])
        items.append(("k:3", "Third", "more"))   # a changed feed: the refused entry is not sent again
        second = c.poll_feed(c.feeds[0])
    finally:
        c.close()
        sink.close()
        site.close()
    assert (first.status, first.new, dict(first.rejected)) == ("ok", 1, {"too_large": 1})
    assert (second.new, dict(second.rejected)) == (1, {})
    assert sorted(r["id"] for r in _values(kafka_bootstrap, raw)) == ["k:1", "k:3"]
    assert [(d["id"], d["reason"]) for d in _values(kafka_bootstrap, dead)] == [("k:2", "too_large")]
