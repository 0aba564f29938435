"""`newsflow broker status`: its exit code says whether the local broker runs."""
from cli.main import main


def test_status_of_a_broker_never_started_here_is_not_running(monkeypatch, tmp_path, capsys):
    """Before, it exited 1 (a failure), while a stopped broker exited 3: both are 'not running'."""
    monkeypatch.setenv("NEWSFLOW_HOME", str(tmp_path))
    assert main(["broker", "status"]) == 3
    assert capsys.readouterr().err == "no local broker has been started here\n"
    assert main(["broker", "stop"]) == 0


def test_start_prints_an_export_line_only_for_a_port_other_than_the_default(monkeypatch, capsys):
    """Before, it always printed `export NEWSFLOW_KAFKA_BOOTSTRAP=127.0.0.1:9092`; exported, that
    variable made a later `newsflow up` take the (by then stopped) broker for one it was told to use,
    and start none of its own."""
    from types import SimpleNamespace

    from cli import broker_cmd

    for port, export in ((9092, False), (40123, True)):
        broker = SimpleNamespace(bootstrap=f"127.0.0.1:{port}", pid=4321, data_dir="/tmp/kafka-data")
        monkeypatch.setattr(broker_cmd, "start_persistent", lambda broker=broker: broker)
        assert main(["broker", "start"]) == 0
        out = capsys.readouterr().out
        assert out.startswith(f"kafka {broker_cmd.KAFKA_VERSION} running on 127.0.0.1:{port} (pid 4321")
        assert (f"export NEWSFLOW_KAFKA_BOOTSTRAP=127.0.0.1:{port}\n" in out) is export


def test_stop_of_a_broker_that_is_not_running_says_so(monkeypatch, tmp_path, capsys):
    """Before, it said 'kafka on 127.0.0.1:PORT stopped' of a broker that had stopped long before (a
    second `broker stop`, or one killed): a stop it never made."""
    from deploy.kafka.broker import LocalKafka

    monkeypatch.setenv("NEWSFLOW_HOME", str(tmp_path))
    (tmp_path / "broker").mkdir()
    LocalKafka(tmp_path / "broker" / "data", port=40124).save(tmp_path / "broker" / "broker.json")  # never started
    assert main(["broker", "stop"]) == 0
    assert capsys.readouterr().out == "kafka on 127.0.0.1:40124 was not running\n"
