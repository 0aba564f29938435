"""A word that qualifies a noun read as a place, a company's short name read as its home town, and
birth days taken for an event's date (facts version 25, review of 2026-12-07)."""
from __future__ import annotations

from pipeline.events import article_facts
from pipeline.events.dates import mentions

from .conftest import english_facts as facts, fact_names as names
from .test_event_record_review import _article, _record


def test_a_word_between_the_and_a_noun_is_no_place():
    f = facts("Senator Barack Obama won in the Republican primary in Iowa on Tuesday. She trained in the "
              "Olympic pool at Federal Way.")
    assert "Republican" not in names(f, "places") and "Republican" not in f["where"]
    assert "Olympic" not in names(f, "places")
    assert "Iowa" in names(f, "places")


def test_a_place_after_the_keeps_its_cue_before_a_place_noun_a_function_word_or_as_a_country():
    f = facts("Shots were fired in the Palmer area on Monday. Fighting resumed in the Iraq war zone. "
              "Troops stayed in the Donbas on Friday.")
    assert {"Palmer", "Iraq"} <= names(f, "places")
    assert f["where"].get("Iraq", 0) >= 1.5 and "Donbas" in f["where"]  # a strong cue (0.3 without one)


def test_a_district_named_before_its_noun_or_a_time_stays_a_place():
    f = facts("Police shot a teenager in the Exarchia district of Athens. The robbers struck near the "
              "Champs-Elysees late Thursday. Crowds gathered in the Rosslyn section of Arlington. He was "
              "found dead in the Pagliarelli prison.")
    assert {"Exarchia", "Champs-Elysees", "Rosslyn", "Pagliarelli"} <= names(f, "places")


def test_a_town_that_opens_a_companys_name_is_that_company():
    f = facts("Toyota Motor Corp. said on Monday it would recall 1.2 million cars in the United States. "
              "Toyota said the fault was in the brakes.", title="Toyota recalls cars")
    assert "Toyota" not in names(f, "places")
    orgs = {name: n for name, n, _aliases in f["entities"]["organisations"]}
    assert orgs.get("Toyota Motor Corp.") == 3


def test_a_town_a_text_also_names_as_a_place_stays_a_place():
    f = facts("Toyota Motor Corp. opened a plant in Toyota, a city east of Nagoya. Toyota said it would hire.")
    assert "Toyota" in names(f, "places")


OBITUARY = ("Tony Bennett, who was born on August 3, 1926, in Queens, died on July 21, 2023 in New York. "
            "Bennett, born August 3, 1926, recorded for seven decades.")


def test_birth_days_long_before_the_text_are_no_dates_of_it():
    assert [d[0] for d in mentions(OBITUARY, language="en")] == ["2023-07-21"]
    assert [d[0] for d in mentions("She was born in August 1926 and died on Monday.", "2024-05-01", language="en")] == []
    assert [d[0] for d in mentions("Il est né le 3 mars 1950 à Paris. Il est mort le 2 mai 2024.", language="fr")] \
        == ["2024-05-02"]


def test_the_news_of_a_birth_keeps_its_day():
    assert [d[0] for d in mentions("The prince was born on July 22, 2013 at St Mary's.", language="en")] == ["2013-07-22"]
    assert [d[0] for d in mentions("A girl was born on July 22.", "2013-07-23T08:00:00Z", language="en")] == ["2013-07-22"]
    # an acronym is not the Italian "nato" (born)
    got = mentions("La NATO il 3 marzo 2019 e il 5 marzo 2021.", language="it")
    assert sorted(d[0] for d in got) == ["2019-03-03", "2021-03-05"]


def test_an_event_whose_reports_name_a_birth_day_most_is_dated_by_its_news():
    reports = [_article(OBITUARY, "Tony Bennett dies at 96", id="a1"),
               _article("Tony Bennett was born on August 3, 1926. He died on July 21, 2023, his family said.",
                        "Singer Tony Bennett dead", id="a2")]
    assert _record(*reports)["when"]["value"] == "2023-07-21"
    assert article_facts(reports[1])["dates"][0][0] == "2023-07-21"
