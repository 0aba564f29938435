"""The title and summary of an event built from real pages of the extraction benchmark
(tests/fixtures/extraction): no site furniture, no piece of a headline cut at a quoted full stop."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from pipeline.cleaning import CleaningConfig, HtmlExtractor, clean
from pipeline.events.builder import EventBuilder
from pipeline.events.facts import article_facts
from schemas.models import RawArticle

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "extraction"
PAGES = json.loads((FIXTURES / "ground-truth.json").read_text(encoding="utf-8"))
NJ = "3f65af7b6b98b1c9ae9a3e0d8a09a85600cdc44e26e4b3a6db96a31f4b1767e3"
THE_HILL = "156770d676ce79905198e1c8407f81e5ecfb617d9aa44712718707eb7e3b8e38"
ENTERMEDIA = "9da36ae4714bfccc72374c6c146e9d1cd3cca39e2110bd67ccdbcc806f4cf139"
USA_TODAY = "776a1c046798b474e410f6edf3225d6a27fecd0de6aac22aef7b7f64fe87caaf"
MACRUMORS = "232a43fb15abde807427b2a7bf4f772e27b8760554370956d8291df4e8166dbf"


@pytest.fixture(scope="module")
def records():
    """page id -> the event record of that page alone, from its HTML through the cleaning."""
    extractor = HtmlExtractor(CleaningConfig(), workers=0)
    out = {}
    try:
        for page_id in (NJ, THE_HILL, ENTERMEDIA, USA_TODAY, MACRUMORS):
            html = gzip.decompress((FIXTURES / f"{page_id}.html.gz").read_bytes()).decode("utf-8")
            article = clean(RawArticle(id=page_id, source="benchmark", html=html, url=PAGES[page_id]["url"]),
                            extractor=extractor)
            _, record = EventBuilder().apply(None, article, article_facts(article),
                                             {"event_id": f"ev-{page_id[:8]}", "relation": "new"},
                                             "2019-11-20T00:00:00Z")
            out[page_id] = record
    finally:
        extractor.close()
    return out


def test_a_headline_with_a_quoted_full_stop_is_the_title_and_not_the_summary(records):
    # nj.com: "South Dakota doubles down on 'Meth. We're on it.' They just might be." reads as three
    # sentences; the event's title was its first piece, and the summary opened with it
    record = records[NJ]
    assert record["title"] == "South Dakota doubles down on 'Meth. We're on it.' They just might be."
    assert record["summary"].startswith("Remember New Jersey's epic quest to find a state slogan?")
    assert "doubles down on 'Meth." not in record["summary"]


def test_a_person_card_of_other_stories_is_not_in_the_summary(records):
    record = records[THE_HILL]
    assert record["summary"].startswith("South Dakota Gov. Kristi Noem (R) is defending the state's launch")
    assert "Kristi Lynn Noem" not in record["summary"]
    assert "pipeline protest" not in record["summary"]


def test_the_sites_logo_is_not_the_events_title(records):
    record = records[ENTERMEDIA]
    assert record["title"] == "악녀의 덫에 걸린 이유리, 의외로 막장극 어울리는 남상미"
    assert record["articles"][0]["title"] == record["title"]


def test_the_pages_other_headline_is_not_the_summary(records):
    # usatoday.com: the page's <h1> differs from its og:title and was the body's first line, so the
    # summary opened with its second half ("We're On It,' and Twitter asks, Are you guys OK?")
    record = records[USA_TODAY]
    assert record["summary"].startswith("SIOUX FALLS, S.D. – People across the nation are talking about it")
    assert "Twitter asks" not in record["summary"]


def test_a_teaser_cards_summary_is_not_the_events_summary(records):
    record = records[MACRUMORS]
    assert record["summary"].startswith("Following the 16-inch MacBook Pro, Apple plans to release")
    assert "Night mode" not in record["summary"]


CAPTION = ("In this Dec. 12, 2006, file photo, made available by NASA, astronaut Robert L. Curbeam Jr., left, "
           "and European Space Agency astronaut Christer Fuglesang work outside the International Space Station.")
GALLERY = ("1of4Grass Valley's Dionicio Torres looks at the gas can selection before taking the last "
           "5-gallon gas can on the shelves of the hardware store.")

# captions with no credit beside them, which the cleaning cannot tell from a paragraph
PICTURED = ("Kristi Noem, governor of South Dakota, pictured at the White House turkey pardon in 2018, "
            "when she was a congresswoman.")
THIS_IMAGE = ("New Horizons took this image of the icy moon Europa rising above Jupiter's cloud tops in "
              "February 2007, six hours after the spacecraft's closest approach.")
BACKGROUND = ("A man rides on a donkey in the Palestinian village of Kifl Hares opposite the settlement of "
              "Revava (background) on November 19, 2019.")
LEFT = "Former Massachusetts Gov. Deval Patrick, left, speaks with a business owner during a campaign stop."


@pytest.mark.parametrize("caption", [CAPTION, GALLERY, PICTURED, THIS_IMAGE, BACKGROUND, LEFT])
def test_a_photo_caption_in_scraped_text_does_not_open_the_summary(caption):
    # as the visible text of a scraped page keeps them (spacenews.com, timesunion.com): the caption
    # stands where the page shows the picture, above the report's first paragraph
    report = ("NASA added five companies on Monday to the pool of contractors that may bid to carry "
              "payloads to the surface of the moon. The agency said the new landers could carry larger "
              "instruments and crews. Officials said the first of the new missions could fly in 2022.")
    raw = RawArticle(id="c1", source="scraper", title="NASA adds five companies to commercial lunar lander program",
                     text=f"{caption}\n\n{report}")
    art = clean(raw, config=CleaningConfig())
    _, record = EventBuilder().apply(None, art, article_facts(art), {"event_id": "ev-c1", "relation": "new"},
                                     "2019-11-20T00:00:00Z")
    assert record["summary"].startswith("NASA added five companies on Monday")
    assert caption[:30] not in record["summary"]


@pytest.mark.parametrize("sentence", [
    "In this case, the court ruled that the photo was not evidence of the crime.",
    "In this picture of the economy, growth is slowing and prices are rising, the bank said.",
    "In this photo-heavy era, the museum said its visitors were changing their habits.",
    "3 of 4 people in the city said they had lost power on Tuesday, officials said.",
    "The picture left by the storm was grim, officials said on Tuesday after touring the coast.",
    "Turnout on the left, which had pictures of its leaders everywhere, fell by a third.",
])
def test_sentences_that_only_resemble_a_caption_can_be_summary_sentences(sentence):
    from pipeline.events.facts import summary_sentence_ok
    assert summary_sentence_ok(sentence)
