"""Stall detection for the worker's consumer: work is waiting, yet nothing moves; and the watch
on the worker's contact with the broker.

Lag alone is normal under load. A worker that holds partitions with messages waiting and whose
fetch positions have not moved for a while is stuck (Faust over aiokafka has been reported to stop
fetching some partitions after a rebalance); /healthz says so, and the orchestrator restarts it.
A worker that cannot reach the broker is not stuck but cut off: /readyz says so (BrokerWatch), and
a restart would not help. Plain logic over positions, high-water marks and times, so it is tested
without Kafka.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field


@dataclass
class StallWatch:
    stall_after_s: float
    clock: Callable[[], float] = time.monotonic
    lag: dict[Hashable, int] = field(default_factory=dict)
    _positions: dict[Hashable, int] = field(default_factory=dict)
    _last_move: float = 0.0

    def __post_init__(self) -> None:
        self._last_move = self.clock()

    def reset(self) -> None:
        """Start over (after a rebalance, or when the broker cannot be asked)."""
        self._positions = {}
        self.lag = {}
        self._last_move = self.clock()

    def observe(self, positions: Mapping[Hashable, int | None], highwaters: Mapping[Hashable, int]) -> None:
        """Record where the consumer is (next offset to fetch) and where each partition ends."""
        known = {tp: pos for tp, pos in positions.items() if pos is not None}
        if known != self._positions:
            self._positions = known
            self._last_move = self.clock()
        # a partition whose position is not known yet counts as waiting from its start
        self.lag = {tp: max(0, end - known.get(tp, 0)) for tp, end in highwaters.items()}
        if not any(self.lag.values()):
            self._last_move = self.clock()  # idle is not stalled

    @property
    def stalled_for(self) -> float:
        """Seconds that messages have been waiting without any progress (0 when nothing waits)."""
        return self.clock() - self._last_move if any(self.lag.values()) else 0.0

    def stalled(self) -> bool:
        return self.stall_after_s > 0 and self.stalled_for >= self.stall_after_s


@dataclass
class RecoveryWatch:
    """Table recovery that has stopped reading its changelogs.

    While Faust restores tables the worker is not ready and its source partitions are paused, so
    StallWatch cannot see a recovery that waits forever (under load Faust has been seen to resume
    the changelog partitions and then receive nothing). This watch follows the changelog offsets
    the recovery has applied against the changelogs' ends. Half-way to ``stall_after_s`` without
    progress it asks once for the recovery to run again (``should_restart``); at ``stall_after_s``
    it reports a stall, so /healthz turns 503 and the orchestrator restarts the worker.
    Offsets follow Faust's recovery bookkeeping: the last offset applied (-1 or None: none) and
    the last offset in the changelog (None or -1: empty).
    """

    stall_after_s: float
    clock: Callable[[], float] = time.monotonic
    progress: StallWatch = field(init=False)
    _restart_asked: bool = False

    def __post_init__(self) -> None:
        self.progress = StallWatch(self.stall_after_s, self.clock)

    def reset(self) -> None:
        """A new rebalance or a finished recovery: start over, with a restart to spare."""
        self.progress.reset()
        self._restart_asked = False

    def observe(self, applied: Mapping[Hashable, int | None], last: Mapping[Hashable, int | None]) -> None:
        ends = {tp: off + 1 for tp, off in last.items() if off is not None and off >= 0}
        positions = {tp: (applied.get(tp) if applied.get(tp) is not None else -1) + 1 for tp in ends}
        self.progress.observe(positions, ends)

    @property
    def remaining(self) -> int:
        return sum(self.progress.lag.values())

    @property
    def stalled_for(self) -> float:
        return self.progress.stalled_for

    def should_restart(self) -> bool:
        """True once per recovery, when it has made no progress for half of ``stall_after_s``."""
        if self.stall_after_s <= 0 or self._restart_asked or self.stalled_for < self.stall_after_s / 2:
            return False
        self._restart_asked = True
        return True

    def stalled(self) -> bool:
        return self.progress.stalled()


@dataclass
class BrokerWatch:
    """When the worker last heard from the Kafka cluster, and whether that is recent enough.

    Neither Faust nor aiokafka says whether the broker is there: the consumer retries and logs, a
    fetch that returns nothing looks the same either way, and the group session outlives a short
    outage. So the worker asks the cluster itself, every second, and records each answer
    (``contact``). Silent for more than ``grace_s`` (the consumer's session timeout: how long the
    broker itself waits for this worker), the broker counts as unreachable and the worker as not
    ready; the first answer after that makes it reachable again.
    """

    grace_s: float
    clock: Callable[[], float] = time.monotonic
    _last_contact: float = 0.0
    _reported: bool = True

    def __post_init__(self) -> None:
        self._last_contact = self.clock()  # the worker reached the broker to start (its topics exist)

    def contact(self) -> None:
        """The cluster answered just now."""
        self._last_contact = self.clock()

    @property
    def silent_for(self) -> float:
        """Seconds since the cluster last answered."""
        return max(0.0, self.clock() - self._last_contact)

    def reachable(self) -> bool:
        return self.silent_for <= self.grace_s

    def change(self) -> bool | None:
        """True when the broker has become reachable since the last call, False when it has become
        unreachable, None when neither (to log each change once)."""
        reachable = self.reachable()
        if reachable == self._reported:
            return None
        self._reported = reachable
        return reachable


@dataclass
class FlushWatch:
    """A producer flush that never ends.

    Every commit flushes the producer first, so a flush that waits for ever stops all commits, and
    Faust's shutdown (which commits) with them, while the agents go on and /healthz would stay 200:
    a batch that no sender will send does that (aiokafka's narrowed metadata, pipeline/transport.py
    point 3). Waiting for a broker that is away is not this: the caller restarts the count then.
    ``stalled_for`` counts from when a flush began, or from the last flush to end while others were
    still waiting, so flushes that overlap but finish never add up to a stall."""

    stall_after_s: float
    clock: Callable[[], float] = time.monotonic
    _active: int = 0
    _since: float = 0.0

    def started(self) -> None:
        if self._active == 0:
            self._since = self.clock()
        self._active += 1

    def ended(self) -> None:
        self._active = max(0, self._active - 1)
        self._since = self.clock()  # progress: the next wait counts from here

    def reset(self) -> None:
        """Count again from now (the broker is away: waiting for it is not a stall)."""
        self._since = self.clock()

    @property
    def stalled_for(self) -> float:
        """Seconds the flush in progress has waited with none ending (0 when none is in progress)."""
        return self.clock() - self._since if self._active else 0.0

    def stalled(self) -> bool:
        return self.stall_after_s > 0 and self.stalled_for >= self.stall_after_s
