"""Faust's aiokafka transport with three fixes that matter under sustained load or after a change.

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
3. **Metadata for every topic it knows.** aiokafka's client asks for metadata of all topics until
   its first send to a topic missing from that metadata; from then on it asks only for the topics
   sent to that way, and every other topic drops out of its metadata. A batch already waiting for
   such a topic then has no leader, the sender only asks again for the same shorter list, and the
   batch is never sent: the producer flush before each commit waits for ever, no offset is ever
   committed, and SIGTERM leaves the worker in "Wait for streams..." (its commit flushes first).
   Seen in a demo before the changelogs were made up front (eaaa631): the worker's new changelog
   missed the producer's all-topics metadata, its first write shortened the list while the last
   cleaned article lingered in a batch, and that article never reached the clustering stage. The
   producer therefore puts the worker's own topics (and any it knows already) on the list at
   start, so the list only ever grows and no topic with a batch waiting drops out of it. Should a
   flush hang for another reason all the same, its ``flush_watch`` (pipeline/stall.FlushWatch)
   makes /healthz answer 503 after ``NEWSFLOW_STALL_AFTER_S``, and the restart redoes the work.
"""
from __future__ import annotations

import asyncio
from typing import Any

from faust.transport.drivers import aiokafka as faust_aiokafka

from .stall import FlushWatch


class BarrierProducer(faust_aiokafka.Producer):
    """Flush waits for what was buffered at the call, not for an empty buffer."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.newsflow_settings = getattr(self.app.conf, "newsflow", None)  # None: a Faust app not made by create_app
        self.flush_watch = FlushWatch(self.newsflow_settings.stall_after_s if self.newsflow_settings is not None else 0.0)
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

    async def on_start(self) -> None:
        await super().on_start()
        client = self._producer.client
        topics = set(client.cluster.topics()) | set(self.tracked_topics())
        if topics:
            await client.set_topics(sorted(topics))  # one metadata request for exactly these

    def tracked_topics(self) -> list[str]:
        """The topics the worker writes to (its settings'), on the metadata list from the start."""
        if self.newsflow_settings is None:
            return []
        from .topics import changelog_specs, topic_specs

        return [spec.name for spec in topic_specs(self.newsflow_settings) + changelog_specs(self.newsflow_settings)]

    async def flush(self) -> None:
        self.flush_watch.started()
        try:
            await self._flush_to_barrier()
        finally:
            self.flush_watch.ended()

    async def _flush_to_barrier(self) -> None:
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
