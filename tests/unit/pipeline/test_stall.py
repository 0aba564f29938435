"""StallWatch: lag with no movement is a stall; lag while moving, or no lag, is not.
RecoveryWatch: the same for a table recovery's changelog reads, with one restart before the stall.
BrokerWatch: a broker silent for longer than a grace is unreachable, until it answers again."""
from pipeline.stall import BrokerWatch, RecoveryWatch, StallWatch


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


def test_a_recovery_that_reads_nothing_is_restarted_once_then_reported():
    clock = Clock()
    watch = RecoveryWatch(120, clock=clock)
    # Faust's bookkeeping: last offset applied (-1: none yet) and last offset in each changelog
    applied, last = {"state-0": 40, "state-1": -1}, {"state-0": 56, "state-1": 9}
    watch.observe(applied, last)
    assert watch.remaining == 16 + 10 and not watch.should_restart()
    clock.now += 59
    watch.observe(applied, last)
    assert not watch.should_restart() and not watch.stalled()
    clock.now += 2
    watch.observe(applied, last)
    assert watch.should_restart()
    assert not watch.should_restart()  # one restart per recovery
    clock.now += 60
    watch.observe(applied, last)
    assert watch.stalled() and not watch.should_restart()
    watch.reset()  # the recovery ended, or a new rebalance began
    assert not watch.stalled()
    watch.observe(applied, last)
    clock.now += 61
    watch.observe(applied, last)
    assert watch.should_restart()


def test_a_slow_recovery_that_moves_is_left_alone():
    clock = Clock()
    watch = RecoveryWatch(120, clock=clock)
    for step in range(40):
        watch.observe({"state-0": step * 10}, {"state-0": 100_000})
        clock.now += 50
        assert not watch.should_restart() and not watch.stalled()
    assert watch.remaining > 0


def test_caught_up_or_empty_changelogs_are_not_a_stall():
    clock = Clock()
    watch = RecoveryWatch(120, clock=clock)
    for _ in range(10):
        watch.observe({"state-0": 56, "state-1": None, "state-2": -1}, {"state-0": 56, "state-1": None, "state-2": -1})
        clock.now += 60
    assert not watch.should_restart() and not watch.stalled() and watch.remaining == 0
    off = RecoveryWatch(0, clock=clock)
    off.observe({"state-0": 1}, {"state-0": 9})
    clock.now += 1000
    off.observe({"state-0": 1}, {"state-0": 9})
    assert not off.should_restart() and not off.stalled()


def test_the_broker_is_unreachable_after_a_grace_of_silence_and_reachable_at_its_first_answer():
    clock = Clock()
    watch = BrokerWatch(6.0, clock=clock)
    assert watch.reachable() and watch.silent_for == 0 and watch.change() is None
    clock.now += 6.0  # a blip shorter than the grace: the group session outlives it too
    assert watch.reachable() and watch.change() is None
    clock.now += 0.5
    assert not watch.reachable() and watch.silent_for == 6.5
    assert watch.change() is False and watch.change() is None  # each change is told once
    clock.now += 120
    assert not watch.reachable() and watch.silent_for == 126.5
    watch.contact()
    assert watch.reachable() and watch.silent_for == 0
    assert watch.change() is True and watch.change() is None
