"""Shared fixtures of the clustering unit tests: the shipped parameters, the seed articles and
event facts written by hand."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.clustering import ClusterDoc, ClusterParams

SEEDS = Path(__file__).resolve().parents[3] / "seeds"
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
