"""The command-line face: thin commands over :class:`qualcode.project.Project`."""

from __future__ import annotations

import click

from .. import __version__
from . import coding, history, ingest, memos, study
from .common import QualcodeGroup


@click.group(cls=QualcodeGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-p", "--project", "project_path", metavar="PATH", default=None,
              help="Project file (default: $QUALCODE_PROJECT, or the only *.qualcode here).")
@click.option("--coder", default=None, metavar="NAME", help="Who is doing this.")
@click.version_option(__version__, prog_name="qualcode")
def cli(project_path: str | None, coder: str | None) -> None:
    """qualcode: qualitative longitudinal coding in the terminal."""


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


def main() -> None:
    cli(prog_name="qualcode")
