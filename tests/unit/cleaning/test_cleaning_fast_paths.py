"""The fast paths of cleaning (joined rule screens, remembered language ids) change no result."""
from __future__ import annotations

import re

from pipeline.cleaning import Rules
from pipeline.cleaning.normalize import LANGUAGE_SAMPLE_CHARS, _identifier, detect_language
from pipeline.cleaning.rules import _LineScreen, _screen

from .conftest import SEEDS

RULES = Rules.load()
FURNITURE = ["Share this story", "Advertisement", "Read more:", "Photo: Getty Images", "Comments",
             "Sign up for our newsletter", "Updated at 1:23 p.m.", "By Jane Doe, Reuters", "Loading...",
             "© 2024 Example Media. All rights reserved.", "Print Article", "May 3, 2013", "Related Articles",
             "This site uses cookies to improve your experience. Accept", "Skip to content", "Thank you!"]


def _lines() -> list[str]:
    lines = [line.strip() for path in sorted(SEEDS.glob("*.txt")) for line in path.read_text().splitlines()]
    return [line for line in lines if line] + FURNITURE + [line.lower() for line in FURNITURE]


def test_screen_never_hides_a_matching_rule():
    screen = _LineScreen(RULES.lines)
    modes = {"head": {"head": True, "tail": False}, "body": {"head": False, "tail": False},
             "tail": {"head": False, "tail": True, "only_tail": True}}
    matched = 0
    for line in _lines():
        for position, kwargs in modes.items():
            rule = Rules._match(RULES.lines, line, **kwargs)
            matched += rule is not None
            assert rule is None or screen.may_match(line, position), (line, position, rule.name)
    assert matched  # the sample does exercise the rules


def test_a_screen_by_line_length_hides_no_rule_of_a_longer_reach():
    """Lines padded to either side of the rules' length limits: a line one character past a short
    rule's reach is still screened by the longer rules."""
    screen = _LineScreen(RULES.lines)
    limits = sorted({rule.max_chars for rule in RULES.lines})
    matched = 0
    for line in FURNITURE + ["All rights reserved.", "Photo: Reuters / Jane Doe", "Newsletter"]:
        for limit in limits:
            for size in (limit - 1, limit, limit + 1):
                padded = (line + " " + "word " * 200)[:size].rstrip() if size > len(line) else line
                for position, kwargs in (("head", {"head": True, "tail": False}),
                                         ("body", {"head": False, "tail": False})):
                    rule = Rules._match(RULES.lines, padded, **kwargs)
                    matched += rule is not None
                    assert rule is None or screen.may_match(padded, position), (padded, position, rule.name)
    assert matched


def test_the_inline_screen_finds_every_line_an_inline_rule_changes():
    lines = _lines() + ["Growth slowed [1, 2] in the third quarter.", "It was the largest[3] ever.",
                        "The mayor disagreed [citation needed].", "Rates rose again. Click to Tweet",
                        "The bridge at dawn (Photo credit: Jane Doe) was closed.", "A list [a] and (b) of things."]
    changed = 0
    for line in lines:
        hit = any(rule.regex.search(line) for rule in RULES.inline)
        changed += hit
        assert bool(RULES._any_inline.search(line)) == hit, line
    assert changed >= 4


def test_screen_is_not_built_from_patterns_it_cannot_join():
    assert _screen([re.compile(r"(a)\1"), re.compile("b")]) is None
    assert _screen([re.compile(r"(?P<x>a)(?P=x)")]) is None
    assert _screen([]) is None
    joined = _screen([re.compile("ab+"), re.compile("c")])
    assert joined.fullmatch("abbb") and joined.fullmatch("c") and not joined.fullmatch("abc")


def test_remembered_language_equals_the_model():
    texts = [path.read_text() for path in sorted(SEEDS.glob("*.txt"))]
    texts += ["Der Bundestag hat am Donnerstag ein neues Gesetz zur Energiepolitik beschlossen, berichtet die Zeitung.",
              "Le gouvernement a annoncé mardi une nouvelle réforme des retraites, selon le ministre."]
    for text in texts + texts:
        lang, prob = _identifier().classify(text[:LANGUAGE_SAMPLE_CHARS])
        assert detect_language(text) == (lang if prob >= 0.5 else None)


def test_eviction_equals_a_full_sort():
    import random

    from pipeline.cleaning.memory import _evict

    rng = random.Random(3)
    for _ in range(500):
        n, limit = rng.randint(1, 200), rng.randint(0, 200)
        counts = {f"{rng.getrandbits(40):010x}": [rng.randint(1, 5), rng.randint(1, 20)] for _ in range(n)}
        expected = dict(counts)
        for k in sorted(expected, key=lambda k: (expected[k][1], expected[k][0], k))[:max(0, n - limit)]:
            del expected[k]
        _evict(counts, limit)
        assert counts == expected


def test_inline_rules_that_open_with_a_lazy_or_possessive_space_still_load_and_screen():
    rules = Rules({"version": 1, "inline": [{"name": "lazy", "pattern": r"\s*?\[ad\]"},
                                            {"name": "possessive", "pattern": r"\s*+\(sponsored\)"},
                                            {"name": "plain", "pattern": r"\s*\{promo\}"}]})
    for line, changed in (("Shares rose [ad] today.", True), ("Shares rose (Sponsored) today.", True),
                          ("Shares rose {promo}", True), ("Shares rose today.", False)):
        assert bool(rules._any_inline.search(line)) == changed == any(r.regex.search(line) for r in rules.inline)
        kept, hits = rules.clean_lines([line])
        assert (kept != [line]) == changed and sum(hits.values()) == changed
