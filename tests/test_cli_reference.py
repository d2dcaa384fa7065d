"""docs/cli.md is the CLI as the commands describe themselves: regenerate it with
`make cli-docs` after changing a command, an option or a help text."""

from __future__ import annotations

import click

from qualcode.cli import cli
from qualcode.cli.reference import reference

from .conftest import REPO


def test_cli_reference_is_up_to_date():
    written = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert written == reference(), "docs/cli.md is out of date: run `make cli-docs`"


def _all_commands(group: click.Group, trail=()):
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        yield (*trail, name), command
        if isinstance(command, click.Group):
            yield from _all_commands(command, (*trail, name))


def test_every_command_is_in_the_reference_with_its_help():
    text = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    for path, command in _all_commands(cli):
        if command.hidden:
            continue
        assert f" qualcode {' '.join(path)}\n" in text, f"qualcode {' '.join(path)} is not in docs/cli.md"
        assert command.help, f"qualcode {' '.join(path)} has no help text"
