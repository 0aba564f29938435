"""The Faust application: topics and the tables derived from them, and two thin agents.

    news.raw ──clean_articles──▶ news.cleaned ──cluster_articles──▶ news.articles + news.events
        │                               │
        └──────────────▶ news.deadletter ◀┘

* ``clean_articles`` consumes news.raw (key = source, so one source's learned boilerplate lives
  in one partition of the ``boilerplate`` table) and scales with news.raw's partitions.
* ``cluster_articles`` consumes news.cleaned (key = language). Every article that could belong to
  the same event must meet the same clusterer, so the clustering stage is partitioned by language
  only; its state (the ``cluster-state`` table) is co-partitioned with it.

Agents do no work of their own: they call :mod:`pipeline.core` and route what it returns.
"""
from __future__ import annotations

import asyncio
import logging
import os
import time
from datetime import datetime
from typing import Any

import faust
from aiokafka.conn import create_conn
from aiokafka.errors import KafkaError
from aiokafka.protocol.metadata import MetadataRequest
from prometheus_client import generate_latest, CONTENT_TYPE_LATEST

from schemas.models import Rejected, dead_letter, dumps, utcnow_iso

from . import metrics
from .core import CleanStage, ClusterStage, routing_key
from .offsets import OrderedDelivery
from .refetch import RangeReader
from .settings import Settings, url_host
from .stall import BrokerWatch, RecoveryWatch, StallWatch
from .faust_app import NewsflowApp
from .stores import JsonStore, PartitionStore
from .topics import BOILERPLATE_TABLE, CLUSTER_TABLE

log = logging.getLogger("newsflow.worker")
# what a record on the wire carries besides its key and value (batch and record headers, timestamp)
DEAD_LETTER_HEADROOM = 16 * 1024


def create_app(settings: Settings) -> faust.App:
    app = NewsflowApp(
        settings.app_id,
        broker=[f"kafka://{hp}" for hp in settings.kafka_bootstrap.split(",")],
        store=settings.store,
        datadir=settings.data_dir,
        web_enabled=True,
        # Faust's own /router and /table views would serve the clustering state and the cluster's
        # worker URLs to anyone who reaches the port: the port is for /metrics, /healthz and /readyz
        web_router_enabled=False,
        web_tables_enabled=False,
        web_port=settings.web_port,
        web_bind=settings.web_host,
        web_host=url_host(settings.web_host),  # what Faust's own URL of this worker is made of
        broker_session_timeout=settings.session_timeout_s,
        broker_heartbeat_interval=settings.heartbeat_s,
        broker_commit_interval=settings.commit_interval_s,
        broker_request_timeout=max(30.0, settings.session_timeout_s * 2),
        broker_rebalance_timeout=max(10.0, settings.session_timeout_s * 2),
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        # Every article means several sends (the next topic, changelogs): let them share batches.
        producer_linger=settings.producer_linger_ms / 1000.0,
        producer_max_request_size=settings.message_max_bytes,
        consumer_max_fetch_size=settings.message_max_bytes,
        topic_replication_factor=settings.replication_factor,
        topic_partitions=settings.raw_partitions,
        topic_allow_declare=True,
        table_standby_replicas=0,
        stream_wait_empty=True,
        worker_redirect_stdouts=False,
    )
    app.conf.newsflow = settings  # type: ignore[attr-defined]

    # -- topics and the tables derived from them ------------------------------------------------
    def state_table(name: str, partitions: int, help: str) -> faust.Table:
        return app.Table(name, default=None, partitions=partitions, help=help)

    retention = {"retention.ms": str(settings.raw_retention_ms), "max.message.bytes": str(settings.message_max_bytes)}
    raw_topic = app.topic(settings.raw_topic, partitions=settings.raw_partitions, internal=True,
                          key_serializer="raw", value_serializer="raw", config=retention)
    boilerplate = state_table(BOILERPLATE_TABLE, settings.raw_partitions, "Learned site furniture, per source")

    cleaned_topic = app.topic(settings.cleaned_topic, partitions=settings.cluster_partitions, internal=True,
                              key_serializer="raw", value_serializer="raw", config=retention)
    # One table for the clusterer's window and the events under construction: their writes for an
    # article then go, in order, to one changelog partition, so whatever prefix of them survives a
    # crash is a consistent state, and the redelivered article completes it.
    cluster_state = state_table(CLUSTER_TABLE, settings.cluster_partitions,
                                "Clustering window (c:), events under construction (v:), last write batch (j:)")

    articles_topic = app.topic(settings.articles_topic, partitions=settings.raw_partitions, internal=True,
                               key_serializer="raw", value_serializer="raw", config=retention)
    events_topic = app.topic(settings.events_topic, partitions=settings.raw_partitions, internal=True,
                             key_serializer="raw", value_serializer="raw",
                             config={"cleanup.policy": "compact", "max.message.bytes": str(settings.message_max_bytes), "retention.ms": str(settings.events_retention_ms),
                                     "min.cleanable.dirty.ratio": "0.1", "segment.ms": str(settings.events_segment_ms)})
    deadletter_topic = app.topic(settings.deadletter_topic, partitions=1, internal=True,
                                 key_serializer="raw", value_serializer="raw", config=retention)

    clean_stage = CleanStage(settings, JsonStore(boilerplate))
    clusterers: dict[int, ClusterStage] = {}

    def cluster_stage_for(partition: int) -> ClusterStage:
        """The partition's clusterer, rebuilt from the recovered tables after every rebalance."""
        stage = clusterers.get(partition)
        if stage is None:
            started = time.monotonic()
            stage = ClusterStage(settings, PartitionStore(cluster_state, partition, "c:"),
                                 PartitionStore(cluster_state, partition, "v:"), restore=True,
                                 journal=PartitionStore(cluster_state, partition, "j:"))
            clusterers[partition] = stage
            log.info("clustering state restored", extra={"partition": partition, "articles": stage.window_size(),
                                                        "seconds": round(time.monotonic() - started, 3)})
        return stage

    async def send_dead_letter(value: Any, error: Rejected, message: Any, article_id: str | None = None,
                               source: str | None = None) -> None:
        metrics.DEAD_LETTERS.labels(error.stage, error.reason).inc()
        key = (article_id or "").encode()
        record = dead_letter(value, error, article_id=article_id, source=source, topic=message.topic,
                             partition=message.partition, offset=message.offset,
                             max_bytes=settings.message_max_bytes - len(key) - DEAD_LETTER_HEADROOM)
        await deadletter_topic.send(key=key, value=dumps(record))
        log.warning("dead letter", extra={"stage": error.stage, "reason": error.reason, "id": article_id,
                                          "detail": error.detail[:300]})

    # Every message of a partition handled once and in order, even when the consumer skips some;
    # the ledger's next offsets are also the positions the stall watch follows.
    range_reader = RangeReader(settings.kafka_bootstrap, settings.message_max_bytes, group_id=settings.app_id)
    delivery = OrderedDelivery(range_reader.read, range_reader.committed)
    ledger = delivery.ledger

    async def clean_one(value: bytes, message: Any) -> None:
        started = time.perf_counter()
        raw_id = source = None
        try:
            raw = clean_stage.decode(value)
            raw_id, source = raw.id, raw.source
            article = await clean_stage.aclean(raw)
        except Rejected as exc:
            metrics.MESSAGES.labels("clean", "dead_letter").inc()
            await send_dead_letter(value, exc, message, raw_id or exc.article_id, source or exc.source)
            return
        except Exception as exc:  # a bug must not stop the stream: keep the message, say why
            log.exception("clean stage failed", extra={"id": raw_id})
            metrics.MESSAGES.labels("clean", "dead_letter").inc()
            await send_dead_letter(value, Rejected("internal", f"{type(exc).__name__}: {exc}", stage="clean"),
                                   message, raw_id, source)
            return
        await cleaned_topic.send(key=routing_key(article).encode(), value=dumps(article))
        metrics.MESSAGES.labels("clean", "ok").inc()
        for flag in article.get("flags") or ():  # a fixed set of names, set by the cleaning's code
            metrics.CLEAN_FLAGS.labels(flag).inc()
        metrics.STAGE_SECONDS.labels("clean").observe(time.perf_counter() - started)

    async def cluster_one(value: bytes, message: Any) -> None:
        started = time.perf_counter()
        article: dict[str, Any] | None = None
        try:
            article = ClusterStage.decode(value)
            result = cluster_stage_for(message.partition).process(article)
        except Rejected as exc:
            metrics.MESSAGES.labels("cluster", "dead_letter").inc()
            source = article.get("source") if article else None  # None: the record did not decode
            await send_dead_letter(value, exc, message, exc.article_id, source)
            return
        except Exception as exc:  # a bug must not stop the stream: keep the message, say why
            log.exception("cluster stage failed", extra={"id": article and article["id"]})
            metrics.MESSAGES.labels("cluster", "dead_letter").inc()
            await send_dead_letter(value, Rejected("internal", f"{type(exc).__name__}: {exc}", stage="cluster"),
                                   message, article and article["id"], article and article["source"])
            return
        record = result.article
        metrics.CLUSTER_FEATURES.labels(result.features).inc()
        if result.features == "invalid":
            log.warning("unreadable cluster_features: computed again", extra={"id": record["id"]})
        await articles_topic.send(key=record["id"].encode(), value=dumps(record))
        if result.event is not None:
            await events_topic.send(key=result.event["event_id"].encode(), value=dumps(result.event))
            change = "republished" if result.redelivered else ("created" if result.event["version"] == 1 else "updated")
            metrics.EVENTS.labels(change).inc()
            observe_end_to_end(record.get("fetched_at"))
        if not result.redelivered:  # a redelivery is the same article again: counted once
            metrics.ARTICLES.labels(record["relation"]).inc()
        metrics.MESSAGES.labels("cluster", "redelivered" if result.redelivered else "ok").inc()
        metrics.STAGE_SECONDS.labels("cluster").observe(time.perf_counter() - started)
        metrics.WINDOW_ARTICLES.set(sum(s.window_size() for s in clusterers.values()))
        metrics.WINDOW_EVENTS.set(sum(s.event_count() for s in clusterers.values()))

    @app.agent(raw_topic, name="clean_articles")
    async def clean_articles(stream):
        async for event in stream.events():
            await delivery.deliver(event.message, event.value, clean_one)

    @app.agent(cleaned_topic, name="cluster_articles")
    async def cluster_articles(stream):
        async for event in stream.events():
            await delivery.deliver(event.message, event.value, cluster_one)

    @app.on_partitions_revoked.connect
    async def forget_clusterers(app, revoked, **kwargs) -> None:  # noqa: ARG001
        clusterers.clear()
        ledger.forget()
        app.newsflow_rebalanced = False  # type: ignore[attr-defined]
        metrics.READY.set(0)
        stall_watch.reset()
        recovery_watch.reset()

    @app.on_rebalance_complete.connect
    async def mark_ready(app, **kwargs) -> None:  # noqa: ARG001
        clusterers.clear()
        app.newsflow_rebalanced = True  # type: ignore[attr-defined]
        metrics.READY.set(int(worker_ready(app)))
        stall_watch.reset()
        recovery_watch.reset()
        log.info("worker ready", extra={"assignment": sorted(str(tp) for tp in app.consumer.assignment())})

    stall_watch = StallWatch(settings.stall_after_s)
    recovery_watch = RecoveryWatch(settings.stall_after_s)
    # the broker's own patience with this worker (its session timeout) is the worker's with the broker
    broker_watch = BrokerWatch(settings.session_timeout_s)
    broker_probe = BrokerProbe(settings.kafka_bootstrap, timeout_s=max(1.0, settings.session_timeout_s / 2))
    app.newsflow_broker = broker_watch  # type: ignore[attr-defined]
    app.newsflow_rebalanced = False  # type: ignore[attr-defined]
    source_topics = {settings.raw_topic, settings.cleaned_topic}

    def watch_recovery(recovery) -> None:
        """Restoring tables: the source partitions wait by design, the changelog reads must move."""
        stall_watch.reset()
        recovery_watch.observe(dict(recovery.active_offsets), dict(recovery.active_highwaters))
        metrics.STALLED_SECONDS.set(recovery_watch.stalled_for)
        if recovery_watch.should_restart():
            log.warning("table recovery stalled: running it again",
                        extra={"seconds": round(recovery_watch.stalled_for, 1), "remaining": recovery_watch.remaining})
            metrics.RECOVERY_RESTARTS.inc()
            recovery.signal_recovery_start.set()  # Faust's own path for a new rebalance: seek, resume, read
        elif recovery_watch.stalled():
            log.error("table recovery stalled: changelog records wait and none are read",
                      extra={"seconds": round(recovery_watch.stalled_for, 1), "remaining": recovery_watch.remaining})

    @app.timer(5.0)
    async def count_learned_sources() -> None:
        metrics.LEARNED_SOURCES.set(len(boilerplate))  # the sources of this worker's partitions

    @app.every(1.0)  # from the start: a broker lost during the first recovery counts too
    async def watch_broker() -> None:
        if await broker_probe():
            broker_watch.contact()
        if not broker_watch.reachable():
            app.producer.flush_watch.reset()  # a flush waiting for a broker that is away is not stuck
        change = broker_watch.change()
        if change is False:
            log.warning("broker unreachable: the worker is not ready until it answers again",
                        extra={"seconds": round(broker_watch.silent_for, 1), "bootstrap": settings.kafka_bootstrap})
        elif change:
            log.info("broker reachable again")
        metrics.READY.set(int(worker_ready(app)))

    def publish_stall_watch() -> None:
        """The lag and stall gauges as the stall watch has them now, also just after a reset: a
        worker that lost its partitions kept showing their lag and stall, and the stall alert fired
        for a spare worker whose /healthz was fine."""
        for topic in source_topics:
            metrics.CONSUMER_LAG.labels(topic).set(sum(n for tp, n in stall_watch.lag.items() if tp.topic == topic))
        metrics.STALLED_SECONDS.set(stall_watch.stalled_for)

    @app.every(10.0)  # not app.timer: it must also watch the recovery that runs at start
    async def watch_for_stalls() -> None:
        flush_watch = app.producer.flush_watch
        if not broker_watch.reachable():  # nothing can move without the broker: not this worker's stall
            stall_watch.reset()
            recovery_watch.reset()
            metrics.STALLED_SECONDS.set(0)
            return
        if flush_watch.stalled():
            log.error("producer flush stalled: commits wait for sends that do not leave",
                      extra={"seconds": round(flush_watch.stalled_for, 1)})
        recovery = app.tables.recovery
        if recovery.in_recovery:
            watch_recovery(recovery)
            return
        recovery_watch.reset()
        tps = [tp for tp in app.consumer.assignment() if tp.topic in source_topics]
        if app.rebalancing or not tps or not worker_ready(app):
            stall_watch.reset()
            publish_stall_watch()
            return
        try:
            highwaters = await app.consumer.highwaters(*tps)
            positions = {tp: ledger.next_offset[tp] if tp in ledger.next_offset else await app.consumer.position(tp)
                         for tp in tps}
        except Exception as exc:  # the broker cannot be asked: not this worker's stall
            log.warning("consumer lag unknown", extra={"error": f"{type(exc).__name__}: {exc}"})
            stall_watch.reset()
            publish_stall_watch()
            return
        stall_watch.observe(positions, highwaters)
        publish_stall_watch()
        if stall_watch.stalled():
            log.error("consumer stalled: messages wait and nothing moves",
                      extra={"seconds": round(stall_watch.stalled_for, 1), "lag": sum(stall_watch.lag.values())})

    @app.on_before_shutdown.connect
    async def close_range_reader(app, **kwargs) -> None:  # noqa: ARG001
        await range_reader.close()
        broker_probe.close()

    install_web_views(app, stall_watch, recovery_watch)
    app.newsflow_topics = {  # type: ignore[attr-defined]
        "raw": raw_topic, "cleaned": cleaned_topic, "articles": articles_topic,
        "events": events_topic, "deadletter": deadletter_topic,
    }
    return app


def observe_end_to_end(fetched_at: object) -> None:
    if not isinstance(fetched_at, str) or not fetched_at:  # a record from elsewhere may carry anything
        return
    try:
        fetched = datetime.fromisoformat(fetched_at.replace("Z", "+00:00"))
    except ValueError:
        return
    if fetched.tzinfo is None:
        return
    now = datetime.fromisoformat(utcnow_iso().replace("Z", "+00:00"))
    metrics.END_TO_END_SECONDS.observe(max(0.0, (now - fetched).total_seconds()))


class BrokerProbe:
    """Asks the Kafka cluster for its broker list (a Metadata request naming no topic: the smallest
    answer that shows a broker serving requests) over a connection of its own, kept between probes
    and opened again, to the next bootstrap address in turn, when it fails. No request of the
    worker's consumer or producer waits behind it, and nothing is logged per failed probe."""

    def __init__(self, bootstrap: str, timeout_s: float):
        self._hosts = [(host.strip().strip("[]"), int(port)) for host, _, port in
                       (address.strip().rpartition(":") for address in bootstrap.split(","))]
        self._timeout_s = timeout_s
        self._conn: Any = None

    async def __call__(self) -> bool:
        """True when the cluster answered within the timeout."""
        try:
            return await asyncio.wait_for(self._ask(), self._timeout_s)
        except (OSError, asyncio.TimeoutError, KafkaError):
            self.close()
            self._hosts.append(self._hosts.pop(0))  # the next address first next time
            return False

    async def _ask(self) -> bool:
        if self._conn is None or not self._conn.connected():
            self.close()
            host, port = self._hosts[0]
            self._conn = await create_conn(host, port, client_id="newsflow-readiness",
                                           request_timeout_ms=int(self._timeout_s * 1000))
        response = await self._conn.send(MetadataRequest([]))
        return bool(response.brokers)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def worker_ready(app: faust.App) -> bool:
    return not_ready_because(app) is None


def not_ready_because(app: faust.App) -> str | None:
    """Why the worker is not ready (None: it is)."""
    broker: BrokerWatch = app.newsflow_broker  # type: ignore[attr-defined]
    if not broker.reachable():
        return "broker unreachable"
    # Faust signals the rebalance complete only once the tables are recovered: without this a
    # recovery of minutes was reported as "rebalancing"
    if app.tables.recovery.in_recovery:
        return "recovering tables"
    if not app.newsflow_rebalanced or app.rebalancing:  # type: ignore[attr-defined]
        return "rebalancing"
    if not app.tables.recovery.completed.is_set():
        return "recovering tables"
    if not app.consumer.assignment():
        return "no partitions"
    return None


def install_web_views(app: faust.App, stall_watch: StallWatch, recovery_watch: RecoveryWatch) -> None:
    @app.page("/metrics")
    async def prometheus_metrics(web, request):
        return web.bytes(generate_latest(), content_type=CONTENT_TYPE_LATEST.split(";")[0])

    @app.page("/healthz")
    async def healthz(web, request):
        if stall_watch.stalled():
            return web.json({"status": "stalled", "seconds": round(stall_watch.stalled_for, 1),
                             "lag": sum(stall_watch.lag.values())}, status=503)
        if recovery_watch.stalled():
            return web.json({"status": "recovery stalled", "seconds": round(recovery_watch.stalled_for, 1),
                             "lag": recovery_watch.remaining}, status=503)
        flush_watch = app.producer.flush_watch
        if flush_watch.stalled():
            return web.json({"status": "flush stalled", "seconds": round(flush_watch.stalled_for, 1)}, status=503)
        return web.json({"status": "ok"})

    @app.page("/readyz")
    async def readyz(web, request):
        reason = not_ready_because(app)
        metrics.READY.set(int(reason is None))
        broker: BrokerWatch = app.newsflow_broker  # type: ignore[attr-defined]
        # app id and pid let a caller that started a worker tell it from another one on the same port
        answer = {"ready": reason is None, "app_id": app.conf.id, "pid": os.getpid(),
                  "broker": "reachable" if broker.reachable() else "unreachable",
                  "broker_contact_age_s": round(broker.silent_for, 1)}
        if reason is not None:
            answer["reason"] = reason
        return web.json(answer, status=200 if reason is None else 503)
