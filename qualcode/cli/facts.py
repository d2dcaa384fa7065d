"""``qualcode study ...``: the study facts a methods appendix reports (COREQ), and
``qualcode wave time-point``: how a wave is cited for each role."""

from __future__ import annotations

import click

from ..model import FACTS, INTERVIEWER_FIELDS
from ..project import Project
from ..records import json_data
from .common import echo, parse_pairs, print_json, print_table, project_option
from .study import wave


@click.group()
def study() -> None:
    """Study facts for the methods appendix: interviewers, setting, recording, field
    notes, interview guide, sampling, orientation... (COREQ items the data cannot tell)."""


@study.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def study_show(project: Project, as_json: bool) -> None:
    """Show the study facts, the interviewers and recorded durations."""
    facts = project.study.study_facts()
    if as_json:
        print_json({**json_data(facts), "durations": project.study.durations(),
                    "time_points": project.study.time_points()})
        return
    print_table(["COREQ", "fact", "value"],
                [(item, key, facts.facts.get(key, "")) for key, (item, _) in FACTS.items()],
                title="study facts")
    print_table(["name", *INTERVIEWER_FIELDS],
                [[p.name, *(p.value(k) or "" for k in INTERVIEWER_FIELDS)] for p in facts.interviewers],
                title="interviewers and facilitators")


@study.command("set")
@click.argument("pairs", nargs=-1, required=True, metavar="KEY=VALUE...")
@project_option
def study_set(project: Project, pairs) -> None:
    """Set study facts (an empty value removes one)."""
    project.study.set_study_facts(parse_pairs(pairs))
    echo("updated the study facts")


study_set.help = ("Set study facts (an empty value removes one). Keys: " + ", ".join(FACTS)
                  + ".")


@study.command("interviewer")
@click.argument("name")
@click.option("--credentials", help="E.g. PhD, MSc, RN.")
@click.option("--occupation", help="Their occupation at the time of the study.")
@click.option("--gender")
@click.option("--experience", help="Experience and training in qualitative interviewing.")
@click.option("--relationship", help="Any relationship with participants before the study.")
@click.option("--known", "known_to_participants",
              help="What participants knew about them (goals, reasons for the research).")
@click.option("--characteristics", help="Assumptions, reasons and interests reported.")
@click.option("--remove", is_flag=True, help="Remove this interviewer.")
@project_option
def study_interviewer(project: Project, name: str, remove: bool, **fields) -> None:
    """Add an interviewer or facilitator, or change what is recorded about them."""
    if remove:
        project.study.remove_interviewer(name)
        echo(f"removed interviewer {name}")
        return
    project.study.set_interviewer(name, **{k: v for k, v in fields.items() if v is not None})
    echo(f"recorded interviewer {name}")


@study.command("duration")
@click.argument("transcript")
@click.argument("minutes", type=float, required=False)
@project_option
def study_duration(project: Project, transcript: str, minutes: float | None) -> None:
    """Record how long the interview or focus group of TRANSCRIPT lasted, in minutes
    (without MINUTES: remove it)."""
    project.study.set_duration(transcript, minutes)
    echo(f"{transcript}: {f'{minutes:g} minutes' if minutes is not None else 'duration removed'}")


@study.command("load")
@click.argument("path", type=click.Path(dir_okay=False))
@project_option
def study_load(project: Project, path: str) -> None:
    """Read a YAML study file with sections facts, interviewers, time_points and
    durations (see docs/exports.md)."""
    facts = project.study.load_study_file(path)
    echo(f"loaded {len(facts.facts)} facts and {len(facts.interviewers)} interviewers")


@wave.command("time-point")
@click.argument("wave_label", metavar="WAVE")
@click.argument("label")
@click.option("--role", help="Only for participants of this role (default: every role).")
@project_option
def wave_time_point(project: Project, wave_label: str, label: str, role: str | None) -> None:
    """Cite WAVE as LABEL, e.g. W1 "Service start-up" --role manager (an empty LABEL
    removes it)."""
    project.study.set_time_point(wave_label, label, role=role)
    who = f"{role}s" if role else "every role"
    echo(f"{wave_label} for {who}: {label or '(removed)'}")
