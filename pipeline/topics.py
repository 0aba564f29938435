"""Explicit creation of every Newsflow topic (no reliance on broker auto-creation).

The worker and ``newsflow ingest``/``up``/``demo`` call :func:`ensure_topics` before they produce
or consume, so the partitions and configs are the ones written here whichever starts first.
"""
from __future__ import annotations

import logging
import time

from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from .settings import Settings

log = logging.getLogger("newsflow.topics")


# The worker's tables (pipeline/app.py declares them by these names) and the topics their
# partitions follow: a table's changelog has as many partitions as its source topic.
BOILERPLATE_TABLE = "boilerplate"
CLUSTER_TABLE = "cluster-state"


def changelog_topic(settings: Settings, table: str) -> str:
    """The changelog Faust writes a table to (its own naming: app id, table name)."""
    return f"{settings.app_id}-{table}-changelog"


def changelog_specs(settings: Settings) -> list[NewTopic]:
    """The tables' changelogs, as Faust would declare them (compacted), created here with the rest:
    a worker that creates one itself at start can read the cluster's topic list before the new topic
    is in it, assign no changelog partitions, and fail every article on that table (PartitionsMismatch)."""
    config = {"cleanup.policy": "compact", "max.message.bytes": str(settings.message_max_bytes)}
    rf = settings.replication_factor
    return [NewTopic(changelog_topic(settings, BOILERPLATE_TABLE), settings.raw_partitions, rf, topic_configs=config),
            NewTopic(changelog_topic(settings, CLUSTER_TABLE), settings.cluster_partitions, rf, topic_configs=config)]


def topic_specs(settings: Settings) -> list[NewTopic]:
    retention = {"retention.ms": str(settings.raw_retention_ms), "max.message.bytes": str(settings.message_max_bytes)}
    rf = settings.replication_factor
    return [
        NewTopic(settings.raw_topic, settings.raw_partitions, rf, topic_configs=retention),
        NewTopic(settings.cleaned_topic, settings.cluster_partitions, rf, topic_configs=retention),
        NewTopic(settings.articles_topic, settings.raw_partitions, rf, topic_configs=retention),
        NewTopic(settings.events_topic, settings.raw_partitions, rf,
                 topic_configs={"cleanup.policy": "compact", "max.message.bytes": str(settings.message_max_bytes), "retention.ms": str(settings.events_retention_ms),
                                "min.cleanable.dirty.ratio": "0.1", "segment.ms": str(settings.events_segment_ms)}),
        NewTopic(settings.deadletter_topic, 1, rf, topic_configs=retention),
    ]


def wait_for_leaders(admin: KafkaAdminClient, partitions: dict[str, int], deadline: float) -> None:
    """Wait until each new topic shows all its partitions with a leader in the cluster's metadata,
    so the worker started next sees them; past the deadline, say so and go on (a client then waits
    on its own)."""
    waiting = set(partitions)
    while True:
        try:
            described = admin.describe_topics(sorted(waiting))
        except KafkaError:
            described = []
        waiting -= {_name(t) for t in described if _led(t, partitions.get(_name(t)))}
        if not waiting:
            return
        if time.monotonic() > deadline:
            log.warning("new topics have no leader yet", extra={"topics": sorted(waiting)})
            return
        time.sleep(0.1)


def _name(topic: dict) -> str | None:
    return topic.get("name") or topic.get("topic")  # kafka-python 3 / 2


def _led(topic: dict, count: int | None) -> bool:
    """Whether a described topic has its ``count`` partitions, each with a leader."""
    parts = topic.get("partitions") or ()
    return not topic.get("error_code") and len(parts) == count and \
        all(p.get("leader_id", p.get("leader", -1)) >= 0 for p in parts)  # kafka-python 3 / 2


class MissingTopics(RuntimeError):
    """Topics named by the user (not Newsflow's own) that the cluster does not have."""


def partition_mismatches(admin: KafkaAdminClient, settings: Settings, specs: list[NewTopic]) -> list[str]:
    """Existing topics whose partition count is not the configured one. The topic's own count is the
    one that counts (the worker's tables follow it), so a changed setting would otherwise have no
    effect without a word: more workers than partitions only wait."""
    variables = {settings.raw_topic: "NEWSFLOW_RAW_PARTITIONS", settings.articles_topic: "NEWSFLOW_RAW_PARTITIONS",
                 settings.events_topic: "NEWSFLOW_RAW_PARTITIONS", settings.cleaned_topic: "NEWSFLOW_CLUSTER_PARTITIONS"}
    wanted = {spec.name: spec.num_partitions for spec in specs if spec.name in variables}
    if not wanted:
        return []
    out = []
    for topic in admin.describe_topics(sorted(wanted)):
        name = _name(topic)
        have = len(topic.get("partitions") or ())
        if name in wanted and have and have != wanted[name]:
            out.append(f"topic {name} has {have} partition{'s' * (have != 1)}, not the {wanted[name]} that {variables[name]} asks for:"
                       f" the topic's {have} are used (the count is fixed when a topic is created; deploy/README.md,"
                       " 'Scaling', says how to change it)")
    return out


def remove_run_topics(settings: Settings) -> list[str]:
    """Delete the topics of a run that had topics of its own on a shared broker (``newsflow demo``):
    its five topics, and every topic under its app id (the tables' changelogs, Faust's assignor
    topic). Both names hold the run's unique suffix, so no other topic matches. Returns the names
    deleted; a broker that refuses is logged, not raised: the run's result stands."""
    own = {spec.name for spec in topic_specs(settings)}
    try:
        admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, client_id="newsflow-admin",
                                 request_timeout_ms=15000)
    except KafkaError as exc:
        log.warning("topics of this run left on the broker", extra={"error": str(exc)})
        return []
    try:
        names = sorted(name for name in admin.list_topics()
                       if name in own or name.startswith(f"{settings.app_id}-"))
        if names:
            admin.delete_topics(names, timeout_ms=15000)
            log.info("topics deleted", extra={"topics": names})
        return names
    except KafkaError as exc:
        log.warning("topics of this run left on the broker", extra={"error": str(exc)})
        return []
    finally:
        admin.close()


def ensure_topics(settings: Settings, timeout: float = 60.0, *, required: tuple[str, ...] = ()) -> list[str]:
    """Create the topics that do not exist yet; returns the names created.

    ``required`` names other topics that must already exist (a connector's ``--topic``): with
    auto-creation off, producing to a missing topic only times out, minutes later."""
    deadline = time.monotonic() + timeout
    options = dict(bootstrap_servers=settings.kafka_bootstrap, client_id="newsflow-admin", request_timeout_ms=15000,
                   reconnect_backoff_max_ms=2000)
    if "bootstrap_timeout_ms" in KafkaAdminClient.DEFAULT_CONFIG:  # kafka-python 3: one try within our deadline
        options["bootstrap_timeout_ms"] = int(max(1.0, min(timeout, 30.0)) * 1000)
    while True:
        try:
            admin = KafkaAdminClient(**options)
            break
        except KafkaError as exc:
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kafka at {settings.kafka_bootstrap} is not reachable: {exc}") from exc
            time.sleep(0.5)
    try:
        existing = set(admin.list_topics())
        missing = [spec for spec in topic_specs(settings) + changelog_specs(settings) if spec.name not in existing]
        created = []
        for spec in missing:
            try:
                admin.create_topics([spec])
                created.append(spec.name)
            except TopicAlreadyExistsError:
                pass
        if created:
            wait_for_leaders(admin, {spec.name: spec.num_partitions for spec in missing if spec.name in created}, deadline)
            log.info("topics created", extra={"topics": created})
        for message in partition_mismatches(admin, settings, [s for s in topic_specs(settings) if s.name in existing]):
            log.warning(message)
        absent = sorted({name for name in required if name not in existing and name not in created})
        if absent:
            raise MissingTopics(f"topic {', '.join(map(repr, absent))} does not exist on {settings.kafka_bootstrap}"
                                " and Newsflow creates only its own topics: create it first, or set"
                                " NEWSFLOW_TOPIC_PREFIX instead of naming a topic")
        return created
    finally:
        admin.close()
