"""The benchmark scripts refuse bad arguments at parsing (argparse: exit 2, one clear line, no
traceback) before they start a broker, a worker or a long run."""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.args import fraction, non_negative_int, positive_float, positive_int, positive_int_list  # noqa: E402

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
    # unreadable inputs: one line naming the file and line, before any work (and before load.py starts a broker)
    ("core.py", ["--data", "LICENSE"], "--data: LICENSE, line 1: not a JSON object with a text"),
    ("load.py", ["--ecb", "LICENSE", "--html-rounds", "0"], "--ecb: LICENSE, line 1: not a JSON object with a text"),
    ("entities.py", ["--data", "tests/fixtures/ecbplus/sample.jsonl", "--extraction", "tests/fixtures/extraction"],
     "--data: tests/fixtures/ecbplus/sample.jsonl, line 1: not an ECB+ row (doc_id, text)"),
    # a missing --params was taken for the code's default parameters, silently; a missing --events was a traceback
    ("clustering.py", ["--data", MISSING, "--params", MISSING], f"--params: [Errno 2] No such file or directory: '{MISSING}'"),
    ("clustering.py", ["--data", MISSING, "--events", MISSING], f"--events: [Errno 2] No such file or directory: '{MISSING}'"),
    ("ceiling.py", ["--data", MISSING, "--params", MISSING], f"--params: [Errno 2] No such file or directory: '{MISSING}'"),
    # without the extraction bodies the fit silently made another DF table (and wrote it over the shipped one)
    ("fit_clustering.py", ["--data", MISSING, "--shared", MISSING],
     f"--shared: [Errno 2] No such file or directory: '{MISSING}/data/extraction/ground-truth.json'"),
    ("ceiling.py", ["--data", MISSING, "--neighbours", "x"], "--neighbours: 'x' is not a positive integer"),
    ("ceiling.py", ["--data", MISSING, "--lookahead", "y"], "--lookahead: 'y' is not a positive integer"),
    ("ceiling.py", ["--data", MISSING, "--orders", "abc"], "--orders: 'abc' is not 'sorted', 'time' or an integer"),
    ("ceiling.py", ["--data", MISSING, "--max-docs", "0"], "--max-docs: '0' is not a positive integer"),
    ("ceiling.py", ["--data", MISSING, "--min-p", "2"], "--min-p: '2' is not a number from 0 to 1"),
]


@pytest.mark.parametrize("script,args,message", CASES, ids=[f"{s}{' '.join(a)}" for s, a, _ in CASES])
def test_bench_script_refuses_a_bad_argument_at_parsing(script, args, message):
    proc = subprocess.run([sys.executable, f"bench/{script}", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert message in proc.stderr, proc.stderr[-2000:]
    assert proc.stderr.startswith("usage:") and proc.stdout == ""  # nothing ran before the refusal


EMPTY_CASES = [
    ("core.py", ["--data", "{tmp}/empty.jsonl"], "--data: no articles in {tmp}/empty.jsonl"),
    ("load.py", ["--duration", "1", "--rate", "1", "--backlog", "1", "--ecb", "tests/fixtures/ecbplus/sample.jsonl",
                 "--extraction", "{tmp}/no-pages"], "--extraction: no pages (*.html.gz) in {tmp}/no-pages"),
    ("extraction.py", ["--data", "{tmp}/no-truth"], "--data: no pages in {tmp}/no-truth/ground-truth.json"),
    ("extraction.py", ["--data", "{tmp}/no-truth", "--page-text"], "--data: no pages in"),
    ("extraction.py", ["--data", "{tmp}/no-pages"], "--data: [Errno 2] No such file or directory: '{tmp}/no-pages/"),
    ("entities.py", ["--data", "{tmp}/empty.jsonl", "--extraction", "tests/fixtures/extraction"],
     "--data: {tmp}/empty.jsonl lacks 20 of the 20 hand-checked ECB+ dev articles"),
    ("feeds_corpus.py", ["--data", "{tmp}/no-feeds"], "--data: no feeds in {tmp}/no-feeds/manifest.jsonl"),
]


@pytest.mark.parametrize("script,args,message", EMPTY_CASES, ids=[f"{s}{' '.join(a)}" for s, a, _ in EMPTY_CASES])
def test_bench_script_refuses_empty_input_in_one_line(tmp_path, script, args, message):
    (tmp_path / "empty.jsonl").write_text("\n")
    for name, truth in (("no-pages", '{"p1": {"url": "https://a.example/1", "articleBody": "x"}}'), ("no-truth", "{}")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "ground-truth.json").write_text(truth)
    (tmp_path / "no-feeds").mkdir()
    (tmp_path / "no-feeds" / "manifest.jsonl").write_text("")
    args = [a.format(tmp=tmp_path) for a in args]
    proc = subprocess.run([sys.executable, f"bench/{script}", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr and proc.stdout == "", proc.stderr[-2000:]
    assert message.format(tmp=tmp_path) in proc.stderr.splitlines()[-1], proc.stderr[-2000:]


def test_fitting_script_names_the_field_a_row_lacks(tmp_path):
    (tmp_path / "data" / "extraction").mkdir(parents=True)
    (tmp_path / "data" / "extraction" / "ground-truth.json").write_text("{}")
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"doc_id": "1_1ecb", "cluster_id": "1_ecb", "text": "A title\\nA body."}\n')
    proc = subprocess.run([sys.executable, "bench/fit_clustering.py", "--split", "--data", str(rows),
                           "--shared", str(tmp_path), "--out", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert proc.stderr.strip() == ("--data: row 1 lacks topic: ECB+ dev rows have doc_id, topic, cluster_id and text")


def test_load_bench_refuses_a_bad_worker_setting_before_it_starts_a_broker():
    proc = subprocess.run([sys.executable, "bench/load.py", "--html-rounds", "0", "--ecb",
                           "tests/fixtures/ecbplus/sample.jsonl"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={k: v for k, v in os.environ.items() if k != "NEWSFLOW_KAFKA_BOOTSTRAP"}
                          | {"NEWSFLOW_RAW_PARTITIONS": "0"})
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr and proc.stdout == "", proc.stderr[-2000:]
    assert proc.stderr.splitlines()[-1] == "load.py: error: NEWSFLOW_RAW_PARTITIONS=0: must be at least 1"


def test_load_bench_reads_the_pages_beside_their_ground_truth():
    """tests/fixtures/extraction keeps its pages beside ground-truth.json, not in html/ (as clustering.py reads it)."""
    from bench.load import html_pages

    pages = html_pages(ROOT / "tests/fixtures/extraction")
    assert len(pages) == len(list((ROOT / "tests/fixtures/extraction").glob("*.html.gz"))) > 0
    assert all(url and url.startswith("http") and "<" in html for _, url, html in pages)


def test_argument_types():
    assert positive_int("3") == 3 and non_negative_int("0") == 0 and positive_float("0.5") == 0.5
    assert positive_int_list("10000, 100000") == [10000, 100000]
    assert fraction("0") == 0.0 and fraction("0.97") == 0.97 and fraction("1") == 1.0
    for kind, bad in ((positive_int, "0"), (positive_int, "-1"), (positive_int, "1.5"), (non_negative_int, "-1"),
                      (positive_float, "0"), (positive_float, "-5"), (positive_float, "nan"), (positive_float, "inf"),
                      (positive_int_list, ""), (positive_int_list, "1,,2"), (positive_int_list, "0,x"),
                      (fraction, "-0.1"), (fraction, "1.5"), (fraction, "nan"), (fraction, "x")):
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
