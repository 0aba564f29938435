"""The benchmark scripts refuse bad arguments at parsing (argparse: exit 2, one clear line, no
traceback) before they start a broker, a worker or a long run."""
from __future__ import annotations

import argparse
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.args import non_negative_int, positive_float, positive_int, positive_int_list  # noqa: E402

MISSING = "/nonexistent/newsflow-bench-data"

CASES = [
    ("load.py", ["--rate", "0"], "--rate: '0' is not a positive number"),
    ("load.py", ["--rate", "-5"], "--rate: '-5' is not a positive number"),
    ("load.py", ["--duration", "0"], "--duration"),
    ("load.py", ["--backlog", "-1"], "--backlog"),
    ("load.py", ["--html-rounds", "-1"], "--html-rounds"),
    ("load.py", ["--ecb", MISSING], f"--ecb: [Errno 2] No such file or directory: '{MISSING}'"),
    ("load.py", ["--ecb", "tests/fixtures/ecbplus/sample.jsonl", "--extraction", MISSING],
     f"--extraction: [Errno 2] No such file or directory: '{MISSING}/ground-truth.json'"),
    ("core.py", ["--data", MISSING], f"--data: [Errno 2] No such file or directory: '{MISSING}'"),
    ("core.py", ["--count", "0"], "--count"),
    ("core.py", ["--count", "-3"], "--count"),
    ("clustering.py", ["--sizes", "abc"], "--sizes: 'abc' is not a positive integer"),
    ("clustering.py", ["--sizes", "0"], "--sizes: '0' is not a positive integer"),
    ("clustering.py", ["--sizes", "1000,-1"], "--sizes"),
    ("clustering.py", ["--orders", "xyz"], "--orders: 'xyz' is not 'sorted', 'time' or an integer shuffle seed"),
    ("clustering.py", ["--measure", "0"], "--measure"),
    ("extraction.py", ["--limit", "0"], "--limit: '0' is not a positive integer"),
    ("extraction.py", ["--limit", "-3"], "--limit"),
    ("extraction.py", ["--markdown"], "--markdown needs --page-text"),
    ("extraction.py", ["--glued"], "--glued needs --page-text"),
    ("extraction.py", ["--data", MISSING],
     f"--data: [Errno 2] No such file or directory: '{MISSING}/ground-truth.json'"),
    ("frequency_idf.py", ["--lengths", "0,x"], "--lengths: '0' is not a positive integer"),
    ("entities.py", ["--data", MISSING], f"--data: [Errno 2] No such file or directory: '{MISSING}'"),
    ("entities.py", ["--data", "tests/fixtures/ecbplus/sample.jsonl", "--extraction", MISSING],
     f"--extraction: [Errno 2] No such file or directory: '{MISSING}/ground-truth.json'"),
    ("feeds_corpus.py", ["--data", MISSING],
     f"--data: [Errno 2] No such file or directory: '{MISSING}/manifest.jsonl'"),
    ("feeds_corpus.py", ["--limit", "-1"], "--limit"),
]


@pytest.mark.parametrize("script,args,message", CASES, ids=[f"{s}{' '.join(a)}" for s, a, _ in CASES])
def test_bench_script_refuses_a_bad_argument_at_parsing(script, args, message):
    proc = subprocess.run([sys.executable, f"bench/{script}", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert message in proc.stderr, proc.stderr[-2000:]
    assert proc.stderr.startswith("usage:") and proc.stdout == ""  # nothing ran before the refusal


def test_argument_types():
    assert positive_int("3") == 3 and non_negative_int("0") == 0 and positive_float("0.5") == 0.5
    assert positive_int_list("10000, 100000") == [10000, 100000]
    for kind, bad in ((positive_int, "0"), (positive_int, "-1"), (positive_int, "1.5"), (non_negative_int, "-1"),
                      (positive_float, "0"), (positive_float, "-5"), (positive_float, "nan"), (positive_float, "inf"),
                      (positive_int_list, ""), (positive_int_list, "1,,2"), (positive_int_list, "0,x")):
        with pytest.raises(argparse.ArgumentTypeError):
            kind(bad)


def test_load_bench_turns_sigterm_into_an_exit_that_runs_its_cleanup():
    """SIGTERM (from ``timeout``) must unwind main() through its finally block, which stops the
    worker process and the broker, instead of killing Python and orphaning them."""
    from bench import load

    previous = signal.getsignal(signal.SIGTERM)
    try:
        with pytest.raises(SystemExit) as exc:
            load._terminated(signal.SIGTERM, None)
        assert exc.value.code == 128 + signal.SIGTERM
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_IGN  # a second one does not cut the cleanup short
    finally:
        signal.signal(signal.SIGTERM, previous)
    code = ("import signal, sys; sys.argv = ['load.py', '--rate', '0']; from bench import load\n"
            "try:\n    load.main()\nexcept SystemExit:\n    pass\n"
            "print(signal.getsignal(signal.SIGTERM) is load._terminated)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == "True", proc.stderr[-2000:]  # installed first thing in main()
