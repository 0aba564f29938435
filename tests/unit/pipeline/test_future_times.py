"""An article dated decades ahead must not move the clustering window: the window advances with the
newest time it has seen and evicts what lies a window behind it, so one such time would empty it."""
import orjson

from pipeline.clustering import StoryClusterer
from pipeline.core import OfflinePipeline
from pipeline.settings import Settings

ERUPTION = ("A volcano erupted on the Reykjanes peninsula in Iceland on Monday, forcing the evacuation of the "
            "fishing town of Grindavik. Lava fountains reached 100 metres high, the Icelandic Met Office said. "
            "Civil protection officials closed roads around the town and the Blue Lagoon spa.")
REWRITE = ("Lava from a volcanic eruption on Iceland's Reykjanes peninsula flowed toward Grindavik on Monday. "
           "The fishing town had been evacuated, and the Icelandic Met Office said fountains of lava rose up to "
           "100 metres. Roads near the Blue Lagoon were closed by civil protection officials.")
BUDGET = ("The city council of Springfield approved a new budget on Tuesday after a long debate about road "
          "repairs, school funding and the public library. Mayor Jane Smith said the budget was balanced.")


def _raw(aid: str, title: str, text: str, published: str) -> bytes:
    return orjson.dumps({"id": aid, "source": f"{aid}.example", "title": title, "text": text, "published": published})


def test_a_future_dated_article_leaves_the_window_in_place():
    pipeline = OfflinePipeline(Settings())
    stage = pipeline.cluster_stage
    # keep only the newest arrival beyond the time window, so that eviction by time shows at once
    stage.clusterer = StoryClusterer(stage.clusterer.p.replace(recent_kept=1), stage.clusterer.store)
    first = pipeline.process(_raw("a", "Volcano erupts in Iceland, Grindavik evacuated", ERUPTION,
                                  "2024-01-15T08:00:00Z"))
    wrong = pipeline.process(_raw("f", "City council approves new budget", BUDGET, "2099-01-01T00:00:00Z"))
    assert wrong["published"] is None and "published_in_future" in wrong["flags"]
    later = pipeline.process(_raw("b", "Lava threatens Icelandic town after eruption", REWRITE,
                                  "2024-01-15T10:00:00Z"))
    assert later["relation"] == "story" and later["event_id"] == first["event_id"]
