"""`newsflow demo seeds/`: the whole service on the real broker, three event records on stdout."""
import contextlib
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from kafka import KafkaAdminClient

from schemas import schema_errors

from ..conftest import SEEDS

pytestmark = pytest.mark.kafka
FURNITURE = re.compile(r"No time to read|Get a summary|Previous Article|Next Article|\[\d+(?:,\s*\d+)*\]")


def topics(bootstrap: str) -> set[str]:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        return set(admin.list_topics())
    finally:
        admin.close()


def test_demo_prints_the_three_seed_events(newsflow, kafka_bootstrap):
    before = topics(kafka_bootstrap)
    result = newsflow("demo", str(SEEDS))
    assert result.returncode == 0, result.stderr.decode()[-3000:]
    lines = [line for line in result.stdout.decode().splitlines() if line.strip()]
    events = [orjson.loads(line) for line in lines]
    assert len(events) == 3
    groups = {frozenset(a["id"].split("_")[0] for a in e["articles"]) for e in events}
    assert groups == {frozenset({"001", "002", "003"}), frozenset({"000"}), frozenset({"004"})}
    for event in events:
        assert schema_errors("event", event) == []
        assert not FURNITURE.search(result.stdout.decode())
    # logs are structured JSON on stderr, never mixed into stdout
    assert any(line.startswith("{") and '"level"' in line for line in result.stderr.decode().splitlines())
    # on a shared broker the demo ran on topics of its own (news.*, changelogs) and leaves none behind
    assert '"topics deleted"' in result.stderr.decode()
    assert {name for name in topics(kafka_bootstrap) - before if not name.startswith("__")} == set()


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                out.append(int(stat.parent.name))
    return out


def test_a_terminated_demo_stops_its_worker(kafka_bootstrap, tmp_path):
    """SIGTERM (a CI timeout, `timeout`) used to kill the demo at once and leave its worker running."""
    env = dict(os.environ, NEWSFLOW_KAFKA_BOOTSTRAP=kafka_bootstrap, NEWSFLOW_HOME=str(tmp_path / "home"),
               NEWSFLOW_LOG_LEVEL="info")
    demo = subprocess.Popen([sys.executable, "-m", "cli.main", "demo", str(SEEDS)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    lines = []
    for line in demo.stderr:
        lines.append(line.decode(errors="replace"))
        if '"logger":"newsflow.cli"' in lines[-1] and '"worker ready"' in lines[-1]:
            break
    workers = _children(demo.pid)
    assert workers, "".join(lines[-20:])
    demo.send_signal(signal.SIGTERM)
    rest = demo.communicate(timeout=90)[1].decode(errors="replace")
    assert demo.returncode == 128 + signal.SIGTERM, rest[-3000:]
    assert '"worker stopped"' in rest
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]
