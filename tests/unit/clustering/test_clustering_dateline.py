"""The dateline the cleaning removed still counts as a date the article names, and nothing more."""
from __future__ import annotations

from pathlib import Path

import orjson

from pipeline.clustering import ClusterDoc, StoryClusterer
from pipeline.clustering.features import extract
from pipeline.core import OfflinePipeline, cluster_doc
from pipeline.settings import Settings

SEED = Path(__file__).resolve().parents[3] / "seeds" / "002_784cf20fb6785547.txt"


def _features(params, dateline=None):
    text = SEED.read_text(encoding="utf-8")
    return extract("Talks in the Kremlin", text, None, None, None, params.idf, params, {}, dateline=dateline)


def test_dateline_dates_join_the_article_dates(params):
    plain = _features(params).dates.tolist()
    dated = _features(params, "Published: July 29, 2004 at 1:24 PM").dates.tolist()
    assert 20040729 not in plain and 20040729 in dated
    assert set(plain) <= set(dated)


def test_copies_with_different_datelines_stay_exact(params):
    text = SEED.read_text(encoding="utf-8")
    c = StoryClusterer(params, {})
    first = c.assign(ClusterDoc(id="a", title="Talks in the Kremlin", text=text, dateline="May 3, 2024"))
    copy = c.assign(ClusterDoc(id="b", title="Talks in the Kremlin", text=text, dateline="Updated: May 4, 2024 09:10"))
    assert (copy.relation, copy.duplicate_of, copy.event_id) == ("exact", "a", first.event_id)


def test_the_core_hands_the_dateline_to_the_clusterer():
    """Through the product's path: the cleaned record carries the dateline the cleaning took out of
    the text, and the clusterer's view of that record reads it."""
    stage = OfflinePipeline(Settings()).clean_stage
    raw = {"id": "d1", "source": "test", "text": "Published: July 29, 2004\n" + SEED.read_text(encoding="utf-8")}
    article = stage.clean(stage.decode(orjson.dumps(raw)))
    assert "Published: July 29, 2004" not in article["text"]
    assert cluster_doc(article).dateline == "Published: July 29, 2004"
