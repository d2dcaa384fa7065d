"""``qualcode export ...``: Word documents for supervisors and plain Markdown/CSV files.

Every command writes to ``-o``; without it, to the ``exports/`` folder beside the project file.
``--coder`` here chooses whose codings to export (who is running the command does not
matter for a read-only export; give it before the command: ``qualcode --coder X export``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

from ..project import Project
from .common import QualcodeGroup, csv_options, echo, find_project_path, where_option
from .query import set_option


def export_project(func: Callable) -> Callable:
    """-p/--project, and the open project as ``project``. (Not common.project_option:
    here --coder filters codings by coder rather than saying who is working.)"""

    @click.option("-p", "--project", "project_path", metavar="PATH", default=None,
                  help="Project file (default: $QUALCODE_PROJECT, or the only *.qualcode here).")
    # (functools.wraps types the wrapper as the wrapped function, not as what it takes)
    @click.pass_context  # type: ignore[arg-type]
    @functools.wraps(func)
    def wrapper(ctx: click.Context, project_path: str | None, **kwargs: Any):
        root = ctx.find_root().params
        path = find_project_path(project_path or root.get("project_path"))
        with Project.open(path) as project:
            project.coder = root.get("coder")
            return ctx.invoke(func, project=project, **kwargs)

    return wrapper


def _done(paths) -> None:
    for path in paths if isinstance(paths, list) else [paths]:
        echo(f"wrote {path}")


OUTPUT = click.option("-o", "--output", metavar="FILE", default=None,
                      help="Where to write (default: a file in the exports/ folder beside the project).")
CODER = click.option("--coder", metavar="NAME", default=None, help="Only this coder's codings.")
WHERE = where_option


@click.group(cls=QualcodeGroup)
def export() -> None:
    """Word documents (theme summary, codebook, framework matrix, pen portraits, methods
    appendix) and Markdown/CSV files. Participants appear by id and pseudonym only."""


@export.command("docx")
@OUTPUT
@click.option("--themes", metavar="C1,C2", help="The codes to report as themes (comma-separated).")
@click.option("--category", metavar="K", help="Report the sub-codes of this category as themes.")
@click.option("--wave", metavar="W", help="Only this wave.")
@click.option("--quotes", type=click.IntRange(0, None), default=5, show_default=True,
              help="Exemplar quotes per theme.")
@click.option("--order", type=click.Choice(["codebook", "frequency"]), default="codebook",
              show_default=True, help="Order of the themes.")
@CODER
@click.option("--format", "fmt", type=click.Choice(["docx", "md", "csv"]), default=None,
              help="File format (default: from the output's suffix, else docx).")
@click.option("--by", "by", metavar="role|ATTR", default="role", show_default=True,
              help="Prevalence and change by role, or by an attribute's values (fixed or per wave).")
@csv_options
@WHERE
@export_project
def docx_command(project, output, themes, category, wave, quotes, order, coder, fmt, by, csv_style,
                 where) -> None:
    """Theme summary: per theme its definition, memos, prevalence by wave and role (or
    an attribute), sub-codes and exemplar quotes."""
    _done(project.exports.themes(output, themes=themes, category=category, wave=wave,
                                quotes=quotes, order=order, coder=coder, format=fmt,
                                csv_style=csv_style, where=list(where) or None, by=by))


@export.command("codebook")
@OUTPUT
@export_project
def codebook_command(project, output) -> None:
    """The codebook: the tree with definitions, criteria, examples, stage and counts
    (a Word document, or with -o FILE.xlsx one table)."""
    _done(project.exports.codebook_document(output))


@export.command("matrix")
@OUTPUT
@click.option("--by", type=click.Choice(["wave", "case"]), default="wave", show_default=True,
              help="One table per wave, or one table of cases x time points.")
@click.option("--cases", default="participant", show_default=True, metavar="participant|site|role|ATTR",
              help="What a row is: a participant, a site, a role, or a value of an attribute (its "
                   "value at each wave, in the order of its declared type).")
@click.option("--content", type=click.Choice(["text", "memo"]), default="text", show_default=True,
              help="Cells hold the coded text or the codings' memos.")
@click.option("--level", type=click.Choice(["category", "code"]), default="category",
              show_default=True, help="Columns: categories or codes.")
@click.option("--themes", metavar="C1,C2", help="Columns: these codes.")
@click.option("--category", metavar="K", help="Columns: the codes under this category.")
@click.option("--waves", metavar="W1,W2", help="Only these waves.")
@click.option("--max-chars", type=click.IntRange(0, None), default=300, show_default=True,
              help="Shorten each cell to this many characters (0: no limit).")
@CODER
@WHERE
@export_project
def matrix_command(project, output, by, cases, content, level, themes, category, waves,
                   max_chars, coder, where) -> None:
    """Framework matrix: cases x themes as Word tables on landscape pages (--where keeps
    participants and waves)."""
    _done(project.exports.matrix(output, by=by, cases=cases, content=content, level=level,
                                themes=themes, category=category, coder=coder,
                                max_chars=max_chars, waves=waves, where=list(where) or None))


@export.command("portraits")
@click.option("-o", "--output", metavar="DIR_OR_FILE", default=None,
              help="A .docx file, or an existing folder for one file per participant.")
@click.option("--participants", metavar="ID1,ID2", help="Only these participants.")
@click.option("--role", metavar="ROLE", help="Only participants with this role.")
@click.option("--quotes", type=click.IntRange(0, None), default=3, show_default=True,
              help="Key quotes per wave.")
@WHERE
@export_project
def portraits_command(project, output, participants, role, quotes, where) -> None:
    """Pen portraits: attributes, attendance, code profile, pen-portrait memo and key
    quotes for each participant (--where: those it keeps at one wave or more)."""
    _done(project.exports.portraits(output, participants=participants, role=role, quotes=quotes,
                                    where=list(where) or None))


@export.command("methods")
@OUTPUT
@export_project
def methods_command(project, output) -> None:
    """Methods appendix: the COREQ checklist with what the project holds, then the
    sample, waves and attendance, durations, coders and agreement, coding tree,
    saturation by role, how quotes are identified, the research team."""
    _done(project.exports.methods(output))


@export.command("segments")
@click.option("-o", "--output", metavar="FILE.csv|FILE.xlsx|FILE.md", default=None,
              help="Where to write (default: <project>-segments.csv in exports/ beside the project).")
@click.option("--code", "codes", multiple=True, metavar="CODE",
              help="Only this code and its sub-codes (repeatable; default: all codes).")
@click.option("--no-subcodes", is_flag=True, help="With --code: leave the sub-codes out.")
@click.option("--wave", metavar="W", help="Only this wave.")
@CODER
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "md"]), default=None,
              help="File format (default: from the output's suffix, else csv).")
@csv_options
@WHERE
@export_project
@set_option
def segments_command(project, output, codes, no_subcodes, wave, coder, fmt, csv_style, where) -> None:
    """Coded segments with participant id, pseudonym, role, wave, transcript and turn,
    and the participant's attributes (fixed, and those at the segment's wave)."""
    _done(project.exports.segments(output, codes=list(codes) or None,
                                  include_subcodes=not no_subcodes, wave=wave, coder=coder,
                                  format=fmt, csv_style=csv_style, where=list(where) or None))


from .exchange import refi as _refi  # noqa: E402  (qualcode export refi: REFI-QDA .qdpx)

export.add_command(_refi)
