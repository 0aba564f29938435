"""`newsflow tail` with no broker at its bootstrap address: one line naming the address, exit 1.
Before, kafka-python's consumer retried its bootstrap for 30 s, then said only 'KafkaTimeoutError:
Unable to bootstrap from ...'."""
import logging
import socket

import orjson

from cli.main import main


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed on return: nothing listens there


def test_tail_with_nothing_listening_says_so_naming_the_address(monkeypatch, capsys):
    """Said as a log line in NEWSFLOW_LOG_FORMAT, as every command says its failure (before, tail
    alone printed plain text under the default json format)."""
    monkeypatch.delenv("NEWSFLOW_LOG_LEVEL", raising=False)
    monkeypatch.delenv("NEWSFLOW_LOG_FORMAT", raising=False)
    monkeypatch.setattr(logging.getLogger(), "handlers", [])  # as when run from a shell
    address = f"127.0.0.1:{unused_port()}"
    assert main(["tail", "news.events", "--bootstrap", address]) == 1
    said = [orjson.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [(line["level"], line["msg"]) for line in said if line["logger"] == "newsflow.cli"] == [
        ("error", f"newsflow tail: Kafka at {address} is not reachable: nothing accepts connections there"
                  " (NEWSFLOW_LOG_LEVEL=debug shows the traceback)")]
