"""Configuration from NEWSFLOW_* variables and the table store views."""
import pytest

from pipeline.settings import Settings, settings_table
from pipeline.stores import JsonStore, PartitionStore, from_json_value, to_json_value


def test_environment_then_flags_override_defaults():
    env = {"NEWSFLOW_KAFKA_BOOTSTRAP": "127.0.0.1:1234", "NEWSFLOW_RAW_PARTITIONS": "8", "NEWSFLOW_WINDOW_DAYS": "2.5"}
    settings = Settings.from_env(env, raw_partitions=None, window_days=1.0)
    assert settings.kafka_bootstrap == "127.0.0.1:1234"
    assert settings.raw_partitions == 8
    assert settings.window_days == 1.0
    assert settings.window_seconds == 86400.0


def test_bad_environment_value_names_the_variable():
    with pytest.raises(ValueError, match="NEWSFLOW_RAW_PARTITIONS"):
        Settings.from_env({"NEWSFLOW_RAW_PARTITIONS": "many"})


def test_topic_prefix_applies_to_every_topic():
    s = Settings(topic_prefix="staging.")
    assert {s.raw_topic, s.cleaned_topic, s.articles_topic, s.events_topic, s.deadletter_topic} == {
        "staging.news.raw", "staging.news.cleaned", "staging.news.articles", "staging.news.events",
        "staging.news.deadletter"}


def test_every_setting_is_documented():
    rows = settings_table()
    assert all(variable.startswith("NEWSFLOW_") and meaning for variable, _, meaning in rows)
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    def shown(default: str) -> str:
        value = default.strip("'")
        return f"`{value}`" if value else "(empty)"

    missing = [variable for variable, default, _ in rows if f"| `{variable}` | {shown(default)} |" not in readme]
    assert missing == [], "not in the README's configuration table (or with another default)"


@pytest.mark.parametrize("value", [b"\x00\x01binary", {"a": [1, 2.5, None], "b": "text"}, [1, 2, 3], "s", 7])
def test_values_survive_a_json_round_trip(value):
    import orjson

    assert from_json_value(orjson.loads(orjson.dumps(to_json_value(value)))) == value


def test_json_store_keeps_bytes_as_bytes():
    table: dict = {}
    store = JsonStore(table)
    store["sig"] = b"\xff\x00"
    assert store["sig"] == b"\xff\x00" and isinstance(table["sig"], dict)
    assert list(store) == ["sig"] and len(store) == 1


def test_partition_store_isolates_partitions():
    table: dict = {}
    p0, p1 = PartitionStore(table, 0), PartitionStore(table, 1)
    p0["a"] = 1
    p1["a"] = 2
    p1["b"] = b"\x01\x02"
    assert p0["a"] == 1 and p1["a"] == 2 and p1["b"] == b"\x01\x02"
    assert sorted(p1) == ["a", "b"] and len(p0) == 1
    del p1["a"]
    assert "a" not in p1 and "a" in p0
    with pytest.raises(KeyError):
        del p1["zzz"]


def test_the_window_settings_bound_the_clustering_window():
    from pipeline.core import ClusterStage

    stage = ClusterStage(Settings(window_days=2.0, window_max_articles=5), {}, {}, restore=False)
    assert stage.clusterer.p.window_seconds == 2 * 86400.0
    for n in range(12):  # twelve different stories: each stays in the window until the bound drops it
        stage.process({"id": f"a{n}", "source": "s", "title": f"Story number {n}", "language": "en",
                       "text": f"Distinct report {n} about topic{n} and place{n} with figure {n * 37}."},
                      now="2026-01-01T00:00:00Z")
    assert stage.window_size() == 5
