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


def call(url: str, body: bytes | None = None, token: str | None = TOKEN,
         content_type: str | None = "application/json", method: str | None = None) -> tuple[int, bytes]:
    """``content_type=None`` leaves urllib's own (application/x-www-form-urlencoded, as curl -d sends)."""
    request = urllib.request.Request(url, data=body, method=method or ("POST" if body is not None else "GET"))
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    if body is not None and content_type is not None:
        request.add_header("Content-Type", content_type)
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


def test_answers_by_content_type_and_counts_every_answer(tmp_path):
    """The process as a client meets it (a dry run: no broker needed): a form post, as curl -d and
    urllib send by default, is refused with 415 naming application/json; a JSON post is taken; a
    page goes to /ingest/html; an unknown path and a wrong method are answered in JSON; and /metrics
    counts each of these answers once, by its code."""
    http_port = free_port()
    env = dict(os.environ, NEWSFLOW_INGEST_TOKEN=TOKEN, NEWSFLOW_HOME=str(tmp_path / "home"))
    base = f"http://127.0.0.1:{http_port}"
    proc = start(env, "--stdout", "--port", str(http_port))
    try:
        wait_for(lambda: call(f"{base}/readyz")[0] == 200, timeout=60, what="/readyz 200")
        article = orjson.dumps({"id": "ct-1", "source": "e2e", "text": "A ferry ran aground off the coast on Monday."})
        status, body = call(f"{base}/ingest", article, content_type=None)
        assert status == 415, body
        assert orjson.loads(body)["expected"] == "application/json" and b"application/x-www-form-urlencoded" in body
        assert call(f"{base}/ingest", article, content_type="application/json; charset=utf-8")[0] == 202
        status, body = call(f"{base}/ingest/html?url=https://n.example/a&source=e2e", b"<p>Rescuers reached it.</p>",
                            content_type="text/html; charset=utf-8")
        assert status == 202, body
        assert call(f"{base}/ingest/html?url=https://n.example/b&source=e2e", article)[0] == 415
        status, body = call(f"{base}/no/such/path")
        assert status == 404 and orjson.loads(body)["error"] == "not_found"
        status, body = call(f"{base}/ingest")   # GET
        assert status == 405 and orjson.loads(body)["error"] == "method_not_allowed"
        status, metrics_text = call(f"{base}/metrics")
        assert status == 200
    finally:
        code, log = stop(proc)
    assert code == 0, log
    counted = {line.split('"')[1]: float(line.rsplit(" ", 1)[1]) for line in metrics_text.decode().splitlines()
               if line.startswith("newsflow_ingest_requests_total{")}
    assert counted == {"415": 2.0, "202": 2.0, "404": 1.0, "405": 1.0}


def test_a_batch_with_bad_items_is_delivered_in_part_and_its_bad_items_dead_lettered(tmp_path):
    """The process in a dry run (no broker): the good items of a batch are printed as raw articles,
    each bad one goes to stderr as a dead letter with its reason, and the answer names them."""
    http_port = free_port()
    env = dict(os.environ, NEWSFLOW_INGEST_TOKEN=TOKEN, NEWSFLOW_HOME=str(tmp_path / "home"))
    base = f"http://127.0.0.1:{http_port}"
    proc = start(env, "--stdout", "--port", str(http_port))
    batch = [{"id": "ok-1", "source": "e2e", "text": "A ferry ran aground off the coast on Monday."},
             {"id": "no-text", "source": "e2e"},
             {"id": "ok-2", "source": "e2e", "text": "Rescuers reached the ferry.", "url": "https://n.example/2"},
             {"id": "bad-url", "source": "e2e", "text": "t", "url": "javascript:alert(1)"}]
    try:
        wait_for(lambda: call(f"{base}/readyz")[0] == 200, timeout=60, what="/readyz 200")
        status, body = call(f"{base}/ingest", orjson.dumps(batch))
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err.decode()
    answer = orjson.loads(body)
    assert status == 202 and answer["ids"] == ["ok-1", "ok-2"], answer
    assert [(e["index"], e["id"], e["reason"]) for e in answer["errors"]] == [(1, "no-text", "schema"),
                                                                              (3, "bad-url", "bad_url")]
    assert [orjson.loads(line)["id"] for line in out.decode().splitlines()] == ["ok-1", "ok-2"]
    letters = [orjson.loads(line.split(" ", 1)[1]) for line in err.decode().splitlines()
               if line.startswith("deadletter ")]
    assert [(d["id"], d["reason"]) for d in letters] == [("no-text", "schema"), ("bad-url", "bad_url")]


def test_a_body_that_does_not_come_within_the_client_timeout_is_a_408(tmp_path):
    """--client-timeout bounds a stalled body (a slow or broken client holds no connection for ever)."""
    import socket

    http_port = free_port()
    env = dict(os.environ, NEWSFLOW_INGEST_PORT=str(http_port), NEWSFLOW_HOME=str(tmp_path / "home"))
    proc = start(env, "--stdout", "--no-auth", "--client-timeout", "1")
    try:
        wait_for(lambda: call(f"http://127.0.0.1:{http_port}/healthz")[0] == 200, timeout=60, what="/healthz 200")
        with socket.create_connection(("127.0.0.1", http_port), timeout=30) as client:
            client.sendall(b"POST /ingest HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           b"Content-Length: 100\r\n\r\n{\"id\": \"slow\"")  # 13 of the 100 bytes, then nothing
            answer = client.recv(4096)
    finally:
        code, log = stop(proc)
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert b"request_timeout" in answer
    assert code == 0, log


def held_connection(port: int):
    """A keep-alive connection the app holds (an answer over the cap says Connection: close)."""
    import http.client

    def attempt():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        response.read()
        if response.status == 200 and response.getheader("Connection", "").lower() != "close":
            return connection
        connection.close()
        return None
    return wait_for(attempt, timeout=60, interval=0.2, what="a connection held by the app")


def test_a_full_port_answers_503_keeps_answering_the_probe_and_still_stops(tmp_path):
    """--max-connections as a process: two connections held fill it, a third client gets 503 with
    Retry-After while /healthz and /metrics still answer; the crowding is logged, SIGTERM stops it with
    the connections still open, and a second process on its port is refused with the address named."""
    http_port = free_port()
    env = dict(os.environ, NEWSFLOW_INGEST_PORT=str(http_port), NEWSFLOW_HOME=str(tmp_path / "home"))
    base = f"http://127.0.0.1:{http_port}"
    proc = start(env, "--stdout", "--no-auth", "--max-connections", "2", "--log-format", "text")
    held = []
    try:
        wait_for(lambda: call(f"{base}/healthz")[0] == 200, timeout=60, what="/healthz 200")
        held = [held_connection(http_port), held_connection(http_port)]
        article = orjson.dumps({"id": "crowd-1", "source": "e2e", "text": "A ferry ran aground on Monday."})
        status, body = call(f"{base}/ingest", article)
        assert status == 503 and orjson.loads(body)["error"] == "too_many_connections", body
        assert call(f"{base}/healthz") == (200, b"ok\n")
        status, metrics_text = call(f"{base}/metrics")
        assert status == 200
        refused = [float(line.rsplit(" ", 1)[1]) for line in metrics_text.decode().splitlines()
                   if line.startswith("newsflow_ingest_connections_refused_total ")]
        assert refused and refused[0] >= 3, metrics_text  # the post, the probe and the scrape, at least
        second = subprocess.run([sys.executable, "-m", "cli.main", "serve-ingest", "--stdout", "--no-auth",
                                 "--log-format", "text"], env=env, capture_output=True, timeout=60)
        held[0].close()
        wait_for(lambda: call(f"{base}/ingest", article)[0] == 202, timeout=60, what="202 once a connection closed")
    finally:
        code, log = stop(proc)
        for connection in held:
            connection.close()
    assert code == 0 and "Traceback" not in log, log
    assert f"serve-ingest on http://127.0.0.1:{http_port} (auth OFF, at most 2 connections)" in log
    assert ("WARNING connectors.http_ingest: serve-ingest: 2 connections open, the most it takes"
            " (--max-connections 2)") in log
    assert second.returncode == 1
    assert (f"error while attempting to bind on address ('127.0.0.1', {http_port}): address already in use"
            in second.stderr.decode()), second.stderr.decode()
