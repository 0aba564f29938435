"""Readiness follows the broker: a worker that has lost it is not ready, and is ready again once it
is back, without a restart. On a broker of the test's own: the session's broker is shared."""
from __future__ import annotations

import urllib.error
import urllib.request

import orjson
import pytest

from deploy.kafka.broker import LocalKafka
from pipeline.topics import ensure_topics

from .conftest import make_settings, produce, raw_value, topic_records, wait_for

pytestmark = pytest.mark.kafka


def get(port: int, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def readyz(port: int) -> tuple[int, dict]:
    status, body = get(port, "/readyz")
    return status, orjson.loads(body)


def ready_gauge(port: int) -> float:
    _, body = get(port, "/metrics")
    line = next(line for line in body.decode().splitlines() if line.startswith("newsflow_worker_ready "))
    return float(line.split()[1])


def test_readyz_turns_503_while_the_broker_is_away_and_200_once_it_is_back(tmp_path, unique_prefix, worker_factory):
    broker = LocalKafka(tmp_path / "own-broker")
    broker.start()
    worker = None
    try:
        # a short session timeout is also a short grace: the test waits less (the local broker allows
        # down to 1 s, which the worker is told, as it refuses what Kafka's default limits refuse)
        settings = make_settings(broker.bootstrap, unique_prefix, tmp_path, raw_partitions=1,
                                 session_timeout_s=2.0, heartbeat_s=0.5, broker_min_session_timeout_s=1.0)
        ensure_topics(settings)
        worker = worker_factory(settings)
        worker.start()
        port = settings.web_port
        status, body = readyz(port)
        assert status == 200 and body["ready"] is True and body["broker"] == "reachable", body
        assert ready_gauge(port) == 1
        # Faust's table and router views are not served: they would hand the clustering state to anyone
        assert [get(port, path)[0] for path in ("/table/", "/table/cluster-state/", "/router/")] == [404] * 3

        broker.stop()
        status, body = wait_for(lambda: (r := readyz(port))[0] == 503 and r, timeout=60, interval=0.5,
                                what="/readyz 503 with the broker away", workers=(worker,))
        assert body["ready"] is False and body["broker"] == "unreachable", body
        assert body["broker_contact_age_s"] >= settings.session_timeout_s, body
        assert ready_gauge(port) == 0
        assert get(port, "/healthz")[0] == 200  # not ready, but alive: a restart would not bring the broker back
        assert worker.alive()

        broker.start()  # the same port and data
        status, body = wait_for(lambda: (r := readyz(port))[0] == 200 and r, timeout=120, interval=0.5,
                                what="/readyz 200 with the broker back", workers=(worker,))
        assert body["ready"] is True and body["broker"] == "reachable", body
        assert ready_gauge(port) == 1
        assert worker.alive() and len(worker.starts) == 1
        produce(settings, [raw_value("after-outage", "Flooding closed the main bridge in Porto Alegre on Tuesday, "
                                     "officials said. Rescue teams evacuated 300 residents overnight.")])
        wait_for(lambda: any(a["id"] == "after-outage" for a in topic_records(settings, settings.articles_topic)),
                 timeout=60, what="an article processed after the outage: ready means working", workers=(worker,))
        log = worker.log_text()
        assert "broker unreachable" in log and "broker reachable again" in log
        # aiokafka logs these on every retry (thousands a second); once per 10 s of each is kept
        assert log.count("Unable connect to node") + log.count("Unable to update metadata") < 50
    finally:
        if worker is not None:
            worker.stop(timeout=30)  # while the broker is up, if it is: a worker without one is slow to stop
        broker.stop()
