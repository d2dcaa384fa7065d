"""The project file's schema, created and upgraded by sqlite-utils migrations.

Each migration is a function registered on :data:`MIGRATIONS`; the schema version of
a file is the number of migrations applied to it. Never edit a released migration:
add a new one. :func:`qualcode.store.db.open_database` backs the file up before it
applies any pending migration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import ATTENDANCE, ATTRIBUTE_KINDS, MEMO_TYPES, STAGES, TRANSCRIPT_KINDS
from .connection import Database as Connection
from .migration_set import AppliedMigration, MigrationSet  # noqa: F401  (AppliedMigration: re-exported)

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATIONS = MigrationSet("qualcode")

# Tables whose every row change is captured by triggers into ``event_changes`` so that
# an event can be undone and redone. Transcripts, turns and sentence spans are captured
# too (since schema 5), so that corrections of imported data (replacing a transcript,
# splitting turns, deleting) can be undone; imports themselves are not undoable
# actions, so their text is never copied into the log. The full-text index is derived
# from turns and is rebuilt for the transcripts an undo or redo touches.
UNDOABLE_TABLES = (
    "coders",
    "participants",
    "participant_attributes",
    "participant_wave_attributes",
    "attendance",
    "waves",
    "speakers",
    "codes",
    "codings",
    "memos",
    "memo_links",
    "settings",
    "transcripts",
    "turns",
    "sentence_spans",
    "attribute_types",
    "summaries",
    "summary_citations",
    "query_sets",
    "query_set_passages",
    "media",
)
# Columns copied into the log only when they change (an edit of a transcript's wave
# must not copy its whole text twice).
LARGE_COLUMNS = {"transcripts": ("text",)}
# BLOB columns: JSON cannot hold bytes, so the log keeps them as hex.
BLOB_COLUMNS = {"sentence_spans": ("spans",)}
# Inserts logged by the store function that makes them, not by a trigger: an import adds
# turns by the ten thousand, and a row trigger (even one whose WHEN is false) costs each
# row several microseconds. ``store.transcripts.insert_turns`` logs what it adds.
LOGGED_BY_STORE = {("turns", "I")}



def _column_names(db: Connection | Database, table: str) -> list[str]:
    return [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


@MIGRATIONS(name="m001_initial")
def m001_initial(db: Database) -> None:
    db.executescript(
        f"""
        CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT
        );
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT
        );
        CREATE TABLE coders (
            id INTEGER PRIMARY KEY,
            guid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL UNIQUE,
            created TEXT NOT NULL
        );
        CREATE TABLE participants (
            id INTEGER PRIMARY KEY,
            guid TEXT NOT NULL UNIQUE,
            pid TEXT NOT NULL UNIQUE,
            pseudonym TEXT,
            role TEXT,
            site TEXT,
            created TEXT NOT NULL
        );
        CREATE INDEX idx_participants_role ON participants(role);
        CREATE INDEX idx_participants_site ON participants(site);
        CREATE TABLE waves (
            id INTEGER PRIMARY KEY,
            guid TEXT NOT NULL UNIQUE,
            label TEXT NOT NULL UNIQUE,
            ordinal INTEGER NOT NULL,
            start_date TEXT,
            end_date TEXT,
            description TEXT
        );
        CREATE INDEX idx_waves_ordinal ON waves(ordinal);
        CREATE TABLE participant_attributes (
            participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value TEXT,
            PRIMARY KEY (participant_id, key)
        );
        CREATE INDEX idx_pattr_key ON participant_attributes(key, value);
        CREATE TABLE participant_wave_attributes (
            participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
            wave_id INTEGER NOT NULL REFERENCES waves(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value TEXT,
            PRIMARY KEY (participant_id, wave_id, key)
        );
        CREATE INDEX idx_pwattr_wave ON participant_wave_attributes(wave_id, key);
        CREATE TABLE attendance (
            participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
            wave_id INTEGER NOT NULL REFERENCES waves(id) ON DELETE CASCADE,
            status TEXT NOT NULL CHECK (status IN {_in(ATTENDANCE)}),
            note TEXT,
            PRIMARY KEY (participant_id, wave_id)
        );
        CREATE INDEX idx_attendance_wave ON attendance(wave_id);
        CREATE TABLE transcripts (
            id INTEGER PRIMARY KEY,
            guid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN {_in(TRANSCRIPT_KINDS)}),
            wave_id INTEGER REFERENCES waves(id) ON DELETE RESTRICT,
            participant_id INTEGER REFERENCES participants(id) ON DELETE RESTRICT,
            date TEXT,
            source_name TEXT NOT NULL,
            source_format TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            encoding TEXT,
            text TEXT NOT NULL,
            char_count INTEGER NOT NULL,
            word_count INTEGER NOT NULL,
            imported_at TEXT NOT NULL,
            imported_by INTEGER REFERENCES coders(id)
        );
        CREATE INDEX idx_transcripts_wave ON transcripts(wave_id);
        CREATE INDEX idx_transcripts_participant ON transcripts(participant_id);
        CREATE INDEX idx_transcripts_imported_by ON transcripts(imported_by);
        CREATE TABLE speakers (
            id INTEGER PRIMARY KEY,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            label TEXT NOT NULL,
            participant_id INTEGER REFERENCES participants(id) ON DELETE SET NULL,
            is_interviewer INTEGER NOT NULL DEFAULT 0,
            UNIQUE (transcript_id, label)
        );
        CREATE INDEX idx_speakers_participant ON speakers(participant_id);
        CREATE TABLE turns (
            id INTEGER PRIMARY KEY,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            speaker_id INTEGER REFERENCES speakers(id) ON DELETE SET NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            start_time REAL,
            end_time REAL,
            UNIQUE (transcript_id, seq),
            CHECK (start >= 0 AND end >= start)
        );
        CREATE INDEX idx_turns_transcript_start ON turns(transcript_id, start);
        CREATE INDEX idx_turns_speaker ON turns(speaker_id);
        CREATE TABLE sentences (
            id INTEGER PRIMARY KEY,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            turn_id INTEGER NOT NULL REFERENCES turns(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            CHECK (start >= 0 AND end >= start)
        );
        CREATE INDEX idx_sentences_transcript_start ON sentences(transcript_id, start);
        CREATE INDEX idx_sentences_turn ON sentences(turn_id, seq);
        CREATE VIRTUAL TABLE turn_fts USING fts5(
            body, tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE TABLE codes (
            id INTEGER PRIMARY KEY,
            guid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            parent_id INTEGER REFERENCES codes(id) ON DELETE RESTRICT,
            definition TEXT,
            inclusion TEXT,
            exclusion TEXT,
            example TEXT,
            colour TEXT,
            stage TEXT NOT NULL DEFAULT 'initial' CHECK (stage IN {_in(STAGES)}),
            in_vivo INTEGER NOT NULL DEFAULT 0,
            is_category INTEGER NOT NULL DEFAULT 0,
            codable INTEGER NOT NULL DEFAULT 1,
            keywords TEXT,
            position INTEGER NOT NULL DEFAULT 0,
            merged_into_id INTEGER REFERENCES codes(id) ON DELETE SET NULL,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        );
        -- Names identify live codes for people; GUIDs identify them for machines.
        CREATE UNIQUE INDEX idx_codes_live_name ON codes(name) WHERE merged_into_id IS NULL;
        CREATE INDEX idx_codes_parent ON codes(parent_id, position);
        CREATE INDEX idx_codes_merged ON codes(merged_into_id);
        CREATE TABLE codings (
            id INTEGER PRIMARY KEY,
            guid TEXT NOT NULL UNIQUE,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE RESTRICT,
            coder_id INTEGER NOT NULL REFERENCES coders(id) ON DELETE RESTRICT,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            memo TEXT,
            exemplar INTEGER NOT NULL DEFAULT 0,
            created TEXT NOT NULL,
            CHECK (start >= 0 AND end > start)
        );
        CREATE UNIQUE INDEX idx_codings_identity
            ON codings(transcript_id, code_id, coder_id, start, end);
        CREATE INDEX idx_codings_code ON codings(code_id, transcript_id, start);
        CREATE INDEX idx_codings_transcript_start ON codings(transcript_id, start);
        CREATE INDEX idx_codings_coder ON codings(coder_id);
        CREATE TABLE memos (
            id INTEGER PRIMARY KEY,
            guid TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL CHECK (type IN {_in(MEMO_TYPES)}),
            title TEXT NOT NULL,
            body TEXT NOT NULL DEFAULT '',
            author_id INTEGER REFERENCES coders(id) ON DELETE RESTRICT,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        );
        CREATE INDEX idx_memos_type ON memos(type);
        CREATE INDEX idx_memos_author ON memos(author_id);
        -- One row per link; exactly one target column is set. Real foreign keys (not a
        -- polymorphic id) so that deleting a target can never leave a dangling link.
        CREATE TABLE memo_links (
            id INTEGER PRIMARY KEY,
            memo_id INTEGER NOT NULL REFERENCES memos(id) ON DELETE CASCADE,
            code_id INTEGER REFERENCES codes(id) ON DELETE CASCADE,
            coding_id INTEGER REFERENCES codings(id) ON DELETE CASCADE,
            participant_id INTEGER REFERENCES participants(id) ON DELETE CASCADE,
            transcript_id INTEGER REFERENCES transcripts(id) ON DELETE CASCADE,
            wave_id INTEGER REFERENCES waves(id) ON DELETE CASCADE,
            CHECK ((code_id IS NOT NULL) + (coding_id IS NOT NULL) + (participant_id IS NOT NULL)
                   + (transcript_id IS NOT NULL) + (wave_id IS NOT NULL) = 1)
        );
        CREATE INDEX idx_memo_links_memo ON memo_links(memo_id);
        CREATE INDEX idx_memo_links_code ON memo_links(code_id);
        CREATE INDEX idx_memo_links_coding ON memo_links(coding_id);
        CREATE INDEX idx_memo_links_participant ON memo_links(participant_id);
        CREATE INDEX idx_memo_links_transcript ON memo_links(transcript_id);
        CREATE INDEX idx_memo_links_wave ON memo_links(wave_id);
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            ts TEXT NOT NULL,
            coder TEXT,
            action TEXT NOT NULL,
            summary TEXT NOT NULL,
            details TEXT,
            undoable INTEGER NOT NULL DEFAULT 1,
            status TEXT NOT NULL DEFAULT 'done'
                CHECK (status IN ('done', 'undone', 'discarded')),
            target_event_id INTEGER REFERENCES events(id)
        );
        CREATE INDEX idx_events_status ON events(undoable, status, id);
        CREATE INDEX idx_events_ts ON events(ts);
        CREATE INDEX idx_events_target ON events(target_event_id);
        """
    )


@MIGRATIONS(name="m002_change_capture")
def m002_change_capture(db: Database) -> None:
    """Row-level change capture for undo/redo: triggers copy every change of an
    undoable table into ``event_changes`` while ``recorder.event_id`` is set."""
    db.executescript(
        """
        CREATE TABLE event_changes (
            id INTEGER PRIMARY KEY,
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            tbl TEXT NOT NULL,
            op TEXT NOT NULL CHECK (op IN ('I', 'U', 'D')),
            row_id INTEGER NOT NULL,
            old TEXT,
            new TEXT
        );
        CREATE INDEX idx_event_changes_event ON event_changes(event_id, id);
        CREATE TABLE recorder (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            event_id INTEGER
        );
        INSERT INTO recorder (id, event_id) VALUES (1, NULL);
        """
    )
    install_change_triggers(db)


@MIGRATIONS(name="m003_name_key")
def m003_name_key(db: Database) -> None:
    """The pseudonymisation key: real names (and places, organisations) and what
    replaces them. Deliberately NOT an undoable table: its rows must never be copied
    into the event log, so that removing the key from the project removes it whole."""
    db.executescript(
        """
        CREATE TABLE name_key (
            id INTEGER PRIMARY KEY,
            real TEXT NOT NULL UNIQUE,
            pseudonym TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'person'
                CHECK (kind IN ('person', 'place', 'organisation', 'other')),
            participant_id INTEGER REFERENCES participants(id) ON DELETE SET NULL
        );
        CREATE INDEX idx_name_key_participant ON name_key(participant_id);
        """
    )


@MIGRATIONS(name="m004_compact_text_index")
def m004_compact_text_index(db: Database) -> None:
    """Sentences packed per transcript, and a full-text index without a copy of the text.

    Sentences were one row each (with two indexes): over a third of the time spent
    storing an import, for data that is only ever read a whole transcript at a time. They become one row
    per transcript holding every sentence as packed integers (see
    :mod:`qualcode.store.sentence_spans`).

    The full-text index kept its own copy of every turn's words beside the transcript
    text. It becomes contentless: the index alone, whose matches are joined to turns by
    rowid (search never read the copy; its keyword-in-context lines come from the
    transcript text).
    """
    from .sentence_spans import pack

    # Statement by statement, not executescript (which would commit part-way): the
    # migration runs in one transaction, so a crash leaves the file as it was.
    db.execute(
        """
        CREATE TABLE sentence_spans (
            transcript_id INTEGER PRIMARY KEY REFERENCES transcripts(id) ON DELETE CASCADE,
            count INTEGER NOT NULL CHECK (count >= 0),
            spans BLOB NOT NULL
        )
        """
    )
    transcript_ids = [r[0] for r in db.execute("SELECT DISTINCT transcript_id FROM sentences")]
    for transcript_id in transcript_ids:
        rows = db.execute(
            "SELECT t.seq, s.start, s.end FROM sentences s JOIN turns t ON t.id = s.turn_id "
            "WHERE s.transcript_id = ? ORDER BY s.start, s.seq",
            [transcript_id],
        ).fetchall()
        db.execute("INSERT INTO sentence_spans (transcript_id, count, spans) VALUES (?, ?, ?)",
                   [transcript_id, len(rows), pack(rows)])
    db.execute("DROP TABLE sentences")
    db.execute("DROP TABLE turn_fts")
    db.execute(
        "CREATE VIRTUAL TABLE turn_fts USING fts5("
        "body, content = '', tokenize = 'unicode61 remove_diacritics 2')"
    )
    # Each import flushes the index once per file (every savepoint does), leaving many
    # small segments; merging them only once 16 share a level, rather than 4, took a
    # quarter off the cost of indexing a large import at no visible cost to searching.
    db.execute("INSERT INTO turn_fts (turn_fts, rank) VALUES ('automerge', 16)")
    # Sliced in Python, a transcript at a time: SQLite's substr walks the text from its
    # start for every turn, which is quadratic in the length of a transcript.
    for (transcript_id,) in db.execute("SELECT id FROM transcripts").fetchall():
        text = db.execute("SELECT text FROM transcripts WHERE id = ?", [transcript_id]).fetchone()[0]
        turns = db.execute("SELECT id, start, end FROM turns WHERE transcript_id = ?", [transcript_id]).fetchall()
        db.conn.executemany("INSERT INTO turn_fts (rowid, body) VALUES (?, ?)",
                            [(turn_id, text[start:end]) for turn_id, start, end in turns])


@MIGRATIONS(name="m005_undoable_text")
def m005_undoable_text(db: Database) -> None:
    """Transcripts, turns and sentence spans join the undoable tables, so corrections of
    imported data can be undone; an index lets new rows take ids no logged change has
    used (an undone deletion can then always put its rows back)."""
    db.execute("CREATE INDEX IF NOT EXISTS idx_event_changes_row ON event_changes(tbl, row_id)")
    install_change_triggers(db)


@MIGRATIONS(name="m006_team_live")
def m006_team_live(db: Database) -> None:
    """Several coders live on one file: who has it open (``sessions``, one row per
    running program, kept fresh by heartbeats), the hashed access keys of ``qualcode
    serve`` (``access_keys``), and a revision on each code so that a codebook edit made
    on a stale view is refused instead of silently overwriting another coder's."""
    db.executescript(
        """
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            coder TEXT NOT NULL,
            program TEXT NOT NULL,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            place TEXT,
            started TEXT NOT NULL,
            heartbeat REAL NOT NULL
        );
        CREATE INDEX idx_sessions_heartbeat ON sessions(heartbeat);
        CREATE TABLE access_keys (
            id TEXT PRIMARY KEY,
            coder TEXT NOT NULL,
            salt BLOB NOT NULL,
            hash BLOB NOT NULL,
            created TEXT NOT NULL,
            revoked TEXT
        );
        ALTER TABLE codes ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
        """
    )
    install_change_triggers(db)


@MIGRATIONS(name="m007_attribute_types")
def m007_attribute_types(db: Database) -> None:
    """Declared types of participant attributes: text, number, date, or a category with
    its values in order (``allowed``, a JSON list). An attribute without a row here is
    text. A declaration is an undoable action like any other edit of the study."""
    db.executescript(
        f"""
        CREATE TABLE attribute_types (
            key TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN {_in(ATTRIBUTE_KINDS)}),
            allowed TEXT,
            description TEXT
        );
        """
    )
    install_change_triggers(db)


@MIGRATIONS(name="m008_query_sets")
def m008_query_sets(db: Database) -> None:
    """Named sets of passages saved from a code query (see :mod:`qualcode.store.query`):
    saving, refreshing and deleting a set are undoable."""
    from .query import create_query_sets

    create_query_sets(db)
    install_change_triggers(db)


@MIGRATIONS(name="m009_summary_grid")
def m009_summary_grid(db: Database) -> None:
    """The summary grid (see :mod:`qualcode.store.schema_grid`) and the memo types of
    Saldana's cumulative and through-line memos."""
    from .schema_grid import add_memo_types, create_summary_grid

    create_summary_grid(db)
    add_memo_types(db)
    install_change_triggers(db)


@MIGRATIONS(name="m010_media")
def m010_media(db: Database) -> None:
    """Recordings linked to transcripts, and turn times marked as estimated (see
    :func:`qualcode.store.media.create_media_table`)."""
    from .media import create_media_table

    create_media_table(db)
    install_change_triggers(db)


def install_change_triggers(db: Connection | Database) -> None:
    """(Re)create the capture triggers from the tables' current columns.

    Call this at the end of any later migration that changes an undoable table, so
    the triggers copy the new columns too. A table a later migration creates is left
    for that migration to cover.
    """
    existing = set(db.table_names())
    for table in UNDOABLE_TABLES:
        if table not in existing:
            continue
        columns = _column_names(db, table)
        large = LARGE_COLUMNS.get(table, ())
        blobs = BLOB_COLUMNS.get(table, ())
        for op, event in (("I", "INSERT"), ("U", "UPDATE"), ("D", "DELETE")):
            db.execute(f"DROP TRIGGER IF EXISTS capture_{table}_{op}")
            db.execute(f"DROP TRIGGER IF EXISTS capture_{table}_{op}_large")
            if (table, op) in LOGGED_BY_STORE:
                continue
            rowid = "OLD.rowid" if op == "D" else "NEW.rowid"
            variants = [("", "", columns)]
            if op == "U" and large:
                # Two update triggers: one when a large column changed (whole rows), one
                # when it did not (the rows without it).
                changed = " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in large)
                small = [c for c in columns if c not in large]
                variants = [("_large", f" AND ({changed})", columns), ("", f" AND NOT ({changed})", small)]
            for suffix, condition, kept in variants:
                old = _json_row("OLD", kept, blobs) if op in ("U", "D") else "NULL"
                new = _json_row("NEW", kept, blobs) if op in ("I", "U") else "NULL"
                db.execute(
                    f"""
                    CREATE TRIGGER capture_{table}_{op}{suffix} AFTER {event} ON {table}
                    WHEN (SELECT event_id FROM recorder WHERE id = 1) IS NOT NULL{condition}
                    BEGIN
                        INSERT INTO event_changes (event_id, tbl, op, row_id, old, new)
                        VALUES ((SELECT event_id FROM recorder WHERE id = 1),
                                '{table}', '{op}', {rowid}, {old}, {new});
                    END
                    """
                )


def log_inserted_rows(db: Connection | Database, table: str, first_id: int, last_id: int) -> None:
    """Log rows ``first_id``..``last_id`` just inserted into ``table`` under the action
    being recorded, as its capture trigger would (for the inserts of LOGGED_BY_STORE)."""
    event_id = db.execute("SELECT event_id FROM recorder WHERE id = 1").fetchone()[0]
    if event_id is None or last_id < first_id:
        return
    columns = _column_names(db, table)
    db.execute(
        f"INSERT INTO event_changes (event_id, tbl, op, row_id, old, new) "
        f"SELECT ?, '{table}', 'I', rowid, NULL, {_json_row(table, columns, BLOB_COLUMNS.get(table, ()))} "
        f"FROM {table} WHERE rowid BETWEEN ? AND ? ORDER BY rowid",
        [event_id, first_id, last_id],
    )


def _json_row(alias: str, columns: list[str], blobs: tuple[str, ...] = ()) -> str:
    pairs = ", ".join(
        f"'{c}', hex({alias}.\"{c}\")" if c in blobs else f"'{c}', {alias}.\"{c}\"" for c in columns
    )
    return f"json_object({pairs})"


def current_version() -> int:
    """The schema version this code writes: the number of migrations it knows."""
    return len(MIGRATIONS.names())


def migration_names() -> list[str]:
    return MIGRATIONS.names()
