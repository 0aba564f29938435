"""The tagger's typing of names that mix a place, a title or a team into a person's span.

Sentences are shortened from ECB+ articles and from the extraction benchmark's real pages: the
mistakes they show were measured there (teams, agencies and papers typed as people, "New York"
cut to "York")."""
from pipeline.events import ner


def tagged(text: str, title: str | None = None):
    e = ner.extract(title, text)
    return set(e.people), set(e.organisations), set(e.places)


def test_a_team_or_agency_named_after_a_place_is_not_a_person():
    people, orgs, _ = tagged(
        "San Diego Chargers defensive tackle Jamal Williams was arrested on suspicion of drunken driving. "
        "Williams was pulled over for speeding early Sunday, the California Highway Patrol said.")
    assert people == {"Jamal Williams"}
    assert {"San Diego Chargers", "California Highway Patrol"} <= orgs


def test_the_short_form_of_a_team_folds_into_it():
    people, orgs, _ = tagged("The Boston Red Sox had offered Mark Teixeira eight years. "
                             "Teixeira turned down the Red Sox on Thursday, the Boston Herald reported.")
    assert people == {"Mark Teixeira"}
    assert "Boston Red Sox" in orgs and "Red Sox" not in orgs


def test_towns_that_are_first_names_leave_people_alone():
    people, orgs, _ = tagged("Taylor Swift won again. Kyle Busch and Kyle Larson raced at Homestead. "
                             "Alexandria Ocasio-Cortez spoke in New York. Swift thanked her fans.")
    assert {"Taylor Swift", "Kyle Busch", "Kyle Larson", "Alexandria Ocasio-Cortez"} <= people
    assert not orgs


def test_a_word_before_a_name_is_not_part_of_it():
    people, _, _ = tagged("President-elect Barack Obama named his health team on Monday. "
                          "Indiana House Speaker Brian Bosma said the bill would pass. Bosma and Obama spoke.")
    assert {"Barack Obama", "Brian Bosma"} <= people
    assert not any(p.startswith(("President", "Indiana")) for p in people)


def test_new_and_inner_stay_in_place_names():
    people, orgs, places = tagged("New Orleans Saints running back Reggie Bush scored. The Saints won in "
                                  "New Orleans. Factories in Inner Mongolia closed, the New York Times reported.")
    assert people == {"Reggie Bush"}
    assert {"New Orleans", "Inner Mongolia"} <= places
    assert {"New York Times", "New Orleans Saints"} <= orgs
    assert not {"York", "Orleans", "Orleans Saints", "York Times"} & (places | orgs | people)


def test_a_firm_named_with_its_country_is_not_a_person():
    people, orgs, places = tagged("Telecom Egypt said the cable was cut near Alexandria.")
    assert "Telecom Egypt" in orgs and not people
