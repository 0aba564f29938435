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


OTHER = ("A volcano erupted on the island overnight, sending ash several kilometres into the sky and "
         "forcing the evacuation of three villages near its slopes, officials said on Saturday.")


def test_another_article_under_a_known_id_is_rejected_not_taken_for_a_redelivery():
    import pytest

    from schemas.models import Rejected

    stage = ClusterStage(Settings(), {}, {}, restore=False)
    first = stage.process(article(1), NOW)
    with pytest.raises(Rejected) as caught:
        stage.process({**article(1), "title": "Volcano erupts", "text": OTHER}, NOW)
    assert caught.value.reason == "duplicate_id" and caught.value.article_id == "copy-00001"
    assert "different article" in caught.value.detail
    # the first article's event is untouched, and a real redelivery is still one
    again = stage.process(article(1), NOW)
    assert again.redelivered and again.article["event_id"] == first.article["event_id"]
    assert again.event["version"] == first.event["version"] and again.event["article_count"] == 1
    # cleaned a little differently the second time (a line of furniture learned since): still a redelivery
    changed = stage.process({**article(1), "text": TEXT + "\nShare this article"}, NOW)
    assert changed.redelivered and changed.event["article_count"] == 1


def test_replay_reports_a_reused_id_as_an_error_row():
    import orjson

    from pipeline.core import OfflinePipeline

    pipeline = OfflinePipeline(Settings())
    rows = [pipeline.process(orjson.dumps({"id": "story", "source": s, "text": t}))
            for s, t in (("site-a", TEXT), ("site-b", OTHER), ("site-a", TEXT))]
    assert "error" not in rows[0] and rows[2]["event_id"] == rows[0]["event_id"]
    assert rows[1] == {"id": "story", "error": {"reason": "duplicate_id", "detail": rows[1]["error"]["detail"],
                                               "stage": "cluster"}}
    assert [e["article_count"] for e in pipeline.events.values()] == [1]


def test_another_article_under_an_id_the_window_evicted_joins_its_event_and_a_resend_stays_a_redelivery():
    # the window holds 3 articles: the first "story" leaves it while its event lives on in later copies
    stage = ClusterStage(Settings(window_max_articles=3), {}, {}, restore=False)
    first = stage.process({**article(0), "id": "story", "source": "site-a"}, NOW)
    for n in range(1, 5):
        stage.process(article(n), NOW)
    assert not stage.clusterer.knows("story")
    assert stage.process(article(5), NOW).event["article_count"] == 6

    # site-b's file is also called story.txt: an update of the same report, under its own title
    update = {**article(9), "id": "story", "source": "site-b", "title": "Oscars name their host",
              "text": TEXT + " The ceremony will be broadcast live around the world."}
    taken = stage.process(update, NOW)
    assert not taken.redelivered
    assert taken.article["event_id"] == first.article["event_id"]
    assert taken.event["article_count"] == 7
    listed = [m for m in taken.event["articles"] if m["id"] == "story"]
    assert {m["source"] for m in listed} == {"site-a", "site-b"}

    # a resend of either is still a redelivery: nothing moves
    for again in ({**article(0), "id": "story", "source": "site-a"}, update):
        result = stage.process(again, NOW)
        assert result.redelivered and result.event["article_count"] == 7
