"""Shortcuts in normalisation and in the learned-furniture keys give what the regexes they stand for
gave: str.split() for runs of white space, a character test before a translate."""
from __future__ import annotations

import re

from pipeline.cleaning import normalize
from pipeline.cleaning.memory import _DIGITS, line_key
from pipeline.cleaning.normalize import (_BREAK_CHARS, _LINE_BREAKS, _OTHER_SPACES, _SPACES, normalise_text,
                                         unify_line_breaks)

from .conftest import SEEDS

_EVERY_CHARACTER = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000)
_WHITE = sorted({char for char in _EVERY_CHARACTER if char.isspace()})


def test_str_split_splits_on_the_characters_regex_white_space_matches():
    assert set(re.findall(r"\s", _EVERY_CHARACTER)) == set(_WHITE)


def test_the_horizontal_spaces_and_the_others_are_all_white_space_once():
    horizontal = set("".join(_SPACES.findall(_EVERY_CHARACTER)))
    assert horizontal.isdisjoint(_OTHER_SPACES) and "\n" not in horizontal | set(_OTHER_SPACES)
    assert horizontal | set(_OTHER_SPACES) | {"\n"} == set(_WHITE)


def _lines_with_every_space() -> list[str]:
    lines = []
    for char in _WHITE:
        lines += [f"{char}a{char}{char}b 1{char}23{char}", f"a {char} b", char * 3, f"x{char}"]
    return lines


def test_line_keys_are_those_of_the_regex_spacing():
    for line in _lines_with_every_space():
        spaced = re.sub(r"\s+", " ", _DIGITS.sub("0", line.casefold())).strip()
        assert line_key(line) == line_key(spaced), repr(line)
        assert " ".join(_DIGITS.sub("0", line.casefold()).split()) == spaced, repr(line)


def test_normalised_text_is_that_of_the_regex_spacing(monkeypatch):
    texts = ["\n".join(_lines_with_every_space()), "Caf\u00e9\u00a0au\u2003lait &#13; here", "a &#x2028; b\u3000c",
             "plain  text\twith   tabs\n\n\nand lines  ", "&amp; &#12;x", "A\u2029B\x85C\rD\r\nE\x0cF"]
    texts += [path.read_text() for path in sorted(SEEDS.glob("*.txt"))]
    got = [normalise_text(text) for text in texts]
    # every character test answering yes: the regex and translate paths, as normalise_text had them only
    monkeypatch.setattr(normalize, "_holds_any", lambda text, chars: True)
    assert got == [normalise_text(text) for text in texts]


def test_unify_line_breaks_returns_a_text_without_breaks_as_it_is():
    for char in _BREAK_CHARS:
        assert unify_line_breaks(f"a{char}b\r\nc") == f"a{char}b\r\nc".replace("\r\n", "\n").translate(_LINE_BREAKS)
    assert unify_line_breaks("no breaks here\n") == "no breaks here\n"


def test_the_mojibake_search_around_non_ascii_characters_answers_as_ftfy():
    import random

    import ftfy.badness

    from pipeline.cleaning.normalize import _MOJIBAKE_REACH, _mojibake_in

    assert _MOJIBAKE_REACH is not None  # the shortcut is in force for the ftfy this runs on
    rng = random.Random(4)
    marks = ["Ã©", "â€™", "Â ", "Ã ", "Ã\xa0", "Ã¡", "вЂ", "ГўВЂВ.x", "ā€", "β€™", "Ø§Ù", "à²", "√±", "œ,", "Œ1",
             "ÂÂ", "—", "–", "£", "€", "…", "é", "ü", "中文", "Ã", "Â", "©", "™", "°", "Ñ°", "×²", "\ufffd"]
    words = ["the", "minister", "said", "on", "Tuesday", "a", "b", ".", ",", "\n", " ", "x", "Z"]
    for _ in range(4000):
        parts = [rng.choice(words if rng.random() < 0.8 else marks) for _ in range(rng.randint(1, 40))]
        sample = rng.choice(["", " "]).join(parts)
        assert _mojibake_in(sample) == ftfy.badness.is_bad(sample), repr(sample)
    for mark in marks:  # at the very start, where "^" may match, and at the end
        for sample in (mark + " tail", "head " + mark, mark):
            assert _mojibake_in(sample) == ftfy.badness.is_bad(sample), repr(sample)


def test_the_search_around_non_ascii_characters_covers_a_match_s_whole_reach(monkeypatch):
    """A pattern whose longest matches hold their one non-ASCII character at either end."""
    import random

    import ftfy.badness

    from pipeline.cleaning.literals import local_reach

    pattern = re.compile(r"Ç[a-z]{6}|[a-z]{6}Ç|^Ñ[a-z]")
    assert local_reach(pattern) == 7
    monkeypatch.setattr(ftfy.badness, "BADNESS_RE", pattern)
    monkeypatch.setattr(normalize, "_MOJIBAKE_REACH", 7)
    rng = random.Random(6)
    for _ in range(3000):
        sample = "".join(rng.choice("abcdefgh Ç\nÑ") for _ in range(rng.randint(0, 30)))
        assert normalize._mojibake_in(sample) == bool(pattern.search(sample)), repr(sample)


def test_local_reach_is_known_only_for_patterns_that_read_their_own_characters():
    from pipeline.cleaning.literals import local_reach

    assert local_reach(re.compile(r"ab?c")) == 3
    assert local_reach(re.compile(r"^a.[xy]")) == 3
    for unbounded_or_contextual in (r"a.*", r"(?=a)ab", r"\bab", r"ab$", r"(a)\1", r"a(?<!b)"):
        assert local_reach(re.compile(unbounded_or_contextual)) is None, unbounded_or_contextual
