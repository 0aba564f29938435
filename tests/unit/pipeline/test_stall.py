"""StallWatch: lag with no movement is a stall; lag while moving, or no lag, is not."""
from pipeline.stall import StallWatch


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_waiting_messages_and_no_movement_is_a_stall():
    clock = Clock()
    watch = StallWatch(60, clock=clock)
    watch.observe({"raw-0": 10}, {"raw-0": 50})
    clock.now += 59
    watch.observe({"raw-0": 10}, {"raw-0": 80})
    assert not watch.stalled() and watch.lag == {"raw-0": 70}
    clock.now += 2
    watch.observe({"raw-0": 10}, {"raw-0": 80})
    assert watch.stalled() and watch.stalled_for >= 60


def test_progress_under_lag_is_not_a_stall():
    clock = Clock()
    watch = StallWatch(60, clock=clock)
    for step in range(10):
        watch.observe({"raw-0": 10 + step}, {"raw-0": 10_000})
        clock.now += 30
    assert not watch.stalled() and watch.lag["raw-0"] > 0


def test_an_idle_worker_is_not_stalled():
    clock = Clock()
    watch = StallWatch(60, clock=clock)
    for _ in range(10):
        watch.observe({"raw-0": 500, "raw-1": None}, {"raw-0": 500, "raw-1": 0})
        clock.now += 30
    assert not watch.stalled() and watch.stalled_for == 0


def test_a_partition_never_fetched_counts_as_waiting():
    clock = Clock()
    watch = StallWatch(60, clock=clock)
    watch.observe({"raw-0": None}, {"raw-0": 5})
    clock.now += 61
    watch.observe({"raw-0": None}, {"raw-0": 5})
    assert watch.stalled() and watch.lag == {"raw-0": 5}


def test_reset_after_a_rebalance_and_zero_turns_it_off():
    clock = Clock()
    watch = StallWatch(60, clock=clock)
    watch.observe({"raw-0": 1}, {"raw-0": 9})
    clock.now += 100
    watch.reset()
    assert not watch.stalled()
    off = StallWatch(0, clock=clock)
    off.observe({"raw-0": 1}, {"raw-0": 9})
    clock.now += 1000
    assert not off.stalled()
