"""`bench/clustering.py --data FILE`: a user's labelled rows are scored whole and alike, or refused
with one clear line, never with a traceback or figures over fewer articles than announced."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from bench.clustering import normalise_rows, order_rows  # noqa: E402

TEXT = "The council approved the budget on Tuesday after a long vote in the city hall."


def test_numeric_ids_are_ids_like_any_other():
    """Before, ids of 1 and "2" in one file stopped the bench with a TypeError from sorting them."""
    rows = normalise_rows([{"doc_id": 2, "cluster_id": "e", "text": TEXT},
                           {"doc_id": "1", "cluster_id": "e", "text": TEXT}, {"id": 10.0, "label": 0, "text": TEXT}])
    assert [r["doc_id"] for r in order_rows(rows, None)] == ["1", "10", "2"]


def test_an_id_given_to_two_rows_is_refused_by_name():
    """Before, the second row of an id replaced the first in the scores: "20 articles" were announced
    and 15 scored."""
    rows = [{"doc_id": f"d{i % 3}", "cluster_id": "e", "text": TEXT} for i in range(5)]
    with pytest.raises(SystemExit, match=r"2 ids are given to more than one row \(d0, d1\)"):
        normalise_rows(rows)


def test_a_long_pass_over_rows_says_how_far_it_is(capsys, monkeypatch):
    """Before, reading 10,000 labelled pages (about 20 minutes of extraction) printed nothing at all."""
    import bench.clustering as bench

    clock = iter([0, 10, 60, 70])  # seconds at the start and at each of three rows
    monkeypatch.setattr(bench.time, "monotonic", lambda: next(clock))
    progress = bench.Progress("reading the rows", 10)
    for done in range(3):
        progress.step(done)
    assert capsys.readouterr().err.splitlines() == ["    ... reading the rows: 1 of 10 rows, about 9 min left"]


def test_epoch_milliseconds_written_as_a_float_are_a_date_to_the_bench_too():
    from pipeline.clustering.evaluation import row_published

    assert row_published({"timestamp": 1367568000000.0}) == "1367568000000"
