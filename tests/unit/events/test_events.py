"""Unit tests of the event builder on the five seed articles (seeds/*.txt)."""
from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import orjson
import pytest

from pipeline.events import EventBuilder, article_facts
from schemas import schema_errors

SEEDS = Path(__file__).resolve().parents[3] / "seeds"
FURNITURE = re.compile(r"^(No time to read\?|Get a summary|Previous Article|Next Article)$")


def seed(prefix: str, published: str | None = None) -> dict:
    """A seed as the cleaning stage would hand it over: first line = title; furniture,
    teaser headlines after "Previous/Next Article" and citation markers removed."""
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    lines = path.read_text(encoding="utf-8").splitlines()
    body: list[str] = []
    for i, line in enumerate(lines[1:], start=1):
        if FURNITURE.match(line.strip()):
            continue
        if i >= 2 and any(lines[k].strip() in ("Previous Article", "Next Article") for k in range(max(1, i - 2), i)):
            continue  # the teaser headline that follows "Previous/Next Article"
        body.append(re.sub(r"\s*\[\d+(?:,\s*\d+)*\]", "", line))
    return {"id": f"seed-{prefix}", "source": f"outlet-{prefix}", "url": f"https://example.org/{prefix}",
            "canonical_url": None, "title": re.sub(r"\s*\[\d+(?:,\s*\d+)*\]", "", lines[0]),
            "text": "\n".join(body).strip(), "author": None, "published": published,
            "fetched_at": "2025-01-01T00:00:00Z", "site_name": None, "language": None, "flags": []}


def assign(event_id: str, relation: str = "new", duplicate_of=None, similarity=None):
    return SimpleNamespace(event_id=event_id, relation=relation, duplicate_of=duplicate_of, similarity=similarity)


def build(prefixes, event_id="evt_00000000000000aa", published=None):
    builder, state, record = EventBuilder(), None, None
    for i, p in enumerate(prefixes):
        a = seed(p, published)
        state, record = builder.apply(state, a, article_facts(a), assign(event_id, "new" if i == 0 else "story",
                                                                        similarity=None if i == 0 else 0.4),
                                      f"2025-01-01T00:00:0{i}Z")
    return builder, state, record


def names(record, kind):
    return [e["name"] for e in record["entities"][kind]]


def test_seed_event_001_002_003():
    _, state, rec = build(["001", "002", "003"])
    assert schema_errors("event", rec) == []
    assert rec["version"] == 3 and rec["article_count"] == 3
    people = names(rec, "people")
    assert people[:2] == ["Xi Jinping", "Vladimir Putin"] or people[:2] == ["Vladimir Putin", "Xi Jinping"]
    assert "Putin" not in people and "Xi" not in people
    assert {"Moscow", "Kremlin"} <= set(rec["where"])
    assert rec["when"]["value"] == "--03-20/--03-22"
    assert rec["when"]["precision"] == "day-no-year"
    assert rec["title"] == "Deepening Moscow-Beijing Cooperation: High-Level Talks in the Kremlin"
    assert "summary" not in rec["summary"].lower() and "time to read" not in rec["summary"].lower()
    texts = " ".join(seed(p)["text"] for p in ("001", "002", "003"))
    for sentence in re.split(r"(?<=\.) ", rec["summary"]):
        assert sentence in texts  # extractive: every sentence is verbatim from a member
    assert 2 <= len(re.findall(r"[.!?](?:\s|$)", rec["summary"])) <= 3
    assert rec["sources"] == ["outlet-001", "outlet-002", "outlet-003"]


def test_seed_event_000():
    _, _, rec = build(["000"])
    assert schema_errors("event", rec) == []
    people = names(rec, "people")
    assert "Dmitry Medvedev" in people and "Xi Jinping" in people
    medvedev = next(e for e in rec["entities"]["people"] if e["name"] == "Dmitry Medvedev")
    assert "Dmitri Medvedev" in medvedev["aliases"] and "Medvedev" in medvedev["aliases"]
    assert rec["where"][0] == "Beijing"
    assert rec["when"]["value"] == "--12-20/--12-21" and rec["when"]["precision"] == "day-no-year"


def test_seed_event_004():
    _, _, rec = build(["004"])
    assert schema_errors("event", rec) == []
    assert {"Vladimir Putin", "Xi Jinping", "Donald Trump"} <= set(names(rec, "people"))
    assert rec["where"][0] == "Beijing"
    assert rec["when"] is None  # "on Tuesday" and no publication date: no date is invented


def test_year_only_from_a_source():
    _, _, rec = build(["001", "002"], published="2023-03-21T09:00:00Z")
    assert rec["when"]["value"] == "2023-03-20/2023-03-22" and rec["when"]["precision"] == "day"
    _, _, rec = build(["001", "002"])
    assert "20" not in rec["when"]["value"][:2]  # no year at all


def test_a_date_without_a_year_far_from_publication_yields_to_the_publication_day():
    def record(text: str, published: str | None):
        a = {"id": "a1", "source": "s", "url": None, "canonical_url": None, "title": "Kidnapper sentenced to life",
             "text": text, "author": None, "published": published, "fetched_at": "2019-11-19T10:00:00Z",
             "site_name": None, "language": "en", "flags": []}
        return EventBuilder().apply(None, a, article_facts(a), assign("evt_00000000000000ab"), "2019-11-19T10:00:00Z")[1]

    sentencing = ("A federal jury convicted the man on Tuesday. He grabbed the girl on Saturday, May 18, as she "
                  "walked with her mother, and he was sentenced to life in prison this week.")
    # the kidnapping's day is six months before the report: the report's own day is the event's
    assert record(sentencing, "2019-11-19T08:00:00Z")["when"] == {
        "value": "2019-11-19", "start": "2019-11-19", "end": "2019-11-19", "precision": "day", "basis": "published"}
    # with no publication date the partial day is all there is, and no year is invented
    assert record(sentencing, None)["when"]["value"] == "--05-18"
    # a day near the publication date takes its year, as before
    assert record(sentencing.replace("May 18", "November 16"), "2019-11-19T08:00:00Z")["when"]["value"] == "2019-11-16"
    # a month alone, without a year, says less than the publication day too
    on_sale = "The new model goes on sale in January, the company said, at a price it did not give."
    assert record(on_sale, "2019-11-20T08:00:00Z")["when"]["basis"] == "published"
    assert record(on_sale, None)["when"]["value"] == "--01"


def test_a_record_does_not_show_a_common_word_the_tagger_took_for_a_place():
    text = ("Engineers at Google described the model in Nature on Wednesday, and the vote in Congress was "
            "put off. Protesters were killed in Senkata, outside La Paz, and later marched in Zurich.")
    a = {"id": "a1", "source": "s", "url": None, "canonical_url": None, "title": "Model described", "text": text,
         "author": None, "published": None, "fetched_at": "2019-11-19T10:00:00Z", "site_name": None,
         "language": "en", "flags": []}
    facts = article_facts(a)
    assert {"Google", "Congress"} <= set(facts["where"])  # the clustering still reads them
    rec = EventBuilder().apply(None, a, facts, assign("evt_00000000000000ac"), "2019-11-19T10:00:00Z")[1]
    shown = {e["name"] for e in rec["entities"]["places"]} | set(rec["where"])
    assert not {"Google", "Nature", "Congress"} & shown
    assert {"Senkata", "Zurich"} <= {e["name"] for e in rec["entities"]["places"]}


def test_a_record_lists_well_known_companies_that_the_clustering_does_not_read():
    text = ("Google said on Tuesday that it would buy the startup for an undisclosed sum. Microsoft and the "
            "Apple Inc. board are watching the market closely, analysts said; details are at google.com.")
    a = {"id": "a1", "source": "s", "url": None, "canonical_url": None, "title": "Google buys a startup",
         "text": text, "author": None, "published": None, "fetched_at": "2019-11-19T10:00:00Z",
         "site_name": None, "language": "en", "flags": []}
    facts = article_facts(a)
    assert not {"Google", "Microsoft"} & {name for name, *_ in facts["entities"]["organisations"]}
    rec = EventBuilder().apply(None, a, facts, assign("evt_00000000000000ad"), "2019-11-19T10:00:00Z")[1]
    orgs = {e["name"]: e["mentions"] for e in rec["entities"]["organisations"]}
    assert orgs["Google"] == 2 and orgs["Microsoft"] == 1  # the headline counts, the link does not
    assert "Apple Inc." in orgs and "Apple" not in orgs


def test_the_tail_of_a_cut_sentence_is_no_summary_sentence():
    facts = article_facts({"id": "a1", "source": "s", "title": "Actress shares new photos", "language": "en",
                           "text": "to her Instagram page to share some stunning photos of herself.\n"
                                   "The actress posted the pictures on Monday and thanked her fans for the support.\n"
                                   "eBay said the dress sold out within the hour after the photos appeared."})
    assert facts["lead"] == ["The actress posted the pictures on Monday and thanked her fans for the support.",
                             "eBay said the dress sold out within the hour after the photos appeared."]


def test_redelivery_changes_nothing():
    builder, state, rec = build(["001", "002"])
    a = seed("002")
    again, none = builder.apply(state, a, article_facts(a), assign(rec["event_id"], "story"), "2025-01-02T00:00:00Z")
    assert none is None and again is state
    assert builder.record(again) == rec


def test_version_grows_and_state_is_not_mutated():
    builder = EventBuilder()
    a, b = seed("001"), seed("002")
    s1, r1 = builder.apply(None, a, article_facts(a), assign("evt_00000000000000bb"), "2025-01-01T00:00:00Z")
    frozen = orjson.dumps(s1)
    s2, r2 = builder.apply(s1, b, article_facts(b), assign("evt_00000000000000bb", "near", "seed-001", 0.93),
                           "2025-01-01T00:01:00Z")
    assert orjson.dumps(s1) == frozen
    assert (r1["version"], r2["version"]) == (1, 2)
    assert r2["last_updated"] == "2025-01-01T00:01:00Z" and r2["first_seen"] == "2025-01-01T00:00:00Z"
    assert r2["articles"][1] == {"id": "seed-002", "url": "https://example.org/002", "source": "outlet-002",
                                 "title": b["title"], "published": None, "relation": "near",
                                 "duplicate_of": "seed-001", "similarity": 0.93}
    assert builder.record(s2) == r2
    assert orjson.loads(orjson.dumps(s2)) == s2  # JSON-able


def test_facts_accept_objects_and_dicts():
    a = seed("004")
    assert article_facts(a) == article_facts(SimpleNamespace(**a))
    assert orjson.loads(orjson.dumps(article_facts(a))) == article_facts(a)


def test_state_is_bounded():
    builder = EventBuilder(max_articles=50, max_seen=200)
    base = [seed(p) for p in ("000", "001", "002", "003", "004")]
    facts = [article_facts(a) for a in base]
    state = None
    for i in range(600):
        a = dict(base[i % 5], id=f"id-{i}", source=f"outlet-{i % 150}")
        state, rec = builder.apply(state, a, facts[i % 5], assign("evt_00000000000000cc", "story"), "2025-01-01T00:00:00Z")
    assert rec["article_count"] == 600 and rec["version"] == 600
    assert len(rec["articles"]) == 50 and len(state["seen"]) == 200
    assert len(state["reps"]) <= builder.max_reps
    assert len(orjson.dumps(state)) < 120_000
    assert schema_errors("event", rec) == []
    # an id still remembered is a redelivery
    again, none = builder.apply(state, {"id": "id-599", "source": "x"}, facts[0], assign("evt_00000000000000cc"), "t")
    assert none is None


@pytest.mark.parametrize("text,expected", [
    ("The visit ran from March 20 to 22 in Moscow.", [["--03-20", "--03-22", "day-no-year", 1, None]]),
    ("It happened on Dec. 7, 2009 in Houston.", [["2009-12-07", None, "day", 1, "text"]]),
    ("They met on 19 August.", [["--08-19", None, "day-no-year", 1, None]]),
    ("He was there from September 2010.", [["2010-09", None, "month", 1, "text"]]),
    ("Talks are set for December 30 to January 2.", [["--12-30", "--01-02", "day-no-year", 1, None]]),
])
def test_dates_stay_partial(text, expected):
    from pipeline.events.dates import mentions
    assert mentions(text) == expected


# A Chinese wire report and a Japanese one: sentences end in 。 with no space after them.
CHINESE_TITLE = "朱镕基会见欧盟代表团"
CHINESE = ["国务院总理朱镕基今天在北京人民大会堂会见了来访的欧洲联盟代表团，双方就经贸合作交换了意见。",
           "朱镕基表示，中方愿同欧盟加强在贸易、投资和科技领域的合作。",
           "欧盟代表团团长说：“欧方重视同中国的伙伴关系。”"]
JAPANESE = "東京で日中首脳会談が開かれた。両首脳は経済協力の拡大で一致した！次回は北京で開く予定だという。"


def test_chinese_and_japanese_sentences_make_the_lead_and_summary():
    from pipeline.events.text import split_sentences
    assert split_sentences("".join(CHINESE)) == CHINESE
    assert split_sentences(JAPANESE) == ["東京で日中首脳会談が開かれた。", "両首脳は経済協力の拡大で一致した！",
                                         "次回は北京で開く予定だという。"]
    assert split_sentences("He said “yes.” Then he left.") == ["He said “yes.”", "Then he left."]
    article = {"id": "zh-1", "source": "xinhua", "url": None, "canonical_url": None, "title": CHINESE_TITLE,
               "text": "".join(CHINESE) + "\n" + CHINESE[0], "published": None, "fetched_at": "2025-01-01T00:00:00Z",
               "language": "zh", "flags": []}
    facts = article_facts(article)
    assert facts["headline"] == CHINESE_TITLE and facts["lead"][:3] == CHINESE
    _, record = EventBuilder().apply(None, article, facts, assign("evt_00000000000000cc"), "2025-01-01T00:00:00Z")
    assert record["title"] == CHINESE_TITLE
    assert record["summary"].startswith(CHINESE[0] + CHINESE[1])   # joined without a space
    assert schema_errors("event", record) == []


def test_english_summaries_keep_the_space_after_a_closing_quote():
    from pipeline.events.builder import _join_sentences
    assert _join_sentences(["He said “we will stay.”", "Then he left."]) == "He said “we will stay.” Then he left."
    assert _join_sentences(["会见了代表团。", "双方交换了意见。"]) == "会见了代表团。双方交换了意见。"


@pytest.mark.parametrize("paragraph, expected", [
    ("Президент провёл переговоры в Пекине. Стороны обсудили торговлю. В. Путин вернётся в Москву.",
     ["Президент провёл переговоры в Пекине.", "Стороны обсудили торговлю.", "В. Путин вернётся в Москву."]),
    ("Ο πρωθυπουργός συναντήθηκε με τον πρόεδρο. Συζήτησαν για το εμπόριο.",
     ["Ο πρωθυπουργός συναντήθηκε με τον πρόεδρο.", "Συζήτησαν για το εμπόριο."]),
    ("प्रधानमंत्री ने आज दिल्ली में बैठक की। उन्होंने व्यापार पर चर्चा की।",
     ["प्रधानमंत्री ने आज दिल्ली में बैठक की।", "उन्होंने व्यापार पर चर्चा की।"]),
    ("وقال الرئيس إن المحادثات كانت مثمرة. وأضاف أن الجانبين اتفقا على التعاون؟ ثم غادر.",
     ["وقال الرئيس إن المحادثات كانت مثمرة.", "وأضاف أن الجانبين اتفقا على التعاون؟", "ثم غادر."]),
    ("Škoda won the tender. Łódź bid too. «Nobody expected it», he said. It was 5 p.m. and late.",
     ["Škoda won the tender.", "Łódź bid too.", "«Nobody expected it», he said.", "It was 5 p.m. and late."]),
    ('Mr. Smith met W. B. Yeats. He said "yes." (Then he left.) Done.',
     ["Mr. Smith met W. B. Yeats.", 'He said "yes."', "(Then he left.)", "Done."]),
])
def test_sentences_end_in_every_script(paragraph, expected):
    from pipeline.events.text import split_sentences
    assert split_sentences(paragraph) == expected


def test_russian_articles_get_a_lead_of_sentences():
    text = ("Президент России провёл переговоры в Пекине с председателем Китая в среду вечером. "
            "Стороны обсудили торговлю, энергетику и ситуацию в регионе в течение трёх часов. "
            "После встречи лидеры подписали совместное заявление о стратегическом партнёрстве.")
    facts = article_facts({"title": "Переговоры в Пекине", "text": text, "language": "ru"})
    assert facts["lead"] == [
        "Президент России провёл переговоры в Пекине с председателем Китая в среду вечером.",
        "Стороны обсудили торговлю, энергетику и ситуацию в регионе в течение трёх часов.",
        "После встречи лидеры подписали совместное заявление о стратегическом партнёрстве."]


def test_keywords_in_the_article_language_without_links_or_stop_words():
    italian = ("Il black friday incombe su di noi: sconti e offerte speciali per gli appassionati di videogiochi. "
               "Le offerte della settimana riguardano anche la versione originale rimasterizzata, acquistabile "
               "su http://amzn.to/2abc con sconti fino al cinquanta per cento. Gli sconti durano fino a lunedì.\n"
               "Altre offerte arrivano dagli Stati Uniti, dove la città di New York ospita la vendita.")
    words = [k for k, _ in article_facts({"title": "Black Friday", "text": italian, "language": "it"})["keywords"]]
    assert set(words[:2]) == {"sconti", "offerte"} and "lunedì" in words   # not ASCII, still a word
    assert not {"della", "anche", "http", "amzn", "fino"} & set(words)
    russian = ("Переговоры о торговле прошли в Пекине. Стороны обсудили пошлины, торговле мешают пошлины. "
               "Новые пошлины вступят в силу весной.")
    words = [k for k, _ in article_facts({"title": "Торговля", "text": russian, "language": "ru"})["keywords"]]
    assert words[0] == "пошлины" and "Пекине" not in words and "Стороны" not in words


def test_german_keywords_are_its_nouns_but_not_its_places():
    german = ("Auf der Strecke nach Donauwörth ist ein Regionalexpress gegen einen Bagger geprallt. Der Bagger "
              "stand nach Bauarbeiten im Gleis. Die Feuerwehr brachte die Verletzten nach Augsburg. "
              "Die Feuerwehr war mit hundert Kräften im Einsatz, die Strecke bleibt gesperrt.")
    words = [k for k, _ in article_facts({"title": "Zugunglück", "text": german, "language": "de"})["keywords"]]
    # German capitalises every noun: before, its keywords were the verbs ("geprallt", "gesperrt") alone
    assert set(words[:2]) == {"Bagger", "Feuerwehr"} and "Regionalexpress" in words
    assert not {"Augsburg", "Donauwörth", "Der", "Die", "Auf"} & set(words)


def test_german_entities_are_names_not_capitalised_nouns():
    rail = ("Bei einem schweren Zugunglück in der Nähe von Augsburg sind am Dienstag zwei Menschen ums Leben "
            "gekommen. Wie die Polizei mitteilte, war ein Regionalexpress der Bahn auf der Strecke nach Donauwörth "
            "mit einem Bagger zusammengestoßen. Die Staatsanwaltschaft Augsburg hat Ermittlungen aufgenommen. "
            "Warum der Bagger auf den Gleisen stand, ist noch unklar.")
    facts = article_facts({"title": "Zwei Tote bei Zugunglück nahe Augsburg", "text": rail, "language": "de"})
    # before: people "Staatsanwaltschaft Augsburg", organisations "Nähe von Augsburg", "Warum der Bagger"...
    assert facts["entities"]["people"] == [] and facts["entities"]["organisations"] == []
    assert [name for name, *_ in facts["entities"]["places"]] == ["Augsburg", "Donauwörth"]
    assert next(iter(facts["where"])) == "Augsburg"
    politics = ("Bundeskanzler Olaf Scholz hat am Dienstag den französischen Präsidenten Emmanuel Macron in Berlin "
                "empfangen. Scholz sagte, Deutschland und Frankreich stünden eng zusammen. Macron betonte, die "
                "Europäische Union müsse mehr tun. Auch die NATO war Thema.")
    facts = article_facts({"title": "Scholz empfängt Macron", "text": politics, "language": "de"})
    people = {name: aliases for name, _, aliases in facts["entities"]["people"]}
    assert people == {"Olaf Scholz": ["Scholz"], "Emmanuel Macron": ["Macron"]}
    assert [name for name, *_ in facts["entities"]["places"]] == ["Berlin"]   # not "Auch", a French town
    assert [name for name, *_ in facts["entities"]["organisations"]] == ["NATO"]


def test_japanese_and_korean_keywords_are_words_and_latin_names_stand_alone():
    japanese = ("先日、不正に改造したiPhoneを販売したとして、商標法違反の疑いで男性が逮捕されました。"
                "改造品の販売は商標権の侵害になります。消費者は改造に注意してください。")
    facts = article_facts({"title": "改造iPhoneの販売で逮捕", "text": japanese, "language": "ja"})
    words = [k for k, _ in facts["keywords"]]
    # before: whole clauses ("先日、不正に改造したiPhoneを販売したとして" and the like)
    assert {"改造", "販売"} <= set(words[:3]) and all(len(w) <= 12 for w in words)
    korean = ("MBC는 주말 드라마를 방송했다. MBC의 드라마는 시청률이 높았다. 배우 이유리는 드라마에서 주인공을 맡았다.")
    facts = article_facts({"title": "MBC 주말 드라마", "text": korean, "language": "ko"})
    assert [name for name, *_ in facts["entities"]["organisations"]] == ["MBC"]   # not "MBC는", "MBC의"
    words = [k for k, _ in facts["keywords"]]
    assert words[0] == "드라마" and "드라마를" not in words and "드라마는" not in words


def test_chinese_and_japanese_keyword_pairs_are_written_without_a_space():
    chinese = "北京会见欧盟代表团。北京会见欧盟代表团时，双方讨论了贸易问题。北京会见欧盟代表团的消息引起关注。"
    words = [k for k, _ in article_facts({"title": "北京会见欧盟代表团", "text": chinese, "language": "zh"})["keywords"]]
    assert "北京会见" in words and not any(" " in w for w in words)
    japanese = "東京タワーで式典が開かれた。東京タワーは夜に点灯した。多くの人が東京タワーを訪れた。"
    words = [k for k, _ in article_facts({"title": "式典", "text": japanese, "language": "ja"})["keywords"]]
    assert "東京タワー" in words and not any(" " in w for w in words)   # kanji run + katakana run
    korean = "국회 본회의가 열렸다. 국회 본회의에서 예산안이 통과됐다. 국회 본회의는 오후에 끝났다."
    words = [k for k, _ in article_facts({"title": "국회", "text": korean, "language": "ko"})["keywords"]]
    assert "국회 본회의" in words   # Korean writes its words apart


def test_latin_words_keep_their_space_between_them_in_unspaced_scripts():
    from pipeline.cjk import unspaced
    assert unspaced("北京 会见") == "北京会见"
    assert unspaced("App Store") == "App Store"
    assert unspaced("Apple 商標") == "Apple商標"


def test_keyword_pairs_are_adjacent_words():
    apart = article_facts({"title": "Aides", "text": "Former royal PR aides were blunt. " * 3, "language": "en"})
    assert "royal aides" not in dict(apart["keywords"])   # "PR" stands between them every time
    together = article_facts({"title": "Aides", "text": "Former royal aides were blunt. " * 3, "language": "en"})
    kw = dict(together["keywords"])
    assert kw["royal aides"] > kw["royal"]  # a pair that repeats weighs more than one of its words


def test_keywords_weigh_how_rarely_the_language_uses_a_word():
    text = ("The company said the console would ship later. The company said the console was late, and the "
            "company waited. Reviewers called the console's tagline odd.")
    words = [k for k, _ in article_facts({"title": "Launch", "text": text, "language": "en"})["keywords"]]
    # "company" is written as often as "console", but English uses it far more
    assert words.index("console") < words.index("company")
    # a rare word used once does not outrank the topic's word used three times
    assert words.index("console") < words.index("tagline")


@pytest.mark.parametrize("language, text, expected", [
    ("fr", "Le sommet s'est tenu le 5 décembre 2026 à Genève.", [["2026-12-05", None, "day", 1, "text"]]),
    ("fr", "Le 1er décembre, les ministres se sont réunis.", [["2026-12-01", None, "day", 1, "published"]]),
    ("de", "Der Gipfel fand am 5. November 2026 in Genf statt.", [["2026-11-05", None, "day", 1, "text"]]),
    ("es", "La cumbre se celebró el 5 de diciembre de 2026 en Ginebra.", [["2026-12-05", None, "day", 1, "text"]]),
    ("it", "Il vertice si è svolto a marzo 2025, non il 4 dicembre.", [["2025-03", None, "month", 1, "text"],
                                                                      ["2026-12-04", None, "day", 1, "published"]]),
    ("pt", "A cúpula foi realizada em 5 de dezembro de 2026.", [["2026-12-05", None, "day", 1, "text"]]),
    ("nl", "De top vond plaats op 5 december 2026.", [["2026-12-05", None, "day", 1, "text"]]),
    ("en", "The Mars rover woke on 5 Mai; in mars 2026 nothing.", []),   # other languages' names stay unread
])
def test_day_first_dates_in_other_languages(language, text, expected):
    from pipeline.events.dates import mentions
    assert mentions(text, "2026-12-06T09:00:00Z", language=language) == expected


def test_a_french_event_knows_when_it_happened():
    text = ("Les dirigeants européens se sont réunis le 5 décembre 2026 à Bruxelles pour un sommet sur l'énergie. "
            "Le sommet du 5 décembre 2026 a duré six heures, selon la présidence.")
    article = {"id": "fr-1", "source": "lemonde", "url": None, "canonical_url": None, "title": "Sommet à Bruxelles",
               "text": text, "published": "2026-12-06T08:00:00Z", "fetched_at": "2026-12-06T08:00:00Z",
               "language": "fr", "flags": []}
    _, record = EventBuilder().apply(None, article, article_facts(article), assign("evt_00000000000000dd"), "t")
    assert record["when"]["start"] == "2026-12-05"


@pytest.mark.parametrize("title, text", [
    (None, "Police dog wins award in Kent"),                       # a one-line brief, no full stop
    (None, "storm warning for the north coast tonight\nferries cancelled until noon"),
    ("Storm warning", "storm warning for the north coast tonight\nferries cancelled until noon"),
])
def test_an_event_without_headline_or_lead_sentence_shows_its_opening_words(title, text):
    article = {"id": "brief-1", "source": "wire", "url": None, "canonical_url": None, "title": title,
               "text": text, "published": None, "fetched_at": "2025-01-01T00:00:00Z", "language": "en",
               "flags": []}
    facts = article_facts(article)
    assert not facts["lead"]
    _, record = EventBuilder().apply(None, article, facts, assign("evt_00000000000000dd"), "2025-01-01T00:00:00Z")
    opening = " ".join(text.split())
    assert "evt_" not in record["title"] and "evt_" not in record["summary"]
    assert record["title"] == (title or opening)
    assert record["summary"] == opening
    assert schema_errors("event", record) == []
