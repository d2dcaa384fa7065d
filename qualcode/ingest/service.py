"""Import use cases of :class:`qualcode.project.Project`: transcripts, manifests,
speaker mapping, listing and full-text search."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConflictError, NotFoundError, QualcodeError
from ..store import schema
from ..store import study as store_study
from ..store import transcripts as store_tx
from .model import ParsedTranscript
from .speakers import plan_speakers

Progress = Callable[[int, int, str], None]


@dataclass
class ImportResult:
    """What one file's import did (or why it did nothing)."""

    name: str
    source: str
    status: str  # "imported" or "duplicate"
    kind: str = "interview"
    participant: str | None = None
    wave: str | None = None
    turns: int = 0
    sentences: int = 0
    words: int = 0
    speakers: dict[str, str | None] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def parse_speaker_map(pairs) -> dict[str, str]:
    """``["Leanne=H01", "Dave=H02"]`` or ``"Leanne=H01;Dave=H02"`` -> dict."""
    if isinstance(pairs, str):
        pairs = [p for p in pairs.split(";") if p.strip()]
    result = {}
    for pair in pairs:
        label, sep, pid = pair.partition("=")
        if not sep or not label.strip() or not pid.strip():
            raise QualcodeError(f"speaker map entry {pair!r} is not LABEL=ID")
        result[label.strip()] = pid.strip()
    return result


class IngestMixin:
    """Transcript import, listing, speaker mapping and full-text search."""

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
    ) -> ImportResult:
        """Read, normalise and store one transcript file as one action."""
        from .readers import read_transcript

        path = Path(path)
        parsed = read_transcript(path)
        with self.action("transcript.import", f"imported {path.name}", undoable=False):
            return self._store_parsed(
                parsed, participant=participant, wave=wave, kind=kind,
                speaker_map=speaker_map or {}, date=date, name=name or path.stem,
            )

    def _store_parsed(
        self,
        parsed: ParsedTranscript,
        *,
        participant: str | None,
        wave: str | None,
        kind: str,
        speaker_map: Mapping[str, str],
        date: str | None,
        name: str,
    ) -> ImportResult:
        from ..nlp import sentence_spans
        from ..project import _check_date

        db = self.db
        if kind not in schema.TRANSCRIPT_KINDS:
            raise QualcodeError(f"kind {kind!r} is not one of {', '.join(schema.TRANSCRIPT_KINDS)}")
        existing = store_tx.find_by_sha(db, parsed.sha256)
        if existing:
            return ImportResult(name=existing, source=parsed.source_name, status="duplicate",
                                kind=kind, participant=participant, wave=wave,
                                notes=[f"{parsed.source_name} is already imported as {existing}"])
        if store_tx.name_taken(db, name):
            raise ConflictError(
                f"{parsed.source_name}: a different transcript is already named {name!r}; "
                "choose another name"
            )
        date = _check_date(date, "date")
        participant_id = store_study.participant_row(db, participant)["id"] if participant else None
        wave_id = store_study.wave_row(db, wave)["id"] if wave else None
        for label, pid in speaker_map.items():
            if not store_study.participant_exists(db, pid):
                raise NotFoundError(f"speaker map {label}={pid}: no participant with id {pid!r}")
        registered = {row[0] for row in db.execute("SELECT pid FROM participants")}
        plan = plan_speakers(parsed.speakers, kind=kind, participant=participant,
                             speaker_map=speaker_map, registered=registered)

        transcript_id = store_tx.insert_transcript(
            db, name=name, kind=kind, wave_id=wave_id, participant_id=participant_id, date=date,
            source_name=parsed.source_name, source_format=parsed.format, sha256=parsed.sha256,
            encoding=parsed.encoding, text=parsed.text, imported_by=self._coder_id(),
        )
        pid_to_id = dict(db.execute("SELECT pid, id FROM participants").fetchall())
        speaker_ids = {
            label: store_tx.insert_speaker(
                db, transcript_id, label,
                pid_to_id.get(plan.participant_of.get(label) or ""),
                label in plan.interviewers,
            )
            for label in parsed.speakers
        }
        turn_rows = [
            (seq, speaker_ids.get(turn.speaker) if turn.speaker else None, turn.start, turn.end,
             turn.start_time, turn.end_time)
            for seq, turn in enumerate(parsed.turns, start=1)
        ]
        turn_ids = store_tx.insert_turns(db, transcript_id, turn_rows)
        speeches = [parsed.text[t.start:t.end] for t in parsed.turns]
        sentence_rows = []
        seq = 0
        for turn_id, turn, spans in zip(turn_ids, parsed.turns, sentence_spans(speeches)):
            for start, end in spans:
                seq += 1
                sentence_rows.append((turn_id, seq, turn.start + start, turn.start + end))
        store_tx.insert_sentences(db, transcript_id, sentence_rows)
        store_tx.index_turns(db, list(zip(turn_ids, speeches)))
        if kind == "interview" and participant_id and wave_id:
            store_study.set_attendance(db, participant_id, wave_id, "interviewed")
        return ImportResult(
            name=name, source=parsed.source_name, status="imported", kind=kind,
            participant=participant, wave=wave, turns=len(turn_rows),
            sentences=len(sentence_rows), words=len(parsed.text.split()),
            speakers=dict(plan.participant_of), unmapped=list(plan.unmapped),
            notes=[*parsed.warnings, *plan.notes],
        )

    def import_manifest(self, path: str | Path, *, keep_going: bool = False,
                        progress: Progress | None = None):
        """Register participants, waves and attributes and import every listed file."""
        from .manifest import import_manifest

        return import_manifest(self, Path(path), keep_going=keep_going, progress=progress)

    # --- transcripts -------------------------------------------------------------------

    def transcripts(self) -> list[dict]:
        return store_tx.list_transcripts(self.db)

    def transcript(self, name: str) -> dict:
        """A transcript with its text, speakers, turns and sentences."""
        row = store_tx.transcript_row(self.db, name)
        row["text"] = store_tx.transcript_text(self.db, row["id"])
        row["speakers"] = store_tx.speakers_of(self.db, row["id"])
        row["turns"] = store_tx.turns_of(self.db, row["id"])
        row["sentences"] = store_tx.sentences_of(self.db, row["id"])
        return row

    def map_speakers(self, transcript: str, speaker_map: Mapping[str, str | None]) -> None:
        """Map (or, with None, unmap) speaker labels of a transcript to participants."""
        row = store_tx.transcript_row(self.db, transcript)
        speakers = {s["label"]: s for s in store_tx.speakers_of(self.db, row["id"])}
        summary = ", ".join(f"{k}={v or '-'}" for k, v in speaker_map.items())
        with self.action("speaker.map", f"{transcript}: {summary}"):
            for label, pid in speaker_map.items():
                if label not in speakers:
                    raise NotFoundError(
                        f"{transcript} has no speaker {label!r} "
                        f"(speakers: {', '.join(speakers) or 'none'})"
                    )
                participant_id = store_study.participant_row(self.db, pid)["id"] if pid else None
                store_tx.set_speaker_participant(self.db, speakers[label]["id"], participant_id)

    # --- search ------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        kwic: int = 40,
        participant: str | None = None,
        wave: str | None = None,
        speaker: str | None = None,
        limit: int = 500,
    ) -> list[dict]:
        """Turns matching an FTS5 query (words, "phrases", prefix*), each with its
        matches in keyword-in-context form (``kwic`` characters either side)."""
        import sqlite3

        if not query.strip():
            raise QualcodeError("search query is empty")
        try:
            hits = store_tx.search_turns(self.db, query, participant=participant, wave=wave,
                                         speaker=speaker, limit=limit)
        except sqlite3.OperationalError as exc:
            raise QualcodeError(f"search query {query!r} is not valid ({exc})") from None
        pattern = _match_pattern(query)
        texts: dict[int, str] = {}
        for hit in hits:
            text = texts.get(hit["transcript_id"])
            if text is None:
                text = texts[hit["transcript_id"]] = store_tx.transcript_text(self.db, hit["transcript_id"])
            speech = text[hit["start"]:hit["end"]]
            matches = []
            for m in pattern.finditer(speech) if pattern else ():
                a, b = hit["start"] + m.start(), hit["start"] + m.end()
                matches.append({
                    "start": a, "end": b,
                    "left": _squash(text[max(hit["start"], a - kwic):a]),
                    "match": text[a:b],
                    "right": _squash(text[b:min(hit["end"], b + kwic)]),
                })
            hit["matches"] = matches
            del hit["transcript_id"]
        return hits


def _squash(text: str) -> str:
    return " ".join(text.split())


def _match_pattern(query: str) -> re.Pattern | None:
    """A regex finding, in a turn, the words and phrases an FTS5 query matched."""
    parts = []
    for phrase, word in re.findall(r'"([^"]+)"|(\S+)', query):
        if word and word.upper() in {"AND", "OR", "NOT", "NEAR"}:
            continue
        text = phrase or word
        words = re.findall(r"\w+\*?", text)
        if not words:
            continue
        pieces = []
        for w in words:
            prefix = w.endswith("*")
            w = w.rstrip("*")
            pieces.append(re.escape(w) + (r"\w*" if prefix else r"\b"))
        parts.append(r"\b" + r"\W+".join(pieces))
    if not parts:
        return None
    return re.compile("|".join(parts), re.IGNORECASE)
