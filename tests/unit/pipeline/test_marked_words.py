"""Event keywords of a Hindi article are its words, vowel signs included (pipeline/events/facts.py
_WORD, _is_word; tests/fixtures/languages/hindi_fire.json)."""
from __future__ import annotations

import json
from pathlib import Path

from pipeline.events import article_facts

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures/languages/hindi_fire.json"


def test_hindi_keywords_are_whole_words():
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    article = next(a for a in data["articles"] if a["id"] == "hi-a1")
    facts = article_facts({"title": article["title"], "text": article["text"], "language": "hi"})
    words = [w for w, *_ in facts["keywords"]]
    # before: only "दमकल", the one word without a vowel sign, and pieces of the others
    assert {"फैक्ट्री", "मुंडका", "प्लास्टिक"} <= set(words)
    assert not {"में", "के", "की"} & set(words)
