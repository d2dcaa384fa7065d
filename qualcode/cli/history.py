"""Commands for the event log: undo, redo, log."""

from __future__ import annotations

import click

from ..project import Project
from .common import print_json, print_table, project_option


@click.command()
@project_option
def undo(project: Project) -> None:
    """Undo the last action (it survives closing the project)."""
    event = project.undo()
    click.echo(f"undone: {event.summary}")


@click.command()
@project_option
def redo(project: Project) -> None:
    """Redo the action undone last."""
    event = project.redo()
    click.echo(f"redone: {event.summary}")


@click.command()
@click.option("--since", help="Only events at or after this time (YYYY-MM-DD or ISO time).")
@click.option("--by", "by_coder", help="Only events by this coder.")
@click.option("--limit", type=int, help="Only the last N events.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def log(project: Project, since, by_coder, limit, as_json) -> None:
    """The audit trail: who did what, when."""
    events = project.log(since=since, coder=by_coder, limit=limit)
    if as_json:
        print_json([e.to_dict() for e in events])
        return
    print_table(
        ["#", "time", "coder", "action", "summary", "status"],
        [(e.id, e.ts, e.coder, e.action, e.summary, e.status if e.undoable else "") for e in events],
    )
