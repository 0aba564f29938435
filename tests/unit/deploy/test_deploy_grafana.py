"""The Grafana dashboard queries only metrics the code exports, and shows every one of them."""
from __future__ import annotations

import importlib
import json
import re

import pytest
import yaml

from deploy_checks import DEPLOY

DASHBOARD = DEPLOY / "grafana" / "dashboards" / "newsflow.json"
# Modules that define the Prometheus metrics of the worker and the connectors.
METRIC_MODULES = ["pipeline.metrics", "connectors.metrics", "connectors.http_ingest"]
# Labels Prometheus adds to every target, and the histogram bucket label.
TARGET_LABELS = {"instance", "job", "le", "pod", "namespace", "container", "component", "service"}
# Metrics from other exporters the dashboard may use (kafka-exporter in compose.yaml).
EXTERNAL = {"kafka_consumergroup_lag": {"consumergroup", "topic", "partition"}}

NAME = re.compile(r"\b(newsflow_[a-z0-9_]+|kafka_[a-z0-9_]+)\b")
GROUPING = re.compile(r"\b(?:by|without)\s*\(([^)]*)\)")
MATCHERS = re.compile(r"\{([^}]*)\}")
TEMPLATE = re.compile(r"\$\{?[A-Za-z_]+\}?|\[\$__\w+\]")


def exported() -> dict[str, tuple[str, set[str]]]:
    """sample name -> (family name, label names) for every newsflow_* sample the code can expose."""
    from prometheus_client import REGISTRY

    for module in METRIC_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if module.startswith("connectors") and exc.name == module:
                continue  # that connector module has not landed yet
            raise
    samples = {}
    for name, collector in REGISTRY._names_to_collectors.items():  # noqa: SLF001 - the only full index
        if name.startswith("newsflow_"):
            family = getattr(collector, "_name", name)
            samples[name] = (family, set(getattr(collector, "_labelnames", ())))
    return samples


def dashboard() -> dict:
    return json.loads(DASHBOARD.read_text())


def panels() -> list[dict]:
    found = []
    for panel in dashboard()["panels"]:
        found.append(panel)
        found.extend(panel.get("panels", []))
    return [p for p in found if p.get("type") != "row"]


def expressions() -> list[tuple[str, str]]:
    return [(panel["title"], target["expr"]) for panel in panels() for target in panel.get("targets", [])]


def targets() -> list[tuple[str, dict]]:
    return [(panel["title"], target) for panel in panels() for target in panel.get("targets", [])]


def test_dashboard_shape():
    board = dashboard()
    assert board["uid"] and board["title"]
    ids = [p["id"] for p in board["panels"]]
    assert len(ids) == len(set(ids)), "panel ids must be unique"
    for panel in panels():
        assert panel.get("targets"), panel["title"]
        assert all(t["refId"] and t["expr"].strip() for t in panel["targets"]), panel["title"]
        grid = panel["gridPos"]
        assert 0 <= grid["x"] and grid["x"] + grid["w"] <= 24, panel["title"]


def test_dashboard_uses_the_provisioned_datasource():
    provisioned = yaml.safe_load((DEPLOY / "grafana/provisioning/datasources/prometheus.yaml").read_text())
    uids = {d["uid"] for d in provisioned["datasources"]}
    for panel in panels():
        assert panel["datasource"]["uid"] in uids, panel["title"]
        for target in panel["targets"]:
            assert target.get("datasource", panel["datasource"])["uid"] in uids, panel["title"]


def test_every_queried_metric_exists():
    samples = exported()
    assert "newsflow_messages_total" in samples and "newsflow_stage_seconds_bucket" in samples
    for title, expr in expressions():
        names = NAME.findall(expr)
        assert names, f"{title}: no metric in {expr!r}"
        for name in names:
            assert name in samples or name in EXTERNAL, f"{title}: {name} is not exported by {METRIC_MODULES}"


def test_every_label_used_exists_on_a_metric_of_the_query():
    samples = exported()
    for title, target in targets():
        expr = target["expr"]
        labels = set(TARGET_LABELS)
        for name in NAME.findall(expr):
            labels |= samples[name][1] if name in samples else EXTERNAL[name]
        used = set()
        for group in GROUPING.findall(expr):
            used |= {label.strip() for label in group.split(",") if label.strip()}
        for matchers in MATCHERS.findall(TEMPLATE.sub("", expr)):
            used |= {m.split("=")[0].rstrip("!~").strip() for m in matchers.split(",") if m.strip()}
        assert used <= labels, f"{title}: unknown labels {used - labels} in {expr!r}"
        legend = set(re.findall(r"\{\{\s*(\w+)\s*\}\}", target.get("legendFormat", "")))
        assert legend <= labels, f"{title}: legend uses {legend - labels}"


def test_histograms_are_read_through_their_buckets():
    for title, expr in expressions():
        if "histogram_quantile" in expr:
            assert re.search(r"newsflow_\w+_bucket", expr) and re.search(r"\bby\s*\([^)]*\ble\b", expr), title


def test_every_exported_metric_is_on_the_dashboard():
    families = {family for family, _ in exported().values()}
    shown = {exported()[name][0] for _, expr in expressions() for name in NAME.findall(expr) if name in exported()}
    assert families - shown == set(), f"metrics with no panel: {sorted(families - shown)}"


@pytest.mark.parametrize("needed", [
    "newsflow_messages_total", "newsflow_dead_letters_total", "newsflow_articles_total", "newsflow_events_total",
    "newsflow_stage_seconds_bucket", "newsflow_end_to_end_seconds_bucket", "newsflow_window_articles",
    "newsflow_window_events", "kafka_consumergroup_lag", "newsflow_connector_fetches_total",
    "newsflow_connector_fetch_bytes_total", "newsflow_connector_errors_total", "newsflow_connector_new_entries_total",
])
def test_required_panels(needed):
    assert any(needed in expr for _, expr in expressions()), needed


def test_quantiles_p50_and_p99():
    for metric in ("newsflow_stage_seconds_bucket", "newsflow_end_to_end_seconds_bucket"):
        quantiles = {q for _, expr in expressions() if metric in expr
                     for q in re.findall(r"histogram_quantile\(\s*([0-9.]+)", expr)}
        assert {"0.5", "0.99"} <= quantiles, metric


def test_every_dashboard_query_is_valid_promql():
    promql = pytest.importorskip("promql_parser", reason="promql-parser (test extra) missing")
    for title, expr in expressions():
        try:
            promql.parse(expr.replace("$__rate_interval", "1m"))
        except ValueError as exc:
            raise AssertionError(f"{title}: {exc}: {expr}") from None
