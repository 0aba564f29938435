"""Which offsets of each assigned partition the agents have handled, and what they missed.

Our topics are never compacted and never transactional, so within a partition every offset holds
one message: a jump between consecutive messages means the consumer lost some on the way (Faust
can drop buffered messages around a rebalance), and an offset below the next expected one is a
message handled already. Plain bookkeeping, tested without Kafka; the agents act on the verdicts.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from . import metrics

log = logging.getLogger("newsflow.worker")


@dataclass(frozen=True)
class Verdict:
    """What to do with a message: handle it, after re-reading ``missing`` (start, end) first if
    set, or drop it as already handled (``duplicate``)."""
    duplicate: bool = False
    missing: tuple[int, int] | None = None


HANDLE = Verdict()
DUPLICATE = Verdict(duplicate=True)


@dataclass
class OffsetLedger:
    next_offset: dict[Hashable, int] = field(default_factory=dict)
    epoch: int = 0  # bumped by forget(): a message in hand across a rebalance records nothing

    def check(self, tp: Hashable, offset: int, committed: int | None = None) -> Verdict:
        """Judge a message before handling it.

        ``committed`` (the group's committed offset, asked for a partition's first message after
        an assignment) shows messages lost before the first one. A first message below it is
        still handled: handling it again is harmless, dropping it on a wrong commit is not."""
        expected = self.next_offset.get(tp)
        if expected is None:
            if committed is not None and offset > committed:
                return Verdict(missing=(committed, offset))
            return HANDLE
        if offset == expected:
            return HANDLE
        if offset < expected:
            return DUPLICATE
        return Verdict(missing=(expected, offset))

    def knows(self, tp: Hashable) -> bool:
        return tp in self.next_offset

    def done(self, tp: Hashable, offset: int, epoch: int | None = None) -> None:
        """Record that the message at ``offset`` (and so everything before it) is handled, unless
        the partitions were revoked since ``epoch`` (the ledger's epoch when handling began)."""
        if epoch is None or epoch == self.epoch:
            self.next_offset[tp] = offset + 1

    def forget(self) -> None:
        """Partitions were revoked: whoever owns them next starts from the committed offsets."""
        self.next_offset.clear()
        self.epoch += 1


ReadRange = Callable[[str, int, int, int], Awaitable[list[Any]]]
Committed = Callable[[str, int], Awaitable[int | None]]
Handle = Callable[[bytes, Any], Awaitable[None]]


class OrderedDelivery:
    """Hands each message of a partition to its handler once, in offset order.

    Faust can lose messages it had buffered around a rebalance, and its gap bookkeeping then
    commits past them. When a message reveals such a gap, the missing messages are read back with
    ``read_range(topic, partition, start, end)`` and handled first. A partition's first message
    after an assignment is measured against ``committed(topic, partition)``, the group's committed
    offset, so that losing the very first messages is noticed too."""

    def __init__(self, read_range: ReadRange, committed: Committed | None = None, ledger: OffsetLedger | None = None,
                 retry_delay_s: float = 1.0) -> None:
        self.read_range = read_range
        self.committed = committed
        self.retry_delay_s = retry_delay_s
        self.ledger = ledger if ledger is not None else OffsetLedger()

    async def deliver(self, message: Any, value: bytes, handle: Handle) -> None:
        """``message`` has ``topic``, ``partition`` and ``offset``; ``handle(value, message)``
        does the work (records read back are passed as their own message)."""
        tp = (message.topic, message.partition)
        epoch = self.ledger.epoch
        committed = None
        if self.committed is not None and not self.ledger.knows(tp):
            committed = await self._committed(message.topic, message.partition)
        verdict = self.ledger.check(tp, message.offset, committed)
        if verdict.duplicate:
            metrics.DUPLICATE_MESSAGES.labels(message.topic).inc()
            return
        if verdict.missing is not None:
            await self._handle_skipped(message.topic, message.partition, *verdict.missing, handle, epoch)
        await handle(value, message)
        self.ledger.done(tp, message.offset, epoch)

    async def _committed(self, topic: str, partition: int) -> int | None:
        try:
            return await self.committed(topic, partition)  # type: ignore[misc]
        except Exception as exc:  # noqa: BLE001 - without it only later gaps are caught; say so
            log.warning("committed offset unknown", extra={"topic": topic, "partition": partition,
                                                           "error": f"{type(exc).__name__}: {exc}"})
            return None

    async def _handle_skipped(self, topic: str, partition: int, start: int, end: int, handle: Handle,
                              epoch: int) -> None:
        where = {"topic": topic, "partition": partition, "from": start, "to": end - 1}
        metrics.SKIPPED_MESSAGES.labels(topic).inc(end - start)
        # the recovered series must exist (at 0) from now on: the alert subtracts it from the skipped
        # one, and in PromQL a difference with a missing side is no series, so no alert
        metrics.RECOVERED_MESSAGES.labels(topic)
        log.warning("consumer skipped messages: reading them back", extra=where)
        records = await self._read_until_done(where, topic, partition, start, end)
        for record in records:
            await handle(record.value, record)
            self.ledger.done((topic, partition), record.offset, epoch)
        metrics.RECOVERED_MESSAGES.labels(topic).inc(len(records))

    async def _read_until_done(self, where: dict, topic: str, partition: int, start: int, end: int) -> list[Any]:
        """Retry until the broker gives the range: moving on would lose the messages. While this
        waits nothing moves, so the stall watch turns /healthz red, and a restarted worker starts
        again from the committed offset, which has not passed the gap."""
        delay = self.retry_delay_s
        while True:
            try:
                return await self.read_range(topic, partition, start, end)
            except Exception as exc:  # noqa: BLE001 - any failure: say so and try again
                log.error("could not read back skipped messages; retrying",
                          extra={**where, "error": f"{type(exc).__name__}: {exc}", "retry_in_s": delay})
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
