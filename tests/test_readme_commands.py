"""The README's command list and ``quality-offer --help`` agree, both ways.

Every command and option the README shows exists, and every command and option the program
has is in the README, so the documentation cannot drift from the program unnoticed.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from quality_offer.cli import build_parser

README = Path(__file__).resolve().parents[1] / "README.md"


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def program_commands() -> dict[str, list[frozenset[str]]]:
    """'report' -> each option's spellings ({'-o', '--output'}, ...); nested commands as
    'framework show'."""
    out: dict[str, list[frozenset[str]]] = {}

    def walk(prefix: str, parser: argparse.ArgumentParser) -> None:
        subs = _subparsers(parser)
        if subs:
            for name, sub in subs.items():
                walk(f"{prefix} {name}".strip(), sub)
            return
        out[prefix] = [frozenset(action.option_strings) for action in parser._actions
                       if action.option_strings and "--help" not in action.option_strings]

    walk("", build_parser())
    return out


def readme_commands() -> dict[str, set[str]]:
    """The commands in the README's "Command line" block, with the options shown for each."""
    text = README.read_text(encoding="utf-8")
    block = re.search(r"## Command line\s+```sh\n(.*?)```", text, re.S)
    assert block, "the README has no Command line block"
    out: dict[str, set[str]] = {}
    current = ""
    names = set(program_commands()) | {c.split()[0] for c in program_commands()}
    for line in block.group(1).splitlines():
        code = line.split("#", 1)[0]
        m = re.match(r"quality-offer ([a-z-]+)(?: ([a-z-]+))?", code)
        if m:
            first, second = m.group(1), m.group(2)
            current = f"{first} {second}" if second and f"{first} {second}" in names else first
            out.setdefault(current, set())
        if current:
            out[current].update(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", code))
    return out


def test_every_command_of_the_program_is_in_the_readme_and_the_other_way_round() -> None:
    assert set(readme_commands()) == set(program_commands())


def test_every_option_is_in_both_the_readme_and_the_program() -> None:
    program, readme = program_commands(), readme_commands()
    missing_from_readme = {c: sorted(max(o) for o in program[c] if not o & readme.get(c, set()))
                           for c in program}
    known = {c: set().union(*program.get(c, [])) for c in readme}
    not_in_program = {c: sorted(readme[c] - known[c]) for c in readme}
    missing_from_readme = {c: o for c, o in missing_from_readme.items() if o}
    not_in_program = {c: o for c, o in not_in_program.items() if o}
    assert missing_from_readme == {}
    assert not_in_program == {}


def test_the_checker_notices_a_missing_option(monkeypatch) -> None:
    """A check that cannot fail is no check: drop one option from the README and see."""
    text = README.read_text(encoding="utf-8").replace("--change-la-code", "", 1)
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: text)
    assert "--change-la-code" not in readme_commands()["import"]
