"""Commands for transcripts: import, list, show, speaker mapping, search."""

from __future__ import annotations

import click
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from ..errors import QualcodeError
from ..model import parse_speaker_map
from ..project import Project
from ..records import json_data
from ..terminal_text import printable
from .common import console, echo, parse_pairs, print_json, print_table, project_option


def _print_results(results, failures=()) -> None:
    print_table(
        ["transcript", "status", "kind", "participant", "wave", "turns", "sentences", "words", "encoding",
         "unmapped"],
        [
            (r.name, r.status, r.kind, r.participant, r.wave, r.turns, r.sentences, r.words,
             r.encoding or "", ", ".join(r.unmapped))
            for r in results
        ],
    )
    for r in results:
        for note in r.notes:
            echo(f"note: {r.name}: {note}", err=True)
    for failure in failures:
        echo(f"failed: {failure}", err=True)


@click.command("import")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--manifest", type=click.Path(dir_okay=False), help="Import every file a manifest CSV lists.")
@click.option("--keep-going", is_flag=True, help="With --manifest: import the good rows, report the bad.")
@click.option("--participant", help="The participant interviewed.")
@click.option("--wave", help="The wave the transcript belongs to.")
@click.option("--kind", default="interview", show_default=True,
              type=click.Choice(["interview", "focus-group", "notes", "document"]))
@click.option("--speaker-map", "speaker_map", multiple=True, metavar="LABEL=ID",
              help="Map a speaker label to a participant, or to 'interviewer' to mark an "
                   "interviewer's label (repeatable).")
@click.option("--date", help="Date of the interview (YYYY-MM-DD).")
@click.option("--name", help="Name of the transcript (default: the file name without extension).")
@click.option("--labels", metavar="A,B,...",
              help="The speaker labels, when detection gets them wrong: only these are speakers "
                   "(a comma inside a label is written \\,).")
@click.option("--label-pattern", metavar="REGEX",
              help="A regular expression matched at the start of each line; its group 'label' "
                   "(or first group) is the speaker.")
@click.option("--preview", is_flag=True,
              help="Show the labels, first turns, header and footer an import would find; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def import_(project: Project, files, manifest, keep_going, participant, wave, kind, speaker_map,
            date, name, labels, label_pattern, preview, as_json) -> None:
    """Import transcripts (.txt, .md, .docx, .vtt, .srt), or a whole study with --manifest."""
    if manifest and files:
        raise QualcodeError("give files or --manifest, not both")
    if not manifest and not files:
        raise QualcodeError("nothing to import: give transcript files or --manifest FILE")
    if name and len(files) > 1:
        raise QualcodeError("--name works with one file at a time")
    if manifest and (labels or label_pattern):
        raise QualcodeError("with --manifest, give each file's labels in the manifest's 'labels' column")
    if preview:
        mapping = parse_speaker_map(list(speaker_map))
        previews = project.transcripts.preview_manifest(manifest) if manifest else [
            project.transcripts.preview_import(file, participant=participant, kind=kind, speaker_map=mapping,
                                   labels=labels, label_pattern=label_pattern)
            for file in files
        ]
        if as_json:
            print_json([p if isinstance(p, str) else p.to_dict() for p in previews])
        else:
            for item in previews:
                if isinstance(item, str):
                    echo(f"failed: {item}", err=True)
                else:
                    print_preview(item)
            echo("preview only: nothing was imported", err=True)
        if any(isinstance(p, str) for p in previews):
            raise SystemExit(1)
        return
    if manifest:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console, transient=True,
                      disable=as_json) as bar:
            task = bar.add_task("importing", total=None)

            def tick(done: int, total: int, current: str) -> None:
                # A file name: shown escaped, and never read as Rich markup.
                bar.update(task, completed=done, total=total, description=escape(printable(current)))

            report = project.transcripts.import_manifest(manifest, keep_going=keep_going, progress=tick)
        if as_json:
            print_json(report.to_dict())
            return
        _print_results(report.results, report.failures)
        echo(
            f"{len(report.imported)} imported, {len(report.duplicates)} already there, "
            f"{len(report.failures)} failed; participants added: {len(report.participants_added)}"
        )
        if report.failures:
            raise SystemExit(1)
        return
    mapping = parse_speaker_map(list(speaker_map))
    results = []
    for file in files:
        results.append(project.transcripts.import_transcript(
            file, participant=participant, wave=wave, kind=kind, speaker_map=mapping,
            date=date, name=name, labels=labels, label_pattern=label_pattern,
        ))
    if as_json:
        print_json([r.to_dict() for r in results])
    else:
        _print_results(results)


def print_preview(item) -> None:
    """One file's import preview, for a person."""
    labels = ", ".join(f"{label} ({n})" for label, n in item.labels) or "none (paragraphs are the units)"
    echo(f"{item.source} ({item.format}{', ' + item.encoding if item.encoding else ''}): "
               f"{item.turns} turns, {len(item.labels)} speaker label(s)")
    if item.labels_given:
        echo(f"  labels given: {item.labels_given}")
    echo(f"  labels found: {labels}")
    if not item.labels:
        echo(f"  paragraphs: split at {item.paragraphs}")
    if item.header:
        echo(f"  header (no speaker): {item.header}")
    if item.footer:
        echo(f"  footer (no speaker): {item.footer}")
    if item.skipped:
        echo("  not speech: " + ", ".join(f"{n} {why}{'s' if n > 1 else ''}"
                                               for why, n in sorted(item.skipped.items())))
    if item.markers:
        echo(f"  markers, not speakers: {', '.join(item.markers)}")
    if item.narration:
        echo(f"  narration: {item.narration} paragraph(s) after a turn, too long to be that speaker's")
    shown = [f"{label}={'interviewer' if label in item.interviewers else pid}"
             for label, pid in item.mapping.items() if pid or label in item.interviewers]
    if shown:
        echo(f"  speakers map to: {', '.join(shown)}")
    if item.unmapped:
        echo(f"  unmapped: {', '.join(item.unmapped)}")
    for note in item.notes:
        echo(f"  note: {note}")
    print_table(["#", "speaker", "text"], [(n, s or "", t) for n, s, t in item.first_turns],
                title=f"first turns of {item.source}")


@click.group()
def transcript() -> None:
    """List and read imported transcripts."""


@transcript.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def transcript_list(project: Project, as_json: bool) -> None:
    """List transcripts with their wave, participant, size and codings."""
    rows = project.transcripts.all()
    if as_json:
        print_json(rows)
        return
    print_table(
        ["name", "kind", "wave", "participant", "date", "format", "words", "turns", "codings"],
        [(r.name, r.kind, r.wave, r.participant, r.date, r.source_format,
          r.words, r.turns, r.codings) for r in rows],
    )


@transcript.command("show")
@click.argument("name")
@click.option("--turns", "show_turns", is_flag=True, help="List turns with offsets instead of the text.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (text, speakers, turns, sentences).")
@project_option
def transcript_show(project: Project, name: str, show_turns: bool, as_json: bool) -> None:
    """Show a transcript's text, or its turns."""
    info = project.transcripts.get(name)
    text = info.text
    if as_json:
        data = json_data(info)
        data["turns"] = json_data([turn.with_text(text) for turn in info.turns])
        print_json(data)
        return
    # Where the text came from and how it was decoded, on stderr: stdout is the text alone.
    source = f"{info.source_name}, {info.source_format}" + (f", {info.encoding}" if info.encoding else "")
    if not show_turns:
        echo(f"{info.name}: from {source}", err=True)
        echo(text)
        return
    print_table(
        ["#", "speaker", "participant", "start", "end", "time", "text"],
        [(t.seq, t.speaker, t.participant, t.start, t.end,
          ("~" if t.time_estimated and t.start_time is not None else "") + _clock(t.start_time),
          _preview(text[t.start:t.end])) for t in info.turns],
        title=f"{info.name} ({info.kind}, {info.wave or 'no wave'}; from {source})",
    )


@transcript.command("speakers")
@click.argument("name")
@click.argument("pairs", nargs=-1, metavar="[LABEL=ID]...")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def transcript_speakers(project: Project, name: str, pairs, as_json: bool) -> None:
    """List a transcript's speakers, or map labels to participants (LABEL=ID; LABEL=interviewer
    marks an interviewer's label; LABEL= unmaps)."""
    if pairs:
        mapping = {k: (v or None) for k, v in parse_pairs(pairs, "LABEL=ID").items()}
        project.transcripts.map_speakers(name, mapping)
    speakers = project.transcripts.get(name).speakers
    if as_json:
        # The speaker's row id is shown by ``transcript show --json`` but not here, as before.
        print_json([{k: v for k, v in json_data(s).items() if k != "id"} for s in speakers])
        return
    print_table(["label", "participant", "interviewer", "turns"],
                [(s.label, s.participant, "yes" if s.interviewer else "", s.turns)
                 for s in speakers])


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    seconds = int(seconds)
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _preview(text: str, width: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


@click.command()
@click.argument("query")
@click.option("--kwic", default=40, show_default=True, help="Characters of context either side.")
@click.option("--participant", help="Only what this participant said.")
@click.option("--wave", help="Only this wave.")
@click.option("--speaker", help="Only turns with this speaker label.")
@click.option("--limit", default=500, show_default=True, help="At most this many turns.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@project_option
def search(project: Project, query, kwic, participant, wave, speaker, limit, as_json) -> None:
    """Full-text search of what was said: words, "a phrase", prefix*, AND/OR/NOT."""
    hits = project.search.turns(query, kwic=kwic, participant=participant, wave=wave, speaker=speaker,
                          limit=limit)
    if as_json:
        print_json(hits)
        return
    rows = []
    for hit in hits:
        contexts = [(m.left, m.match, m.right) for m in hit.matches] or [("", "", "")]
        for left, match, right in contexts:
            rows.append((hit.transcript, hit.turn, hit.speaker, hit.wave, left, match, right))
    table_rows = [(t, n, s, w, Text.assemble("…", printable(item), " ", (printable(m), "bold"), " ",
                                             printable(r), "…"))
                  for t, n, s, w, item, m, r in rows]
    print_table(["transcript", "turn", "speaker", "wave", "in context"], table_rows)
    echo(f"{len(hits)} turns", err=True)
