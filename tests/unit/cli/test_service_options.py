"""`newsflow up|worker|demo` flags a user can get wrong: refused by the parser, before a broker or worker starts."""
import pytest

from cli.main import build_parser


@pytest.mark.parametrize("timeout", ["-1", "0", "nan"])
def test_a_demo_timeout_that_is_not_a_positive_number_is_a_usage_error(capsys, timeout):
    """Before, the demo started the broker and the worker, then failed at once ('only 0 of N processed')."""
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(["demo", "--timeout", timeout, "seeds"])
    assert exited.value.code == 2
    assert f"argument --timeout: '{timeout}' must be more than 0" in capsys.readouterr().err
