"""The Python models over the schemas: what they accept and refuse."""
from __future__ import annotations



def test_an_article_nested_too_deep_to_send_is_rejected_with_its_id():
    """orjson reads 1,024 levels but writes only 255: such a record used to pass validation and
    crash the producer (serve-ingest answered 500, ingest files lost the whole file)."""
    import orjson
    import pytest

    from schemas.models import MAX_NESTING, RawArticle, Rejected

    deep = b'{"id":"z-6","source":"z","text":"Wildfire near Marseille.","meta":' + b'{"a":' * 600 + b'1' \
        + b'}' * 600 + b'}'
    with pytest.raises(Rejected) as caught:
        RawArticle.from_json(deep)
    assert (caught.value.reason, caught.value.article_id) == ("schema", "z-6")
    assert str(MAX_NESTING) in caught.value.detail
    nested = {"a": {"b": [1, {"c": [2]}]}}  # ordinary connector extras pass, and serialise
    ok = RawArticle.from_json(orjson.dumps({"id": "z-7", "source": "z", "text": "t", "meta": nested}))
    assert orjson.loads(ok.to_json())["meta"] == nested
