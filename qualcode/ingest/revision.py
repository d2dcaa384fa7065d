"""Revising a transcript's turns and text: splitting and joining turns, and replacing the
text with a corrected version of the file.

Replacing carries every coding across (see :mod:`qualcode.ingest.realign`): kept where
its text is unchanged, placed on what survives of a shortened or edited passage, found
again where a passage moved, and otherwise reported as not placed. A coding that
cannot be placed is removed from the transcript but listed in the report, with its
text, and kept in the undo history: undoing the replacement brings it back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConflictError, NotFoundError, QualcodeError
from ..records.transcripts import Turn, TurnsJoined
from ..store import codes as store_codes
from ..store import namekey as store_namekey
from ..store import study as store_study
from ..store import transcript_edits as edits
from ..store import transcripts as store_tx

if TYPE_CHECKING:
    from .service import TranscriptService



@dataclass
class ReplaceReport:
    """What replacing a transcript's text did to it and its codings."""

    transcript: str
    source: str
    turns_before: int
    turns_after: int
    speakers_added: list[str] = field(default_factory=list)
    speakers_removed: list[str] = field(default_factory=list)
    kept: int = 0
    changed: list[dict] = field(default_factory=list)  # shortened or edited inside
    moved: list[dict] = field(default_factory=list)  # found elsewhere in the new text
    merged: list[dict] = field(default_factory=list)  # landed on an identical coding
    unplaced: list[dict] = field(default_factory=list)  # could not be placed: removed, kept in undo

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def _sentences_split(sentences: Sequence[tuple[int, int, int]], seq: int, at_end: int, at_start: int,
                     text: str) -> list[tuple[int, int, int]]:
    """Sentences after turn ``seq`` is cut in two (its first part ending at ``at_end``, its
    second starting at ``at_start``): later turns move up one; a sentence across the cut
    is cut too."""
    result = []
    for turn, start, end in sentences:
        if turn < seq:
            result.append((turn, start, end))
        elif turn > seq:
            result.append((turn + 1, start, end))
        elif end <= at_end:
            result.append((turn, start, end))
        elif start >= at_start:
            result.append((turn + 1, start, end))
        else:
            if start < at_end:
                result.append((turn, start, at_end))
            if at_start < end and text[at_start:end].strip():
                result.append((turn + 1, at_start, end))
    return result


def _sentences_joined(sentences: Sequence[tuple[int, int, int]], seq: int, count: int) -> list[tuple[int, int, int]]:
    return [(turn if turn < seq else max(seq, turn - count + 1), start, end) for turn, start, end in sentences]


def _quote(text: str, start: int, end: int, width: int = 80) -> str:
    flat = " ".join(text[start:end].split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def split_turn(self: TranscriptService, name: str, turn: int, *, at: int | None = None, before: str | None = None,
               speaker: str | None = None) -> list[Turn]:
    """Cut turn ``turn`` in two, at offset ``at`` of the transcript or before the first
    occurrence of ``before`` in the turn; the second part keeps the speaker, or goes
    to ``speaker``. Returns the two turns."""
    db = self.db
    row = store_tx.transcript_row(db, name)
    text = store_tx.transcript_text(db, row["id"])
    turns = edits.turn_rows(db, row["id"])
    if not 1 <= turn <= len(turns):
        raise NotFoundError(f"{name} has no turn {turn} (it has {len(turns)})")
    _id, _seq, speaker_id, start, end, start_time, end_time = turns[turn - 1]
    if (at is None) == (before is None):
        raise QualcodeError("say where to split: give --at OFFSET or --before TEXT")
    if before is not None:
        found = text.find(before, start, end)
        if found < 0:
            raise NotFoundError(f"{before!r} is not in turn {turn} of {name}")
        at = found
    assert at is not None  # (exactly one of at and before is given)
    first_end = at
    while first_end > start and text[first_end - 1].isspace():
        first_end -= 1
    second_start = at
    while second_start < end and text[second_start].isspace():
        second_start += 1
    if not start < first_end or not second_start < end:
        raise QualcodeError(f"offset {at} does not cut turn {turn} of {name} (it spans {start}-{end}) in two")
    with self.action("turn.split", f"{name}: split turn {turn} at {at}"):
        second_speaker = self._speaker_id(row, " ".join(speaker.split())) if speaker else speaker_id
        rows = [(s, a, b, t1, t2) for _, _, s, a, b, t1, t2 in turns]
        rows[turn - 1:turn] = [(speaker_id, start, first_end, start_time, None),
                               (second_speaker, second_start, end, None, end_time)]
        edits.replace_turns(db, row["id"], text, rows)
        store_tx.replace_sentences(db, row["id"], _sentences_split(
            store_tx.sentence_tuples(db, row["id"]), turn, first_end, second_start, text))
    return [Turn(**t) for t in store_tx.turns_of(db, row["id"])[turn - 1:turn + 1]]

def join_turns(self: TranscriptService, name: str, turn: int, count: int = 2) -> TurnsJoined:
    """Join ``count`` neighbouring turns from ``turn`` into one, with the first one's
    speaker. What stood between them (a label, say) becomes part of the turn."""
    db = self.db
    row = store_tx.transcript_row(db, name)
    text = store_tx.transcript_text(db, row["id"])
    turns = edits.turn_rows(db, row["id"])
    if count < 2:
        raise QualcodeError("joining needs at least two turns")
    if turn < 1 or turn + count - 1 > len(turns):
        raise NotFoundError(f"{name} has no turns {turn}-{turn + count - 1} (it has {len(turns)})")
    group = turns[turn - 1:turn - 1 + count]
    between = [text[a[4]:b[3]].strip() for a, b in pairwise(group)]
    with self.action("turn.join", f"{name}: joined turns {turn}-{turn + count - 1}"):
        rows = [(s, a, b, t1, t2) for _, _, s, a, b, t1, t2 in turns]
        rows[turn - 1:turn - 1 + count] = [(group[0][2], group[0][3], group[-1][4], group[0][5], group[-1][6])]
        edits.replace_turns(db, row["id"], text, rows)
        store_tx.replace_sentences(db, row["id"], _sentences_joined(
            store_tx.sentence_tuples(db, row["id"]), turn, count))
        removed = edits.delete_unused_speakers(db, row["id"])
    return TurnsJoined(Turn(**store_tx.turns_of(db, row["id"])[turn - 1]), tuple(b for b in between if b),
                       tuple(removed))

def replace_transcript(self: TranscriptService, name: str, path: str | Path, *, labels: str | None = None,
                       label_pattern: str | None = None) -> ReplaceReport:
    """Replace a transcript's text with a corrected version of its file, keeping its
    name, wave, participant, kind and GUID, and carrying its codings across."""
    from ..nlp import sentence_spans_of_any_length, word_count
    from ..privacy.replace import pseudonymise_parsed
    from .readers import read_transcript
    from .realign import place_all
    from .service import _naming_file, label_override
    from .speakers import plan_speakers

    db = self.db
    path = Path(path)
    row = store_tx.transcript_row(db, name)
    try:
        parsed = read_transcript(path, label_override(labels, label_pattern))
    except QualcodeError as exc:
        raise _naming_file(exc, path.name) from None
    if parsed.sha256 == row["sha256"]:
        raise QualcodeError(f"{path.name} is the file {name} was imported from: nothing to replace")
    other = store_tx.find_by_sha(db, parsed.sha256)
    if other is not None:
        raise ConflictError(f"{path.name} is already imported as {other}")
    parsed = pseudonymise_parsed(parsed, store_namekey.mapping(db))
    old_text = store_tx.transcript_text(db, row["id"])
    new_text = parsed.text
    old_turns = edits.turn_rows(db, row["id"])
    codings = edits.codings_of(db, row["id"])
    placements = place_all(old_text, new_text, [(c[3], c[4]) for c in codings])
    speakers = edits.speaker_rows(db, row["id"])
    new_labels = parsed.speakers
    plan = plan_speakers([label for label in new_labels if label not in speakers], kind=row["kind"],
                         participant=row["participant"], speaker_map={}, registered=set())
    report = ReplaceReport(transcript=name, source=path.name, turns_before=len(old_turns),
                           turns_after=len(parsed.turns))
    sentences = list(sentence_spans_of_any_length([new_text[t.start:t.end] for t in parsed.turns]))
    with self.action("transcript.replace", f"replaced the text of {name} with {path.name}"):
        edits.update_text(db, row["id"], text=new_text, sha256=parsed.sha256, source_name=path.name,
                          source_format=parsed.format, encoding=parsed.encoding,
                          word_count=word_count(new_text))
        ids = {label: speakers[label][0] for label in new_labels if label in speakers}
        for label in new_labels:
            if label not in ids:
                pid = plan.participant_of.get(label)
                participant_id = store_tx.participant_ids(db, [pid]).get(pid) if pid else None
                ids[label] = store_tx.insert_speaker(db, row["id"], label, participant_id,
                                                     label in plan.interviewers)
                report.speakers_added.append(label)
        edits.replace_turns(db, row["id"], new_text, [
            (ids[t.speaker] if t.speaker else None, t.start, t.end, t.start_time, t.end_time)
            for t in parsed.turns], old_text=old_text)
        report.speakers_removed = edits.delete_unused_speakers(db, row["id"])
        store_tx.replace_sentences(db, row["id"], (
            (seq, t.start + a, t.start + b)
            for seq, (t, spans) in enumerate(zip(parsed.turns, sentences), start=1) for a, b in spans))
        self._carry_codings(row["id"], codings, placements, old_text, new_text, report)
    return report

def _carry_codings(self: TranscriptService, transcript_id, codings, placements, old_text, new_text, report) -> None:
    db = self.db
    names = store_codes.names_by_id(db)
    coders = store_study.coder_names(db)
    taken: set[tuple] = set()
    unplaced = []
    for (coding_id, code_id, coder_id, start, end), place in zip(codings, placements):
        entry = {"id": coding_id, "code": names.get(code_id), "coder": coders.get(coder_id),
                 "old": [start, end], "text": _quote(old_text, start, end)}
        if place.status == "unplaced":
            unplaced.append(coding_id)
            report.unplaced.append(entry)
            continue
        key = (code_id, coder_id, place.start, place.end)
        if key in taken:
            unplaced.append(coding_id)
            report.merged.append(entry)
            continue
        taken.add(key)
        entry["new"] = [place.start, place.end]
        entry["new_text"] = _quote(new_text, place.start, place.end)
        if place.status == "kept":
            report.kept += 1
        else:
            getattr(report, place.status).append(entry)
    # Removed first, then moved: a coding's new place may be where a removed one was.
    edits.delete_codings(db, unplaced)
    moves = [(c[0], p.start, p.end) for c, p in zip(codings, placements)
             if p.status != "unplaced" and c[0] not in unplaced and (c[3], c[4]) != (p.start, p.end)]
    # Through places past the end of both texts first, so that no coding moves onto
    # one (of its code and coder) that has not moved away yet.
    parking = max(len(old_text), len(new_text)) + 1
    for index, (coding_id, _start, _end) in enumerate(moves):
        edits.move_coding(db, coding_id, parking + 2 * index, parking + 2 * index + 1)
    for coding_id, start, end in moves:
        edits.move_coding(db, coding_id, start, end)
