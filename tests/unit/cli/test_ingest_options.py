"""`newsflow ingest` settings a user can get wrong: each is refused (exit 2, one line) before anything starts."""
import io

import pytest

from cli.main import build_parser, main
from connectors.files import ingest_files
from connectors.sink import MemorySink


@pytest.mark.parametrize("name, command", [("NEWSFLOW_STDOUT", "ingest files {tmp}"),
                                           ("NEWSFLOW_FETCH_PAGES", "ingest rss --feeds {tmp} --stdout"),
                                           ("NEWSFLOW_IGNORE_ROBOTS", "ingest urls {tmp} --stdout")])
def test_a_boolean_variable_that_is_not_one_is_a_usage_error(monkeypatch, capsys, tmp_path, name, command):
    """Before, 'ture' read as off: NEWSFLOW_STDOUT=ture sent to Kafka what was meant for stdout."""
    monkeypatch.setenv(name, "ture")
    argv = command.format(tmp=tmp_path).split()
    assert main(argv) == 2
    assert capsys.readouterr().err == (f"newsflow {' '.join(argv[:2])}: {name}='ture' is not a boolean:"
                                       " use 1/0, true/false, yes/no or on/off\n")


@pytest.mark.parametrize(("value", "expected"), [("Yes", True), ("on", True), ("0", False), ("OFF", False), ("", False)])
def test_boolean_variables_read_the_usual_words(monkeypatch, value, expected):
    monkeypatch.setenv("NEWSFLOW_STDOUT", value)
    assert build_parser().parse_args(["ingest", "files", "x"]).stdout is expected


@pytest.mark.parametrize("command", [["ingest", "files", "--stdout", "{path}"], ["ingest", "rss", "--once", "--stdout", "--feeds", "{path}"],
                                     ["ingest", "urls", "--once", "--stdout", "{path}"], ["serve-ingest", "--stdout", "--no-auth"]])
def test_an_unknown_log_level_is_refused_as_the_workers_is(capsys, tmp_path, command):
    """Before, logging's own ValueError ('Unable to configure root logger') ended in a traceback."""
    path = tmp_path / "in.txt"
    path.write_text("https://example.org/\n")
    assert main([part.format(path=path) for part in command] + ["--log-level", "verbose"]) == 2
    assert capsys.readouterr().err.endswith(": --log-level verbose: must be debug, info, warn or error\n")


def test_an_unknown_log_level_in_the_variable_is_named_as_the_variable(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("NEWSFLOW_LOG_LEVEL", "verbose")
    assert main(["ingest", "files", "--stdout", str(tmp_path)]) == 2
    assert capsys.readouterr().err.endswith(": NEWSFLOW_LOG_LEVEL='verbose': must be debug, info, warn or error\n")


def test_source_defaults_as_ingest_files_help_says(tmp_path, capsys):
    """--help said a JSON record without a source took the folder's name; it is rejected (schema)."""
    (tmp_path / "desk").mkdir()
    (tmp_path / "desk" / "a.txt").write_text("Text")
    (tmp_path / "desk" / "r.jsonl").write_text('{"id": "r1", "text": "no source"}\n')
    sink, err = MemorySink(), io.StringIO()
    result = ingest_files([tmp_path / "desk"], sink, err=err)
    assert [(r.id, r.source) for r in sink.raws] == [("a", "desk")] and result.rejected == {"schema": 1}
    assert "'source' is a required property" in err.getvalue()
    ingest_files([tmp_path / "desk" / "r.jsonl"], sink, source="wire", err=io.StringIO())
    assert (sink.raws[-1].id, sink.raws[-1].source) == ("r1", "wire")
    with pytest.raises(SystemExit):
        build_parser().parse_args(["ingest", "files", "--help"])
    assert " ".join(capsys.readouterr().out.split()).count(
        "source of .txt/.html files (default: the parent folder's name) and of JSON records that carry none"
        " (default: none, and such a record is rejected; with --rows, the row's URL host, else 'row:' and its id)") == 1


def test_a_network_to_allow_that_is_not_one_is_a_usage_error(monkeypatch, capsys, tmp_path):
    """Before, `--allow-network notacidr` (or the variable) ended in ipaddress's ValueError and a
    traceback, exit 1, once the connector was built."""
    urls = tmp_path / "urls.txt"
    urls.write_text("https://example.org/\n")
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(["ingest", "urls", str(urls), "--allow-network", "notacidr"])
    assert exited.value.code == 2
    assert "argument --allow-network: 'notacidr' is not a network (such as 10.0.0.0/8) or an IP address" in capsys.readouterr().err
    assert build_parser().parse_args(["ingest", "rss", "--feeds", "f", "--allow-network", " 10.1.0.0/16",
                                      "--allow-network", "::1"]).allow_network == ["10.1.0.0/16", "::1"]

    monkeypatch.setenv("NEWSFLOW_ALLOW_NETWORKS", "10.0.0.0/8, nope")
    assert main(["ingest", "urls", "--once", "--stdout", str(urls)]) == 2
    assert capsys.readouterr().err == ("newsflow ingest urls: NEWSFLOW_ALLOW_NETWORKS: 'nope' is not a network"
                                       " (such as 10.0.0.0/8) or an IP address\n")


def test_a_metrics_port_that_cannot_be_served_names_the_address_and_the_setting():
    """Before, `--metrics-port` on a taken port ended with '[Errno 98] Address already in use' alone."""
    import argparse
    import socket

    from cli.ingest import _start_metrics

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        args = argparse.Namespace(metrics_host="127.0.0.1", metrics_port=port)
        with pytest.raises(RuntimeError) as failed:
            _start_metrics(args, lambda: True)
    message = str(failed.value)
    assert message.startswith(f"cannot serve /metrics on 127.0.0.1:{port} (Address already in use): ")
    assert "--metrics-port (NEWSFLOW_METRICS_PORT)" in message


@pytest.mark.parametrize("argv", [["ingest", "files", "-", "--stdout"], ["ingest", "rss", "--once", "--stdout", "--feeds", "-"],
                                  ["ingest", "urls", "--once", "--stdout", "-"], ["demo", "-"], ["up", "-"]])
def test_stdin_where_it_is_not_read_is_a_usage_error(monkeypatch, capsys, argv):
    """Before, `ingest files -` passed the path check (where '-' means stdin for replay), then
    rejected '-' as a missing file and exited 0; `demo -` started a broker and a worker for nothing."""
    from cli import service

    def no_broker(*args, **kwargs):
        raise AssertionError("a broker was about to be started")

    monkeypatch.setattr(service, "embedded_broker", no_broker)  # should the check go, fail here, start nothing
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    command = " ".join(argv[:2]) if argv[0] == "ingest" else argv[0]
    err = capsys.readouterr().err
    wanted = "a file" if argv[:2] in (["ingest", "rss"], ["ingest", "urls"]) else "files or folders"  # a folder is refused there
    assert err.startswith(f"newsflow {command}") and f"'-' (stdin) is not read here; give {wanted}" in err


@pytest.mark.parametrize("command", [["ingest", "rss", "--feeds", "feeds.txt"], ["ingest", "urls", "urls.txt"]])
def test_a_polling_interval_under_a_second_is_a_usage_error(monkeypatch, capsys, command):
    """`ingest urls --interval 0.01` re-read its list (and re-fetched its sitemaps) a hundred times a
    second; rss refused it only once the feed list was read, naming the list."""
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args([*command, "--interval", "0.5"])
    assert exited.value.code == 2
    assert "argument --interval: '0.5' must be at least 1.0" in capsys.readouterr().err
    assert build_parser().parse_args([*command, "--interval", "1"]).interval == 1.0


def test_the_clis_interval_floor_is_the_connectors():
    from cli.ingest import POLL_INTERVAL_FLOOR
    from connectors.rss import MIN_INTERVAL

    assert POLL_INTERVAL_FLOOR == MIN_INTERVAL
