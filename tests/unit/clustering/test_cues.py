"""Who/where/when cues (pipeline/clustering/cues.py): what they name, and the fast regex forms
finding what the plain ones find."""
from __future__ import annotations

import re

from pipeline.clustering import cues
from pipeline.clustering.signatures import h32
from pipeline.clustering.tokens import NOT_ENTITIES, TOK


def test_cues_name_who_where_and_which_day():
    text = ("Chargers tackle Jamal Williams was arrested in San Diego on Sunday. Williams was released. "
            "The team said Williams would play.")
    assert cues.weekdays(text) == [cues.code(cues.WEEKDAY, 7)]
    places = cues.lead_places(text, NOT_ENTITIES, h32)
    assert cues.code(cues.PLACE, h32("diego")) in places and all(cues.kind_of(c) == cues.PLACE for c in places)
    assert cues.persons(text, NOT_ENTITIES, h32) == [cues.code(cues.PERSON, h32("E:williams"))]
    # a word that follows "in"/"of" is a place or an organisation, never a person
    assert cues.persons("Talks in Kremlin. Grand Kremlin hall. The Kremlin said.", NOT_ENTITIES, h32) == []


def test_fact_cues_key_people_by_surname_and_keep_places_and_orgs(make_facts):
    got = cues.fact_cues(make_facts([("Lindsay Lohan", 3)], [("Malibu", 2.0)], [("LAPD", 1)]), h32)
    assert got == [cues.fact_code(cues.FACT_PERSON, h32("lohan")), cues.fact_code(cues.FACT_PLACE, h32("malibu")),
                   cues.fact_code(cues.FACT_ORG, h32("lapd"))]
    assert all(c >> 30 == cues.FACT for c in got)  # never mistaken for weekday/place/person cues
    assert cues.fact_cues(None, h32) == [] and cues.fact_cues({}, h32) == []


def test_fact_cues_read_who_the_story_is_about_including_untyped_names(make_facts):
    # "San Diego Chargers" is no person, but names the story as well as one: facts["who"] keeps it
    facts = make_facts([("Vincent Jackson", 2)])
    facts["who"] = [["San Diego Chargers", 4], ["Vincent Jackson", 2]]
    got = cues.fact_cues(facts, h32)
    assert got[:2] == [cues.fact_code(cues.FACT_PERSON, h32("chargers")), cues.fact_code(cues.FACT_PERSON, h32("jackson"))]
    from pipeline.events import article_facts
    real = article_facts({"title": "Jackson arrested on DUI charge", "language": "en",
                          "text": "San Diego Chargers receiver Vincent Jackson was arrested on Tuesday. "
                                  "Jackson was released. The San Diego Chargers said Jackson would play."})
    assert "San Diego Chargers" not in dict((n, c) for n, c, _ in real["entities"]["people"])
    assert cues.fact_code(cues.FACT_PERSON, h32("chargers")) in cues.fact_cues(real, h32)


def test_weekdays_from_token_names_match_the_regex():
    """weekdays(text, named) searches only the weekday names among the tokens (ASCII text); it must
    give what the case-insensitive WEEKDAY_RE gives."""
    texts = ["On Monday.TUESDAY and wednesday_ or 2thursday, Friday's Saturdays sunday",
             "xmonday mondayx Monday1 (Sunday) SUNDAY-sunday", "no day here", "Frißday Monday"]
    for t in texts:
        named = frozenset(cues.WEEKDAY_NAMES).intersection(x.lower() for x in TOK.findall(t))
        plain = sorted({cues.code(cues.WEEKDAY, m.lastindex) for m in cues.WEEKDAY_RE.finditer(t)})
        assert cues.weekdays(t, named) == plain == cues.weekdays(t), t


def test_fast_cue_regex_forms_match_the_plain_patterns():
    """The cue regexes open with a character class for speed; they must find exactly what the plain
    "\\b..." forms find (same spans, same groups)."""
    cap = cues._CAP
    plain = {
        cues.PLACE_RE: r"\b(?:[Ii]n|[Aa]t|[Ff]rom|[Nn]ear|[Oo]utside)\s+(?:the\s+)?(" + cap + r"(?:[ \t]+" + cap + r"){0,3})",
        cues.PLACEISH_RE: r"\b(?:[Ii]n|[Aa]t|[Oo]f|[Tt]o|[Ff]rom|[Ii]nto|[Aa]cross)\s+(?:the\s+)?(" + cap + r")",
        cues.NAME_RE: r"\b(" + cap + r")[ \t]+(?:[A-Z]\.[ \t]*)?(" + cap + r")\b",
    }
    texts = [
        "Vladimir V. Putin met Xi Jinping in Beijing, at the Grand Kremlin Palace, from New Zealand.",
        "in Jean-to Smith at the O'Neil into Into X from the From Y near Near Z outside Outside Q",
        "xSmith Smith's 'In Foo' éIn Bar A B.C D E Jan J. Doe, ÀB Cd inIn Rome Across the Andes",
    ]
    for fast, src in plain.items():
        slow = re.compile(src)
        for t in texts + [t.lower() for t in texts]:
            assert [(m.span(), m.groups()) for m in fast.finditer(t)] == \
                   [(m.span(), m.groups()) for m in slow.finditer(t)], (src, t)


def test_a_weekday_spelt_with_a_character_that_folds_to_ascii_is_read_not_a_crash():
    """Before, "FRİDAY" (Turkish dotted capital I) and "tueſday" (long s) matched the case-insensitive
    pattern, but their lower case is no weekday name: features_for raised ValueError on the article."""
    from pipeline.clustering.clusterer import features_for
    from pipeline.clustering import ClusterDoc, ClusterParams

    assert cues.weekdays("The market opens on FRİDAY in Ankara.") == [cues.code(cues.WEEKDAY, 5)]
    assert cues.weekdays("Talks resume on tueſday.") == [cues.code(cues.WEEKDAY, 2)]
    doc = ClusterDoc(id="tr1", title="Markets", text="The market opens on FRİDAY in Ankara after the holiday.",
                     source="s", url=None, canonical_url=None, published=None, fetched_at=None,
                     language="en", facts=None)
    assert cues.code(cues.WEEKDAY, 5) in features_for(doc, ClusterParams.load()).cues
