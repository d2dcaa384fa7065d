"""``qualcode tui [PATH]``: open the terminal UI (plain ``qualcode`` does too).

Textual is imported inside the command only, so the core and every other command
start without it.
"""

from __future__ import annotations

import os
import sys

import click

from ..errors import QualcodeError
from .common import echo, find_project_path

NO_TERMINAL = ("the terminal UI needs a terminal, and standard input or output is not one "
               "(every action is also a command: qualcode --help)")


def run_tui(path: str | None, coder: str | None, ctx: click.Context | None = None) -> None:
    """Open the TUI on the project found as every command finds it. For plain
    ``qualcode`` (``ctx`` given) with no project to find or no terminal, show the help
    instead."""
    try:
        project_path = find_project_path(path)
        # (`qualcode serve` runs it with Textual's web driver, which needs no terminal.)
        served = "web_driver" in os.environ.get("TEXTUAL_DRIVER", "")
        if not served and not (sys.stdin.isatty() and sys.stdout.isatty()):
            # Textual would start anyway, and wait for keys that never come.
            raise QualcodeError(NO_TERMINAL)
    except QualcodeError as exc:
        if ctx is None:
            raise
        echo(ctx.get_help())
        echo(f"\n(no terminal UI: {exc})")
        return
    from ..tui.app import make_app

    app = make_app(project_path, coder=coder)
    app.run()
    if app.return_code:
        # Textual has restored the terminal and printed the error; say it failed.
        sys.exit(app.return_code)


@click.command("tui")
@click.argument("path", required=False, metavar="[PATH]")
@click.option("--coder", default=None, metavar="NAME", help="Who is coding.")
@click.pass_context
def tui(ctx: click.Context, path: str | None, coder: str | None) -> None:
    """Open the terminal UI on a project (default: found as other commands find it)."""
    root = ctx.find_root().params
    run_tui(path or root.get("project_path"), coder or root.get("coder"))
