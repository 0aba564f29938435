"""`newsflow broker status`: its exit code says whether the local broker runs."""
from cli.main import main


def test_status_of_a_broker_never_started_here_is_not_running(monkeypatch, tmp_path, capsys):
    """Before, it exited 1 (a failure), while a stopped broker exited 3: both are 'not running'."""
    monkeypatch.setenv("NEWSFLOW_HOME", str(tmp_path))
    assert main(["broker", "status"]) == 3
    assert capsys.readouterr().err == "no local broker has been started here\n"
    assert main(["broker", "stop"]) == 0
