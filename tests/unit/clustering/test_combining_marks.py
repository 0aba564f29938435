"""Words written with combining marks (vowel signs of Hindi and the other Brahmic scripts, Hebrew
points, Arabic harakat) are whole words to the clustering tokeniser (pipeline/clustering/tokens.py
TOK, pipeline/scripts.py WORD_MARKS); Hindi reports written for these tests."""
from __future__ import annotations

from pipeline.clustering import StoryClusterer
from pipeline.clustering.clusterer import features_for
from pipeline.clustering.signatures import h32
from pipeline.clustering.tokens import TOK, _TOK_ASCII

from .conftest import language_reports, word_cosine


def test_words_with_marks_are_one_token():
    assert TOK.findall("दिल्ली में फैक्ट्री") == ["दिल्ली", "में", "फैक्ट्री"]   # was "द", "ल", "ल", "म", "फ", ...
    assert TOK.findall("বাংলা, தமிழ், שָׁלוֹם, مَدْرَسَة") == ["বাংলা", "தமிழ்", "שָׁלוֹם", "مَدْرَسَة"]
    # Thai puts no space between words: its pieces are kept as before (see scripts.WORD_MARKS)
    assert TOK.findall("ดับเพลิง") == ["ด", "บเพล", "ง"]
    text = "The fire on June 12, 2024 injured 12.5% of staff."
    assert TOK.findall(text) == _TOK_ASCII.findall(text)


def test_a_hindi_article_has_its_words_and_drops_its_function_words(params):
    fire = features_for(language_reports("hindi_fire")["hi-a1"], params)
    words = set(fire.wf_h.tolist())
    assert fire.wf_h.size >= 25                                     # 4 pieces of words before
    assert {h32("फैक्ट्री"), h32("मुंडका"), h32("दमकल")} <= words
    assert not {h32("में"), h32("के"), h32("की")} & words             # Hindi function words


def test_hindi_rewrites_join_and_an_unrelated_report_stays_apart(params):
    docs = language_reports("hindi_fire")
    a1, a2, other = (features_for(docs[k], params) for k in ("hi-a1", "hi-a2", "hi-c1"))
    assert word_cosine(a1, a2) > 0.4 and word_cosine(a1, other) < 0.1
    c = StoryClusterer(params)
    first = c.assign(docs["hi-a1"])
    assert c.assign(docs["hi-a2"]).event_id == first.event_id
    assert c.assign(docs["hi-c1"]).event_id != first.event_id
