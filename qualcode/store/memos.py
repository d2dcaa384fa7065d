"""SQL for memos and their links to codes, codings, participants, transcripts, waves."""

from __future__ import annotations

from ..errors import NotFoundError
from ..records import Memo, MemoLink
from .connection import Database
from .db import inserted_id, new_guid, now

LINK_KINDS = {
    # kind: (memo_links column, how a person names the target, SQL to find its id)
    "code": ("code_id", "SELECT id FROM codes WHERE name = ? AND merged_into_id IS NULL"),
    "coding": ("coding_id", "SELECT id FROM codings WHERE id = ?"),
    "participant": ("participant_id", "SELECT id FROM participants WHERE pid = ?"),
    "transcript": ("transcript_id", "SELECT id FROM transcripts WHERE name = ?"),
    "wave": ("wave_id", "SELECT id FROM waves WHERE label = ?"),
}
LINK_LABEL_SQL = """
SELECT l.id, l.memo_id,
  CASE WHEN l.code_id IS NOT NULL THEN 'code' WHEN l.coding_id IS NOT NULL THEN 'coding'
       WHEN l.participant_id IS NOT NULL THEN 'participant'
       WHEN l.transcript_id IS NOT NULL THEN 'transcript' ELSE 'wave' END,
  coalesce(k.name, CAST(l.coding_id AS TEXT), p.pid, t.name, w.label)
FROM memo_links l
LEFT JOIN codes k ON k.id = l.code_id
LEFT JOIN participants p ON p.id = l.participant_id
LEFT JOIN transcripts t ON t.id = l.transcript_id
LEFT JOIN waves w ON w.id = l.wave_id
"""
def resolve_link(db: Database, kind: str, value: str) -> tuple[str, int]:
    if kind not in LINK_KINDS:
        raise NotFoundError(f"memo link kind {kind!r} is not one of {', '.join(LINK_KINDS)}")
    column, sql = LINK_KINDS[kind]
    row = db.execute(sql, [value]).fetchone()
    if row is None:
        raise NotFoundError(f"memo link {kind}:{value}: no such {kind}")
    return column, row[0]


def insert_memo(db: Database, type_: str, title: str, body: str, author_id: int | None,
                guid: str | None = None, created: str | None = None) -> int:
    stamp = created or now()
    cursor = db.execute(
        "INSERT INTO memos (guid, type, title, body, author_id, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [guid or new_guid(), type_, title, body, author_id, stamp, stamp],
    )
    return inserted_id(cursor)


def has_link(db: Database, memo_id: int, column: str, target_id: int) -> bool:
    return db.execute(
        f"SELECT 1 FROM memo_links WHERE memo_id = ? AND {column} = ?", [memo_id, target_id]
    ).fetchone() is not None


def add_link(db: Database, memo_id: int, column: str, target_id: int) -> None:
    if not has_link(db, memo_id, column, target_id):
        db.execute(f"INSERT INTO memo_links (memo_id, {column}) VALUES (?, ?)", [memo_id, target_id])


def remove_link(db: Database, memo_id: int, column: str, target_id: int) -> int:
    return db.execute(
        f"DELETE FROM memo_links WHERE memo_id = ? AND {column} = ?", [memo_id, target_id]
    ).rowcount


def update_memo(db: Database, memo_id: int, **fields) -> None:
    fields["updated"] = now()
    assignments = ", ".join(f"{k} = ?" for k in fields)
    db.execute(f"UPDATE memos SET {assignments} WHERE id = ?", [*fields.values(), memo_id])


def memo_ids(db: Database, *, type_: str | None = None, author: str | None = None,
             link: tuple[str, int] | None = None) -> list[int]:
    clauses: list[str] = []
    params: list[object] = []
    if type_:
        clauses.append("m.type = ?")
        params.append(type_)
    if author:
        clauses.append("a.name = ?")
        params.append(author)
    if link:
        column, target = link
        clauses.append(f"m.id IN (SELECT memo_id FROM memo_links WHERE {column} = ?)")
        params.append(target)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    return [r[0] for r in db.execute(
        f"SELECT m.id FROM memos m LEFT JOIN coders a ON a.id = m.author_id {where} ORDER BY m.id", params
    )]


def memos_by_ids(db: Database, ids: list[int]) -> list[Memo]:
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    rows = db.execute(
        "SELECT m.id, m.guid, m.type, m.title, m.body, a.name, m.created, m.updated FROM memos m "
        f"LEFT JOIN coders a ON a.id = m.author_id WHERE m.id IN ({marks}) ORDER BY m.id", ids
    ).fetchall()
    links: dict[int, list[MemoLink]] = {r[0]: [] for r in rows}
    for _link_id, memo_id, kind, label in db.execute(
        LINK_LABEL_SQL + f" WHERE l.memo_id IN ({marks}) ORDER BY l.id", ids
    ):
        links[memo_id].append(MemoLink(kind, label))
    memos = {}
    for id_, guid, type_, title, body, author, created, updated in rows:
        memos[id_] = Memo(id_, guid, type_, title, body, author, created, updated, tuple(links[id_]))
    return [memos[i] for i in ids if i in memos]


def memo_exists(db: Database, memo_id: int) -> None:
    if not db.execute("SELECT 1 FROM memos WHERE id = ?", [memo_id]).fetchone():
        raise NotFoundError(f"no memo with id {memo_id}")


def repoint_code_links(db: Database, from_code: int, to_code: int) -> None:
    """After a merge: links to the merged code now point at the code it went into."""
    db.execute(
        "DELETE FROM memo_links WHERE code_id = ? AND memo_id IN "
        "(SELECT memo_id FROM memo_links WHERE code_id = ?)", [from_code, to_code]
    )
    db.execute("UPDATE memo_links SET code_id = ? WHERE code_id = ?", [to_code, from_code])


def delete_memo(db: Database, memo_id: int) -> None:
    db.execute("DELETE FROM memos WHERE id = ?", [memo_id])
