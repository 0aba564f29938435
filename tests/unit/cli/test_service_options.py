"""`newsflow up|worker|demo` flags a user can get wrong: refused by the parser, before a broker or worker starts."""
from pathlib import Path

import pytest

from cli.main import build_parser


@pytest.mark.parametrize("timeout", ["-1", "0", "nan"])
def test_a_demo_timeout_that_is_not_a_positive_number_is_a_usage_error(capsys, timeout):
    """Before, the demo started the broker and the worker, then failed at once ('only 0 of N processed')."""
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(["demo", "--timeout", timeout, "seeds"])
    assert exited.value.code == 2
    assert f"argument --timeout: '{timeout}' must be more than 0" in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "line"), [
    (["worker", "--web-port", "0"], "newsflow worker: --web-port 0: must be a port number, 1 to 65535\n"),
    (["up", "--bootstrap", "kafka"], "newsflow up: --bootstrap kafka: must be host:port[,host:port...]\n"),
    (["demo", "--window-days", "-1", "seeds"], "newsflow demo: --window-days -1.0: must be more than 0\n"),
    (["replay", "--window-days", "0", "seeds"], "newsflow replay: --window-days 0.0: must be more than 0\n"),
    (["tail", "news.events", "--bootstrap", "kafka:x"], "newsflow tail: --bootstrap kafka:x: must be host:port[,host:port...]\n"),
])
def test_a_flag_the_service_cannot_run_with_is_named_as_the_flag(monkeypatch, capsys, argv, line):
    """Before, `--web-port 0` was reported as 'NEWSFLOW_WEB_PORT=0: ...', a variable the user never set."""
    from cli.main import main

    monkeypatch.chdir(Path(__file__).resolve().parents[3])  # where seeds/ is
    assert main(argv) == 2
    assert capsys.readouterr().err == line


def test_a_bad_variable_is_still_named_as_the_variable(monkeypatch, capsys):
    from cli.main import main

    monkeypatch.setenv("NEWSFLOW_WINDOW_DAYS", "0")
    assert main(["worker"]) == 2
    assert capsys.readouterr().err == "newsflow worker: NEWSFLOW_WINDOW_DAYS=0.0: must be more than 0\n"


@pytest.mark.parametrize("command", ["up", "demo"])
def test_a_short_session_is_held_to_the_local_brokers_limit_not_kafkas_default(monkeypatch, command):
    """The local broker allows 1 s (group.min.session.timeout.ms); before, up and demo refused 3 s with
    Kafka's default limit of 6 s unless NEWSFLOW_BROKER_MIN_SESSION_TIMEOUT_S said so too."""
    from cli.service import service_settings

    monkeypatch.delenv("NEWSFLOW_KAFKA_BOOTSTRAP", raising=False)
    monkeypatch.setenv("NEWSFLOW_SESSION_TIMEOUT_S", "3")
    args = build_parser().parse_args([command, "seeds"])
    assert service_settings(args).session_timeout_s == 3.0
    monkeypatch.setenv("NEWSFLOW_SESSION_TIMEOUT_S", "0.5")  # below what the local broker takes
    monkeypatch.setenv("NEWSFLOW_HEARTBEAT_S", "0.1")
    with pytest.raises(Exception, match="must be between 1 and 1800 s"):
        service_settings(build_parser().parse_args([command, "seeds"]))


def test_a_short_session_on_another_broker_is_still_held_to_kafkas_default(monkeypatch, capsys):
    from cli.main import main

    monkeypatch.chdir(Path(__file__).resolve().parents[3])
    monkeypatch.setenv("NEWSFLOW_SESSION_TIMEOUT_S", "3")
    assert main(["demo", "--bootstrap", "127.0.0.1:19092", "seeds"]) == 2
    assert "NEWSFLOW_SESSION_TIMEOUT_S=3.0: must be between 6 and 1800 s" in capsys.readouterr().err
