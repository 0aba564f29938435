"""news.cleaned is internal, but another producer may write to it: a record of the wrong shape is a
dead letter with a reason, and never state that fails the events and articles that come after it."""
from __future__ import annotations

import copy
import random

import orjson
import pytest

from pipeline.clustering import ClusterParams
from pipeline.core import CleanStage, ClusterStage
from pipeline.settings import Settings
from schemas.models import Rejected

SETTINGS = Settings()
REPORT = ("Prime Minister Anna Keller met President Omar Haddad in Geneva on Tuesday to discuss shared water "
          "rights along the river basin. The two leaders agreed to set up a joint commission, officials from both "
          "governments said. Keller told reporters a second round of talks would follow in Amman in May.")


def cleaned(article_id: str) -> dict:
    stage = CleanStage(SETTINGS, {})
    return stage.clean(stage.decode(orjson.dumps({"id": article_id, "source": "wire", "text": REPORT,
                                                  "title": "Leaders meet in Geneva on water rights",
                                                  "published": "2024-03-05T10:00:00Z"})))


def through(stage: ClusterStage, record: dict):
    return stage.process(ClusterStage.decode(orjson.dumps(record)), now="2024-03-06T00:00:00Z")


@pytest.mark.parametrize("spoil", [
    lambda r: r["facts"].__setitem__("language", 5),
    lambda r: r["facts"]["entities"]["people"][0].__setitem__(2, [5]),
    lambda r: r["facts"].__setitem__("headline", 5),
    lambda r: r["facts"].__setitem__("dates", [["2024-03-05", None, "day", "once", None]]),
])
def test_facts_of_the_wrong_shape_are_worked_out_again_and_spoil_no_event(spoil):
    stage = ClusterStage(SETTINGS, {}, {}, restore=False)
    poisoned = copy.deepcopy(cleaned("poison"))
    spoil(poisoned)
    first = through(stage, poisoned)
    assert first.event["languages"] == ["en"] and first.event["title"] == "Leaders meet in Geneva on water rights"
    for article_id in ("good1", "good2"):  # a copy each, as wires send them: before, both failed in the builder
        result = through(stage, cleaned(article_id))
        assert result.event["event_id"] == first.event["event_id"] and result.event["article_count"] >= 2
        assert all(isinstance(p["name"], str) for p in result.event["entities"]["people"])


@pytest.mark.parametrize("field, value", [
    ("title", 5), ("url", {"href": "x"}), ("published", 1700000000), ("published", "next Tuesday"),
    ("language", ["en"]), ("flags", "abc"), ("flags", [1, 2]), ("fetched_at", 5), ("dateline", 5),
    ("schema_version", 2), ("id", "x" * 600),
])
def test_a_field_of_the_wrong_type_is_a_schema_dead_letter_before_the_window_sees_it(field, value):
    stage = ClusterStage(SETTINGS, {}, {}, restore=False)
    record = dict(cleaned("bad"), **{field: value})
    with pytest.raises(Rejected) as refused:
        through(stage, record)
    assert refused.value.reason == "schema" and field in refused.value.detail
    assert stage.window_size() == 0
    assert through(stage, cleaned("good")).article["relation"] == "new"


def test_a_publication_time_far_ahead_is_dropped_and_does_not_move_the_windows_clock():
    words = ("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa "
             "quebec romeo sierra tango uniform victor whiskey xray yankee zulu river mountain council budget").split()
    rng = random.Random(1)

    def article(i: int) -> dict:
        w = rng.sample(words, 30)
        return {"schema_version": 1, "id": f"a{i}", "source": "s", "title": " ".join(w[:5]).title(),
                "text": ". ".join(" ".join(w[j:j + 6]).capitalize() for j in range(0, 30, 6)) + ".",
                "published": f"2024-03-{1 + i % 5:02d}T10:00:00Z"}

    articles = [article(i) for i in range(14)]
    stage = ClusterStage(SETTINGS, {}, {}, params=ClusterParams.load().replace(recent_kept=5), restore=False)
    for a in articles[:8]:
        through(stage, a)
    ahead = through(stage, {"schema_version": 1, "id": "ahead", "source": "x", "text": "A note.",
                            "published": "2099-12-31T00:00:00Z"})
    assert ahead.article["published"] is None and "published_in_future" in ahead.article["flags"]
    for a in articles[8:]:
        through(stage, a)
    copy_of_first = dict(articles[0], id="copy0")  # still in the window: an article of 2099 evicted it before
    result = through(stage, copy_of_first)
    assert result.article["relation"] == "exact" and result.article["duplicate_of"] == "a0"

