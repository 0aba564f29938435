"""Shared fixtures of the clustering unit tests: the shipped parameters, the seed articles and
event facts written by hand."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pipeline.clustering import ClusterDoc, ClusterParams

SEEDS = Path(__file__).resolve().parents[3] / "seeds"
LANGUAGES = Path(__file__).resolve().parents[2] / "fixtures" / "languages"
FURNITURE = {"no time to read?", "get a summary", "previous article", "next article"}


def seed_doc(path: Path, **kw) -> ClusterDoc:
    """A seed article as a ClusterDoc: first line the title, site furniture dropped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    body = []
    for ln in lines[1:]:
        if ln.strip().lower() in FURNITURE:
            if ln.strip().lower() == "previous article":
                break  # the teaser headlines that follow are furniture too
            continue
        body.append(ln)
    return ClusterDoc(id=path.name[:3], title=lines[0], text="\n".join(body), source="seed", **kw)


def language_reports(name: str) -> dict[str, ClusterDoc]:
    """The reports of tests/fixtures/languages/<name>.json by id; an article's own language and
    publication time when it gives them, else the file's language."""
    data = json.loads((LANGUAGES / f"{name}.json").read_text(encoding="utf-8"))
    return {a["id"]: ClusterDoc(id=a["id"], title=a["title"], text=a["text"],
                                language=a.get("language", data.get("language")), published=a.get("published"))
            for a in data["articles"]}


def word_cosine(a, b) -> float:
    """Cosine of two articles' word vectors (Features.wf_h / wf_w, L2-normalised)."""
    _, ia, ib = np.intersect1d(a.wf_h, b.wf_h, return_indices=True)
    return float(np.dot(a.wf_w[ia].astype(np.float64), b.wf_w[ib]))


@pytest.fixture(scope="session")
def params() -> ClusterParams:
    return ClusterParams.load()


@pytest.fixture(scope="session")
def seeds() -> list[ClusterDoc]:
    return [seed_doc(p) for p in sorted(SEEDS.glob("*.txt"))]


@pytest.fixture(scope="session")
def make_facts():
    """Event facts in the shape pipeline.events.article_facts gives them: people and organisations
    with mention counts, and where the story happens with weights."""
    def facts(people=(), where=(), orgs=()):
        return {"entities": {"people": [[n, c, []] for n, c in people], "places": [],
                             "organisations": [[n, c, []] for n, c in orgs]},
                "where": dict(where)}
    return facts
