"""Features computed ahead of the clustering stage decide exactly as features extracted there."""
from __future__ import annotations

import base64
import dataclasses

import numpy as np
import pytest

from pipeline.clustering import ClusterDoc, StoryClusterer
from pipeline.clustering.clusterer import features_for
from pipeline.clustering.features import IdfTable
from pipeline.clustering.prepared import FeaturesMismatch, decode_features, encode_features, fingerprint

TIMED = ClusterDoc(id="t1", title="Quake hits Lima", text="A magnitude 6.1 quake struck Lima on Monday, March 3, 2014.",
                   url="https://example.org/quake?utm_source=x", published="2014-03-03T10:00:00Z")
EMPTY = ClusterDoc(id="e1", title="", text="")


def same_features(a, b) -> None:
    for field in dataclasses.fields(a):
        x, y = getattr(a, field.name), getattr(b, field.name)
        if isinstance(x, np.ndarray):
            assert x.dtype == y.dtype and x.tolist() == y.tolist(), field.name
        else:
            assert x == y, field.name


@pytest.mark.parametrize("which", ["seeds", "timed", "empty"])
def test_features_survive_the_encoding_bit_for_bit(params, seeds, which):
    docs = {"seeds": seeds, "timed": [TIMED], "empty": [EMPTY]}[which]
    fp = fingerprint(params)
    for doc in docs:
        f = features_for(doc, params)
        encoded = encode_features(f, fp)
        assert isinstance(encoded, str) and encoded.isascii()
        same_features(f, decode_features(encoded, fp))
    if which == "timed":
        assert decode_features(encode_features(f, fp), fp).time == 1393840800.0


def test_a_clusterer_fed_prepared_features_decides_as_one_fed_the_text(params, seeds):
    fp = fingerprint(params)
    stream = seeds + [dataclasses.replace(d, id=d.id + "-copy") for d in seeds] + [TIMED]
    from_text, prepared = StoryClusterer(params, {}), StoryClusterer(params, {})
    for doc in stream:
        features = decode_features(encode_features(features_for(doc, params), fp), fp)
        assert prepared.assign_features(doc.id, features) == from_text.assign(doc)
    assert prepared.store == from_text.store


def test_the_fingerprint_follows_what_the_features_depend_on(params):
    fp = fingerprint(params)
    assert fingerprint(params.replace(window_seconds=60.0, max_articles=10, story_threshold=0.9)) == fp
    assert fingerprint(params.replace(k_terms=params.k_terms + 1)) != fp
    assert fingerprint(params.replace(title_boost=2.0)) != fp
    other_table = params.replace(idf=IdfTable(params.idf.n_docs, {**params.idf.df, "quake": 1}))
    assert fingerprint(other_table) != fp


def test_features_made_under_other_parameters_are_refused(params):
    other = params.replace(k_terms=params.k_terms - 8)
    encoded = encode_features(features_for(TIMED, other), fingerprint(other))
    with pytest.raises(FeaturesMismatch):
        decode_features(encoded, fingerprint(params))


@pytest.mark.parametrize("value", [
    "not base64 at all!",
    base64.b64encode(b"\x00" * 80).decode(),  # no such encoding
    "",
    12345,
])
def test_unreadable_values_are_a_clear_error(params, value):
    with pytest.raises(ValueError) as got:
        decode_features(value, fingerprint(params))
    assert not isinstance(got.value, FeaturesMismatch)
    assert "cluster_features" in str(got.value)


def test_a_truncated_encoding_is_refused(params):
    fp = fingerprint(params)
    raw = base64.b64decode(encode_features(features_for(TIMED, params), fp))
    for cut in (len(raw) - 4, len(raw) // 2, 20):
        with pytest.raises(ValueError, match="cluster_features"):
            decode_features(base64.b64encode(raw[:cut]).decode(), fp)
    with pytest.raises(ValueError, match="header promises"):
        decode_features(base64.b64encode(raw + b"\0\0\0\0").decode(), fp)


def test_a_page_with_a_huge_vocabulary_still_encodes(params):
    n = 70_000  # more distinct words than a 16-bit length could count
    hashes = np.arange(n, dtype=np.uint32)
    weights = np.full(n, 1 / n ** 0.5, dtype=np.float32)
    f = dataclasses.replace(features_for(TIMED, params), wf_h=hashes, wf_w=weights)
    fp = fingerprint(params)
    same_features(f, decode_features(encode_features(f, fp), fp))
