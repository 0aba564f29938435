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


BODY = {"id": "f-1", "source": "wire", "text": "Flooding closed the main bridge in Porto Alegre on Tuesday."}


def test_a_fetched_at_that_is_no_date_and_time_is_a_schema_rejection_naming_the_field():
    """QA: fetched_at "yesterday" (or "2026-13-45") passed to news.articles unchanged, where the
    end-to-end latency and the clustering's fallback time could not read it."""
    import pytest

    from schemas.models import RawArticle, Rejected

    for value in ("yesterday", "2026-13-45", "2026-13-45T10:00:00Z", "2026-02-30T10:00:00Z", "2026-03-01",
                  "Mon, 02 Mar 2026 10:00:00 GMT", "1772359800", "", "1850-01-01T00:00:00Z", "2026-03-01T10:00:00Q"):
        with pytest.raises(Rejected) as caught:
            RawArticle.from_dict({**BODY, "fetched_at": value})
        assert (caught.value.reason, caught.value.article_id, caught.value.source) == ("schema", "f-1", "wire"), value
        assert caught.value.detail.startswith("fetched_at: "), caught.value.detail
    with pytest.raises(Rejected) as caught:  # a number is refused by the schema's type, naming the field too
        RawArticle.from_dict({**BODY, "fetched_at": 1772359800})
    assert caught.value.reason == "schema" and caught.value.detail.startswith("fetched_at: ")


def test_a_readable_fetched_at_comes_out_in_utc_with_a_z_and_the_connectors_form_passes_unchanged():
    from schemas.models import RawArticle, utcnow_iso

    def fetched(value):
        return RawArticle.from_dict({**BODY, "fetched_at": value}).fetched_at

    assert fetched("2026-03-01T10:30:00") == "2026-03-01T10:30:00Z"  # no zone: UTC, as for published
    assert fetched("2026-03-01 10:30") == "2026-03-01T10:30:00Z"
    assert fetched("2026-03-01T10:30:00+02:00") == "2026-03-01T08:30:00Z"
    assert fetched("2026-03-01T00:30:00.250-0130") == "2026-03-01T02:00:00.250Z"
    assert fetched("2026-03-01t10:30:00.123456789z") == "2026-03-01T10:30:00.123456Z"  # nanoseconds: cut
    assert fetched(None) is None and RawArticle.from_dict(BODY).fetched_at is None
    now = utcnow_iso()  # what every connector writes (files, rss, pages, serve-ingest)
    assert fetched(now) == now
    assert fetched("2026-03-01T10:30:00.000001Z") == "2026-03-01T10:30:00.000001Z"
    # far ahead is well-formed: kept here; the cleaning drops it (fetched_at_in_future)
    assert fetched("2999-01-01T00:00:00Z") == "2999-01-01T00:00:00Z"
    assert RawArticle.from_dict({**BODY, "fetched_at": "2026-03-01T10:30:00"}).to_dict()["fetched_at"] \
        == "2026-03-01T10:30:00Z"


def test_a_schema_rejection_quotes_a_long_bad_value_only_in_part():
    """A text given as a list of 5,000 characters was quoted whole in the rejection's detail (the
    dead letter and the log line); the detail names the field, the start of the value and its size."""
    import pytest

    from schemas.models import RawArticle, Rejected

    with pytest.raises(Rejected) as caught:
        RawArticle.from_dict({**BODY, "text": ["Flooding closed the bridge. " * 200]})
    detail = caught.value.detail
    assert detail.startswith("text: ['Flooding closed the bridge.")
    assert "characters) is not of type 'string'" in detail and len(detail) < 200
    with pytest.raises(Rejected) as caught:
        RawArticle.from_dict({**BODY, "title": 5})
    assert caught.value.detail == "title: 5 is not of type 'string', 'null'"
