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


@pytest.fixture
def site():
    from tests.unit.connectors.conftest import Site

    served = Site()
    served.routes["/robots.txt"] = (404, {}, b"")
    served.routes["/story"] = (200, {"Content-Type": "text/html; charset=utf-8"},
                               b"<html><body><p>A ferry ran aground off the coast on Monday.</p></body></html>")
    served.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"},
                                  b"<rss version='2.0'><channel><title>t</title><item><title>A ferry</title>"
                                  b"<link>https://example.org/a</link><description>A ferry ran aground.</description>"
                                  b"</item></channel></rss>")
    yield served
    served.close()


def _single_pass(kind: str, tmp_path, listed: list[str]) -> list[str]:
    listing = tmp_path / "list.txt"
    listing.write_text("".join(f"{url}\n" for url in listed))
    where = ["--feeds", str(listing)] if kind == "rss" else [str(listing)]
    return ["ingest", kind, "--once", "--stdout", *where, "--state", str(tmp_path / "state.sqlite"),
            "--allow-network", "127.0.0.1/32"] + (["--per-host-delay", "0"] if kind == "urls" else [])


@pytest.mark.parametrize(("kind", "path", "said"), [("urls", "/story", "EVERY URL FAILED"),
                                                   ("rss", "/feed.xml", "EVERY FEED FAILED")])
def test_a_single_pass_where_every_source_failed_exits_1(site, tmp_path, capsys, kind, path, said):
    """Before, `--once` exited 0 when nothing at all could be fetched: a cron job never heard of it."""
    assert main(_single_pass(kind, tmp_path, [site.url("/gone"), site.url("/also-gone")])) == 1
    assert said in capsys.readouterr().err
    # one source that answers is enough for a pass that did its job
    assert main(_single_pass(kind, tmp_path, [site.url("/gone"), site.url(path)])) == 0
    out, err = capsys.readouterr()
    assert "A ferry" in out and said not in err
