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
