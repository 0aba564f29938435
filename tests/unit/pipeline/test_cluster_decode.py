"""What the clustering stage accepts from news.cleaned: an article object; anything else is a
Rejected with a reason, which the worker turns into a dead letter."""
import orjson
import pytest

from pipeline.core import ClusterStage
from schemas.models import Rejected


@pytest.mark.parametrize("value, reason", [
    (b"\xff\xfe", "invalid_json"),
    (b"{not json", "invalid_json"),
    (None, "empty"),  # a tombstone: as on news.raw
    (b"", "empty"),
    (b"[1, 2]", "schema"),
    (b"42", "schema"),
    (orjson.dumps({"id": 5, "source": "s", "text": "t"}), "schema"),
    (orjson.dumps({"id": "", "source": "s", "text": "t"}), "schema"),
    (orjson.dumps({"id": "a1", "source": "s", "text": None}), "schema"),
])
def test_records_that_are_not_cleaned_articles_are_rejected(value, reason):
    with pytest.raises(Rejected) as caught:
        ClusterStage.decode(value)
    assert caught.value.reason == reason and caught.value.stage == "cluster"


def test_a_rejected_record_keeps_the_id_it_had():
    with pytest.raises(Rejected) as caught:
        ClusterStage.decode(orjson.dumps({"id": "a1", "source": 3, "text": "t"}))
    assert caught.value.article_id == "a1"


def test_a_cleaned_article_passes_as_it_is():
    record = {"id": "a1", "source": "wire", "text": "Body.", "title": None, "facts": {"v": 0}}
    assert ClusterStage.decode(orjson.dumps(record)) == record
