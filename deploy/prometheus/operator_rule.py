"""Writes ../k8s/prometheusrule.yaml from alerts.yml, so that the two carry the same rules:

    .venv/bin/python -m deploy.prometheus.operator_rule
"""
from __future__ import annotations

from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ALERTS = HERE / "alerts.yml"
TARGET = HERE.parent / "k8s" / "prometheusrule.yaml"
HEADER = """\
# Prometheus Operator: the alerting rules of ../prometheus/alerts.yml, written by
# `python -m deploy.prometheus.operator_rule` (a unit test keeps the two equal). Needs the
# monitoring.coreos.com CRDs; your Prometheus may select rules by a label (e.g. release: prometheus):
# add it under metadata.labels.
"""


def render() -> str:
    groups = yaml.safe_load(ALERTS.read_text())["groups"]
    labels = {"app.kubernetes.io/name": "newsflow", "app.kubernetes.io/part-of": "newsflow"}
    rule = {"apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule",
            "metadata": {"name": "newsflow", "namespace": "newsflow", "labels": labels},
            "spec": {"groups": groups}}
    return HEADER + yaml.safe_dump(rule, sort_keys=False, width=110, allow_unicode=True)


if __name__ == "__main__":
    TARGET.write_text(render())
    print(f"wrote {TARGET}")
