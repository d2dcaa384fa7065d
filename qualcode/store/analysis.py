"""SQL for the longitudinal analysis: a few bulk queries, never one per pair or cell.

Attribution of a coding to a participant follows :data:`qualcode.store.codes.SEGMENT_SQL`:
the participant mapped to the speaker of the turn that contains the coding's start,
else the transcript's participant. Looking the turn up costs an index seek per coding,
so it is done only for "mixed" transcripts, those with a speaker mapped to someone
other than the transcript's participant (focus groups, a partner joining an
interview); everywhere else the two rules give the transcript's participant anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .connection import Database
from .db import new_guid, now, write

_MIXED = (
    "SELECT DISTINCT s.transcript_id FROM speakers s "
    "JOIN transcripts t2 ON t2.id = s.transcript_id "
    "WHERE s.participant_id IS NOT NULL AND s.participant_id IS NOT t2.participant_id"
)
_TURN_OF = (
    "SELECT {col} FROM turns tu LEFT JOIN speakers s ON s.id = tu.speaker_id "
    "WHERE tu.transcript_id = c.transcript_id AND tu.start <= c.start "
    "ORDER BY tu.start DESC LIMIT 1"
)
PARTICIPANT_SQL = (
    f"CASE WHEN c.transcript_id IN (SELECT transcript_id FROM mixed) "
    f"THEN coalesce(({_TURN_OF.format(col='s.participant_id')}), t.participant_id) "
    "ELSE t.participant_id END"
)
TURN_SQL = f"({_TURN_OF.format(col='tu.id')})"


def _where(coder_ids: Sequence[int] | None, wave_ids: Sequence[int] | None,
           code_ids: Sequence[int] | None) -> tuple[str, list]:
    clauses, params = ["1"], []
    for column, values in (("c.coder_id", coder_ids), ("t.wave_id", wave_ids),
                           ("c.code_id", code_ids)):
        if values is not None:
            values = list(values)
            clauses.append(f"{column} IN ({', '.join('?' for _ in values) or 'NULL'})")
            params.extend(values)
    return " AND ".join(clauses), params


def transcript_map(db: Database) -> dict[int, tuple[int | None, int | None, str]]:
    """transcript id -> (participant_id, wave_id, kind)."""
    return {r[0]: (r[1], r[2], r[3]) for r in db.execute(
        "SELECT id, participant_id, wave_id, kind FROM transcripts")}


def mixed_transcripts(db: Database) -> set[int]:
    """Transcripts where a coding's participant depends on the turn (see module doc)."""
    return {r[0] for r in db.execute(_MIXED)}


def packed_codings(db: Database, *, coder_ids=None, wave_ids=None, code_ids=None,
                   skip_mixed: bool = True):
    """The codings as two numpy int64 arrays, starts and ends, each ``group << shift |
    offset`` with ``group = transcript_id * codes_top + code_id`` (in no particular
    order). Returns (starts, ends, shift, codes_top); see
    :mod:`qualcode.analysis.passages`.

    SQLite packs the integers and joins them into one text per column, which numpy
    parses in C: reading a million codings costs no Python object per coding.
    ``skip_mixed`` leaves out mixed transcripts."""
    import numpy as np

    transcripts = transcript_map(db)
    skip = mixed_transcripts(db) if skip_mixed else set()
    wanted = set(wave_ids) if wave_ids is not None else None
    codes_top, longest = db.execute(
        "SELECT (SELECT coalesce(max(id), 0) + 1 FROM codes), "
        "(SELECT coalesce(max(char_count), 0) FROM transcripts)").fetchone()
    shift = max(1, int(longest).bit_length())
    where, params = _where(coder_ids, None, code_ids)
    keep = [t for t, (_, w, _) in transcripts.items()
            if t not in skip and (wanted is None or w in wanted)]
    if len(keep) < len(transcripts):
        where += f" AND c.transcript_id IN ({', '.join(map(str, keep)) or 'NULL'})"
    top_group = (max(transcripts, default=0) + 1) * codes_top
    if top_group.bit_length() + shift > 62:  # pragma: no cover (beyond 2**62 (transcript, code, offset))
        raise ValueError("too many transcripts and codes to pack into 64 bits")
    g = f"(c.transcript_id * {codes_top} + c.code_id) * {1 << shift}"
    joined = db.execute(
        f"SELECT group_concat({g} + c.start, ','), group_concat({g} + c.end, ',') "
        f"FROM codings c INDEXED BY idx_codings_identity WHERE {where}", params).fetchone()
    if not joined or joined[0] is None:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, shift, codes_top
    starts = np.fromstring(joined[0], dtype=np.int64, sep=",")
    ends = np.fromstring(joined[1], dtype=np.int64, sep=",")
    return starts, ends, shift, codes_top


def packed_turn_starts(db: Database, shift: int):
    """Every turn's start as one numpy int64 array of ``transcript_id << shift | start``,
    ascending (the order of the index on (transcript, start): no sort). With the codings
    packed the same way (:func:`packed_codings`, group = transcript) a binary search
    finds the turn each coding starts in."""
    import numpy as np

    joined = db.execute(
        f"SELECT group_concat(transcript_id * {1 << shift} + start, ',') "
        "FROM turns INDEXED BY idx_turns_transcript_start").fetchone()
    if not joined or joined[0] is None:
        return np.zeros(0, dtype=np.int64)
    starts = np.fromstring(joined[0], dtype=np.int64, sep=",")
    if len(starts) > 1 and not bool((starts[1:] >= starts[:-1]).all()):
        starts.sort()  # (SQLite does not promise the index's order without ORDER BY)
    return starts


def mixed_codings(db: Database, *, coder_ids=None, wave_ids=None, code_ids=None) -> list[tuple]:
    """(transcript_id, code_id, start, end, participant_id, wave_id) for the codings of
    mixed transcripts, the participant being the one of the turn where each starts."""
    where, params = _where(coder_ids, wave_ids, code_ids)
    return db.execute(
        f"WITH mixed(transcript_id) AS ({_MIXED}) "
        f"SELECT c.transcript_id, c.code_id, c.start, c.end, {PARTICIPANT_SQL}, t.wave_id "
        "FROM codings c JOIN transcripts t ON t.id = c.transcript_id "
        f"WHERE c.transcript_id IN (SELECT transcript_id FROM mixed) AND {where}",
        params).fetchall()


def codings(db: Database, *, coder_ids=None, wave_ids=None, code_ids=None,
            with_turn: bool = False) -> list[tuple]:
    """Every coding as (transcript_id, code_id, coder_id, start, end), each
    transcript's codings together and ordered by start (the tuple is unique: it is the
    identity index). With ``with_turn`` a sixth column holds the id of the turn where
    the coding starts (an index seek per coding). The participant and wave come from
    :func:`transcript_map`, and for mixed transcripts from :func:`mixed_attribution`."""
    where, params = _where(coder_ids, None, code_ids)
    if wave_ids is not None:
        marks = ", ".join("?" for _ in wave_ids) or "NULL"
        where += f" AND c.transcript_id IN (SELECT id FROM transcripts WHERE wave_id IN ({marks}))"
        params += list(wave_ids)
    turn = f", {TURN_SQL}" if with_turn else ""
    return db.execute(
        # The identity index holds every column read here: no table lookups.
        f"SELECT c.transcript_id, c.code_id, c.coder_id, c.start, c.end{turn} FROM codings c "
        f"INDEXED BY idx_codings_identity WHERE {where} ORDER BY c.transcript_id, c.start, c.end",
        params,
    ).fetchall()


def mixed_attribution(db: Database) -> dict[tuple, int | None]:
    """(transcript_id, code_id, coder_id, start, end) -> participant_id for the codings
    of mixed transcripts (the only ones where it is not the transcript's)."""
    rows = db.execute(
        f"WITH mixed(transcript_id) AS ({_MIXED}) "
        f"SELECT c.transcript_id, c.code_id, c.coder_id, c.start, c.end, {PARTICIPANT_SQL} "
        "FROM codings c JOIN transcripts t ON t.id = c.transcript_id "
        "WHERE c.transcript_id IN (SELECT transcript_id FROM mixed)"
    ).fetchall()
    return {r[:5]: r[5] for r in rows}


def coded_spans(db: Database, *, coder_ids=None, wave_ids=None, code_ids=None) -> list[tuple]:
    """(participant_id, wave_id, code_id, transcript_id, start, end, coding memo) of every
    coding, in transcript and text order, for the framework matrix."""
    where, params = _where(coder_ids, wave_ids, code_ids)
    return db.execute(
        f"WITH mixed(transcript_id) AS ({_MIXED}) "
        f"SELECT {PARTICIPANT_SQL}, t.wave_id, c.code_id, c.transcript_id, c.start, c.end, c.memo "
        "FROM codings c JOIN transcripts t ON t.id = c.transcript_id "
        f"WHERE {where} ORDER BY t.name, c.start, c.end",
        params,
    ).fetchall()


def attendance(db: Database) -> list[tuple[int, int, str]]:
    """(participant_id, wave_id, status) for every recorded attendance cell."""
    return db.execute("SELECT participant_id, wave_id, status FROM attendance").fetchall()


def participation(db: Database) -> list[tuple[int, int, str]]:
    """(participant_id, wave_id, transcript kind): who took part in a transcript of a
    wave, as its participant or as a mapped (non-interviewer) speaker."""
    return db.execute(
        "SELECT participant_id, wave_id, kind FROM transcripts "
        "WHERE participant_id IS NOT NULL AND wave_id IS NOT NULL "
        "UNION SELECT s.participant_id, t.wave_id, t.kind FROM speakers s "
        "JOIN transcripts t ON t.id = s.transcript_id "
        "WHERE s.participant_id IS NOT NULL AND t.wave_id IS NOT NULL AND s.is_interviewer = 0"
    ).fetchall()


CODE_KEYS = ("id", "name", "parent_id", "is_category", "codable", "colour", "position")


def all_codes(db: Database) -> list[dict]:
    """Live codes (merged ones are history) in tree order."""
    rows = db.execute(
        f"SELECT {', '.join(CODE_KEYS)} FROM codes WHERE merged_into_id IS NULL "
        "ORDER BY parent_id IS NOT NULL, parent_id, position, name"
    ).fetchall()
    return [dict(zip(CODE_KEYS, r)) for r in rows]


TRANSCRIPT_KEYS = ("id", "name", "kind", "wave_id", "participant_id", "date")


def transcripts_in_order(db: Database) -> list[dict]:
    """Transcripts in interview order: wave, date, then name."""
    rows = db.execute(
        "SELECT t.id, t.name, t.kind, t.wave_id, t.participant_id, t.date FROM transcripts t "
        "LEFT JOIN waves w ON w.id = t.wave_id "
        "ORDER BY w.ordinal IS NULL, w.ordinal, t.date IS NULL, t.date, t.name"
    ).fetchall()
    return [dict(zip(TRANSCRIPT_KEYS, r)) for r in rows]


def transcript_code_pairs(db: Database, *, coder_ids=None) -> list[tuple[int, int]]:
    """Distinct (transcript_id, code_id) that have at least one coding."""
    where, params = _where(coder_ids, None, None)
    return db.execute(
        "SELECT DISTINCT c.transcript_id, c.code_id FROM codings c "
        f"JOIN transcripts t ON t.id = c.transcript_id WHERE {where}",
        params,
    ).fetchall()


def first_codings(db: Database, *, coder_ids=None) -> list[tuple]:
    """(transcript_id, code_id, (created, id) of the earliest coding) per pair that has
    one: the order the coding was done in."""
    where, params = _where(coder_ids, None, None)
    return [(t, k, (created, first)) for t, k, created, first in db.execute(
        "SELECT c.transcript_id, c.code_id, min(c.created), min(c.id) FROM codings c "
        f"JOIN transcripts t ON t.id = c.transcript_id WHERE {where} "
        "GROUP BY c.transcript_id, c.code_id", params)]


def transcript_roles(db: Database) -> dict[int, str | None]:
    """transcript id -> the role of its participant, or (a focus group) the role most
    of its mapped speakers have."""
    roles = {t: r for t, r in db.execute(
        "SELECT t.id, p.role FROM transcripts t JOIN participants p ON p.id = t.participant_id")}
    counts: dict[int, dict[str | None, int]] = {}
    for t, role, n in db.execute(
            "SELECT s.transcript_id, p.role, count(*) FROM speakers s "
            "JOIN participants p ON p.id = s.participant_id WHERE s.is_interviewer = 0 "
            "GROUP BY s.transcript_id, p.role"):
        counts.setdefault(t, {})[role] = n
    for t, by_role in counts.items():
        if roles.get(t) is None:
            roles[t] = max(sorted(by_role, key=str), key=lambda role: by_role[role])
    return roles


def coder_names(db: Database) -> dict[int, str]:
    """Coder id -> name."""
    return {r[0]: r[1] for r in db.execute("SELECT id, name FROM coders")}


def coder_ids(db: Database, names: Iterable[str]) -> list[int]:
    names = list(names)
    rows = db.execute(
        f"SELECT id FROM coders WHERE name IN ({', '.join('?' for _ in names)})", names
    ).fetchall()
    return [r[0] for r in rows]


def bulk_insert_codings(db: Database, rows: Iterable[tuple[int, int, int, int, int]]) -> int:
    """Insert (transcript_id, code_id, coder_id, start, end) rows with executemany in
    one transaction, outside the event log (for benchmarks and bulk loaders)."""
    stamp = now()
    with write(db):
        cursor = db.conn.executemany(
            "INSERT INTO codings (guid, transcript_id, code_id, coder_id, start, end, created) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            ((new_guid(), *row, stamp) for row in rows),
        )
        return cursor.rowcount
