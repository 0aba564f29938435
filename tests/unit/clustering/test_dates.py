"""Dates an article names (pipeline/clustering/dates.py): never a guessed year, and the fast regex
forms find what the plain ones find."""
from __future__ import annotations

import re

from pipeline.clustering import dates as D
from pipeline.clustering.dates import extract_dates


REGEX_TEXTS = [
    "On 20 March 2013, 21st of December, 1-3 feb. 2014, a1 june x_2 may ²3 june 123 may 12june",
    "1999 2000x 12000 a1999 _2001 2049 2050 1949 1950 x20011 ٢2010 (1987) 2004-2005",
    "Vladimir V. Putin met Xi Jinping in Beijing on 3 May, 2019 and 12th of june.",
]


def test_dates_never_invent_a_year():
    assert extract_dates("on March 20 to 22") == [320, 321, 322]
    assert extract_dates("December 20–21, 2022") == [20221220, 20221221]
    assert extract_dates("no dates here, only Tuesday") == []


def test_fast_date_regex_forms_match_the_plain_patterns():
    """DATE_DM and LEAD_YEAR_RE open with a digit or literal for speed; they must find exactly what
    the plain "\\b..." forms find (same spans, same groups)."""
    plain = {
        D.DATE_DM: r"\b(\d{1,2})(?:st|nd|rd|th)?" + D._RANGE + r"\s+(?:of\s+)?" + D._MONTH_RE + r"\b" + D._YEAR,
        D.LEAD_YEAR_RE: r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)",
    }
    for fast, src in plain.items():
        slow = re.compile(src)
        for t in REGEX_TEXTS + [t.lower() for t in REGEX_TEXTS]:
            assert [(m.span(), m.groups()) for m in fast.finditer(t)] == \
                   [(m.span(), m.groups()) for m in slow.finditer(t)], (src, t)



def test_day_first_dates_of_other_languages_reach_the_features(params):
    from pipeline.clustering import ClusterDoc
    from pipeline.clustering.clusterer import features_for
    text = ("Les dirigeants se sont réunis le 5 décembre 2026 à Bruxelles. Le précédent sommet, le 12 mars, "
            "avait échoué. Ils se reverront en 2027.")
    french = features_for(ClusterDoc(id="fr", title="Sommet", text=text, language="fr",
                                     published="2026-12-06T08:00:00Z"), params).dates.tolist()
    assert 20261205 in french and 312 in french   # "12 mars" names no year, and none is guessed
    english = features_for(ClusterDoc(id="en", title="Summit", text=text, language="en"), params).dates.tolist()
    assert not {20261205, 312} & set(english)      # French month names are not read in English text
    assert D.facts_dates([["2026-12-05", None, "day", 1, "text"], ["--03-20", "--03-22", "day-no-year", 1, None],
                          ["2025-03", None, "month", 1, "text"], ["--12", None, "month-no-year", 1, None]]) == \
        [20261205, 320, 322, 20250300]
