"""The README's configuration paragraph names exactly the flags the service commands take."""
import argparse
import re
from pathlib import Path

from cli.options import add_service_flags

README = Path(__file__).resolve().parents[3] / "README.md"


def test_the_readme_names_the_worker_flags_and_does_not_claim_a_flag_for_every_setting():
    """Before, it said 'Every setting is a flag of the command that uses it', while worker, up and
    demo take flags for eight of the worker's settings only."""
    text = README.read_text()
    section = text[text.index("## Configuration"):text.index("| variable | default | meaning |")]
    assert "Every setting is a flag" not in section
    sentence = section[section.index("`worker`, `up` and `demo` take"):]
    sentence = sentence[:sentence.index(";")]
    parser = argparse.ArgumentParser()
    add_service_flags(parser)
    flags = {option for action in parser._actions for option in action.option_strings if option.startswith("--")}
    assert set(re.findall(r"`(--[a-z-]+)`", sentence)) == flags - {"--help"}


def _subparser(parser: argparse.ArgumentParser, *names: str) -> argparse.ArgumentParser:
    for name in names:
        parser = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[name]
    return parser


CONNECTORS = {"files": ("ingest", "files"), "rss": ("ingest", "rss"), "urls": ("ingest", "urls"),
              "serve-ingest": ("serve-ingest",)}


def test_the_connectors_rows_of_the_table_name_flags_that_exist_and_read_their_variable():
    """Each connector row's flag exists on each command the row names, and its --help names the
    row's variable; every variable a connector's --help names has a row."""
    from cli.main import build_parser

    parser = build_parser()
    table = README.read_text()
    rows = re.findall(r"^\| `(NEWSFLOW_[A-Z_]+)` \| [^|]+ \| connectors \(([^)]+)\): flag ([^|]+)\|", table, re.M)
    assert len(rows) >= 30
    for variable, commands, flag_cell in rows:
        flag = re.match(r"`(--[a-z-]+)`", flag_cell.strip())
        if flag is None:
            assert flag_cell.strip().startswith("–"), (variable, flag_cell)  # a variable without a flag
            continue
        names = list(CONNECTORS) if commands == "all" else [c.strip() for c in commands.split(",")]
        for name in names:
            options = {o: a for a in _subparser(parser, *CONNECTORS[name])._actions for o in a.option_strings}
            assert flag.group(1) in options, (variable, name, flag.group(1))
            assert variable in (options[flag.group(1)].help or ""), (variable, name, flag.group(1))

    documented = set(re.findall(r"^\| `(NEWSFLOW_[A-Z_]+)` \|", table, re.M))
    for path in CONNECTORS.values():
        for action in _subparser(parser, *path)._actions:
            for variable in re.findall(r"NEWSFLOW_[A-Z_]+", action.help or ""):
                assert variable in documented, (path, action.option_strings, variable)
