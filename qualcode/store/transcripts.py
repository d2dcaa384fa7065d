"""SQL for transcripts, speakers, turns, sentences and the full-text index."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable, Sequence

from ..errors import NotFoundError, QualcodeError
from ..nlp import word_count as count_words
from ..records.transcripts import Sentence, Speaker, Transcript, TranscriptDocument, Turn
from . import sentence_spans
from .connection import Database
from .db import new_guid, now
from .schema import log_inserted_rows

TRANSCRIPT_COLUMNS = (
    "id", "guid", "name", "kind", "wave_id", "participant_id", "date", "source_name",
    "source_format", "sha256", "encoding", "char_count", "word_count", "imported_at",
)


def find_by_sha(db: Database, sha256: str) -> str | None:
    row = db.execute("SELECT name FROM transcripts WHERE sha256 = ?", [sha256]).fetchone()
    return row[0] if row else None


def participant_ids(db: Database, pids) -> dict[str, int]:
    """{pid: row id} for those of ``pids`` that are registered participants."""
    pids = list(dict.fromkeys(pids))
    result: dict[str, int] = {}
    for i in range(0, len(pids), 500):  # stay under SQLite's bound-parameter limit
        chunk = pids[i:i + 500]
        result.update(db.execute(
            f"SELECT pid, id FROM participants WHERE pid IN ({', '.join('?' * len(chunk))})", chunk
        ).fetchall())
    return result


def name_taken(db: Database, name: str) -> bool:
    return db.execute("SELECT 1 FROM transcripts WHERE name = ?", [name]).fetchone() is not None


def next_id(db: Database, table: str) -> int:
    """An id above every row of ``table`` and every row the undo log remembers for it, so
    that undoing a deletion never meets a newer row in its old place."""
    return db.execute(
        f"SELECT max(coalesce((SELECT max(rowid) FROM {table}), 0), "
        "coalesce((SELECT max(row_id) FROM event_changes WHERE tbl = ?), 0)) + 1",
        [table],
    ).fetchone()[0]


def insert_transcript(
    db: Database,
    *,
    name: str,
    kind: str,
    wave_id: int | None,
    participant_id: int | None,
    date: str | None,
    source_name: str,
    source_format: str,
    sha256: str,
    encoding: str | None,
    text: str,
    imported_by: int | None,
    guid: str | None = None,
    word_count: int | None = None,
) -> int:
    if word_count is None:
        word_count = count_words(text)
    transcript_id = next_id(db, "transcripts")
    db.execute(
        "INSERT INTO transcripts (id, guid, name, kind, wave_id, participant_id, date, source_name, "
        "source_format, sha256, encoding, text, char_count, word_count, imported_at, imported_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [transcript_id, guid or new_guid(), name, kind, wave_id, participant_id, date, source_name,
         source_format, sha256, encoding, text, len(text), word_count, now(), imported_by],
    )
    return transcript_id


def insert_speaker(
    db: Database, transcript_id: int, label: str, participant_id: int | None, is_interviewer: bool
) -> int:
    speaker_id = next_id(db, "speakers")
    db.execute(
        "INSERT INTO speakers (id, transcript_id, label, participant_id, is_interviewer) "
        "VALUES (?, ?, ?, ?, ?)",
        [speaker_id, transcript_id, label, participant_id, int(is_interviewer)],
    )
    return speaker_id


def insert_turns(db: Database, transcript_id: int, rows: Sequence[tuple], *,
                 estimated: Collection[int] = ()) -> list[int]:
    """rows: (seq, speaker_id, start, end, start_time, end_time); the turns whose seq is
    in ``estimated`` have estimated times. Returns the new ids."""
    first = next_id(db, "turns")
    db.conn.executemany(
        "INSERT INTO turns (id, transcript_id, seq, speaker_id, start, end, start_time, end_time, "
        "time_estimated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(first + i, transcript_id, *row, int(row[0] in estimated)) for i, row in enumerate(rows)],
    )
    # No trigger logs these inserts (imports add turns by the ten thousand): an
    # undoable action's are logged here.
    log_inserted_rows(db, "turns", first, first + len(rows) - 1)
    return [first + i for i in range(len(rows))]


def insert_sentences(db: Database, transcript_id: int, sentences: Iterable[tuple[int, int, int]]) -> int:
    """Store a transcript's sentences, ``(turn seq, start, end)`` in text order (offsets
    into the transcript text); returns how many there are."""
    sentences = sentences if isinstance(sentences, list) else list(sentences)
    db.execute(
        "INSERT INTO sentence_spans (transcript_id, count, spans) VALUES (?, ?, ?)",
        [transcript_id, len(sentences), sentence_spans.pack(sentences)],
    )
    return len(sentences)


def replace_sentences(db: Database, transcript_id: int, sentences: Iterable[tuple[int, int, int]]) -> None:
    sentences = list(sentences)
    db.execute(
        "UPDATE sentence_spans SET count = ?, spans = ? WHERE transcript_id = ?",
        [len(sentences), sentence_spans.pack(sentences), transcript_id],
    )


def sentence_tuples(db: Database, transcript_id: int) -> list[tuple[int, int, int]]:
    """A transcript's sentences as ``(turn seq, start, end)``, in text order."""
    row = db.execute("SELECT spans FROM sentence_spans WHERE transcript_id = ?", [transcript_id]).fetchone()
    return sentence_spans.unpack(row[0]) if row else []


def index_turns(db: Database, rows: Iterable[tuple[int, str]]) -> None:
    """rows: (turn_id, speech). The FTS rowid is the turn id."""
    db.conn.executemany("INSERT INTO turn_fts (rowid, body) VALUES (?, ?)", rows)


def unindex_turns(db: Database, rows: Iterable[tuple[int, str]]) -> None:
    """rows: (turn_id, speech as it was indexed). The index holds no copy of the text,
    so removing a turn from it takes the words it was indexed with."""
    db.conn.executemany("INSERT INTO turn_fts (turn_fts, rowid, body) VALUES ('delete', ?, ?)", rows)


def compact_index(db: Database) -> None:
    """Merge the full-text index into one segment. Removing a turn only records that
    it is gone; merging is what drops its words from the file."""
    db.execute("INSERT INTO turn_fts (turn_fts) VALUES ('optimize')")


def transcript_row(db: Database, name: str) -> dict:
    row = db.execute(
        f"SELECT {', '.join('t.' + c for c in TRANSCRIPT_COLUMNS)}, w.label, p.pid "
        "FROM transcripts t LEFT JOIN waves w ON w.id = t.wave_id "
        "LEFT JOIN participants p ON p.id = t.participant_id WHERE t.name = ?",
        [name],
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no transcript named {name!r}")
    result = dict(zip((*TRANSCRIPT_COLUMNS, "wave", "participant"), row))
    return result


def transcript_text(db: Database, transcript_id: int) -> str:
    return db.execute("SELECT text FROM transcripts WHERE id = ?", [transcript_id]).fetchone()[0]


def list_transcripts(db: Database) -> list[dict]:
    rows = db.execute(
        "SELECT t.id, t.name, t.kind, w.label, p.pid, t.date, t.source_name, t.source_format, "
        "t.char_count, t.word_count, "
        "(SELECT count(*) FROM turns WHERE transcript_id = t.id), "
        "(SELECT count(*) FROM codings WHERE transcript_id = t.id) "
        "FROM transcripts t LEFT JOIN waves w ON w.id = t.wave_id "
        "LEFT JOIN participants p ON p.id = t.participant_id "
        "ORDER BY w.ordinal, t.name"
    ).fetchall()
    keys = ("id", "name", "kind", "wave", "participant", "date", "source_name", "source_format",
            "chars", "words", "turns", "codings")
    return [dict(zip(keys, r)) for r in rows]


def speakers_of(db: Database, transcript_id: int) -> list[dict]:
    rows = db.execute(
        "SELECT s.id, s.label, p.pid, s.is_interviewer, "
        "(SELECT count(*) FROM turns WHERE speaker_id = s.id) "
        "FROM speakers s LEFT JOIN participants p ON p.id = s.participant_id "
        "WHERE s.transcript_id = ? ORDER BY s.id",
        [transcript_id],
    ).fetchall()
    return [dict(zip(("id", "label", "participant", "interviewer", "turns"), r)) for r in rows]


def set_speaker_participant(db: Database, speaker_id: int, participant_id: int | None,
                            *, interviewer: bool | None = None) -> None:
    """Set who a speaker is; ``interviewer`` None leaves the interviewer flag as it is."""
    db.execute("UPDATE speakers SET participant_id = ?, is_interviewer = coalesce(?, is_interviewer) "
               "WHERE id = ?", [participant_id, None if interviewer is None else int(interviewer), speaker_id])


#: A transcript's turns in seq order, in the field order of ``records.transcripts.Turn``.
TURNS_OF = (
    "SELECT t.id, t.seq, s.label, p.pid, s.is_interviewer, t.start, t.end, t.start_time, "
    "t.end_time, t.time_estimated FROM turns t LEFT JOIN speakers s ON s.id = t.speaker_id "
    "LEFT JOIN participants p ON p.id = s.participant_id "
    "WHERE t.transcript_id = ? ORDER BY t.seq"
)


def turns_of(db: Database, transcript_id: int) -> list[dict]:
    rows = db.execute(TURNS_OF, [transcript_id]).fetchall()
    keys = ("id", "seq", "speaker", "participant", "interviewer", "start", "end",
            "start_time", "end_time", "time_estimated")
    return [dict(zip(keys, r)) for r in rows]


def sentences_of(db: Database, transcript_id: int) -> list[dict]:
    """A transcript's sentences in text order: ``seq`` counts them from 1 through the
    transcript, ``turn`` is the seq of the turn holding each."""
    return [
        {"seq": seq, "turn": turn, "start": start, "end": end}
        for seq, (turn, start, end) in enumerate(sentence_tuples(db, transcript_id), start=1)
    ]


def search_turns(
    db: Database,
    query: str | None,
    *,
    participant: str | None = None,
    wave: str | None = None,
    speaker: str | None = None,
    limit: int | None = 500,
    as_written: str | None = None,
) -> list[dict]:
    """Turns matching an FTS5 query (or, with ``query`` None, every turn), in wave,
    transcript and turn order, within the filters. A query FTS5 cannot read is an error
    naming the query ``as_written`` by the person (else as given)."""
    clauses, params = (["turn_fts MATCH ?"], [query]) if query is not None else ([], [])
    if participant:
        clauses.append("p.pid = ?")
        params.append(participant)
    if wave:
        clauses.append("w.label = ?")
        params.append(wave)
    if speaker:
        clauses.append("s.label = ?")
        params.append(speaker)
    sql = (
        "SELECT tr.name, tr.id, tu.seq, s.label, p.pid, w.label, tu.start, tu.end "
        + ("FROM turn_fts JOIN turns tu ON tu.id = turn_fts.rowid " if query is not None else "FROM turns tu ")
        + "JOIN transcripts tr ON tr.id = tu.transcript_id "
        "LEFT JOIN speakers s ON s.id = tu.speaker_id "
        "LEFT JOIN participants p ON p.id = s.participant_id "
        "LEFT JOIN waves w ON w.id = tr.wave_id "
        + (f"WHERE {' AND '.join(clauses)} " if clauses else "")
        + "ORDER BY w.ordinal, tr.name, tu.seq"
        + (" LIMIT ?" if limit is not None else "")
    )
    try:
        rows = db.execute(sql, [*params, limit] if limit is not None else params).fetchall()
    except sqlite3.OperationalError as exc:
        raise QualcodeError(f"search query {as_written or query!r} is not valid ({exc})") from None
    keys = ("transcript", "transcript_id", "turn", "speaker", "participant", "wave", "start", "end")
    return [dict(zip(keys, r)) for r in rows]


# --- records for the faces ---------------------------------------------------------------


def transcript_records(db: Database) -> list[Transcript]:
    """Every transcript as listed (see :func:`list_transcripts`)."""
    return [Transcript(**row) for row in list_transcripts(db)]


def transcript_document(db: Database, name: str) -> TranscriptDocument:
    """A transcript read in full; NotFoundError names a transcript that is not there.
    Turns and sentences are made straight from their rows (a long transcript has tens
    of thousands of sentences; the coding screen opens with this read)."""
    row = transcript_row(db, name)
    transcript_id = row["id"]
    turns = db.execute(TURNS_OF, [transcript_id]).fetchall()
    return TranscriptDocument(
        **row,
        text=transcript_text(db, transcript_id),
        speakers=tuple(Speaker(**s) for s in speakers_of(db, transcript_id)),
        turns=tuple(Turn(*t) for t in turns),
        sentences=tuple(Sentence(seq, turn, start, end)
                        for seq, (turn, start, end) in enumerate(sentence_tuples(db, transcript_id), start=1)),
    )
