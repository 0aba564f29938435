"""Unit tests for the story-clustering core (pure Python, no broker)."""
from __future__ import annotations

import math
import random
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest

from pipeline.clustering import Assignment, ClusterDoc, StoryClusterer

SEEDS = Path(__file__).resolve().parents[3] / "seeds"


def groups(assignments: dict[str, Assignment]) -> set[frozenset]:
    by: dict[str, set] = {}
    for k, a in assignments.items():
        by.setdefault(a.event_id, set()).add(k)
    return {frozenset(v) for v in by.values()}


def test_seeds_group_into_three_events(params, seeds):
    c = StoryClusterer(params)
    out = {d.id: c.assign(d) for d in seeds}
    assert groups(out) == {frozenset({"001", "002", "003"}), frozenset({"000"}), frozenset({"004"})}
    assert c.event_count() == 3 and c.window_size() == 5


def test_event_id_format_and_first_article(params, seeds):
    c = StoryClusterer(params)
    a = c.assign(seeds[0])
    assert a.relation == "new" and re.fullmatch(r"evt_[0-9a-f]{16}", a.event_id)
    # derived from the first article's id only
    assert StoryClusterer(params).assign(ClusterDoc(id=seeds[0].id, title="x", text="other")).event_id == a.event_id


def test_exact_duplicate(params, seeds):
    c = StoryClusterer(params)
    first = c.assign(seeds[1])
    dup = ClusterDoc(id="copy-1", title="Another headline", text=seeds[1].text, source="elsewhere")
    a = c.assign(dup)
    assert (a.relation, a.duplicate_of, a.event_id) == ("exact", seeds[1].id, first.event_id)


def test_same_canonical_url_is_exact(params, seeds):
    c = StoryClusterer(params)
    c.assign(ClusterDoc(id="u1", title="t", text=seeds[0].text, canonical_url="https://www.example.com/a/b/?utm_source=x"))
    a = c.assign(ClusterDoc(id="u2", title="t", text=seeds[4].text, canonical_url="http://example.com/a/b"))
    assert a.relation == "exact" and a.duplicate_of == "u1"


def test_near_duplicate(params, seeds):
    c = StoryClusterer(params)
    first = c.assign(seeds[2])
    words = seeds[2].text.split()
    rng = random.Random(7)
    for i in rng.sample(range(len(words)), 4):
        words[i] = "changed"
    text = "Home | World | Politics\nSubscribe to our newsletter\n" + " ".join(words) + \
        "\nShare this article\nCopyright 2024 Some Outlet. All rights reserved."
    a = c.assign(ClusterDoc(id="near-1", title=seeds[2].title + " - Outlet", text=text, source="outlet"))
    assert a.relation == "near" and a.duplicate_of == seeds[2].id and a.event_id == first.event_id
    assert a.similarity is not None and a.similarity >= params.near_threshold


# A wire template reused for each meeting: the same words, another date.
TEMPLATE = ("President Emmanuel Macron received German Chancellor Olaf Scholz in Paris on {day} for a Franco-German "
            "summit on energy and defence. The two leaders talked for several hours at the Elysee Palace. {extra} "
            "According to the presidency, the talks covered electricity prices, the European grid and joint arms "
            "orders. A joint declaration is due to be published in the coming days.")


def _summit(aid: str, day: str, published: str | None, extra: str) -> ClusterDoc:
    return ClusterDoc(id=aid, title="Franco-German summit in Paris", text=TEMPLATE.format(day=day, extra=extra),
                      source=aid, published=published)


def test_a_reused_template_is_a_near_copy_only_of_the_same_meeting(params):
    c = StoryClusterer(params)
    march = c.assign(_summit("m1", "March 12, 2026", "2026-03-12T18:00:00Z", "The meeting was called difficult."))
    copy = c.assign(_summit("m2", "March 12, 2026", "2026-03-12T20:00:00Z", "Defence ministers were present."))
    assert (copy.relation, copy.event_id) == ("near", march.event_id)
    # months later: the same template, published outside the event's time gap
    november = c.assign(_summit("n1", "November 5, 2026", "2026-11-05T18:00:00Z", "The meeting was called constructive."))
    assert november.relation == "new" and november.event_id != march.event_id
    # no publication time, and days three weeks apart in the texts: not a copy of that report (the
    # story score, which weighs the dates against the words, decides where it goes)
    undated = c.assign(_summit("n2", "November 26, 2026", None, "Finance ministers were present."))
    assert undated.relation in ("new", "story")
    # a copy naming the same day is a near copy, with or without a publication time
    same_day = c.assign(_summit("n3", "November 5, 2026", None, "Energy ministers were present."))
    assert (same_day.relation, same_day.event_id) == ("near", november.event_id)


def test_redelivery_is_idempotent(params, seeds):
    store: dict = {}
    c = StoryClusterer(params, store)
    first = [c.assign(d) for d in seeds]
    snapshot = dict(store)
    again = [c.assign(d) for d in seeds]
    assert again == first
    assert store == snapshot
    assert c.window_size() == 5


def _stream(n: int = 80, seed: int = 3):
    """Articles recombined from seed paragraphs, with names swapped and times over ~3 weeks."""
    rng = random.Random(seed)
    paras = [p for s in sorted(SEEDS.glob("*.txt")) for p in s.read_text(encoding="utf-8").splitlines()[1:]
             if len(p.split()) > 25]
    names = ["Lula", "Modi", "Macron", "Erdogan", "Scholz", "Ramaphosa", "Kishida", "Albanese"]
    t0 = datetime(2024, 3, 1, tzinfo=timezone.utc)
    docs = []
    for i in range(n):
        k = rng.randrange(len(paras) - 2)
        name = names[(k + i // 7) % len(names)]
        text = "\n".join(paras[k:k + 3]).replace("Xi Jinping", name).replace("Putin", name + " Jr")
        t = t0 + timedelta(hours=6 * i + rng.randrange(-12, 12))
        docs.append(ClusterDoc(id=f"s{i:03d}", title=f"{name} story {i % 5}", text=text, source="syn",
                               published=t.isoformat()))
    return docs


def test_restore_equivalence(params):
    # ten recent arrivals kept whatever their time: the restored clusterer must keep the same ones
    p = params.replace(window_seconds=5 * 24 * 3600.0, recent_kept=10)
    docs = _stream()
    full = StoryClusterer(p, {})
    expected = [full.assign(d) for d in docs]
    assert any(a.evicted for a in expected), "the stream must exercise eviction"
    store: dict = {}
    first = StoryClusterer(p, store)
    got = [first.assign(d) for d in docs[:45]]
    del first
    restored = StoryClusterer.restore(p, dict(store))  # only the store survives
    got += [restored.assign(d) for d in docs[45:]]
    assert got == expected
    assert restored.window_size() == full.window_size() and restored.event_count() == full.event_count()
    assert restored.store == full.store


def test_determinism(params):
    docs = _stream(50, seed=11)
    a = [StoryClusterer(params, {}).assign(d) for d in docs[:1]]
    r1 = [x for c in [StoryClusterer(params, {})] for x in (c.assign(d) for d in docs)]
    r2 = [x for c in [StoryClusterer(params, {})] for x in (c.assign(d) for d in docs)]
    assert r1 == r2 and a[0] == r1[0]


def test_time_window_eviction(params, seeds):
    p = params.replace(window_seconds=3 * 24 * 3600.0, recent_kept=0)
    store: dict = {}
    c = StoryClusterer(p, store)
    a0 = c.assign(ClusterDoc(id="old", title=seeds[0].title, text=seeds[0].text, published="2024-01-01T10:00:00Z"))
    c.assign(ClusterDoc(id="mid", title=seeds[4].title, text=seeds[4].text, published="2024-01-02T10:00:00Z"))
    assert c.window_size() == 2
    a2 = c.assign(ClusterDoc(id="late", title=seeds[1].title, text=seeds[1].text, published="2024-01-05T10:00:00Z"))
    assert a2.evicted == [a0.event_id]
    assert c.window_size() == 2 and "a:old" not in store and f"e:{a0.event_id}" not in store
    # an evicted article's redelivery is treated as new input, not as a stored result
    assert c.assign(ClusterDoc(id="late", title="x", text="y")) == a2


FLOOD = ("Floods close the main bridge in Porto Alegre",
         "Floods closed the main bridge in Porto Alegre on Tuesday after three days of heavy rain, the city's civil "
         "defence said. Rescue teams evacuated 300 residents from the riverside districts overnight, and schools in "
         "the south of the city will stay shut until Friday while engineers inspect the structure.")


def test_an_article_resent_after_its_event_left_the_window_starts_an_event_under_another_id(params, seeds):
    """The event id comes from its first article's id: re-sent after eviction, that article started
    the same id again at version 1, under the record consumers keep at a higher version."""
    p = params.replace(window_seconds=3 * 24 * 3600.0, recent_kept=0)
    c = StoryClusterer(p, {})
    first = c.assign(ClusterDoc(id="old", title=seeds[0].title, text=seeds[0].text, published="2024-01-01T10:00:00Z"))
    late = c.assign(ClusterDoc(id="late", title=FLOOD[0], text=FLOOD[1], published="2024-01-05T10:00:00Z"))
    assert late.evicted == [first.event_id]
    again = c.assign(ClusterDoc(id="old", title=seeds[0].title, text=seeds[0].text, published="2024-01-06T10:00:00Z"))
    assert again.relation == "new" and again.event_id not in (first.event_id, late.event_id)
    # the same on a restart from the store, and in a fresh replay of the same stream: ids stay derived
    replay = StoryClusterer(p, {})
    for doc_id, (title, text), when in (("old", (seeds[0].title, seeds[0].text), "01"), ("late", FLOOD, "05"),
                                         ("old", (seeds[0].title, seeds[0].text), "06")):
        last = replay.assign(ClusterDoc(id=doc_id, title=title, text=text, published=f"2024-01-{when}T10:00:00Z"))
    assert last.event_id == again.event_id
    # a restored clusterer remembers the retired id too
    restored = StoryClusterer.restore(p, {k: v for k, v in c.store.items() if not k.startswith(("a:old", "e:" + again.event_id))})
    assert restored._fresh_event_id("old") == again.event_id


def test_the_memory_of_retired_event_ids_is_bounded(params, seeds, monkeypatch):
    from pipeline.clustering import clusterer as module

    monkeypatch.setattr(module, "RETIRED_KEPT", 3)
    c = StoryClusterer(params, {})
    for n in range(10):
        c._retire(f"evt_{n}")
    assert sorted(k for k in c.store if k.startswith("r:")) == ["r:evt_7", "r:evt_8", "r:evt_9"]
    assert sum(1 for k in c.store if k.startswith("rs:")) == 3


def test_recent_arrivals_survive_out_of_order_times(params, seeds):
    """A replay whose publication times jump back and forth keeps its recent arrivals: an old-dated
    article still finds its copy after a newer time has moved the watermark on."""
    def docs(p):
        c = StoryClusterer(p, {})
        c.assign(ClusterDoc(id="new1", title=seeds[0].title, text=seeds[0].text, published="2024-06-01T10:00:00Z"))
        old = c.assign(ClusterDoc(id="old", title=seeds[4].title, text=seeds[4].text, published="2015-03-01T10:00:00Z"))
        c.assign(ClusterDoc(id="new2", title=seeds[1].title, text=seeds[1].text, published="2024-06-02T10:00:00Z"))
        copy = c.assign(ClusterDoc(id="copy", title=seeds[4].title, text=seeds[4].text, published="2015-03-01T11:00:00Z"))
        return old, copy, c

    old, copy, c = docs(params)
    assert (copy.relation, copy.duplicate_of, copy.event_id) == ("exact", "old", old.event_id)
    assert c.window_size() == 4
    # with no recent arrivals kept, the time window alone decides: the old article is gone
    old, copy, c = docs(params.replace(recent_kept=0))
    assert copy.relation == "new" and copy.event_id != old.event_id
    assert "a:old" not in c.store and c.window_size() == 3


def test_count_window_without_times(params, seeds):
    p = params.replace(max_articles=3)
    store: dict = {}
    c = StoryClusterer(p, store)
    out = [c.assign(d) for d in seeds]
    assert c.window_size() == 3
    assert sorted(k for k in store if k.startswith("a:")) == ["a:002", "a:003", "a:004"]
    created = {a.event_id for a in out}
    evicted = [e for a in out for e in a.evicted]
    assert len(evicted) == len(set(evicted)) and set(evicted) <= created
    assert len(created) - len(evicted) == c.event_count() == sum(1 for k in store if k.startswith("e:"))


def test_publication_dates_months_apart_do_not_merge(params, seeds):
    c = StoryClusterer(params)
    a = c.assign(ClusterDoc(id="x1", title=seeds[1].title, text=seeds[1].text, published="2023-03-21T08:00:00Z"))
    b = c.assign(ClusterDoc(id="x2", title=seeds[2].title, text=seeds[2].text, published="2023-09-21T08:00:00Z"))
    assert b.event_id != a.event_id


@pytest.mark.parametrize("first, months_later, next_day", [
    ("Tue, 21 Mar 2023 08:00:00 GMT", "Thu, 21 Sep 2023 08:00:00 GMT", "Wed, 22 Mar 2023 08:00:00 GMT"),  # RSS
    ("March 21, 2023", "September 21, 2023", "March 22, 2023"),
])
def test_publication_times_in_any_form_gate_stories(params, seeds, first, months_later, next_day):
    # ClusterDocs straight from a labelled file, not through the cleaning that normalises times
    for second, same in ((months_later, False), (next_day, True)):
        c = StoryClusterer(params)
        a = c.assign(ClusterDoc(id="x1", title=seeds[1].title, text=seeds[1].text, published=first))
        b = c.assign(ClusterDoc(id="x2", title=seeds[2].title, text=seeds[2].text, published=second))
        assert (b.event_id == a.event_id) is same, (second, b)


def test_assign_uses_given_facts_or_computes_the_same(params):
    """A ClusterDoc with the stage's facts and one without (facts computed inside) decide alike."""
    from pipeline.clustering.clusterer import facts_for
    from pipeline.clustering import ClusterDoc, StoryClusterer
    docs = [ClusterDoc(id=f"d{i}", title=f"Storm hits Oslo {i}", text="Ann Lee said the storm hit Oslo on Monday. "
                       "Lee said roads in Oslo were closed.") for i in range(3)]
    with_facts = StoryClusterer(params, {})
    without = StoryClusterer(params, {})
    for d in docs:
        given = ClusterDoc(**{**d.__dict__, "facts": facts_for(d)})
        assert with_facts.assign(given) == without.assign(d)
    assert with_facts.store == without.store


def _with_copies(docs: list[ClusterDoc]) -> list[ClusterDoc]:
    """The stream plus a near copy (last paragraph dropped) of every fourth article, so LSH buckets hit."""
    out = []
    for i, d in enumerate(docs):
        out.append(d)
        if i % 4 == 0:
            text = "\n".join(d.text.split("\n")[:-1]) + "\nA line added by the copy."
            out.append(ClusterDoc(id=d.id + "c", title=d.title, text=text, source="copy", published=d.published))
    return out


def test_band_table_crowded_into_one_run_gives_the_same_assignments(params, monkeypatch):
    """Band values pick their home slot by their low bits; with 2 of them every band of the window
    starts from slot 0, and the members found (whole band values compared) must stay the same."""
    from pipeline.clustering import bands
    docs = _with_copies(_stream(60, seed=5))
    c = StoryClusterer(params, {})
    expected = [c.assign(d) for d in docs]
    assert any(a.relation == "near" for a in expected)
    monkeypatch.setattr(bands, "_LOW30", 3)
    c2 = StoryClusterer(params, {})
    assert [c2.assign(d) for d in docs] == expected


def _legacy_article(b: bytes) -> bytes:
    """An article record in the layout written before speed round 5 (fixed 66-byte header)."""
    import struct
    from pipeline.clustering.records import REL_CODES, ArticleRec
    r = ArticleRec.decode(b)
    nan = float("nan")
    dup = None if r.duplicate_of is None else r.duplicate_of.encode()
    hdr = struct.pack("<QddQQBdBBBBBHH", r.seq, nan if r.t is None else r.t, nan if r.t_eff is None else r.t_eff,
                      r.content_key, r.url_key, REL_CODES[r.relation], nan if r.similarity is None else r.similarity,
                      len(r.minhash), len(r.term_h), len(r.ent_h), len(r.dates), len(r.cues), len(r.evicted),
                      0xFFFF if dup is None else len(dup))
    parts = [hdr, bytes.fromhex(r.event_id[4:]), r.minhash.tobytes(), r.term_h.tobytes(), r.term_w.tobytes(),
             r.ent_h.tobytes(), r.ent_w.tobytes(), r.dates.tobytes(), r.cues.tobytes()]
    parts += [bytes.fromhex(e[4:]) for e in r.evicted] + ([dup] if dup else [])
    return b"".join(parts)


def test_legacy_article_records_still_restore(params):
    """A store written with the old fixed-header records restores and decides as one never stopped."""
    from pipeline.clustering.records import ArticleRec, CandidateSet, peek_event, peek_seq
    p = params.replace(window_seconds=5 * 24 * 3600.0)
    docs = _with_copies(_stream(60, seed=7))
    full = StoryClusterer(p, {})
    expected = [full.assign(d) for d in docs]
    store: dict = {}
    first = StoryClusterer(p, store)
    got = [first.assign(d) for d in docs[:40]]
    old = {k: (_legacy_article(v) if k.startswith("a:") else v) for k, v in store.items()}
    for k, v in store.items():
        if k.startswith("a:"):
            a, b = ArticleRec.decode(v), ArticleRec.decode(old[k])
            assert all(np.array_equal(getattr(a, s), getattr(b, s)) if isinstance(getattr(a, s), np.ndarray)
                       else getattr(a, s) == getattr(b, s) for s in ArticleRec.__slots__)
            assert (peek_seq(v), peek_event(v)) == (peek_seq(old[k]), peek_event(old[k]))
            x, y = CandidateSet([("x", v)]), CandidateSet([("x", old[k])])
            assert all(np.array_equal(getattr(x, s), getattr(y, s)) for s in CandidateSet.__slots__)
    restored = StoryClusterer.restore(p, old)
    got += [restored.assign(d) for d in docs[40:]]
    assert got == expected


def _one_long_candidate(params, monkeypatch, **overrides):
    """A long article whose word cosine to its one candidate event is under min_word_cos, with a
    lead-place conflict. -> (the clusterer, its decision as a function, the candidate's features by
    name, which the test changes between decisions). Zero weights and bias 5: the score alone
    would join."""
    from pipeline.clustering.features import Features
    from pipeline.clustering.scoring import FEATURE_NAMES

    p = params.replace(weights=[0.0] * len(FEATURE_NAMES), bias=5.0, **overrides)
    c = StoryClusterer(p, {})
    f = Features.__new__(Features)
    f.wf_h = np.arange(p.long_words + 10, dtype=np.uint32)
    f.uncased = False
    x = dict.fromkeys(FEATURE_NAMES, 0.0)
    x.update(cos_words=p.min_word_cos / 2, place_conflict=1.0)
    monkeypatch.setattr(c, "event_candidates", lambda f, recs: [("evt_x", [x[n] for n in FEATURE_NAMES])])

    def joined() -> str | None:
        best = c._best_event(f, None)
        return best and best[1]
    return c, joined, x


def test_matching_date_lifts_the_who_where_veto(params, monkeypatch):
    """A long article whose word cosine to an event is under min_word_cos and whose lead place
    conflicts is vetoed, unless a named day-level date agrees with the event's (date_match)."""
    _, joined, x = _one_long_candidate(params, monkeypatch, story_threshold=0.5, second_chance=0.0)
    assert joined() is None
    x["date_match"] = 1.0
    assert joined() == "evt_x"


def test_a_lead_place_conflict_vetoes_a_confident_join_only_when_no_tagged_place_is_shared(params, monkeypatch):
    """Two reports of one game may open in either team's city: a lead-place conflict vetoes a long
    article's confident join only when none of its tagged places is the event's. A main person
    missing on either side still vetoes it; a second chance, which already rests on the tagged
    names agreeing, keeps the whole veto."""
    c, joined, x = _one_long_candidate(params, monkeypatch, story_threshold=0.5, second_chance=0.2)
    x["fact_place_conflict"] = 1.0
    assert joined() is None
    x.update(fact_place_conflict=0.0, fact_place_match=1 / 3)
    assert joined() == "evt_x"
    for person in ("person_art_missing", "person_evt_missing"):
        x[person] = 1.0
        assert joined() is None
        x[person] = 0.0
    # below the threshold, within the second chance, tagged people and places agreeing
    x["fact_people_match"] = 1.0
    c.p = c.p.replace(bias=math.log(0.4 / 0.6))
    assert joined() is None
    x["place_conflict"] = 0.0
    assert joined() == "evt_x"


def test_near_copies_find_their_original_long_after_the_window_turned_over(params):
    """Candidates are looked up by arrival number and mapped back to ids; after more than a
    thousand evictions (the arrival queue compacts) each near copy still names its own original."""
    rng = random.Random(3)
    vocab = [f"w{i}" for i in range(3000)]
    p = params.replace(max_articles=150)
    c = StoryClusterer(p, {})
    texts = {}
    copies = 0
    for i in range(1400):
        if i >= 40 and i % 7 == 0:
            src = f"d{i - 30}"
            words = texts[src].split()
            words[5] = "changed"
            a = c.assign(ClusterDoc(id=f"c{i}", title="", text=" ".join(words)))
            assert (a.relation, a.duplicate_of) == ("near", src), i
            copies += 1
        else:
            texts[f"d{i}"] = " ".join(rng.choice(vocab) for _ in range(80)) + "."
            c.assign(ClusterDoc(id=f"d{i}", title="", text=texts[f"d{i}"]))
    assert copies > 150 and c.window_size() == 150


def test_an_eviction_changes_only_its_event_member_count(params, seeds):
    from pipeline.clustering.records import EventRec
    c = StoryClusterer(params.replace(max_articles=3), {})
    out = [c.assign(d) for d in seeds[:4]]  # 001-003 are one event; seed 000 is its own
    eid = out[1].event_id
    assert out[2].event_id == out[3].event_id == eid
    before = EventRec.decode(c.store[f"e:{eid}"])
    c.assign(seeds[4])  # evicts 001
    after = EventRec.decode(c.store[f"e:{eid}"])
    assert (before.n_alive, after.n_alive, after.n_total) == (3, 2, 3)
    before.n_alive = 2
    assert after.encode() == before.encode() == c.store[f"e:{eid}"]
