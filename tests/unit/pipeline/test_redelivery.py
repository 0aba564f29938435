"""A redelivered article changes nothing, however far back it was first seen."""
from __future__ import annotations

from pipeline.core import ClusterStage
from pipeline.events.builder import EventBuilder
from pipeline.settings import Settings

NOW = "2026-01-01T00:00:00Z"
TEXT = ("Ellen DeGeneres will host the Academy Awards ceremony in Los Angeles next March, the Academy "
        "of Motion Picture Arts and Sciences said on Friday. It will be her second time as host.")


def article(n: int) -> dict:
    return {"id": f"copy-{n:05d}", "source": f"outlet{n % 7}", "title": "DeGeneres to host the Oscars",
            "text": TEXT, "language": "en"}


def test_a_member_past_the_events_bounded_member_list_is_still_recognised():
    stage = ClusterStage(Settings(window_days=3650.0), {}, {}, restore=False)
    stage.builder = EventBuilder(max_articles=5, max_seen=10)  # small bounds, so a few dozen copies pass them
    results = [stage.process(article(n), NOW) for n in range(40)]
    event_ids = {r.article["event_id"] for r in results}
    assert len(event_ids) == 1
    before = results[-1].event
    assert before["article_count"] == 40

    # the event lists its first 5 members and remembers the 10 latest after them: copy 6 is in neither
    again = stage.process(article(6), NOW)
    assert again.redelivered
    assert again.event["article_count"] == 40 and again.event["version"] == before["version"]
    assert stage.process(article(40), NOW).event["article_count"] == 41
