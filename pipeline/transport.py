"""Faust's aiokafka transport with two fixes that matter under sustained load.

1. **Fetch wait.** Faust builds its worker consumer with ``fetch_max_wait_ms=1500``. aiokafka
   leaves a partition that still had records buffered out of the fetch request in flight, so new
   records for it wait until the broker answers that long-poll: up to 1.5 s per stage hop, 2-3 s end
   to end at any rate. Measured with ``bench/load.py`` at 50 articles/s: p50 2.9 s with 1500 ms,
   0.03 s with 100 ms.
2. **Commit barrier.** Before committing offsets Faust flushes its producer, and its flush waits
   until the buffer of table-changelog sends is *empty*. While articles keep coming the agents add
   to that buffer as fast as it drains, so no commit happened during a 3,000-article backlog, and a
   worker killed under load redid everything since it was last idle. The flush here waits for the
   sends queued when it was called, and nothing later: that is all a commit needs, since those are
   the writes of the messages whose offsets it commits.
"""
from __future__ import annotations

import asyncio
from typing import Any

from faust.transport.drivers import aiokafka as faust_aiokafka


class BarrierProducer(faust_aiokafka.Producer):
    """Flush waits for what was buffered at the call, not for an empty buffer."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sent_total = 0
        self.sending = 0
        buffer = self.buffer
        send = buffer._send_pending  # picked up by the buffer's sending task when it starts

        async def counted_send(fut: Any) -> None:
            self.sending = 1
            try:
                await send(fut)
            finally:
                self.sending = 0
                self.sent_total += 1

        buffer._send_pending = counted_send

    async def flush(self) -> None:
        buffer = self.buffer
        target = self.sent_total + self.sending + buffer.size
        while True:
            buffer.message_sent.clear()  # before the check, so a send right after it still wakes us
            if self.sent_total >= target:
                break
            if buffer.state != "running":
                raise RuntimeError("cannot flush: the producer buffer is not running")
            try:
                await asyncio.wait_for(buffer.message_sent.wait(), timeout=1.0)
            except asyncio.TimeoutError:
                continue  # the broker is slow or away: keep waiting, committing now could lose writes
        if self._producer is not None:
            await self._producer.flush()  # aiokafka waits for the batches that exist now
        for transaction_producer in self._transaction_producers.values():
            await transaction_producer.flush()


def transport_class(fetch_max_wait_ms: int) -> type:
    """A Faust Transport whose worker consumer long-polls for at most ``fetch_max_wait_ms`` and
    whose producer flushes up to a barrier."""

    class ConsumerThread(faust_aiokafka.AIOKafkaConsumerThread):
        def _create_worker_consumer(self, transport: Any) -> Any:
            consumer = super()._create_worker_consumer(transport)
            # read by AIOKafkaConsumer.start() when it builds its fetcher; Faust passes no option for it
            consumer._fetch_max_wait_ms = fetch_max_wait_ms
            return consumer

    class WorkerConsumer(faust_aiokafka.Consumer):
        def _new_consumer_thread(self) -> ConsumerThread:
            return ConsumerThread(self, loop=self.loop, beacon=self.beacon)

    class Transport(faust_aiokafka.Transport):
        Consumer = WorkerConsumer
        Producer = BarrierProducer

    return Transport
