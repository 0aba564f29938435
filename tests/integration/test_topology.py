"""The whole topology on the real broker: seeds in, three events out; bad input dead-lettered."""
import re

import orjson
import pytest

from schemas import schema_errors

from ..conftest import SEEDS
from .conftest import latest_by_event, processed_ids, produce, raw_value, seed_values, topic_records, wait_for

pytestmark = pytest.mark.kafka

FURNITURE = re.compile(r"No time to read|Get a summary|Previous Article|Next Article|\[\d+(?:,\s*\d+)*\]")


def memberships(events: dict[str, dict]) -> set[frozenset[str]]:
    return {frozenset(a["id"].split("_")[0] for a in e["articles"]) for e in events.values()}


def test_seeds_become_three_events_without_furniture(settings, worker):
    produce(settings, seed_values(SEEDS))
    wait_for(lambda: len(processed_ids(settings)) >= 5, what="5 seeds processed")
    events = wait_for(lambda: (e := latest_by_event(settings)) and sum(x["article_count"] for x in e.values()) >= 5 and e,
                      what="events covering all five seeds")
    assert memberships(events) == {frozenset({"001", "002", "003"}), frozenset({"000"}), frozenset({"004"})}
    for event in events.values():
        assert schema_errors("event", event) == []
        assert not FURNITURE.search(orjson.dumps(event).decode()), event["event_id"]
    articles = topic_records(settings, settings.articles_topic)
    assert {a["relation"] for a in articles} <= {"new", "exact", "near", "story"}
    for article in articles:
        assert schema_errors("article", article) == []
        assert not FURNITURE.search(article["text"]) and not FURNITURE.search(article.get("title") or "")
    assert topic_records(settings, settings.deadletter_topic) == []


def test_malformed_message_is_dead_lettered_and_the_next_one_processed(settings, worker):
    flood = ("Flooding closed the main bridge in Porto Alegre on Tuesday, officials said. "
             "Rescue teams evacuated 300 residents from riverside districts overnight. ")
    produce(settings, [
        (b"wire", b"{this is not json"),
        (b"wire", orjson.dumps({"id": "no-body", "source": "wire"})),
        raw_value("bad-time", flood, fetched_at="yesterday"),
        raw_value("good-1", flood * 3, fetched_at="2026-03-01T10:30:00.5+02:00"),
    ])
    articles = wait_for(lambda: [a for a in topic_records(settings, settings.articles_topic) if a["id"] == "good-1"],
                        what="the good article after the bad ones")
    assert articles[0]["fetched_at"] == "2026-03-01T08:30:00.500Z"  # one UTC form downstream
    letters = wait_for(lambda: (d := topic_records(settings, settings.deadletter_topic)) and len(d) >= 3 and d,
                       what="three dead letters")
    reasons = {letter["reason"] for letter in letters}
    assert reasons == {"invalid_json", "schema"}
    for letter in letters:
        assert schema_errors("deadletter", letter) == []
        assert letter["detail"] and letter["payload"]
    assert any(letter["payload"] == "{this is not json" for letter in letters)
    bad_time = [letter for letter in letters if letter["id"] == "bad-time"]
    assert len(bad_time) == 1 and bad_time[0]["reason"] == "schema" and bad_time[0]["source"] == "wire"
    assert bad_time[0]["detail"].startswith("fetched_at: 'yesterday'")
    assert worker.alive()


def test_malformed_records_on_the_internal_topic_are_dead_lettered_too(settings, worker):
    """news.cleaned is internal, but anything with access can write to it: records that are not an
    article object (a list, a number for an id, bytes that are not JSON) become dead letters of the
    cluster stage, and the stream goes on."""
    produce(settings, [(b"en", b"[1, 2]"), (b"en", orjson.dumps({"id": 5, "source": 7, "text": 3})),
                       (b"en", b"\xff\xfe")], topic=settings.cleaned_topic)
    produce(settings, [raw_value("good-after-cleaned", "Storms cut power to 40,000 homes in Brittany on Sunday, "
                                 "the grid operator said. Crews restored most lines by the evening. " * 3)])
    wait_for(lambda: any(a["id"] == "good-after-cleaned" for a in topic_records(settings, settings.articles_topic)),
             what="the good article after the bad records")
    letters = wait_for(lambda: (d := topic_records(settings, settings.deadletter_topic)) and len(d) >= 3 and d,
                       what="three dead letters", workers=(worker,))
    assert len(letters) == 3 and {letter["stage"] for letter in letters} == {"cluster"}
    assert sorted(letter["reason"] for letter in letters) == ["invalid_json", "schema", "schema"]
    for letter in letters:
        assert schema_errors("deadletter", letter) == []
    assert worker.alive()


def test_another_article_under_a_used_id_is_dead_lettered_not_dropped(settings, worker):
    """Two files named story.txt in two folders share an id: the second text must come out as a dead
    letter with its reason (it used to be taken for a redelivery and vanish); the same message sent
    again is still a redelivery."""
    first = raw_value("story", "The central bank raised interest rates by half a point on Thursday, citing "
                      "stubborn inflation in services. Markets had expected the move. " * 3)
    other = raw_value("story", "A volcano erupted on the island overnight, sending ash into the sky and forcing "
                      "the evacuation of three villages, officials said. " * 3)
    produce(settings, [first])
    wait_for(lambda: any(a["id"] == "story" for a in topic_records(settings, settings.articles_topic)),
             what="the first article")
    produce(settings, [other, first])
    letters = wait_for(lambda: topic_records(settings, settings.deadletter_topic), what="a dead letter",
                       workers=(worker,))
    assert [(x["id"], x["stage"], x["reason"], x["source"]) for x in letters] == [
        ("story", "cluster", "duplicate_id", "wire")]
    assert "volcano" in orjson.loads(letters[0]["payload"])["text"]
    articles = wait_for(lambda: (a := topic_records(settings, settings.articles_topic)) and len(a) >= 2 and a,
                        what="the redelivered article again")
    assert {a["event_id"] for a in articles} == {articles[0]["event_id"]}
    assert all("central bank" in a["text"] for a in articles)
    # one article, whatever was redelivered: the relation counter does not count the resend again
    assert articles_counted(settings) == 1
    assert worker.alive()


def articles_counted(settings) -> float:
    from urllib.request import urlopen

    from prometheus_client.parser import text_string_to_metric_families

    text = urlopen(f"http://127.0.0.1:{settings.web_port}/metrics", timeout=10).read().decode()
    return sum(sample.value for family in text_string_to_metric_families(text) for sample in family.samples
               if sample.name == "newsflow_articles_total")


def test_messages_over_a_megabyte_are_processed_not_lost(settings, worker):
    paragraph = "<p>" + "The harbour authority in Gdansk reported record container traffic this quarter. " * 40 + "</p>"
    page = "<html><head><title>Harbour traffic</title></head><body><article><h1>Harbour traffic</h1>" + \
        paragraph * 400 + "</article></body></html>"
    assert len(page) > 1_200_000  # over Kafka's default 1 MB record limit
    produce(settings, [(b"port", orjson.dumps({"id": "big-page", "source": "port", "html": page})),
                       raw_value("small-after", "Rail workers in Lyon ended a two-day strike on Friday after the "
                                 "regional operator agreed to review rosters, union officials said.")])
    done = wait_for(lambda: {"big-page", "small-after"} <= processed_ids(settings) and processed_ids(settings),
                    timeout=180, what="the big page and the next one")
    assert {"big-page", "small-after"} <= done


def test_a_message_whose_dead_letter_would_be_too_big_is_dead_lettered_in_part_not_lost(settings, worker):
    """3 MiB of control characters: not JSON, and written into a JSON dead letter they take 18 MiB,
    more than the topic accepts. The send used to fail, the agent restarted past the message, and
    nothing was left of it but a dead-letter count."""
    poison = b"\x01" * (3 * 1024 * 1024)
    produce(settings, [(b"ctl", poison), raw_value("after-poison", "Rescue teams searched the rubble of a "
                       "collapsed building on Thursday after an earthquake struck overnight, officials said.")])
    letters = wait_for(lambda: topic_records(settings, settings.deadletter_topic), timeout=120,
                       what="the dead letter", workers=(worker,))
    assert [letter["reason"] for letter in letters] == ["invalid_json"]
    letter = letters[0]
    assert schema_errors("deadletter", letter) == []
    assert letter["payload_truncated"] is True and letter["payload_bytes"] == len(poison)
    assert letter["topic"] == settings.raw_topic and letter["offset"] == 0
    assert wait_for(lambda: "after-poison" in processed_ids(settings), what="the next article", workers=(worker,))
    assert "Crashed" not in worker.log_text()


def test_a_changed_partition_count_is_reported_not_silently_ignored(kafka_bootstrap, unique_prefix, tmp_path, caplog):
    from pipeline.topics import ensure_topics

    from .conftest import make_settings

    first = make_settings(kafka_bootstrap, unique_prefix, tmp_path, raw_partitions=2)
    from pipeline.topics import BOILERPLATE_TABLE, CLUSTER_TABLE, changelog_topic

    assert set(ensure_topics(first)) == {first.raw_topic, first.cleaned_topic, first.articles_topic,
                                         first.events_topic, first.deadletter_topic,
                                         changelog_topic(first, BOILERPLATE_TABLE), changelog_topic(first, CLUSTER_TABLE)}
    caplog.set_level("WARNING", logger="newsflow.topics")
    # what Newsflow says (kafka-python's own warnings, e.g. a slow poll on a loaded box, are not the subject)
    ours = lambda: [record for record in caplog.records if record.name.startswith("newsflow")]  # noqa: E731
    assert ensure_topics(first) == [] and not ours()  # as configured: nothing to say
    # later, more workers are planned and the setting raised: the topics keep their 2 partitions
    assert ensure_topics(first.with_(raw_partitions=6, cluster_partitions=3)) == []
    said = sorted(record.getMessage() for record in ours())
    assert len(said) == 4
    assert said[0].startswith(f"topic {first.articles_topic} has 2 partitions, not the 6 that NEWSFLOW_RAW_PARTITIONS")
    assert f"topic {first.cleaned_topic} has 1 partition, not the 3 that NEWSFLOW_CLUSTER_PARTITIONS" in said[1]
    assert all("deploy/README.md" in message for message in said)
