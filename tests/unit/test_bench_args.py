"""The benchmark scripts refuse bad arguments at parsing (argparse: exit 2, one clear line, no
traceback) before they start a broker, a worker or a long run."""
from __future__ import annotations

import argparse
import gzip
import importlib
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
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert proc.stderr.splitlines()[-1] == ("fit_clustering.py: error: --data: row 1 lacks topic: "
                                            "ECB+ dev rows have doc_id, topic, cluster_id and text")


# --data that cannot be scored, for the three clustering scripts: (file, what the refusal says after "--data: ")
BAD_DATA = [
    ("missing.jsonl", "[Errno 2] No such file or directory: '{tmp}/missing.jsonl'"),
    ("empty.jsonl", "{tmp}/empty.jsonl: no labelled rows"),
    ("notes.txt", "{tmp}/notes.txt, line 1: not JSON"),
    ("no-rows", "{tmp}/no-rows: no labelled rows"),  # a folder holding no file of rows
    ("cut.jsonl.gz", "{tmp}/cut.jsonl.gz: a damaged gzip file"),
]
CLUSTERING_SCRIPTS = ("clustering", "ceiling", "fit_clustering")


@pytest.fixture
def bad_data(tmp_path, monkeypatch):
    """The BAD_DATA files in tmp_path, the extraction bodies fit_clustering.py requires, and a guard: the
    slow extraction of the rows' pages must not have started when the data is refused."""
    (tmp_path / "empty.jsonl").write_text("\n")
    (tmp_path / "notes.txt").write_text("Not labelled rows, nor JSON.\n")
    (tmp_path / "no-rows").mkdir()
    (tmp_path / "no-rows" / "README.md").write_text("A dataset's readme, no rows.\n")
    (tmp_path / "cut.jsonl.gz").write_bytes(gzip.compress(b'{"doc_id": "a", "cluster_id": "e", "text": "x"}\n')[:20])
    (tmp_path / "shared" / "data" / "extraction").mkdir(parents=True)
    (tmp_path / "shared" / "data" / "extraction" / "ground-truth.json").write_text("{}")
    from bench import clustering

    monkeypatch.setattr(clustering, "_clean_stage",
                        lambda: pytest.fail("the extraction started before --data was checked"))
    return tmp_path


def _refusal(capsys, script: str, data: Path, *args: str) -> str:
    """The last line of what ``bench/<script>.py --data data`` says on stderr; it must stop as argparse
    does (exit 2, a usage line, no traceback) before it prints or writes anything."""
    main = importlib.import_module(f"bench.{script}").main
    extra = ["--shared", str(data.parent / "shared"), "--out", str(data.parent)] if script == "fit_clustering" else []
    with pytest.raises(SystemExit) as exc:
        main(["--data", str(data), *extra, *args])
    out, err = capsys.readouterr()
    assert exc.value.code == 2, (exc.value.code, err[-2000:])
    assert err.startswith("usage:") and "Traceback" not in err and out == "", err[-2000:]
    return err.splitlines()[-1]


@pytest.mark.parametrize("name,problem", BAD_DATA, ids=[name for name, _ in BAD_DATA])
@pytest.mark.parametrize("script", CLUSTERING_SCRIPTS)
def test_clustering_scripts_refuse_data_they_cannot_read_at_parsing(capsys, bad_data, script, name, problem):
    """Before, they stopped with exit 1 (a plain "--data: ..." line), or a traceback for a damaged .gz,
    where core.py and load.py refuse bad data as argparse refuses a bad flag."""
    line = _refusal(capsys, script, bad_data / name)
    assert f"error: --data: {problem.format(tmp=bad_data)}" in line, line


@pytest.mark.parametrize("script", CLUSTERING_SCRIPTS)
def test_clustering_scripts_refuse_rows_without_a_gold_event_before_any_work(capsys, bad_data, script):
    rows = bad_data / "unlabelled.jsonl"
    rows.write_text('{"doc_id": "a", "text": "A title\\nA body."}\n')
    problem = "row 1 lacks cluster_id" if script == "fit_clustering" else "row 1: needs an id (doc_id or id"
    assert f"error: --data: {problem}" in _refusal(capsys, script, rows)


def test_clustering_bench_refuses_an_id_given_to_two_rows_before_any_work(capsys, bad_data):
    rows = bad_data / "twice.jsonl"
    rows.write_text('{"id": 7, "event": "e", "text": "One."}\n{"id": "7", "event": "e", "text": "Two."}\n')
    assert "error: --data: 1 ids are given to more than one row (7)" in _refusal(capsys, "clustering", rows)


def test_ceiling_bench_refuses_more_rows_than_its_matrix_is_sized_for(capsys, bad_data):
    rows = bad_data / "three.jsonl"
    rows.write_text("".join(f'{{"id": "{i}", "event": "e", "text": "Text {i}."}}\n' for i in range(3)))
    line = _refusal(capsys, "ceiling", rows, "--max-docs", "2")
    assert line.endswith("error: --data has 3 rows; the all-pairs matrix is sized for --max-docs 2"), line
    line = _refusal(capsys, "ceiling", rows, "--neighbours", "3")
    assert line.endswith("error: --neighbours 3: needs fewer neighbours than the 3 rows"), line


def test_a_fit_that_fails_leaves_the_shipped_tables_as_they_were(bad_data):
    """Before, df.json was written before the fit began: a fit that then failed (here on one row) left the
    shipped params.json beside another data set's word frequencies."""
    rows, out = bad_data / "one.jsonl", bad_data / "out"
    rows.write_text('{"doc_id": "1_1ecb", "cluster_id": "1_ecb", "text": "A title\\nA body."}\n')
    out.mkdir()
    proc = subprocess.run([sys.executable, "bench/fit_clustering.py", "--data", str(rows),
                           "--shared", str(bad_data / "shared"), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and not list(out.iterdir()), (proc.returncode, proc.stderr[-2000:])
    # said in one line: a fit needs both articles that join an event and ones that do not (was a LinAlgError)
    assert "Traceback" not in proc.stderr and proc.stderr.splitlines()[-1].endswith(
        "a fit needs both kinds; give it more labelled rows, with events of several articles each"), proc.stderr[-2000:]


def test_a_fit_refuses_an_out_folder_that_is_not_there(capsys, bad_data):
    """Before, a missing --out was found when the fit of several minutes was done, by a traceback."""
    rows = bad_data / "one.jsonl"
    rows.write_text('{"doc_id": "1_1ecb", "cluster_id": "1_ecb", "text": "A title\\nA body."}\n')
    from bench.fit_clustering import main

    with pytest.raises(SystemExit) as exc:
        main(["--data", str(rows), "--shared", str(bad_data / "shared"), "--out", str(bad_data / "nowhere")])
    assert exc.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1].endswith(f"--out {bad_data / 'nowhere'}: not a folder"
                                                             " (params.json and df.json are written into it)")


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
