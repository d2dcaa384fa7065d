"""Commands for the study design: init, participants, waves, attendance, status."""

from __future__ import annotations

import click

from ..errors import QualcodeError
from ..project import Project
from .common import echo, parse_pairs, print_json, print_table, project_option


@click.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--title", help="Title of the study (default: the file name).")
@click.option("--coder", "default_coder", help="Default coder for this project.")
def init(path: str, title: str | None, default_coder: str | None) -> None:
    """Create a new, empty project file at PATH."""
    with Project.create(path, title=title) as project:
        if default_coder:
            project.study.set_default_coder(default_coder)
        echo(f"created {path} (schema version {project.schema_version})")


@click.group()
def participant() -> None:
    """Register participants and their attributes."""


@participant.command("add")
@click.argument("pid")
@click.option("--role", help="Role, e.g. client, health_trainer, manager.")
@click.option("--site", help="Site or service.")
@click.option("--pseudonym", help="Pseudonym used in quotes and exports.")
@click.option("--attr", "attrs", multiple=True, metavar="KEY=VALUE", help="A fixed attribute (repeatable).")
@project_option
def participant_add(project: Project, pid: str, role, site, pseudonym, attrs) -> None:
    """Register participant PID."""
    person = project.study.add_participant(
        pid, role=role, site=site, pseudonym=pseudonym, attributes=parse_pairs(attrs)
    )
    echo(f"added {person.pid}")


@participant.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def participant_list(project: Project, as_json: bool) -> None:
    """List participants with role, site and attributes."""
    people = project.study.participants()
    if as_json:
        print_json(people)
        return
    print_table(
        ["id", "pseudonym", "role", "site", "attributes"],
        [
            (p.pid, p.pseudonym, p.role, p.site,
             ", ".join(f"{k}={v}" for k, v in p.attributes.items()))
            for p in people
        ],
    )


@participant.command("show")
@click.argument("pid")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def participant_show(project: Project, pid: str, as_json: bool) -> None:
    """Show one participant, with attributes by wave."""
    person = project.study.participant(pid)
    if as_json:
        print_json(person)
        return
    echo(f"{person.pid}  {person.pseudonym or ''}  {person.role or ''}  {person.site or ''}")
    for key, value in person.attributes.items():
        echo(f"  {key}: {value}")
    for wave, values in person.wave_attributes.items():
        echo(f"  [{wave}] " + ", ".join(f"{k}={v}" for k, v in values.items()))


@participant.command("set")
@click.argument("pid")
@click.argument("pairs", nargs=-1, required=True, metavar="KEY=VALUE...")
@click.option("--wave", help="Set attributes that vary by wave, at this wave.")
@project_option
def participant_set(project: Project, pid: str, pairs, wave) -> None:
    """Set fields (pseudonym, role, site) or attributes of PID."""
    project.study.set_participant(pid, parse_pairs(pairs), wave=wave)
    echo(f"updated {pid}")


@click.group()
def wave() -> None:
    """Define the waves (time points) of the study."""


@wave.command("add")
@click.argument("label")
@click.option("--order", type=int, help="Position in time (default: after the last wave).")
@click.option("--start", help="First day of fieldwork (YYYY-MM-DD).")
@click.option("--end", help="Last day of fieldwork (YYYY-MM-DD).")
@click.option("--description", help="What this wave is.")
@project_option
def wave_add(project: Project, label, order, start, end, description) -> None:
    """Add wave LABEL."""
    row = project.study.add_wave(label, order=order, start=start, end=end, description=description)
    echo(f"added wave {row.label} (order {row.ordinal})")


@wave.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def wave_list(project: Project, as_json: bool) -> None:
    """List waves in order."""
    waves = project.study.waves()
    if as_json:
        print_json(waves)
        return
    print_table(
        ["order", "label", "start", "end", "description"],
        [(w.ordinal, w.label, w.start_date, w.end_date, w.description) for w in waves],
    )


@click.command()
@click.argument("pid")
@click.argument("wave_label", metavar="WAVE")
@click.argument("status", type=click.Choice(["interviewed", "missed", "withdrawn", "not_yet"]))
@click.option("--note", help="Why, for example 'in hospital'.")
@project_option
def attend(project: Project, pid, wave_label, status, note) -> None:
    """Record attendance of PID at WAVE (interviewed, missed, withdrawn, not_yet)."""
    project.study.set_attendance(pid, wave_label, status, note)
    echo(f"{pid} at {wave_label}: {status}")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def status(project: Project, as_json: bool) -> None:
    """Counts of everything in the project, and its schema version."""
    info = project.status()
    if as_json:
        print_json(info)
        return
    echo(f"{info['title']}  ({info['path']}, schema version {info['schema_version']})")
    print_table(["what", "count"], info["counts"].items())
    recordings = info["recordings"]
    if recordings["linked"]:
        echo(f"recordings: {recordings['linked']} linked")
    for state in ("missing", "changed"):
        if recordings[state]:
            echo(f"recordings {state}: {', '.join(recordings[state])} "
                 "(see `qualcode transcript media NAME`; find moved ones with --relink FOLDER)")


@click.command()
@click.argument("dest", required=False, type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Replace DEST if it exists.")
def example(dest: str | None, force: bool) -> None:
    """Build the coded example study into DEST (default example.qualcode in the current
    folder), with an exports/ folder beside it for the tour's outputs."""
    from pathlib import Path

    from rich.progress import Progress

    from ..example import DEFAULT_NAME, build_example
    target = Path(dest or DEFAULT_NAME)
    if force:
        if Project.in_use_elsewhere(target):
            # Removing it would leave the other program writing to a file nobody sees.
            raise QualcodeError(f"{target.name}: is open in another program (the terminal UI?); "
                                "close it before rebuilding the example")
        for leftover in (target, target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
            leftover.unlink(missing_ok=True)
    with Progress(transient=True) as bar:
        task = bar.add_task("importing transcripts", total=None)
        path = build_example(target, progress=lambda d, t, n: bar.update(task, completed=d, total=t))
    with Project.open(path) as project:
        project.exports.make_folder()
        counts = project.status()["counts"]
    echo(f"built {path}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
