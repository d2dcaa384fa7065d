"""SQL for the codebook tree and codings."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from ..errors import NotFoundError, QualcodeError
from .connection import Database
from .db import inserted_id, new_guid, now

CODE_COLUMNS = (
    "id", "guid", "name", "parent_id", "definition", "inclusion", "exclusion", "example",
    "colour", "stage", "in_vivo", "is_category", "codable", "keywords", "position",
    "merged_into_id", "created", "updated", "revision",
)
EDITABLE = ("definition", "inclusion", "exclusion", "example", "colour", "stage", "in_vivo",
            "is_category", "codable", "keywords")
CODING_COLUMNS = ("id", "guid", "transcript_id", "code_id", "coder_id", "start", "end", "memo",
                  "exemplar", "created")


def _code(row: Sequence) -> dict:
    return dict(zip(CODE_COLUMNS, row))


def code_by_name(db: Database, name: str) -> dict:
    row = db.execute(
        f"SELECT {', '.join(CODE_COLUMNS)} FROM codes WHERE name = ? AND merged_into_id IS NULL",
        [name],
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no code named {name!r}")
    return _code(row)


def code_by_id(db: Database, code_id: int) -> dict:
    row = db.execute(f"SELECT {', '.join(CODE_COLUMNS)} FROM codes WHERE id = ?", [code_id]).fetchone()
    if row is None:
        raise NotFoundError(f"no code with id {code_id}")
    return _code(row)


def canonical_guid(value: object) -> str | None:
    """A GUID in the one form stored (``8-4-4-4-12`` hex digits, lower case, no braces),
    or None when ``value`` is not one. ``{C33E...}``, ``C33E...`` and ``c33e...`` are
    the same GUID; stored in one form, a lookup is one probe of the unique index."""
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        return None


def code_by_guid(db: Database, guid: str) -> dict | None:
    """The code (live or merged) with this GUID, however the GUID is written.

    Codes are stored with canonical GUIDs; a project written before that may hold one
    in capitals or in braces as a codebook file gave it, so those spellings are looked
    for too: four probes of the unique index, where ``lower(guid) = ?`` read the whole
    table for every lookup (a codebook load was quadratic in its number of codes)."""
    canonical = canonical_guid(guid)
    if canonical is None:
        return None
    upper = canonical.upper()
    row = db.execute(
        f"SELECT {', '.join(CODE_COLUMNS)} FROM codes WHERE guid IN (?, ?, ?, ?) ORDER BY guid = ? DESC",
        [canonical, upper, f"{{{canonical}}}", f"{{{upper}}}", canonical],
    ).fetchone()
    return _code(row) if row else None


def name_is_live(db: Database, name: str) -> bool:
    return db.execute(
        "SELECT 1 FROM codes WHERE name = ? AND merged_into_id IS NULL", [name]
    ).fetchone() is not None


def insert_code(db: Database, name: str, parent_id: int | None, fields: dict, guid: str | None = None) -> int:
    if guid is not None:
        canonical = canonical_guid(guid)
        if canonical is None:
            raise QualcodeError(f"code {name!r}: its guid is not a UUID")
        guid = canonical
    position = db.execute(
        "SELECT coalesce(max(position), 0) + 1 FROM codes WHERE parent_id IS ?", [parent_id]
    ).fetchone()[0]
    stamp = now()
    values = {k: fields[k] for k in EDITABLE if k in fields}
    columns = ["guid", "name", "parent_id", "position", "created", "updated", *values]
    cursor = db.execute(
        f"INSERT INTO codes ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
        [guid or new_guid(), name, parent_id, position, stamp, stamp, *values.values()],
    )
    return inserted_id(cursor)


def update_code(db: Database, code_id: int, **fields) -> None:
    if not fields:
        return
    fields["updated"] = now()
    assignments = ", ".join(f"{k} = ?" for k in fields)
    # The revision is the newest event's id (the action making this change): never used
    # for another state of the code, and put back with the rest of the row by an undo,
    # so an equal revision means an unchanged code (see CodebookMixin's expected_revision).
    db.execute(f"UPDATE codes SET {assignments}, "
               "revision = (SELECT coalesce(max(id), 0) FROM events) WHERE id = ?",
               [*fields.values(), code_id])


def live_codes(db: Database) -> list[dict]:
    rows = db.execute(
        f"SELECT {', '.join(CODE_COLUMNS)} FROM codes WHERE merged_into_id IS NULL "
        "ORDER BY parent_id IS NOT NULL, parent_id, position, name"
    ).fetchall()
    return [_code(r) for r in rows]


def descendant_ids(db: Database, code_id: int) -> list[int]:
    rows = db.execute(
        "WITH RECURSIVE tree(id) AS (SELECT id FROM codes WHERE parent_id = ? "
        "UNION ALL SELECT c.id FROM codes c JOIN tree t ON c.parent_id = t.id) SELECT id FROM tree",
        [code_id],
    ).fetchall()
    return [r[0] for r in rows]


def children_ids(db: Database, code_id: int) -> list[int]:
    return [r[0] for r in db.execute(
        "SELECT id FROM codes WHERE parent_id = ? AND merged_into_id IS NULL ORDER BY position", [code_id]
    )]


def coding_counts(db: Database) -> dict[int, int]:
    return dict(db.execute("SELECT code_id, count(*) FROM codings GROUP BY code_id").fetchall())


def coding_counts_by_wave(db: Database) -> dict[int, dict[str, int]]:
    result: dict[int, dict[str, int]] = {}
    for code_id, label, n in db.execute(
        "SELECT c.code_id, w.label, count(*) FROM codings c JOIN transcripts t ON t.id = c.transcript_id "
        "LEFT JOIN waves w ON w.id = t.wave_id GROUP BY c.code_id, w.label"
    ):
        result.setdefault(code_id, {})[label or "-"] = n
    return result


# --- codings ------------------------------------------------------------------------

def insert_coding(
    db: Database, transcript_id: int, code_id: int, coder_id: int, start: int, end: int,
    memo: str | None = None, *, guid: str | None = None, created: str | None = None,
    exemplar: bool = False,
) -> int:
    cursor = db.execute(
        "INSERT INTO codings (guid, transcript_id, code_id, coder_id, start, end, memo, exemplar, created) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [guid or new_guid(), transcript_id, code_id, coder_id, start, end, memo, int(exemplar),
         created or now()],
    )
    return inserted_id(cursor)


def find_coding(db: Database, transcript_id: int, code_id: int, coder_id: int, start: int, end: int) -> int | None:
    row = db.execute(
        "SELECT id FROM codings WHERE transcript_id = ? AND code_id = ? AND coder_id = ? "
        "AND start = ? AND end = ?",
        [transcript_id, code_id, coder_id, start, end],
    ).fetchone()
    return row[0] if row else None


def coding_by_id(db: Database, coding_id: int) -> dict:
    row = db.execute(
        f"SELECT {', '.join(CODING_COLUMNS)} FROM codings WHERE id = ?", [coding_id]
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no coding with id {coding_id}")
    return dict(zip(CODING_COLUMNS, row))


def delete_codings(db: Database, coding_ids: Iterable[int]) -> None:
    db.conn.executemany("DELETE FROM codings WHERE id = ?", [(i,) for i in coding_ids])


def codings(db: Database, *, transcript_id: int | None = None, code_id: int | None = None,
            coder: str | None = None, ids: Sequence[int] | None = None) -> list[dict]:
    """Codings with their transcript, code and coder names, in transcript order; each
    filter given narrows them (``ids``: exactly these codings)."""
    clauses: list[str] = []
    params: list[object] = []
    for clause, value in (("c.transcript_id = ?", transcript_id), ("c.code_id = ?", code_id),
                          ("d.name = ?", coder)):
        if value is not None:
            clauses.append(clause)
            params.append(value)
    if ids is not None:
        rows: list[dict] = []
        # SQLite caps host parameters; long lists go in chunks.
        for i in range(0, len(ids), 500):
            chunk = [int(x) for x in ids[i:i + 500]]
            rows += _codings(db, [*clauses, f"c.id IN ({', '.join('?' for _ in chunk)})"], [*params, *chunk])
        return rows
    return _codings(db, clauses, params)


def _codings(db: Database, clauses: list[str], params: list[object]) -> list[dict]:
    rows = db.execute(
        "SELECT c.id, c.guid, t.name, k.name, d.name, c.start, c.end, c.memo, c.exemplar, c.created, "
        "c.transcript_id, c.code_id FROM codings c JOIN transcripts t ON t.id = c.transcript_id "
        "JOIN codes k ON k.id = c.code_id JOIN coders d ON d.id = c.coder_id "
        f"WHERE {' AND '.join(clauses) or '1'} ORDER BY t.name, c.start, c.end, k.name",
        params,
    ).fetchall()
    keys = ("id", "guid", "transcript", "code", "coder", "start", "end", "memo", "exemplar",
            "created", "transcript_id", "code_id")
    return [dict(zip(keys, r)) for r in rows]


def move_codings(db: Database, from_code: int, to_code: int) -> tuple[int, int]:
    """Re-point codings; an identical coding already under ``to_code`` absorbs its twin.
    Nothing of the twin is lost: its memo links move to the survivor, its memo is
    added to the survivor's, and an exemplar mark carries over. Returns (moved, absorbed)."""
    twins = db.execute(
        "SELECT a.id, b.id, a.memo, b.memo, a.exemplar FROM codings a JOIN codings b "
        "ON b.code_id = ? AND b.transcript_id = a.transcript_id "
        "AND b.coder_id = a.coder_id AND b.start = a.start AND b.end = a.end WHERE a.code_id = ?",
        [to_code, from_code],
    ).fetchall()
    for twin, survivor, twin_memo, survivor_memo, exemplar in twins:
        memos = [m for m in (survivor_memo, twin_memo) if m]
        memo = "\n\n".join(dict.fromkeys(memos)) or None
        if memo != survivor_memo or exemplar:
            db.execute(
                "UPDATE codings SET memo = ?, exemplar = max(exemplar, ?) WHERE id = ?",
                [memo, exemplar, survivor],
            )
        db.execute(
            "DELETE FROM memo_links WHERE coding_id = ? AND memo_id IN "
            "(SELECT memo_id FROM memo_links WHERE coding_id = ?)", [twin, survivor]
        )
        db.execute("UPDATE memo_links SET coding_id = ? WHERE coding_id = ?", [survivor, twin])
    delete_codings(db, [t[0] for t in twins])
    moved = db.execute("UPDATE codings SET code_id = ? WHERE code_id = ?", [to_code, from_code]).rowcount
    return moved, len(twins)


# --- segments (constant comparison) --------------------------------------------------

SEGMENT_SQL = """
SELECT c.id, c.start, c.end, c.memo, c.exemplar, k.name, d.name, t.id, t.name, t.kind,
       w.label, w.ordinal, tu.seq, tu.start, tu.end, s.label, coalesce(s.is_interviewer, 0),
       coalesce(sp.pid, tp.pid), coalesce(sp.pseudonym, tp.pseudonym),
       coalesce(sp.role, tp.role), coalesce(sp.site, tp.site), tu.start_time, tu.time_estimated
FROM codings c
JOIN codes k ON k.id = c.code_id
JOIN coders d ON d.id = c.coder_id
JOIN transcripts t ON t.id = c.transcript_id
LEFT JOIN waves w ON w.id = t.wave_id
LEFT JOIN participants tp ON tp.id = t.participant_id
LEFT JOIN turns tu ON tu.id = (
    SELECT id FROM turns WHERE transcript_id = c.transcript_id AND start <= c.start
    ORDER BY start DESC LIMIT 1)
LEFT JOIN speakers s ON s.id = tu.speaker_id
LEFT JOIN participants sp ON sp.id = s.participant_id
"""
SEGMENT_KEYS = ("id", "start", "end", "memo", "exemplar", "code", "coder", "transcript_id",
                "transcript", "kind", "wave", "wave_order", "turn", "turn_start", "turn_end",
                "speaker", "interviewer", "participant", "pseudonym", "role", "site", "turn_time",
                "turn_time_estimated")


def segments(db: Database, code_ids: Sequence[int], filters: dict) -> list[dict]:
    marks = ", ".join("?" for _ in code_ids)
    clauses, params = [f"c.code_id IN ({marks})"], list(code_ids)
    for key, column in (("participant", "coalesce(sp.pid, tp.pid)"), ("wave", "w.label"),
                        ("role", "coalesce(sp.role, tp.role)"), ("site", "coalesce(sp.site, tp.site)"),
                        ("coder", "d.name"), ("transcript", "t.name")):
        if filters.get(key):
            clauses.append(f"{column} = ?")
            params.append(filters[key])
    rows = db.execute(
        SEGMENT_SQL + f" WHERE {' AND '.join(clauses)} ORDER BY w.ordinal, t.name, c.start",
        params,
    ).fetchall()
    return [dict(zip(SEGMENT_KEYS, r)) for r in rows]


# --- the codebook's edits -------------------------------------------------------------

def next_position(db: Database, parent_id: int | None) -> int:
    """The position after the last code under ``parent_id`` (None: the top level)."""
    return int(db.execute(
        "SELECT coalesce(max(position), 0) + 1 FROM codes WHERE parent_id IS ?", [parent_id]
    ).fetchone()[0])


def has_codings(db: Database, code_id: int) -> bool:
    return db.execute("SELECT 1 FROM codings WHERE code_id = ? LIMIT 1", [code_id]).fetchone() is not None


def coding_ids_of_code(db: Database, code_id: int) -> list[int]:
    return [r[0] for r in db.execute("SELECT id FROM codings WHERE code_id = ?", [code_id])]


def recode(db: Database, coding_ids: Iterable[int], code_id: int) -> None:
    """Give the codings another code."""
    db.conn.executemany("UPDATE codings SET code_id = ? WHERE id = ?", [(code_id, i) for i in coding_ids])


def memo_link_count(db: Database, code_id: int) -> int:
    """Memo links to a code or to one of its codings."""
    return int(db.execute(
        "SELECT count(*) FROM memo_links WHERE code_id = ? OR coding_id IN "
        "(SELECT id FROM codings WHERE code_id = ?)", [code_id, code_id]).fetchone()[0])


def delete_code(db: Database, code_id: int) -> None:
    """Delete a code, the codes once merged into it, and move every code under one of
    them up to its parent. Its codings must be gone already."""
    parent_id = code_by_id(db, code_id)["parent_id"]
    # Codes once merged into this one go with it (their codings moved long ago); left
    # behind, a NULL merged_into_id would bring them back to life. Deepest first, so
    # that none of them comes back to life on the way.
    gone = [r[0] for r in db.execute(
        "WITH RECURSIVE gone(id, depth) AS (SELECT id, 1 FROM codes WHERE merged_into_id = ? "
        "UNION ALL SELECT c.id, g.depth + 1 FROM codes c JOIN gone g ON c.merged_into_id = g.id) "
        "SELECT id FROM gone ORDER BY depth DESC, id", [code_id])]
    gone_set = set(gone) | {code_id}
    # Every code under one that goes moves up: the live sub-codes and the merged ones
    # kept for history (whose parent would block the delete).
    for child_id, in db.execute(
            f"SELECT id FROM codes WHERE parent_id IN ({', '.join('?' for _ in gone_set)})",
            list(gone_set)).fetchall():
        if child_id not in gone_set:
            update_code(db, child_id, parent_id=parent_id)
    for gone_id in gone:
        db.execute("UPDATE codes SET parent_id = NULL WHERE id = ? AND parent_id IS NOT NULL", [gone_id])
    for gone_id in gone:
        db.execute("DELETE FROM codes WHERE id = ?", [gone_id])
    db.execute("DELETE FROM codes WHERE id = ?", [code_id])


def coded_spans(db: Database, code_id: int) -> set[tuple[str, int, int]]:
    """(transcript name, start, end) of every coding of a code."""
    rows = db.execute(
        "SELECT t.name, c.start, c.end FROM codings c JOIN transcripts t ON t.id = c.transcript_id "
        "WHERE c.code_id = ?", [code_id]).fetchall()
    return {(r[0], r[1], r[2]) for r in rows}


def coding_ids_on_span(db: Database, transcript_id: int, code_id: int, start: int, end: int,
                       coder: str | None = None) -> list[int]:
    """The codings of a code on exactly this span (by ``coder`` only, when given)."""
    sql = ("SELECT c.id FROM codings c WHERE c.transcript_id = ? AND c.code_id = ? AND c.start = ? "
           "AND c.end = ?")
    params: list[object] = [transcript_id, code_id, start, end]
    if coder is not None:
        sql += " AND c.coder_id = (SELECT id FROM coders WHERE name = ?)"
        params.append(coder)
    return [r[0] for r in db.execute(sql, params)]


def set_exemplar(db: Database, coding_id: int, exemplar: bool) -> None:
    db.execute("UPDATE codings SET exemplar = ? WHERE id = ?", [int(exemplar), coding_id])


def set_coding_memo(db: Database, coding_id: int, memo: str | None) -> None:
    db.execute("UPDATE codings SET memo = ? WHERE id = ?", [memo or None, coding_id])


def names_by_id(db: Database) -> dict[int, str]:
    """Every code's name (merged codes too) by id."""
    return {r[0]: r[1] for r in db.execute("SELECT id, name FROM codes")}


def ids_by_guid(db: Database) -> dict[str, int]:
    return {r[0]: r[1] for r in db.execute("SELECT guid, id FROM codes")}


def merged_into_by_guid(db: Database) -> dict[str, str]:
    """For each code merged into another (by lower-case GUID), the name of that other."""
    return {r[0].lower(): r[1] for r in db.execute(
        "SELECT m.guid, l.name FROM codes m JOIN codes l ON l.id = m.merged_into_id")}
