"""Proof under faults on the real broker: SIGKILLed workers, a broker restart, fuzzed input.

These take minutes, so they carry the ``slow`` mark; ``make test`` (and so CI) runs them too.
"""
from __future__ import annotations

import random
import time
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings as hyp_settings, strategies as st

from bench.synthetic import load_bases, stream
from deploy.kafka.broker import LocalKafka
from pipeline.core import OfflinePipeline
from pipeline.topics import ensure_topics

from .conftest import latest_by_event, make_settings, produce, topic_records, wait_for

pytestmark = [pytest.mark.kafka, pytest.mark.slow, pytest.mark.timeout(2400)]
SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "ecbplus" / "sample.jsonl"
VOLATILE = ("first_seen", "last_updated")


def accounted(settings) -> tuple[set[str], int]:
    """Distinct raw ids that became an article, and the number of worker dead letters."""
    ids = {r["id"] for r in topic_records(settings, settings.articles_topic)}
    letters = topic_records(settings, settings.deadletter_topic)
    return ids, len({(l["partition"], l["offset"]) for l in letters})


def comparable(events: dict[str, dict]) -> dict[str, dict]:
    return {k: {f: v for f, v in e.items() if f not in VOLATILE} for k, e in events.items()}


@pytest.fixture(scope="module")
def killed_three_times(kafka_bootstrap, tmp_path_factory):
    """10,000 raw messages (1% malformed) through a worker SIGKILLed at three random points."""
    from .conftest import WorkerProcess

    tmp_path = tmp_path_factory.mktemp("sigkill")
    settings = make_settings(kafka_bootstrap, f"k{random.Random().randrange(16**8):08x}", tmp_path, raw_partitions=1)
    ensure_topics(settings)
    values = list(stream(load_bases(SAMPLE), 10_000, seed=5, malformed_every=97))
    produce(settings, values)
    workers = []
    rng = random.Random(11)
    try:
        worker = WorkerProcess(settings, tmp_path / "killed.log")
        workers.append(worker)
        worker.start()
        for point in sorted(rng.sample(range(1_000, 9_000), 3)):
            wait_for(lambda: len(accounted(settings)[0]) >= point, timeout=600, interval=1.0,
                     what=f"{point} articles before the kill")
            worker.kill()
            time.sleep(settings.session_timeout_s + 2)  # the broker expires the dead member first
            worker = WorkerProcess(settings, tmp_path / f"after-{point}.log")
            workers.append(worker)
            worker.start()
        malformed = sum(1 for key, _ in values if key == b"garbage")
        good = len(values) - malformed
        wait_for(lambda: (a := accounted(settings)) and len(a[0]) >= good and a[1] >= malformed,
                 timeout=900, interval=2.0, what="every raw message accounted for", workers=(worker,))
        yield settings, values
    finally:
        for worker in workers:
            worker.stop(timeout=30)


def test_sigkill_three_times_loses_nothing(killed_three_times):
    settings, values = killed_three_times
    malformed = sum(1 for key, _ in values if key == b"garbage")
    ids, letters = accounted(settings)
    assert len(ids) == len(values) - malformed and letters == malformed


def test_sigkill_restarts_redo_only_the_work_since_the_last_commit(killed_three_times):
    # Offsets are committed every second while a backlog is processed, so each restart redoes
    # about a second of work (a few hundred articles here), not everything since the worker was
    # last idle. The bound is loose on purpose: ten seconds of work per kill.
    settings, _ = killed_three_times
    records = topic_records(settings, settings.articles_topic)
    redone = len(records) - len({r["id"] for r in records})
    print(f"{redone} articles redone over three kills")
    assert redone <= 3 * 1_500, f"{redone} articles redone over three kills"


def test_sigkill_three_times_leaves_the_event_records_of_an_uninterrupted_run(killed_three_times):
    settings, values = killed_three_times
    ids, _ = accounted(settings)
    assert sum(e["article_count"] for e in latest_by_event(settings).values()) == len(ids)
    offline = OfflinePipeline(settings)
    for _, value in values:
        offline.process(value)
    assert comparable(latest_by_event(settings)) == comparable(offline.events)


def test_broker_restart_mid_stream_loses_nothing(tmp_path, unique_prefix, worker_factory):
    broker = LocalKafka(tmp_path / "own-broker")
    broker.start()
    try:
        settings = make_settings(broker.bootstrap, unique_prefix, tmp_path)
        ensure_topics(settings)
        values = list(stream(load_bases(SAMPLE), 1_500, seed=3))
        worker = worker_factory(settings)
        worker.start()
        produce(settings, values[:750])
        wait_for(lambda: len(accounted(settings)[0]) >= 200, timeout=300, what="some progress", workers=(worker,))
        broker.stop()
        time.sleep(8)
        assert worker.alive(), worker.log_text()[-3000:]
        broker.start()
        produce(settings, values[750:])
        ids, _ = wait_for(lambda: (a := accounted(settings)) and len(a[0]) >= len(values) and a, timeout=600,
                          interval=2.0, what="all articles after the broker came back", workers=(worker,))
        assert len(ids) == len(values)
        assert worker.alive()
    finally:
        broker.stop()


int64 = st.integers(-(2**63), 2**63 - 1)  # what JSON encoders (orjson) can write
json_scalar = st.one_of(st.none(), st.booleans(), int64, st.floats(allow_nan=False), st.text(max_size=20))
malformed_documents = st.one_of(
    st.binary(max_size=200).filter(lambda b: not b.strip().startswith(b"{")),  # not a JSON object at all
    st.text(max_size=100).map(lambda t: ("{" + t).encode("utf-8", "surrogatepass")),  # truncated JSON
    st.lists(json_scalar, max_size=5).map(orjson.dumps),  # JSON, but an array
    st.dictionaries(st.text(max_size=8), json_scalar, max_size=5)
      .filter(lambda d: not {"id", "source"} <= d.keys()).map(orjson.dumps),  # an object without id/source
    st.fixed_dictionaries({"id": st.text(min_size=1, max_size=10), "source": st.text(min_size=1, max_size=10),
                           "text": st.one_of(int64, st.lists(int64), st.none())}).map(orjson.dumps),
    st.fixed_dictionaries({"id": st.text(min_size=1, max_size=10), "source": st.text(min_size=1, max_size=10),
                           "text": st.text(max_size=50), "html": st.text(max_size=50)}).map(orjson.dumps),
    st.fixed_dictionaries({"id": st.text(min_size=1, max_size=10), "source": st.text(min_size=1, max_size=10),
                           "text": st.sampled_from(["", " ", "\n\n", "\x00\x00"])}).map(orjson.dumps),
)


def collect_malformed(count: int) -> list[bytes]:
    found: list[bytes] = []

    @hyp_settings(max_examples=count, database=None, derandomize=True, deadline=None,
                  suppress_health_check=list(HealthCheck))
    @given(malformed_documents)
    def gather(value: bytes) -> None:
        found.append(value)

    gather()
    return found


def test_fuzzed_malformed_messages_are_all_dead_lettered(settings, worker):
    values = collect_malformed(10_000)
    while len(values) < 10_000:  # hypothesis may stop early once it has explored the space
        values += collect_malformed(10_000 - len(values))
    assert len(values) >= 10_000
    produce(settings, [(b"fuzz", v) for v in values])
    good_after = [(b"wire", orjson.dumps({"id": "after-fuzz", "source": "wire", "text":
                   "The city council of Ghent approved a new cycling bridge over the Leie on Monday evening. "
                   "Construction will start next spring, the alderman for mobility said."}))]
    produce(settings, good_after)
    letters = wait_for(lambda: (d := topic_records(settings, settings.deadletter_topic)) and len(d) >= len(values) and d,
                       timeout=900, interval=2.0, what="every fuzzed message dead-lettered")
    assert len(letters) == len(values)
    assert all(letter["reason"] and letter["detail"] for letter in letters)
    reasons = {letter["reason"] for letter in letters}
    assert {"invalid_json", "schema"} <= reasons
    wait_for(lambda: any(a["id"] == "after-fuzz" for a in topic_records(settings, settings.articles_topic)),
             what="the good article after the fuzz")
    assert worker.alive()
