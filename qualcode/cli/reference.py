"""The CLI reference (``docs/cli.md``), generated from the commands themselves.

``python -m qualcode.cli.reference`` (or ``make cli-docs``) writes it;
``tests/test_cli_reference.py`` fails when the file differs from what the commands say,
so a new option or command cannot go undocumented.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import click

HEADER = """# CLI reference

Generated from the commands' own help by `make cli-docs` (`python -m qualcode.cli.reference
docs/cli.md`); a test fails when this file and the commands disagree. The same text is
printed by `qualcode COMMAND --help`.
"""


def _commands(group: click.Group, ctx: click.Context,
              trail: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], click.Command, click.Context]]:
    for name in sorted(group.list_commands(ctx)):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        path = (*trail, name)
        sub = click.Context(command, info_name=name, parent=ctx)
        yield path, command, sub
        if isinstance(command, click.Group):
            yield from _commands(command, sub, path)


def reference() -> str:
    """The whole reference as Markdown: one section per command and subcommand."""
    from . import cli

    # The group's own context settings (-h as well as --help), as when it runs.
    settings = {**cli.context_settings, "terminal_width": 100, "max_content_width": 100}
    root = click.Context(cli, info_name="qualcode", **settings)
    parts = [HEADER, "## qualcode\n", "```text", cli.get_help(root).rstrip(), "```\n"]
    for path, command, ctx in _commands(cli, root, ()):
        ctx.terminal_width = ctx.max_content_width = 100
        title = " ".join(("qualcode", *path))
        aliases = getattr(command, "aliases", None)
        parts.append(f"{'#' * min(len(path) + 1, 4)} {title}\n")
        if aliases:
            parts.append(f"Also: {', '.join(aliases)}.\n")
        parts += ["```text", command.get_help(ctx).rstrip(), "```\n"]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = reference()
    if not args or args[0] == "-":
        sys.stdout.write(text)
    else:
        Path(args[0]).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
