"""What every command shares: finding the project, the coder, output and errors."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import ActionInterrupted, QualcodeError
from ..model import CsvStyle
from ..project import Project
from ..records import json_data
from ..terminal_text import has_controls, json_text, printable

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

_console: Console | None = None


def shared_console() -> Console:
    """The CLI's one rich console, made (and rich imported) on first use: a command that
    prints only plain lines starts without importing rich."""
    global _console
    if _console is None:
        from rich.console import Console

        _console = Console(highlight=False, soft_wrap=True)
    return _console


def __getattr__(name: str) -> Any:
    # `common.console` (and `from .common import console`) as before this was lazy.
    if name == "console":
        return shared_console()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def find_project_path(given: str | None) -> Path:
    """-p/--project, else $QUALCODE_PROJECT, else the only *.qualcode in this folder."""
    if given:
        return Path(given)
    env = os.environ.get("QUALCODE_PROJECT")
    if env:
        return Path(env)
    candidates = sorted(Path.cwd().glob("*.qualcode"))
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise QualcodeError(
            "no project given: use -p/--project PATH, set QUALCODE_PROJECT, "
            "or run in a folder with one *.qualcode file"
        )
    names = ", ".join(c.name for c in candidates)
    raise QualcodeError(f"several projects in this folder ({names}): choose one with -p/--project")


def project_option(func: Callable) -> Callable:
    """Add -p/--project and --coder to a command and pass an open Project as ``project``."""

    # Distinct parameter names, so a command may have its own "coder" (e.g. --by).
    @click.option("-p", "--project", "_project_path", metavar="PATH", default=None,
                  help="Project file (default: $QUALCODE_PROJECT, or the only *.qualcode here).")
    @click.option("--coder", "_coder", default=None, metavar="NAME",
                  help="Who is doing this (default: $QUALCODE_CODER, else the project's default).")
    # (functools.wraps types the wrapper as the wrapped function, not as what it takes)
    @click.pass_context  # type: ignore[arg-type]
    @functools.wraps(func)
    def wrapper(ctx: click.Context, _project_path: str | None, _coder: str | None, **kwargs: Any):
        root = ctx.find_root().params
        path = find_project_path(_project_path or root.get("project_path"))
        with Project.open(path) as project:
            project.coder = _coder or root.get("coder")
            return ctx.invoke(func, project=project, **kwargs)

    return wrapper


def csv_options(func: Callable) -> Callable:
    """--no-formula-guard and --bom for a command that can write CSV; the command gets
    ``csv_style`` (see :mod:`qualcode.csv_writer`)."""

    @click.option("--no-formula-guard", "no_formula_guard", is_flag=True,
                  help="CSV: write cells that start with = + - @ as they are (by default they get a "
                       "leading ' so that a spreadsheet shows them as text and never runs them).")
    @click.option("--bom", "bom", is_flag=True,
                  help="CSV: start the file with a UTF-8 byte order mark, so that Excel on Windows "
                       "reads accented letters right.")
    @functools.wraps(func)
    def wrapper(*args: Any, no_formula_guard: bool, bom: bool, **kwargs: Any):
        return func(*args, csv_style=CsvStyle(neutralise=not no_formula_guard, bom=bom), **kwargs)

    return wrapper


# Everything printed from here shows project data through the terminal sanitiser
# (qualcode.terminal_text): a transcript, a file name or another coder's code name can
# hold escape sequences that would act on the terminal.

def echo(message: Any = "", *, err: bool = False, nl: bool = True) -> None:
    """click.echo with every control character but tab and newline made visible."""
    click.echo(printable(message), err=err, nl=nl)


def print_json(data: Any) -> None:
    """Every command's ``--json``: records and results as JSON (see
    :func:`qualcode.records.json_data`), safe to print."""
    click.echo(json_text(json_data(data)))


def _cell(value: Any) -> Text:
    from rich.text import Text

    if isinstance(value, Text):
        if not has_controls(value.plain):
            return value
        return Text(printable(value.plain), style=value.style)  # spans cannot survive the change
    # Transcript text is full of brackets ("[inaudible]"): never read it as markup.
    return Text(printable(value))


#: Fewest cells a column of a printed table keeps before the table is shown as records.
NARROWEST_COLUMN = 4


def print_table(columns: Sequence[str], rows: Iterable[Sequence[Any]], title: str | None = None) -> None:
    from rich.table import Table

    console = shared_console()
    rows = list(rows)
    # A table of more columns than the terminal can show squeezes every column to
    # nothing (40 codes x 3 waves at 80 columns drew empty boxes): each row is then
    # printed as a record of "column: value" lines instead, which any width can show.
    if columns and len(columns) * (NARROWEST_COLUMN + 3) + 1 > console.width:
        print_records(columns, rows, title)
        return
    table = Table(title=None if title is None else _cell(title), show_lines=False, header_style="bold")
    for column in columns:
        table.add_column(_cell(column))
    for row in rows:
        table.add_row(*(_cell(v) for v in row))
    console.print(table)


def print_records(columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None) -> None:
    """Each row as a block of ``column: value`` lines (what a table too wide for the
    terminal becomes), with a note on stderr of how to keep the table."""
    from rich.text import Text

    console = shared_console()
    echo(f"{len(columns)} columns do not fit in {console.width}: each row is shown as a list "
         "(-o FILE.csv or .xlsx keeps the table; COLUMNS=N widens it)", err=True)
    if title is not None:
        console.print(Text.assemble(_cell(title), style="bold"))
    width = max(len(printable(str(c))) for c in columns)
    for number, row in enumerate(rows, start=1):
        console.print(Text(f"-- {number} --", style="dim"))
        for column, value in zip(columns, row, strict=False):
            console.print(Text.assemble((printable(str(column)).ljust(width), "bold"), "  ", _cell(value)))


def parse_pairs(pairs: Iterable[str], what: str = "key=value") -> dict[str, str]:
    result: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise QualcodeError(f"{pair!r} is not {what}")
        result[key.strip()] = value.strip()
    return result


class QualcodeGroup(click.Group):
    """A click group that turns our errors into one line on stderr and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ActionInterrupted as exc:  # Ctrl-C during a statement
            echo(exc.message, err=True)
            sys.exit(130)
        except QualcodeError as exc:
            # Messages name files and things from the project: shown like any listing.
            raise click.ClickException(printable(exc)) from None
        except KeyboardInterrupt:
            click.echo("interrupted; nothing half-done was saved", err=True)
            sys.exit(130)


#: ``--where``, the shared filter language (docs/analysis.md, "Filters").
where_option = click.option(
    "--where", "where", multiple=True, metavar="FILTER",
    help="Only what matches (repeatable, all must hold): sex=F, age>=50, W2.employment=unemployed, "
         "employment@W2=unemployed, wave:W3, role:client, site:X, coder:NAME, speaker:PID.")
