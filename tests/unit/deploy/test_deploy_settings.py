"""Every deployment file sets values the service accepts: a worker started from them does not stop
at its settings check."""
from pathlib import Path

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


def test_the_kubernetes_window_bound_fits_the_workers_memory_limit():
    # ~2.1 KB per article in the window and a ~300 MB base (deploy/README.md): a window that outgrows
    # the limit gets the worker killed, and the restart rebuilds the same window from the changelog
    config = next(doc for doc in yaml.safe_load_all((DEPLOY / "k8s" / "config.yaml").read_text())
                  if doc and doc.get("kind") == "ConfigMap")
    workers = [doc for doc in yaml.safe_load_all((DEPLOY / "k8s" / "worker.yaml").read_text())
               if doc and doc.get("kind") == "StatefulSet"]
    limit = workers[0]["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"]["memory"]
    units = {"Mi": 2 ** 20, "Gi": 2 ** 30}
    limit_bytes = int(limit[:-2]) * units[limit[-2:]]
    window = int(config["data"]["NEWSFLOW_WINDOW_MAX_ARTICLES"])
    assert 300e6 + 2100 * window <= 0.9 * limit_bytes
