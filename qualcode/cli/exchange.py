"""Commands for REFI-QDA project exchange: export to and import from .qdpx."""

from __future__ import annotations

import functools

import click

from ..project import Project
from .common import echo, find_project_path, print_json


def _export(project: Project, output: str | None, as_json: bool) -> None:
    counts = project.exchange.export_refi(output)
    if as_json:
        print_json(counts)
        return
    echo(f"wrote {counts.path}: {counts.sources} sources, {counts.codes} codes, "
               f"{counts.codings} codings in {counts.selections} selections, "
               f"{counts.memos} memos, {counts.participants} cases, {counts.users} users")


def _project_only(func):
    """-p/--project and the open project as ``project`` (an export has no coder to name)."""

    @click.option("-p", "--project", "project_path", metavar="PATH", default=None,
                  help="Project file (default: $QUALCODE_PROJECT, or the only *.qualcode here).")
    @click.pass_context
    @functools.wraps(func)
    def wrapper(ctx: click.Context, project_path: str | None, **kwargs):
        path = find_project_path(project_path or ctx.find_root().params.get("project_path"))
        with Project.open(path) as project:
            return ctx.invoke(func, project=project, **kwargs)

    return wrapper


@click.command("refi")
@click.option("-o", "--output", type=click.Path(dir_okay=False), metavar="FILE.qdpx",
              help="The .qdpx file to write (default: <project>.qdpx in exports/ beside the project).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_project_only
def refi(project: Project, output: str | None, as_json: bool) -> None:
    """The whole project as REFI-QDA (.qdpx) for NVivo, ATLAS.ti, MAXQDA, QualCoder...,
    validated against the standard's schema before it is written."""
    _export(project, output, as_json)


@click.command("import-refi")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), metavar="NEW.qualcode",
              help="The new project file to create.")
@click.option("--report", "show_report", is_flag=True,
              help="List every warning and everything not kept, not just the counts.")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.option("--coder", default=None, metavar="NAME",
              help="Coder for codings the file does not attribute to a user "
                   "(default: the file's project creator, else its first user).")
@click.pass_context
def import_refi_command(ctx: click.Context, file: str, output: str, show_report: bool, as_json: bool,
                        coder: str | None) -> None:
    """Make a new project from a REFI-QDA project (.qdpx, or a bare .qde)."""
    report = Project.from_refi(file, output, coder=coder or ctx.find_root().params.get("coder"))
    if as_json:
        print_json(report)
        return
    c = report.counts
    echo(f"created {report.project}: {c['transcripts']} sources, {c['codes']} codes, "
               f"{c['codings']} codings, {c['memos']} memos, {c['participants']} participants, "
               f"{c['coders']} coders")
    dropped = report.dropped
    if dropped:
        echo("not kept: " + ", ".join(f"{n} {what}" for what, n in dropped.items()), err=True)
    warnings = report.warnings
    if show_report:
        for warning in warnings:
            echo(f"warning: {warning}", err=True)
        for check, n in report.checks.items():
            echo(f"check: {check}: {n}", err=True)
    elif warnings:
        echo(f"{len(warnings)} warnings (see --report)", err=True)
