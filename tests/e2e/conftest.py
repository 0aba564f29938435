"""Run the installed ``newsflow`` command as a user would."""
from __future__ import annotations

import os
import subprocess
import sys

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
