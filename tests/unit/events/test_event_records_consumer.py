"""The event record as a consumer of news.events meets it: one entry per organisation or place, a title
that is news rather than the outlet's name or a byline, and a record that stays within the topic's
message size whatever the members' titles and URLs."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import orjson

from pipeline.events import EventBuilder, article_facts
from pipeline.events.builder import MAX_MEMBER_BYTES, _entity_list
from pipeline.settings import Settings
from schemas import schema_errors

SEED = (Path(__file__).resolve().parents[3] / "seeds").glob("001_*.txt")
SEED_TEXT = next(SEED).read_text(encoding="utf-8").split("\n", 1)[1]


def _article(i: int, title: str | None, source: str = "outlet", url: str | None = None, text: str = SEED_TEXT):
    return {"id": f"a{i}", "source": source, "url": url, "canonical_url": None, "title": title, "text": text,
            "author": None, "published": None, "fetched_at": "2025-01-01T00:00:00Z", "site_name": None,
            "language": "en", "flags": []}


def _build(articles, builder: EventBuilder | None = None):
    builder, state, record = builder or EventBuilder(), None, None
    for i, a in enumerate(articles):
        assignment = SimpleNamespace(event_id="evt_00000000000000dd", relation="new" if i == 0 else "exact",
                                     duplicate_of=None if i == 0 else "a0", similarity=None if i == 0 else 1.0)
        state, record = builder.apply(state, a, article_facts(a), assignment, "2025-01-01T00:00:00Z")
    return state, record


# -- one entry per organisation or place ------------------------------------------------------------

def test_an_organisation_spelt_two_ways_by_two_members_is_listed_once():
    # ECB+ topic 11: "Fox News" 3, "FOX News" 1; the Assange pages: "Wikileaks" 2, "WikiLeaks" 1
    rows = _entity_list({"Fox News": [3, []], "FOX News": [1, []], "CNN": [2, []]}, "organisations")
    assert rows[0] == {"name": "Fox News", "mentions": 4, "aliases": ["FOX News"]}
    assert [r["name"] for r in rows] == ["Fox News", "CNN"]


def test_an_initialism_listed_beside_the_full_name_folds_into_it():
    # ECB+ topic 32: "WBC" 3 on its own beside "World Boxing Council" 2 that lists WBC as its alias
    rows = _entity_list({"WBC": [3, []], "World Boxing Council": [2, ["WBC"]], "IBF": [1, []],
                         "International Boxing Federation": [1, []], "HBO": [1, []]}, "organisations")
    by_name = {r["name"]: r for r in rows}
    assert "WBC" not in by_name and by_name["World Boxing Council"]["mentions"] == 5
    assert "IBF" not in by_name and by_name["International Boxing Federation"]["aliases"] == ["IBF"]
    assert "HBO" in by_name


def test_an_alias_two_entries_claim_stays_its_own_entry():
    rows = _entity_list({"ARLF": [1, []], "Agriculture Revolving Loan Fund": [6, ["ARLF"]],
                         "Alaska Revolving Loan Fund": [2, ["ARLF"]]}, "organisations")
    assert {r["name"] for r in rows} == {"ARLF", "Agriculture Revolving Loan Fund", "Alaska Revolving Loan Fund"}


def test_every_name_of_a_record_is_listed_once_across_members():
    a = _article(0, "Fox News host quits", text="Fox News said on Monday that its host had quit the network. "
                 "The host told Fox News viewers that he was leaving after ten years on the air.")
    b = _article(1, "FOX News host leaves", text="The host of FOX News said goodbye to viewers on Monday evening. "
                 "He had joined the network ten years ago and said he would miss his colleagues.")
    _state, record = _build([a, b])
    orgs = [e["name"].casefold() for e in record["entities"]["organisations"]]
    assert orgs.count("fox news") == 1


# -- a title that is news ---------------------------------------------------------------------------

def test_a_title_that_is_the_outlets_name_is_no_headline():
    for title, source, url in [("BBC News", "BBC News", "https://www.bbc.co.uk/news/world-123"),
                               ("The Moscow Times", "themoscowtimes.com", "https://www.themoscowtimes.com/x"),
                               ("Home | The Moscow Times", "The Moscow Times", None),
                               ("Breaking News", "example", None)]:
        _state, record = _build([_article(0, title, source, url)])
        assert record["title"] != title
        assert record["title"].startswith("The Kremlin served as a formal stage")


def test_a_byline_is_no_headline():
    for title in ("By John Smith, Staff Writer", "By Jeff Foust", "by Maria Garcia and Tom Lee"):
        _state, record = _build([_article(0, title)])
        assert record["title"] != title, title


def test_a_headline_that_opens_with_by_or_names_its_outlet_is_kept():
    for title in ("By Winning Sunday, Patriots Clinch Division", "BBC News cuts 450 jobs in World Service",
                  "Xi Jinping arrives in Moscow for talks with Putin"):
        _state, record = _build([_article(0, title, "BBC News", "https://www.bbc.co.uk/news/1")])
        assert record["title"] == title


def test_the_next_member_s_headline_replaces_an_outlet_name():
    _state, record = _build([_article(0, "Reuters", "Reuters"),
                             _article(1, "Xi Jinping arrives in Moscow for state visit", "other")])
    assert record["title"] == "Xi Jinping arrives in Moscow for state visit"


# -- size ---------------------------------------------------------------------------------------------

def _long_member(i: int):
    """A member at the raw schema's limits: a 4,096-character title and URL in three-byte characters."""
    title = ("習近平抵達莫斯科進行國事訪問" * 300)[:4090] + str(i)
    url = "https://example.com/" + ("報道" * 2100)[:4070] + str(i)
    return _article(i, title, "新" * 250 + str(i), url)


def test_members_with_titles_and_urls_at_their_limits_keep_the_record_within_the_smallest_topic_limit():
    state, record = _build([_long_member(i) for i in range(120)])
    size = len(orjson.dumps(record))
    assert size < Settings(max_raw_bytes=1).message_max_bytes  # 1 MiB and a byte: whatever the setting
    assert len(orjson.dumps(state)) < Settings(max_raw_bytes=1).message_max_bytes
    assert len(orjson.dumps(record["articles"])) <= MAX_MEMBER_BYTES
    assert record["article_count"] == 120 and len(record["articles"]) < 120
    assert schema_errors("event", record) == []


def test_members_past_the_byte_budget_are_counted_and_recognised_on_redelivery():
    builder = EventBuilder()
    state, record = _build([_long_member(i) for i in range(60)], builder)
    listed = {a["id"] for a in record["articles"]}
    late = next(f"a{i}" for i in range(60) if f"a{i}" not in listed)
    assert builder.is_member(state, late)
    again, none = builder.apply(state, _long_member(int(late[1:])), {}, SimpleNamespace(
        event_id="evt_00000000000000dd", relation="exact", duplicate_of="a0", similarity=1.0), "t")
    assert none is None and again["version"] == state["version"]


def test_ordinary_members_are_all_listed_up_to_the_count_cap():
    state, record = _build([_article(i, "Xi Jinping arrives in Moscow for state visit", f"outlet-{i}",
                                     f"https://outlet-{i}.example.com/world/2023/03/20/xi-jinping-moscow")
                            for i in range(100)])
    assert len(record["articles"]) == 100
