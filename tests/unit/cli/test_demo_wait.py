"""`newsflow demo` waits until every id it delivered has an outcome (an article or a worker dead letter)."""
import pytest

from cli import service
from pipeline.settings import Settings


def test_ids_delivered_twice_are_waited_for_once(monkeypatch):
    """Before, three messages under two ids waited for three distinct ids: the demo hung until --timeout."""
    monkeypatch.setattr(service, "processed_ids", lambda settings: {"d1", "d2"})
    service.wait_processed(Settings(), {"d1", "d2"}, timeout=5.0)


def test_an_id_without_an_outcome_is_named_in_the_timeout(monkeypatch):
    monkeypatch.setattr(service, "processed_ids", lambda settings: {"d1", "other"})
    with pytest.raises(RuntimeError, match="only 1 of 2 articles processed after 1 s"):
        service.wait_processed(Settings(), {"d1", "d2"}, timeout=1.0)


def test_a_worker_failure_on_an_article_fails_the_demo_and_bad_input_does_not(caplog):
    """Before, a demo whose worker dead-lettered every seed as internal printed nothing and exited 0."""
    caplog.set_level("WARNING", logger="newsflow.cli")
    bad_input = {"id": "s1", "stage": "clean", "reason": "schema", "detail": "a raw article carries exactly one..."}
    failed = {"id": "s2", "stage": "cluster", "reason": "internal", "detail": "PartitionsMismatch: ..."}
    assert service.report_dead_letters([]) == 0
    assert service.report_dead_letters([bad_input]) == 0
    assert service.report_dead_letters([bad_input, failed]) == 1
    said = [(r.levelname, r.getMessage(), getattr(r, "id", None)) for r in caplog.records]
    assert ("WARNING", "dead letter", "s2") in said and ("WARNING", "dead letter", "s1") in said
    assert any(level == "ERROR" and "reason internal" in message for level, message, _ in said)
