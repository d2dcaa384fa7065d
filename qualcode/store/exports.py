"""SQL the exports need that no other module has: who took part in which transcript,
and how long timed interviews lasted."""

from __future__ import annotations

from sqlite_utils import Database


def transcript_people(db: Database) -> list[tuple[str, str | None, str, str]]:
    """(transcript name, wave label, kind, participant pid): the transcript's own
    participant and every mapped speaker who is not an interviewer."""
    return db.execute(
        "SELECT t.name, w.label, t.kind, p.pid FROM transcripts t "
        "LEFT JOIN waves w ON w.id = t.wave_id JOIN participants p ON p.id = t.participant_id "
        "UNION SELECT t.name, w.label, t.kind, p.pid FROM speakers s "
        "JOIN transcripts t ON t.id = s.transcript_id LEFT JOIN waves w ON w.id = t.wave_id "
        "JOIN participants p ON p.id = s.participant_id WHERE s.is_interviewer = 0 "
        "ORDER BY 1, 4"
    ).fetchall()


def timed_transcripts(db: Database) -> list[dict]:
    """Transcripts with turn timestamps: name, kind, wave, participant, first start and
    last end time (seconds) and how many turns carry a time."""
    rows = db.execute(
        "SELECT t.name, t.kind, w.label, w.ordinal, p.pid, min(tu.start_time), "
        "max(coalesce(tu.end_time, tu.start_time)), count(tu.start_time) "
        "FROM transcripts t JOIN turns tu ON tu.transcript_id = t.id "
        "LEFT JOIN waves w ON w.id = t.wave_id LEFT JOIN participants p ON p.id = t.participant_id "
        "WHERE tu.start_time IS NOT NULL GROUP BY t.id ORDER BY w.ordinal, t.name"
    ).fetchall()
    keys = ("name", "kind", "wave", "wave_order", "participant", "first", "last", "timed_turns")
    return [dict(zip(keys, r)) for r in rows]
