"""The alerting rules parse as PromQL, query only metrics and labels the code exports, and are the
same for compose and the Prometheus Operator."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from deploy_checks import DEPLOY, REPO
from test_deploy_grafana import TARGET_LABELS, exported

promql = pytest.importorskip("promql_parser", reason="promql-parser (test extra) missing")

ALERTS = DEPLOY / "prometheus" / "alerts.yml"
TEMPLATE_LABEL = re.compile(r"\$labels\.([a-zA-Z_]\w*)")


def rules() -> list[dict]:
    return [rule for group in yaml.safe_load(ALERTS.read_text())["groups"] for rule in group["rules"]]


def selectors_and_groupings(expr: str) -> tuple[list, set[str]]:
    found, grouped = [], set()

    def visit(node):
        if isinstance(node, promql.VectorSelector):
            found.append(node)
        elif isinstance(node, promql.AggregateExpr) and node.modifier is not None:
            grouped.update(node.modifier.labels)

    promql.walk(promql.parse(expr), visit)
    return found, grouped


def test_every_rule_is_complete_and_named_once():
    names = [rule["alert"] for rule in rules()]
    assert len(names) == len(set(names)) and len(names) >= 8
    for rule in rules():
        assert rule["labels"]["severity"] in {"warning", "critical"}, rule["alert"]
        assert rule["annotations"]["summary"].strip() and rule["annotations"]["description"].strip(), rule["alert"]
        # no flapping on one scrape; the stall gauge is itself the stall's age ("> 60 for 1m" is two minutes
        # stalled), and the liveness probe restarts a stalled worker at about three, before any 5m could pass
        shortest = 60 if rule["alert"] == "NewsflowWorkerStalled" else 300
        assert promql.parse_duration(rule["for"]).total_seconds() >= shortest, rule["alert"]


def test_expressions_query_only_what_the_code_exports():
    samples = exported()
    for rule in rules():
        selectors, grouped = selectors_and_groupings(rule["expr"])
        assert selectors, rule["alert"]
        for selector in selectors:
            assert selector.name in samples, (rule["alert"], selector.name)
            labels = samples[selector.name][1] | TARGET_LABELS
            matched = {m.name for m in selector.matchers.matchers}
            assert matched <= labels, (rule["alert"], selector.name, matched - labels)
        allowed = set().union(*(samples[s.name][1] for s in selectors)) | TARGET_LABELS
        assert grouped <= allowed, (rule["alert"], grouped - allowed)


def test_annotations_name_only_labels_the_result_keeps():
    """An aggregated result keeps only its `by` labels: a summary quoting another one prints nothing."""
    for rule in rules():
        _, grouped = selectors_and_groupings(rule["expr"])
        quoted = set(TEMPLATE_LABEL.findall(rule["annotations"]["summary"] + rule["annotations"]["description"]))
        assert quoted <= grouped, (rule["alert"], quoted - grouped)


def test_the_checks_catch_mistakes():
    samples = exported()
    selectors, _ = selectors_and_groupings('sum(rate(newsflow_mesages_total{stage="clean"}[5m])) > 1')
    assert selectors[0].name not in samples  # a misspelt metric
    with pytest.raises(ValueError):
        promql.parse("sum by (stage (rate(newsflow_messages_total[5m]))")
    _, grouped = selectors_and_groupings("sum by (topic) (newsflow_consumer_lag) > 1")
    assert not {"stage"} <= grouped


def test_compose_prometheus_loads_the_rules():
    config = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
    assert "/etc/prometheus/alerts.yml" in config["rule_files"]
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert "./prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro" in compose["services"]["prometheus"]["volumes"]


def test_the_operator_rule_has_the_same_groups():
    from deploy.prometheus.operator_rule import TARGET, render

    assert TARGET.read_text() == render(), "run: .venv/bin/python -m deploy.prometheus.operator_rule"
    operator = yaml.safe_load(TARGET.read_text())
    assert operator["kind"] == "PrometheusRule" and operator["apiVersion"] == "monitoring.coreos.com/v1"
    assert operator["spec"]["groups"] == yaml.safe_load(ALERTS.read_text())["groups"]
    kustomization = yaml.safe_load((DEPLOY / "k8s" / "kustomization.yaml").read_text())
    assert "prometheusrule.yaml" in kustomization["resources"]


def test_latency_thresholds_are_within_the_histogram_buckets():
    """histogram_quantile never returns more than the highest finite bucket: above it, a rule cannot fire."""
    from prometheus_client import REGISTRY

    for rule in rules():
        found = re.search(r"histogram_quantile\([^,]+,.*?(newsflow_\w+)_bucket.*\)\s*>\s*([\d.]+)", rule["expr"])
        if found:
            histogram = REGISTRY._names_to_collectors[found[1]]  # noqa: SLF001
            highest = max(b for b in histogram._upper_bounds if b != float("inf"))  # noqa: SLF001
            assert float(found[2]) < highest, (rule["alert"], found[2], highest)


def promtool() -> str | None:
    return shutil.which("promtool") or next(
        (str(p) for p in [Path.home() / ".cache" / "newsflow" / "bin" / "promtool"] if p.exists()), None)


def description(alert: str) -> str:
    return next(rule for rule in rules() if rule["alert"] == alert)["annotations"]["description"]


# (alert, input series, minutes at which to evaluate, expected labels and summary, or None for silence)
CASES = [
    ("NewsflowNoWorkerReady", [("newsflow_worker_ready{instance='w1'}", "0x20")], 15,
     ({}, "No Newsflow worker is ready")),
    ("NewsflowNoWorkerReady", [("newsflow_worker_ready{instance='w1'}", "0x20"),
                               ("newsflow_worker_ready{instance='w2'}", "1x20")], 15, None),  # a spare is unready
    ("NewsflowNoWorkerReady", [("newsflow_connector_new_entries_total{connector='rss'}", "0x20")], 15,
     ({}, "No Newsflow worker is ready")),  # no worker exports anything at all
    ("NewsflowWorkerStalled", [("newsflow_stalled_seconds{instance='w1'}", "0+60x20")], 12,
     ({"instance": "w1"}, "Newsflow worker w1 has made no progress for 12m 0s")),
    ("NewsflowWorkerStalled", [("newsflow_stalled_seconds{instance='w1'}", "0+60x4")], 3,
     ({"instance": "w1"}, "Newsflow worker w1 has made no progress for 3m 0s")),  # before the liveness probe's restart
    ("NewsflowWorkerStalled", [("newsflow_stalled_seconds{instance='w1'}", "0 45 0 45 0 45 0 45 0 45 0 45 0 45")], 12,
     None),  # waits that clear within a minute
    ("NewsflowBacklogGrowing", [("newsflow_consumer_lag{topic='news.raw',instance='w1'}", "10000+500x40")], 30,
     ({"topic": "news.raw"}, "news.raw: a backlog of 25000 messages that keeps growing")),
    ("NewsflowBacklogGrowing", [("newsflow_consumer_lag{topic='news.raw',instance='w1'}", "30000-500x40")], 30, None),
    ("NewsflowDeadLetterRateHigh", [("newsflow_messages_total{stage='clean',outcome='ok'}", "0+70x40"),
                                    ("newsflow_messages_total{stage='clean',outcome='dead_letter'}", "0+30x40")], 35,
     ({"stage": "clean"}, "clean: 30% of messages dead-lettered")),
    ("NewsflowDeadLetterRateHigh", [("newsflow_messages_total{stage='clean',outcome='ok'}", "0+95x40"),
                                    ("newsflow_messages_total{stage='clean',outcome='dead_letter'}", "0+5x40")], 35, None),
    ("NewsflowSkippedMessagesNotRecovered", [("newsflow_skipped_messages_total{topic='news.raw'}", "0 0 12x60"),
                                             ("newsflow_recovered_messages_total{topic='news.raw'}", "0x60")], 45,
     ({"topic": "news.raw"}, "news.raw: messages skipped by the consumer were not read back")),
    ("NewsflowSkippedMessagesNotRecovered", [("newsflow_skipped_messages_total{topic='news.raw'}", "0 0 12x60"),
                                             ("newsflow_recovered_messages_total{topic='news.raw'}", "0 0 0 12x60")],
     45, None),  # read back a minute later, as the worker does
    ("NewsflowEndToEndSlow", [("newsflow_end_to_end_seconds_bucket{le='300'}", "0x40"),
                              ("newsflow_end_to_end_seconds_bucket{le='600'}", "0x40"),
                              ("newsflow_end_to_end_seconds_bucket{le='1800'}", "0+10x40"),
                              ("newsflow_end_to_end_seconds_bucket{le='+Inf'}", "0+10x40")], 35,
     ({}, "p99 from fetch to event record is 29m 47s")),
    ("NewsflowEndToEndSlow", [("newsflow_end_to_end_seconds_bucket{le='60'}", "0+10x40"),
                              ("newsflow_end_to_end_seconds_bucket{le='+Inf'}", "0+10x40")], 35, None),
    ("NewsflowPollerIdle", [("newsflow_connector_last_success_timestamp_seconds{connector='rss'}", "0x150")], 140,
     ({"connector": "rss"}, "The rss connector has had no successful poll for 2h 20m 0s")),
    ("NewsflowPollerIdle", [("newsflow_connector_last_success_timestamp_seconds{connector='http'}", "0x150")], 140,
     None),  # nobody posting to serve-ingest is not a failure
    # a poller that has failed every fetch since it started has no last-success series at all
    ("NewsflowPollerIdle", [("newsflow_connector_fetches_created{connector='rss',outcome='connect'}", "0x150"),
                            ("newsflow_connector_fetches_total{connector='rss',outcome='connect'}", "1+1x150")], 140,
     ({"connector": "rss"}, "The rss connector has had no successful poll for 2h 20m 0s")),
    ("NewsflowPollerIdle", [("newsflow_connector_fetches_created{connector='rss',outcome='connect'}", "0x150"),
                            ("newsflow_connector_fetches_total{connector='rss',outcome='connect'}", "1+1x150")], 100,
     None),  # not two hours yet
    ("NewsflowPollerIdle", [("newsflow_connector_fetches_created{connector='rss',outcome='ok'}", "0x150"),
                            ("newsflow_connector_last_success_timestamp_seconds{connector='rss'}", "0+60x150")], 140,
     None),  # fetching since long ago, and succeeding
    ("NewsflowConnectorDeliveryFailing", [("newsflow_connector_delivery_retries_total{connector='rss'}", "0+1x40")], 30,
     ({"connector": "rss"}, "The rss connector keeps resending batches that Kafka did not acknowledge")),
    ("NewsflowIngestUnavailable", [("newsflow_ingest_requests_total{code='202'}", "0+90x30"),
                                   ("newsflow_ingest_requests_total{code='503'}", "0+10x30")], 20,
     ({}, "serve-ingest answered 503 to 10% of requests")),
    ("NewsflowIngestUnavailable", [("newsflow_ingest_requests_total{code='202'}", "0+99x30"),
                                   ("newsflow_ingest_requests_total{code='503'}", "0+1x30")], 20, None),
]


def test_rules_fire_as_described(tmp_path):
    """promtool's rule unit tests over synthetic series: each alert fires on what it describes, with
    the labels and summary it promises, and stays silent on the look-alike case beside it."""
    tool = promtool()
    if tool is None:
        pytest.skip("promtool not found (make promtool builds it with Go into ~/.cache/newsflow/bin)")
    tests = []
    for alert, series, minutes, expected in CASES:
        wanted = [] if expected is None else [{
            "exp_labels": {"severity": next(r for r in rules() if r["alert"] == alert)["labels"]["severity"],
                           **expected[0]},
            "exp_annotations": {"summary": expected[1], "description": description(alert)}}]
        tests.append({"interval": "1m", "input_series": [{"series": s, "values": v} for s, v in series],
                      "alert_rule_test": [{"eval_time": f"{minutes}m", "alertname": alert, "exp_alerts": wanted}]})
    spec = tmp_path / "alerts.test.yml"
    spec.write_text(yaml.safe_dump({"rule_files": [str(ALERTS)], "evaluation_interval": "1m", "tests": tests}))
    checked = subprocess.run([tool, "check", "rules", str(ALERTS)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    ran = subprocess.run([tool, "test", "rules", str(spec)], capture_output=True, text=True)
    assert ran.returncode == 0, ran.stdout[-6000:] + ran.stderr[-3000:]


def test_promtool_accepts_the_compose_prometheus_config(tmp_path):
    tool = promtool()
    if tool is None:
        pytest.skip("promtool not found (make promtool builds it with Go into ~/.cache/newsflow/bin)")
    config = (DEPLOY / "prometheus" / "prometheus.yml").read_text().replace("/etc/prometheus/alerts.yml", str(ALERTS))
    (tmp_path / "prometheus.yml").write_text(config)
    checked = subprocess.run([tool, "check", "config", str(tmp_path / "prometheus.yml")], capture_output=True, text=True)
    assert checked.returncode == 0 and f"SUCCESS: {len(rules())} rules found" in checked.stdout, checked.stdout + checked.stderr


FAILING_POLLER = """
import socket, sys, tempfile
from prometheus_client import generate_latest
from connectors.net import Fetcher, NetworkPolicy
from connectors.rss import Feed, RssConnector
from connectors.sink import MemorySink

closed = socket.socket()
closed.bind(("127.0.0.1", 0))  # bound, never listening: every connection is refused
url = "http://127.0.0.1:%d/feed.xml" % closed.getsockname()[1]
poller = RssConnector([Feed(url)], MemorySink(), Fetcher(NetworkPolicy(["127.0.0.1/32"]), connector="rss"),
                      state_path=tempfile.mkdtemp() + "/rss.sqlite")
assert poller.poll_all().ok == 0
poller.close()
sys.stdout.write(generate_latest().decode())
"""


def test_the_idle_poller_rule_sees_a_poller_that_never_succeeded():
    """The last-success gauge has no series until a poll succeeds: a poller whose every fetch fails
    from its start (no egress, DNS, a blocked address) left the rule with nothing to compare."""
    from prometheus_client.parser import text_string_to_metric_families

    run = subprocess.run([sys.executable, "-c", FAILING_POLLER], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    samples = [s for family in text_string_to_metric_families(run.stdout) for s in family.samples]
    assert not [s for s in samples if s.name == "newsflow_connector_last_success_timestamp_seconds"]
    rule = next(r for r in rules() if r["alert"] == "NewsflowPollerIdle")
    selectors, _ = selectors_and_groupings(rule["expr"])

    def matches(matcher, value: str) -> bool:
        if matcher.op in (promql.MatchOp.Re, promql.MatchOp.NotRe):
            return (re.fullmatch(matcher.value, value) is not None) == (matcher.op == promql.MatchOp.Re)
        return (value == matcher.value) == (matcher.op == promql.MatchOp.Equal)

    def selects(selector, sample) -> bool:
        return selector.name == sample.name and all(matches(m, sample.labels.get(m.name, ""))
                                                    for m in selector.matchers.matchers)

    assert any(selects(selector, sample) for selector in selectors for sample in samples
               if sample.labels.get("connector") == "rss"), "the rule reads no series of a failing poller"
