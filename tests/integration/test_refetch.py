"""Reading skipped messages back from the real broker, by offset range."""
import asyncio

import pytest

from pipeline.refetch import RangeReader

from .conftest import produce, raw_value

pytestmark = pytest.mark.kafka


def read(settings, start: int, end: int, partition: int = 0):
    async def go():
        reader = RangeReader(settings.kafka_bootstrap, settings.message_max_bytes, timeout_s=10)
        try:
            return await reader.read(settings.raw_topic, partition, start, end)
        finally:
            await reader.close()

    return asyncio.run(go())


def test_a_range_comes_back_complete_and_in_offset_order(settings):
    # one key, so all twenty land in one partition in produce order
    produce(settings, [raw_value(f"a{i}", f"text {i}", source="one") for i in range(20)])
    from kafka import KafkaConsumer, TopicPartition

    probe = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap)
    try:
        partition = next(p for p in range(settings.raw_partitions)
                         if probe.end_offsets([TopicPartition(settings.raw_topic, p)])[TopicPartition(settings.raw_topic, p)])
    finally:
        probe.close()
    records = read(settings, 5, 12, partition)
    assert [r.offset for r in records] == list(range(5, 12))
    assert [r.value for r in records] == [raw_value(f"a{i}", f"text {i}", source="one")[1] for i in range(5, 12)]


def test_a_range_past_the_end_of_the_partition_times_out_rather_than_inventing_messages(settings):
    produce(settings, [raw_value("b0", "only one", source="one")])

    with pytest.raises(TimeoutError):
        asyncio.run(_read_past_end(settings))


async def _read_past_end(settings):
    reader = RangeReader(settings.kafka_bootstrap, settings.message_max_bytes, timeout_s=2)
    try:
        for partition in range(settings.raw_partitions):
            await reader.read(settings.raw_topic, partition, 0, 5)
    finally:
        await reader.close()
