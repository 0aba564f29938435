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
