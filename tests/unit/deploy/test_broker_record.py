"""The pid that broker.json keeps is trusted only while it is still that broker: once the broker is
gone, the system may give its pid to any process, and `broker start` must then start a broker and
`broker stop` must leave the stranger alone."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from deploy.kafka.broker import LocalKafka


def record(tmp_path, pid: int, data_dir) -> LocalKafka:
    path = tmp_path / "broker.json"
    path.write_text(json.dumps({"pid": pid, "port": 50999, "controller_port": 50998,
                                "data_dir": str(data_dir), "version": "4.2.0"}))
    return LocalKafka.load(path)


@pytest.fixture
def process():
    started: list[subprocess.Popen] = []

    def start(*args: str, cwd=None) -> subprocess.Popen:
        # the child says so once it runs its own command line: before exec, /proc still shows pytest's
        code = "import time; print('up', flush=True); time.sleep(60)"
        proc = subprocess.Popen([sys.executable, "-c", code, *args], cwd=cwd, stdout=subprocess.PIPE)
        started.append(proc)
        assert proc.stdout.readline() == b"up\n"
        return proc

    yield start
    for proc in started:
        proc.kill()
        proc.wait()
        proc.stdout.close()


def test_a_recorded_pid_now_held_by_another_process_is_not_the_broker_and_survives_stop(tmp_path, process):
    stranger = process()
    broker = record(tmp_path, stranger.pid, tmp_path / "data")
    assert not broker.running()
    broker.stop(timeout=1)
    assert stranger.poll() is None


def test_the_process_started_with_this_brokers_config_is_the_broker(tmp_path, process):
    data = tmp_path / "data"
    data.mkdir()
    (data / "server.properties").write_text("")
    # started from its data folder with a relative path, as a relative NEWSFLOW_HOME gives it
    same = process("kafka.Kafka", "server.properties", cwd=data)
    assert record(tmp_path, same.pid, data).running()

    other = tmp_path / "other"
    other.mkdir()
    (other / "server.properties").write_text("")
    elsewhere = process("kafka.Kafka", str(other / "server.properties"))
    assert not record(tmp_path, elsewhere.pid, data).running()


def test_a_recorded_pid_that_no_longer_exists_is_not_running(tmp_path, process):
    gone = process()
    gone.kill()
    gone.wait()
    assert not record(tmp_path, gone.pid, tmp_path / "data").running()
