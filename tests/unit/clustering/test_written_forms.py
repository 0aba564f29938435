"""Copies that differ only in how characters are written: full-width digits and Latin letters in
Chinese and Japanese, the Arabic tatweel (pipeline/scripts.py fold_forms, read by the features)."""
from __future__ import annotations

import json
from pathlib import Path

from pipeline.clustering import ClusterDoc, StoryClusterer
from pipeline.clustering.clusterer import features_for
from pipeline.clustering.signatures import h32
from pipeline.scripts import fold_forms

CJK = Path(__file__).resolve().parents[2] / "fixtures/languages/cjk_earthquakes.json"
UNCASED = Path(__file__).resolve().parents[2] / "fixtures/languages/uncased_numbers.json"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def article(path: Path, aid: str) -> dict:
    return next(a for a in json.loads(path.read_text(encoding="utf-8"))["articles"] if a["id"] == aid)


def doc(a: dict, aid: str, title: str | None = None, text: str | None = None) -> ClusterDoc:
    return ClusterDoc(id=aid, title=a["title"] if title is None else title, text=a["text"] if text is None else text,
                      language=a["language"])


def test_a_japanese_copy_with_full_width_digits_is_an_exact_copy(params):
    a = article(CJK, "ja-a1")
    assert any(c.isdigit() and c.isascii() for c in a["text"])
    c = StoryClusterer(params)
    first = c.assign(doc(a, "ascii"))
    wide = c.assign(doc(a, "wide", a["title"].translate(FULL_WIDTH), a["text"].translate(FULL_WIDTH)))
    # was a near copy at best: every shingle with a number in it differed
    assert (wide.relation, wide.duplicate_of, wide.event_id) == ("exact", "ascii", first.event_id)


def test_full_width_numbers_are_the_same_numbers_and_years(params):
    a = article(CJK, "zh-a1")
    text = "２０２４年６月１日，" + a["text"].translate(FULL_WIDTH)
    f = features_for(doc(a, "wide", text=text), params)
    assert h32("E:#17") in set(f.ef_h.tolist())     # 震源深度17千米, written １７
    assert 20240000 in f.dates.tolist()               # ２０２４ is a year


def test_a_stretched_arabic_word_is_the_word(params):
    a = article(UNCASED, "ar-a1")
    stretched = a["text"].replace("حريق", "حـــريق")
    assert stretched != a["text"]
    c = StoryClusterer(params)
    first = c.assign(doc(a, "plain"))
    again = c.assign(doc(a, "tatweel", text=stretched))
    assert (again.relation, again.duplicate_of, again.event_id) == ("exact", "plain", first.event_id)


def test_folding_leaves_other_text_alone():
    text = "Zürich, 12. Juni: « Grève » — 東京・新宿。ＡＢＣ１２３、الحـريق"
    assert fold_forms(text) == "Zürich, 12. Juni: « Grève » — 東京・新宿。ABC123、الحريق"
    english = "The fire broke out on June 12."
    assert fold_forms(english) is english
