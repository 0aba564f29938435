"""serve-ingest on a real broker: a batch with some bad items puts its good items on the raw topic
and a dead letter per bad item, with its reason, on the dead-letter topic."""
from __future__ import annotations

import orjson
import pytest

from connectors.http_ingest import make_app
from connectors.sink import KafkaSink
from tests.integration.connectors.test_sink_refusals import _topics, _values
from tests.unit.connectors.test_http_ingest import post, run

pytestmark = pytest.mark.kafka


def test_a_batch_with_bad_items_delivers_the_good_ones_and_dead_letters_the_bad(kafka_bootstrap, unique_prefix):
    raw, dead = f"{unique_prefix}.raw", f"{unique_prefix}.deadletter"
    _topics(kafka_bootstrap, raw, dead)
    sink = KafkaSink(kafka_bootstrap, raw, dead, connector="http")
    batch = [{"id": "a", "source": "s", "text": "The dam held after the storm."},
             {"id": "no-text", "source": "s"},
             {"id": "b", "source": "s", "html": "<p>The river fell by a metre.</p>"},
             {"id": "bad-url", "source": "s", "text": "t", "url": "file:///etc/passwd"}]

    async def steps(client):
        return await post(client, "/ingest", orjson.dumps(batch), "application/json")
    try:
        status, body, _ = run(make_app(sink, token="s3cret", ack_timeout=30), steps)
    finally:
        sink.close()
    answer = orjson.loads(body)
    assert status == 202 and answer["ids"] == ["a", "b"], answer
    assert [(e["index"], e["id"], e["reason"]) for e in answer["errors"]] == [(1, "no-text", "schema"),
                                                                              (3, "bad-url", "bad_url")]
    assert sorted(r["id"] for r in _values(kafka_bootstrap, raw)) == ["a", "b"]
    letters = _values(kafka_bootstrap, dead)
    assert [(d["id"], d["reason"], d["stage"]) for d in letters] == [("no-text", "schema", "connector"),
                                                                     ("bad-url", "bad_url", "connector")]
    assert orjson.loads(letters[1]["payload"]) == batch[3] and letters[1]["detail"].startswith("/ingest[3]: ")
