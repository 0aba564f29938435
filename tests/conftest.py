"""Shared fixtures: one real Apache Kafka broker per test session (or NEWSFLOW_KAFKA_BOOTSTRAP)."""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


@pytest.fixture(scope="session")
def kafka_broker(tmp_path_factory):
    """The session's LocalKafka (None when NEWSFLOW_KAFKA_BOOTSTRAP names an external broker)."""
    if os.environ.get("NEWSFLOW_KAFKA_BOOTSTRAP"):
        yield None
        return
    from deploy.kafka.broker import LocalKafka

    broker = LocalKafka(tmp_path_factory.mktemp("kafka"))
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture(scope="session")
def kafka_bootstrap(kafka_broker) -> str:
    external = os.environ.get("NEWSFLOW_KAFKA_BOOTSTRAP")
    if external:
        host = external.split(",")[0].rsplit(":", 1)[0]
        assert host in ("127.0.0.1", "localhost"), "tests only ever talk to a broker on 127.0.0.1"
        return external
    return kafka_broker.bootstrap


@pytest.fixture
def unique_prefix() -> str:
    """A topic/group prefix of its own for each test, so tests sharing the broker never see each other's data."""
    return f"t{uuid.uuid4().hex[:8]}"
