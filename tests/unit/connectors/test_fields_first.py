"""pipeline.fields.first (the benchmarks' and the evaluation's field lookup) reads a row as
connectors.rows does: camelCase and snake_case names alike."""
from connectors import rows
from pipeline import fields
from pipeline.clustering.evaluation import row_published


def test_camel_and_snake_case_names_are_one_field():
    assert fields.first({"publishedAt": "2024-05-01T10:00:00Z"}, ("published_at",)) == "2024-05-01T10:00:00Z"
    assert fields.first({"published_at": "x"}, ("publishedAt",)) == "x"
    assert fields.first({"TITLE": "t"}, ("title",)) == "t"
    assert fields.first({"title": "", "Title": "u"}, ("title",)) == "u"
    assert fields.first is rows.first  # one implementation, not a copy that drifts


def test_the_evaluation_reads_a_camel_case_publication_time():
    assert row_published({"doc_id": "1", "publishedAt": "2024-05-01T10:00:00Z"}) == "2024-05-01T10:00:00Z"
