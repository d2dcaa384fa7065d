"""SQL for code queries and named sets: a few bulk reads packed for numpy, and the
``query_sets`` tables (migration m008_query_sets)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence

from .connection import Database
from .db import new_guid, now


def _ints(text: str | None):
    import numpy as np

    if not text:
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(text, dtype=np.int64, sep=",")  # parsed in C


def _marks(values: Sequence[int]) -> str:
    return ", ".join(str(int(v)) for v in values) or "NULL"


def offset_shift(db: Database) -> int:
    """Bits that hold any offset of the longest transcript."""
    (longest,) = db.execute("SELECT coalesce(max(char_count), 0) FROM transcripts").fetchone()
    return max(1, int(longest).bit_length())


def codings_arrays(db: Database, code_ids: Sequence[int], coder_ids: Sequence[int] | None):
    """(transcript, code, coder, start, end) of the codings of ``code_ids`` (by
    ``coder_ids`` if given), as five numpy int64 arrays in one scan of the code index.
    SQLite joins the numbers into text that numpy parses: no Python object per coding."""
    where = f"code_id IN ({_marks(code_ids)})"
    # Few codings: seek them in the code index (a table lookup each). Many: scan the
    # identity index, which holds every column read, rather than look up each row.
    (wanted,) = db.execute(f"SELECT count(*) FROM codings INDEXED BY idx_codings_code WHERE {where}").fetchone()
    (top,) = db.execute("SELECT coalesce(max(id), 0) FROM codings").fetchone()
    index = "idx_codings_identity" if wanted * 20 > top else "idx_codings_code"
    if coder_ids is not None:
        where += f" AND coder_id IN ({_marks(coder_ids)})"
    row = db.execute(
        "SELECT group_concat(transcript_id), group_concat(code_id), group_concat(coder_id), "
        f"group_concat(start), group_concat(end) FROM codings INDEXED BY {index} WHERE {where}"
    ).fetchone()
    return tuple(_ints(column) for column in row)


def turn_arrays(db: Database, shift: int):
    """Every turn ordered by transcript and start: packed starts (``transcript << shift
    | start``), ids, and the participant its speaker is mapped to (-1: nobody)."""
    import numpy as np

    row = db.execute(
        f"SELECT group_concat(tu.transcript_id * {1 << shift} + tu.start), group_concat(tu.id), "
        "group_concat(coalesce(s.participant_id, -1)) FROM turns tu INDEXED BY idx_turns_transcript_start "
        "LEFT JOIN speakers s ON s.id = tu.speaker_id"
    ).fetchone()
    starts, ids, people = (_ints(column) for column in row)
    if len(starts) > 1 and not bool((starts[1:] >= starts[:-1]).all()):
        order = np.argsort(starts, kind="stable")
        starts, ids, people = starts[order], ids[order], people[order]
    return starts, ids, people


def sentence_starts(db: Database, shift: int):
    """Every sentence's start, packed like the turns', ascending."""
    import numpy as np

    parts = []
    for transcript_id, blob in db.execute(
            "SELECT transcript_id, spans FROM sentence_spans ORDER BY transcript_id"):
        # (turn seq, start, end) as unsigned 32-bit little-endian: see sentence_spans
        starts = np.frombuffer(blob, dtype="<u4").reshape(-1, 3)[:, 1].astype(np.int64)
        parts.append(np.sort(starts) + (transcript_id << shift))
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def transcripts(db: Database) -> dict[int, tuple[str, int | None, int | None]]:
    """transcript id -> (name, participant id, wave id)."""
    return {r[0]: (r[1], r[2], r[3]) for r in db.execute(
        "SELECT id, name, participant_id, wave_id FROM transcripts")}


def people(db: Database) -> dict[int, tuple[str, str | None, str | None, str | None]]:
    """participant id -> (pid, pseudonym, role, site)."""
    return {r[0]: (r[1], r[2], r[3], r[4]) for r in db.execute(
        "SELECT id, pid, pseudonym, role, site FROM participants")}


def turns_by_id(db: Database, turn_ids: Iterable[int]) -> dict[int, tuple[int, str | None]]:
    """turn id -> (seq, speaker label)."""
    ids = sorted(set(turn_ids))
    if not ids:
        return {}
    return {r[0]: (r[1], r[2]) for r in db.execute(
        "SELECT tu.id, tu.seq, s.label FROM turns tu LEFT JOIN speakers s ON s.id = tu.speaker_id "
        f"WHERE tu.id IN ({_marks(ids)})")}


def transcript_text(db: Database, transcript_id: int) -> str:
    row = db.execute("SELECT text FROM transcripts WHERE id = ?", [transcript_id]).fetchone()
    return row[0] if row else ""


def codings_in(db: Database, transcript_id: int, start: int, end: int,
               code_ids: Sequence[int], coder_ids: Sequence[int] | None) -> list[tuple[str, str]]:
    """(code name, coder name) of the codings of ``code_ids`` sharing a character with
    [start, end) of a transcript."""
    where = f"c.code_id IN ({_marks(code_ids)})"
    if coder_ids is not None:
        where += f" AND c.coder_id IN ({_marks(coder_ids)})"
    return db.execute(
        "SELECT DISTINCT k.name, d.name FROM codings c JOIN codes k ON k.id = c.code_id "
        "JOIN coders d ON d.id = c.coder_id "
        f"WHERE c.transcript_id = ? AND c.start < ? AND c.end > ? AND {where} ORDER BY k.name, d.name",
        [transcript_id, end, start]).fetchall()


# --- named sets -------------------------------------------------------------------------


def create_query_sets(db) -> None:
    """The tables of named sets (migration m008_query_sets): the query's text (to
    refresh the set) and the passages it returned."""
    # Statement by statement (executescript would commit part-way; see m004).
    for statement in (
        "CREATE TABLE query_sets (id INTEGER PRIMARY KEY, guid TEXT NOT NULL UNIQUE, "
        "name TEXT NOT NULL UNIQUE, query TEXT NOT NULL, "
        "author_id INTEGER REFERENCES coders(id) ON DELETE RESTRICT, "
        "created TEXT NOT NULL, updated TEXT NOT NULL)",
        "CREATE TABLE query_set_passages (id INTEGER PRIMARY KEY, "
        "set_id INTEGER NOT NULL REFERENCES query_sets(id) ON DELETE CASCADE, "
        "transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE, "
        "start INTEGER NOT NULL, end INTEGER NOT NULL, CHECK (start >= 0 AND end > start))",
        "CREATE INDEX idx_query_sets_author ON query_sets(author_id)",
        "CREATE INDEX idx_query_set_passages_set ON query_set_passages(set_id, transcript_id, start)",
        "CREATE INDEX idx_query_set_passages_transcript ON query_set_passages(transcript_id)",
    ):
        db.execute(statement)


def set_row(db: Database, name: str) -> tuple | None:
    """(id, name, query, passages, created, updated, author) of the set called ``name``."""
    return db.execute(
        "SELECT s.id, s.name, s.query, (SELECT count(*) FROM query_set_passages p WHERE p.set_id = s.id), "
        "s.created, s.updated, d.name FROM query_sets s LEFT JOIN coders d ON d.id = s.author_id "
        "WHERE s.name = ?", [name]).fetchone()


def list_sets(db: Database) -> list[tuple]:
    return db.execute(
        "SELECT s.id, s.name, s.query, (SELECT count(*) FROM query_set_passages p WHERE p.set_id = s.id), "
        "s.created, s.updated, d.name FROM query_sets s LEFT JOIN coders d ON d.id = s.author_id "
        "ORDER BY s.name").fetchall()


def save_set(db: Database, name: str, query: str, author_id: int,
             passages: Iterable[tuple[int, int, int]]) -> int:
    """Create the set ``name``, or replace the query and passages of the one that
    exists (its identity and creation time are kept)."""
    stamp = now()
    row = db.execute("SELECT id FROM query_sets WHERE name = ?", [name]).fetchone()
    if row:
        set_id = row[0]
        db.execute("UPDATE query_sets SET query = ?, updated = ?, author_id = ? WHERE id = ?",
                   [query, stamp, author_id, set_id])
        db.execute("DELETE FROM query_set_passages WHERE set_id = ?", [set_id])
    else:
        set_id = db.execute(
            "INSERT INTO query_sets (guid, name, query, author_id, created, updated) VALUES (?, ?, ?, ?, ?, ?)",
            [new_guid(), name, query, author_id, stamp, stamp]).lastrowid
    db.conn.executemany(
        "INSERT INTO query_set_passages (set_id, transcript_id, start, end) VALUES (?, ?, ?, ?)",
        [(set_id, t, s, e) for t, s, e in passages])
    return int(set_id)


def delete_set(db: Database, set_id: int) -> None:
    db.execute("DELETE FROM query_set_passages WHERE set_id = ?", [set_id])
    db.execute("DELETE FROM query_sets WHERE id = ?", [set_id])


def set_passages(db: Database, set_id: int) -> list[tuple[int, int, int]]:
    """(transcript id, start, end) of a set's passages, in transcript and text order."""
    return db.execute("SELECT transcript_id, start, end FROM query_set_passages WHERE set_id = ? "
                      "ORDER BY transcript_id, start", [set_id]).fetchall()


# The codings table's indexes, made again on the scoped copy (analyses name some of
# them in INDEXED BY).
_CODING_INDEXES = (
    ("idx_codings_identity", "transcript_id, code_id, coder_id, start, end"),
    ("idx_codings_code", "code_id, transcript_id, start"),
    ("idx_codings_transcript_start", "transcript_id, start"),
    ("idx_codings_coder", "coder_id"),
)


@contextlib.contextmanager
def codings_within(db: Database, spans: Iterable[tuple[int, int, int]]) -> Iterator[int]:
    """While open, every read of ``codings`` on this connection sees only the codings
    sharing a character with one of ``spans`` ((transcript id, start, end): a named
    set's passages). Yields how many codings that is.

    Why a copy: SQLite looks an unqualified table name up in the connection's temporary
    schema first, so a temporary ``codings`` puts every analysis (matrix, co-occurrence,
    segment exports; each reads ``codings`` in its own bulk queries) on the set's codings
    with no change to any of them. The copy lives in this connection's temporary
    database, never in the project file, and is dropped on leaving; nothing may write
    codings meanwhile (the analyses only read)."""
    db.execute("CREATE TEMP TABLE query_scope (transcript_id INTEGER NOT NULL, "
               "start INTEGER NOT NULL, end INTEGER NOT NULL)")
    try:
        db.conn.executemany("INSERT INTO temp.query_scope VALUES (?, ?, ?)", list(spans))
        db.execute("CREATE INDEX temp.idx_query_scope ON query_scope(transcript_id, start)")
        db.execute(
            "CREATE TEMP TABLE codings AS SELECT c.* FROM main.codings c WHERE EXISTS ("
            "SELECT 1 FROM temp.query_scope q WHERE q.transcript_id = c.transcript_id "
            "AND q.start < c.end AND q.end > c.start)")
        for name, columns in _CODING_INDEXES:
            db.execute(f"CREATE INDEX temp.{name} ON codings({columns})")
        (count,) = db.execute("SELECT count(*) FROM temp.codings").fetchone()
        yield int(count)
    finally:
        db.execute("DROP TABLE IF EXISTS temp.codings")
        db.execute("DROP TABLE IF EXISTS temp.query_scope")
