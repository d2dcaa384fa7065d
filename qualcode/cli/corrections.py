"""Commands that correct imported data: replace, relabel, split and join turns, move a
transcript, delete a transcript or a participant. Each is one undoable action."""

from __future__ import annotations

import click

from ..errors import QualcodeError
from ..project import Project
from ..records import json_data
from .common import echo, parse_pairs, print_json, print_table, project_option
from .ingest import transcript
from .study import participant


@transcript.command("replace")
@click.argument("name")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--labels", metavar="A,B,...", help="The speaker labels, when detection gets them wrong.")
@click.option("--label-pattern", metavar="REGEX", help="A pattern whose group 'label' is the speaker.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def transcript_replace(project: Project, name: str, file: str, labels, label_pattern, as_json: bool) -> None:
    """Replace transcript NAME's text with a corrected version of its file; codings follow
    their passages, and those that cannot be placed are listed (undo brings them back)."""
    report = project.transcripts.replace_transcript(name, file, labels=labels, label_pattern=label_pattern)
    if as_json:
        print_json(report.to_dict())
        return
    echo(f"replaced {name} with {report.source}: {report.turns_before} -> {report.turns_after} turns; "
               f"codings: {report.kept} kept, {len(report.changed)} changed, {len(report.moved)} moved, "
               f"{len(report.unplaced)} not placed")
    if report.speakers_added or report.speakers_removed:
        echo(f"speakers added: {', '.join(report.speakers_added) or '-'}; "
                   f"removed: {', '.join(report.speakers_removed) or '-'}")
    rows = [(kind, c["code"], c["coder"], c["text"], c.get("new_text", ""))
            for kind, items in (("changed", report.changed), ("moved", report.moved),
                                ("merged", report.merged), ("NOT PLACED", report.unplaced))
            for c in items]
    if rows:
        print_table(["", "code", "coder", "was", "now"], rows, title="codings that did not stay as they were")
    if report.unplaced:
        echo(f"{len(report.unplaced)} coding(s) could not be placed in the new text and were removed; "
                   "`qualcode undo` brings the old text and them back", err=True)


@transcript.command("relabel")
@click.argument("name")
@click.argument("pairs", nargs=-1, metavar="OLD=NEW...")
@click.option("--turn", "turns", multiple=True, metavar="N=LABEL",
              help="Give turn N to LABEL (N= for nobody); repeatable.")
@project_option
def transcript_relabel(project: Project, name: str, pairs, turns) -> None:
    """Rename speaker labels (OLD=NEW; to a label the transcript has: merge), or give
    single turns to another speaker with --turn N=LABEL."""
    if not pairs and not turns:
        raise QualcodeError("nothing to relabel: give OLD=NEW pairs or --turn N=LABEL")
    if pairs:
        speakers = project.transcripts.relabel_speakers(name, parse_pairs(pairs, "OLD=NEW"))
        echo(f"{name}: speakers now " + ", ".join(f"{s.label} ({s.turns})" for s in speakers))
    for number, label in parse_pairs(turns, "N=LABEL").items():
        if not number.isdigit():
            raise QualcodeError(f"--turn {number}={label}: N is a turn number")
        turn = project.transcripts.set_turn_speaker(name, int(number), label or None)
        echo(f"{name}: turn {turn.seq} -> {turn.speaker or 'no speaker'}")


@transcript.command("split-turn")
@click.argument("name")
@click.argument("turn", type=int)
@click.option("--at", type=int, help="Offset in the transcript where the second turn starts.")
@click.option("--before", metavar="TEXT", help="Split just before the first occurrence of TEXT in the turn.")
@click.option("--speaker", metavar="LABEL", help="The second turn's speaker (default: the same).")
@project_option
def transcript_split_turn(project: Project, name: str, turn: int, at, before, speaker) -> None:
    """Cut turn TURN of transcript NAME in two."""
    first, second = project.transcripts.split_turn(name, turn, at=at, before=before, speaker=speaker)
    echo(f"{name}: turn {first.seq} ({first.speaker or '-'}) {first.start}-{first.end}, "
               f"turn {second.seq} ({second.speaker or '-'}) {second.start}-{second.end}")


@transcript.command("join-turns")
@click.argument("name")
@click.argument("turn", type=int)
@click.option("--count", default=2, show_default=True, help="How many turns to join, from TURN on.")
@project_option
def transcript_join_turns(project: Project, name: str, turn: int, count: int) -> None:
    """Join turn TURN of transcript NAME with the turns after it."""
    result = project.transcripts.join_turns(name, turn, count)
    joined = result.turn
    echo(f"{name}: turn {joined.seq} ({joined.speaker or '-'}) now spans {joined.start}-{joined.end}")
    if result.included:
        echo(f"note: the joined turn now includes {', '.join(repr(t) for t in result.included)}", err=True)


@transcript.command("set")
@click.argument("name")
@click.option("--wave", help="Move to this wave ('' for none).")
@click.option("--participant", help="Give to this participant ('' for none).")
@click.option("--kind", type=click.Choice(["interview", "focus-group", "notes", "document"]))
@click.option("--date", help="Date of the interview, YYYY-MM-DD ('' for none).")
@click.option("--name", "rename", help="A new name for the transcript.")
@project_option
def transcript_set(project: Project, name: str, wave, participant, kind, date, rename) -> None:
    """Change a transcript's wave, participant, kind, date or name."""
    summary = project.transcripts.set_transcript(name, wave=wave, participant=participant, kind=kind, date=date,
                                     rename=rename)
    echo(", ".join(f"{k}={v if v is not None else '-'}" for k, v in json_data(summary).items()))


@transcript.command("delete")
@click.argument("name")
@click.option("--force", is_flag=True, help="Delete even if it has codings (undo brings them back).")
@project_option
def transcript_delete(project: Project, name: str, force: bool) -> None:
    """Delete transcript NAME with its turns (refused while it has codings, unless --force)."""
    report = project.transcripts.delete_transcript(name, force=force)
    echo(f"deleted {report.transcript} ({report.turns} turns, {report.codings} codings); "
               "`qualcode undo` brings it back")


@participant.command("delete")
@click.argument("pid")
@click.option("--force", is_flag=True, help="Delete even if their transcripts have codings.")
@project_option
def participant_delete(project: Project, pid: str, force: bool) -> None:
    """Delete participant PID with their attributes and interview transcripts (refused
    while those have codings, unless --force; undo brings everything back)."""
    report = project.transcripts.delete_participant(pid, force=force)
    echo(f"deleted {pid}: {len(report.transcripts)} transcript(s), {report.codings} codings")
    if report.unmapped:
        echo(f"now unmapped: {', '.join(report.unmapped)}", err=True)
