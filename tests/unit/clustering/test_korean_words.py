"""Korean words without their particles (pipeline/cjk.py korean_stem, terms), as the clustering
features and the event keywords read them; sentences written for these tests."""
from __future__ import annotations

import pytest

from pipeline import cjk
from pipeline.clustering import ClusterDoc
from pipeline.clustering.clusterer import features_for
from pipeline.clustering.signatures import h32


@pytest.mark.parametrize("word, stem", [
    ("것으로", "것"),          # was "것으", a non-word
    ("것이라는", "것"),        # was "것이"
    ("서울로", "서울"), ("학교에서는", "학교"), ("어제부터", "어제"), ("대통령이", "대통령"),
    ("나라는", "나라"),        # "라는" can end a noun ("나라" + "는"): one syllable is not left
    ("나이", "나이"),          # "이" can end a noun: two syllables stay
])
def test_a_particle_comes_off_its_word(word, stem):
    assert cjk.korean_stem(word) == stem


def test_a_stem_of_one_syllable_is_no_term():
    assert cjk.terms("불은 아파트 15층 세대 내부에서 시작된 것으로 알려졌다", "ko") == ["불은", "아파트", "세대", "내부", "시작된"]


def test_two_unrelated_korean_reports_do_not_share_the_end_of_a_phrase(params):
    fire = ClusterDoc(id="fire", language="ko", title="해운대 아파트 화재",
                      text="부산 해운대구 아파트에서 화재가 발생했다. 불은 주방에서 시작된 것으로 알려졌다.")
    rates = ClusterDoc(id="rates", language="ko", title="한국은행 기준금리 동결",
                       text="한국은행은 기준금리를 동결했다. 시장은 연내 인하를 예상하는 것으로 나타났다.")
    a, b = features_for(fire, params), features_for(rates, params)
    assert h32("것으") not in set(a.wf_h.tolist())      # a term of the greatest weight, in most reports
    assert not set(a.wf_h.tolist()) & set(b.wf_h.tolist())
