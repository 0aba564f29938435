"""`newsflow replay --events FILE`: refused at once when it cannot be written, written only when the
replay ends; a run that does not end leaves an earlier file as it was and no file where there was none."""
import orjson
import pytest

from cli.main import main
from pipeline.core import OfflinePipeline

TEXT = ("The central bank raised interest rates by half a point on Tuesday, citing inflation that has stayed "
        "above its target for a year. Officials said further increases could follow in the coming months.")


@pytest.fixture
def articles(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"".join(orjson.dumps({"id": f"a{i}", "source": "s", "text": TEXT}) + b"\n" for i in range(3)))
    return path


@pytest.fixture
def failing_core(monkeypatch):
    """The core fails on the second input, as a bug or a full disk would fail the replay half way."""
    processed = []
    real = OfflinePipeline.process

    def process(self, value):
        processed.append(value)
        if len(processed) == 2:
            raise RuntimeError("the core failed")
        return real(self, value)

    monkeypatch.setattr(OfflinePipeline, "process", process)


def test_a_failed_replay_leaves_no_events_file_it_created(articles, tmp_path, failing_core, capsys):
    events = tmp_path / "events.jsonl"
    assert main(["replay", "--no-progress", str(articles), "--events", str(events)]) == 1
    assert "the core failed" in capsys.readouterr().err
    assert not events.exists()


def test_a_failed_replay_leaves_an_earlier_events_file_as_it_was(articles, tmp_path, failing_core):
    events = tmp_path / "events.jsonl"
    events.write_bytes(b'{"from": "an earlier replay"}\n')
    assert main(["replay", "--no-progress", str(articles), "--events", str(events)]) == 1
    assert events.read_bytes() == b'{"from": "an earlier replay"}\n'


@pytest.mark.parametrize("where, error", [("no-such-folder/events.jsonl", "[Errno 2] No such file or directory"),
                                          (".", "[Errno 21] Is a directory")])
def test_an_events_path_that_cannot_be_written_is_refused_before_the_replay(articles, tmp_path, capsys, where, error):
    events = tmp_path / where
    assert main(["replay", "--no-progress", str(articles), "--events", str(events)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and f"newsflow replay: {error}: '{events}'" in err and "Traceback" not in err


def test_a_finished_replay_replaces_an_earlier_events_file(articles, tmp_path):
    events = tmp_path / "events.jsonl"
    events.write_bytes(b'{"from": "an earlier replay"}\n' * 50)
    assert main(["replay", "--no-progress", str(articles), "--events", str(events)]) == 0
    (event,) = (orjson.loads(line) for line in events.read_bytes().splitlines())
    assert event["article_count"] == 3  # the three copies of one text: one event, the earlier lines gone
