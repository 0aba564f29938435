"""Unit tests for the story-clustering core (pure Python, no broker)."""
from __future__ import annotations

import random
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest

from pipeline.clustering import Assignment, ClusterDoc, ClusterParams, StoryClusterer
from pipeline.clustering.features import extract_dates

ROOT = Path(__file__).resolve().parents[3]
SEEDS = ROOT / "seeds"
FURNITURE = {"no time to read?", "get a summary", "previous article", "next article"}


def seed_doc(path: Path, **kw) -> ClusterDoc:
    lines = path.read_text(encoding="utf-8").splitlines()
    body = []
    for ln in lines[1:]:
        if ln.strip().lower() in FURNITURE:
            if ln.strip().lower() == "previous article":
                break  # the teaser headlines that follow are furniture too
            continue
        body.append(ln)
    return ClusterDoc(id=path.name[:3], title=lines[0], text="\n".join(body), source="seed", **kw)


@pytest.fixture(scope="module")
def params() -> ClusterParams:
    return ClusterParams.load()


@pytest.fixture(scope="module")
def seeds() -> list[ClusterDoc]:
    return [seed_doc(p) for p in sorted(SEEDS.glob("*.txt"))]


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


def test_dates_never_invent_a_year():
    assert extract_dates("on March 20 to 22") == [320, 321, 322]
    assert extract_dates("December 20–21, 2022") == [20221220, 20221221]
    assert extract_dates("no dates here, only Tuesday") == []


def test_cues_name_who_where_and_which_day():
    from pipeline.clustering import cues
    from pipeline.clustering.features import NOT_ENTITIES, h32
    text = ("Chargers tackle Jamal Williams was arrested in San Diego on Sunday. Williams was released. "
            "The team said Williams would play.")
    assert cues.weekdays(text) == [cues.code(cues.WEEKDAY, 7)]
    places = cues.lead_places(text, NOT_ENTITIES, h32)
    assert cues.code(cues.PLACE, h32("diego")) in places and all(cues.kind_of(c) == cues.PLACE for c in places)
    assert cues.persons(text, NOT_ENTITIES, h32) == [cues.code(cues.PERSON, h32("E:williams"))]
    # a word that follows "in"/"of" is a place or an organisation, never a person
    assert cues.persons("Talks in Kremlin. Grand Kremlin hall. The Kremlin said.", NOT_ENTITIES, h32) == []


def test_main_person_mismatch_is_a_feature(params):
    from pipeline.clustering.clusterer import CUE_FEATURE_NAMES, cue_features
    from pipeline.clustering.features import extract
    from pipeline.clustering.records import EventRec
    a = extract("", "Jamal Williams was arrested on Sunday. Williams plays for the Chargers.", None, None, None,
                params.idf, params)
    b = extract("", "Vincent Jackson was arrested on Tuesday. Jackson plays for the Chargers.", None, None, None,
                params.idf, params)
    e = EventRec.__new__(EventRec)
    e.ent_h, e.cue_c, e.cue_n = b.ent_h, b.cues, np.ones(b.cues.size, np.uint16)
    x = dict(zip(CUE_FEATURE_NAMES, cue_features(a, e)))
    assert x["weekday_conflict"] == 1.0 and x["person_art_missing"] == 1.0 and x["person_evt_missing"] == 1.0


def _reference_scan(text, words, ents, years, w, cm):
    """The plain per-token pass that features._scan must reproduce (same keys, order and sums)."""
    from pipeline.clustering.features import _NUM_E, _PUNCT, NOT_ENTITIES, STOPWORDS, TOK, YEAR_RE
    seq, ss = [], True
    for t in TOK.findall(text):
        c = t[0]
        if c in _PUNCT:
            ss = True
            continue
        low = t.lower()
        if c.isdigit():
            if len(t) == 4 and YEAR_RE.fullmatch(t):
                years[t] += 1
            elif len(low) >= 2:
                ents[_NUM_E + low] += w
            ss = False
            continue
        cap = c.isupper()
        if cap and not ss:
            cm.add(low)
        seq.append((low, cap, ss))
        ss = False
    for low, cap, s in seq:
        if low in STOPWORDS or len(low) < 2:
            continue
        if cap and (not s or low in cm) and low not in NOT_ENTITIES:
            ents[low] += w
        elif len(low) > 2:
            words[low] += w


def test_fast_scan_and_date_hints_match_the_plain_pass(seeds):
    from collections import Counter
    from pipeline.clustering.features import DateHints, _month_near_number, _scan
    texts = [(d.title, d.text) for d in seeds] + [("Talks on 20-22 March", "On 2013-05-12, 14/09/2013 and Dec. 3rd.")]
    for title, body in texts:
        fast, ref = [Counter(), Counter(), Counter()], [Counter(), Counter(), Counter()]
        cm_fast, cm_ref = set(), set()
        terms, hyphen = _scan(body, *fast, 1.0, cm_fast)
        _scan(title, *fast, 1.0, cm_fast)
        _reference_scan(body, *ref, 1.0, cm_ref)
        _reference_scan(title, *ref, 1.0, cm_ref)
        for a, b in zip(fast, ref):
            assert list(a.items()) == list(b.items())
        full = title + "\n" + body
        lows = [t.lower() for t in _scan(title, Counter(), Counter(), Counter(), 1.0, set())[0]] + [t.lower() for t in terms]
        assert extract_dates(full, DateHints(_month_near_number(lows), hyphen or "-" in title)) == extract_dates(full)


def _facts(people=(), where=(), orgs=()):
    return {"entities": {"people": [[n, c, []] for n, c in people], "places": [],
                         "organisations": [[n, c, []] for n, c in orgs]},
            "where": dict(where)}


def test_fact_cues_key_people_by_surname_and_keep_places_and_orgs():
    from pipeline.clustering import cues
    from pipeline.clustering.features import h32
    got = cues.fact_cues(_facts([("Lindsay Lohan", 3)], [("Malibu", 2.0)], [("LAPD", 1)]), h32)
    assert got == [cues.fact_code(cues.FACT_PERSON, h32("lohan")), cues.fact_code(cues.FACT_PLACE, h32("malibu")),
                   cues.fact_code(cues.FACT_ORG, h32("lapd"))]
    assert all(c >> 30 == cues.FACT for c in got)  # never mistaken for weekday/place/person cues
    assert cues.fact_cues(None, h32) == [] and cues.fact_cues({}, h32) == []


def test_fact_features_agree_and_conflict(params):
    from pipeline.clustering.clusterer import FACT_FEATURE_NAMES, _facts_agree, FEATURE_NAMES, fact_features
    from pipeline.clustering.features import extract
    from pipeline.clustering.records import EventRec
    text = "A fire broke out. Firefighters came."
    same = extract("", text, None, None, None, params.idf, params, _facts([("Ann Lee", 2)], [("Oslo", 3.0)]))
    other = extract("", text, None, None, None, params.idf, params, _facts([("Bo Kim", 2)], [("Rome", 3.0)]))
    e = EventRec.__new__(EventRec)
    e.cue_c, e.cue_n = same.cues, np.ones(same.cues.size, np.uint16)
    x = dict(zip(FACT_FEATURE_NAMES, fact_features(same, e)))
    assert x["fact_people_match"] == 1.0 and x["fact_place_match"] == 1.0 and x["fact_people_conflict"] == 0.0
    y = dict(zip(FACT_FEATURE_NAMES, fact_features(other, e)))
    assert y["fact_people_conflict"] == 1.0 and y["fact_place_conflict"] == 1.0 and y["fact_people_match"] == 0.0
    full = [0.0] * len(FEATURE_NAMES)
    full[-len(FACT_FEATURE_NAMES):] = fact_features(same, e)
    assert _facts_agree(full)
    full[-len(FACT_FEATURE_NAMES):] = fact_features(other, e)
    assert not _facts_agree(full)


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


def test_fast_regex_forms_match_the_plain_patterns():
    """The cue and date regexes open with a character class for speed; they must find exactly what
    the plain "\\b..." forms find (same spans, same groups)."""
    import re

    from pipeline.clustering import cues
    from pipeline.clustering import features as F
    cap = cues._CAP
    plain = {
        cues.PLACE_RE: r"\b(?:[Ii]n|[Aa]t|[Ff]rom|[Nn]ear|[Oo]utside)\s+(?:the\s+)?(" + cap + r"(?:[ \t]+" + cap + r"){0,3})",
        cues.PLACEISH_RE: r"\b(?:[Ii]n|[Aa]t|[Oo]f|[Tt]o|[Ff]rom|[Ii]nto|[Aa]cross)\s+(?:the\s+)?(" + cap + r")",
        cues.NAME_RE: r"\b(" + cap + r")[ \t]+(?:[A-Z]\.[ \t]*)?(" + cap + r")\b",
        F.DATE_DM: r"\b(\d{1,2})(?:st|nd|rd|th)?" + F._RANGE + r"\s+(?:of\s+)?" + F._MONTH_RE + r"\b" + F._YEAR,
        F.LEAD_YEAR_RE: r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)",
    }
    texts = [
        "Vladimir V. Putin met Xi Jinping in Beijing, at the Grand Kremlin Palace, from New Zealand.",
        "in Jean-to Smith at the O'Neil into Into X from the From Y near Near Z outside Outside Q",
        "xSmith Smith's 'In Foo' éIn Bar A B.C D E Jan J. Doe, ÀB Cd inIn Rome Across the Andes",
        "On 20 March 2013, 21st of December, 1-3 feb. 2014, a1 june x_2 may ²3 june 123 may 12june",
        "1999 2000x 12000 a1999 _2001 2049 2050 1949 1950 x20011 ٢2010 (1987) 2004-2005",
    ]
    for fast, src in plain.items():
        slow = re.compile(src)
        for t in texts + [t.lower() for t in texts]:
            assert [(m.span(), m.groups()) for m in fast.finditer(t)] == \
                   [(m.span(), m.groups()) for m in slow.finditer(t)], (src, t)


def test_ascii_tokeniser_matches_the_unicode_one_on_ascii_text(seeds):
    """_scan tokenises ASCII text with an re.ASCII twin of TOK; on ASCII text both must agree."""
    from pipeline.clustering import features as F
    texts = ["".join(map(chr, range(128))) * 2 + " Ab Cd x_Y 12Ab Ab_Cd Ab'Cd 3.5 1,000-2 4.x 5,,6 2013-05-12"]
    texts += [d.title + "\n" + d.text for d in seeds if (d.title + d.text).isascii()]
    for t in texts:
        assert t.isascii()
        assert F._TOK_ASCII.findall(t) == F.TOK.findall(t)


def test_weekdays_from_token_names_match_the_regex():
    """weekdays(text, named) searches only the weekday names among the tokens (ASCII text); it must
    give what the case-insensitive WEEKDAY_RE gives."""
    from pipeline.clustering import cues
    from pipeline.clustering import features as F
    texts = ["On Monday.TUESDAY and wednesday_ or 2thursday, Friday's Saturdays sunday",
             "xmonday mondayx Monday1 (Sunday) SUNDAY-sunday", "no day here", "Frißday Monday"]
    for t in texts:
        named = F._WEEKDAY_NAMES.intersection(x.lower() for x in F.TOK.findall(t))
        plain = sorted({cues.code(cues.WEEKDAY, cues._WEEKDAYS.index(m.lower()) + 1)
                        for m in cues.WEEKDAY_RE.findall(t)})
        assert cues.weekdays(t, named) == plain == cues.weekdays(t), t


def _with_copies(docs: list[ClusterDoc]) -> list[ClusterDoc]:
    """The stream plus a near copy (last paragraph dropped) of every fourth article, so LSH buckets hit."""
    out = []
    for i, d in enumerate(docs):
        out.append(d)
        if i % 4 == 0:
            text = "\n".join(d.text.split("\n")[:-1]) + "\nA line added by the copy."
            out.append(ClusterDoc(id=d.id + "c", title=d.title, text=text, source="copy", published=d.published))
    return out


def test_folded_lsh_keys_stay_exact(params, monkeypatch):
    """Bucket keys are folds of the band values; with 2-bit folds every bucket mixes bands, and the
    check against the stored MinHash must still give exactly the unfolded assignments."""
    from pipeline.clustering import clusterer
    docs = _with_copies(_stream(60, seed=5))
    c = StoryClusterer(params, {})
    expected = [c.assign(d) for d in docs]
    assert any(a.relation == "near" for a in expected)
    monkeypatch.setattr(clusterer, "_FOLD30", np.uint64(3))
    c2 = StoryClusterer(params, {})
    assert [c2.assign(d) for d in docs] == expected
    assert len(c2._bkt) <= 4


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


def test_matching_date_lifts_the_who_where_veto(params, monkeypatch):
    """A long article whose word cosine to an event is under min_word_cos and whose lead place
    conflicts is vetoed, unless a named day-level date agrees with the event's (date_match)."""
    from pipeline.clustering import clusterer as cl
    from pipeline.clustering.features import Features

    p = params.replace(story_threshold=0.5, second_chance=0.0, weights=[0.0] * len(cl.FEATURE_NAMES), bias=5.0)
    c = StoryClusterer(p, {})
    f = Features.__new__(Features)
    f.wf_h = np.arange(p.long_words + 10, dtype=np.uint32)  # a long article
    x = [0.0] * len(cl.FEATURE_NAMES)
    x[0] = p.min_word_cos / 2
    x[cl.FEATURE_NAMES.index("place_conflict")] = 1.0
    monkeypatch.setattr(c, "event_candidates", lambda f, recs: [("evt_x", list(x))])
    assert c._best_event(f, None) is None
    x[cl.FEATURE_NAMES.index("date_match")] = 1.0
    assert c._best_event(f, None)[1] == "evt_x"
