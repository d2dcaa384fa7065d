"""SQL for inter-coder agreement and blind-coding copies.

:func:`agreement_data` is the one bulk read behind every agreement figure: the codings of
the chosen coders (and codes, and transcripts), which coder coded which transcript, the
transcripts' lengths and, for turn units, the turn boundaries. :func:`blind_copy` writes a
copy of the project that holds only one coder's codings and memos.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import outputs
from ..errors import NotFoundError, QualcodeError
from .connection import Database
from .db import new_guid, now


@dataclass
class AgreementData:
    codings: list[tuple]  # (transcript_id, code_id, coder_id, start, end)
    coded_by: dict[int, set[int]]  # transcript_id -> coder ids with any coding in it
    lengths: dict[int, int]  # transcript_id -> char_count, in transcript-name order
    transcript_names: dict[int, str]
    code_names: dict[int, str]
    turns: dict[int, list[tuple]] = field(default_factory=dict)  # id -> [(start, end, seq)]


def coder_ids(db: Database, names: Sequence[str]) -> dict[str, int]:
    """``{name: id}`` for the named coders; an unknown name is an error."""
    result = {}
    for name in names:
        row = db.execute("SELECT id FROM coders WHERE name = ?", [name]).fetchone()
        if row is None:
            known = ", ".join(r[0] for r in db.execute("SELECT name FROM coders ORDER BY name"))
            raise NotFoundError(f"no coder named {name!r} (coders: {known or 'none'})")
        result[name] = row[0]
    return result


def transcript_ids(db: Database, names: Sequence[str]) -> list[int]:
    ids = []
    for name in names:
        row = db.execute("SELECT id FROM transcripts WHERE name = ?", [name]).fetchone()
        if row is None:
            raise NotFoundError(f"no transcript named {name!r}")
        ids.append(row[0])
    return ids


def _in(column: str, values: Sequence[int] | None) -> tuple[str, list]:
    if values is None:
        return "1", []
    return f"{column} IN (SELECT value FROM json_each(?))", [json.dumps(list(values))]


def agreement_data(db: Database, coders: Sequence[int], *, code_ids: Sequence[int] | None = None,
                   transcripts: Sequence[int] | None = None, with_turns: bool = False) -> AgreementData:
    """Everything the agreement functions need, in a handful of indexed queries."""
    coder_clause, coder_params = _in("coder_id", coders)
    tx_clause, tx_params = _in("transcript_id", transcripts)
    coded_by: dict[int, set[int]] = {}
    for transcript_id, coder_id in db.execute(
        f"SELECT DISTINCT transcript_id, coder_id FROM codings WHERE {coder_clause} AND {tx_clause}",
        coder_params + tx_params,
    ):
        coded_by.setdefault(transcript_id, set()).add(coder_id)
    shared = sorted(t for t, who in coded_by.items() if len(who) >= 2)
    shared_clause, shared_params = _in("transcript_id", shared)
    code_clause, code_params = _in("code_id", code_ids)
    codings = db.execute(
        "SELECT transcript_id, code_id, coder_id, start, end FROM codings "
        f"WHERE {shared_clause} AND {coder_clause} AND {code_clause} "
        "ORDER BY transcript_id, code_id, start",
        shared_params + coder_params + code_params,
    ).fetchall()
    id_clause, id_params = _in("id", shared)
    lengths, names = {}, {}
    for tid, name, length in db.execute(
        f"SELECT id, name, char_count FROM transcripts WHERE {id_clause} ORDER BY name", id_params
    ):
        lengths[tid] = length
        names[tid] = name
    used = sorted({c[1] for c in codings} | set(code_ids or ()))
    used_clause, used_params = _in("id", used)
    code_names = dict(db.execute(f"SELECT id, name FROM codes WHERE {used_clause}", used_params))
    data = AgreementData(codings, coded_by, lengths, names, code_names)
    if with_turns:
        for tid, start, end, seq in db.execute(
            f"SELECT transcript_id, start, end, seq FROM turns WHERE {shared_clause} "
            "ORDER BY transcript_id, start", shared_params
        ):
            data.turns.setdefault(tid, []).append((start, end, seq))
    return data


def text_slices(db: Database, spans: Sequence[tuple[int, int, int]]) -> list[str]:
    """The text of ``(transcript_id, start, end)`` spans (code points, end exclusive)."""
    texts: dict[int, str] = {}
    result = []
    for tid, start, end in spans:
        if tid not in texts:
            texts[tid] = db.execute("SELECT text FROM transcripts WHERE id = ?", [tid]).fetchone()[0]
        result.append(texts[tid][start:end])
    return result


# --- blind coding ------------------------------------------------------------------------

def blind_copy(db: Database, dest: Path, coder: str, *, source: str) -> dict:
    """Copy the project to ``dest`` (which must not exist) keeping only ``coder``'s
    codings and memos, with an empty history; returns counts of what was left out.

    The copy is made with SQLite's backup API (consistent even while others write) into
    a temporary file beside ``dest``, cleaned and VACUUMed so that nothing removed
    survives in free pages, and renamed into place only when it is complete."""
    dest = Path(dest)
    if dest.suffix != ".qualcode":
        raise QualcodeError(f"{dest.name}: the copy must be a .qualcode file")
    if os.path.lexists(dest) or os.path.lexists(f"{dest}-wal"):
        raise QualcodeError(f"{dest.name}: already exists; choose a new file name")
    outputs.check_target(dest)
    with outputs.output_path(dest) as tmp:
        target = sqlite3.connect(str(tmp))
        try:
            db.conn.backup(target)
            target.execute("PRAGMA foreign_keys = ON")
            report = _strip(target, coder, source)
            target.commit()
            target.execute("VACUUM")
            target.execute("PRAGMA journal_mode = WAL")
        finally:
            target.close()  # the last connection: its -wal and -shm go with it
        for companion in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{tmp}{companion}").unlink()
    return report


def _strip(conn: sqlite3.Connection, coder: str, source: str) -> dict:
    conn.execute("BEGIN IMMEDIATE")
    row = conn.execute("SELECT id FROM coders WHERE name = ?", [coder]).fetchone()
    if row is None:
        coder_id = conn.execute("INSERT INTO coders (guid, name, created) VALUES (?, ?, ?)",
                                [new_guid(), coder, now()]).lastrowid
    else:
        coder_id = row[0]
    kept = conn.execute("SELECT count(*) FROM codings WHERE coder_id = ?", [coder_id]).fetchone()[0]
    # memo_links to the removed codings and memos go with them (ON DELETE CASCADE).
    codings = conn.execute("DELETE FROM codings WHERE coder_id IS NOT ?", [coder_id]).rowcount
    memos = conn.execute("DELETE FROM memos WHERE author_id IS NOT ?", [coder_id]).rowcount
    # Others' summaries of the grid are their analysis too (citations go with them).
    conn.execute("DELETE FROM summaries WHERE author_id IS NOT ?", [coder_id])
    # The history holds copies of every change (others' codings among them): it goes too,
    # or undo and the log would reveal them.
    conn.execute("UPDATE recorder SET event_id = NULL")
    conn.execute("DELETE FROM event_changes")
    conn.execute("DELETE FROM events")
    # The name key (real names) never leaves with a copy for someone else; the VACUUM
    # that follows leaves no freed page holding it.
    conn.execute("DELETE FROM name_key")
    for key, value in (("default_coder", coder),):
        conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])
    for key, value in (("blind_copy_for", coder), ("blind_copy_of", source),
                       ("blind_copy_made", now())):
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])
    return {"coder": coder, "codings_kept": kept, "codings_left_out": codings,
            "memos_left_out": memos}
