"""`newsflow serve-ingest` as a process: the port opens before Kafka answers, the endpoint waits for
a broker that comes later, then every accepted article is on news.raw."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.request

import orjson
import pytest

from deploy.kafka.broker import LocalKafka, free_port
from pipeline.settings import Settings

from ..integration.conftest import topic_records, wait_for
from .conftest import Forwarder

pytestmark = pytest.mark.kafka
TOKEN = "e2e-token"


def call(url: str, body: bytes | None = None, token: str | None = TOKEN) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except OSError:
        return 0, b""


def start(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "cli.main", "serve-ingest", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def stop(proc: subprocess.Popen) -> tuple[int, str]:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    return proc.returncode, err.decode()


def test_waits_for_a_broker_that_comes_later_then_delivers(kafka_bootstrap, unique_prefix, tmp_path):
    late_port, http_port = free_port(), free_port()
    env = dict(os.environ, NEWSFLOW_KAFKA_BOOTSTRAP=f"127.0.0.1:{late_port}", NEWSFLOW_TOPIC_PREFIX=f"{unique_prefix}.",
               NEWSFLOW_INGEST_TOKEN=TOKEN, NEWSFLOW_INGEST_PORT=str(http_port), NEWSFLOW_HOME=str(tmp_path / "home"))
    base = f"http://127.0.0.1:{http_port}"
    proc = start(env)
    relay = None
    try:
        # nothing listens on the bootstrap port: alive and answering, but not ready
        wait_for(lambda: call(f"{base}/healthz")[0] == 200, timeout=60, what="/healthz 200 with no broker")
        status, body = call(f"{base}/readyz")
        assert (status, body) == (503, b"not ready: waiting for Kafka\n")
        status, body = call(f"{base}/ingest", orjson.dumps({"id": "early", "source": "e2e", "text": "too early"}))
        assert status == 503 and orjson.loads(body)["error"] == "unavailable"
        assert proc.poll() is None

        relay = Forwarder(late_port, kafka_bootstrap)  # the broker arrives
        wait_for(lambda: call(f"{base}/readyz")[0] == 200, timeout=120, what="/readyz 200 once Kafka answers")
        batch = [{"id": "late-1", "source": "e2e", "text": "A ferry ran aground off the coast on Monday."},
                 {"id": "late-2", "source": "e2e", "html": "<html><body><p>Rescuers reached the ferry.</p></body></html>"}]
        status, body = call(f"{base}/ingest", orjson.dumps(batch))
        assert status == 202 and orjson.loads(body)["ids"] == ["late-1", "late-2"]
        assert call(f"{base}/ingest", orjson.dumps(batch), token="wrong")[0] == 401
    finally:
        code, log = stop(proc)
        if relay:
            relay.close()
    assert code == 0, log
    assert log.index("waiting for Kafka") < log.index("serve-ingest: Kafka ready")  # the wait is logged

    settings = Settings.from_env(dict(env, NEWSFLOW_KAFKA_BOOTSTRAP=kafka_bootstrap))
    records = topic_records(settings, settings.raw_topic)
    assert sorted(r["id"] for r in records) == ["late-1", "late-2"]  # the early one was refused, not kept


def test_a_topic_that_does_not_exist_stops_it_with_the_reason(kafka_bootstrap, unique_prefix, tmp_path):
    http_port = free_port()
    env = dict(os.environ, NEWSFLOW_KAFKA_BOOTSTRAP=kafka_bootstrap, NEWSFLOW_TOPIC_PREFIX=f"{unique_prefix}.",
               NEWSFLOW_INGEST_TOKEN=TOKEN, NEWSFLOW_HOME=str(tmp_path / "home"))
    proc = start(env, "--port", str(http_port), "--topic", f"{unique_prefix}.no-such-topic")
    try:
        proc.wait(timeout=120)
    finally:
        code, log = stop(proc)
    assert code == 1
    assert f"topic '{unique_prefix}.no-such-topic' does not exist" in log
    assert "Traceback" not in log


def test_ready_again_when_the_broker_returns_without_waiting_for_a_request(tmp_path, unique_prefix):
    """A load balancer sends nothing to an endpoint that is not ready: had readiness waited for the
    next successful delivery, one broker outage would have kept every replica out for good."""
    broker = LocalKafka(tmp_path / "own-broker")
    broker.start()
    http_port = free_port()
    env = dict(os.environ, NEWSFLOW_KAFKA_BOOTSTRAP=broker.bootstrap, NEWSFLOW_TOPIC_PREFIX=f"{unique_prefix}.",
               NEWSFLOW_INGEST_TOKEN=TOKEN, NEWSFLOW_HOME=str(tmp_path / "home"))
    base = f"http://127.0.0.1:{http_port}"
    proc = start(env, "--port", str(http_port), "--ack-timeout", "3")
    try:
        wait_for(lambda: call(f"{base}/readyz")[0] == 200, timeout=120, what="/readyz 200")
        before = {"id": "before", "source": "e2e", "text": "The bridge reopened on Friday after repairs."}
        status, body = call(f"{base}/ingest", orjson.dumps(before))
        if status != 202:
            raise AssertionError(f"before: {status} {body}\n" + stop(proc)[1][-6000:])

        broker.stop()
        during = {"id": "during", "source": "e2e", "text": "Posted while the broker was down."}
        status, body = call(f"{base}/ingest", orjson.dumps(during))
        assert status == 503 and orjson.loads(body)["error"] == "unavailable"
        assert call(f"{base}/readyz")[0] == 503

        broker.start()
        wait_for(lambda: call(f"{base}/readyz")[0] == 200, timeout=120, what="/readyz 200 with no request sent")
        after = {"id": "after", "source": "e2e", "text": "The bridge carried its first trucks on Saturday."}
        status, body = call(f"{base}/ingest", orjson.dumps(after))
        if status != 202:
            raise AssertionError(f"after: {status} {body}\n" + stop(proc)[1][-6000:])
        code, log = stop(proc)
        assert code == 0, log
        settings = Settings.from_env(env)
        ids = {r["id"] for r in topic_records(settings, settings.raw_topic)}
        assert {"before", "after"} <= ids  # "during" was refused with 503: its client resends it
    finally:
        if proc.poll() is None:
            proc.kill()
        broker.stop()
