"""Fixtures of the deployment-file checks (helpers live in deploy_checks.py)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from deploy_checks import DEPLOY, K8S, load_yaml_docs


@pytest.fixture(scope="session")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


@pytest.fixture(scope="session")
def k8s_docs() -> list[tuple[Path, dict]]:
    docs = []
    for path in sorted(K8S.glob("*.yaml")):
        if path.name in ("kustomization.yaml", "feeds.yaml"):
            continue
        docs.extend((path, doc) for doc in load_yaml_docs(path))
    return docs


@pytest.fixture(scope="session")
def cli_parser():
    from cli.main import build_parser

    return build_parser()

