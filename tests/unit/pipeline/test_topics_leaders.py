"""ensure_topics waits for new topics' leaders, reading the metadata as either kafka-python major
writes it (a first cut read only 2.x's 'leader' and, under 3.x, waited out its whole deadline)."""
import time

from pipeline.topics import wait_for_leaders


class Admin:
    """Describes topics as the cluster would: no leader for the first ``elections`` calls."""

    def __init__(self, leader_key: str, name_key: str, elections: int = 0):
        self.leader_key, self.name_key, self.elections, self.calls = leader_key, name_key, elections, 0

    def describe_topics(self, names):
        self.calls += 1
        leader = -1 if self.calls <= self.elections else 1
        return [{self.name_key: name, "error_code": 0,
                 "partitions": [{"partition": i, self.leader_key: leader} for i in range(2)]} for name in names]


def test_topics_with_leaders_are_seen_at_once_in_both_metadata_forms():
    for leader_key, name_key in (("leader_id", "name"), ("leader", "topic")):
        admin = Admin(leader_key, name_key)
        wait_for_leaders(admin, {"a": 2, "b": 2}, deadline=time.monotonic() + 30)
        assert admin.calls == 1


def test_it_asks_again_until_every_partition_has_a_leader():
    admin = Admin("leader_id", "name", elections=3)
    wait_for_leaders(admin, {"a": 2}, deadline=time.monotonic() + 30)
    assert admin.calls == 4


def test_past_the_deadline_it_says_so_and_goes_on(caplog):
    admin = Admin("leader_id", "name", elections=10**9)
    wait_for_leaders(admin, {"a": 2}, deadline=time.monotonic() - 1)
    assert admin.calls == 1
    assert any("no leader yet" in record.getMessage() for record in caplog.records)
