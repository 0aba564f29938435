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
    records = read(settings, 5, 12, _partition_with_records(settings))
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


def test_the_committed_offset_is_the_groups(settings):
    from kafka import KafkaConsumer, TopicPartition
    from kafka.structs import OffsetAndMetadata

    produce(settings, [raw_value(f"c{i}", f"text {i}", source="one") for i in range(5)])
    tp = TopicPartition(settings.raw_topic, 0)

    def committed():
        return committed_of(settings, 0)

    consumer = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, group_id=settings.app_id, enable_auto_commit=False)
    try:
        consumer.assign([tp])
        consumer.commit({tp: OffsetAndMetadata(3, "", -1)})
        assert asyncio.run(committed()) == 3
        # a partition of the group with no commit has no committed offset
        assert asyncio.run(committed_of(settings, 1)) is None
    finally:
        consumer.close()


async def committed_of(settings, partition: int):
    reader = RangeReader(settings.kafka_bootstrap, settings.message_max_bytes, timeout_s=10, group_id=settings.app_id)
    try:
        return await reader.committed(settings.raw_topic, partition)
    finally:
        await reader.close()


def test_records_deleted_by_retention_are_left_out_and_the_rest_comes_back(settings):
    from kafka import KafkaAdminClient, TopicPartition

    produce(settings, [raw_value(f"d{i}", f"text {i}", source="one") for i in range(10)])
    partition = _partition_with_records(settings)
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    try:
        admin.delete_records({TopicPartition(settings.raw_topic, partition): 6})  # as retention would
    finally:
        admin.close()
    assert [r.offset for r in read(settings, 2, 9, partition)] == [6, 7, 8]
    assert read(settings, 0, 4, partition) == []


def _partition_with_records(settings) -> int:
    from kafka import KafkaConsumer, TopicPartition

    probe = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap)
    try:
        tps = [TopicPartition(settings.raw_topic, p) for p in range(settings.raw_partitions)]
        ends = probe.end_offsets(tps)
        return next(tp.partition for tp in tps if ends[tp])
    finally:
        probe.close()
