"""`ingest urls`: what the --state file remembers as done, and a sitemap that cannot be read.

A failure that follows the settings (`blocked` by the network policy, a robots Disallow under
--ignore-robots, a limit since raised) is tried again instead of counting as "already done"; a
sitemap that cannot be fetched or read is a failure of the pass, not an empty list."""
from __future__ import annotations

import sqlite3

import pytest

import cli.ingest
from cli.main import main
from connectors.net import Fetcher, NetworkPolicy
from connectors.pages import PagesConnector
from connectors.sink import MemorySink
from connectors.state import State

HTML = {"Content-Type": "text/html; charset=utf-8"}
XML = {"Content-Type": "application/xml"}
STORY = b"<html><body><p>A ferry ran aground off the coast on Monday.</p></body></html>"


@pytest.fixture
def kafka(monkeypatch) -> MemorySink:
    """A real (non --stdout) run, so that --state is written, with a memory sink for the broker."""
    sink = MemorySink()
    monkeypatch.setattr(cli.ingest, "_make_sink", lambda args, connector, **options: sink)
    monkeypatch.setattr(cli.ingest, "_topic_check", lambda args, timeout=None: lambda: None)
    return sink


@pytest.fixture
def served(site):
    site.routes["/robots.txt"] = (404, {}, b"")
    site.routes["/story"] = (200, HTML, STORY)
    return site


def urls_command(tmp_path, *urls: str) -> list[str]:
    listing = tmp_path / "urls.txt"
    listing.write_text("".join(f"{url}\n" for url in urls))
    return ["ingest", "urls", "--once", str(listing), "--state", str(tmp_path / "pages.sqlite"),
            "--per-host-delay", "0"]


def stored(tmp_path) -> dict[str, str]:
    with sqlite3.connect(tmp_path / "pages.sqlite") as db:
        return dict(db.execute("SELECT item_id, status FROM seen WHERE scope = 'pages'"))


def test_a_blocked_page_is_fetched_once_the_network_is_allowed(served, tmp_path, capsys, kafka):
    """Before, `blocked` was stored as a permanent failure: following its hint (--allow-network) gave
    "1 already done, 0 fetched", exit 0, and the page was never fetched."""
    command = urls_command(tmp_path, served.url("/story"))
    assert main(command) == 1
    assert "failed: blocked=1" in capsys.readouterr().err and stored(tmp_path) == {}
    assert main([*command, "--allow-network", "127.0.0.1/32"]) == 0
    assert "0 already done, 1 fetched, 1 delivered" in capsys.readouterr().err
    assert [raw.id for raw in kafka.raws] == [served.url("/story")]
    assert stored(tmp_path) == {served.url("/story"): "emitted"}


def test_a_failure_stored_before_reasons_were_kept_is_tried_again(served, tmp_path, capsys, kafka):
    """A state file written before the fix holds `blocked` pages as a bare "failed"; they must not keep
    the pages out. Failing for good again, a page is stored with its reason and not asked a third time."""
    state = State(tmp_path / "pages.sqlite")
    state.mark_seen("pages", [served.url("/story"), served.url("/gone")], status="failed")
    state.close()
    command = [*urls_command(tmp_path, served.url("/story"), served.url("/gone")), "--allow-network", "127.0.0.1/32"]
    assert main(command) == 0
    assert "0 already done, 1 fetched, 1 delivered, failed: http_404=1" in capsys.readouterr().err
    assert [raw.id for raw in kafka.raws] == [served.url("/story")]
    assert stored(tmp_path) == {served.url("/story"): "emitted", served.url("/gone"): "failed:http_404"}
    assert main(command) == 0
    assert "2 already done, 0 fetched" in capsys.readouterr().err and served.hits("/gone") == 1


def pages(tmp_path, urls, **options) -> PagesConnector:
    fetcher = Fetcher(NetworkPolicy(["127.0.0.1/32"]), user_agent="NewsflowTest/1")
    return PagesConnector(MemorySink(), fetcher, urls=urls, state_path=tmp_path / "pages.sqlite",
                          per_host_delay=0, **options)


def test_a_disallowed_page_is_fetched_when_robots_are_ignored_later(served, tmp_path):
    """Before, a Disallow was remembered for good: a later run with --ignore-robots skipped the page."""
    served.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /\n")
    c = pages(tmp_path, [served.url("/story")])
    assert c.run_once().failed == {"robots": 1}
    assert c.run_once().already_done == 1            # robots still respected: done
    c.close()
    c = pages(tmp_path, [served.url("/story")], respect_robots=False)
    summary = c.run_once()
    assert (summary.already_done, summary.delivered) == (0, 1) and served.hits("/story") == 1
    c.close()


def test_a_disallowed_page_is_fetched_once_robots_txt_allows_it(served, tmp_path):
    """Before, a Disallow was remembered for good: the site lifting it changed nothing, and only
    --ignore-robots fetched the page. While robots.txt keeps it, the page stays done and unasked."""
    served.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /story\n")
    c = pages(tmp_path, [served.url("/story")])
    assert c.run_once().failed == {"robots": 1}
    c.close()
    c = pages(tmp_path, [served.url("/story")])
    assert c.run_once().already_done == 1 and served.hits("/story") == 0
    c.close()
    served.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private\n")
    c = pages(tmp_path, [served.url("/story")])
    summary = c.run_once()
    assert (summary.already_done, summary.delivered) == (0, 1) and served.hits("/story") == 1
    assert c.run_once().already_done == 1           # emitted now: not fetched twice
    c.close()


def test_a_page_too_large_is_fetched_again_once_the_limit_is_raised(served, tmp_path):
    """Before, `too_large` was remembered for good: raising --max-bytes did not fetch the page. Under
    the same limit it stays done, as a 404 does."""
    served.routes["/big"] = (200, HTML, b"<p>" + b"x" * 5000 + b"</p>")
    urls = [served.url("/big"), served.url("/gone")]
    c = pages(tmp_path, urls)
    c.fetcher.max_bytes = 1000
    assert c.run_once().failed == {"too_large": 1, "http_404": 1}
    assert stored(tmp_path) == {served.url("/big"): "failed:too_large:1000", served.url("/gone"): "failed:http_404"}
    assert c.run_once().already_done == 2
    c.fetcher.max_bytes = 10_000
    summary = c.run_once()
    assert (summary.already_done, summary.delivered) == (1, 1) and served.hits("/gone") == 1
    c.close()


def sitemap_command(tmp_path, *sitemaps: str, allow: bool = True) -> list[str]:
    command = ["ingest", "urls", "--once", "--stdout", "--state", str(tmp_path / "pages.sqlite"),
               "--per-host-delay", "0"]
    for sitemap in sitemaps:
        command += ["--sitemap", sitemap]
    return command + (["--allow-network", "127.0.0.1/32"] if allow else [])


@pytest.mark.parametrize(("path", "allow", "said"), [
    ("/missing.xml", True, "sitemap_http_404=1"),
    ("/sitemap.xml", False, "sitemap_blocked=1"),
    ("/broken.xml", True, "sitemap_xml=1"),
    ("/page.xml", True, "sitemap_not_a_sitemap=1"),
])
def test_a_sitemap_that_cannot_be_read_fails_the_pass(served, tmp_path, capsys, path, allow, said):
    """Before, the pass said "0 listed, failed: none" and exited 0: a cron job never heard of it."""
    served.routes["/sitemap.xml"] = (200, XML, b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'/>")
    served.routes["/broken.xml"] = (200, XML, b"<urlset><url><loc>")
    served.routes["/page.xml"] = (200, XML, b"<html><body><p>Moved.</p></body></html>")
    assert main(sitemap_command(tmp_path, served.url(path), allow=allow)) == 1
    err = capsys.readouterr().err
    assert f"urls: 0 listed, 0 already done, 0 fetched, 0 delivered, failed: {said}, rejected: none" in err
    assert "EVERY SITEMAP FAILED" in err


def test_an_empty_sitemap_is_no_failure_and_a_failed_one_beside_it_is_named(served, tmp_path, capsys):
    """A sitemap that lists nothing is a quiet day (exit 0); one that fails next to it is still said."""
    served.routes["/sitemap.xml"] = (200, XML, b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'/>")
    assert main(sitemap_command(tmp_path, served.url("/sitemap.xml"))) == 0
    assert "urls: 0 listed, 0 already done, 0 fetched, 0 delivered, failed: none" in capsys.readouterr().err
    assert main(sitemap_command(tmp_path, served.url("/sitemap.xml"), served.url("/missing.xml"))) == 0
    err = capsys.readouterr().err
    assert "failed: sitemap_http_404=1" in err and "EVERY SITEMAP FAILED" not in err


def test_a_sitemap_index_whose_sitemaps_all_fail_fails_the_pass(served, tmp_path, capsys):
    index = ("<sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
             f"<sitemap><loc>{served.url('/a.xml')}</loc></sitemap><sitemap><loc>{served.url('/b.xml')}</loc></sitemap>"
             "</sitemapindex>")
    served.routes["/index.xml"] = (200, XML, index.encode())
    assert main(sitemap_command(tmp_path, served.url("/index.xml"))) == 1
    assert "failed: sitemap_http_404=2" in capsys.readouterr().err
    served.routes["/b.xml"] = (200, XML, f"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><url><loc>"
                                         f"{served.url('/story')}</loc></url></urlset>".encode())
    assert main(sitemap_command(tmp_path, served.url("/index.xml"))) == 0
    out, err = capsys.readouterr()
    assert "A ferry" in out and "1 listed, 0 already done, 1 fetched" in err and "sitemap_http_404=1" in err
