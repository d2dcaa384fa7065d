"""SQL the exports need that no other module has: who took part in which transcript,
and how long timed interviews lasted."""

from __future__ import annotations

from .connection import Database


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
    last end time (seconds), how many turns carry a time from the source (not estimated)
    and how many turns there are (a transcript is completely timed when every turn carries
    one)."""
    rows = db.execute(
        "SELECT t.name, t.kind, w.label, w.ordinal, p.pid, min(tu.start_time), "
        "max(coalesce(tu.end_time, tu.start_time)), count(tu.start_time) - sum(tu.time_estimated), count(*) "
        "FROM transcripts t JOIN turns tu ON tu.transcript_id = t.id "
        "LEFT JOIN waves w ON w.id = t.wave_id LEFT JOIN participants p ON p.id = t.participant_id "
        "GROUP BY t.id HAVING count(tu.start_time) > 0 ORDER BY w.ordinal, t.name"
    ).fetchall()
    keys = ("name", "kind", "wave", "wave_order", "participant", "first", "last", "timed_turns",
            "turns")
    return [dict(zip(keys, r)) for r in rows]


def codings_per_coder(db: Database, transcript_names) -> dict[str, tuple[int, int]]:
    """coder -> (codings, transcripts) within the named transcripts."""
    names = list(transcript_names)
    marks = ", ".join("?" for _ in names) or "NULL"
    return {name: (n, t) for name, n, t in db.execute(
        "SELECT d.name, count(*), count(DISTINCT c.transcript_id) FROM codings c "
        "JOIN coders d ON d.id = c.coder_id JOIN transcripts t ON t.id = c.transcript_id "
        f"WHERE t.name IN ({marks}) GROUP BY d.name ORDER BY d.name", names)}
