"""The fast paths of fact extraction give exactly what the plain definitions give."""
from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from pathlib import Path

from pipeline.events import article_facts, article_facts_cached
from pipeline.events import lexicon as lx
from pipeline.events import ner, text
from pipeline.events.text import WORD_RE, is_titlecase_line

SEEDS = Path(__file__).resolve().parents[3] / "seeds"


def seed(prefix: str, published: str | None = None) -> dict:
    """A seed as a cleaned article: first line the title, the rest the text."""
    lines = next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8").splitlines()
    return {"id": f"seed-{prefix}", "source": f"outlet-{prefix}", "title": lines[0],
            "text": "\n".join(lines[1:]).strip(), "published": published, "language": None}


def test_cached_facts_equal_fresh_facts_and_are_the_callers_own():
    for prefix in ("000", "001", "004"):
        a = seed(prefix, published="2025-01-01T00:00:00Z")
        first, second = article_facts_cached(a), article_facts_cached(dict(a, id="copy"))
        assert first == second == article_facts(a)
        assert first is not second
        first["headline"] = "changed"
        assert article_facts_cached(a) == article_facts(a)


def test_cached_facts_key_on_language_and_published():
    a = seed("001")
    assert article_facts_cached(dict(a, language="fr"))["language"] == "fr"
    assert article_facts_cached(dict(a, language=None)) == article_facts(dict(a, language=None))
    b = dict(a, published="2023-03-21T00:00:00Z")
    assert article_facts_cached(b) == article_facts(b)


class _UnhashableStr(str):
    __hash__ = None


def test_cached_facts_take_unhashable_fields():
    a = seed("002")
    a["title"] = _UnhashableStr(a["title"])
    assert article_facts_cached(a) == article_facts(a)


def _titlecase_reference(line: str) -> bool:
    words = [w for w in WORD_RE.findall(line) if len(w) > 3]
    if len(words) < 3:
        return False
    return sum(1 for w in words if w[0].isupper()) / len(words) >= 0.75


def test_titlecase_line_matches_its_definition():
    lines = [line for path in sorted(SEEDS.glob("*.txt")) for line in path.read_text().splitlines()]
    lines += ["ab’c-d e1fg _abcd 1abcd ab'’ x-y-z Ünïcödé ab_cd a__b", "It's A Dog-Eat-Dog ‘World’ 3rd O’Neill's",
              "Trump Meets Xi In Beijing For Talks", "the Cat sat On The Mat", "1_abc 2_Abcd Éclair Über Straße"]
    for line in lines:
        assert is_titlecase_line(line) == _titlecase_reference(line), line


def _fold_people_reference(people: Counter, aliases: dict) -> None:
    """The folding as first written (every pair, keys recomputed): what the fast one must equal."""
    def key_of(name):
        toks = [t for t in lx.name_fold(name).lower().replace(".", "").split() if t not in ner._NAME_SUFFIXES]
        if toks:
            toks[0] = lx.FIRST_NAME_VARIANTS.get(toks[0], toks[0])
        return " ".join(toks) or name

    known = set(lx.KNOWN_PEOPLE)
    by_key = defaultdict(list)
    for name in people:
        by_key[key_of(name)].append(name)
    for names in by_key.values():
        if len(names) < 2:
            continue
        names.sort(key=lambda n: (n not in known, -people[n], -len(n)))
        for other in names[1:]:
            people[names[0]] += people.pop(other)
            aliases[(ner.PEOPLE, names[0])] |= aliases.pop((ner.PEOPLE, other), set()) | {other}
    names = sorted(people, key=len, reverse=True)
    for short in names[::-1]:
        if short not in people:
            continue
        key = key_of(short)
        for long in names:
            if long == short or long not in people or len(long) <= len(short):
                continue
            lkey = key_of(long)
            if lkey.startswith(key + " ") or lkey.endswith(" " + key) and " " in key:
                if short in known and long not in known:
                    continue
                people[long] += people.pop(short)
                aliases[(ner.PEOPLE, long)] |= aliases.pop((ner.PEOPLE, short), set()) | {short}
                break


def test_fold_people_matches_the_pairwise_reference():
    rng = random.Random(7)
    first = ["Dmitri", "Dmitry", "Anthony", "Vladimir", "Xi", "Joe", "Ana", "José", "Jose", "Mary"]
    last = ["Medvedev", "LaCalamita", "Putin", "Jinping", "Biden", "Comeaux", "Silva", "García", "Garcia"]
    extra = ["Jr.", "III", "Joseph", "de", "Jr"]
    for _ in range(300):
        names = set()
        for _ in range(rng.randint(1, 14)):
            parts = [rng.choice(first)] if rng.random() < 0.8 else []
            if rng.random() < 0.3:
                parts.append(rng.choice(extra))
            parts.append(rng.choice(last))
            if rng.random() < 0.2:
                parts.append(rng.choice(extra))
            names.add(" ".join(parts[rng.randint(0, len(parts) - 1):]) if rng.random() < 0.3 else " ".join(parts))
        counts = Counter({n: rng.randint(1, 5) for n in names})
        aliases = {(ner.PEOPLE, n): {n.upper()} for n in names}
        fast_counts, fast_aliases = Counter(counts), {k: set(v) for k, v in aliases.items()}
        _fold_people_reference(counts, aliases)
        ner._fold_people(fast_counts, fast_aliases)
        assert list(fast_counts.items()) == list(counts.items())
        assert fast_aliases == aliases


_REFERENCE_END = re.compile(r"[.!?…।॥؟۔։።]+[\"'”’)\]»]*\s+(?=[\"'“‘(\[«„]?\s?(?P<first>[^\W_a-z]))")
_REFERENCE_LAST_WORD = re.compile(r"([^\W\d_]+)\.?[.!?…]*[\"'”’)\]»]*\s*$")


def _split_reference(paragraph: str) -> list[str]:
    """The sentence split as first written (the word before a stop found by a regex anchored at the
    end of the sentence so far): what the linear one must equal."""
    out, start = [], 0
    for match in _REFERENCE_END.finditer(paragraph):
        first = match.group("first")
        if not first.isascii() and not text._opens_sentence(first):
            continue
        last = _REFERENCE_LAST_WORD.search(paragraph[start:match.start() + 1])
        if last and (last.group(1).lower() in text._ABBREVIATIONS or len(last.group(1)) == 1) \
                and paragraph[match.start()] == ".":
            continue
        out.append(paragraph[start:match.end()].strip())
        start = match.end()
    if paragraph[start:].strip():
        out.append(paragraph[start:].strip())
    return out


def test_sentence_split_matches_its_definition():
    lines = [line for path in sorted(SEEDS.glob("*.txt")) for line in path.read_text().splitlines()]
    rng = random.Random(11)
    pieces = ["Mr.", "U.", "S.", "Calif.", "word", "Word", "42", "x1.", "...", "!?", "…", "।", "\"", "”", ")",
              " ", "  ", "\t", "Über", "é.", "_a.", "²", "٣.", "Ünï", "a", "Dr", ".", "'"]
    lines += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 40))) for _ in range(3000)]
    for line in lines:
        assert text._split_latin(line) == _split_reference(line), line


def test_long_runs_of_stops_and_abbreviations_split_in_linear_time():
    """Thousands of "Mr." or of stops in one paragraph: the same sentences as the definition, found
    without searching the sentence so far again at every stop (it took minutes, now milliseconds)."""
    for paragraph in ("Mr. " * 800 + "Smith left. He did.", "." * 20000 + " Then", "U. " * 800 + "A. Went."):
        assert text._split_latin(paragraph) == _split_reference(paragraph)
