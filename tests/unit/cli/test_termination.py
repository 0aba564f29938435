"""SIGTERM or Ctrl-C ends `newsflow demo` (143, 130), but never from inside a Kafka client call.

kafka-python 3 catches BaseException in its network loop: an exit raised there was lost (the demo
then ran to the end and exited 0) or left KafkaProducer's bootstrap waiting for ever."""
import os
import signal
import time

import pytest

from cli import service


@pytest.fixture
def demo_sigterm_handler():
    previous = signal.signal(signal.SIGTERM, service._exit_on_signal)
    yield
    signal.signal(signal.SIGTERM, previous)
    service._stop_signal.clear()


def _sigterm_self() -> None:
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(0.5)  # the handler runs during this sleep


def test_sigterm_exits_at_once_outside_deferred_blocks(demo_sigterm_handler):
    with pytest.raises(SystemExit) as exited:
        _sigterm_self()
        pytest.fail("the handler did not raise")
    assert exited.value.code == 128 + signal.SIGTERM


def test_sigterm_inside_a_deferred_block_waits_for_its_end(demo_sigterm_handler):
    finished = []
    with pytest.raises(SystemExit) as exited:
        with service.signals_deferred():
            _sigterm_self()
            finished.append("the call ran to its end")
    assert finished == ["the call ran to its end"]
    assert exited.value.code == 128 + signal.SIGTERM


def test_no_sigterm_no_exit(demo_sigterm_handler):
    ran = []
    with service.signals_deferred():
        ran.append("the block")
    service.exit_if_terminated()
    assert ran == ["the block"]


@pytest.mark.parametrize("command", ["up", "demo"])
def test_a_stop_asked_for_while_the_worker_starts_stops_that_worker(monkeypatch, tmp_path, command):
    """The worker is started in a deferred block, and the stop asked for meanwhile is acted on when it
    ends. Before, that block ended outside the try that stops the worker: `up` exited 0 and left the
    worker running (and holding its stderr, on which a caller waited for the end)."""
    import subprocess
    import sys

    from cli.main import main

    started: list[subprocess.Popen] = []

    def spawn_and_be_stopped(settings):
        started.append(subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"]))
        _sigterm_self()  # SIGTERM or Ctrl-C comes while the worker process starts
        return started[-1]

    monkeypatch.setenv("NEWSFLOW_KAFKA_BOOTSTRAP", "127.0.0.1:9")  # no local broker: nothing is reached
    monkeypatch.setattr(service, "ensure_topics", lambda settings: None)
    monkeypatch.setattr(service, "remove_run_topics", lambda settings: None)  # the demo's, on a shared broker
    monkeypatch.setattr(service, "spawn_worker", spawn_and_be_stopped)
    monkeypatch.setattr(service, "stop_on_signals", lambda: signal.signal(signal.SIGTERM, service._exit_on_signal))
    previous = signal.getsignal(signal.SIGTERM)
    try:
        code = main([command, str(tmp_path)] if command == "demo" else [command])
    except SystemExit as exited:
        code = exited.code
    finally:
        signal.signal(signal.SIGTERM, previous)
        service._stop_signal.clear()
        for proc in started:
            left_running = proc.poll() is None
            proc.kill()
            proc.wait()
    assert code == (0 if command == "up" else 128 + signal.SIGTERM)
    assert started and not left_running


def test_a_stop_that_comes_as_up_names_its_broker_still_says_the_broker_keeps_running(monkeypatch):
    """SIGTERM acted on while the 'local broker' line is being written (seen in CI, where a caller
    stopped `up` as soon as it read that line): the line that the broker keeps running must follow."""
    import logging
    import types

    from deploy.kafka import broker as broker_module

    said: list[str] = []

    class StoppedWhileWriting(logging.Handler):
        def emit(self, record):
            said.append(record.getMessage())
            if record.getMessage() == "local broker":
                raise SystemExit(128 + signal.SIGTERM)  # as _exit_on_signal raises it, mid-write

    found = types.SimpleNamespace(bootstrap="127.0.0.1:19092", data_dir="/nowhere")
    monkeypatch.delenv("NEWSFLOW_KAFKA_BOOTSTRAP", raising=False)
    monkeypatch.setattr(broker_module, "start_persistent", lambda: found)
    handler = StoppedWhileWriting()
    service.log.addHandler(handler)
    monkeypatch.setattr(service.log, "level", logging.INFO)
    try:
        with pytest.raises(SystemExit):
            with service.embedded_broker(service.Settings(), persistent=True):
                pytest.fail("the stop should have come before the body")
    finally:
        service.log.removeHandler(handler)
    assert said == ["local broker", "the local broker keeps running; `newsflow broker stop` stops it"]
