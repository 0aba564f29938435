"""FlushWatch (pipeline/stall.py): a producer flush that never ends is reported, flushes that end
are not, however they overlap, and waiting for a broker that is away does not count."""
from pipeline.stall import FlushWatch


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_flush_that_never_ends_is_a_stall_once_it_has_waited_long_enough():
    clock = Clock()
    watch = FlushWatch(30.0, clock)
    assert not watch.stalled() and watch.stalled_for == 0.0
    watch.started()
    clock.now += 29.0
    assert not watch.stalled() and watch.stalled_for == 29.0
    clock.now += 1.0
    assert watch.stalled()
    watch.ended()
    assert not watch.stalled() and watch.stalled_for == 0.0


def test_overlapping_flushes_that_end_do_not_add_up():
    clock = Clock()
    watch = FlushWatch(30.0, clock)
    watch.started()
    for _ in range(10):  # a busy worker: a second flush starts before the first ends, and so on
        clock.now += 20.0
        watch.started()
        clock.now += 5.0
        watch.ended()
        assert not watch.stalled()
    clock.now += 30.0  # the last one left waits on alone
    assert watch.stalled()


def test_idle_is_not_stalled_and_a_broker_outage_restarts_the_count():
    clock = Clock()
    watch = FlushWatch(30.0, clock)
    clock.now += 1000.0
    assert not watch.stalled()  # no flush in progress
    watch.started()
    clock.now += 25.0
    watch.reset()  # the broker went away
    clock.now += 25.0
    assert not watch.stalled() and watch.stalled_for == 25.0


def test_zero_turns_the_check_off():
    clock = Clock()
    watch = FlushWatch(0.0, clock)
    watch.started()
    clock.now += 10_000.0
    assert not watch.stalled()
