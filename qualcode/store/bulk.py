"""Bulk loading for benchmarks and large imports: many codings in one transaction.

:func:`qualcode.store.analysis.bulk_insert_codings` inserts rows one by one into a
table with six indexes (the GUID's, the identity, code, transcript and start, coder),
each insert a random walk down every B-tree. Here the rows are sorted in identity order
and their (random, version 4) GUIDs are handed out in sorted order, so that the table
and the GUID's index grow at their right edge; the identity index and the three plain
indexes are dropped for the load and rebuilt from their stored definitions afterwards
(one sort each; rebuilding the unique identity index refuses a row that is already
stored, as the insert would have). All of it happens inside the one transaction: a
failure leaves the file as it was.

Nothing goes into the event log, as before: a bulk load is not a user action. The
capture trigger that copies inserted codings into ``event_changes`` for undo does
nothing outside an action, yet its condition costs a subquery per row (half the time of
the load), so it is dropped for the load and recreated, in the same transaction, when
no action is recording; inside one it stays, and the action records every row.

Memory stays linear and small: the rows are held as one numpy array of integers (40
bytes a row, not a set of tuples), the GUIDs as two 64-bit halves, each row's Python
objects are made only as SQLite takes the row, a chunk at a time, and the page cache is
sized for the index rebuilds, not for the whole file.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator

from .connection import Database
from .db import now, write

_PLAIN_INDEXES = ("idx_codings_code", "idx_codings_transcript_start", "idx_codings_coder")
# Rebuilt after the load like the plain ones; the GUID's unique index (part of the table's
# definition) cannot be dropped, and sorted GUIDs append to it.
_REBUILT_INDEXES = (*_PLAIN_INDEXES, "idx_codings_identity")
_CAPTURE_TRIGGER = "capture_codings_I"
CACHE_KIB = 64 * 1024
_CHUNK = 8192
# The version (4) and variant bits of a random UUID, in its high and low 64-bit halves.
_VERSION_CLEAR, _VERSION_SET = ~(0xF << 12) & (2**64 - 1), 0x4 << 12
_VARIANT_CLEAR, _VARIANT_SET = (2**62 - 1), 0x2 << 62


def bulk_load_codings(db: Database, rows: Iterable[tuple[int, int, int, int, int]]) -> int:
    """Insert (transcript_id, code_id, coder_id, start, end) rows; returns how many.
    Duplicate rows (same identity) are inserted once."""
    import numpy as np

    flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64)
    table = flat.reshape(-1, 5)
    del flat
    if len(table):
        # Identity order (transcript, code, coder, start, end); duplicates dropped.
        table = table[np.lexsort(table.T[::-1])]
        keep = np.ones(len(table), dtype=bool)
        keep[1:] = (table[1:] != table[:-1]).any(axis=1)
        table = table[keep]
    stamp = now()
    conn = db.conn
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    try:
        with write(db):
            recording = conn.execute("SELECT event_id FROM recorder WHERE id = 1").fetchone()[0] is not None
            dropped = _REBUILT_INDEXES if recording else (*_REBUILT_INDEXES, _CAPTURE_TRIGGER)
            definitions = [(kind, name, sql) for (kind, name, sql) in conn.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'codings' "
                f"AND name IN ({', '.join('?' for _ in dropped)}) ORDER BY type", dropped)]
            for kind, name, _sql in definitions:
                conn.execute(f"DROP {kind.upper()} {name}")
            conn.executemany(
                "INSERT INTO codings (guid, transcript_id, code_id, coder_id, start, end, created) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                ((guid, *row, stamp) for guid, row in zip(sorted_guids(len(table)), _in_chunks(table))),
            )
            for _kind, _name, sql in definitions:
                conn.execute(sql)
    finally:
        conn.execute(f"PRAGMA cache_size = {cache}")
    return len(table)


def _in_chunks(table, size: int = _CHUNK) -> Iterator[list[int]]:
    """The array's rows as lists of ints, converted a chunk at a time."""
    for first in range(0, len(table), size):
        yield from table[first:first + size].tolist()


def sorted_guids(n: int) -> Iterator[str]:
    """``n`` random version-4 UUIDs as text, in ascending order, made one at a time from
    sorted 64-bit halves (a million of them as Python strings would take 100 MB)."""
    import numpy as np

    halves = np.frombuffer(os.urandom(16 * n), dtype=np.uint64).reshape(-1, 2).copy()
    halves[:, 0] = (halves[:, 0] & np.uint64(_VERSION_CLEAR)) | np.uint64(_VERSION_SET)
    halves[:, 1] = (halves[:, 1] & np.uint64(_VARIANT_CLEAR)) | np.uint64(_VARIANT_SET)
    halves = halves[np.lexsort((halves[:, 1], halves[:, 0]))]
    for high, low in _in_chunks(halves):
        h, lo = f"{high:016x}", f"{low:016x}"
        yield f"{h[:8]}-{h[8:12]}-{h[12:]}-{lo[:4]}-{lo[4:]}"  # as str(uuid.UUID(...)) spells it
