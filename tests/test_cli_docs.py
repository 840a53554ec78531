"""The docs (README and docs/) document every CLI sub-command and option (the docs stay true because a test checks)."""

from __future__ import annotations

import argparse

from tests.docs_text import REPO, documentation
from tokentide.cli import build_parser

README = REPO / "README.md"


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _options(parser: argparse.ArgumentParser) -> list[str]:
    return [
        option
        for action in parser._actions
        for option in action.option_strings
        if option.startswith("--") and option not in ("--help", "--version")
    ]


def test_every_subcommand_and_option_is_in_the_readme() -> None:
    """Each sub-command has lines in the docs naming it, and together they show every one of its options."""
    text = documentation()
    parser = build_parser()
    missing = [f"global option {o}" for o in _options(parser) if o not in text]
    for name, sub in _subcommands(parser).items():
        lines = " ".join(line for line in text.splitlines() if f"tokentide {name}" in line)
        if not lines:
            missing.append(f"sub-command `tokentide {name}`")
        missing += [f"`tokentide {name} {o}`" for o in _options(sub) if o not in lines]
    assert not missing, "the docs do not mention: " + ", ".join(missing)


def test_the_readme_names_the_two_setup_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert "make app" in text and "make test" in text
