"""Commands for the event log: undo, redo, log."""

from __future__ import annotations

import datetime as dt

import click

from ..errors import QualcodeError
from ..project import Project
from .common import echo, print_json, print_table, project_option


@click.command()
@project_option
def undo(project: Project) -> None:
    """Undo your last action (never another coder's; it survives closing the project)."""
    event = project.undo()
    echo(f"undone: {event.summary}")


@click.command()
@project_option
def redo(project: Project) -> None:
    """Redo the action you undid last."""
    event = project.redo()
    echo(f"redone: {event.summary}")


def _since(value: str | None) -> str | None:
    """A date or ISO time as the log stores it (UTC, ``YYYY-MM-DDTHH:MM:SS+00:00``), so
    that comparing strings compares times."""
    if not value:
        return None
    value = value.strip()
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value).isoformat()
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise QualcodeError(f"--since {value!r} is not a date or time (use YYYY-MM-DD or "
                            "YYYY-MM-DDTHH:MM)") from None
    if moment.tzinfo is None:
        moment = moment.astimezone()  # a time without a zone is local time
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


@click.command()
@click.option("--since", help="Only events at or after this time (YYYY-MM-DD or ISO time).")
@click.option("--by", "by_coder", help="Only events by this coder.")
@click.option("--limit", type=click.IntRange(min=1), help="Only the last N events.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def log(project: Project, since, by_coder, limit, as_json) -> None:
    """The audit trail: who did what, when."""
    events = project.log(since=_since(since), coder=by_coder, limit=limit)
    if as_json:
        print_json(events)
        return
    print_table(
        ["#", "time", "coder", "action", "summary", "status"],
        [(e.id, e.ts, e.coder, e.action, e.summary, e.status if e.undoable else "") for e in events],
    )
