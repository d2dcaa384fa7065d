"""SQL for reading another coder's project in a merge."""

from __future__ import annotations

from .connection import Database


def transcripts_by_sha(db: Database) -> dict[str, dict]:
    """Transcripts by the SHA-256 of their source, with the length of their text in code
    points (counted, not taken from the stored count)."""
    rows = db.execute("SELECT id, guid, name, sha256, length(text) FROM transcripts").fetchall()
    return {r[3]: {"id": r[0], "guid": r[1], "name": r[2], "length": r[4]} for r in rows}


def codes(db: Database) -> list[dict]:
    """Every code as stored; ``live`` is false for a merged code's record."""
    keys = ("id", "parent_id", "guid", "name", "definition", "inclusion", "exclusion", "example",
            "keywords", "stage", "colour", "live")
    rows = db.execute("SELECT id, parent_id, guid, name, definition, inclusion, exclusion, example, "
                      "keywords, stage, colour, merged_into_id IS NULL FROM codes ORDER BY id").fetchall()
    return [dict(zip(keys, r)) for r in rows]


def participants(db: Database) -> list[dict]:
    rows = db.execute("SELECT id, guid, pid, pseudonym, role, site FROM participants").fetchall()
    return [dict(zip(("id", "guid", "pid", "pseudonym", "role", "site"), r)) for r in rows]


def coders(db: Database) -> list[dict]:
    return [dict(zip(("id", "guid", "name"), r)) for r in db.execute("SELECT id, guid, name FROM coders")]


def codings(db: Database) -> list[dict]:
    rows = db.execute(
        "SELECT c.guid, t.sha256, k.guid, d.name, c.start, c.end, c.memo, c.exemplar, c.created "
        "FROM codings c JOIN transcripts t ON t.id = c.transcript_id JOIN codes k ON k.id = c.code_id "
        "JOIN coders d ON d.id = c.coder_id ORDER BY c.id"
    ).fetchall()
    keys = ("guid", "sha256", "code_guid", "coder", "start", "end", "memo", "exemplar", "created")
    return [dict(zip(keys, r)) for r in rows]


def memos(db: Database) -> list[dict]:
    rows = db.execute(
        "SELECT m.id, m.guid, m.type, m.title, m.body, a.name, m.created FROM memos m "
        "LEFT JOIN coders a ON a.id = m.author_id ORDER BY m.id").fetchall()
    result = {r[0]: dict(zip(("id", "guid", "type", "title", "body", "author", "created"), r), links=[])
              for r in rows}
    for memo_id, code_guid, coding_guid, pid, sha, wave in db.execute(
        "SELECT l.memo_id, k.guid, c.guid, p.pid, t.sha256, w.label FROM memo_links l "
        "LEFT JOIN codes k ON k.id = l.code_id LEFT JOIN codings c ON c.id = l.coding_id "
        "LEFT JOIN participants p ON p.id = l.participant_id "
        "LEFT JOIN transcripts t ON t.id = l.transcript_id LEFT JOIN waves w ON w.id = l.wave_id"
    ):
        result[memo_id]["links"].append(
            {"code": code_guid, "coding": coding_guid, "participant": pid, "transcript": sha, "wave": wave})
    return list(result.values())


def memo_by_guid(db: Database, guid: str) -> dict | None:
    row = db.execute("SELECT id, title, body FROM memos WHERE guid = ?", [guid]).fetchone()
    return dict(zip(("id", "title", "body"), row)) if row else None


def coding_id_by_guid(db: Database, guid: str) -> int | None:
    row = db.execute("SELECT id FROM codings WHERE guid = ?", [guid]).fetchone()
    return row[0] if row else None


def guid_taken(db: Database, table: str, guid: str) -> bool:
    return db.execute(f"SELECT 1 FROM {table} WHERE guid = ?", [guid]).fetchone() is not None
