"""Bulk loading for benchmarks and large imports: many codings in one transaction.

:func:`qualcode.store.analysis.bulk_insert_codings` inserts rows one by one into a
table with six indexes (the GUID's, the identity, code, transcript and start, coder),
each insert a random walk down every B-tree. Here the rows are sorted in identity order,
their (random, version 4) GUIDs are handed out in sorted order so that both unique
indexes grow at their right edge, and the three plain indexes are dropped for the load
and rebuilt from their stored definitions afterwards (one sort each), all inside the
one transaction: a failure leaves the file as it was. Nothing goes into the event log.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from .connection import Database
from .db import now, write

_PLAIN_INDEXES = ("idx_codings_code", "idx_codings_transcript_start", "idx_codings_coder")
CACHE_KIB = 256 * 1024


def bulk_load_codings(db: Database, rows: Iterable[tuple[int, int, int, int, int]]) -> int:
    """Insert (transcript_id, code_id, coder_id, start, end) rows; returns how many.
    Duplicate rows (same identity) are inserted once."""
    ordered = sorted(set(rows))
    guids = sorted(str(uuid.uuid4()) for _ in ordered)
    stamp = now()
    conn = db.conn
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    try:
        with write(db):
            definitions = [sql for (sql,) in conn.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'codings' "
                f"AND name IN ({', '.join('?' for _ in _PLAIN_INDEXES)})", _PLAIN_INDEXES)]
            for name in _PLAIN_INDEXES:
                conn.execute(f"DROP INDEX IF EXISTS {name}")
            conn.executemany(
                "INSERT INTO codings (guid, transcript_id, code_id, coder_id, start, end, created) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                ((guid, *row, stamp) for guid, row in zip(guids, ordered)),
            )
            for sql in definitions:
                conn.execute(sql)
    finally:
        conn.execute(f"PRAGMA cache_size = {cache}")
    return len(ordered)
