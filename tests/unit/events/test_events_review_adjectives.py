"""Adjectives and days read as places, years before 1800, datelines in short lines and shouted
three-letter words (facts version 24, review of 2026-12-07). The sentences are from ECB+ dev and
the extraction pages."""
from __future__ import annotations

from pipeline.events import dates

from .conftest import english_facts as facts, fact_names as names


def test_capitalised_adjectives_that_are_towns_are_no_places():
    f = facts("From then on, his act became more elaborate.\nFederal agents once found him standing naked "
              "in a shower, holding an umbrella.\nRelatives - even including his brother, a Roman Catholic "
              "priest - insisted he suffered from paranoid schizophrenia.\nYoung people have expressed anger.\n"
              "Esther Williams, the Olympic swimmer turned actress, died at 91.")
    assert not names(f, "places") & {"Federal", "Roman", "Young", "Olympic"}
    assert not set(f["where"]) & {"Federal", "Roman", "Young", "Olympic"}


def test_a_town_named_where_a_place_stands_stays_a_place():
    f = facts("Palmer police ask anyone with information to call. The Palmer tank farm holds fuel.\n"
              "The survey's office in Golden, Colo., recorded the quake. Golden residents felt it.")
    assert {"Palmer", "Golden"} <= names(f, "places")


def test_a_demonym_of_a_known_place_is_no_place_and_no_name():
    f = facts("Lo Presti was found dead in Pagliarelli prison in the Sicilian capital of Palermo. "
              "One of 99 alleged Sicilian Mafia members, he hanged himself. Assange took refuge in "
              "the Ecuadorean embassy in London.")
    places = names(f, "places")
    assert {"Palermo", "London"} <= places and not places & {"Sicilian", "Ecuadorean"}
    assert "Sicilian Mafia" not in names(f, "people")
    # a given name or an airline is no adjective of a smaller city (Tyre, Bima)
    f = facts("Tyrese Rice added 14 points. He flew with Biman Bangladesh Airlines. Rice said so.")
    assert "Tyrese Rice" in names(f, "people") and "Biman Bangladesh Airlines" in names(f, "organisations")


def test_abbreviated_weekdays_beside_dates_are_no_places():
    f = facts("Vincent 'The Chin' Gigante Dies in Prison\nEdited on Mon Dec - 19 - 05 03: 49 PM\n"
              "Mob boss Vincent Gigante died in prison.\nTue – Sat 4PM (Closed on Sun & Mon)")
    assert not names(f, "places") & {"Mon", "Sun", "Tue", "Sat"}


def test_a_year_before_1800_is_kept_and_never_taken_from_the_publication_date():
    found = dates.mentions("The colony was founded on Jan. 1, 1700, and renamed on 4 July 1776. "
                           "The fort fell in September 1690.", "2024-01-03T10:00:00Z")
    values = {row[0]: (row[2], row[4]) for row in found}
    assert values["1700-01-01"] == ("day", "text")
    assert values["1776-07-04"] == ("day", "text")
    assert values["1690-09"] == ("month", "text")
    assert not any(row[0].startswith("2024") or row[0].startswith("2023") for row in found)


def test_a_count_after_a_day_is_no_year_and_does_not_take_the_publication_year():
    found = dates.mentions("On Jan. 1, 1200 troops crossed the river.", "2024-01-03T10:00:00Z")
    assert found == [["--01-01", None, "day-no-year", 1, None]]
    # a year since 1800 is read as before
    assert dates.mentions("On Jan. 1, 1900 troops crossed.")[0][0] == "1900-01-01"


def test_a_dateline_in_capitals_is_its_place_in_a_short_line():
    for text in ("HANOI, Vietnam (AP) The WHO warned on Monday.",
                 "HANOI (AP) Officials warned on Monday.",
                 "HANOI, Vietnam (AP) — U.S. Defense Secretary Mark Esper on Wednesday accused China."):
        assert "Hanoi" in names(facts(text), "places"), text
    f = facts("HANOI (AP) Officials warned on Monday that the virus is spreading.")
    assert f["lead"] == ["HANOI (AP) Officials warned on Monday that the virus is spreading."]


def test_common_three_letter_words_in_capitals_are_no_organisations():
    f = facts("A MAN has been charged with the murder of his mother and sister. A statement from the "
              "Defence PRO says the incident happened yesterday. The cable is most likely the SEA - ME - WE 4 "
              "that passes through Egypt. MUST SEE: Navy pins down pirates. The FBI, the NFL and the BBC "
              "said so.")
    orgs = names(f, "organisations")
    assert not orgs & {"MAN", "PRO", "SEA", "ME", "WE", "SEE"}
    assert {"FBI", "NFL", "BBC"} <= orgs
    # capitals the text defines in parentheses stay the organisation they abbreviate
    f = facts("Officers of the Serviço de Atendimento Domiciliar (SAD) came on Monday. SAD officers left.")
    assert dict((n, c) for n, c, _a in f["entities"]["organisations"])["Serviço de Atendimento Domiciliar"] == 3
