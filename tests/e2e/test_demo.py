"""`newsflow demo seeds/`: the whole service on the real broker, three event records on stdout."""
import re

import orjson
import pytest

from schemas import schema_errors

from ..conftest import SEEDS

pytestmark = pytest.mark.kafka
FURNITURE = re.compile(r"No time to read|Get a summary|Previous Article|Next Article|\[\d+(?:,\s*\d+)*\]")


def test_demo_prints_the_three_seed_events(newsflow):
    result = newsflow("demo", str(SEEDS))
    assert result.returncode == 0, result.stderr.decode()[-3000:]
    lines = [line for line in result.stdout.decode().splitlines() if line.strip()]
    events = [orjson.loads(line) for line in lines]
    assert len(events) == 3
    groups = {frozenset(a["id"].split("_")[0] for a in e["articles"]) for e in events}
    assert groups == {frozenset({"001", "002", "003"}), frozenset({"000"}), frozenset({"004"})}
    for event in events:
        assert schema_errors("event", event) == []
        assert not FURNITURE.search(result.stdout.decode())
    # logs are structured JSON on stderr, never mixed into stdout
    assert any(line.startswith("{") and '"level"' in line for line in result.stderr.decode().splitlines())
