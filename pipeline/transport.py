"""Faust's aiokafka transport, with the consumer's fetch wait under our control.

Faust builds its worker consumer with ``fetch_max_wait_ms=1500``. aiokafka sends one fetch request
per broker for the partitions it has nothing buffered for; a partition that had records buffered
when the request went out waits for that request to come back, which on a quiet partition is the
broker's full long-poll. With two stages in one worker (news.raw, then news.cleaned) that cost up
to 1.5 s per hop: 2-3 s end to end at any rate. Measured with ``bench/load.py`` at 50 articles/s:
p50 2.9 s with 1500 ms, 0.03 s with 100 ms.
"""
from __future__ import annotations

from typing import Any

from faust.transport.drivers import aiokafka as faust_aiokafka


def transport_class(fetch_max_wait_ms: int) -> type:
    """A Faust Transport whose worker consumer long-polls for at most ``fetch_max_wait_ms``."""

    class ConsumerThread(faust_aiokafka.AIOKafkaConsumerThread):
        def _create_worker_consumer(self, transport: Any) -> Any:
            consumer = super()._create_worker_consumer(transport)
            # read by AIOKafkaConsumer.start() when it builds its fetcher; Faust passes no option for it
            consumer._fetch_max_wait_ms = fetch_max_wait_ms
            return consumer

    class Consumer(faust_aiokafka.Consumer):
        def _new_consumer_thread(self) -> ConsumerThread:
            return ConsumerThread(self, loop=self.loop, beacon=self.beacon)

    class Transport(faust_aiokafka.Transport):
        pass

    Transport.Consumer = Consumer
    return Transport
