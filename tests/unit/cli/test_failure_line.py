"""A command that fails prints one line; NEWSFLOW_LOG_LEVEL=debug adds the traceback, also for the
commands that never set logging up (tail, broker), where the hint used to promise one in vain."""
from __future__ import annotations

import logging

from cli.main import operational_failure


def failure() -> RuntimeError:
    try:
        raise RuntimeError("topic news.nope does not exist")
    except RuntimeError as exc:
        return exc


def without_logging(monkeypatch) -> None:
    """As in tail and broker. Called in the test itself: pytest adds its handlers after the fixtures."""
    monkeypatch.setattr(logging.getLogger(), "handlers", [])


def test_without_debug_one_line_that_says_how_to_get_the_traceback(monkeypatch, capsys):
    without_logging(monkeypatch)
    monkeypatch.delenv("NEWSFLOW_LOG_LEVEL", raising=False)
    assert operational_failure("tail", failure()) == 1
    err = capsys.readouterr().err
    assert err.strip() == ("newsflow tail: topic news.nope does not exist "
                           "(NEWSFLOW_LOG_LEVEL=debug shows the traceback)")


def test_with_debug_the_traceback_follows_the_line(monkeypatch, capsys):
    without_logging(monkeypatch)
    monkeypatch.setenv("NEWSFLOW_LOG_LEVEL", "DEBUG")
    assert operational_failure("broker", failure()) == 1
    err = capsys.readouterr().err
    assert err.startswith("newsflow broker: topic news.nope does not exist\n")
    assert "Traceback (most recent call last)" in err and "in failure" in err
    assert "shows the traceback" not in err
