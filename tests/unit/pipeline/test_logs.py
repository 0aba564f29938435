"""Logs are one JSON object per line, and routine back-pressure chatter stays out of them."""
import io
import logging
import logging.config

import orjson
import pytest

from pipeline.logs import RepeatLimit, dict_config

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


def test_a_socket_closed_under_kafka_pythons_read_is_not_an_error_but_a_real_receive_error_is():
    stream = captured("info")
    transport = logging.getLogger("kafka.net.transport")
    for error in (AttributeError("'NoneType' object has no attribute 'recv'"), ConnectionResetError(104, "reset")):
        try:
            raise error
        except Exception:
            transport.exception("%s: Error receiving network data closing socket", "<KafkaConnection node=1>")
    lines = [orjson.loads(line) for line in stream.getvalue().splitlines()]
    assert len(lines) == 1 and "ConnectionResetError" in lines[0].get("exc", stream.getvalue())


def test_debug_still_shows_the_routine_client_errors():
    stream = captured("debug")
    logging.getLogger("kafka.cluster").error("Metadata refresh: failed %s", "Cancelled")
    assert "failed Cancelled" in stream.getvalue()


def test_a_client_error_repeated_on_every_retry_is_logged_once_per_interval():
    stream = captured("info")
    # a logger of its own under aiokafka: clients that other tests in the session left running may
    # log to aiokafka.conn itself meanwhile
    conn = logging.getLogger("aiokafka.conn.repeat_test")
    for attempt in range(5000):  # a broker away: aiokafka retries without pause
        conn.error("Unable connect to node with id %s: %s", 1, f"[Errno 111] attempt {attempt}")
    logging.getLogger("newsflow.worker").warning("broker unreachable", extra={"seconds": 3})
    lines = [orjson.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["msg"] for line in lines if line["logger"] in ("aiokafka.conn.repeat_test", "newsflow.worker")] == [
        "Unable connect to node with id 1: [Errno 111] attempt 0", "broker unreachable"]


def test_after_the_interval_the_next_one_says_how_many_were_left_out():
    now = [100.0]
    limit = RepeatLimit(interval=10.0, clock=lambda: now[0])

    def passes(name: str = "aiokafka", msg: str = "Unable to update metadata from %s") -> logging.LogRecord | None:
        record = logging.makeLogRecord({"name": name, "msg": msg, "args": ([1],), "levelno": logging.ERROR})
        return record if limit.filter(record) else None

    assert passes() is not None
    assert [passes() for _ in range(99)] == [None] * 99
    assert passes("newsflow.worker") is not None  # our own lines are never held back
    assert passes(msg="another message") is not None  # each message has its own count
    now[0] += 10.5
    again = passes()
    assert again is not None and again.repeats == 99


def test_debug_keeps_every_repeat():
    stream = captured("debug")
    for _ in range(3):
        logging.getLogger("aiokafka.conn.repeat_test").error("Unable connect to node with id %s", 1)
    assert stream.getvalue().count('"logger":"aiokafka.conn.repeat_test"') == 3


def test_the_text_format_keeps_the_structured_fields():
    config = dict_config("info", "text")
    stream = io.StringIO()
    config["handlers"]["stderr"]["stream"] = stream
    logging.config.dictConfig(config)
    logging.getLogger("newsflow.worker").warning(
        "dead letter", extra={"stage": "clean", "reason": "not_article", "id": "a-17", "detail": "too little text"})
    line = stream.getvalue().strip()
    assert line.endswith('WARNING newsflow.worker: dead letter stage=clean reason=not_article id=a-17 '
                         'detail="too little text"')


def test_a_refused_connection_is_one_error_line_newsflows_own():
    """kafka-python 3 logged three errors for one unreachable broker before Newsflow's own line, where
    the README promises one error line: its attempts are warnings."""
    stream = captured("info")
    logging.getLogger("kafka.net.manager").error("Connection failed: KafkaConnectionError: 111 ECONNREFUSED")
    logging.getLogger("kafka.net.connection").error(
        "<KafkaConnection node_id=bootstrap-0 (disconnected)>: Connection lost: KafkaConnectionError: 111 ECONNREFUSED")
    logging.getLogger("kafka.net.manager").error("Bootstrap failed: KafkaTimeoutError: Unable to bootstrap from 127.0.0.1:1")
    logging.getLogger("kafka.net.manager").error("Unexpected error in the I/O loop")
    logging.getLogger("newsflow.cli").error("newsflow ingest files: Kafka at 127.0.0.1:1 is not reachable")
    lines = [orjson.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["msg"] for line in lines if line["level"] == "error"] == [
        "Unexpected error in the I/O loop", "newsflow ingest files: Kafka at 127.0.0.1:1 is not reachable"]
    assert sum(line["level"] == "warning" for line in lines) == 3
