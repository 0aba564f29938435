"""Articles in languages other than English: their function words and word frequencies
(pipeline/clustering/tokens.py stop_words, idf.py), on German reports written for these tests."""
from __future__ import annotations

import json

import numpy as np

from pipeline.clustering import ClusterDoc, StoryClusterer, cues
from pipeline.clustering.clusterer import features_for
from pipeline.clustering.features import extract
from pipeline.clustering.records import EventRec
from pipeline.clustering.scoring import CUE_FEATURE_NAMES, cue_features
from pipeline.clustering.signatures import h32
from pipeline.events import article_facts

from .conftest import LANGUAGES, language_reports, word_cosine


def test_function_words_of_a_german_article_make_no_similarity(params):
    docs = language_reports("german_rail")
    accident = features_for(docs["de-a1"], params)
    other_accident = features_for(docs["de-b1"], params)
    # "und", "der", "die", "mit" ... alone made these two unrelated reports look alike (0.47)
    assert word_cosine(accident, other_accident) < 0.1


def test_german_nouns_are_words_weighed_by_rarity_and_names_are_entities(params):
    text = ("Die Polizei sperrte die Strecke bei Augsburg. Ein Bagger stand auf den Gleisen, sagte die Polizei. "
            "Der Bagger wurde in Augsburg geborgen.")
    facts = article_facts({"title": "", "text": text, "language": "de"})
    f = extract("", text, None, None, None, params.idf, params, facts)
    words = dict(zip(f.wf_h.tolist(), f.wf_w.tolist()))
    entities = set(f.ef_h.tolist())
    # each noun is said twice; before, both were name-like entity terms of the same weight
    assert words[h32("bagger")] > 1.5 * words[h32("polizei")]
    assert entities == {h32("E:augsburg")}   # the place the facts found is the only name
    assert not {h32("die"), h32("der"), h32("den"), h32("auf")} & set(words)


def test_english_and_unlisted_languages_keep_the_shipped_table(params):
    table = params.idf
    assert table.for_language("en") is table and table.for_language(None) is table
    assert table.for_language("xx") is table  # no frequency list: unseen words stay equally rare
    assert table.for_language("no") is table.for_language("nb") is not table
    assert table.for_language("de").max_idf == table.max_idf


def test_german_rewrites_join_and_other_accidents_stay_apart(params):
    docs = language_reports("german_rail")
    c = StoryClusterer(params)
    got = {aid: c.assign(docs[aid]) for aid in ("de-a1", "de-b1", "de-a2", "de-b2")}
    assert got["de-a2"].event_id == got["de-a1"].event_id and got["de-a2"].relation == "story"
    assert len({got["de-a1"].event_id, got["de-b1"].event_id, got["de-b2"].event_id}) == 3


def test_weekdays_named_in_german_tell_two_accidents_apart(params):
    docs = language_reports("german_rail")
    tuesday = features_for(docs["de-a1"], params)    # "am Dienstagmorgen"
    friday = features_for(docs["de-b1"], params)     # "am Freitagabend"
    event = EventRec.__new__(EventRec)
    event.ent_h, event.cue_c, event.cue_n = friday.ent_h, friday.cues, np.ones(friday.cues.size, np.uint16)
    assert dict(zip(CUE_FEATURE_NAMES, cue_features(tuesday, event)))["weekday_conflict"] == 1.0
    # the same day in English and in German is the same cue
    english = extract("", "The train hit an excavator on Tuesday morning.", None, None, None, params.idf, params)
    event.cue_c, event.cue_n = english.cues, np.ones(english.cues.size, np.uint16)
    assert dict(zip(CUE_FEATURE_NAMES, cue_features(tuesday, event)))["weekday_match"] == 1.0


def test_german_person_and_place_cues_come_from_names(params):
    tram = features_for(language_reports("german_rail")["de-b2"], params)
    # "die Polizei ... Polizei", "Augsburger Innenstadt ... Innenstadt": the shape of a person's name
    assert not [c for c in tram.cues.tolist() if cues.kind_of(c) == cues.PERSON]
    politics = ClusterDoc(id="p", title="Scholz empfängt Macron", language="de", text=(
        "Bundeskanzler Olaf Scholz hat am Dienstag den französischen Präsidenten Emmanuel Macron in Berlin "
        "empfangen. Scholz sagte, Deutschland und Frankreich stünden eng zusammen. Macron betonte, die "
        "Europäische Union müsse mehr tun. Scholz will im Januar nach Paris reisen."))
    persons = [c for c in features_for(politics, params).cues.tolist() if cues.kind_of(c) == cues.PERSON]
    assert persons == [cues.code(cues.PERSON, h32("E:scholz")), cues.code(cues.PERSON, h32("E:macron"))]


def test_french_and_spanish_leads_say_where_a_story_happens(params):
    def lead_cues(title, text, language):
        facts = article_facts({"title": title, "text": text, "language": language})
        return extract(title, text, None, None, None, params.idf, params, facts)

    lyon = lead_cues("Incendie dans une usine", "Un incendie a ravagé une usine chimique à Lyon mardi soir.", "fr")
    marseille = lead_cues("Incendie dans une usine", "Un incendie a ravagé une usine chimique à Marseille mardi soir.", "fr")
    event = EventRec.__new__(EventRec)
    event.ent_h, event.cue_c, event.cue_n = lyon.ent_h, lyon.cues, np.ones(lyon.cues.size, np.uint16)
    x = dict(zip(CUE_FEATURE_NAMES, cue_features(marseille, event)))
    assert x["place_conflict"] == 1.0 and x["weekday_match"] == 1.0   # "mardi" in both
    madrid = lead_cues("Terremoto", "Un terremoto sacudió el centro de la ciudad en Madrid el lunes.", "es")
    assert dict(zip(CUE_FEATURE_NAMES, cue_features(madrid, event)))["place_conflict"] == 1.0


def test_chinese_and_japanese_rewrites_share_words():
    """Without spaces a 'word' was a whole clause, so two reports of one earthquake shared few."""
    from pipeline.clustering import ClusterParams

    params = ClusterParams.load()
    data = json.loads((LANGUAGES / "cjk_earthquakes.json").read_text(encoding="utf-8"))["articles"]
    for language in ("zh", "ja"):
        docs = {a["id"][3:]: ClusterDoc(id=a["id"], title=a["title"], text=a["text"], language=language)
                for a in data if a["language"] == language}
        first, rewrite, other = (features_for(docs[k], params) for k in ("a1", "a2", "b1"))
        same, different = word_cosine(first, rewrite), word_cosine(first, other)
        assert same >= 0.5 and same >= different + 0.2, (language, same, different)  # before: 0.23 and 0.13
        c = StoryClusterer(params)
        got = {k: c.assign(docs[k]) for k in ("a1", "b1", "a2")}
        assert got["a2"].event_id == got["a1"].event_id != got["b1"].event_id


def test_the_days_chinese_reports_name_are_clustering_dates(params):
    from pipeline.clustering.scoring import date_relation

    data = json.loads((LANGUAGES / "cjk_earthquakes.json").read_text(encoding="utf-8"))
    docs = {a["id"]: ClusterDoc(id=a["id"], title=a["title"], text=a["text"], language=a["language"])
            for a in data["articles"]}
    sichuan = features_for(docs["zh-a1"], params).dates.tolist()   # "6月1日"
    yunnan = features_for(docs["zh-b1"], params).dates.tolist()    # "5月21日"
    assert sichuan == [601] and yunnan == [521]                     # no day was read before
    assert date_relation(sichuan, yunnan)[0] == 0.0                 # two quakes, no date match
    assert date_relation(sichuan, [20240601])[0] == 1.0             # "2024年6月1日" elsewhere matches


def test_days_named_in_russian_ukrainian_and_arabic_are_clustering_dates(params):
    texts = {"ru": "Ливень обрушился на Москву 12 июня 2024 года.", "uk": "Злива 12 червня підтопила вулиці Києва.",
             "ar": "اندلع حريق صباح الأربعاء 12 يونيو 2024 في القاهرة."}
    got = {lang: features_for(ClusterDoc(id=lang, title="", text=text, language=lang), params).dates.tolist()
           for lang, text in texts.items()}
    # no day was read before: only the year, where one is written
    assert got == {"ru": [20240000, 20240612], "uk": [612], "ar": [20240000, 20240612]}
