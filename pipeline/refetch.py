"""Read a range of offsets of one partition straight from the broker, and the group's committed offset.

The agents use it when the group consumer skipped messages (see :mod:`pipeline.offsets`): the
missing ones are read here and handled in order before the message that revealed the gap. A
private consumer with no group, so it never disturbs the group's assignment or commits, and an
admin client that only reads the group's committed offsets.
"""
from __future__ import annotations

import asyncio
import time
from typing import Any

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import TopicPartition


class RangeReader:
    def __init__(self, bootstrap: str, max_fetch_bytes: int, timeout_s: float = 30.0, group_id: str | None = None) -> None:
        self._bootstrap = bootstrap
        self._max_fetch_bytes = max_fetch_bytes
        self._timeout_s = timeout_s
        self._group_id = group_id
        self._consumer: AIOKafkaConsumer | None = None
        self._admin: AIOKafkaAdminClient | None = None
        self._lock = asyncio.Lock()

    async def committed(self, topic: str, partition: int) -> int | None:
        """The group's committed offset of a partition (the next one to process), None if none."""
        if self._group_id is None:
            return None
        async with self._lock:
            if self._admin is None:
                admin = AIOKafkaAdminClient(bootstrap_servers=self._bootstrap.split(","),
                                            request_timeout_ms=int(self._timeout_s * 1000))
                await admin.start()
                self._admin = admin
            tp = TopicPartition(topic, partition)
            offsets = await asyncio.wait_for(self._admin.list_consumer_group_offsets(self._group_id, partitions=[tp]),
                                             self._timeout_s)
        found = offsets.get(tp)
        return found.offset if found is not None and found.offset >= 0 else None

    async def read(self, topic: str, partition: int, start: int, end: int) -> list[Any]:
        """The records at offsets ``start`` up to (not including) ``end``, in offset order (those
        still on the broker). Raises ``TimeoutError`` if the broker does not give them in time."""
        async with self._lock:  # one partition at a time on the shared consumer
            consumer = await self._started()
            tp = TopicPartition(topic, partition)
            consumer.assign([tp])
            # retention may have deleted the start of the range: what is gone cannot be handled
            start = max(start, (await consumer.beginning_offsets([tp]))[tp])
            records: list[Any] = []
            if start >= end:
                return records
            consumer.seek(tp, start)
            deadline = time.monotonic() + self._timeout_s
            while await consumer.position(tp) < end:  # past the range (offsets may be absent)
                if time.monotonic() > deadline:
                    raise TimeoutError(f"read {len(records)} of offsets {start}..{end - 1} of {topic}[{partition}]")
                batch = await consumer.getmany(tp, timeout_ms=500)
                records.extend(r for r in batch.get(tp, ()) if start <= r.offset < end)
            return records

    async def _started(self) -> AIOKafkaConsumer:
        if self._consumer is None:
            consumer = AIOKafkaConsumer(bootstrap_servers=self._bootstrap.split(","), group_id=None,
                                        enable_auto_commit=False, auto_offset_reset="none",
                                        max_partition_fetch_bytes=self._max_fetch_bytes,
                                        fetch_max_bytes=max(self._max_fetch_bytes, 52428800))
            await consumer.start()
            self._consumer = consumer
        return self._consumer

    async def close(self) -> None:
        if self._consumer is not None:
            consumer, self._consumer = self._consumer, None
            await consumer.stop()
        if self._admin is not None:
            admin, self._admin = self._admin, None
            await admin.close()
