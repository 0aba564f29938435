"""Helpers of the deployment-file checks: paths, YAML loading, the NEWSFLOW_* names the code knows."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[3]
DEPLOY = REPO / "deploy"
K8S = DEPLOY / "k8s"
SYSTEMD = DEPLOY / "systemd"

VAR = re.compile(r"(?<![A-Za-z0-9_])NEWSFLOW_[A-Z0-9_]*[A-Z0-9]")


def deploy_files(*suffixes: str) -> list[Path]:
    """Files under deploy/ with one of these suffixes, minus the Maven cache and Python code."""
    return sorted(p for p in DEPLOY.rglob("*") if p.is_file() and p.suffix in suffixes
                  and "target" not in p.relative_to(DEPLOY).parts and "__pycache__" not in p.parts)


def load_yaml_docs(path: Path) -> list:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]


def settings_variables() -> set[str]:
    from pipeline.settings import ENV_PREFIX, Settings

    return {ENV_PREFIX + f.name.upper() for f in dataclasses.fields(Settings)}


def known_variables() -> set[str]:
    """Every NEWSFLOW_* name the code reads or documents: settings, connector options, broker launcher."""
    names = settings_variables()
    sources = [REPO / "cli" / "ingest.py", REPO / "deploy" / "kafka" / "broker.py", REPO / "docs" / "connectors.md"]
    sources += sorted((REPO / "connectors").glob("*.py"))
    for source in sources:
        if source.exists():
            names |= set(VAR.findall(source.read_text()))
    return names


def parse_cli(parser, argv: list[str]):
    """argparse exits on a bad command line; turn that into a test failure that names it."""
    try:
        return parser.parse_args(argv)
    except SystemExit as exc:  # pragma: no cover - only on failure
        raise AssertionError(f"`newsflow {' '.join(argv)}` is not a valid command line") from exc
