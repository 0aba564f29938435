"""Settings the service cannot run with are refused before anything starts, naming the variable;
the CLI reports them as usage errors (exit 2), not tracebacks."""
import sys

import pytest

from cli.main import main
from pipeline.settings import Settings, SettingsError
from pipeline.worker import require_store


@pytest.mark.parametrize("variable, value, why", [
    ("NEWSFLOW_WEB_PORT", "abc", "not a valid int"),
    ("NEWSFLOW_WEB_PORT", "70000", "1 to 65535"),
    ("NEWSFLOW_WINDOW_DAYS", "-3", "more than 0"),
    ("NEWSFLOW_WINDOW_DAYS", "nan", "more than 0"),
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
                       "NEWSFLOW_KAFKA_BOOTSTRAP": "kafka-1:9092, kafka-2:9092", "NEWSFLOW_STORE": "rocksdb://"})


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


@pytest.mark.parametrize("variable, value, why", [
    ("NEWSFLOW_DELIVERY_TIMEOUT", "abc", "not a valid float"),
    ("NEWSFLOW_FEED_INTERVAL", "-5", "at least 1.0"),
    ("NEWSFLOW_INGEST_PORT", "99999", "at most 65535"),
    ("NEWSFLOW_CONCURRENCY", "0", "at least 1"),
    ("NEWSFLOW_FEED_JITTER", "nan", "at least 0"),
])
def test_a_bad_connector_variable_is_a_usage_error_for_every_command(monkeypatch, capsys, variable, value, why):
    # the connectors' variables are read when the command line is built, so they stop any command
    monkeypatch.setenv(variable, value)
    assert main(["worker"]) == 2
    err = capsys.readouterr().err
    assert f"{variable}: {value!r} must" in err or f"{variable}: {value!r} is not" in err
    assert why in err and "Traceback" not in err


def test_a_connector_flag_out_of_range_is_refused_by_argparse(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["ingest", "urls", "list.txt", "--concurrency", "0"])
    assert stopped.value.code == 2
    assert "--concurrency: '0' must be at least 1" in capsys.readouterr().err
