"""Commands for team work: codebook merge plans and project merges."""

from __future__ import annotations

import click

from ..errors import QualcodeError
from ..project import Project
from .common import echo, print_json, print_table, project_option


@click.command("merge")
@click.argument("others", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--threshold", default=85.0, show_default=True, help="Fuzzy match threshold (0-100).")
@click.option("--plan", "plan_out", type=click.Path(dir_okay=False), help="Write the plan here to review and edit.")
@click.option("--apply", "plan_in", type=click.Path(dir_okay=False), help="Apply a reviewed plan.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def codebook_merge(project: Project, others, threshold, plan_out, plan_in, as_json) -> None:
    """Compare OTHER codebooks (files or projects) with this one; write or apply a plan."""
    if plan_in:
        if others:
            raise QualcodeError("--apply takes the plan alone; the codebooks were read when it was made")
        mapping = project.team.apply_codebook_plan(plan_in)
        echo(f"applied {plan_in}: {len(mapping)} code(s) mapped or added")
        return
    if not others:
        raise QualcodeError("give the codebook files or projects to compare with")
    plan = project.team.codebook_merge_plan(list(others), threshold=threshold)
    if plan_out:
        project.team.write_plan(plan, plan_out)
    if as_json:
        print_json(plan)
        return
    print_table(["incoming", "status", "action", "target", "candidates"],
                [(d.incoming.name, d.status, d.action, d.target,
                  ", ".join(f"{c.name} ({c.score})" for c in d.candidates or ()))
                 for d in plan.decisions])
    if plan_out:
        echo(f"wrote {plan_out}: edit the actions, then run `qualcode codebook merge --apply {plan_out}`",
                   err=True)


@click.command()
@click.argument("other", type=click.Path(dir_okay=False))
@click.option("--plan", type=click.Path(dir_okay=False), help="A reviewed codebook merge plan.")
@click.option("--threshold", default=85.0, show_default=True)
@click.option("--dry-run", is_flag=True, help="Report what would happen; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def merge(project: Project, other, plan, threshold, dry_run, as_json) -> None:
    """Bring another coder's copy of the project into this one (one undoable action)."""
    report = project.team.merge_project(other, plan=plan, dry_run=dry_run, threshold=threshold)
    if as_json:
        print_json(report.to_dict())
        return
    rows = [("transcripts matched", report.transcripts_matched),
            ("transcripts only in other (not merged)", len(report.transcripts_only_there)),
            ("codes", ", ".join(f"{k} {v}" for k, v in report.codebook.items())),
            ("participants added", len(report.participants_added)),
            ("coders added", ", ".join(report.coders_added)),
            ("codings added", report.codings_added),
            ("codings already here", report.codings_identical),
            ("codings skipped (rejected code or unknown transcript)", report.codings_skipped),
            ("memos added", report.memos_added), ("memos already here", report.memos_identical)]
    print_table(["", "dry run" if dry_run else "merged"], rows)
    for conflict in report.conflicts:
        echo(f"conflict: {conflict}", err=True)
    if report.backup:
        echo(f"backup taken first: {report.backup}", err=True)
