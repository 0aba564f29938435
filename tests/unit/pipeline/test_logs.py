"""Logs are one JSON object per line, and routine back-pressure chatter stays out of them."""
import io
import logging
import logging.config

import orjson
import pytest

from pipeline.logs import dict_config

NAMES = ("faust", "faust.transport.producer", "faust.tables", "mode", "aiokafka", "kafka", "newsflow.worker",
         "kafka.cluster", "aiokafka.consumer.group_coordinator")


@pytest.fixture(autouse=True)
def restore_logging():
    """dictConfig changes process-wide state: put the root handlers and levels back afterwards."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, {n: logging.getLogger(n).level for n in NAMES})
    yield
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    for name, level in saved[2].items():
        logging.getLogger(name).setLevel(level)


def captured(level: str) -> io.StringIO:
    config = dict_config(level, "json")
    stream = io.StringIO()
    config["handlers"]["stderr"]["stream"] = stream
    logging.config.dictConfig(config)
    return stream


def test_faust_back_pressure_warnings_are_dropped_but_real_warnings_and_errors_are_kept():
    stream = captured("info")
    logging.getLogger("faust.transport.producer").warning("producer buffer full size 101")
    logging.getLogger("faust.transport.producer").error("cannot send")
    logging.getLogger("faust.tables").warning("table warning")
    logging.getLogger("newsflow.worker").info("worker ready", extra={"partition": 3})
    lines = [orjson.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["msg"] for line in lines] == ["cannot send", "table warning", "worker ready"]
    assert lines[-1]["partition"] == 3 and lines[-1]["level"] == "info"


def test_debug_shows_everything():
    stream = captured("debug")
    logging.getLogger("faust.transport.producer").warning("producer buffer full size 101")
    assert "producer buffer full" in stream.getvalue()


def test_routine_client_errors_are_not_reported_as_errors():
    stream = captured("info")
    logging.getLogger("kafka.cluster").error("Metadata refresh: failed %s", "Cancelled")  # a consumer closed
    logging.getLogger("kafka.cluster").error("Metadata refresh: failed %s", "NodeNotReadyError")  # a real one
    logging.getLogger("aiokafka.consumer.group_coordinator").error(
        "Group Coordinator Request failed: [Error 15] GroupCoordinatorNotAvailableError")
    lines = [orjson.loads(line) for line in stream.getvalue().splitlines()]
    assert [(line["level"], line["msg"]) for line in lines] == [
        ("error", "Metadata refresh: failed NodeNotReadyError"),
        ("warning", "Group Coordinator Request failed: [Error 15] GroupCoordinatorNotAvailableError")]


def test_debug_still_shows_the_routine_client_errors():
    stream = captured("debug")
    logging.getLogger("kafka.cluster").error("Metadata refresh: failed %s", "Cancelled")
    assert "failed Cancelled" in stream.getvalue()
