"""`ingest rss --feeds` and `ingest urls FILE` take a file; a folder, or a feed list that cannot be
parsed, is a usage error said in one line (exit 2)."""
import pytest

from cli.main import main


@pytest.mark.parametrize(("command", "named"), [(["ingest", "rss", "--once", "--stdout", "--feeds"], "ingest rss --feeds"),
                                               (["ingest", "urls", "--once", "--stdout"], "ingest urls")])
def test_a_folder_given_for_the_list_is_a_usage_error(tmp_path, capsys, command, named):
    """Before, exit 1 with '[Errno 21] Is a directory', naming neither the option nor what to give."""
    with pytest.raises(SystemExit) as stopped:
        main([*command, str(tmp_path)])
    assert stopped.value.code == 2
    assert capsys.readouterr().err == f"newsflow {named}: a folder, not a file: {tmp_path}\n"


def test_a_feed_list_that_is_no_yaml_is_said_in_one_line(tmp_path, capsys):
    """Before, the YAML parser's message went out as it was, over five lines."""
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("feeds: [\n")
    assert main(["ingest", "rss", "--once", "--stdout", "--feeds", str(feeds)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"newsflow ingest rss: --feeds {feeds}: not a readable feed list")
    assert "line 2, column 1" in err
