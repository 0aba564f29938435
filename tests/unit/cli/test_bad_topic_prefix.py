"""A bad NEWSFLOW_TOPIC_PREFIX stops the commands that read the service's settings, named with the
command (exit 2), and leaves `--help` and `broker` alone (README, "Configuration"). Before, the
connectors' parsers read it while the command line was being built: every command, `--help` too,
stopped with a line that named no command."""
import pytest

from cli.main import build_parser, main

BAD = "NEWSFLOW_TOPIC_PREFIX='a b': may hold only ASCII letters, digits, '.', '_' and '-': it names Kafka topics\n"


@pytest.fixture(autouse=True)
def bad_prefix(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSFLOW_TOPIC_PREFIX", "a b")
    monkeypatch.setenv("NEWSFLOW_HOME", str(tmp_path / "home"))


def test_help_and_broker_do_not_read_it(capsys):
    with pytest.raises(SystemExit) as shown:
        build_parser().parse_args(["ingest", "files", "--help"])
    assert shown.value.code == 0 and "--topic TOPIC" in capsys.readouterr().out
    assert main(["broker", "status"]) == 3  # no broker started under this NEWSFLOW_HOME
    assert capsys.readouterr().err == "no local broker has been started here\n"


@pytest.mark.parametrize("command", [["ingest", "files", "--stdout"], ["replay", "--no-progress"]])
def test_a_command_that_reads_it_stops_naming_itself(capsys, tmp_path, command):
    (tmp_path / "a.txt").write_text("Officials met on Monday.")
    assert main([*command, str(tmp_path / "a.txt")]) == 2
    assert capsys.readouterr().err == f"newsflow {' '.join(command[:-1])}: {BAD}"
