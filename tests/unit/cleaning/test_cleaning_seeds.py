"""Every seed article through clean(): furniture gone, substance kept."""
from __future__ import annotations

import re

import pytest

from pipeline.cleaning import BoilerplateMemory, clean
from schemas.models import RawArticle

from .conftest import SEEDS, TOKEN

SEED_FILES = sorted(SEEDS.glob("*.txt"))
FORBIDDEN = ["No time to read", "Get a summary", "Previous Article", "Next Article"]
CITATION = re.compile(r"\[\d+(?:\s*,\s*\d+)*\]")


def _clean(path):
    return clean(RawArticle(id=path.stem, source="seeds", text=path.read_text(encoding="utf-8")))


def test_there_are_five_seeds():
    assert len(SEED_FILES) == 5


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem)
def test_seed_has_no_furniture(path):
    art = _clean(path)
    for field in (art.title or "", art.text):
        for phrase in FORBIDDEN:
            assert phrase.lower() not in field.lower(), phrase
        assert not CITATION.search(field), CITATION.search(field).group(0)


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem)
def test_seed_keeps_every_substantive_paragraph(path):
    art = _clean(path)
    body = " ".join(TOKEN.findall(art.text.lower()))
    raw = CITATION.sub("", path.read_text(encoding="utf-8"))
    paragraphs = [p for p in raw.split("\n") if len(p) > 150]
    assert paragraphs
    for paragraph in paragraphs:
        tokens = " ".join(TOKEN.findall(paragraph.lower().replace("\u2019", "'")))
        assert tokens in body, paragraph[:80]


def test_headline_of_seed_001_becomes_the_title_and_is_not_repeated():
    art = _clean(SEEDS / "001_9feee331227b579d.txt")
    assert art.title == "Deepening Moscow-Beijing Cooperation: High-Level Talks in the Kremlin"
    assert "Deepening Moscow-Beijing" not in art.text
    assert art.text.startswith("The Kremlin served as a formal stage")
    assert "title_from_text" in art.flags
    # the teaser headlines carried by the previous/next navigation go with it
    assert "ERAI Oversight" not in art.text
    assert "Polish River Crises" not in art.text
    assert art.text.rstrip().endswith("regional supply chains.")


def test_a_first_line_that_is_a_sentence_is_not_taken_for_a_headline():
    art = _clean(SEEDS / "004_b2a12e75be1fa79e.txt")
    assert art.title is None
    assert art.text.startswith("Russian President Vladimir Putin arrived in Beijing on Tuesday")
    assert "Russia-China ties are unshakeable" in art.text  # a subheading is content
    assert "Xi Jinping." in art.text  # "Xi Jinping [1]." lost its marker, not its full stop
    assert " ." not in art.text


def test_seeds_are_english_and_normalised():
    for path in SEED_FILES:
        art = _clean(path)
        assert art.language == "en"
        assert "\u2019" not in art.text and "  " not in art.text
        assert art.to_dict()["id"] == path.stem


def test_seeds_through_memory_lose_nothing_more():
    memory = BoilerplateMemory({})
    for path in SEED_FILES:
        plain = _clean(path)
        learned = clean(RawArticle(id=path.stem, source="seeds", text=path.read_text(encoding="utf-8")),
                        memory=memory)
        assert learned.text == plain.text
