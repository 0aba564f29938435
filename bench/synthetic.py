"""Synthetic streams of raw articles for fault tests and load benchmarks.

Each base article (e.g. an ECB+ document) is re-issued as: itself, an exact copy under another
outlet, a near copy wrapped in different site furniture, and variants whose named details
(numbers, places) are changed so that they are different stories. The mix exercises every relation
while staying reproducible from a seed.
"""
from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path

import orjson

_NUMBER = re.compile(r"\b\d+\b")
_CAPITAL = re.compile(r"\b[A-Z][a-z]{3,}\b")
PLACES = ["Lisbon", "Nairobi", "Osaka", "Quito", "Tbilisi", "Hobart", "Dakar", "Tromso", "Cusco", "Izmir",
          "Perth", "Bergen", "Leeds", "Kochi", "Tulsa", "Gdansk", "Accra", "Sapporo", "Valencia", "Cebu"]


def load_bases(path: Path) -> list[dict]:
    """Raw-article dicts from a JSON-lines file of raw articles or of ECB+ rows (doc_id/text).
    ValueError, naming the file and line, for a line that is no JSON object with a string ``text``."""
    bases = []
    for number, line in enumerate(path.read_bytes().splitlines(), 1):
        if not line.strip():
            continue
        try:
            doc = orjson.loads(line)
        except orjson.JSONDecodeError:
            doc = None
        if not isinstance(doc, dict) or not isinstance(doc.get("text"), str):
            raise ValueError(f"{path}, line {number}: not a JSON object with a text (raw article or ECB+ row)")
        if "doc_id" in doc:
            doc = {"id": doc["doc_id"], "source": f"outlet{len(bases) % 7}", "text": doc["text"]}
        bases.append({k: doc[k] for k in ("id", "source", "text") if k in doc})
    return bases


def mutate(text: str, rng: random.Random) -> str:
    """A different story of the same shape: other numbers and a few other proper names."""
    text = _NUMBER.sub(lambda m: str(rng.randint(2, 999)), text)
    names = sorted(set(_CAPITAL.findall(text)))
    rng.shuffle(names)
    for name in names[:6]:
        text = re.sub(rf"\b{name}\b", rng.choice(PLACES), text)
    return text


def stream(bases: list[dict], count: int, seed: int = 13, malformed_every: int = 0) -> Iterator[tuple[bytes, bytes]]:
    """``count`` (key, value) news.raw messages; every ``malformed_every``-th is garbage."""
    rng = random.Random(seed)
    for i in range(count):
        if malformed_every and i % malformed_every == malformed_every - 1:
            yield b"garbage", rng.choice([b"{not json", b"[]", b'{"id": "x"}', orjson.dumps({"id": f"bad-{i}", "source": "s", "text": 5})])
            continue
        base = bases[i % len(bases)]
        kind = (i // len(bases)) % 4
        source = f"outlet{rng.randrange(12)}"
        text = base["text"]
        if kind == 2:
            text = f"Share this story\n{text}\nRead more from {source}"
        elif kind == 3 or i >= 4 * len(bases):
            text = mutate(text, rng)
        doc = {"id": f"syn-{i:07d}", "source": source, "text": text}
        yield source.encode(), orjson.dumps(doc)
