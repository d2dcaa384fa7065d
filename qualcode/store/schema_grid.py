"""The tables of migration m009: the summary grid, and the memo table rebuilt so that
its type check admits Saldana's cumulative and through-line memos.

Kept apart from :mod:`qualcode.store.schema`, which registers the migration, so that
the list of migrations stays short enough to read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import MEMO_TYPES
from .connection import Database as Connection

if TYPE_CHECKING:
    from sqlite_utils import Database


def create_summary_grid(db: Connection | Database) -> None:
    """An analyst's summary per row x wave x theme (Framework charting).

    A row is a participant or a case (a site: the services of a multi-site study); a
    theme is a code or category of the codebook, or a named dimension that is not a code
    (the descriptive columns of a case grid, such as provider or funding).

    Citations name codings by id without a foreign key: editing a coding keeps its id
    and so the citation; deleting it leaves the citation dangling, shown as such with
    the words once cited (``quote``), rather than losing what the analyst pointed at.
    """
    db.execute(
        """
        CREATE TABLE summaries (
            id INTEGER PRIMARY KEY,
            guid TEXT NOT NULL UNIQUE,
            participant_id INTEGER REFERENCES participants(id) ON DELETE CASCADE,
            site TEXT,
            wave_id INTEGER NOT NULL REFERENCES waves(id) ON DELETE CASCADE,
            code_id INTEGER REFERENCES codes(id) ON DELETE CASCADE,
            dimension TEXT,
            body TEXT NOT NULL,
            author_id INTEGER REFERENCES coders(id) ON DELETE RESTRICT,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            CHECK ((participant_id IS NOT NULL) + (site IS NOT NULL) = 1),
            CHECK ((code_id IS NOT NULL) + (dimension IS NOT NULL) = 1)
        )
        """
    )
    db.execute(
        "CREATE UNIQUE INDEX idx_summaries_cell ON summaries(ifnull(participant_id, 0), "
        "ifnull(site, ''), wave_id, ifnull(code_id, 0), ifnull(dimension, ''))"
    )
    db.execute("CREATE INDEX idx_summaries_participant ON summaries(participant_id, wave_id)")
    db.execute("CREATE INDEX idx_summaries_code ON summaries(code_id)")
    db.execute("CREATE INDEX idx_summaries_wave ON summaries(wave_id)")
    db.execute("CREATE INDEX idx_summaries_author ON summaries(author_id)")
    db.execute(
        """
        CREATE TABLE summary_citations (
            id INTEGER PRIMARY KEY,
            summary_id INTEGER NOT NULL REFERENCES summaries(id) ON DELETE CASCADE,
            coding_id INTEGER NOT NULL,
            quote TEXT NOT NULL DEFAULT '',
            UNIQUE (summary_id, coding_id)
        )
        """
    )
    db.execute("CREATE INDEX idx_summary_citations_coding ON summary_citations(coding_id)")


def add_memo_types(db: Connection | Database) -> None:
    """Rebuild ``memos`` with a type check of today's :data:`~qualcode.model.MEMO_TYPES`.

    SQLite cannot alter a check, and the migration runs with foreign keys on inside one
    transaction, where dropping ``memos`` would cascade into ``memo_links``. So both
    tables are copied to new ones (the links' copy referring to the memos' copy), the
    old ones dropped (the links first, so nothing cascades), and the copies renamed;
    renaming rewrites the links' reference. Row ids are kept, so the log still undoes.
    """
    types = ", ".join(f"'{t}'" for t in MEMO_TYPES)
    db.execute(
        f"""
        CREATE TABLE memos_new (
            id INTEGER PRIMARY KEY,
            guid TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL CHECK (type IN ({types})),
            title TEXT NOT NULL,
            body TEXT NOT NULL DEFAULT '',
            author_id INTEGER REFERENCES coders(id) ON DELETE RESTRICT,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE memo_links_new (
            id INTEGER PRIMARY KEY,
            memo_id INTEGER NOT NULL REFERENCES memos_new(id) ON DELETE CASCADE,
            code_id INTEGER REFERENCES codes(id) ON DELETE CASCADE,
            coding_id INTEGER REFERENCES codings(id) ON DELETE CASCADE,
            participant_id INTEGER REFERENCES participants(id) ON DELETE CASCADE,
            transcript_id INTEGER REFERENCES transcripts(id) ON DELETE CASCADE,
            wave_id INTEGER REFERENCES waves(id) ON DELETE CASCADE,
            CHECK ((code_id IS NOT NULL) + (coding_id IS NOT NULL) + (participant_id IS NOT NULL)
                   + (transcript_id IS NOT NULL) + (wave_id IS NOT NULL) = 1)
        )
        """
    )
    db.execute("INSERT INTO memos_new (id, guid, type, title, body, author_id, created, updated) "
               "SELECT id, guid, type, title, body, author_id, created, updated FROM memos")
    db.execute("INSERT INTO memo_links_new (id, memo_id, code_id, coding_id, participant_id, "
               "transcript_id, wave_id) SELECT id, memo_id, code_id, coding_id, participant_id, "
               "transcript_id, wave_id FROM memo_links")
    db.execute("DROP TABLE memo_links")
    db.execute("DROP TABLE memos")
    db.execute("ALTER TABLE memos_new RENAME TO memos")
    db.execute("ALTER TABLE memo_links_new RENAME TO memo_links")
    for statement in (
        "CREATE INDEX idx_memos_type ON memos(type)",
        "CREATE INDEX idx_memos_author ON memos(author_id)",
        "CREATE INDEX idx_memo_links_memo ON memo_links(memo_id)",
        "CREATE INDEX idx_memo_links_code ON memo_links(code_id)",
        "CREATE INDEX idx_memo_links_coding ON memo_links(coding_id)",
        "CREATE INDEX idx_memo_links_participant ON memo_links(participant_id)",
        "CREATE INDEX idx_memo_links_transcript ON memo_links(transcript_id)",
        "CREATE INDEX idx_memo_links_wave ON memo_links(wave_id)",
    ):
        db.execute(statement)
