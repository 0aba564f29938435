"""BoilerplateMemory: per-source learned furniture; deterministic, idempotent, bounded, few writes."""
from __future__ import annotations

import copy

import orjson

from pipeline.cleaning import BoilerplateMemory, CleaningConfig, clean
from pipeline.cleaning.memory import line_key
from schemas.models import RawArticle

FURNITURE = "Download our app for breaking news alerts"
SIGNOFF = "Copyright Example Gazette Ltd 2024"  # already a rule: the memory must not be needed for it


TOWNS = ["Ashford", "Bexley", "Carlow", "Dunmore", "Elgin", "Fenwick", "Garston", "Hexham", "Ilford", "Jarrow",
         "Kelso", "Ludlow", "Marlow", "Nairn", "Oban", "Penrith", "Quorn", "Ripon", "Selby", "Thirsk"]


def body(i: int) -> str:
    # digits are masked in line keys, so the articles must differ in words, not only in numbers
    town, other = TOWNS[i % 20] + "ton" * (i // 20), TOWNS[(i * 7 + 3) % 20]
    return (f"Story about {town}\n"
            f"Paragraph one tells what happened in {town} yesterday, with details that nobody else "
            f"reported and quotes from several residents of {other} who saw it.\n"
            f"{FURNITURE}\n"
            f"Paragraph two explains why {town} matters, what the council of {other} said about it "
            f"and what is expected to happen next week when the inquiry opens.")


def run(memory: BoilerplateMemory, ids, source="gazette"):
    return [clean(RawArticle(id=f"a{i}", source=source, text=body(i)), memory=memory) for i in ids]


class CountingStore(dict):
    def __init__(self):
        super().__init__()
        self.writes = 0

    def __setitem__(self, key, value):
        self.writes += 1
        super().__setitem__(key, value)


def test_learned_after_n_distinct_articles_and_removed_from_later_ones():
    cfg = CleaningConfig(learned_min_articles=3)
    memory = BoilerplateMemory({}, cfg)
    arts = [clean(RawArticle(id=f"a{i}", source="gazette", text=body(i)), memory=memory, config=cfg)
            for i in range(6)]
    for art in arts[:3]:  # seen in 0, 1, 2 earlier articles: still kept
        assert FURNITURE in art.text
        assert "learned_boilerplate_removed" not in art.flags
    for art in arts[3:]:
        assert FURNITURE not in art.text
        assert "learned_boilerplate_removed" in art.flags
        assert "Paragraph one tells" in art.text and "Paragraph two explains" in art.text


def test_sources_do_not_share_furniture():
    cfg = CleaningConfig(learned_min_articles=2)
    memory = BoilerplateMemory({}, cfg)
    for i in range(4):
        clean(RawArticle(id=f"a{i}", source="gazette", text=body(i)), memory=memory, config=cfg)
    other = clean(RawArticle(id="b1", source="herald", text=body(99)), memory=memory, config=cfg)
    assert FURNITURE in other.text


def test_redelivery_is_not_counted_twice():
    cfg = CleaningConfig(learned_min_articles=3)
    memory = BoilerplateMemory({}, cfg)
    first = [clean(RawArticle(id="a0", source="gazette", text=body(0)), memory=memory, config=cfg)
             for _ in range(5)]  # the same article five times
    assert all(FURNITURE in art.text for art in first)
    assert memory.known("gazette")[line_key(FURNITURE)][0] == 1
    second = clean(RawArticle(id="a1", source="gazette", text=body(1)), memory=memory, config=cfg)
    assert FURNITURE in second.text  # two distinct articles only


def test_redelivered_article_gets_the_same_text():
    cfg = CleaningConfig(learned_min_articles=3)
    memory = BoilerplateMemory({}, cfg)
    arts = [clean(RawArticle(id=f"a{i}", source="gazette", text=body(i)), memory=memory, config=cfg)
            for i in range(3)]
    again = clean(RawArticle(id="a2", source="gazette", text=body(2)), memory=memory, config=cfg)
    assert again.text == arts[2].text


def test_redelivery_after_later_articles_comes_out_as_the_first_time():
    """A crash can persist the counts of articles after the redelivered one: they must not change it."""
    cfg = CleaningConfig(learned_min_articles=3)
    memory = BoilerplateMemory({}, cfg)
    arts = [clean(RawArticle(id=f"a{i}", source="gazette", text=body(i)), memory=memory, config=cfg)
            for i in range(6)]
    kept_then = clean(RawArticle(id="a1", source="gazette", text=body(1)), memory=memory, config=cfg)
    removed_then = clean(RawArticle(id="a4", source="gazette", text=body(4)), memory=memory, config=cfg)
    assert FURNITURE in kept_then.text and kept_then.text == arts[1].text  # learned since, yet kept
    assert FURNITURE not in removed_then.text and removed_then.text == arts[4].text


def test_deterministic_for_the_same_input_order():
    cfg = CleaningConfig(learned_min_articles=2, learned_max_lines=10)
    a, b = BoilerplateMemory({}, cfg), BoilerplateMemory({}, cfg)
    texts_a = [x.text for x in (clean(RawArticle(id=f"a{i}", source="g", text=body(i)), memory=a, config=cfg)
                                for i in range(12))]
    texts_b = [x.text for x in (clean(RawArticle(id=f"a{i}", source="g", text=body(i)), memory=b, config=cfg)
                                for i in range(12))]
    assert texts_a == texts_b
    assert orjson.dumps(a.store, option=orjson.OPT_SORT_KEYS) == orjson.dumps(b.store, option=orjson.OPT_SORT_KEYS)


def test_bounded_per_source_and_least_recent_evicted():
    cfg = CleaningConfig(learned_min_articles=3, learned_max_lines=6, learned_max_ids=5)
    memory = BoilerplateMemory({}, cfg)
    for i in range(40):
        clean(RawArticle(id=f"a{i}", source="g", text=body(i)), memory=memory, config=cfg)
    state = memory.store["g"]
    assert len(state["lines"]) <= 6 and len(state["ids"]) <= 5
    # the furniture recurs in every article, so it is never the least recent: it survives eviction
    assert line_key(FURNITURE) in state["lines"]
    assert state["lines"][line_key(FURNITURE)][0] == 40
    orjson.dumps(state)  # JSON-able, as a Faust table value must be


def test_at_most_one_store_write_per_article_and_none_on_redelivery():
    store = CountingStore()
    memory = BoilerplateMemory(store, CleaningConfig(learned_min_articles=2))
    for i in range(5):
        clean(RawArticle(id=f"a{i}", source="g", text=body(i)), memory=memory)
    assert store.writes == 5
    clean(RawArticle(id="a4", source="g", text=body(4)), memory=memory)
    assert store.writes == 5


def test_store_values_are_not_mutated_in_place():
    """A Faust table only sends a changelog message on assignment: the memory must assign."""
    store: dict = {}
    memory = BoilerplateMemory(store, CleaningConfig(learned_min_articles=2))
    run(memory, range(2))
    before = copy.deepcopy(store["gazette"])
    snapshot = store["gazette"]
    run(memory, [7])
    assert snapshot == before  # the old value object was left alone
    assert store["gazette"] != before


def test_learned_removal_never_takes_most_of_an_article():
    cfg = CleaningConfig(learned_min_articles=2, learned_max_removed_fraction=0.5, min_text_chars=20)
    memory = BoilerplateMemory({}, cfg)
    short_lines = ["Short line that recurs in every piece A", "Short line that recurs in every piece B",
                   "Short line that recurs in every piece C"]
    for i in range(4):
        clean(RawArticle(id=f"a{i}", source="g", title="T",
                         text="\n".join(short_lines + [f"Unique bit {TOWNS[i]} here."])), memory=memory, config=cfg)
    art = clean(RawArticle(id="z", source="g", title="T", text="\n".join(short_lines + ["Unique bit z here."])),
                memory=memory, config=cfg)
    assert "Short line that recurs in every piece A" in art.text


def test_long_paragraphs_are_never_learned():
    cfg = CleaningConfig(learned_min_articles=2)
    memory = BoilerplateMemory({}, cfg)
    paragraph = ("This long paragraph is repeated word for word in every article of the source, as a "
                 "standard description of the company that some wire services append to each release, "
                 "and it is longer than the learned_max_line_chars limit.")
    assert len(paragraph) > cfg.learned_max_line_chars
    for i in range(5):
        art = clean(RawArticle(id=f"a{i}", source="g", text=f"Title {i}\n{body(i)}\n{paragraph}"),
                    memory=memory, config=cfg)
    assert paragraph in art.text
