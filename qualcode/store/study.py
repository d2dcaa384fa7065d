"""SQL for the study design: project metadata, coders, participants, waves,
attributes (fixed and per wave) and attendance."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from ..errors import ConflictError, NotFoundError
from ..model import PARTICIPANT_FIELDS, AttributeType
from ..records import Participant, Wave
from .connection import Database
from .db import inserted_id, new_guid, now

# --- metadata and settings ---------------------------------------------------------

def create_project_file(path: Path, title: str | None = None) -> Database:
    """A new project file at ``path`` with its title, creation time and GUID."""
    from . import db as store_db

    db = store_db.create_database(path)
    with store_db.write(db):
        set_meta(db, "title", title or path.stem)
        set_meta(db, "created", store_db.now())
        set_meta(db, "project_guid", store_db.new_guid())
    return db


def get_meta(db: Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_meta(db: Database, key: str, value: str | None) -> None:
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def get_setting(db: Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_setting(db: Database, key: str, value: str | None) -> None:
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


# --- coders -------------------------------------------------------------------------

def coder_id(db: Database, name: str, *, create: bool = True, guid: str | None = None) -> int:
    row = db.execute("SELECT id FROM coders WHERE name = ?", [name]).fetchone()
    if row:
        return row[0]
    if not create:
        raise NotFoundError(f"no coder named {name!r}")
    cursor = db.execute(
        "INSERT INTO coders (guid, name, created) VALUES (?, ?, ?)", [guid or new_guid(), name, now()]
    )
    return inserted_id(cursor)


def list_coders(db: Database) -> list[dict]:
    rows = db.execute(
        "SELECT c.id, c.guid, c.name, c.created, "
        "(SELECT count(*) FROM codings WHERE coder_id = c.id) AS codings "
        "FROM coders c ORDER BY c.name"
    ).fetchall()
    return [dict(zip(("id", "guid", "name", "created", "codings"), r)) for r in rows]


# --- participants -------------------------------------------------------------------



def participant_row(db: Database, pid: str) -> dict:
    row = db.execute(
        "SELECT id, guid, pid, pseudonym, role, site, created FROM participants WHERE pid = ?",
        [pid],
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no participant with id {pid!r}")
    return dict(zip(("id", "guid", "pid", "pseudonym", "role", "site", "created"), row))


def participant_exists(db: Database, pid: str) -> bool:
    return db.execute("SELECT 1 FROM participants WHERE pid = ?", [pid]).fetchone() is not None


def add_participant(
    db: Database,
    pid: str,
    *,
    pseudonym: str | None = None,
    role: str | None = None,
    site: str | None = None,
    guid: str | None = None,
) -> int:
    if participant_exists(db, pid):
        raise ConflictError(f"participant {pid!r} already exists")
    cursor = db.execute(
        "INSERT INTO participants (guid, pid, pseudonym, role, site, created) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [guid or new_guid(), pid, pseudonym, role, site, now()],
    )
    return inserted_id(cursor)


def update_participant(db: Database, pid: str, **fields: str | None) -> None:
    row = participant_row(db, pid)
    for key, value in fields.items():
        if key not in PARTICIPANT_FIELDS:
            raise ValueError(key)
        db.execute(f"UPDATE participants SET {key} = ? WHERE id = ?", [value, row["id"]])


def list_participants(db: Database) -> list[dict]:
    rows = db.execute(
        "SELECT id, guid, pid, pseudonym, role, site FROM participants ORDER BY pid"
    ).fetchall()
    people = [dict(zip(("id", "guid", "pid", "pseudonym", "role", "site"), r)) for r in rows]
    fixed: dict[int, dict] = {}
    for pid_id, key, value in db.execute(
        "SELECT participant_id, key, value FROM participant_attributes ORDER BY key"
    ):
        fixed.setdefault(pid_id, {})[key] = value
    by_wave: dict[int, dict] = {}
    for pid_id, label, key, value in db.execute(
        "SELECT a.participant_id, w.label, a.key, a.value FROM participant_wave_attributes a "
        "JOIN waves w ON w.id = a.wave_id ORDER BY w.ordinal, a.key"
    ):
        by_wave.setdefault(pid_id, {}).setdefault(label, {})[key] = value
    for person in people:
        person["attributes"] = fixed.get(person["id"], {})
        person["wave_attributes"] = by_wave.get(person["id"], {})
    return people


def participant_records(db: Database) -> list[Participant]:
    """Every participant with attributes, in order of participant id."""
    return [Participant(**person) for person in list_participants(db)]


def set_attribute(db: Database, participant_id: int, key: str, value: str | None) -> None:
    db.execute(
        "INSERT INTO participant_attributes (participant_id, key, value) VALUES (?, ?, ?) "
        "ON CONFLICT(participant_id, key) DO UPDATE SET value = excluded.value",
        [participant_id, key, value],
    )


def set_wave_attribute(
    db: Database, participant_id: int, wave_id: int, key: str, value: str | None
) -> None:
    db.execute(
        "INSERT INTO participant_wave_attributes (participant_id, wave_id, key, value) "
        "VALUES (?, ?, ?, ?) "
        "ON CONFLICT(participant_id, wave_id, key) DO UPDATE SET value = excluded.value",
        [participant_id, wave_id, key, value],
    )


# --- declared attribute types ------------------------------------------------------


def attribute_types(db: Database) -> dict[str, AttributeType]:
    """Every declared attribute type by key (an attribute not listed is text)."""
    rows = db.execute(
        "SELECT key, kind, allowed, description FROM attribute_types ORDER BY key"
    ).fetchall()
    return {key: AttributeType(key, kind, tuple(json.loads(allowed or "[]")), description)
            for key, kind, allowed, description in rows}


def declare_attribute(db: Database, declared: AttributeType) -> None:
    db.execute(
        "INSERT INTO attribute_types (key, kind, allowed, description) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(key) DO UPDATE SET kind = excluded.kind, allowed = excluded.allowed, "
        "description = excluded.description",
        [declared.key, declared.kind, json.dumps(list(declared.values)) if declared.values else None,
         declared.description],
    )


def forget_attribute_type(db: Database, key: str) -> bool:
    """Make ``key`` text again; False when it was not declared."""
    return db.execute("DELETE FROM attribute_types WHERE key = ?", [key]).rowcount > 0


def attribute_values(db: Database, key: str) -> list[tuple[str, str | None, str | None]]:
    """Every stored value of attribute ``key``: (participant id, wave label or None for a
    fixed value, value), fixed values first, then by wave order and participant."""
    fixed = db.execute(
        "SELECT p.pid, NULL, a.value FROM participant_attributes a "
        "JOIN participants p ON p.id = a.participant_id WHERE a.key = ? ORDER BY p.pid",
        [key],
    ).fetchall()
    by_wave = db.execute(
        "SELECT p.pid, w.label, a.value FROM participant_wave_attributes a "
        "JOIN participants p ON p.id = a.participant_id JOIN waves w ON w.id = a.wave_id "
        "WHERE a.key = ? ORDER BY w.ordinal, p.pid",
        [key],
    ).fetchall()
    return [tuple(row) for row in (*fixed, *by_wave)]


def set_attribute_text(db: Database, key: str, old: str, new: str) -> None:
    """Rewrite one stored spelling of a value of ``key`` (fixed and per wave)."""
    for table in ("participant_attributes", "participant_wave_attributes"):
        db.execute(f"UPDATE {table} SET value = ? WHERE key = ? AND value = ?", [new, key, old])


# --- waves --------------------------------------------------------------------------

WAVE_COLUMNS = ("id", "guid", "label", "ordinal", "start_date", "end_date", "description")


def wave_row(db: Database, label: str) -> dict:
    row = db.execute(
        f"SELECT {', '.join(WAVE_COLUMNS)} FROM waves WHERE label = ?", [label]
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no wave labelled {label!r}")
    return dict(zip(WAVE_COLUMNS, row))


def add_wave(
    db: Database,
    label: str,
    *,
    ordinal: int | None = None,
    start_date: str | None = None,
    end_date: str | None = None,
    description: str | None = None,
    guid: str | None = None,
) -> int:
    if db.execute("SELECT 1 FROM waves WHERE label = ?", [label]).fetchone():
        raise ConflictError(f"wave {label!r} already exists")
    if ordinal is None:
        ordinal = db.execute("SELECT coalesce(max(ordinal), 0) + 1 FROM waves").fetchone()[0]
    cursor = db.execute(
        "INSERT INTO waves (guid, label, ordinal, start_date, end_date, description) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [guid or new_guid(), label, ordinal, start_date, end_date, description],
    )
    return inserted_id(cursor)


def list_waves(db: Database) -> list[dict]:
    rows = db.execute(
        f"SELECT {', '.join(WAVE_COLUMNS)} FROM waves ORDER BY ordinal, label"
    ).fetchall()
    return [dict(zip(WAVE_COLUMNS, r)) for r in rows]


def wave_records(db: Database, time_points: Mapping[str, Mapping[str, str]]) -> list[Wave]:
    """Every wave in time order, with its ``time_points`` (``{wave label: {role: label}}``)."""
    return [Wave(**row, time_points=dict(time_points.get(row["label"], {})))
            for row in list_waves(db)]


# --- attendance ---------------------------------------------------------------------

def set_attendance(
    db: Database, participant_id: int, wave_id: int, status: str, note: str | None = None
) -> None:
    db.execute(
        "INSERT INTO attendance (participant_id, wave_id, status, note) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(participant_id, wave_id) DO UPDATE SET status = excluded.status, "
        "note = coalesce(excluded.note, attendance.note)",
        [participant_id, wave_id, status, note],
    )


def attendance_rows(db: Database) -> list[tuple[str, str, str]]:
    """(participant pid, wave label, status) for every recorded cell."""
    return db.execute(
        "SELECT p.pid, w.label, a.status FROM attendance a "
        "JOIN participants p ON p.id = a.participant_id JOIN waves w ON w.id = a.wave_id "
        "ORDER BY p.pid, w.ordinal"
    ).fetchall()


# --- counts -------------------------------------------------------------------------

COUNTED_TABLES = (
    "participants",
    "waves",
    "transcripts",
    "turns",
    "sentences",
    "codes",
    "codings",
    "memos",
    "coders",
)


def counts(db: Database) -> dict[str, int]:
    result = {}
    for table in COUNTED_TABLES:
        sql = f"SELECT count(*) FROM {table}"
        if table == "sentences":
            # Stored packed, one row per transcript (see store/sentence_spans.py).
            sql = "SELECT coalesce(sum(count), 0) FROM sentence_spans"
        elif table == "codes":
            # Merged codes are history, not part of the codebook.
            sql += " WHERE merged_into_id IS NULL"
        result[table] = db.execute(sql).fetchone()[0]
    return result


def wave_exists(db: Database, label: str) -> bool:
    return db.execute("SELECT 1 FROM waves WHERE label = ?", [label]).fetchone() is not None


def coder_exists(db: Database, name: str) -> bool:
    return db.execute("SELECT 1 FROM coders WHERE name = ?", [name]).fetchone() is not None


def coder_ids(db: Database) -> dict[str, int]:
    """Every coder's row id by name."""
    return {r[0]: r[1] for r in db.execute("SELECT name, id FROM coders")}


def coder_names(db: Database) -> dict[int, str]:
    """Every coder's name by row id."""
    return {r[0]: r[1] for r in db.execute("SELECT id, name FROM coders")}


def participant_id(db: Database, pid: str) -> int | None:
    """A participant's row id, or None."""
    row = db.execute("SELECT id FROM participants WHERE pid = ?", [pid]).fetchone()
    return row[0] if row else None


def wave_id(db: Database, label: str) -> int | None:
    """A wave's row id, or None."""
    row = db.execute("SELECT id FROM waves WHERE label = ?", [label]).fetchone()
    return row[0] if row else None


def wave_labels(db: Database) -> dict[int, str]:
    """Every wave's label by row id."""
    return {r[0]: r[1] for r in db.execute("SELECT id, label FROM waves")}


def speaker_labels(db: Database) -> set[str]:
    """Every speaker label of every transcript."""
    return {r[0] for r in db.execute("SELECT DISTINCT label FROM speakers")}
