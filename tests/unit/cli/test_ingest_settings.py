"""The connector commands read the service's settings as the worker does: a flag given wins over its
variable and excuses a bad value in it (README: flags override variables); serve-ingest takes the
flags that mean something to it; its --stdout, once closed, makes it unavailable, not a 500."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from cli.main import build_parser, main

NEWSFLOW = str(Path(sys.executable).parent / "newsflow")
ARTICLE = b'{"id": "a1", "source": "s", "text": "Officials met on Monday."}'

BAD_VARIABLE_AND_ITS_FLAG = [("NEWSFLOW_LOG_LEVEL", "loud", ["--log-level", "info"]),
                             ("NEWSFLOW_LOG_FORMAT", "xml", ["--log-format", "text"]),
                             ("NEWSFLOW_KAFKA_BOOTSTRAP", "bogus", ["--bootstrap", "127.0.0.1:1"])]


@pytest.mark.parametrize("variable, value, flag", BAD_VARIABLE_AND_ITS_FLAG)
def test_a_flag_excuses_its_bad_variable_in_ingest_files(monkeypatch, tmp_path, capsys, variable, value, flag):
    """Before, exit 2: the sink and the topic check read every variable again with no flags."""
    monkeypatch.setenv(variable, value)
    (tmp_path / "a.jsonl").write_bytes(ARTICLE + b"\n")
    assert main(["ingest", "files", "--stdout", "--no-progress", *flag, str(tmp_path / "a.jsonl")]) == 0
    assert b'"id":"a1"' in capsys.readouterr().out.encode()


@pytest.mark.parametrize("variable, value, flag", BAD_VARIABLE_AND_ITS_FLAG)
def test_a_bad_variable_without_its_flag_is_still_a_usage_error_naming_it(monkeypatch, tmp_path, capsys,
                                                                           variable, value, flag):
    monkeypatch.setenv(variable, value)
    assert main(["ingest", "files", "--stdout", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith(f"newsflow ingest files: {variable}='{value}': ")


def test_a_bad_flag_is_named_as_the_flag(tmp_path, capsys):
    assert main(["ingest", "files", "--stdout", "--bootstrap", "bogus", str(tmp_path)]) == 2
    assert capsys.readouterr().err == "newsflow ingest files: --bootstrap bogus: must be host:port[,host:port...]\n"


def test_serve_ingest_takes_no_delivery_timeout_its_ack_timeout_is_its_deadline(capsys):
    """Before, serve-ingest took --delivery-timeout (and NEWSFLOW_DELIVERY_TIMEOUT) and never used it."""
    with pytest.raises(SystemExit) as refused:
        build_parser().parse_args(["serve-ingest", "--no-auth", "--delivery-timeout", "5"])
    assert refused.value.code == 2 and "unrecognized arguments: --delivery-timeout 5" in capsys.readouterr().err
    assert build_parser().parse_args(["ingest", "files", "x", "--delivery-timeout", "5"]).delivery_timeout == 5.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def request(port: int, path: str, body: bytes | None = None) -> tuple[int, bytes]:
    call = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body,
                                  headers={"Content-Type": "application/json"} if body else {})
    try:
        with urllib.request.urlopen(call, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def start_serve_ingest():
    """Starts `newsflow serve-ingest --stdout --no-auth` and waits for its port; kills what a failed
    test left running."""
    started: list[subprocess.Popen] = []

    def start(port: int, *flags: str, env: dict | None = None) -> subprocess.Popen:
        process = subprocess.Popen([NEWSFLOW, "serve-ingest", "--stdout", "--no-auth", "--port", str(port), *flags],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
        started.append(process)
        return until_listening(process, port)

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.communicate()


def until_listening(process: subprocess.Popen, port: int) -> subprocess.Popen:
    for _ in range(200):
        try:
            if request(port, "/healthz")[0] == 200:
                return process
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.05)
    process.kill()
    _, err = process.communicate()
    raise AssertionError(f"serve-ingest did not start (exit {process.returncode}): {err.decode()[-2000:]}")


def stop(process: subprocess.Popen) -> tuple[int, str]:
    """SIGTERM, as systemd or Kubernetes stop it; its exit code and what it logged."""
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=20)
    return process.returncode, err.decode()


def test_serve_ingest_runs_with_bad_variables_its_flags_excuse(start_serve_ingest):
    """Before, `NEWSFLOW_LOG_LEVEL=loud newsflow serve-ingest --log-level info` exited 2 at once."""
    env = {variable: value for variable, value, _ in BAD_VARIABLE_AND_ITS_FLAG}
    flags = [part for _, _, flag in BAD_VARIABLE_AND_ITS_FLAG for part in flag]
    port = free_port()
    process = start_serve_ingest(port, *flags, env=env)
    assert request(port, "/ingest", ARTICLE)[0] == 202
    assert stop(process)[0] == 0


def test_serve_ingest_with_its_stdout_closed_is_unavailable_and_stops_cleanly(start_serve_ingest):
    """`newsflow serve-ingest --stdout | head -1`: before, every POST after the first was a 500
    with a BrokenPipeError traceback in the log, and /readyz still said ready."""
    port = free_port()
    process = start_serve_ingest(port, "--log-format", "text")
    assert request(port, "/ingest", ARTICLE)[0] == 202
    assert b'"id":"a1"' in process.stdout.readline()
    process.stdout.close()  # as `head -1` does once it has its line
    for _ in range(2):
        status, body = request(port, "/ingest", ARTICLE)
        assert status == 503 and b"Broken pipe" in body, body
    assert request(port, "/readyz") == (503, b"not ready\n")
    code, err = stop(process)
    assert code == 0 and "Traceback" not in err and " ERROR " not in err, err
    assert "WARNING connectors.http_ingest: ingest: 1 records not delivered: BrokenPipeError" in err
