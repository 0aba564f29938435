"""`newsflow tail NAME`: which topic it reads under NEWSFLOW_TOPIC_PREFIX."""
import pytest

from cli import tail_cmd
from cli.main import build_parser


@pytest.mark.parametrize(("prefix", "name", "read"), [
    ("new", "news.events", "newnews.events"),  # before, 'news.events' starts with 'new': read unprefixed
    ("staging.", "news.deadletter", "staging.news.deadletter"),
    ("staging.", "staging.news.events", "staging.news.events"),  # a whole name, as given
    ("staging.", "audit-log", "audit-log"),  # not one of the service's topics: as given
    ("", "news.raw", "news.raw"),
])
def test_the_prefix_goes_in_front_of_the_services_own_topics_only(monkeypatch, prefix, name, read):
    monkeypatch.setenv("NEWSFLOW_TOPIC_PREFIX", prefix)
    topics = []
    monkeypatch.setattr(tail_cmd, "read_all", lambda bootstrap, topic, **kw: topics.append(topic) or iter(()))
    assert tail_cmd.cmd_tail(build_parser().parse_args(["tail", name, "--latest"])) == 0
    assert topics == [read]
