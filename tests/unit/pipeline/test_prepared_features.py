"""The cleaning stage prepares what the clustering stage needs; the clustering stage decides the
same with or without it, and publishes none of it."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from pipeline.core import PREPARED_FIELDS, CleanStage, ClusterStage
from pipeline.clustering import ClusterParams
from pipeline.settings import Settings

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
NOW = "2026-01-01T00:00:00Z"


@pytest.fixture(scope="module")
def cleaned() -> list[dict[str, Any]]:
    stage = CleanStage(Settings(), {})
    lines = (FIXTURES / "ecbplus" / "sample.jsonl").read_bytes().splitlines()
    # as news.cleaned carries them: through JSON
    return [orjson.loads(orjson.dumps(stage.clean(stage.decode(line)))) for line in lines]


def run(articles, settings=None, params=None) -> list:
    stage = ClusterStage(settings or Settings(), {}, {}, params=params, restore=False)
    out = []
    for article in articles:
        r = stage.process(article, now=NOW)
        out.append((r.article, r.event, r.features))
    return out


def without(articles, *fields) -> list[dict[str, Any]]:
    return [{k: v for k, v in a.items() if k not in fields} for a in articles]


def test_cleaned_records_carry_facts_and_features(cleaned):
    for article in cleaned:
        assert article["facts"]["v"] >= 1 and "entities" in article["facts"]
        assert isinstance(article["cluster_features"], str) and len(article["cluster_features"]) > 100


def test_prepared_records_give_the_same_articles_and_events_as_bare_ones(cleaned):
    prepared, bare = run(cleaned), run(without(cleaned, *PREPARED_FIELDS))
    assert {features for *_, features in prepared} == {"upstream"}
    assert {features for *_, features in bare} == {"absent"}
    assert [(a, e) for a, e, _ in prepared] == [(a, e) for a, e, _ in bare]
    assert len({a["event_id"] for a, _, _ in prepared}) < len(cleaned)  # some stories did fold
    for article, _, _ in prepared:
        assert not set(PREPARED_FIELDS) & set(article)


def test_facts_alone_or_features_alone_are_used_too(cleaned):
    expected = [(a, e) for a, e, _ in run(cleaned)]
    for dropped in PREPARED_FIELDS:
        got = run(without(cleaned, dropped))
        assert [(a, e) for a, e, _ in got] == expected


def test_features_made_under_other_parameters_are_recomputed(cleaned):
    params = ClusterParams.load()
    other = params.replace(k_terms=params.k_terms - 8)
    got = run(cleaned, params=other)
    assert {features for *_, features in got} == {"mismatch"}
    expected = run(without(cleaned, "cluster_features"), params=other)
    assert [(a, e) for a, e, _ in got] == [(a, e) for a, e, _ in expected]


def test_broken_features_are_recomputed_not_fatal(cleaned):
    broken = [dict(a, cluster_features=value) for a, value in zip(cleaned, ["%%%", "", 7, "AAAA"] * len(cleaned))]
    got = run(broken)
    assert {features for *_, features in got} == {"invalid"}
    assert [(a, e) for a, e, _ in got] == [(a, e) for a, e, _ in run(cleaned)]


def test_stale_facts_are_recomputed(cleaned):
    stale = [dict(a, facts={"v": 0, "entities": "garbage"}) for a in cleaned]
    assert [(a, e) for a, e, _ in run(stale)] == [(a, e) for a, e, _ in run(cleaned)]

