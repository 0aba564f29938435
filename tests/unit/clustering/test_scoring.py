"""Article-vs-event features (pipeline/clustering/scoring.py): who/where cues and event facts that
agree or conflict."""
from __future__ import annotations

import numpy as np
from pipeline.clustering.features import extract
from pipeline.clustering.records import EventRec
from pipeline.clustering.scoring import (CUE_FEATURE_NAMES, FACT_FEATURE_NAMES, FEATURE_NAMES, _facts_agree,
                                         cue_features, fact_features)


def test_main_person_mismatch_is_a_feature(params):
    a = extract("", "Jamal Williams was arrested on Sunday. Williams plays for the Chargers.", None, None, None,
                params.idf, params)
    b = extract("", "Vincent Jackson was arrested on Tuesday. Jackson plays for the Chargers.", None, None, None,
                params.idf, params)
    e = EventRec.__new__(EventRec)
    e.ent_h, e.cue_c, e.cue_n = b.ent_h, b.cues, np.ones(b.cues.size, np.uint16)
    x = dict(zip(CUE_FEATURE_NAMES, cue_features(a, e)))
    assert x["weekday_conflict"] == 1.0 and x["person_art_missing"] == 1.0 and x["person_evt_missing"] == 1.0


def test_fact_features_agree_and_conflict(params, make_facts):
    text = "A fire broke out. Firefighters came."
    same = extract("", text, None, None, None, params.idf, params, make_facts([("Ann Lee", 2)], [("Oslo", 3.0)]))
    other = extract("", text, None, None, None, params.idf, params, make_facts([("Bo Kim", 2)], [("Rome", 3.0)]))
    e = EventRec.__new__(EventRec)
    e.cue_c, e.cue_n = same.cues, np.ones(same.cues.size, np.uint16)
    x = dict(zip(FACT_FEATURE_NAMES, fact_features(same, e)))
    assert x["fact_people_match"] == 1.0 and x["fact_place_match"] == 1.0 and x["fact_people_conflict"] == 0.0
    y = dict(zip(FACT_FEATURE_NAMES, fact_features(other, e)))
    assert y["fact_people_conflict"] == 1.0 and y["fact_place_conflict"] == 1.0 and y["fact_people_match"] == 0.0
    full = [0.0] * len(FEATURE_NAMES)
    full[-len(FACT_FEATURE_NAMES):] = fact_features(same, e)
    assert _facts_agree(full)
    full[-len(FACT_FEATURE_NAMES):] = fact_features(other, e)
    assert not _facts_agree(full)
