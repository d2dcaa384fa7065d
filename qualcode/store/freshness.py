"""SQL for a view that keeps up with other programs: what changed in a transcript's
codings or text since the view last read them, asked as cheaply as possible (the answers
are counts, sums and comparisons computed by SQLite, not rows copied into Python)."""

from __future__ import annotations

from .connection import Database

Key = tuple[int, int, int, int]  # code id, coder id, start, end


def coding_keys(db: Database, transcript_id: int, after_id: int = 0) -> dict[int, Key]:
    """The transcript's codings with ids above ``after_id`` as id -> key: enough to tell
    which codings were added, removed or changed since an earlier look."""
    return {r[0]: r[1:] for r in db.execute(
        "SELECT id, code_id, coder_id, start, end FROM codings WHERE transcript_id = ? AND id > ?",
        [transcript_id, after_id])}


def codings_fingerprint(db: Database, transcript_id: int, up_to_id: int) -> tuple:
    """Figures of the transcript's codings with ids up to ``up_to_id`` that change when
    one of them is removed or given another code, coder or span: while they hold, only
    codings with larger ids can be new."""
    return tuple(db.execute(
        "SELECT count(*), total(id), total(code_id), total(coder_id), total(start), total(end), "
        "total(id * (start + 1) + code_id * (end + 1) + coder_id * (start + end + 1)) FROM codings "
        "WHERE transcript_id = ? AND id <= ?", [transcript_id, up_to_id]).fetchone())


def layout_matches(db: Database, transcript_id: int, text: str,
                   turns: tuple[tuple[int, int], ...]) -> bool:
    """Whether the transcript still has this text (compared inside SQLite: no copy of
    it is made) and these turns' (start, end), in order."""
    row = db.execute("SELECT text = ? FROM transcripts WHERE id = ?", [text, transcript_id]).fetchone()
    if row is None or not row[0]:
        return False
    now = db.execute("SELECT start, end FROM turns WHERE transcript_id = ? ORDER BY seq",
                     [transcript_id]).fetchall()
    return tuple(now) == turns
