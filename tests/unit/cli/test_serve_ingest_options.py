"""`newsflow serve-ingest --max-connections` (NEWSFLOW_INGEST_MAX_CONNECTIONS): read as the other
counts of serve-ingest are and handed to the server; a value that is no positive whole number is
refused (exit 2) before anything starts."""
import pytest

from cli.main import main

BAD = ["0", "-3", "1.5", "many", "nan"]


@pytest.fixture
def served(monkeypatch) -> dict:
    """What serve() was called with; nothing is served, so a command that should have stopped fails at once."""
    called: dict = {}
    monkeypatch.setattr("connectors.http_ingest.serve", lambda sink, **options: called.update(options))
    return called


@pytest.mark.parametrize("variable, flags, expected", [(None, [], 512),  # under the usual 1024 open files
                                                       ("64", [], 64),
                                                       ("64", ["--max-connections", "8"], 8),
                                                       ("0", ["--max-connections", "8"], 8)])  # the flag excuses it
def test_the_cap_reaches_the_server_the_flag_over_the_variable(monkeypatch, served, variable, flags, expected):
    if variable is not None:
        monkeypatch.setenv("NEWSFLOW_INGEST_MAX_CONNECTIONS", variable)
    assert main(["serve-ingest", "--stdout", "--no-auth", *flags]) == 0
    assert served["max_connections"] == expected


@pytest.mark.parametrize("value", BAD)
def test_a_flag_that_is_no_positive_count_is_a_usage_error(capsys, served, value):
    with pytest.raises(SystemExit) as refused:
        main(["serve-ingest", "--stdout", "--no-auth", f"--max-connections={value}"])
    assert refused.value.code == 2 and served == {}
    assert f"argument --max-connections: '{value}'" in capsys.readouterr().err


@pytest.mark.parametrize("value", BAD)
def test_a_variable_that_is_no_positive_count_is_a_usage_error_naming_it(monkeypatch, capsys, served, value):
    monkeypatch.setenv("NEWSFLOW_INGEST_MAX_CONNECTIONS", value)
    assert main(["serve-ingest", "--stdout", "--no-auth"]) == 2 and served == {}
    assert capsys.readouterr().err.startswith(f"newsflow serve-ingest: NEWSFLOW_INGEST_MAX_CONNECTIONS: '{value}' ")
