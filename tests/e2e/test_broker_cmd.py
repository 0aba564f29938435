"""`newsflow broker start|status|stop`: the persistent local broker that `newsflow up` also uses, and
the other commands reaching it with their defaults.

The one test here starts a broker of its own besides the session's: the command under test is the
one that starts it."""
import os
import re
import subprocess
import sys

import orjson
import pytest

from deploy.kafka.broker import DEFAULT_PORT, port_open, preferred_port
from tests.conftest import SEEDS

pytestmark = pytest.mark.kafka


def newsflow(env: dict, *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cli.main", *args], env=env, capture_output=True, text=True,
                          timeout=timeout)


def stopped_up(env: dict) -> str:
    """What `newsflow up` logs when SIGTERM stops it as soon as it has found the local broker."""
    import signal

    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "up"], env=dict(env, NEWSFLOW_LOG_LEVEL="info"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    said = []
    for line in proc.stderr:
        said.append(line)
        if '"msg":"local broker"' in line:
            break
    proc.send_signal(signal.SIGTERM)
    said.append(proc.communicate(timeout=120)[1])
    assert proc.returncode == 0, "".join(said)[-3000:]
    return "".join(said)


def test_the_local_broker_is_reached_by_the_other_commands(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSFLOW_")}
    env.update(NEWSFLOW_HOME=str(tmp_path / "home"), NEWSFLOW_LOG_LEVEL="warning")
    default_free = preferred_port() == DEFAULT_PORT
    started = newsflow(env, "broker", "start")
    assert started.returncode == 0, started.stderr[-3000:]
    port = int(re.search(r"running on 127\.0\.0\.1:(\d+)", started.stdout).group(1))
    try:
        if default_free:  # Kafka's default port, which every command's default bootstrap names
            assert port == DEFAULT_PORT
        else:  # taken by something else: the start says how to reach this one
            assert port != DEFAULT_PORT
            assert f"export NEWSFLOW_KAFKA_BOOTSTRAP=127.0.0.1:{port}" in started.stdout
            env["NEWSFLOW_KAFKA_BOOTSTRAP"] = f"127.0.0.1:{port}"
        status = newsflow(env, "broker", "status")
        assert status.returncode == 0 and "running" in status.stdout
        again = newsflow(env, "broker", "start")  # the same broker, not a second one
        assert again.returncode == 0 and f"127.0.0.1:{port}" in again.stdout

        ingested = newsflow(env, "ingest", "files", str(SEEDS), "--no-progress")
        assert ingested.returncode == 0, ingested.stderr[-3000:]
        tailed = newsflow(env, "tail", "news.raw")
        assert tailed.returncode == 0, tailed.stderr[-3000:]
        ids = {orjson.loads(line)["id"] for line in tailed.stdout.splitlines()}
        assert ids == {p.stem for p in SEEDS.glob("*.txt")} and len(ids) == 5
        if default_free:  # `up` on this broker: stopped, it says the broker keeps running, and it does
            up_said = stopped_up(env)
            assert '"the local broker keeps running; `newsflow broker stop` stops it"' in up_said, up_said[-3000:]
            assert port_open(port)
    finally:
        stopped = newsflow(env, "broker", "stop")
    assert stopped.returncode == 0
    assert not port_open(port)
    status = newsflow(env, "broker", "status")
    assert status.returncode == 3 and "stopped" in status.stdout
