"""A connector's state file serves one connector process at a time; the second is told so."""
import subprocess
import sys
from pathlib import Path

import pytest

from connectors.state import State, StateInUse

ROOT = Path(__file__).resolve().parents[3]


def test_a_second_holder_of_a_state_file_is_refused_until_the_first_closes(tmp_path):
    path = tmp_path / "rss.sqlite"
    first = State(path)
    with pytest.raises(StateInUse, match=r"rss\.sqlite is in use by another connector"):
        State(path)
    first.close()
    again = State(path)  # free once closed
    again.close()


def test_another_process_is_refused_while_one_holds_the_file(tmp_path):
    path = tmp_path / "pages.sqlite"
    holder = State(path)
    try:
        probe = subprocess.run([sys.executable, "-c", f"from connectors.state import State; State({str(path)!r})"],
                               capture_output=True, text=True, cwd=ROOT)
        assert probe.returncode != 0 and "is in use by another connector" in probe.stderr
    finally:
        holder.close()


def test_the_cli_reports_a_state_in_use_in_one_line(tmp_path, capsys):
    from cli.main import main

    holder = State(tmp_path / "rss.sqlite")
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("feeds:\n  - url: http://127.0.0.1:9/feed.xml\n    name: x\n")
    try:
        code = main(["ingest", "rss", "--feeds", str(feeds), "--state", str(tmp_path / "rss.sqlite"),
                     "--stdout", "--once"])
    finally:
        holder.close()
    assert code == 1
    err = capsys.readouterr().err
    assert "is in use by another connector" in err and "Traceback" not in err
