"""aclean(): the Faust agent's entry point must not block the event loop while trafilatura works."""
from __future__ import annotations

import asyncio
import time

import pytest

from pipeline.cleaning import BoilerplateMemory, aclean, clean
from schemas.models import RawArticle, Rejected

from .conftest import LOREM, SEEDS, article_html


def test_event_loop_keeps_running_during_extraction(extractor):
    long_page = article_html([f"{LOREM[i % 4]} (part {i})" for i in range(2000)])

    async def main():
        stamps: list[float] = []
        done = asyncio.Event()

        async def ticker():
            while not done.is_set():
                stamps.append(time.perf_counter())
                await asyncio.sleep(0.005)

        task = asyncio.create_task(ticker())
        await asyncio.sleep(0.01)
        start = time.perf_counter()
        art = await aclean(RawArticle(id="long", source="s", html=long_page), extractor=extractor)
        elapsed = time.perf_counter() - start
        done.set()
        await task
        gaps = [b - a for a, b in zip(stamps, stamps[1:])]
        return art, len(stamps), max(gaps), elapsed

    art, ticks, longest_gap, elapsed = asyncio.run(main())
    assert "forty buses" in art.text
    assert elapsed > 0.2  # the extraction took a while...
    assert ticks >= 20  # ...and the loop kept ticking through it
    assert longest_gap < elapsed * 0.6, (longest_gap, elapsed)


def test_aclean_matches_clean(extractor):
    page = article_html(LOREM, title="Council approves budget")
    raw = RawArticle(id="1", source="s", html=page, url="https://example.com/a")
    text_raw = RawArticle(id="2", source="seeds", text=(SEEDS / "001_9feee331227b579d.txt").read_text("utf-8"))

    async def main():
        return (await aclean(raw, extractor=extractor),
                await aclean(text_raw, memory=BoilerplateMemory({}), extractor=extractor))

    a_html, a_text = asyncio.run(main())
    assert a_html == clean(raw, extractor=extractor)
    assert a_text.to_dict() == clean(text_raw, extractor=extractor).to_dict()


def test_aclean_rejects_like_clean(extractor):
    async def main():
        await aclean(RawArticle(id="1", source="s", html="x" * 6_000_000), extractor=extractor)

    with pytest.raises(Rejected) as info:
        asyncio.run(main())
    assert info.value.reason == "too_large"


def test_concurrent_aclean_calls_share_the_pool(extractor):
    pages = [article_html(LOREM, title=f"Story {i}") for i in range(6)]

    async def main():
        return await asyncio.gather(*(aclean(RawArticle(id=str(i), source="s", html=p), extractor=extractor)
                                      for i, p in enumerate(pages)))

    arts = asyncio.run(main())
    assert [a.title for a in arts] == [f"Story {i}" for i in range(6)]
