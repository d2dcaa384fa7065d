"""Correcting what was imported: a transcript's wave, participant, kind, date or name;
its speaker labels; deleting a transcript or a participant.

Each correction is one action: logged, one transaction, and undoable (the tables it
writes are captured by the undo triggers, see :mod:`qualcode.store.schema`). Deleting
something that has codings is refused unless forced, and a forced deletion keeps the
codings in the undo history: undo brings them back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..errors import ConflictError, NotFoundError, QualcodeError
from ..records.transcripts import ParticipantDeleted, Speaker, TranscriptDeleted, TranscriptSummary, Turn
from ..store import schema
from ..store import study as store_study
from ..store import transcript_edits as edits
from ..store import transcripts as store_tx
from .speakers import is_interviewer_label

if TYPE_CHECKING:
    from .service import TranscriptService



# --- a transcript's fields ---------------------------------------------------------

def set_transcript(
    self: TranscriptService,
    name: str,
    *,
    wave: str | None = None,
    participant: str | None = None,
    kind: str | None = None,
    date: str | None = None,
    rename: str | None = None,
) -> TranscriptSummary:
    """Move a transcript to another wave or participant, or change its kind, date or
    name. ``None`` leaves a field as it is; ``""`` clears wave, participant or date.

    An interview's attendance moves with it (the old wave's "interviewed" goes when
    no other interview of that participant is there), and the speakers mapped to the
    old participant are mapped to the new one."""
    from ..model import check_date as _check_date

    db = self.db
    row = store_tx.transcript_row(db, name)
    fields: dict = {}
    changes = []
    if kind is not None and kind != row["kind"]:
        if kind not in schema.TRANSCRIPT_KINDS:
            raise QualcodeError(f"kind {kind!r} is not one of {', '.join(schema.TRANSCRIPT_KINDS)}")
        fields["kind"] = kind
        changes.append(f"kind {row['kind']} -> {kind}")
    if wave is not None and (wave or None) != row["wave"]:
        fields["wave_id"] = store_study.wave_row(db, wave)["id"] if wave else None
        changes.append(f"wave {row['wave'] or '-'} -> {wave or '-'}")
    if participant is not None and (participant or None) != row["participant"]:
        fields["participant_id"] = store_study.participant_row(db, participant)["id"] if participant else None
        changes.append(f"participant {row['participant'] or '-'} -> {participant or '-'}")
    if date is not None and (_check_date(date, "date") or None) != row["date"]:
        fields["date"] = _check_date(date, "date")
        changes.append(f"date {row['date'] or '-'} -> {fields['date'] or '-'}")
    if rename is not None and rename.strip() != name:
        rename = rename.strip()
        if not rename:
            raise QualcodeError("a transcript's name cannot be empty")
        if store_tx.name_taken(db, rename):
            raise ConflictError(f"a transcript is already named {rename!r}")
        fields["name"] = rename
        changes.append(f"name -> {rename}")
    if not fields:
        raise QualcodeError(f"nothing to change for {name}: give --wave, --participant, --kind, --date or --name")
    with self.action("transcript.set", f"{name}: {', '.join(changes)}"):
        old_key = (row["participant_id"], row["wave_id"])
        edits.update_fields(db, row["id"], **fields)
        new_participant = fields.get("participant_id", row["participant_id"])
        if "participant_id" in fields:
            edits.remap_speakers(db, row["id"], row["participant_id"], new_participant)
        new_key = (new_participant, fields.get("wave_id", row["wave_id"]))
        if old_key != new_key or "kind" in fields:
            self._move_attendance(row["id"], old_key, new_key, row["kind"], fields.get("kind", row["kind"]))
    return self.transcript_summary(fields.get("name", name))

def _move_attendance(self: TranscriptService, transcript_id: int, old_key: tuple, new_key: tuple, old_kind: str,
                     new_kind: str) -> None:
    db = self.db
    participant_id, wave_id = old_key
    if old_kind == "interview" and participant_id and wave_id:
        edits.drop_interview_attendance(db, transcript_id, participant_id, wave_id)
    participant_id, wave_id = new_key
    if new_kind == "interview" and participant_id and wave_id:
        store_study.set_attendance(db, participant_id, wave_id, "interviewed")

def transcript_summary(self: TranscriptService, name: str) -> TranscriptSummary:
    row = store_tx.transcript_row(self.db, name)
    return TranscriptSummary(row["name"], row["kind"], row["wave"], row["participant"], row["date"])

# --- deleting ------------------------------------------------------------------------

def delete_transcript(self: TranscriptService, name: str, *, force: bool = False) -> TranscriptDeleted:
    """Delete a transcript with its speakers, turns, sentences and codings. Refused
    while it has codings, unless ``force`` (undo brings everything back)."""
    row = store_tx.transcript_row(self.db, name)
    codings = edits.coding_count(self.db, [row["id"]])
    if codings and not force:
        raise ConflictError(
            f"{name} has {codings} coding(s): delete it with --force "
            "(undo brings the transcript and its codings back)"
        )
    turns = len(edits.turn_rows(self.db, row["id"]))
    with self.action("transcript.delete", f"deleted transcript {name} ({codings} codings)"):
        edits.delete_transcript(self.db, row["id"])
    return TranscriptDeleted(name, turns, codings)

def delete_participant(self: TranscriptService, pid: str, *, force: bool = False) -> ParticipantDeleted:
    """Delete a participant with their attributes, attendance and interview
    transcripts. Refused while those transcripts have codings, unless ``force``
    (undo brings everything back). Their labels in focus groups become unmapped."""
    db = self.db
    person = store_study.participant_row(db, pid)
    own = edits.transcripts_of_participant(db, person["id"])
    codings = edits.coding_count(db, [tid for tid, _ in own])
    if codings and not force:
        raise ConflictError(
            f"participant {pid} has {codings} coding(s) in {', '.join(n for _, n in own)}: delete with --force "
            "(undo brings the participant, the transcripts and the codings back)"
        )
    elsewhere = edits.speaker_transcripts_of_participant(db, person["id"])
    with self.action("participant.delete",
                     f"deleted participant {pid} ({len(own)} transcript(s), {codings} codings)"):
        for transcript_id, _ in own:
            edits.delete_transcript(db, transcript_id)
        edits.delete_participant(db, person["id"])
    return ParticipantDeleted(pid, tuple(n for _, n in own), codings,
                              tuple(f"{t}: {label}" for t, label in elsewhere))

# --- speaker labels -------------------------------------------------------------------

def relabel_speakers(self: TranscriptService, name: str, mapping: Mapping[str, str]) -> list[Speaker]:
    """Rename speaker labels (``{"Speaker 1": "Janet"}``); a label renamed to one the
    transcript already has is merged into it (its turns move there). The transcript's
    text keeps the labels as written: this changes who its turns are attributed to."""
    db = self.db
    row = store_tx.transcript_row(db, name)
    speakers = edits.speaker_rows(db, row["id"])
    if not mapping:
        raise QualcodeError("nothing to relabel: give OLD=NEW pairs")
    for old, new in mapping.items():
        if old not in speakers:
            raise NotFoundError(f"{name} has no speaker {old!r} (speakers: {', '.join(speakers) or 'none'})")
        if not " ".join((new or "").split()):
            raise QualcodeError(f"the new label for {old!r} is empty")
    target = {label: " ".join(mapping.get(label, label).split()) for label in speakers}
    summary = ", ".join(f"{old} -> {target[old]}" for old in mapping)
    with self.action("speaker.relabel", f"{name}: {summary}"):
        groups: dict[str, list[str]] = {}
        for label in sorted(speakers, key=lambda lab: speakers[lab][0]):
            groups.setdefault(target[label], []).append(label)
        renames = []
        for new, labels in groups.items():
            survivor = new if new in labels else labels[0]
            for other in labels:
                if other != survivor:
                    edits.move_turns_to_speaker(db, speakers[other][0], speakers[survivor][0])
                    edits.delete_speaker(db, speakers[other][0])
            if survivor != new:
                renames.append((speakers[survivor][0], new))
        # Two steps, so that swapped labels never collide on the way.
        for speaker_id, _ in renames:
            edits.rename_speaker(db, speaker_id, f"\x00{speaker_id}")
        for speaker_id, new in renames:
            edits.rename_speaker(db, speaker_id, new)
    return [Speaker(**s) for s in store_tx.speakers_of(db, row["id"])]

def set_turn_speaker(self: TranscriptService, name: str, turn: int, label: str | None) -> Turn:
    """Give one turn to another speaker (a label the transcript has, or a new one), or
    with ``None`` to nobody."""
    db = self.db
    row = store_tx.transcript_row(db, name)
    turns = edits.turn_rows(db, row["id"])
    if not 1 <= turn <= len(turns):
        raise NotFoundError(f"{name} has no turn {turn} (it has {len(turns)})")
    label = " ".join(label.split()) if label else None
    with self.action("turn.speaker", f"{name}: turn {turn} -> {label or 'no speaker'}"):
        speaker_id = self._speaker_id(row, label) if label else None
        edits.set_turn_speaker(db, turns[turn - 1][0], speaker_id)
        edits.delete_unused_speakers(db, row["id"])
    return Turn(**store_tx.turns_of(db, row["id"])[turn - 1])

def _speaker_id(self: TranscriptService, row: dict, label: str) -> int:
    """The id of a label of this transcript, added (and mapped as an import would map
    it) if it is new."""
    existing = edits.speaker_rows(self.db, row["id"])
    if label in existing:
        return existing[label][0]
    interviewer = is_interviewer_label(label)
    participant_id = None
    if not interviewer and row["kind"] == "interview" and row["participant_id"]:
        participant_id = row["participant_id"]
    return store_tx.insert_speaker(self.db, row["id"], label, participant_id, interviewer)
