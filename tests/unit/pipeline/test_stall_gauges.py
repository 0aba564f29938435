"""The lag and stall gauges follow the partitions a worker holds now: a worker that loses them
(a rebalance leaves it a spare) reports nothing waiting, as its /healthz does, instead of the last
lag and stall it saw, which kept NewsflowWorkerStalled firing and added to the backlog sums."""
from __future__ import annotations

import asyncio
from types import SimpleNamespace

from faust.types import TP
from prometheus_client import REGISTRY

from pipeline import metrics
from pipeline.stall import FlushWatch

PREFIX = "gauges."
RAW = PREFIX + "news.raw"


class FakeConsumer:
    """An assignment and offsets that the test sets; no broker."""

    def __init__(self) -> None:
        self.partitions: set[TP] = set()
        self.ends: dict[TP, int] = {}
        self.positions: dict[TP, int] = {}

    def assignment(self) -> set[TP]:
        return set(self.partitions)

    async def highwaters(self, *tps: TP) -> dict[TP, int]:
        return {tp: self.ends[tp] for tp in tps}

    async def position(self, tp: TP) -> int:
        return self.positions[tp]


def watch_for_stalls(app):
    return next(fun for _, fun in app._early_timers if fun.__name__ == "watch_for_stalls")


def lag(topic: str) -> float | None:
    return REGISTRY.get_sample_value("newsflow_consumer_lag", {"topic": topic})


def stalled_seconds() -> float | None:
    return REGISTRY.get_sample_value("newsflow_stalled_seconds")


def test_a_worker_that_loses_its_partitions_stops_reporting_their_lag_and_stall(tmp_path):
    from pipeline.app import create_app
    from pipeline.settings import Settings

    async def run() -> list[tuple[float | None, float | None]]:
        app = create_app(Settings(kafka_bootstrap="127.0.0.1:1", data_dir=str(tmp_path), topic_prefix=PREFIX))
        consumer = FakeConsumer()
        app.consumer = consumer
        app.producer = SimpleNamespace(flush_watch=FlushWatch(0.0))
        app.newsflow_rebalanced = True
        app.rebalancing = False
        app.tables.recovery.completed.set()
        tick = watch_for_stalls(app)
        seen = []

        raw0 = TP(RAW, 0)
        consumer.partitions, consumer.ends, consumer.positions = {raw0}, {raw0: 100}, {raw0: 10}
        await tick()
        seen.append((lag(RAW), stalled_seconds()))

        metrics.STALLED_SECONDS.set(95.0)  # as after 95 s without progress
        consumer.partitions = set()  # a rebalance gave them to another worker
        await tick()
        seen.append((lag(RAW), stalled_seconds()))
        return seen

    held, lost = asyncio.run(run())
    assert held[0] == 90
    assert lost == (0, 0)
