"""Every deployment file parses; every NEWSFLOW_* variable they set exists and has a valid value."""
from __future__ import annotations

import json
import re

import pytest
import yaml

from deploy_checks import (DEPLOY, K8S, REPO, SYSTEMD, VAR, deploy_files, known_variables, load_yaml_docs,
                      settings_variables)


def test_every_yaml_file_parses():
    files = deploy_files(".yaml", ".yml")
    assert len(files) >= 10, files
    for path in files:
        assert load_yaml_docs(path), f"{path} is empty"


def test_every_json_file_parses():
    files = deploy_files(".json")
    assert files
    for path in files:
        json.loads(path.read_text())


def deploy_text_files() -> list:
    files = deploy_files(".yaml", ".yml", ".json", ".service", ".env", ".conf")
    return files + [DEPLOY / "Dockerfile"]


def test_every_variable_in_deploy_files_is_known():
    known = known_variables()
    unknown = {}
    for path in deploy_text_files():
        for name in set(VAR.findall(path.read_text())) - known:
            unknown.setdefault(name, []).append(str(path.relative_to(REPO)))
    assert not unknown, f"NEWSFLOW_* variables that neither pipeline/settings.py nor the connectors know: {unknown}"


def test_readme_documents_every_file_and_variable():
    readme = (DEPLOY / "README.md").read_text()
    used = set()
    for path in deploy_text_files():
        used |= set(VAR.findall(path.read_text()))
    missing = sorted(name for name in used if name not in readme)
    assert not missing, f"deploy/README.md does not mention {missing}"
    ours = [p for p in deploy_text_files() if "kafka" not in p.relative_to(DEPLOY).parts]
    undocumented = [str(p.relative_to(DEPLOY)) for p in ours if str(p.relative_to(DEPLOY)) not in readme]
    assert not undocumented, f"deploy/README.md does not describe {undocumented}"


def env_assignments() -> list[tuple[str, dict[str, str]]]:
    """(where, {NEWSFLOW_*: value}) for every place that sets worker settings to literal values."""
    places = []
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    for name, service in compose["services"].items():
        env = service.get("environment") or {}
        if isinstance(env, dict):
            places.append((f"compose:{name}", {k: str(v) for k, v in env.items() if "${" not in str(v)}))
    for path in K8S.glob("*.yaml"):
        for doc in load_yaml_docs(path):
            if isinstance(doc, dict) and doc.get("kind") == "ConfigMap":
                places.append((f"k8s:{path.name}", dict(doc["data"])))
    for path in list(SYSTEMD.glob("*.env")) + list(SYSTEMD.glob("*.service")):
        env = {}
        for line in path.read_text().splitlines():
            line = line.strip()
            if line.startswith("Environment="):
                line = line[len("Environment="):]
            if re.match(r"NEWSFLOW_[A-Z0-9_]+=", line):
                key, value = line.split("=", 1)
                env[key] = value
        places.append((f"systemd:{path.name}", env))
    env = {}
    for match in re.finditer(r"(NEWSFLOW_[A-Z0-9_]+)=(\S+)", (DEPLOY / "Dockerfile").read_text()):
        env[match.group(1)] = match.group(2)
    places.append(("Dockerfile", env))
    return places


@pytest.mark.parametrize("where,env", env_assignments(), ids=lambda v: v if isinstance(v, str) else "")
def test_settings_values_are_valid(where, env):
    from pipeline.settings import Settings

    mine = {k: v for k, v in env.items() if k in settings_variables()}
    settings = Settings.from_env(mine)  # raises on a value of the wrong type
    if "NEWSFLOW_LOG_LEVEL" in mine:
        assert settings.log_level.lower() in ("debug", "info", "warn", "warning", "error"), where
    if "NEWSFLOW_LOG_FORMAT" in mine:
        assert settings.log_format in ("json", "text"), where
    if "NEWSFLOW_STORE" in mine:
        assert settings.store.split("://")[0] in ("memory", "rocksdb", "rocksdict"), where
    assert settings.cluster_partitions <= settings.raw_partitions or "NEWSFLOW_RAW_PARTITIONS" not in mine


def test_feeds_example_loads():
    from connectors.rss import load_feeds

    feeds = load_feeds(K8S / "feeds.yaml")
    assert feeds and all(feed.url.startswith("https://") for feed in feeds)
