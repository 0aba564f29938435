"""A SIGKILL leaves any prefix of the state writes on the changelog: the core must still end where an
uninterrupted run ends, once the unacknowledged articles are redelivered."""
from __future__ import annotations

import random
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import orjson
import pytest

from pipeline.core import CleanStage, ClusterStage
from pipeline.settings import Settings
from pipeline.stores import AtomicBatch, PartitionStore

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
NOW = "2026-01-01T00:00:00Z"


class ChangelogTable(MutableMapping[str, Any]):
    """A dict that logs every write in order, as a Faust table's changelog partition does."""

    def __init__(self, log: list[tuple[str, Any]] | None = None):
        self.data: dict[str, Any] = {}
        self.log: list[tuple[str, Any]] = []
        for key, value in log or []:
            self._write(key, value)

    def _write(self, key: str, value: Any) -> None:
        self.log.append((key, value))
        if value is None:
            self.data.pop(key, None)
        else:
            self.data[key] = orjson.loads(orjson.dumps(value))  # what survives the JSON changelog

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._write(key, value)

    def __delitem__(self, key: str) -> None:
        if key not in self.data:
            raise KeyError(key)
        self._write(key, None)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self.data))

    def __len__(self) -> int:
        return len(self.data)


def stage_over(table: ChangelogTable, restore: bool) -> ClusterStage:
    return ClusterStage(Settings(), PartitionStore(table, 0, "c:"), PartitionStore(table, 0, "v:"),
                        restore=restore, journal=PartitionStore(table, 0, "j:"))


@pytest.fixture(scope="module")
def articles() -> list[dict[str, Any]]:
    clean_stage = CleanStage(Settings(), {})
    lines = (FIXTURES / "ecbplus" / "sample.jsonl").read_bytes().splitlines()
    rng = random.Random(7)
    rng.shuffle(lines)
    return [clean_stage.clean(clean_stage.decode(line)) for line in lines[:40]]


def final_events(stage: ClusterStage) -> dict[str, dict]:
    return {key: stage.builder.record(state) for key, state in stage.events.items()}


@pytest.fixture(scope="module")
def uninterrupted(articles):
    table = ChangelogTable()
    stage = stage_over(table, restore=False)
    writes_before = []  # changelog length when each article starts
    memberships = []
    for article in articles:
        writes_before.append(len(table.log))
        result = stage.process(article, now=NOW)
        memberships.append((result.article["event_id"], result.article["relation"]))
    return table, writes_before, memberships, final_events(stage)


@pytest.mark.parametrize("seed", range(12))
def test_restart_from_any_changelog_prefix_ends_like_an_uninterrupted_run(articles, uninterrupted, seed):
    table, writes_before, memberships, expected = uninterrupted
    rng = random.Random(seed)
    cut = rng.randrange(writes_before[5], len(table.log))  # the crash: the changelog keeps a prefix
    crashed_in = max(i for i, start in enumerate(writes_before) if start <= cut)
    redeliver_from = max(0, crashed_in - rng.randrange(0, 4))  # offsets committed a little earlier

    survivor = ChangelogTable(table.log[:cut])
    restarted = stage_over(survivor, restore=True)
    for i, article in enumerate(articles[redeliver_from:], start=redeliver_from):
        result = restarted.process(article, now=NOW)
        assert (result.article["event_id"], result.article["relation"]) == memberships[i], article["id"]
    assert final_events(restarted) == expected


def test_a_batch_is_applied_whole_or_redone():
    log_table = ChangelogTable()
    left, right = PartitionStore(log_table, 0, "l:"), PartitionStore(log_table, 0, "r:")
    batch = AtomicBatch(PartitionStore(log_table, 0, "j:"), left=left, right=right)
    batch.views["left"]["a"] = b"\x00\x01"
    batch.views["right"]["b"] = {"n": 1}
    assert "a" not in left and batch.views["left"]["a"] == b"\x00\x01"  # staged, visible through the view
    batch.commit()
    assert left["a"] == b"\x00\x01" and right["b"] == {"n": 1}
    del batch.views["left"]["a"]
    batch.views["right"]["b"] = {"n": 2}
    batch.commit()
    # the crash kept the journal of the second batch and nothing after it
    journal_at = max(i for i, (key, _) in enumerate(log_table.log) if key.startswith("0|j:"))
    survivor = ChangelogTable(log_table.log[:journal_at + 1])
    again = AtomicBatch(PartitionStore(survivor, 0, "j:"), left=PartitionStore(survivor, 0, "l:"),
                        right=PartitionStore(survivor, 0, "r:"))
    again.recover()
    assert "a" not in again.views["left"] and again.views["right"]["b"] == {"n": 2}
