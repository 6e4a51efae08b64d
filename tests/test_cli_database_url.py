"""A wrong database address gets one plain sentence and exit 1 from every command that takes
one, never a traceback, and nothing is written anywhere."""

from __future__ import annotations

import pytest

from quality_offer.cli import build_parser, main

BAD = ["bogus://x", "not a url", "mysql://u@h/db", "postgresql+asyncpg://u:secret@h/db"]


def commands_with_a_database() -> list[list[str]]:
    """Each subcommand that takes --database, with just enough arguments to reach it."""
    args = {"import": ["a.yaml"], "export": ["123456", "2026/27", "-o", "out.yaml"],
            "upgrade": ["--urn", "123456", "--year", "2026/27", "--to", "1.1.0"],
            "backup": ["out.backup"], "restore": ["in.backup"], "check": [],
            "cycle": ["919"], "migrate": []}
    parser = build_parser()
    found = []
    for action in parser._subparsers._group_actions[0].choices.items():
        name, sub = action
        if any("--database" in a.option_strings for a in sub._actions):
            assert name in args, f"add arguments for {name} to this test"
            found.append([name, *args[name]])
    return found


@pytest.mark.parametrize("url", BAD)
def test_every_command_refuses_a_wrong_address_in_words(url, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for command in commands_with_a_database():
        assert main([*command, "--database", url]) == 1, command
        err = capsys.readouterr().err
        assert err.startswith("cannot open the database given by --database: the address"), (
            command, err)
        assert "Traceback" not in err and "secret" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_wrong_address_in_the_environment_is_named_as_the_environment(
        capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("QUALITY_OFFER_DATABASE_URL", "bogus://x")
    assert main(["check"]) == 1
    assert capsys.readouterr().err.startswith(
        "cannot open the database given by QUALITY_OFFER_DATABASE_URL: the address")
