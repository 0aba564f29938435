"""What the pipeline knows of a language (pipeline/languages.py): the stop lists it takes from jusText."""
from __future__ import annotations

from pipeline.languages import language_stopwords


def test_stop_lists_hold_function_words_of_the_language():
    assert {"und", "der", "die"} <= language_stopwords("de") and "und" in language_stopwords("de-AT")
    assert {"le", "la", "les"} <= language_stopwords("fr")
    assert language_stopwords("en") == frozenset() and language_stopwords(None) == frozenset()
    assert language_stopwords("xx") == frozenset()


def test_an_oversized_list_keeps_only_the_most_frequent_words():
    korean = language_stopwords("ko")   # jusText's list holds 13,222 words, "드라마" (drama) among them
    assert "그리고" in korean and "드라마" not in korean and "드라마를" not in korean
    assert len(korean) < 1000
    # wordfreq has no Malayalam list to rank by: the whole list stays
    assert len(language_stopwords("ml")) > 10_000
