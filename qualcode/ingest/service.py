"""Transcripts: import (one file, a manifest), listing, speaker mapping, and the
corrections of what was imported (``project.transcripts``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from ..context import ProjectContext, Service
from ..errors import ConflictError, NotFoundError, QualcodeError
from ..model import check_date
from ..nlp import word_count
from ..privacy.replace import pseudonymise_parsed, replace_in_name
from ..records.transcripts import ImportResult, Transcript, TranscriptDocument
from ..store import namekey as store_namekey
from ..store import schema
from ..store import study as store_study
from ..store import transcripts as store_tx
from ..study.service import StudyService
from . import corrections, revision
from .model import ParsedTranscript
from .override import LabelOverride, split_labels
from .preview import ImportPreview, layout_notes, preview
from .speakers import marks_interviewer, plan_speakers

Progress = Callable[[int, int, str], None]


class TranscriptService(Service):
    """Transcript import, listing, speaker mapping and corrections of what was imported."""

    def __init__(self, ctx: ProjectContext, study: StudyService) -> None:
        super().__init__(ctx)
        self.study = study

    # Corrections and revisions are written in their own modules, as functions of this
    # service (see qualcode.ingest.corrections and qualcode.ingest.revision).
    set_transcript = corrections.set_transcript
    transcript_summary = corrections.transcript_summary
    delete_transcript = corrections.delete_transcript
    delete_participant = corrections.delete_participant
    relabel_speakers = corrections.relabel_speakers
    set_turn_speaker = corrections.set_turn_speaker
    _move_attendance = corrections._move_attendance
    _speaker_id = corrections._speaker_id
    split_turn = revision.split_turn
    join_turns = revision.join_turns
    replace_transcript = revision.replace_transcript
    _carry_codings = revision._carry_codings

    # --- import ------------------------------------------------------------------------

    def import_transcript(
        self,
        path: str | Path,
        *,
        participant: str | None = None,
        wave: str | None = None,
        kind: str = "interview",
        speaker_map: Mapping[str, str] | None = None,
        date: str | None = None,
        name: str | None = None,
        labels: str | None = None,
        label_pattern: str | None = None,
    ) -> ImportResult:
        """Read, normalise and store one transcript file as one action. ``labels`` ("A,B")
        or ``label_pattern`` (a regular expression) say what the speakers are, instead of
        detection."""
        from .readers import read_transcript

        path = Path(path)
        parsed = read_transcript(path, label_override(labels, label_pattern))
        # A file already imported is reported without touching the project (not even
        # the log: nothing was imported).
        existing = store_tx.find_by_sha(self.db, parsed.sha256)
        if existing:
            return _duplicate(parsed, existing, kind=kind, participant=participant, wave=wave)
        try:
            shown = replace_in_name(path.name, store_namekey.mapping(self.db))  # the log keeps no real name
            with self.action("transcript.import", f"imported {shown}", undoable=False):
                return self.store_parsed(
                    parsed, participant=participant, wave=wave, kind=kind,
                    speaker_map=speaker_map or {}, date=date, name=name or path.stem,
                )
        except QualcodeError as exc:
            raise _naming_file(exc, path.name) from None

    def store_parsed(
        self,
        parsed: ParsedTranscript,
        *,
        participant: str | None,
        wave: str | None,
        kind: str,
        speaker_map: Mapping[str, str],
        date: str | None,
        name: str,
        sentences: Iterable[list[tuple[int, int]]] | None = None,
        words: int | None = None,
    ) -> ImportResult:
        """Store one parsed transcript (inside the caller's action). ``sentences``, when
        given, are the sentence spans of each turn as :func:`qualcode.nlp.sentence_spans`
        gives them, and ``words`` the word count of the text (computed ahead, perhaps in
        another process); else they are computed here."""
        from ..nlp import sentence_spans_of_any_length

        db = self.db
        if kind not in schema.TRANSCRIPT_KINDS:
            raise QualcodeError(f"kind {kind!r} is not one of {', '.join(schema.TRANSCRIPT_KINDS)}")
        existing = store_tx.find_by_sha(db, parsed.sha256)
        # Real names never reach the project: the name key is applied before storing.
        name_key = store_namekey.mapping(db)
        pseudonymised = pseudonymise_parsed(parsed, name_key)
        if pseudonymised is not parsed:
            # The text and its offsets changed: what was computed ahead no longer fits.
            sentences = words = None
        parsed = pseudonymised
        name = replace_in_name(name, name_key)  # a name from the file's name: "Margaret_W1"
        speaker_map = {name_key.get(label, label): pid for label, pid in speaker_map.items()}
        if existing:
            return _duplicate(parsed, existing, kind=kind, participant=participant, wave=wave)
        if store_tx.name_taken(db, name):
            raise ConflictError(
                f"{parsed.source_name}: a different transcript is already named {name!r}; "
                "choose another name"
            )
        date = check_date(date, "date")
        participant_id = store_study.participant_row(db, participant)["id"] if participant else None
        wave_id = store_study.wave_row(db, wave)["id"] if wave else None
        for label, pid in speaker_map.items():
            if not marks_interviewer(pid) and not store_study.participant_exists(db, pid):
                raise NotFoundError(f"speaker map {label}={pid}: no participant with id {pid!r}")
        labels = parsed.speakers  # (made from the turns each time it is asked for)
        # Only the ids this transcript can use: a query per file over every participant
        # made a large study's import quadratic.
        registered = set(store_tx.participant_ids(db, labels))
        plan = plan_speakers(labels, kind=kind, participant=participant,
                             speaker_map=speaker_map, registered=registered)

        if words is None:
            words = word_count(parsed.text)
        transcript_id = store_tx.insert_transcript(
            db, name=name, kind=kind, wave_id=wave_id, participant_id=participant_id, date=date,
            source_name=parsed.source_name, source_format=parsed.format, sha256=parsed.sha256,
            encoding=parsed.encoding, text=parsed.text, imported_by=self.ctx.coder_id(),
            word_count=words,
        )
        pid_to_id = store_tx.participant_ids(db, {p for p in plan.participant_of.values() if p})
        speaker_ids = {
            label: store_tx.insert_speaker(
                db, transcript_id, label,
                pid_to_id.get(plan.participant_of.get(label) or ""),
                label in plan.interviewers,
            )
            for label in labels
        }
        turn_rows = [
            (seq, speaker_ids.get(turn.speaker) if turn.speaker else None, turn.start, turn.end,
             turn.start_time, turn.end_time)
            for seq, turn in enumerate(parsed.turns, start=1)
        ]
        turn_ids = store_tx.insert_turns(db, transcript_id, turn_rows,
                                         estimated={i + 1 for i in parsed.estimated})
        speeches = [parsed.text[t.start:t.end] for t in parsed.turns]
        if sentences is None:
            sentences = sentence_spans_of_any_length(speeches)
        # (A list is made faster than a generator is drained, once per sentence.)
        sentence_count = store_tx.insert_sentences(db, transcript_id, [
            (turn_seq, turn.start + start, turn.start + end)
            for turn_seq, (turn, spans) in enumerate(zip(parsed.turns, sentences, strict=True), start=1)
            for start, end in spans
        ])
        store_tx.index_turns(db, zip(turn_ids, speeches))
        if kind == "interview" and participant_id and wave_id:
            store_study.set_attendance(db, participant_id, wave_id, "interviewed")
        return ImportResult(
            name=name, source=parsed.source_name, status="imported", kind=kind,
            encoding=parsed.encoding, participant=participant, wave=wave, turns=len(turn_rows),
            sentences=sentence_count, words=words,
            speakers=dict(plan.participant_of), unmapped=list(plan.unmapped),
            notes=[*parsed.warnings, *layout_notes(parsed), *plan.notes],
        )

    def preview_import(
        self,
        path: str | Path,
        *,
        participant: str | None = None,
        kind: str = "interview",
        speaker_map: Mapping[str, str] | None = None,
        labels: str | None = None,
        label_pattern: str | None = None,
    ) -> ImportPreview:
        """What importing a file would do (labels, first turns, header and footer, where
        each label maps); nothing is written."""
        from .readers import read_transcript

        path = Path(path)
        override = label_override(labels, label_pattern)
        try:
            parsed = read_transcript(path, override)
            plan = self._speaker_plan(parsed, kind=kind, participant=participant,
                                      speaker_map=speaker_map or {})
        except QualcodeError as exc:
            raise _naming_file(exc, path.name) from None
        return preview(parsed, plan, override)

    def _speaker_plan(self, parsed: ParsedTranscript, *, kind: str, participant: str | None,
                      speaker_map: Mapping[str, str]):
        """Where the labels of a parsed file would map, as an import would decide."""
        name_key = store_namekey.mapping(self.db)
        speaker_map = {name_key.get(label, label): pid for label, pid in speaker_map.items()}
        labels = [name_key.get(label, label) for label in parsed.speakers]
        registered = set(store_tx.participant_ids(self.db, labels))
        return plan_speakers(labels, kind=kind, participant=participant, speaker_map=speaker_map,
                             registered=registered)

    def preview_manifest(self, path: str | Path) -> list[ImportPreview | str]:
        """The preview of every file a manifest lists (or why it cannot be read), with
        each row's kind, participant, speaker map and labels; nothing is written."""
        from .manifest import preview_manifest

        return preview_manifest(self, Path(path))

    def import_manifest(self, path: str | Path, *, keep_going: bool = False,
                        progress: Progress | None = None, workers: int | None = None):
        """Register participants, waves and attributes and import every listed file.
        ``workers``: processes reading files ahead (None: automatic; 0: none)."""
        from .manifest import import_manifest

        return import_manifest(self, Path(path), keep_going=keep_going, progress=progress,
                               workers=workers)

    # --- transcripts -------------------------------------------------------------------

    def all(self) -> list[Transcript]:
        """Every transcript, in wave order and by name within a wave."""
        return store_tx.transcript_records(self.db)

    def get(self, name: str) -> TranscriptDocument:
        """A transcript with its text, speakers, turns and sentences."""
        return store_tx.transcript_document(self.db, name)

    def map_speakers(self, transcript: str, speaker_map: Mapping[str, str | None]) -> None:
        """Map speaker labels of a transcript to participants, or to ``interviewer`` (an
        interviewer's label), or with None unmap them."""
        row = store_tx.transcript_row(self.db, transcript)
        speakers = {s["label"]: s for s in store_tx.speakers_of(self.db, row["id"])}
        summary = ", ".join(f"{k}={v or '-'}" for k, v in speaker_map.items())
        with self.action("speaker.map", f"{transcript}: {summary}"):
            folded: dict[str, list[str]] = {}
            for known in speakers:
                folded.setdefault(known.casefold(), []).append(known)
            for label, pid in speaker_map.items():
                if label not in speakers:
                    # As at import, a label may be given in any case (when that is unambiguous).
                    same = folded.get(label.strip().casefold(), [])
                    if len(same) != 1:
                        raise NotFoundError(
                            f"{transcript} has no speaker {label!r} "
                            f"(speakers: {', '.join(speakers) or 'none'})"
                        )
                    label = same[0]
                if marks_interviewer(pid):
                    store_tx.set_speaker_participant(self.db, speakers[label]["id"], None, interviewer=True)
                elif pid:
                    participant_id = store_study.participant_row(self.db, pid)["id"]
                    store_tx.set_speaker_participant(self.db, speakers[label]["id"], participant_id,
                                                     interviewer=False)
                else:
                    store_tx.set_speaker_participant(self.db, speakers[label]["id"], None)

def label_override(labels: str | None, label_pattern: str | None) -> LabelOverride | None:
    """The researcher's labels ("A,B,C", a comma inside one written "\\,") or pattern."""
    if labels and label_pattern:
        raise QualcodeError("give --labels or --label-pattern, not both")
    if labels is not None and not split_labels(labels):
        raise QualcodeError("--labels is empty: give the speaker labels, separated by commas")
    if labels:
        return LabelOverride(split_labels(labels))
    if label_pattern:
        return LabelOverride(pattern=label_pattern)
    return None


def _duplicate(parsed: ParsedTranscript, existing: str, *, kind: str, participant: str | None,
               wave: str | None) -> ImportResult:
    return ImportResult(name=existing, source=parsed.source_name, status="duplicate",
                        kind=kind, encoding=parsed.encoding, participant=participant, wave=wave,
                        notes=[f"{parsed.source_name} is already imported as {existing}"])


def _naming_file(exc: QualcodeError, filename: str) -> QualcodeError:
    """The same error, its message starting with the file it is about."""
    message = str(exc)
    if message.startswith(f"{filename}:"):
        return exc
    try:
        return type(exc)(f"{filename}: {message}")
    except TypeError:  # an error class with another signature (InputError)
        return QualcodeError(f"{filename}: {message}")


