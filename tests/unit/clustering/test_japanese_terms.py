"""Japanese content words next to numbers (pipeline/cjk.py terms): a number's counter is not part of
the kanji compound that follows it; sentences written for these tests."""
from __future__ import annotations

import pytest

from pipeline import cjk
from pipeline.clustering import ClusterDoc
from pipeline.clustering.clusterer import features_for
from pipeline.clustering.signatures import h32
from pipeline.events import article_facts


@pytest.mark.parametrize("sentence, expected", [
    ("12日午後2時ごろ、119番通報があった。", ["午後", "通報"]),          # was "日午後", "番通報"
    ("火は約3時間後に消し止められた。", []),                               # was "時間後"
    ("１２日午前、新宿区で火事があった。", ["午前", "新宿区", "火事"]),    # full-width digits
    ("東京都新宿区の雑居ビル、佐々木さん", ["東京都新宿区", "雑居", "ビル", "佐々木"]),
])
def test_a_counter_stays_with_its_number(sentence, expected):
    assert cjk.terms(sentence, "ja") == expected


def test_unrelated_reports_of_one_afternoon_share_no_term(params):
    fire = ClusterDoc(id="fire", language="ja", title="新宿のビルで火災",
                      text="12日午後、東京都新宿区のビルで火災があった。消防車など約40台が出動した。")
    rates = ClusterDoc(id="rates", language="ja", title="日銀が利上げ決定",
                       text="日本銀行は12日午後、政策金利の引き上げを決めた。円相場は上昇した。")
    a, b = features_for(fire, params), features_for(rates, params)
    assert h32("日午後") not in set(a.wf_h.tolist())
    assert not set(a.wf_h.tolist()) & set(b.wf_h.tolist()) - {h32("午後")}


def test_japanese_keywords_have_no_counter_compounds():
    facts = article_facts({"title": "新宿のビルで火災", "language": "ja",
                           "text": "12日午後、新宿区のビルで火災があった。13日午後にも火災があり、3時間後に消えた。"})
    words = {w for w, *_ in facts["keywords"]}
    assert "火災" in words and not {"日午後", "時間後"} & words
