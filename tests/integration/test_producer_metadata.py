"""The worker's producer sends a batch that was waiting when it first wrote to a topic its metadata
did not have (pipeline/transport.py, point 3). Before, aiokafka then asked for that topic's
metadata alone, the waiting batch's topic dropped out, and the batch was never sent: no commit,
and a worker that SIGTERM did not stop."""
import asyncio
import time

import pytest
from kafka import KafkaAdminClient
from kafka.admin import NewTopic

from pipeline.app import create_app
from pipeline.topics import ensure_topics, wait_for_leaders

from .conftest import make_settings

pytestmark = pytest.mark.kafka


def test_a_waiting_batch_is_sent_after_the_first_write_to_a_topic_made_after_the_start(kafka_bootstrap, unique_prefix,
                                                                                   tmp_path):
    settings = make_settings(kafka_bootstrap, unique_prefix, tmp_path, producer_linger_ms=1000)
    ensure_topics(settings)
    late = f"{unique_prefix}.made-later"

    async def run() -> None:
        producer = create_app(settings).producer
        await producer.start()
        try:
            client = producer._producer.client
            for _ in range(100):  # the worker's topics in the producer's metadata, as after its start (Faust
                if client.cluster.partitions_for_topic(settings.cleaned_topic):  # asks for all topics then)
                    break
                await client.force_metadata_update()
                await asyncio.sleep(0.1)
            assert client.cluster.partitions_for_topic(settings.cleaned_topic)
            admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
            try:  # a topic made after the producer's start: not in its metadata
                admin.create_topics([NewTopic(late, 1, 1)])
                wait_for_leaders(admin, {late: 1}, time.monotonic() + 30)
            finally:
                admin.close()
            assert client.cluster.partitions_for_topic(late) is None
            waiting = await producer.send(settings.cleaned_topic, b"en", b"the last cleaned article",
                                          partition=0, timestamp=None, headers=None)  # lingers for 1 s
            # its first write to the new topic, while that batch waits
            await producer.send(late, None, b"first write", partition=None, timestamp=None, headers=None)
            await asyncio.wait_for(waiting, 15)  # was never sent
            await asyncio.wait_for(producer.flush(), 15)  # what each commit waits for
        finally:
            await asyncio.wait_for(producer.stop(), 15)

    asyncio.run(run())


def test_a_flush_that_cannot_finish_is_reported_until_it_does(kafka_bootstrap, unique_prefix, tmp_path):
    """The same stranded batch, made on purpose (the metadata list narrowed to another topic, as
    aiokafka narrowed it): the worker's flush waits, its FlushWatch reports a stall once the flush
    has waited NEWSFLOW_STALL_AFTER_S (/healthz reads it), and the report ends when the batch
    leaves."""
    settings = make_settings(kafka_bootstrap, unique_prefix, tmp_path, producer_linger_ms=500, stall_after_s=1.0)
    ensure_topics(settings)

    async def run() -> None:
        producer = create_app(settings).producer
        await producer.start()
        try:
            client = producer._producer.client
            waiting = await producer.send(settings.cleaned_topic, b"en", b"an article",
                                          partition=0, timestamp=None, headers=None)
            await asyncio.sleep(0.1)  # from Faust's buffer into aiokafka's batch, which lingers 0.5 s
            await client.set_topics([settings.events_topic])
            await client.force_metadata_update()  # news.cleaned drops out of the metadata
            flushing = asyncio.ensure_future(producer.flush())
            await asyncio.sleep(2.5)
            assert not flushing.done() and not waiting.done()
            assert producer.flush_watch.stalled() and producer.flush_watch.stalled_for >= 1.0
            await client.set_topics([settings.events_topic, settings.cleaned_topic])  # it is known again
            await asyncio.wait_for(flushing, 15)
            assert waiting.done() and not producer.flush_watch.stalled()
        finally:
            await asyncio.wait_for(producer.stop(), 15)

    asyncio.run(run())
