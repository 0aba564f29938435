"""Run the installed ``newsflow`` command as a user would."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading

import pytest


@pytest.fixture
def newsflow(kafka_bootstrap, tmp_path):
    def run(*args: str, env: dict | None = None, timeout: float = 300, input: bytes | None = None):
        full_env = dict(os.environ, NEWSFLOW_KAFKA_BOOTSTRAP=kafka_bootstrap, NEWSFLOW_HOME=str(tmp_path / "home"),
                        NEWSFLOW_LOG_LEVEL="info")
        full_env.update(env or {})
        return subprocess.run([sys.executable, "-m", "cli.main", *args], env=full_env, capture_output=True,
                              timeout=timeout, input=input)
    return run


class Forwarder:
    """A TCP relay from a fixed loopback port to the session broker: 'the broker' that starts
    after the command under test (Kafka's metadata then sends clients to the broker's own port)."""

    def __init__(self, port: int, target: str):
        host, target_port = target.rsplit(":", 1)
        self.target = (host, int(target_port))
        self.server = socket.create_server(("127.0.0.1", port))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):  # either side closed: the relay of this pair ends
            while data := source.recv(65536):
                sink.sendall(data)
        for s in (source, sink):
            s.close()

    def close(self) -> None:
        self.server.close()
