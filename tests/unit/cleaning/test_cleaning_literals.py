"""The literal screens of the rules (pipeline/cleaning/literals.py) pass every line a rule matches:
the words and first characters read from a pattern never rule out a text the pattern matches."""
from __future__ import annotations

import random
import re

from pipeline.cleaning import Rules
from pipeline.cleaning.literals import may_hold, needs, words_of
from pipeline.cleaning.rules import _FLAGS, _LineScreen

from .conftest import SEEDS

RULES = Rules.load()

# (pattern, texts it matches): the constructs the reading follows or must give up on
TRICKY = [
    (r"(?-i:[a-z])\]", ["x]", "A list x] of"]),
    (r"(?-i:[^a])x", ["Ax", "bx"]),
    ("\u212a", ["k", "K"]),  # the Kelvin sign matches k case-insensitively
    ("\u017ftop", ["stop", "STOP"]),  # and the long s matches s
    ("\u0130stanbul|\u0131zmir", ["istanbul", "Izmir"]),
    (r"e-?mail (?:us|them)", ["Email us", "e-mail them"]),
    (r"(?:please )?(?:log|sign) ?in to (?:continue|read)", ["Login to read", "please sign in to continue"]),
    (r"(?=.*photo).*\bcredit\b.*", ["Photo: credit AP", "credit line photo"]),
    (r"\d+\s*min(?:ute)?s?\.? read", ["5 min read", "12 Minutes. Read"]),
    (r"(?<=[^\s\[(])\[(?-i:[a-z])\]", ["supplies[a]"]),
    (r".{0,300}[.!?]\s+(?:sign up|subscribe)\b.*", ["Great story. Sign up today", "Yes! SUBSCRIBE"]),
    (r"a{2}b", ["aab", "AAB"]),
    (r"(?:x|y)+z", ["xyz", "YZ"]),
    (r"(?>ab)c", ["abc"]),
    (r"a*+b", ["aab", "b"]),
    (r"(a)\1b", ["aab"]),
    (r"(?:\u00a9|\(c\)) \d{4}", ["(c) 2024", "(C) 1999"]),
    (r"publicit\u00e9|ad", ["ad", "AD"]),
    (r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", ["jane.doe@example.com"]),
    (r"(?:\S+\s+){0,3}\S+", ["Home", "one two three"]),
    (r"[-\u2022*]?\s*(?:print|share)(?: this)?", ["- Print", "share this", " SHARE"]),
    (r"", ["anything"]),
    (r"(?i:abc)|(?-i:Def)", ["ABC", "Def"]),
    (r"x(?!y)z?", ["x", "xz"]),
    (r"[^\W\d_][^|]{0,29}(?:\|\s*[^\W\d_][^|]{0,29}){3,}", ["Home | World | Sport | Arts"]),
]


def _case_variants(text: str, rng: random.Random) -> list[str]:
    mixed = "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in text)
    return [text, text.upper(), text.lower(), text.title(), mixed]


def test_a_pattern_s_words_and_first_characters_admit_every_text_it_matches():
    rng = random.Random(5)
    for pattern, texts in TRICKY:
        regex = re.compile(pattern, _FLAGS)
        found = needs(regex)
        for text in texts:
            for variant in _case_variants(text, rng) + [f"Before {text} after", f"{text}."]:
                if not variant.isascii():
                    continue
                if regex.search(variant):
                    assert may_hold(variant, found.words), (pattern, variant, found)
                if regex.fullmatch(variant) and found.starts is not None:
                    assert variant[:1].lower() in found.starts, (pattern, variant, found)
        assert any(regex.search(text) for text in texts), pattern  # the examples do match


def test_words_are_what_the_rules_need():
    assert needs(re.compile(r".{1,200}\bcontributed (?:reporting|to this (?:report|story))\b.*", _FLAGS)).words \
        == frozenset(["contributed reporting", "contributed to this report", "contributed to this story"])
    delivered = r"delivered (?:straight |directly )?(?:to|through|into) your (?:inbox|letterbox|mailbox|door)"
    assert needs(re.compile(delivered, _FLAGS)).words == frozenset(["delivered "])  # 36 spellings
    assert needs(re.compile(r"share (?:this|it)\b.*", _FLAGS)).starts == frozenset("s")
    assert needs(re.compile("\u00a9 .*", _FLAGS)).words == frozenset()  # no ASCII text holds ©
    assert needs(re.compile(r"(a)\1", _FLAGS)).starts == frozenset("a")
    assert needs(re.compile(r".*", _FLAGS)) == needs(re.compile(r".+", _FLAGS))  # nothing known either way
    assert words_of([]) is None  # no pattern joined is the empty pattern, which matches everywhere


def _lines() -> list[str]:
    lines = [line.strip() for path in sorted(SEEDS.glob("*.txt")) for line in path.read_text().splitlines()]
    return [line for line in lines if line]


def _fragments() -> list[str]:
    """Words of the rules and of prose, to build lines that come near the rules' matches."""
    words = ["share", "this", "story", "photo", "Getty Images", "cookie", "cookies", "we use", "newsletter",
             "sign up", "for our", "read more", "Related Articles", "|", "/", ">", ":", "©", "(c)", "2024", "12:30",
             "May 3,", "By Jane Doe", "contributed reporting", "http://x.example/a", "jane@example.com", "tags:",
             "Advertisement", "Loading...", "[1]", "[a]", "(Photo credit: AP)", "click to tweet", "page not found",
             "please log in to continue", "the", "minister", "said", "on", "Tuesday", ".", "!", "?", "\u2014",
             "Caf\u00e9", "\u212a", "All rights reserved", "delivered to your inbox", "Follow us on Twitter",
             "Filed under:", "Posted on", "5 min read", "Print", "Email", "-", "\u2022", "Home", "World"]
    return words


def _random_lines(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    fragments = _fragments()
    lines = []
    for _ in range(count):
        parts = [rng.choice(fragments) for _ in range(rng.randint(1, 9))]
        line = " ".join(parts)
        if rng.random() < 0.3:
            line = rng.choice(_case_variants(line, rng))
        lines.append(line.strip())
    return [line for line in lines if line]


def test_the_line_screen_answers_as_the_rules_it_screens():
    screen = _LineScreen(RULES.lines)
    wheres = {"head": ("any", "head", "edges"), "body": ("any",), "tail": ("tail", "edges")}
    for line in _lines() + _random_lines(4000, 11):
        for position, allowed in wheres.items():
            expected = any(r.regex.fullmatch(line) for r in RULES.lines
                           if r.where in allowed and len(line) <= r.max_chars)
            assert screen.may_match(line, position) == expected, (line, position)


def test_walls_and_inline_screens_answer_as_their_patterns():
    texts = _lines() + _random_lines(3000, 12)
    texts += [" ".join(texts[i:i + 5]) for i in range(0, 400, 5)]
    for text in texts:
        expected = next((name for name, regex in RULES.walls if regex.search(text)), None)
        assert RULES.wall(text) == expected, text
        changed = any(rule.regex.search(text) for rule in RULES.inline)
        assert may_hold(text, RULES._inline_words) or not changed, text
        kept, hits = RULES.clean_lines([text])
        assert bool(hits) >= changed
