"""The core benchmark still runs against the current pipeline (it patches the core's timing points,
so a refactor of pipeline/core.py can break it without any other test noticing)."""
import subprocess
import sys
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[2]


def test_core_benchmark_times_every_stage_on_a_small_stream():
    proc = subprocess.run([sys.executable, "bench/core.py", "--count", "40", "--json",
                           "--data", "tests/fixtures/ecbplus/sample.jsonl"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = orjson.loads(proc.stdout.strip().splitlines()[-1])
    assert result["articles"] == 40 and result["errors"] == 0 and result["events"] >= 1
    assert all(result["stage_ms"][stage] > 0 for stage in ("clean", "assign", "facts", "apply"))
