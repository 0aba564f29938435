"""`newsflow tail` with no broker at its bootstrap address: one line naming the address, exit 1.
Before, kafka-python's consumer retried its bootstrap for 30 s, then said only 'KafkaTimeoutError:
Unable to bootstrap from ...'."""
import logging
import socket

from cli.main import main


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed on return: nothing listens there


def test_tail_with_nothing_listening_says_so_naming_the_address(monkeypatch, capsys):
    monkeypatch.delenv("NEWSFLOW_LOG_LEVEL", raising=False)
    monkeypatch.setattr(logging.getLogger(), "handlers", [])  # as when run from a shell: tail sets up no logging
    address = f"127.0.0.1:{unused_port()}"
    assert main(["tail", "news.events", "--bootstrap", address]) == 1
    assert capsys.readouterr().err == (f"newsflow tail: Kafka at {address} is not reachable: nothing accepts"
                                       " connections there (NEWSFLOW_LOG_LEVEL=debug shows the traceback)\n")
