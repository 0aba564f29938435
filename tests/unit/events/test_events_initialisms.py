"""Capitals that are no organisation, state codes, middle names, and texts that were slow to read
(facts version 23)."""
from __future__ import annotations

from pipeline.events import dates
from pipeline.events.builder import _entity_list
from pipeline.events.facts import _URL

from .conftest import english_facts as facts, fact_names as names


def test_common_nouns_written_in_capitals_are_no_organisations():
    f = facts("Lohan pulled up to the clinic in an SUV. The SUV left. Police found his DNA and his "
              "GPS in the car. Charles scored a TD on the opening play. The Ukrainian champion won by "
              "KO. The company named a new CEO and a new VP at 9 P.M. on Monday.")
    assert not names(f, "organisations") & {"SUV", "DNA", "GPS", "TD", "KO", "CEO", "VP", "P.M."}


def test_an_initialism_before_a_model_number_is_no_organisation():
    f = facts("The navy seized 14 AK - 47 rifles and six AK-47s. The patch affects IE 6 and IE8 users. "
              "Attackers target users in IE8. The FBI said.")
    orgs, places = names(f, "organisations"), names(f, "places")
    assert "FBI" in orgs
    assert not orgs & {"AK", "IE", "IE8"} and "IE8" not in places


def test_state_codes_after_a_town_are_states():
    f = facts("She checked into a clinic in Newport Beach, CA, on Tuesday. Her mother lives in "
              "Wasilla, AK 99654, and her father in Albany, N.Y., near the D.C. office.")
    assert {"California", "Alaska", "New York"} <= names(f, "places")
    assert not names(f, "organisations") & {"CA", "AK", "N.Y.", "D.C."}


def test_shouted_words_are_no_organisations_but_initialisms_stay():
    f = facts("POSTED: Dec. 8, 2010. A FIRE has badly damaged the store. The fire was posted online as "
              "a HUGE blaze. Fans chanted ONE MORE YEAR after a year of wins. The NFL, NASA and the BBC "
              "said the boy was fine. The WHO warned on Monday.")
    orgs = names(f, "organisations")
    assert not orgs & {"POSTED", "FIRE", "HUGE", "YEAR", "ONE MORE YEAR"}
    assert {"NFL", "NASA", "BBC", "World Health Organization"} <= orgs


def test_a_name_with_a_middle_initial_is_one_person_with_the_name_without_it():
    f = facts("Vincent L. Gigante, the mob boss, died in prison. Vincent Gigante was 77. Gigante's "
              "brother, a priest, spoke. John M. Ford wrote the novel; John Milo Ford died in 2006.")
    people = {name: (n, aliases) for name, n, aliases in f["entities"]["people"]}
    assert people["Vincent L. Gigante"][0] == 3 and "Vincent Gigante" in people["Vincent L. Gigante"][1]
    assert "John Milo Ford" in people and "John M. Ford" not in people
    assert "Gigante" not in names(f, "places")


def test_two_fuller_names_keep_the_short_one_apart():
    rows = _entity_list({"George Bush": [2, []], "George W. Bush": [3, []], "George H. W. Bush": [1, []]},
                        "people")
    assert {r["name"] for r in rows} == {"George Bush", "George W. Bush", "George H. W. Bush"}


def test_an_event_folds_a_member_s_name_without_its_middle_initial():
    rows = _entity_list({"Vincent Gigante": [2, []], "Vincent L. Gigante": [3, []]}, "people")
    assert rows == [{"name": "Vincent L. Gigante", "mentions": 5, "aliases": ["Vincent Gigante"]}]


def test_texts_of_many_stops_dates_or_at_signs_give_their_facts():
    """Each of these took from half a minute to minutes (quadratic or cubic scans); the facts are
    the same as the plain definitions give."""
    f = facts("Mr. " * 2000 + "Smith met Barack Obama in Paris on March 3, 2020.")
    assert "Paris" in names(f, "places") and f["dates"][0][0] == "2020-03-03"
    many = dates.mentions("March 1 to March 2 and " * 3000)
    assert many == [["--03-01", "--03-02", "day-no-year", 3000, None]]
    assert _URL.sub(" ", "a@" * 3000 + " write to john.doe@example.com today").split()[1:] == ["write", "to", "today"]
