"""The command-line face: thin commands over :class:`qualcode.project.Project`."""

from __future__ import annotations

import click

from . import coding, corrections, history, ingest, memos, study, tui  # noqa: F401  (corrections: transcript and participant subcommands)
from .common import QualcodeGroup


@click.group(cls=QualcodeGroup, context_settings={"help_option_names": ["-h", "--help"]},
             invoke_without_command=True)
@click.option("-p", "--project", "project_path", metavar="PATH", default=None,
              help="Project file (default: $QUALCODE_PROJECT, or the only *.qualcode here).")
@click.option("--coder", default=None, metavar="NAME", help="Who is doing this.")
@click.version_option(package_name="qualcode", prog_name="qualcode")  # read when asked
@click.pass_context
def cli(ctx: click.Context, project_path: str | None, coder: str | None) -> None:
    """qualcode: qualitative longitudinal coding in the terminal."""
    if ctx.invoked_subcommand is None:  # plain `qualcode` opens the terminal UI
        tui.run_tui(project_path, coder, ctx)


cli.add_command(study.init)
cli.add_command(study.participant)
cli.add_command(study.wave)
cli.add_command(study.attend)
cli.add_command(study.status)
cli.add_command(study.example)
cli.add_command(ingest.import_)
cli.add_command(ingest.transcript)
cli.add_command(ingest.search)
for command in (coding.codebook, coding.code, coding.tag, coding.untag, coding.codings,
                memos.memo, memos.segments, memos.autocode):
    cli.add_command(command)
cli.add_command(history.undo)
cli.add_command(history.redo)
cli.add_command(history.log)
from . import privacy as _privacy  # noqa: E402  (namekey, deidentify)

cli.add_command(_privacy.namekey)
cli.add_command(_privacy.deidentify)
from . import analysis as analysis_cmds  # noqa: E402  (matrix, change, cooccur, ...)

for command in analysis_cmds.COMMANDS:
    cli.add_command(command)
cli.add_command(tui.tui)
from . import team as _team  # noqa: E402  (codebook merge, merge)

coding.codebook.add_command(_team.codebook_merge)
cli.add_command(_team.merge)
from . import agreement as _agreement  # noqa: E402  (agree, export-for-coder)

cli.add_command(_agreement.agree)
cli.add_command(_agreement.export_for_coder)
from . import exchange as _exchange  # noqa: E402  (import-refi; `export refi` is in export.py)

cli.add_command(_exchange.import_refi_command)
from . import export as _export  # noqa: E402  (export docx|codebook|matrix|portraits|methods|segments)

cli.add_command(_export.export)
from . import facts as _facts  # noqa: E402  (study facts; wave time-point)

cli.add_command(_facts.study)


def main() -> None:
    cli(prog_name="qualcode")
