"""The local broker launcher: formats, starts, keeps its data across a restart, stops."""
from unittest import mock

import pytest
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic

from deploy.kafka import broker as launcher

pytestmark = pytest.mark.kafka


def test_broker_restarts_on_the_same_port_with_its_data(tmp_path):
    # a KRaft cluster id is base64 and may start with "-": it must not be read as an option
    with mock.patch.object(launcher, "_kraft_cluster_id", return_value="-AbCdEfGhIjKlMnOpQrStU"):
        kafka = launcher.LocalKafka(tmp_path / "kafka")
        bootstrap = kafka.start()
    try:
        assert bootstrap.startswith("127.0.0.1:")
        admin = KafkaAdminClient(bootstrap_servers=bootstrap)
        admin.create_topics([NewTopic("kept", 1, 1)])
        admin.close()
        producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
        producer.send("kept", b"before restart").get(30)
        producer.close()
        kafka.stop()
        assert not kafka.running() and not launcher.port_open(kafka.port)
        assert kafka.start() == bootstrap
        consumer = KafkaConsumer(bootstrap_servers=bootstrap, auto_offset_reset="earliest", consumer_timeout_ms=10000)
        consumer.assign([TopicPartition("kept", 0)])
        consumer.seek_to_beginning()
        assert [r.value for r in consumer] == [b"before restart"]
        consumer.close()
    finally:
        kafka.stop()
