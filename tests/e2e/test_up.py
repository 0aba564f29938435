"""`newsflow up PATH`: serves until SIGTERM, exposes /metrics /healthz /readyz, shuts down cleanly."""
import os
import signal
import subprocess
import sys
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from deploy.kafka.broker import free_port
from pipeline.settings import Settings

from ..conftest import SEEDS
from ..integration.conftest import processed_ids, wait_for

pytestmark = pytest.mark.kafka


def http_get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except OSError:
        return 0, ""


def test_up_serves_then_stops_on_sigterm(kafka_bootstrap, unique_prefix, tmp_path):
    port = free_port()
    # the data folder's parent does not exist yet either: the worker makes both
    env = dict(os.environ, NEWSFLOW_KAFKA_BOOTSTRAP=kafka_bootstrap, NEWSFLOW_TOPIC_PREFIX=f"{unique_prefix}.",
               NEWSFLOW_APP_ID=f"up-{unique_prefix}", NEWSFLOW_WEB_PORT=str(port),
               NEWSFLOW_DATA_DIR=str(tmp_path / "state" / "worker"), NEWSFLOW_HOME=str(tmp_path / "home"))
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "up", str(SEEDS)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        settings = Settings.from_env(env)
        wait_for(lambda: http_get(f"http://127.0.0.1:{port}/readyz")[0] == 200, timeout=120, what="/readyz 200")
        wait_for(lambda: len(processed_ids(settings)) >= 5, timeout=120, what="seeds processed")
        status, body = http_get(f"http://127.0.0.1:{port}/healthz")
        assert status == 200

        def samples_once_counted() -> dict | None:
            # an article's record can reach Kafka a moment before the worker counts it
            status, body = http_get(f"http://127.0.0.1:{port}/metrics")
            assert status == 200
            found = {(s.name, tuple(sorted(s.labels.items()))): s.value
                     for family in text_string_to_metric_families(body) for s in family.samples}
            counted = sum(v for (name, _), v in found.items() if name == "newsflow_articles_total")
            return found if counted >= 5 else None

        samples = wait_for(samples_once_counted, timeout=30, what="five articles counted in /metrics")
        assert samples[("newsflow_messages_total", (("outcome", "ok"), ("stage", "clean")))] == 5
        assert sum(v for (name, _), v in samples.items() if name == "newsflow_articles_total") == 5
        assert samples[("newsflow_articles_total", (("relation", "new"),))] == 3  # three events
        # every article reached the clustering stage with the features the cleaning stage prepared
        assert samples[("newsflow_cluster_features_total", (("source", "upstream"),))] == 5
        # what the cleaning did, by flag: the seeds are text files that name no language
        assert samples[("newsflow_clean_flags_total", (("flag", "language_detected"),))] == 5
        assert samples[("newsflow_worker_ready", ())] == 1
        # the seeds' one source has learned-boilerplate state on this worker (the gauge was never set)
        wait_for(lambda: (s := samples_once_counted()) and s.get(("newsflow_boilerplate_sources", ())) == 1,
                 timeout=30, what="newsflow_boilerplate_sources 1")
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=90)
    assert proc.returncode == 0, err.decode()[-3000:]


def test_up_terminated_during_start_up_leaves_no_worker(kafka_bootstrap, unique_prefix, tmp_path):
    """SIGTERM while the worker is still starting: `up` stops it and exits 0 (a requested stop)."""
    from .test_demo import _children

    env = dict(os.environ, NEWSFLOW_KAFKA_BOOTSTRAP=kafka_bootstrap, NEWSFLOW_TOPIC_PREFIX=f"{unique_prefix}.",
               NEWSFLOW_APP_ID=f"up-{unique_prefix}", NEWSFLOW_WEB_PORT=str(free_port()),
               NEWSFLOW_DATA_DIR=str(tmp_path / "data"), NEWSFLOW_HOME=str(tmp_path / "home"), NEWSFLOW_LOG_LEVEL="info")
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "up"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    lines = []
    for line in proc.stderr:  # the worker process logs from its first seconds on
        lines.append(line.decode(errors="replace"))
        if '"logger":"newsflow.worker"' in lines[-1]:
            break
    workers = _children(proc.pid)
    assert workers, "".join(lines[-20:])
    proc.send_signal(signal.SIGTERM)
    rest = proc.communicate(timeout=90)[1].decode(errors="replace")
    assert proc.returncode == 0, rest[-3000:]
    assert '"worker stopped"' in rest and "Traceback" not in rest
    assert not [pid for pid in workers if os.path.exists(f"/proc/{pid}")]


def test_demo_says_how_far_the_worker_has_got_while_it_waits(newsflow, tmp_path):
    """`up`'s sibling `demo` (cli/service.py): while the worker works through the input, a log line
    says how many of its articles are done. Before, nothing was said between 'ingested' and the end,
    a wait of minutes for a large input (--timeout 300)."""
    import orjson

    path = tmp_path / "many.jsonl"
    path.write_bytes(b"".join(orjson.dumps({"id": f"p{i}", "source": "s", "text": f"Story {i}: the harbour of town"
                                            f" {i} closed on Monday after a storm hit the coast."}) + b"\n"
                              for i in range(400)))
    result = newsflow("demo", str(path))
    assert result.returncode == 0, result.stderr.decode()[-3000:]
    logs = [orjson.loads(line) for line in result.stderr.splitlines() if line.startswith(b"{")]
    said = [(entry["processed"], entry["articles"]) for entry in logs if entry["msg"] == "processing"]
    assert said and all(articles == 400 and processed < 400 for processed, articles in said)
    assert [processed for processed, _ in said] == sorted(processed for processed, _ in said)
