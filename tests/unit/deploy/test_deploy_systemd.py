"""deploy/systemd: the units' own settings, `systemd-analyze verify` and its offline security score."""
from __future__ import annotations

import errno
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from deploy_checks import SYSTEMD, parse_cli

UNITS = sorted(SYSTEMD.glob("*.service"))
INSTALLED = "/opt/newsflow/bin/newsflow"


def unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """section -> key -> every value (systemd keys repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        current.setdefault(key, []).append(value)
    return sections


def environment(service: dict[str, list[str]]) -> dict[str, str]:
    env = {}
    for item in service.get("Environment", []):
        key, _, value = item.partition("=")
        env[key] = value
    return env


def test_units_exist():
    names = {p.name for p in UNITS}
    assert {"newsflow-worker.service", "newsflow-rss.service"} <= names


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_unit_settings(path, monkeypatch):
    service = unit(path)["Service"]
    one = {key: values[-1] for key, values in service.items()}
    assert one["Restart"] == "on-failure"
    assert one["KillSignal"] == "SIGTERM"
    assert int(one["TimeoutStopSec"]) >= 30
    assert one["NoNewPrivileges"] == "yes"
    assert one["ProtectSystem"] == "strict"
    assert one.get("User") == "newsflow" or one.get("DynamicUser") == "yes"
    assert any(v.startswith("/etc/newsflow/") for v in service["EnvironmentFile"])
    argv = shlex.split(one["ExecStart"])
    assert argv[0] == INSTALLED
    env = environment(service)
    # Options read from the environment (e.g. NEWSFLOW_FEEDS) are defaults of the parser: build it
    # with the unit's Environment= lines in place.
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    from cli.main import build_parser

    parse_cli(build_parser(), argv[1:])
    # Whatever the unit writes to is writable under ProtectSystem=strict.
    writable = [Path(p) for v in service.get("ReadWritePaths", []) for p in v.split()]
    for key in ("NEWSFLOW_DATA_DIR", "NEWSFLOW_STATE_DIR"):
        if key in env:
            assert any(Path(env[key]).is_relative_to(w) for w in writable), f"{key}={env[key]} is read-only"
            assert Path(env[key]).is_relative_to("/var/lib/newsflow")
    assert "unit" not in unit(path).get("Install", {}) and unit(path)["Install"]["WantedBy"] == ["multi-user.target"]


def test_environment_file_and_sysusers():
    env = {}
    for line in (SYSTEMD / "newsflow.env").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key] = value
    assert "NEWSFLOW_KAFKA_BOOTSTRAP" in env
    users = (SYSTEMD / "newsflow.sysusers.conf").read_text()
    assert any(line.split()[:2] == ["u", "newsflow"] for line in users.splitlines() if line and not line.startswith("#"))


def systemd_analyze() -> str | None:
    return shutil.which("systemd-analyze")


def verifiable_copy(path: Path, folder: Path) -> Path:
    """The unit with ExecStart pointing at this checkout's newsflow and optional EnvironmentFiles,
    so that verify checks the unit itself rather than this machine's /opt and /etc."""
    local = shutil.which("newsflow") or str(Path(sys.executable).with_name("newsflow"))
    text = path.read_text().replace(INSTALLED, local).replace("EnvironmentFile=/", "EnvironmentFile=-/")
    copy = folder / path.name
    copy.write_text(text)
    return copy


@pytest.mark.skipif(systemd_analyze() is None, reason="systemd-analyze is not installed (apt-get install systemd)")
@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_systemd_analyze_verify(path, tmp_path):
    copy = verifiable_copy(path, tmp_path)
    proc = subprocess.run([systemd_analyze(), "verify", str(copy)], capture_output=True, text=True, timeout=60)
    output = (proc.stdout + proc.stderr).strip()
    # verify exits 0 on unknown keys and bad values, it only warns: any output is a finding.
    assert proc.returncode == 0 and not output, output


@pytest.mark.skipif(systemd_analyze() is None, reason="systemd-analyze is not installed (apt-get install systemd)")
@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_systemd_security_exposure(path, tmp_path):
    copy = verifiable_copy(path, tmp_path)
    proc = subprocess.run([systemd_analyze(), "security", "--offline=true", "--threshold=20", "--no-pager", str(copy)],
                          capture_output=True, text=True, timeout=60)
    if "Unknown option" in proc.stderr or "unrecognized option" in proc.stderr:
        pytest.skip("this systemd-analyze has no offline security check")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr  # exposure 2.0 or less ("OK")


@pytest.mark.skipif(systemd_analyze() is None, reason="systemd-analyze is not installed")
def test_verify_would_catch_a_mistake(tmp_path):
    bad = verifiable_copy(SYSTEMD / "newsflow-worker.service", tmp_path)
    bad.write_text(bad.read_text().replace("Restart=on-failure", "Restart=sometimes"))
    proc = subprocess.run([systemd_analyze(), "verify", str(bad)], capture_output=True, text=True, timeout=60)
    assert "sometimes" in proc.stdout + proc.stderr


def syscall_group(name: str) -> set[str]:
    """The system calls of a systemd group (@system-service ...), nested groups expanded."""
    listed = subprocess.run([systemd_analyze(), "syscall-filter", name], capture_output=True, text=True, timeout=60)
    calls = set()
    for line in listed.stdout.splitlines()[1:]:
        line = line.strip()
        if line and not line.startswith("#"):
            calls |= syscall_group(line) if line.startswith("@") else {line}
    return calls


def seccomp_of(service: dict[str, list[str]]) -> tuple[set[str], int]:
    """The unit's allow list and default action, as systemd builds them (allow-list mode: @default
    is added; then each SystemCallFilter= line adds, or with ~ removes, in order)."""
    allowed: set[str] = set()
    for i, value in enumerate(service["SystemCallFilter"]):
        remove = value.startswith("~")
        assert i or not remove, "the checks below assume an allow list"
        names = set().union(*(syscall_group(n) if n.startswith("@") else {n} for n in value.lstrip("~").split()))
        allowed = allowed - names if remove else allowed | names | (set() if i else syscall_group("@default"))
    errno_name = service.get("SystemCallErrorNumber", [None])[-1]
    default = (0x00050000 | getattr(errno, errno_name)) if errno_name else 0x80000000  # SCMP_ACT_ERRNO(n) or _KILL_PROCESS
    return allowed, default


# Loads a seccomp filter through libseccomp, as systemd does right before it runs ExecStart, then runs the command.
UNDER_FILTER = """
import ctypes, ctypes.util, json, os, sys
lib = ctypes.CDLL(ctypes.util.find_library("seccomp") or "libseccomp.so.2")
lib.seccomp_init.restype, lib.seccomp_init.argtypes = ctypes.c_void_p, [ctypes.c_uint32]
lib.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint, ctypes.c_void_p]
lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
lib.seccomp_load.argtypes = [ctypes.c_void_p]
ctx = lib.seccomp_init(int(sys.argv[2]))
for name in json.loads(sys.argv[1]):
    number = lib.seccomp_syscall_resolve_name(name.encode())
    if number >= 0:
        lib.seccomp_rule_add_array(ctx, 0x7FFF0000, number, 0, None)  # SCMP_ACT_ALLOW
if lib.seccomp_load(ctx) != 0:
    sys.exit("seccomp_load failed")
os.execv(sys.argv[3], sys.argv[3:])
"""


def libseccomp() -> bool:
    import ctypes.util

    return sys.platform == "linux" and bool(ctypes.util.find_library("seccomp"))


@pytest.mark.skipif(systemd_analyze() is None or not libseccomp(), reason="needs systemd-analyze and libseccomp")
@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_the_process_runs_under_the_units_system_call_filter(path):
    """The units allowed @system-service without @privileged @resources and no SystemCallErrorNumber=,
    so a refused call killed the process: numpy's OpenBLAS calls mbind (@resources) as it loads, and
    every newsflow command imports numpy, so each unit died with SIGSYS at start."""
    import json

    service = unit(path)["Service"]
    allowed, default = seccomp_of(service)
    local = shutil.which("newsflow") or str(Path(sys.executable).with_name("newsflow"))
    commands = [[local, *shlex.split(service["ExecStart"][-1])[1:], "--help"]]
    if "worker" in commands[0]:  # what the worker does before it joins the group: load every model, start an extraction helper
        commands.append([sys.executable, "-c", "from pipeline.core import warm_up; from pipeline.settings import Settings;"
                                               " warm_up(Settings(extract_workers=1))"])
    for command in commands:
        run = subprocess.run([sys.executable, "-c", UNDER_FILTER, json.dumps(sorted(allowed)), str(default), *command],
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, (command, run.returncode, run.stderr[-2000:])  # -31: killed by SIGSYS


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_the_units_documentation_is_a_file_the_install_steps_put_there(path):
    """`systemctl help` opens Documentation=; the units named /opt/newsflow/README.md, which no step installed."""
    readme = (SYSTEMD.parent / "README.md").read_text()
    steps = readme[readme.index("## systemd"):].split("```")[1]
    for uri in unit(path)["Unit"].get("Documentation", []):
        if uri.startswith("file://"):
            assert any(line.split()[-1] == uri[len("file://"):] for line in
                       (step.split("#")[0] for step in steps.splitlines()) if "install" in line and line.split()), uri
