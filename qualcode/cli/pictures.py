"""Pictures of change over time: a heat map per code or theme, a timeline per participant."""

from __future__ import annotations

import click

from ..project import Project
from .common import echo, project_option


@click.group()
def picture() -> None:
    """Draw change over time as a PNG or SVG picture (by the output's suffix)."""


@picture.command("heatmap")
@click.argument("code")
@click.option("-o", "--output", metavar="FILE.png|FILE.svg", default=None,
              help="Where to write (default: exports/<project>-heatmap-CODE.png).")
@click.option("--measure", type=click.Choice(["count", "presence", "chars"]), default="count", show_default=True)
@click.option("--role", metavar="ROLE", help="Only participants with this role.")
@project_option
def heatmap(project: Project, code, output, measure, role) -> None:
    """Participants x waves for CODE, or for a theme (a category: its codes merged)."""
    echo(f"wrote {project.exports.heatmap_picture(code, output, measure=measure, role=role)}")


@picture.command("timeline")
@click.argument("participant")
@click.option("-o", "--output", metavar="FILE.png|FILE.svg", default=None,
              help="Where to write (default: exports/<project>-timeline-PID.png).")
@click.option("--measure", type=click.Choice(["count", "chars"]), default="count", show_default=True)
@project_option
def timeline(project: Project, participant, output, measure) -> None:
    """One participant's codes across the waves."""
    echo(f"wrote {project.exports.timeline_picture(participant, output, measure=measure)}")
