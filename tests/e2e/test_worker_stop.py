"""A worker told to stop while it still waits for its broker stops at once, as a requested stop."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys


def test_sigterm_during_the_broker_wait_stops_the_worker_cleanly(tmp_path):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # bound, never listening: every connection is refused
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        web_port = s.getsockname()[1]
    env = dict(os.environ, NEWSFLOW_KAFKA_BOOTSTRAP=f"127.0.0.1:{closed.getsockname()[1]}",
               NEWSFLOW_WEB_PORT=str(web_port), NEWSFLOW_DATA_DIR=str(tmp_path / "data"),
               NEWSFLOW_LOG_LEVEL="info", NEWSFLOW_LOG_FORMAT="json")
    worker = subprocess.Popen([sys.executable, "-m", "cli.main", "worker"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
    try:
        lines = []
        for line in worker.stdout:  # the first refused connection: the worker is in its broker wait
            lines.append(line.decode())
            if b"ECONNREFUSED" in line:
                break
        worker.send_signal(signal.SIGTERM)
        rest, _ = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
        closed.close()
    output = "".join(lines) + rest.decode()
    # before: no handler until Faust's own, so SIGTERM killed it (-15), and as PID 1 it was ignored
    assert worker.returncode == 0, output[-2000:]
    assert "stopped before the worker started" in output
