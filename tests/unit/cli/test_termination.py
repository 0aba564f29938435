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
