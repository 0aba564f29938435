"""Settings the service cannot run with are refused before anything starts, naming the variable;
the CLI reports them as usage errors (exit 2), not tracebacks."""
import sys

import pytest

from cli.main import build_parser, main
from cli.options import settings_with_flags
from pipeline.settings import Settings, SettingsError
from pipeline.worker import require_store


@pytest.mark.parametrize("variable, value, why", [
    ("NEWSFLOW_WEB_PORT", "abc", "not a valid int"),
    ("NEWSFLOW_WEB_PORT", "70000", "1 to 65535"),
    ("NEWSFLOW_WINDOW_DAYS", "-3", "more than 0"),
    ("NEWSFLOW_WINDOW_DAYS", "nan", "a finite number"),
    # nan passed every comparison and silently turned the stall and flush watches off; inf ended
    # the worker's start in an OverflowError traceback
    ("NEWSFLOW_STALL_AFTER_S", "nan", "a finite number"),
    ("NEWSFLOW_SESSION_TIMEOUT_S", "inf", "a finite number"),
    ("NEWSFLOW_PRODUCER_LINGER_MS", "nan", "a finite number"),
    # more than Kafka's protocol carries: a struct.error traceback at topic creation, or a fetcher
    # that crashed on every fetch while the worker stayed up
    ("NEWSFLOW_RAW_PARTITIONS", "3000000000", "at most 2147483647"),
    ("NEWSFLOW_REPLICATION_FACTOR", "40000", "at most 32767"),
    ("NEWSFLOW_MAX_RAW_BYTES", "99999999999", "at most 1073741824"),
    ("NEWSFLOW_SESSION_TIMEOUT_S", "1e300", "at most"),
    # topic names Kafka refuses: found only by the broker, in a line-long CreateTopicsRequest dump
    ("NEWSFLOW_APP_ID", "news flow", "letters, digits"),
    ("NEWSFLOW_TOPIC_PREFIX", "staging/", "letters, digits"),
    ("NEWSFLOW_TOPIC_PREFIX", "p" * 240, "at most 234 characters"),
    ("NEWSFLOW_KAFKA_BOOTSTRAP", "kafka:٩٠٩٢", "host:port"),  # Arabic-Indic digits
    ("NEWSFLOW_RAW_PARTITIONS", "0", "at least 1"),
    ("NEWSFLOW_RAW_RETENTION_MS", "0", "for ever"),
    ("NEWSFLOW_STALL_AFTER_S", "-1", "not be negative"),
    ("NEWSFLOW_STORE", "redis://cache", "memory:// or rocksdb://"),
    ("NEWSFLOW_LOG_LEVEL", "loud", "debug, info, warn or error"),
    ("NEWSFLOW_LOG_FORMAT", "xml", "json or text"),
    ("NEWSFLOW_KAFKA_BOOTSTRAP", "localhost", "host:port"),
    ("NEWSFLOW_KAFKA_BOOTSTRAP", "127.0.0.1:99999", "1 to 65535"),
    ("NEWSFLOW_KAFKA_BOOTSTRAP", "kafka-1:9092,kafka-2:0", "1 to 65535"),
])
def test_a_setting_out_of_range_is_refused_by_name(variable, value, why):
    with pytest.raises(SettingsError, match=why) as caught:
        Settings.from_env({variable: value})
    assert variable in str(caught.value)


def test_the_defaults_and_usual_values_pass():
    Settings()
    Settings.from_env({"NEWSFLOW_EVENTS_RETENTION_MS": "-1", "NEWSFLOW_STALL_AFTER_S": "0",
                       "NEWSFLOW_EXTRACT_WORKERS": "0", "NEWSFLOW_LOG_LEVEL": "WARN",
                       "NEWSFLOW_KAFKA_BOOTSTRAP": "kafka-1:9092, kafka-2:9092", "NEWSFLOW_STORE": "rocksdb://",
                       "NEWSFLOW_APP_ID": "newsflow_prod-2", "NEWSFLOW_TOPIC_PREFIX": "staging.",
                       "NEWSFLOW_MAX_RAW_BYTES": str(2**30), "NEWSFLOW_SESSION_TIMEOUT_S": "1800"})


def test_a_flag_out_of_range_is_named_as_the_flag():
    with pytest.raises(SettingsError) as caught:
        settings_with_flags(window_days=float("inf"))
    assert str(caught.value) == "--window-days inf: must be a finite number"


def test_the_cli_reports_a_bad_setting_as_a_usage_error(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("NEWSFLOW_WINDOW_DAYS", "-3")
    assert main(["replay", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "NEWSFLOW_WINDOW_DAYS=-3.0: must be more than 0" in err and "Traceback" not in err


def test_rocksdb_without_a_binding_is_refused_before_the_worker_starts(monkeypatch):
    for module in ("rocksdict", "rocksdb"):
        monkeypatch.setitem(sys.modules, module, None)  # as if not installed
    with pytest.raises(RuntimeError, match=r"newsflow\[rocksdb\]"):
        require_store(Settings(store="rocksdb://"))
    require_store(Settings(store="memory://"))


@pytest.mark.parametrize("command, variable, value, why", [
    (["ingest", "files", "{tmp}"], "NEWSFLOW_DELIVERY_TIMEOUT", "abc", "not a valid float"),
    (["ingest", "rss", "--feeds", "{tmp}"], "NEWSFLOW_FEED_INTERVAL", "-5", "at least 1.0"),
    (["serve-ingest", "--no-auth"], "NEWSFLOW_INGEST_PORT", "99999", "at most 65535"),
    (["ingest", "urls", "{tmp}"], "NEWSFLOW_CONCURRENCY", "0", "at least 1"),
    (["ingest", "rss", "--feeds", "{tmp}"], "NEWSFLOW_FEED_JITTER", "nan", "at least 0"),
])
def test_a_bad_connector_variable_stops_the_command_that_reads_it(monkeypatch, capsys, tmp_path,
                                                                   command, variable, value, why):
    monkeypatch.setenv(variable, value)
    assert main([part.format(tmp=tmp_path) for part in command]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"newsflow {' '.join(command[:2] if command[0] == 'ingest' else command[:1])}: {variable}: {value!r} ")
    assert why in err and "Traceback" not in err and err.count("\n") == 1


def test_a_bad_variable_stops_neither_other_commands_nor_help(monkeypatch, capsys, tmp_path):
    """Before, the connectors' variables were read as the command line was built: NEWSFLOW_FEED_JITTER=nan
    stopped `newsflow replay`, `newsflow worker --help` and every other command alike."""
    monkeypatch.setenv("NEWSFLOW_FEED_JITTER", "nan")
    monkeypatch.setenv("NEWSFLOW_STDOUT", "ture")
    (tmp_path / "a.txt").write_text("Leaders met in Geneva on Monday to sign the water treaty after two years of talks."
                                    " The treaty shares the river between the three countries.")
    assert main(["replay", str(tmp_path)]) == 0
    for command in (["worker", "--help"], ["ingest", "rss", "--help"]):
        with pytest.raises(SystemExit) as stopped:
            main(command)
        assert stopped.value.code == 0
    assert "NEWSFLOW_FEED_JITTER" in capsys.readouterr().out


def test_a_valid_flag_excuses_its_variable(monkeypatch, capsys, tmp_path):
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("")
    monkeypatch.setenv("NEWSFLOW_FEED_JITTER", "nan")
    monkeypatch.setenv("NEWSFLOW_STDOUT", "ture")
    args = build_parser().parse_args(["ingest", "rss", "--feeds", str(feeds), "--jitter", "0.2", "--stdout"])
    assert (args.jitter, args.stdout) == (0.2, True)

    monkeypatch.setenv("NEWSFLOW_WINDOW_DAYS", "-3")
    monkeypatch.setenv("NEWSFLOW_WEB_PORT", "abc")
    assert Settings.from_env(window_days=2.0, web_port=7000).window_days == 2.0
    with pytest.raises(SettingsError, match="NEWSFLOW_WEB_PORT"):
        Settings.from_env(window_days=2.0)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Leaders met in Geneva on Monday to sign the water treaty after two years"
                                           " of talks. The treaty shares the river between the three countries.")
    monkeypatch.delenv("NEWSFLOW_WEB_PORT")
    assert main(["replay", str(tmp_path / "in"), "--window-days", "2"]) == 0
    assert main(["replay", str(tmp_path / "in")]) == 2
    assert "NEWSFLOW_WINDOW_DAYS=-3.0: must be more than 0" in capsys.readouterr().err


def test_a_connector_flag_out_of_range_is_refused_by_argparse(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["ingest", "urls", "list.txt", "--concurrency", "0"])
    assert stopped.value.code == 2
    assert "--concurrency: '0' must be at least 1" in capsys.readouterr().err


@pytest.mark.parametrize("heartbeat, session", [("100", "6"), ("6", "6")])
def test_a_heartbeat_not_below_the_session_timeout_is_refused_naming_both(heartbeat, session):
    # the group coordinator would drop the member between two heartbeats
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({"NEWSFLOW_HEARTBEAT_S": heartbeat, "NEWSFLOW_SESSION_TIMEOUT_S": session})
    assert "NEWSFLOW_HEARTBEAT_S" in str(caught.value) and "NEWSFLOW_SESSION_TIMEOUT_S" in str(caught.value)
    assert "lower than" in str(caught.value)


def test_the_cli_reports_a_heartbeat_over_the_session_timeout_as_a_usage_error(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("NEWSFLOW_HEARTBEAT_S", "100")
    assert main(["replay", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "NEWSFLOW_HEARTBEAT_S=100.0 must be lower than NEWSFLOW_SESSION_TIMEOUT_S=6.0" in err
    assert "Traceback" not in err and err.count("\n") == 1


@pytest.mark.parametrize("session, heartbeat", [("2", "0.5"), ("5.9", "1"), ("1800.5", "1"), ("3600", "1")])
def test_a_session_timeout_outside_the_broker_defaults_is_refused_at_start(session, heartbeat):
    # the broker refuses the group join (InvalidSessionTimeout) and the worker is never ready
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({"NEWSFLOW_SESSION_TIMEOUT_S": session, "NEWSFLOW_HEARTBEAT_S": heartbeat})
    message = str(caught.value)
    assert message.startswith(f"NEWSFLOW_SESSION_TIMEOUT_S={float(session)!r}: must be between 6 and 1800 s")
    assert "group.min.session.timeout.ms" in message and "may allow it" in message
    assert "NEWSFLOW_BROKER_MIN_SESSION_TIMEOUT_S" in message


def test_the_broker_default_limits_themselves_pass():
    assert Settings.from_env({"NEWSFLOW_SESSION_TIMEOUT_S": "6"}).session_timeout_s == 6.0
    assert Settings.from_env({"NEWSFLOW_SESSION_TIMEOUT_S": "1800"}).session_timeout_s == 1800.0


def test_a_broker_with_other_limits_can_be_named():
    env = {"NEWSFLOW_SESSION_TIMEOUT_S": "2", "NEWSFLOW_HEARTBEAT_S": "0.5",
           "NEWSFLOW_BROKER_MIN_SESSION_TIMEOUT_S": "1"}
    assert Settings.from_env(env).session_timeout_s == 2.0
    with pytest.raises(SettingsError, match="between 1 and 1800 s, the broker's limits given in"):
        Settings.from_env({**env, "NEWSFLOW_SESSION_TIMEOUT_S": "0.8", "NEWSFLOW_HEARTBEAT_S": "0.2"})
    with pytest.raises(SettingsError, match="must not be above NEWSFLOW_BROKER_MAX_SESSION_TIMEOUT_S"):
        Settings.from_env({**env, "NEWSFLOW_BROKER_MIN_SESSION_TIMEOUT_S": "60",
                           "NEWSFLOW_BROKER_MAX_SESSION_TIMEOUT_S": "30"})


def test_settings_built_in_code_are_not_held_to_the_broker_defaults():
    # the tests' own broker allows 1 s (group.min.session.timeout.ms=1000), and their workers use 2 s
    assert Settings(session_timeout_s=2.0, heartbeat_s=0.5).session_timeout_s == 2.0
