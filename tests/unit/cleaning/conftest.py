"""Fixtures of the cleaning tests: extractors (one worker process per session) and small helpers."""
from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from pipeline.cleaning import CleaningConfig, HtmlExtractor, clean
from schemas.models import RawArticle, Rejected

REPO = Path(__file__).resolve().parents[3]
SEEDS = REPO / "seeds"
FIXTURES = REPO / "tests" / "fixtures" / "extraction"
TOKEN = re.compile(r"\w+")


@pytest.fixture(scope="session")
def extractor():
    """The production path: one trafilatura worker process with the default time limit."""
    ex = HtmlExtractor(CleaningConfig(), workers=1)
    yield ex
    ex.close()


@pytest.fixture(scope="session")
def inline_extractor():
    """Extraction in the test process (no time limit): for the many small HTML snippets."""
    ex = HtmlExtractor(CleaningConfig(), workers=0)
    yield ex
    ex.close()


def fixture_pages() -> dict[str, dict]:
    return json.loads((FIXTURES / "ground-truth.json").read_text(encoding="utf-8"))


def fixture_html(page_id: str) -> str:
    return gzip.decompress((FIXTURES / f"{page_id}.html.gz").read_bytes()).decode("utf-8")


def token_recall(predicted: str, reference: str) -> float:
    pred = Counter(TOKEN.findall(predicted.lower()))
    ref = Counter(TOKEN.findall(reference.lower()))
    return sum((pred & ref).values()) / max(1, sum(ref.values()))


def article_html(body_paragraphs: list[str], *, title: str = "A headline", extra: str = "") -> str:
    paras = "\n".join(f"<p>{p}</p>" for p in body_paragraphs)
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><header><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></header>"
            f"<main><article><h1>{title}</h1>{paras}</article></main>{extra}"
            f"<footer><p>Contact us</p></footer></body></html>")


LOREM = [
    "The city council approved the new budget on Tuesday after a long debate about public transport, "
    "with twelve members voting in favour and three against the proposal put forward by the mayor.",
    "Officials said the plan would add forty buses to the fleet over the next two years and extend the "
    "night service to the northern districts, which have been poorly served for more than a decade.",
    "Opposition members argued that the money would be better spent on repairing roads, pointing to a "
    "report that found more than a third of the city's streets in poor condition after the winter.",
    "The mayor responded that better public transport would reduce traffic and the wear on the roads, "
    "and promised a separate repair programme to be presented to the council in the spring.",
]


def raw(**kw) -> RawArticle:
    """A raw article with a default id and source."""
    return RawArticle(id=kw.pop("id", "doc-1"), source=kw.pop("source", "test"), **kw)


def rejected(raw_article, extractor, config=None) -> Rejected:
    """The cleaning's rejection of ``raw_article`` (fails the test when it is cleaned)."""
    with pytest.raises(Rejected) as info:
        clean(raw_article, extractor=extractor, config=config)
    assert info.value.stage == "clean"
    return info.value
