"""Prometheus metrics of the worker: what each stage did, how long it took, how big the state is."""
from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)

MESSAGES = Counter("newsflow_messages_total", "Messages handled, by stage and outcome", ["stage", "outcome"])
DEAD_LETTERS = Counter("newsflow_dead_letters_total", "Messages dead-lettered, by stage and reason", ["stage", "reason"])
ARTICLES = Counter("newsflow_articles_total", "Articles assigned to events, by relation", ["relation"])
EVENTS = Counter("newsflow_events_total", "Event records published, by change (created, updated, republished)", ["change"])
STAGE_SECONDS = Histogram("newsflow_stage_seconds", "Processing time of one message, by stage", ["stage"], buckets=LATENCY_BUCKETS)
# fetch to event record spans queues as well as work: minutes when there is a backlog
END_TO_END_SECONDS = Histogram("newsflow_end_to_end_seconds", "From fetched_at to the event record being published",
                               buckets=LATENCY_BUCKETS + (120, 300, 600, 1800, 3600))
CLEAN_FLAGS = Counter("newsflow_clean_flags_total",
                      "Cleaned articles by flag: what the cleaning did (raw scraped text read as such, boilerplate "
                      "removed, a time dropped ...)", ["flag"])
CLUSTER_FEATURES = Counter("newsflow_cluster_features_total",
                           "Articles clustered, by where their features came from: upstream (the cleaning stage), "
                           "or computed by the clustering stage because they were absent, made under other "
                           "parameters (mismatch) or unreadable (invalid)", ["source"])
WINDOW_ARTICLES = Gauge("newsflow_window_articles", "Articles in the clustering window (this worker)")
WINDOW_EVENTS = Gauge("newsflow_window_events", "Events in the clustering window (this worker)")
LEARNED_SOURCES = Gauge("newsflow_boilerplate_sources", "Sources with learned boilerplate state (this worker)")
READY = Gauge("newsflow_worker_ready", "1 while /readyz answers 200: the worker has its partitions, has recovered its "
                                       "tables and reaches the broker")
CONSUMER_LAG = Gauge("newsflow_consumer_lag", "Messages waiting on this worker's assigned partitions, by topic", ["topic"])
STALLED_SECONDS = Gauge("newsflow_stalled_seconds", "How long messages (or, during a table recovery, changelog records) have waited with no progress (0: none waiting or moving)")
RECOVERY_RESTARTS = Counter("newsflow_recovery_restarts_total", "Table recoveries run again because they read nothing from the changelogs for half of NEWSFLOW_STALL_AFTER_S")
SKIPPED_MESSAGES = Counter("newsflow_skipped_messages_total",
                           "Messages the group consumer skipped (an offset jump on an assigned partition), by topic",
                           ["topic"])
RECOVERED_MESSAGES = Counter("newsflow_recovered_messages_total",
                             "Skipped messages read back from the broker and handled in order, by topic", ["topic"])
DUPLICATE_MESSAGES = Counter("newsflow_duplicate_messages_total",
                             "Messages delivered again after this worker had handled them (dropped), by topic", ["topic"])
