"""The alerting rules parse as PromQL, query only metrics and labels the code exports, and are the
same for compose and the Prometheus Operator."""
from __future__ import annotations

import re

import pytest
import yaml

from deploy_checks import DEPLOY
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
        assert promql.parse_duration(rule["for"]).total_seconds() >= 300, rule["alert"]  # no flapping on one scrape


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
    operator = yaml.safe_load((DEPLOY / "k8s" / "prometheusrule.yaml").read_text())
    assert operator["kind"] == "PrometheusRule" and operator["apiVersion"] == "monitoring.coreos.com/v1"
    assert operator["spec"]["groups"] == yaml.safe_load(ALERTS.read_text())["groups"]
    kustomization = yaml.safe_load((DEPLOY / "k8s" / "kustomization.yaml").read_text())
    assert "prometheusrule.yaml" in kustomization["resources"]
