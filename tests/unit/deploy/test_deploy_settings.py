"""Every deployment file sets values the service accepts: a worker started from them does not stop
at its settings check."""
from pathlib import Path

import pytest
import yaml

from pipeline.settings import Settings

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"


def test_the_systemd_environment_file_passes_the_settings_check():
    env = {}
    for line in (DEPLOY / "systemd" / "newsflow.env").read_text().splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            key, value = line.strip().split("=", 1)
            env[key] = value
    assert "NEWSFLOW_KAFKA_BOOTSTRAP" in env
    Settings.from_env(env)


def test_the_kubernetes_config_passes_the_settings_check():
    maps = [doc for doc in yaml.safe_load_all((DEPLOY / "k8s" / "config.yaml").read_text())
            if doc and doc.get("kind") == "ConfigMap"]
    assert maps
    for config in maps:
        Settings.from_env({key: str(value) for key, value in config["data"].items()})


def test_every_compose_service_passes_the_settings_check():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    checked = 0
    for service in compose["services"].values():
        env = service.get("environment") or {}
        if any(key.startswith("NEWSFLOW_") for key in env):
            Settings.from_env({key: str(value) for key, value in env.items()})
            checked += 1
    assert checked >= 3  # the worker, the topic set-up and the connectors


def worker_windows_and_memory_limits() -> list[tuple[str, int, int]]:
    """(where, NEWSFLOW_WINDOW_MAX_ARTICLES in force, memory limit in bytes) of every worker given a limit."""
    units = {"Mi": 2 ** 20, "Gi": 2 ** 30, "m": 2 ** 20, "g": 2 ** 30}
    default = Settings().window_max_articles

    def size(text: str) -> int:
        unit = next(u for u in units if text.endswith(u))
        return int(text[:-len(unit)]) * units[unit]

    config = next(doc for doc in yaml.safe_load_all((DEPLOY / "k8s" / "config.yaml").read_text())
                  if doc and doc.get("kind") == "ConfigMap")["data"]
    workers = [doc for doc in yaml.safe_load_all((DEPLOY / "k8s" / "worker.yaml").read_text())
               if doc and doc.get("kind") == "StatefulSet"]
    limit = workers[0]["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"]["memory"]
    places = [("k8s", int(config.get("NEWSFLOW_WINDOW_MAX_ARTICLES", default)), size(limit))]
    worker = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]["worker"]
    limit = worker["deploy"]["resources"]["limits"]["memory"]
    places.append(("compose", int(worker["environment"].get("NEWSFLOW_WINDOW_MAX_ARTICLES", default)), size(limit)))
    return places


@pytest.mark.parametrize("where, window, limit", worker_windows_and_memory_limits())
def test_the_window_bound_fits_the_workers_memory_limit(where, window, limit):
    # ~2.1 KB per article in the window and a ~300 MB base (deploy/README.md): a window that outgrows
    # the limit gets the worker killed, and the restart rebuilds the same window from the changelog.
    # compose once limited its workers to 2g and left the window at the default 1,000,000 (about 2.4 GB)
    assert 300e6 + 2100 * window <= 0.9 * limit, (where, window, limit)
