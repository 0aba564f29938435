"""`newsflow ingest urls` stopped by SIGTERM on a real broker: it finishes the request in hand, delivers
every page it fetched, exits 0, and the next start fetches exactly the pages not reached."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import orjson
import pytest

from cli.kafka_read import read_all
from tests.unit.connectors.conftest import Site

pytestmark = pytest.mark.kafka

HTML = {"Content-Type": "text/html; charset=utf-8"}


def test_sigterm_stops_ingest_urls_after_the_page_in_hand(kafka_bootstrap, unique_prefix, tmp_path):
    """Before, it went on fetching all 20 pages at the Crawl-delay (40 s here) and then delivered only
    the ones fetched before the signal: the others were requested for nothing."""
    site = Site()
    site.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nCrawl-delay: 2\n")
    for i in range(20):
        site.routes[f"/p{i}"] = (200, HTML, f"<html><body><p>Story {i} of the stop test.</p></body></html>".encode())
    urls = tmp_path / "urls.txt"
    urls.write_text("".join(site.url(f"/p{i}") + "\n" for i in range(20)))
    env = dict(os.environ, NEWSFLOW_KAFKA_BOOTSTRAP=kafka_bootstrap, NEWSFLOW_TOPIC_PREFIX=f"{unique_prefix}.",
               NEWSFLOW_STATE_DIR=str(tmp_path / "state"), NEWSFLOW_LOG_LEVEL="info")
    command = [sys.executable, "-m", "cli.main", "ingest", "urls", str(urls), "--allow-network", "127.0.0.1/32"]
    connector = subprocess.Popen([*command, "--interval", "3600"], env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not any(p.startswith("/p") for p, _, _ in site.requests) and time.monotonic() < deadline:
            assert connector.poll() is None, connector.stderr.read().decode(errors="replace")[-3000:]
            time.sleep(0.1)
        time.sleep(1.0)
        connector.send_signal(signal.SIGTERM)
        stopped = time.monotonic()
        err = connector.communicate(timeout=90)[1].decode(errors="replace")
        took = time.monotonic() - stopped
        requested = {p for p, _, _ in site.requests if p.startswith("/p")}
        assert connector.returncode == 0, err[-3000:]
        assert took < 20, err[-3000:]
        assert 1 <= len(requested) <= 3, requested
        topic = f"{unique_prefix}.news.raw"
        delivered = {orjson.loads(value)["id"] for _, value in read_all(kafka_bootstrap, topic)}
        assert delivered == {site.url(p) for p in requested}
        # the next start (no Crawl-delay now) fetches the 20 - n pages not reached, and only those
        site.routes["/robots.txt"] = (404, {}, b"")
        again = subprocess.run([*command, "--once", "--per-host-delay", "0"], env=env, capture_output=True,
                               timeout=180)
        assert again.returncode == 0, again.stderr.decode(errors="replace")[-3000:]
        assert all(site.hits(p) == 1 for p in requested)
        ids = [orjson.loads(value)["id"] for _, value in read_all(kafka_bootstrap, topic)]
        assert sorted(ids) == sorted(site.url(f"/p{i}") for i in range(20))
    finally:
        if connector.poll() is None:
            connector.kill()
        site.close()
