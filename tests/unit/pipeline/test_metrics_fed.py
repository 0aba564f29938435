"""Every Prometheus metric the code declares is also fed by the code: a metric that is declared and
drawn on the dashboard but never set reads 0 for ever and looks healthy (two did)."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
METRIC_FILES = ["pipeline/metrics.py", "connectors/metrics.py", "connectors/http_ingest.py"]
CODE = ["pipeline", "connectors", "cli"]
UPDATES = {"inc", "dec", "set", "observe", "labels", "set_to_current_time", "time", "track_inprogress"}


def declared(path: Path) -> set[str]:
    names = set()
    for node in ast.parse(path.read_text()).body:
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and getattr(node.value.func, "id", None) in {"Counter", "Gauge", "Histogram", "Summary"}):
            names |= {target.id for target in node.targets if isinstance(target, ast.Name)}
    return names


def code_files() -> list[Path]:
    return [path for folder in CODE for path in (ROOT / folder).rglob("*.py")]


def fed(names: set[str], paths: list[Path]) -> set[str]:
    """Names used as ``NAME.update(...)`` or ``module.NAME.update(...)`` in ``paths``."""
    found = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in UPDATES:
                owner = node.value
                name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", None)
                if name in names:
                    found.add(name)
    return found


def test_every_declared_metric_is_fed_somewhere():
    names = set().union(*(declared(ROOT / file) for file in METRIC_FILES))
    assert len(names) >= 20
    assert names - fed(names, code_files()) == set()


def test_the_check_sees_a_metric_nobody_feeds(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('from prometheus_client import Gauge\nIDLE = Gauge("x_idle", "never set")\n'
                      'BUSY = Gauge("x_busy", "set")\nBUSY.set(1)\n')
    names = declared(module)
    assert names == {"IDLE", "BUSY"}
    assert fed(names, [module]) == {"BUSY"}
