"""`newsflow ingest` and `tail` as an operator meets them: clean stops, clear errors instead of tracebacks or timeouts."""
import os
import signal
import subprocess
import sys
import time

import orjson
import pytest

from cli.kafka_read import read_all
from tests.conftest import SEEDS
from deploy.kafka.broker import free_port
from tests.unit.connectors.conftest import Site

from ..integration.conftest import wait_for
from .conftest import Forwarder
from .test_serve_ingest import call

pytestmark = pytest.mark.kafka


def _feed(n: int) -> bytes:
    items = "".join(f"<item><guid>urn:stop:{i}</guid><title>Story {i}</title>"
                    f"<description>Body of story {i}.</description></item>" for i in range(n))
    return f'<rss version="2.0"><channel><title>Stop test</title>{items}</channel></rss>'.encode()


def test_sigterm_stops_the_rss_connector_cleanly(kafka_bootstrap, unique_prefix, tmp_path):
    site = Site()
    site.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, _feed(3))
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(f"feeds:\n  - url: {site.url('/feed.xml')}\n    name: stop-test\n")
    env = dict(os.environ, NEWSFLOW_KAFKA_BOOTSTRAP=kafka_bootstrap, NEWSFLOW_TOPIC_PREFIX=f"{unique_prefix}.",
               NEWSFLOW_STATE_DIR=str(tmp_path / "state"), NEWSFLOW_LOG_LEVEL="info")
    connector = subprocess.Popen([sys.executable, "-m", "cli.main", "ingest", "rss", "--feeds", str(feeds),
                                  "--allow-network", "127.0.0.1/32", "--interval", "3600"],
                                 env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while site.hits("/feed.xml") == 0 and connector.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert site.hits("/feed.xml") == 1, "the connector never polled its feed"
        time.sleep(1.0)
        connector.send_signal(signal.SIGTERM)
        err = connector.communicate(timeout=60)[1].decode(errors="replace")
    finally:
        if connector.poll() is None:
            connector.kill()
        site.close()
    assert connector.returncode == 0, err[-3000:]
    logs = [orjson.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert any(entry["msg"].startswith("stopping after the current item") for entry in logs), err[-3000:]
    assert not [entry for entry in logs if entry["level"] in ("error", "critical")], err[-3000:]
    ids = {orjson.loads(value)["id"] for _, value in read_all(kafka_bootstrap, f"{unique_prefix}.news.raw")}
    assert ids == {"urn:stop:0", "urn:stop:1", "urn:stop:2"}


def test_the_rss_poller_waits_for_a_broker_that_comes_later(kafka_bootstrap, unique_prefix, tmp_path):
    """Before, it gave up after a minute with no /healthz meanwhile, and an orchestrator restarted it."""
    site = Site()
    site.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, _feed(2))
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"# one feed, listed as plain text\n{site.url('/feed.xml')}\n")
    late_port, metrics_port = free_port(), free_port()
    env = dict(os.environ, NEWSFLOW_KAFKA_BOOTSTRAP=f"127.0.0.1:{late_port}", NEWSFLOW_TOPIC_PREFIX=f"{unique_prefix}.",
               NEWSFLOW_STATE_DIR=str(tmp_path / "state"), NEWSFLOW_LOG_LEVEL="info")
    connector = subprocess.Popen([sys.executable, "-m", "cli.main", "ingest", "rss", "--feeds", str(feeds),
                                  "--allow-network", "127.0.0.1/32", "--interval", "3600",
                                  "--metrics-port", str(metrics_port)],
                                 env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base, relay = f"http://127.0.0.1:{metrics_port}", None
    try:
        wait_for(lambda: call(f"{base}/healthz")[0] == 200, timeout=60, what="/healthz 200 with no broker")
        assert call(f"{base}/readyz")[0] == 503 and site.hits("/feed.xml") == 0  # nothing polled yet
        relay = Forwarder(late_port, kafka_bootstrap)
        wait_for(lambda: call(f"{base}/readyz")[0] == 200, timeout=120, what="/readyz 200 once Kafka answers")
        wait_for(lambda: len(list(read_all(kafka_bootstrap, f"{unique_prefix}.news.raw"))) == 2, timeout=60,
                 what="the feed's two entries on news.raw")
        connector.send_signal(signal.SIGTERM)
        err = connector.communicate(timeout=60)[1].decode(errors="replace")
    finally:
        if connector.poll() is None:
            connector.kill()
        if relay:
            relay.close()
        site.close()
    assert connector.returncode == 0, err[-3000:]
    assert "ingest rss: Kafka ready" in err


def test_ingest_to_a_topic_the_cluster_lacks_fails_at_once(newsflow):
    """Auto-creation is off: producing to a missing topic used to retry for the whole delivery timeout."""
    result = newsflow("ingest", "files", str(SEEDS), "--topic", "no-such-topic", timeout=120)
    assert result.returncode == 1
    err = result.stderr.decode()
    assert "topic 'no-such-topic' does not exist" in err and "Traceback" not in err


def test_tail_of_a_missing_topic_says_so(newsflow):
    result = newsflow("tail", "no-such-topic", timeout=120)
    assert result.returncode == 1
    err = result.stderr.decode()
    assert "topic 'no-such-topic' does not exist" in err and "Traceback" not in err


@pytest.mark.parametrize("command", [("ingest", "files"), ("demo",), ("up",)])
def test_a_mistyped_input_path_is_a_usage_error(newsflow, tmp_path, command):
    """Before, `ingest files` and `demo` counted it as one rejected input and exited 0."""
    result = newsflow(*command, str(SEEDS), str(tmp_path / "nowhere"), timeout=120)
    assert result.returncode == 2
    assert f"no such file or folder: {tmp_path / 'nowhere'}" in result.stderr.decode()
    assert result.stdout == b""


@pytest.mark.parametrize("command", [("ingest", "rss", "--once", "--stdout", "--feeds"), ("ingest", "urls", "--once", "--stdout")])
def test_a_mistyped_feed_or_url_list_is_a_usage_error(newsflow, tmp_path, command):
    """Before, they exited 1 with '[Errno 2] No such file or directory', as if something had failed."""
    result = newsflow(*command, str(tmp_path / "nowhere.txt"), timeout=120)
    assert result.returncode == 2
    assert result.stderr.decode().endswith(f"no such file or folder: {tmp_path / 'nowhere.txt'}\n")
    assert result.stdout == b""


def test_an_unreachable_broker_is_given_up_within_the_delivery_timeout(newsflow):
    """Before, connecting had a minute of its own whatever --delivery-timeout said: 61 s for 3."""
    started = time.monotonic()
    result = newsflow("ingest", "files", str(SEEDS), "--no-progress", "--bootstrap", f"127.0.0.1:{free_port()}",
                      "--delivery-timeout", "3", timeout=120)
    assert result.returncode == 1 and time.monotonic() - started < 30
    err = result.stderr.decode()
    assert "is not reachable" in err and "Traceback" not in err


def test_a_stdout_dry_run_of_ingest_urls_leaves_its_pages_to_the_next_real_run(kafka_bootstrap, unique_prefix, tmp_path):
    """Before, `ingest urls --stdout` marked the pages it printed as done in --state: a second dry run
    printed nothing and the real run that followed delivered nothing ("1 already done")."""
    site = Site()
    site.routes["/robots.txt"] = (404, {}, b"")
    site.routes["/story"] = (200, {"Content-Type": "text/html; charset=utf-8"},
                             b"<html><body><p>A ferry ran aground off the coast on Monday.</p></body></html>")
    urls = tmp_path / "urls.txt"
    urls.write_text(site.url("/story") + "\n")
    state = tmp_path / "state" / "pages.sqlite"
    env = dict(os.environ, NEWSFLOW_KAFKA_BOOTSTRAP=kafka_bootstrap, NEWSFLOW_TOPIC_PREFIX=f"{unique_prefix}.",
               NEWSFLOW_LOG_LEVEL="info")
    command = [sys.executable, "-m", "cli.main", "ingest", "urls", str(urls), "--once", "--state", str(state),
               "--allow-network", "127.0.0.1/32", "--per-host-delay", "0"]
    try:
        for attempt in (1, 2):
            dry = subprocess.run([*command, "--stdout"], env=env, capture_output=True, timeout=120)
            assert dry.returncode == 0, dry.stderr.decode()[-3000:]
            assert [orjson.loads(line)["id"] for line in dry.stdout.splitlines()] == [site.url("/story")], attempt
            assert "1 listed, 0 already done, 1 fetched, 1 delivered" in dry.stderr.decode(), attempt
        real = subprocess.run(command, env=env, capture_output=True, timeout=180)
        assert real.returncode == 0, real.stderr.decode()[-3000:]
        assert "1 listed, 0 already done, 1 fetched, 1 delivered" in real.stderr.decode()
        assert site.hits("/story") == 3
    finally:
        site.close()
    ids = [orjson.loads(value)["id"] for _, value in read_all(kafka_bootstrap, f"{unique_prefix}.news.raw")]
    assert ids == [site.url("/story")]


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_a_stopped_ingest_files_ends_its_batch_and_says_how_far_it_got(kafka_bootstrap, unique_prefix, tmp_path, stop):
    """SIGTERM (systemd, `timeout`) or Ctrl-C: the batch in hand is delivered, a line says how many
    records were, and the exit is 128 + the signal, as replay's and demo's. Before, SIGTERM killed it
    mid-batch with no line, and Ctrl-C exited 130 saying nothing of what had been sent."""
    import re

    path = tmp_path / "many.jsonl"
    path.write_bytes(b"".join(orjson.dumps({"id": f"m{i}", "source": "s", "text": f"Story {i} of the harbour."}) + b"\n"
                              for i in range(50_000)))
    env = dict(os.environ, NEWSFLOW_KAFKA_BOOTSTRAP=kafka_bootstrap, NEWSFLOW_TOPIC_PREFIX=f"{unique_prefix}.",
               NEWSFLOW_LOG_LEVEL="info")
    ingest = subprocess.Popen([sys.executable, "-m", "cli.main", "ingest", "files", str(path)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen = b""
    while not re.search(rb"[1-9]\d* records", seen):  # the progress line: delivery is under way
        chunk = ingest.stderr.read1(4096)
        assert chunk, f"ingest ended before it showed progress: {seen.decode()[-2000:]}"
        seen += chunk
    ingest.send_signal(stop)
    err = (seen + ingest.communicate(timeout=120)[1]).decode()
    assert ingest.returncode == 128 + stop, err[-2000:]
    said = re.search(rf"files: stopped by {stop.name} after (\d+) records delivered or rejected\n", err)
    assert said and "Traceback" not in err, err[-2000:]
    ids = {orjson.loads(value)["id"] for _, value in read_all(kafka_bootstrap, f"{unique_prefix}.news.raw")}
    assert 0 < int(said.group(1)) <= len(ids) < 50_000
